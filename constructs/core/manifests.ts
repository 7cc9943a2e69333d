import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Release } from '@cdktf/provider-helm/lib/release';
import type { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { Construct } from 'constructs';
import { AssetType, DefaultTokenResolver, StringConcat, TerraformAsset, Tokenization, type TerraformResource } from './cdktf';
import { DEFAULT_RELEASE_TIMEOUT_SECONDS, stackNamespace } from './helm-addon';
import { toYaml } from './yaml';

/** A complete Kubernetes object. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** Props of {@link ManifestsRelease}. */
export interface ManifestsReleaseProps {
  /** Release name, unique in the namespace. */
  readonly releaseName: string;
  /** Namespace of the release (objects may name their own). */
  readonly namespace: string;
  /** The objects. */
  readonly manifests: readonly KubernetesObject[];
  /** Releases whose CRDs and webhooks the objects need: add-ons, or other manifests releases. */
  readonly dependsOn: readonly { readonly release: Release; readonly namespace?: string }[];
  /**
   * Conditions the release waits for after Helm applied its objects (a post-install and
   * post-upgrade hook Job runs `kubectl wait` for each, in order), so a release that depends on
   * this one starts only when, for example, a package is Healthy and the CRDs it brings are served.
   * @default [] - the release is done when Helm has applied the objects
   */
  readonly readyWhen?: readonly ReadinessCondition[];
}

/** Status condition every named object of a cluster-scoped resource type must report `True`. */
export interface ReadinessCondition {
  /** Resource type as `<plural>.<group>`, e.g. `providers.pkg.crossplane.io`; cluster-scoped. */
  readonly resource: string;
  /** The objects' names. */
  readonly names: readonly string[];
  /** Condition type, e.g. `Healthy` or `Established`. */
  readonly condition: string;
}

/**
 * The image of the readiness Job: the Kubernetes project's kubectl image (entrypoint
 * `/bin/kubectl`, no user set, so the Job sets a non-root one). v1.35 is within kubectl's
 * one-minor version skew of every cluster version idpkit supports (1.34 to 1.36).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/build/server-image/kubectl/Dockerfile
 */
export const KUBECTL_IMAGE = 'registry.k8s.io/kubectl:v1.35.1';

/** User and group of the readiness Job (the image sets none; any non-root id works for kubectl). */
const NON_ROOT_ID = 65532;

/** `providers.pkg.crossplane.io` -> group `pkg.crossplane.io`, resource `providers`. */
function groupResource(resource: string): { group: string; plural: string } {
  const dot = resource.indexOf('.');
  return dot < 0 ? { group: '', plural: resource } : { group: resource.slice(dot + 1), plural: resource.slice(0, dot) };
}

/**
 * The objects that make a release wait for its conditions: a service account allowed to read the
 * named resource types, and a Helm hook Job (after install and upgrade, deleted once it succeeded)
 * whose containers run `kubectl wait` one condition after the other. Helm waits for a hook Job
 * to complete, and fails the release (rolled back, as it is atomic) when it does not in time.
 * The pod meets the Pod Security `restricted` level.
 *
 * @see https://helm.sh/docs/topics/charts_hooks/
 */
export function readinessObjects(releaseName: string, namespace: string, conditions: readonly ReadinessCondition[], timeoutSeconds: number): KubernetesObject[] {
  const name = `${releaseName}-ready`;
  const clusterName = `idpkit:${namespace}:${name}`;
  const byGroup = new Map<string, Set<string>>();
  for (const condition of conditions) {
    const { group, plural } = groupResource(condition.resource);
    byGroup.set(group, (byGroup.get(group) ?? new Set()).add(plural));
  }
  const containers = conditions.map((condition, index) => ({
    name: `wait-${index}`,
    image: KUBECTL_IMAGE,
    args: ['wait', `--for=condition=${condition.condition}`, `--timeout=${timeoutSeconds}s`, ...condition.names.map((object) => `${condition.resource}/${object}`)],
    env: [{ name: 'HOME', value: '/tmp' }],
    resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '128Mi' } },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  }));
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: clusterName },
      // kubectl wait gets each object, then lists and watches it by a metadata.name field selector.
      rules: [...byGroup].map(([group, plurals]) => ({ apiGroups: [group], resources: [...plurals], verbs: ['get', 'list', 'watch'] })),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: clusterName },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterName },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        namespace,
        annotations: { 'helm.sh/hook': 'post-install,post-upgrade', 'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded' },
      },
      spec: {
        // A retry covers a read that races the binding or an object that is still being created.
        backoffLimit: 3,
        activeDeadlineSeconds: timeoutSeconds,
        template: {
          spec: {
            serviceAccountName: name,
            restartPolicy: 'Never',
            securityContext: { runAsNonRoot: true, runAsUser: NON_ROOT_ID, runAsGroup: NON_ROOT_ID, seccompProfile: { type: 'RuntimeDefault' } },
            initContainers: containers.slice(0, -1),
            containers: containers.slice(-1),
            volumes: [{ name: 'tmp', emptyDir: {} }],
          },
        },
      },
    },
  ];
}

