import type { AppRule, AppViolation, TerraformJson } from '../../rule';
import { dependencyClosure, isLiteral, StackResource, stackResources, waitsForPods } from '../../private/app';
import { valuesDocuments } from '../../private/helm-values';
import { isObject } from '../../private/terraform-json';

/** A Secret or ConfigMap, by namespace and name; or a Namespace (whose own namespace is empty). */
interface ObjectKey {
  readonly kind: 'Secret' | 'ConfigMap' | 'Namespace';
  readonly namespace: string;
  readonly name: string;
}

/** The key of a namespace. */
const namespaceKey = (name: string): ObjectKey => ({ kind: 'Namespace', namespace: '', name });

/** Where a Secret or ConfigMap is named: by which resource, at which attribute. */
interface Mention extends ObjectKey {
  readonly address: string;
  readonly attribute: string;
}

const keyOf = (key: ObjectKey) => `${key.kind}/${key.namespace}/${key.name}`;

/** The namespace of a release or object: a literal, or the name of the stack's namespace resource it refers to. */
function namespaceName(document: TerraformJson, value: unknown): string {
  if (!isLiteral(value)) {
    const match = typeof value === 'string' ? /^\$\{(kubernetes_namespace(?:_v1)?)\.([^.]+)\.metadata\[0\]\.name\}$/.exec(value) : null;
    const namespace = match && isObject(document.resource) ? (document.resource as Record<string, Record<string, TerraformJson>>)[match[1]]?.[match[2]] : undefined;
    const metadata = namespace && (Array.isArray(namespace.metadata) ? namespace.metadata[0] : namespace.metadata);
    return isObject(metadata) && isLiteral(metadata.name) ? metadata.name : String(value ?? 'default');
  }
  return value;
}

/** Kinds whose bodies describe other objects (schemas, templates): what they name is not a use. */
const TEMPLATE_KINDS = new Set(['CustomResourceDefinition', 'CompositeResourceDefinition', 'Composition']);

/** The Secrets an object makes exist: itself, or what its controller writes (External Secrets, cert-manager, CloudNativePG, Crossplane). */
function madeBy(object: Record<string, unknown>, namespace: string): ObjectKey[] {
  const spec = isObject(object.spec) ? object.spec : {};
  const name = isObject(object.metadata) ? object.metadata.name : undefined;
  const secret = (secretName: unknown, ns = namespace): ObjectKey[] => (isLiteral(secretName) ? [{ kind: 'Secret', namespace: ns, name: secretName }] : []);
  const apiGroup = typeof object.apiVersion === 'string' ? object.apiVersion.split('/')[0] : '';
  const made: ObjectKey[] = [];
  if (object.kind === 'Secret' || object.kind === 'ConfigMap') made.push(...(isLiteral(name) ? [{ kind: object.kind, namespace, name } as ObjectKey] : []));
  if (object.kind === 'Namespace' && isLiteral(name)) made.push(namespaceKey(name));
  if (object.kind === 'ExternalSecret') made.push(...secret((isObject(spec.target) && spec.target.name) || name));
  if (object.kind === 'ClusterExternalSecret') {
    const inner = isObject(spec.externalSecretSpec) ? spec.externalSecretSpec : {};
    const target = (isObject(inner.target) && inner.target.name) || spec.externalSecretName || name;
    for (const ns of Array.isArray(spec.namespaces) ? spec.namespaces : []) made.push(...secret(target, String(ns)));
  }
  if (object.kind === 'Certificate' && apiGroup === 'cert-manager.io') made.push(...secret(spec.secretName));
  // CloudNativePG writes <cluster>-app (the owner's credentials), -ca, -server and -replication; -superuser on request.
  if (object.kind === 'Cluster' && apiGroup === 'postgresql.cnpg.io' && isLiteral(name)) {
    for (const suffix of ['app', 'ca', 'server', 'replication', ...(spec.enableSuperuserAccess === true ? ['superuser'] : [])]) made.push(...secret(`${name}-${suffix}`));
  }
  const connection = isObject(spec.writeConnectionSecretToRef) ? spec.writeConnectionSecretToRef : undefined;
  if (connection) made.push(...secret(connection.name, isLiteral(connection.namespace) ? connection.namespace : namespace));
  return made;
}

/** Receives a Secret or ConfigMap a tree names: its kind, the name (a literal or not), where, and the namespace it gives, if any. */
type Found = (kind: ObjectKey['kind'], name: unknown, path: string, namespace?: unknown) => void;

