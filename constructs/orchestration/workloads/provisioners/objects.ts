import type { Cloud } from '../../../core/clouds';
import { IdpkitError, describeValue } from '../../../core/errors';
import { LINK_LOCAL_DNS_RESOLVERS } from '../../tenancy/tenancy';
import type { NetworkFlow, ProvisionRequest, ResourceProvisioner } from '../types';

/** Labels of every object a provisioner makes: the workload's, or the shared resource's `id`. */
export function resourceLabels(request: ProvisionRequest): Record<string, string> {
  const id = request.resource.id;
  return id === undefined
    ? { 'app.kubernetes.io/name': request.workload, 'app.kubernetes.io/managed-by': 'idpkit', 'idpkit.dev/workload': request.workload }
    : { 'app.kubernetes.io/name': id, 'app.kubernetes.io/managed-by': 'idpkit', 'idpkit.dev/shared': id };
}

/** `metadata` of an object made for a resource: its name, the namespace (none in previews) and the resource's labels. */
export function objectMeta(request: ProvisionRequest, name: string, annotations?: Readonly<Record<string, string>>): { name: string; namespace?: string; labels: Record<string, string>; annotations?: Record<string, string> } {
  return {
    name,
    ...(request.preview ? {} : { namespace: request.namespace }),
    labels: resourceLabels(request),
    ...(annotations ? { annotations: { ...annotations } } : {}),
  };
}

/** The in-cluster host of a Service: `<service>.<namespace>.svc`, or the bare name in a preview (its namespace is the pull request's). */
export function serviceHost(request: ProvisionRequest, service: string): string {
  return request.preview ? service : `${service}.${request.namespace}.svc`;
}

/**
 * Peers of the workload's pods, for a policy of a resource's own pods: the workload's, or every
 * idpkit workload of the namespace when the resource is shared (`id`).
 */
export function workloadPeer(request: ProvisionRequest): Record<string, unknown> {
  return request.resource.id === undefined
    ? { podSelector: { matchLabels: { 'idpkit.dev/workload': request.workload } } }
    : { podSelector: { matchExpressions: [{ key: 'idpkit.dev/workload', operator: 'Exists' }] } };
}

/** Cluster DNS as an egress flow: kube-dns in kube-system and the cloud's node-local resolvers. */
export function dnsFlow(cloud: Cloud): NetworkFlow {
  return {
    peers: [
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
      ...LINK_LOCAL_DNS_RESOLVERS[cloud].map((cidr) => ({ ipBlock: { cidr } })),
    ],
    ports: [
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ],
  };
}

/** The restricted Pod Security level's container securityContext (read-only root filesystem). */
export const RESTRICTED_CONTAINER_SECURITY_CONTEXT = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
} as const;

/** A DNS-1123 subdomain (host names, Secret names). */
export const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** What one param may be. */
export type ParamRule =
  | { readonly kind: 'integer'; readonly min: number; readonly max: number }
  | { readonly kind: 'boolean' }
  /** One of the values; a YAML number (`version: 17`) is read as its text. */
  | { readonly kind: 'choice'; readonly values: readonly string[] }
  | { readonly kind: 'text'; readonly pattern: RegExp; readonly expected: string }
  /** A number or a name (a service port). */
  | { readonly kind: 'port' };

/** A param's value once checked. */
export type ParamValue = string | number | boolean;

/** What is wrong with one param's value against its rule ("is not ..."), or undefined. */
function paramProblem(value: unknown, rule: ParamRule): string | undefined {
  switch (rule.kind) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= rule.min && value <= rule.max ? undefined : `is not a whole number from ${rule.min} to ${rule.max}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'is not true or false';
    case 'choice':
      return (typeof value === 'string' || typeof value === 'number') && rule.values.includes(String(value)) ? undefined : `is not allowed (allowed: ${rule.values.join(', ')})`;
    case 'text':
      return typeof value === 'string' && rule.pattern.test(value) ? undefined : `is not ${rule.expected}`;
    case 'port':
      return (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && value.length > 0) ? undefined : 'is not a port number or name';
  }
}

/**
 * The resource's `params`, checked against the rules: every problem (an unknown param, a bad value)
 * in one IdpkitError naming `request.at`, the param, its value and what is allowed. Choices come
 * back as text.
 */
export function readParams(request: ProvisionRequest, rules: Readonly<Record<string, ParamRule>>): Record<string, ParamValue | undefined> {
  const params = request.resource.params ?? {};
  const problems: string[] = [];
  const read: Record<string, ParamValue | undefined> = {};
  for (const [name, value] of Object.entries(params)) {
    const rule = rules[name];
    if (!rule) {
      const known = Object.keys(rules);
      problems.push(`${request.at}.params.${name} is not a param of type "${request.resource.type}" (${known.length > 0 ? `params: ${known.join(', ')}` : 'it takes none'})`);
      continue;
    }
    const problem = paramProblem(value, rule);
    if (problem) problems.push(`${request.at}.params.${name} ${describeValue(value)} ${problem}`);
    else read[name] = rule.kind === 'choice' ? String(value) : (value as ParamValue);
  }
  if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_INPUT', problems);
  return read;
}

/** Throws the IdpkitError of one bad param. */
export function paramError(request: ProvisionRequest, param: string, value: unknown, problem: string): never {
  throw new IdpkitError('IDPKIT_INVALID_INPUT', [`${request.at}.params.${param} ${describeValue(value)} ${problem}`]);
}

/** "available here: a, b" or "none is available here", for unavailable() messages. */
export function availableClasses(classes: readonly string[]): string {
  return classes.length > 0 ? `classes available here: ${classes.join(', ')}` : 'no class of it is available here';
}

/** Throws, naming the resource, when the provisioner cannot provision it here (the engine checks first; this guards direct calls). */
export function refuseUnavailable(provisioner: ResourceProvisioner, request: ProvisionRequest, resourceClass: string | undefined = request.resource.class): void {
  const problem = provisioner.unavailable(request.platform, resourceClass, request.preview);
  if (problem) throw new IdpkitError('IDPKIT_INVALID_INPUT', [`${request.at}${request.resource.class === undefined ? '' : '.class'}: ${problem}`]);
}
