import { IdpkitError, describeValue } from '../../../core/errors';
import type { KubernetesObject } from '../../../core/manifests';
import { fitName } from '../../../core/names';
import { PLATFORM_INGRESS_LABEL } from '../../tenancy/tenancy';
import type { NetworkFlow, ProvisionRequest, Provisioned, ResourceProvisioner, ScoreServicePort, WorkloadIngress, WorkloadPlatform } from '../types';
import { DNS_SUBDOMAIN, availableClasses, objectMeta, paramError, readParams, refuseUnavailable } from './objects';

/** An Ingress class whose controller differs from the usual (a proxy in a namespace labelled for platform ingress, TLS from a Secret). */
interface IngressClassProfile {
  /** Annotations the controller reads, given the route's namespace. */
  readonly annotations: (namespace: string) => Readonly<Record<string, string>>;
  /** Where the controller's traffic comes from, besides platform ingress namespaces. */
  readonly sources: (platform: WorkloadPlatform) => readonly Record<string, unknown>[];
  /** TLS comes from the controller itself (spec.tls names hosts only, no Secret, no cert-manager). */
  readonly ownTls: boolean;
}

/**
 * Ingress classes with a controller of their own kind. `alb` (AWS Load Balancer Controller, the
 * chart's default class): an internet-facing ALB per namespace (an IngressGroup), sending to pod
 * IPs from the VPC's subnets, HTTPS with the ACM certificate the controller discovers for the
 * host (an ACM certificate covering it must exist), HTTP redirected.
 *
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/
 */
const INGRESS_CLASS_PROFILES: Readonly<Record<string, IngressClassProfile>> = {
  alb: {
    annotations: (namespace) => ({
      'alb.ingress.kubernetes.io/scheme': 'internet-facing',
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/group.name': fitName(`idpkit-${namespace}`, 63),
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]',
      'alb.ingress.kubernetes.io/ssl-redirect': '443',
    }),
    sources: (platform) => [{ ipBlock: { cidr: platform.networkCidr } }],
    ownTls: true,
  },
};

const PARAM_RULES = {
  /** The host name, usually `${resources.<dns>.host}`. */
  host: { kind: 'text', pattern: DNS_SUBDOMAIN, expected: 'a host name (lowercase letters, digits, "-" and ".", e.g. shop.apps.acme.example)' },
  /** The path prefix. */
  path: { kind: 'text', pattern: /^\/[^\s]*$/, expected: 'a path starting with "/" without spaces' },
  /** A port of the workload's `service.ports`: its number or its name. */
  port: { kind: 'port' },
} as const;

/** The service port a route sends to: `params.port` (number or name) or the first one. */
function servicePortOf(request: ProvisionRequest, port: string | number | undefined): ScoreServicePort {
  const ports = Object.entries(request.servicePorts);
  const listed = ports.map(([name, entry]) => `${name} (${entry.port})`).join(', ');
  if (ports.length === 0) throw new IdpkitError('IDPKIT_INVALID_INPUT', [`${request.at}: a route needs a port of the workload's service, and it has none: add service.ports`]);
  if (port === undefined) return ports[0][1];
  // A port from a placeholder (`${resources.x.port}`) arrives as text.
  const number = typeof port === 'string' && /^[0-9]+$/.test(port) ? Number(port) : port;
  const found = ports.find(([name, entry]) => name === port || entry.port === number);
  return found ? found[1] : paramError(request, 'port', port, `is not a port of the workload's service (service.ports: ${listed})`);
}

/** An HTTPRoute attached to the platform's Gateway. */
function httpRoute(request: ProvisionRequest, ingress: Extract<WorkloadIngress, { kind: 'gateway' }>, host: string, path: string, port: number): KubernetesObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: objectMeta(request, request.instanceName),
    spec: {
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: ingress.gatewayName, namespace: ingress.gatewayNamespace }],
      hostnames: [host],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: path } }], backendRefs: [{ name: request.workload, port }] }],
    },
  };
}