/** Whether an Ingress-shaped object asks cert-manager for its TLS secrets (the ingress-shim annotations). */
const certManagerIngress = (node: Record<string, unknown>): boolean =>
  isObject(node.annotations) && Object.keys(node.annotations).some((key) => key === 'cert-manager.io/cluster-issuer' || key === 'cert-manager.io/issuer');

/**
 * The Secrets and ConfigMaps a values tree or object names, in the shapes Kubernetes and charts
 * use: `secretKeyRef`, `secretRef`/`configMapRef` (envFrom), volumes' `secret.secretName` and
 * `configMap.name`, `existingSecret`, `extraEnvVarsSecrets`, Argo CD's `tokenRef`, External
 * Secrets' `caProvider`, `imagePullSecrets`, and TLS secrets of ingresses that cert-manager does
 * not issue.
 */
function mentions(node: unknown, namespace: string, path: string, found: Found, made: (key: ObjectKey) => void): void {
  if (Array.isArray(node)) {
    node.forEach((item, index) => mentions(item, namespace, `${path}[${index}]`, found, made));
    return;
  }
  if (!isObject(node)) return;
  if (typeof node.kind === 'string' && TEMPLATE_KINDS.has(node.kind)) return;
  for (const [key, value] of Object.entries(node)) {
    const at = path ? `${path}.${key}` : key;
    if (isObject(value)) {
      if (key === 'secretKeyRef' || key === 'secretRef') found('Secret', value.name, `${at}.name`, value.namespace);
      if (key === 'configMapKeyRef' || key === 'configMapRef') found('ConfigMap', value.name, `${at}.name`, value.namespace);
      if (key === 'secret') found('Secret', value.secretName, `${at}.secretName`);
      if (key === 'configMap') found('ConfigMap', value.name, `${at}.name`);
      if (key === 'tokenRef') found('Secret', value.secretName, `${at}.secretName`);
      if (key === 'caProvider' && value.type === 'Secret') found('Secret', value.name, `${at}.name`, value.namespace);
    }
    if (key === 'existingSecret') found('Secret', value, at);
    if (key === 'extraEnvVarsSecrets' && Array.isArray(value)) value.forEach((name, index) => found('Secret', name, `${at}[${index}]`));
    if (key === 'imagePullSecrets' && Array.isArray(value)) value.forEach((entry, index) => found('Secret', isObject(entry) ? entry.name : entry, `${at}[${index}]`));
    if (key === 'tls') {
      const entries = (Array.isArray(value) ? value : [value]).filter(isObject);
      entries.forEach((entry, index) => {
        if (!isLiteral(entry.secretName)) return;
        if (certManagerIngress(node)) made({ kind: 'Secret', namespace, name: entry.secretName });
        else found('Secret', entry.secretName, `${at}${Array.isArray(value) ? `[${index}]` : ''}.secretName`);
      });
      continue;
    }
    mentions(value, namespace, at, found, made);
  }
}

/** What one stack makes and names. */
function survey(document: TerraformJson): { made: Map<string, string[]>; named: Mention[] } {
  const made = new Map<string, string[]>();
  const make = (key: ObjectKey, address: string) => made.set(keyOf(key), [...(made.get(keyOf(key)) ?? []), address]);
  const named: Mention[] = [];
  const kubernetesKinds: Readonly<Record<string, ObjectKey['kind']>> = {
    kubernetes_secret: 'Secret',
    kubernetes_secret_v1: 'Secret',
    kubernetes_config_map: 'ConfigMap',
    kubernetes_config_map_v1: 'ConfigMap',
  };
  for (const resource of stackResources(document)) {
    if (resource.address.startsWith('data.')) continue;
    const kind = kubernetesKinds[resource.type];
    const metadata = Array.isArray(resource.body.metadata) ? resource.body.metadata[0] : resource.body.metadata;
    if (kind && isObject(metadata) && isLiteral(metadata.name)) make({ kind, namespace: namespaceName(document, metadata.namespace), name: metadata.name }, resource.address);
    if ((resource.type === 'kubernetes_namespace' || resource.type === 'kubernetes_namespace_v1') && isObject(metadata) && isLiteral(metadata.name)) make(namespaceKey(metadata.name), resource.address);
    if (resource.type === 'kubernetes_manifest' && isObject(resource.body.manifest)) {
      const object = resource.body.manifest;
      const ns = namespaceName(document, isObject(object.metadata) ? object.metadata.namespace : undefined);
      for (const key of madeBy(object, ns)) make(key, resource.address);
      const found: Found = (kind, name, path, namespace) => {
        if (isLiteral(name)) named.push({ kind, name, namespace: isLiteral(namespace) ? namespace : ns, address: resource.address, attribute: path });
      };
      mentions(object, ns, 'manifest', found, (key) => make(key, resource.address));
    }
    if (resource.type === 'helm_release') surveyRelease(document, resource, make, named);
  }
  return { made, named };
}

