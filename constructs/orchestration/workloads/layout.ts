import type { KubernetesObject } from '../../core/manifests';
import { toYaml } from '../../core/yaml';
import type { RenderedWorkload, RenderOptions, WorkloadPlatform } from './types';

/**
 * The namespace Argo CD runs in and its in-cluster destination (as `gitops/argocd.ts` installs
 * it; not imported from there, which loads cdktf: the engine is plain functions).
 */
const ARGOCD_NAMESPACE = 'argocd';
const IN_CLUSTER = 'https://kubernetes.default.svc';

/** The folder of shared resources' objects, beside the workloads' folders (workload names are DNS labels, so none is `_shared`). */
export const SHARED_FOLDER = '_shared';

/** Kinds a workloads project may not sync: the namespace's quota and container defaults belong to the platform. */
const PLATFORM_OWNED_KINDS = ['ResourceQuota', 'LimitRange'];

/** The directory (relative to the GitOps path) holding a namespace's workloads. */
export const workloadsDirectory = (namespace: string): string => `workloads/${namespace}`;

/**
 * The Argo CD AppProject and Application that sync a namespace's workloads: the project allows
 * only the GitOps repository as source, only `<namespace>` of the in-cluster server as destination,
 * no cluster-scoped kinds (none is whitelisted) and not the platform's quota kinds; the
 * Application syncs `<gitops.path>/workloads/<namespace>` recursively, pruning and self-healing.
 */
export function workloadsApplicationObjects(namespace: string, gitops: NonNullable<WorkloadPlatform['gitops']>): KubernetesObject[] {
  const name = `workloads-${namespace}`;
  const labels = { 'app.kubernetes.io/managed-by': 'idpkit' };
  return [
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name, namespace: ARGOCD_NAMESPACE, labels },
      spec: {
        description: `Score workloads of namespace ${namespace}`,
        sourceRepos: [gitops.repoUrl],
        destinations: [{ server: IN_CLUSTER, namespace }],
        clusterResourceWhitelist: [],
        namespaceResourceBlacklist: PLATFORM_OWNED_KINDS.map((kind) => ({ group: '', kind })),
      },
    },
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name, namespace: ARGOCD_NAMESPACE, labels },
      spec: {
        project: name,
        source: { repoURL: gitops.repoUrl, targetRevision: gitops.revision, path: `${gitops.path}/${workloadsDirectory(namespace)}`, directory: { recurse: true } },
        destination: { server: IN_CLUSTER, namespace },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    },
  ];
}

/** The file of one object: `<kind-lowercase>-<name>.yaml`. */
const objectFile = (object: KubernetesObject): string => `${object.kind.toLowerCase()}-${object.metadata.name}.yaml`;

/**
 * The output layout of rendered workloads (docs/workloads.md), path -> YAML, sorted by path:
 * `workloads-<namespace>.yaml` (AppProject and Application, when the environment runs Argo CD),
 * `workloads/<namespace>/<workload>/<kind>-<name>.yaml` per object and
 * `workloads/<namespace>/_shared/...` for shared resources. In previews: `<workload>/...` and
 * `_shared/...` only, relative to the preview ApplicationSet's path.
 */
export function layoutFiles(
  rendered: { readonly workloads: readonly RenderedWorkload[]; readonly shared: readonly KubernetesObject[] },
  platform: WorkloadPlatform,
  options: RenderOptions,
): Record<string, string> {
  const preview = options.preview ?? false;
  const root = preview ? '' : `${workloadsDirectory(options.namespace)}/`;
  const files = new Map<string, string>();
  // Names are unique by kind in the namespace (renderWorkloads refuses clashes), so are file names.
  const add = (folder: string, object: KubernetesObject) => files.set(`${root}${folder}/${objectFile(object)}`, toYaml(object));
  for (const workload of rendered.workloads) for (const object of workload.objects) add(workload.name, object);
  for (const object of rendered.shared) add(SHARED_FOLDER, object);
  if (!preview && platform.gitops) files.set(`workloads-${options.namespace}.yaml`, workloadsApplicationObjects(options.namespace, platform.gitops).map(toYaml).join('---\n'));
  return Object.fromEntries([...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}