/** An Ingress of the platform's class, TLS from cert-manager when it names an issuer (or from the controller's own certificates). */
function ingressObject(request: ProvisionRequest, ingress: Extract<WorkloadIngress, { kind: 'ingress' }>, host: string, path: string, port: number): KubernetesObject {
  const profile = INGRESS_CLASS_PROFILES[ingress.className];
  const certManager = !profile?.ownTls && ingress.clusterIssuer !== undefined;
  const annotations = { ...(profile?.annotations(request.namespace) ?? {}), ...(certManager ? { 'cert-manager.io/cluster-issuer': ingress.clusterIssuer! } : {}) };
  const tls = profile?.ownTls ? [{ hosts: [host] }] : certManager ? [{ hosts: [host], secretName: `${request.instanceName}-tls` }] : undefined;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: objectMeta(request, request.instanceName, Object.keys(annotations).length > 0 ? annotations : undefined),
    spec: {
      ingressClassName: ingress.className,
      ...(tls ? { tls } : {}),
      rules: [{ host, http: { paths: [{ path, pathType: 'Prefix', backend: { service: { name: request.workload, port: { number: port } } } }] } }],
    },
  };
}

/** Where the ingress controller's traffic comes from: namespaces labelled for platform ingress, the Gateway's namespace, the class's own sources. */
function ingressSources(platform: WorkloadPlatform, ingress: WorkloadIngress): Record<string, unknown>[] {
  const labelled = { namespaceSelector: { matchLabels: { [PLATFORM_INGRESS_LABEL]: 'true' } } };
  if (ingress.kind === 'gateway') return [labelled, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ingress.gatewayNamespace } } }];
  return [labelled, ...(INGRESS_CLASS_PROFILES[ingress.className]?.sources(platform) ?? [])];
}

/**
 * `route`: HTTP traffic from outside the cluster to a port of the workload's service, for a host
 * and path prefix: an HTTPRoute on the platform's Gateway, or an Ingress of its class (TLS by
 * cert-manager's ClusterIssuer when the platform names one). external-dns writes the host's record
 * from the route; the workload's policy admits the ingress controller on the port.
 */
export const routeProvisioner: ResourceProvisioner = {
  type: 'route',
  description: 'HTTP(S) from outside the cluster to a service port: an HTTPRoute on the platform Gateway or an Ingress of its class',
  classes: [],
  outputs: {},
  unavailable(platform, resourceClass, preview) {
    if (preview) return 'type "route" is not available in previews: a preview\'s files are the same for every pull request, so their routes would collide';
    if (!platform.ingress) {
      return 'type "route" needs a way in from outside the cluster, and the environment has none: on AWS enable platform.addons.awsLoadBalancerController (Ingress class alb); idpkit installs no ingress controller or Gateway on Azure and GCP yet (see docs/workloads.md)';
    }
    return resourceClass === undefined ? undefined : `class "${resourceClass}" is not a class of route: leave class out (${availableClasses([])})`;
  },
  provision(request): Provisioned {
    refuseUnavailable(routeProvisioner, request);
    const params = readParams(request, PARAM_RULES);
    if (params.host === undefined) {
      throw new IdpkitError('IDPKIT_INVALID_INPUT', [`${request.at}.params.host ${describeValue(undefined)} is required: the host name to route, e.g. "\${resources.dns.host}"`]);
    }
    const host = params.host as string;
    const path = (params.path as string | undefined) ?? '/';
    const servicePort = servicePortOf(request, params.port as string | number | undefined);
    const ingress = request.platform.ingress!;
    const object = ingress.kind === 'gateway' ? httpRoute(request, ingress, host, path, servicePort.port) : ingressObject(request, ingress, host, path, servicePort.port);
    const flow: NetworkFlow = {
      peers: ingressSources(request.platform, ingress),
      ports: [{ protocol: servicePort.protocol ?? 'TCP', port: servicePort.targetPort ?? servicePort.port }],
    };
    return { objects: [object], outputs: {}, ingress: [flow] };
  },
};