/** The chart idpkit ships to apply objects: it renders `.Values.manifests` as they are. */
function manifestsChartPath(): string {
  const candidates = [join(__dirname, '..', '..', 'charts', 'idpkit-manifests'), join(__dirname, '..', '..', '..', 'charts', 'idpkit-manifests')];
  const found = candidates.find((candidate) => existsSync(join(candidate, 'Chart.yaml')));
  if (!found) throw new Error(`idpkit's manifests chart is missing (looked in ${candidates.join(', ')})`);
  return found;
}

/**
 * Kubernetes objects of kinds an add-on defines (a ClusterIssuer, an Argo CD Application),
 * applied as a Helm release of idpkit's own manifests chart after that add-on. Unlike
 * `kubernetes_manifest`, this plans before the CRDs exist, so one apply installs an add-on and its
 * objects; Helm also removes objects dropped from the list. With `readyWhen`, the release is done
 * only when those conditions hold (a Helm hook Job waits for them), so a release of objects whose
 * kinds appear asynchronously (CRDs a Crossplane package brings) can depend on it.
 *
 * @example
 * declare const issuer: KubernetesObject;  // a cert-manager ClusterIssuer
 * declare const certManager: CertManager;
 * new ManifestsRelease(this, 'issuers', { releaseName: 'cluster-issuers', namespace: 'cert-manager', manifests: [issuer], dependsOn: [certManager.addon] });
 */
export class ManifestsRelease extends Construct {
  /** The Helm release. */
  readonly release: Release;
  /** The namespace of the release. */
  readonly namespace: string;

  constructor(scope: Construct, id: string, props: ManifestsReleaseProps) {
    super(scope, id);
    this.namespace = props.namespace;
    const chart = new TerraformAsset(this, 'chart', { path: manifestsChartPath(), type: AssetType.DIRECTORY });
    const conditions = props.readyWhen ?? [];
    const readiness = conditions.length > 0 ? readinessObjects(props.releaseName, props.namespace, conditions, DEFAULT_RELEASE_TIMEOUT_SECONDS) : [];
    this.release = new Release(this, 'release', {
      name: props.releaseName,
      chart: `./${chart.path}`,
      namespace: props.namespace,
      values: [toYaml({ manifests: [...props.manifests, ...readiness] })],
      atomic: true,
      cleanupOnFail: true,
      timeout: DEFAULT_RELEASE_TIMEOUT_SECONDS,
      // Objects go in after the namespaces of theirs the stack creates (Kubernetes refuses objects in a missing namespace).
      dependsOn: [...props.dependsOn.map((addon) => addon.release), ...namespacesOf(this, props)],
    });
  }
}

/**
 * The namespaces the stack creates that the release or its objects go in, but for those of the
 * releases it depends on (which come after their namespace already).
 */
function namespacesOf(scope: Construct, props: ManifestsReleaseProps): NamespaceV1[] {
  const names = new Set([props.namespace, ...props.manifests.flatMap((object) => (object.metadata.namespace ? [object.metadata.namespace] : []))]);
  const covered = new Set(props.dependsOn.map((release) => release.namespace));
  return [...names].filter((name) => !covered.has(name)).flatMap((name) => stackNamespace(scope, name) ?? []);
}

/** A resource as `depends_on` lists it (`<type>.<id>`), for dependencies added after construction. */
export const dependencyOf = (resource: TerraformResource): string => `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;

/** What a resource's `depends_on` lists, as addresses (`<type>.<id>`): its `dependsOn` with their tokens resolved. */
export function dependenciesOf(resource: TerraformResource): string[] {
  return (resource.dependsOn ?? []).map((dependency) => String(Tokenization.resolve(dependency, { scope: resource, resolver: new DefaultTokenResolver(new StringConcat()) })));
}