/** A release's values: the objects of a manifests chart (`manifests: [...]`) make and name; a chart's values name. */
function surveyRelease(document: TerraformJson, release: StackResource, make: (key: ObjectKey, address: string) => void, named: Mention[]): void {
  const releaseNamespace = namespaceName(document, release.body.namespace);
  if (release.body.create_namespace === true) make(namespaceKey(releaseNamespace), release.address);
  named.push({ ...namespaceKey(releaseNamespace), address: release.address, attribute: 'namespace' });
  for (const { index, tree } of valuesDocuments(release.body)) {
    const record = (namespace: string, prefix: string): Found => (kind, value, path, ownNamespace) => {
      if (isLiteral(value)) named.push({ kind, name: value, namespace: isLiteral(ownNamespace) ? ownNamespace : namespace, address: release.address, attribute: `values[${index}]#${prefix}${path}` });
    };
    const objects = isObject(tree) && Array.isArray(tree.manifests) ? tree.manifests.filter(isObject) : undefined;
    if (!objects) {
      mentions(tree, releaseNamespace, '', record(releaseNamespace, ''), (key) => make(key, release.address));
      continue;
    }
    objects.forEach((object, position) => {
      const namespace = isObject(object.metadata) && isLiteral(object.metadata.namespace) ? object.metadata.namespace : releaseNamespace;
      if (namespace !== releaseNamespace) named.push({ ...namespaceKey(namespace), address: release.address, attribute: `values[${index}]#manifests[${position}].metadata.namespace` });
      for (const key of madeBy(object, namespace)) make(key, release.address);
      mentions(object, namespace, '', record(namespace, `manifests[${position}].`), (key) => make(key, release.address));
    });
  }
}

/**
 * IDP-APPLY-001: every Secret and ConfigMap a release's values or a manifest names is created by
 * something in the same stack (a chart's manifests, an ExternalSecret's target, a cert-manager
 * Certificate, a CloudNativePG cluster, a Crossplane claim's connection secret, a
 * `kubernetes_secret_v1`), and, when Terraform waits for the release, by something installed
 * before it. Otherwise its pods never start and the release times out. Likewise a release, and
 * each object it applies, comes after the namespace the stack creates for it (Kubernetes refuses
 * objects in a namespace that does not exist yet).
 */
export const secretReferencesRule: AppRule = {
  id: 'IDP-APPLY-001',
  severity: 'error',
  summary: 'Every Secret and ConfigMap a release or manifest names is created in the app, before the release that waits for it; objects go in after the namespace the stack creates for them',
  fix: 'Create the Secret in the stack (an ExternalSecret from the cloud secret manager or an External Secrets generator, a Certificate, a CloudNativePG cluster) and make the release depend on what creates it; never put the value itself in Terraform.',
  appliesTo: 'app',
  checkApp(stacks) {
    const violations: AppViolation[] = [];
    for (const [stack, document] of Object.entries(stacks)) {
      const { made, named } = survey(document);
      const before = dependencyClosure(document);
      const bodies = new Map(stackResources(document).map((resource) => [resource.address, resource.body]));
      const reported = new Set<string>();
      for (const mention of named) {
        const seen = `${mention.address}|${keyOf(mention)}`;
        if (reported.has(seen)) continue;
        const makers = made.get(keyOf(mention)) ?? [];
        const ordered = makers.some((maker) => maker === mention.address || before(mention.address).has(maker));
        if (mention.kind === 'Namespace') {
          // Namespaces nothing in the stack creates exist already (kube-system, default); one the stack creates must come first.
          if (makers.length > 0 && !ordered) {
            reported.add(seen);
            violations.push({ stack, resource: mention.address, attribute: mention.attribute, problem: `puts objects in namespace "${mention.name}", but ${makers.join(', ')}, which creates it, is not applied before it (no reference or depends_on)` });
          }
          continue;
        }
        const what = `${mention.kind} "${mention.name}" in namespace "${mention.namespace}"`;
        const body = bodies.get(mention.address) ?? {};
        if (makers.length === 0) {
          reported.add(seen);
          violations.push({ stack, resource: mention.address, attribute: mention.attribute, problem: `names ${what}, which nothing in the stack creates` });
        } else if (waitsForPods(body) && !ordered) {
          reported.add(seen);
          violations.push({
            stack,
            resource: mention.address,
            attribute: mention.attribute,
            problem: `waits for pods that read ${what}, but ${makers.join(', ')}, which creates it, is not installed before it (no reference or depends_on)`,
          });
        }
      }
    }
    return violations;
  },
};
