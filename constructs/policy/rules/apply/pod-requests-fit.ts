import type { Cloud } from '../../../core/clouds';
import { MACHINE_CAPACITY, NodeAllocatable, nodeAllocatable } from '../../../infrastructure/cluster/node-sizes';
import type { AppRule, AppViolation, TerraformJson } from '../../rule';
import { helmReleases, StackResource, stackResources } from '../../private/app';
import { chartName, valuesDocuments } from '../../private/helm-values';
import { block, blocks, isObject } from '../../private/terraform-json';

/** A node a pool or provisioner gives pods: what it offers and where it comes from. */
interface Node extends NodeAllocatable {
  readonly machineType: string;
  readonly source: string;
}

/** One container's requests found in a release's values, and where. */
interface Request {
  readonly cpuMillicores?: number;
  readonly memoryMiB?: number;
  readonly attribute: string;
}

/** A Kubernetes CPU quantity (`500m`, `2`, `0.5`) in millicores. */
export function cpuMillicores(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string') return undefined;
  const match = /^([0-9.]+)(m?)$/.exec(text.trim());
  return match ? Number(match[1]) * (match[2] ? 1 : 1000) : undefined;
}

const MEMORY_UNITS: Readonly<Record<string, number>> = { '': 1 / 2 ** 20, k: 1e3 / 2 ** 20, M: 1e6 / 2 ** 20, G: 1e9 / 2 ** 20, T: 1e12 / 2 ** 20, Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 ** 2 };

/** A Kubernetes memory quantity (`512Mi`, `1Gi`, `1G`, bytes) in MiB. */
export function memoryMiB(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string') return undefined;
  const match = /^([0-9.]+)([kMGT]i?|Ki)?$/.exec(text.trim());
  return match ? Number(match[1]) * MEMORY_UNITS[match[2] ?? ''] : undefined;
}

/** Which cloud a node pool type is on. */
const POOL_CLOUD: Readonly<Record<string, Cloud>> = {
  aws_eks_node_group: 'aws',
  azurerm_kubernetes_cluster: 'azure',
  azurerm_kubernetes_cluster_node_pool: 'azure',
  google_container_node_pool: 'gcp',
};

/**
 * The machine types of a node pool that takes any pod: spot pools (reclaimed at any time, tainted
 * on AKS and by idpkit on GKE) and pools with NoSchedule taints (AKS system pools with
 * CriticalAddonsOnly) do not count.
 */
function generalMachineTypes(pool: StackResource): { types: unknown[]; spot: boolean } | undefined {
  const body = pool.body;
  switch (pool.type) {
    case 'aws_eks_node_group':
      if (blocks(body.taint).some((taint) => taint.effect === 'NO_SCHEDULE')) return undefined;
      return { types: Array.isArray(body.instance_types) ? body.instance_types : [], spot: body.capacity_type === 'SPOT' };
    case 'azurerm_kubernetes_cluster': {
      const pool = block(body.default_node_pool);
      return pool && pool.only_critical_addons_enabled !== true ? { types: [pool.vm_size], spot: false } : undefined;
    }
    case 'azurerm_kubernetes_cluster_node_pool':
      if (Array.isArray(body.node_taints) && body.node_taints.some((taint) => String(taint).endsWith(':NoSchedule') && !String(taint).includes('scalesetpriority=spot'))) return undefined;
      return { types: [body.vm_size], spot: body.priority === 'Spot' };
    case 'google_container_node_pool': {
      const config = block(body.node_config) ?? {};
      if (blocks(config.taint).some((taint) => taint.effect === 'NO_SCHEDULE' && taint.key !== 'cloud.google.com/gke-spot')) return undefined;
      return { types: [config.machine_type], spot: config.spot === true || config.preemptible === true };
    }
  }
  return undefined;
}

/** The node pools of a stack, each as the smallest node it may give (a pool of several types gives any of them). */
function poolNodes(document: TerraformJson): { nodes: Node[]; unknown: boolean } {
  const pools: { node?: Node; spot: boolean }[] = [];
  for (const resource of stackResources(document)) {
    const cloud = POOL_CLOUD[resource.type];
    const general = cloud && !resource.address.startsWith('data.') ? generalMachineTypes(resource) : undefined;
    if (!cloud || !general) continue;
    const nodes = general.types.map((type): Node | undefined => {
      const allocatable = typeof type === 'string' ? nodeAllocatable(cloud, type) : undefined;
      return allocatable && { ...allocatable, machineType: String(type), source: resource.address };
    });
    const known = nodes.every((node) => node !== undefined) && nodes.length > 0;
    pools.push({ node: known ? nodes.reduce((a, b) => (a!.memoryMiB <= b!.memoryMiB ? a : b)) : undefined, spot: general.spot });
  }
  const onDemand = pools.filter((pool) => !pool.spot);
  const counted = onDemand.length > 0 ? onDemand : pools;
  return { nodes: counted.flatMap((pool) => (pool.node ? [pool.node] : [])), unknown: counted.some((pool) => !pool.node) };
}

/** Whether an AWS machine type meets a Karpenter requirement this rule can read (category, generation, vCPUs); others are assumed met. */
function meets(type: string, requirement: Record<string, unknown>): boolean {
  const values = Array.isArray(requirement.values) ? requirement.values.map(String) : [];
  const [, category, generation] = /^([a-z]+?)(\d+)/.exec(type) ?? [];
  if (requirement.key === 'karpenter.k8s.aws/instance-category' && requirement.operator === 'In') return values.includes(category?.[0] ?? '');
  if (requirement.key === 'karpenter.k8s.aws/instance-generation' && requirement.operator === 'Gt') return Number(generation) > Number(values[0]);
  if (requirement.key === 'karpenter.k8s.aws/instance-cpu' && requirement.operator === 'Lt') return MACHINE_CAPACITY.aws[type].vcpus < Number(values[0]);
  if (requirement.key === 'node.kubernetes.io/instance-type' && requirement.operator === 'In') return values.includes(type);
  return true;
}

/** The largest node each Karpenter NodePool of the stack can launch, among the AWS machine types the capacity table knows. */
function karpenterNodes(release: StackResource): Node[] {
  return valuesDocuments(release.body).flatMap(({ tree }) => {
    const objects = isObject(tree) && Array.isArray(tree.manifests) ? tree.manifests.filter(isObject) : [];
    return objects
      .filter((object) => object.kind === 'NodePool' && typeof object.apiVersion === 'string' && object.apiVersion.startsWith('karpenter.sh/'))
      .flatMap((nodePool) => {
        const spec = isObject(nodePool.spec) ? nodePool.spec : {};
        const template = isObject(spec.template) && isObject(spec.template.spec) ? spec.template.spec : {};
        const requirements = (Array.isArray(template.requirements) ? template.requirements : []).filter(isObject);
        const cpuLimit = isObject(spec.limits) ? cpuMillicores(spec.limits.cpu) : undefined;
        const [largest] = Object.entries(MACHINE_CAPACITY.aws)
          .filter(([type, machine]) => requirements.every((requirement) => meets(type, requirement)) && (cpuLimit === undefined || machine.vcpus * 1000 <= cpuLimit))
          .map(([type]) => ({ ...nodeAllocatable('aws', type)!, machineType: type, source: `${release.address} (Karpenter NodePool ${String(isObject(nodePool.metadata) ? nodePool.metadata.name : '')})` }))
          .sort((a, b) => b.memoryMiB - a.memoryMiB);
        return largest ? [largest] : [];
      });
  });
}

/**
 * Requests the chart computes where its values show none: the Loki chart's memcached caches
 * request 1.2 x `allocatedMemory` MiB of memory and `allocatedCPU` when their `resources` are empty.
 * @see https://github.com/grafana-community/helm-charts/blob/main/charts/loki/templates/memcached/_memcached-statefulset.tpl
 */
const CHART_REQUESTS: Readonly<Record<string, (values: Record<string, unknown>) => Request[]>> = {
  loki: (values) =>
    (
      [
        ['chunksCache', 8192, '500m'],
        ['resultsCache', 1024, '500m'],
      ] as const
    ).flatMap(([cache, defaultMemory, defaultCpu]) => {
      const settings = isObject(values[cache]) ? values[cache] : {};
      if (settings.enabled === false || (isObject(settings.resources) && Object.keys(settings.resources).length > 0)) return [];
      return [{ memoryMiB: Math.floor((Number(settings.allocatedMemory ?? defaultMemory) || defaultMemory) * 1.2), cpuMillicores: cpuMillicores(settings.allocatedCPU ?? defaultCpu), attribute: `${cache}.allocatedMemory` }];
    }),
};

/** Every container request a values tree holds (`resources.requests`), with its path. */
function requestsIn(node: unknown, path: string): Request[] {
  if (Array.isArray(node)) return node.flatMap((item, index) => requestsIn(item, `${path}[${index}]`));
  if (!isObject(node)) return [];
  return Object.entries(node).flatMap(([key, value]) => {
    const at = path ? `${path}.${key}` : key;
    if (key === 'resources' && isObject(value) && isObject(value.requests)) {
      return [{ cpuMillicores: cpuMillicores(value.requests.cpu), memoryMiB: memoryMiB(value.requests.memory), attribute: `${at}.requests` }];
    }
    return requestsIn(value, at);
  });
}

/** The stacks whose cluster a stack installs into: itself, and those it reads through cdktf cross-stack references. */
function clusterStacks(stack: string, document: TerraformJson): string[] {
  const states = isObject(document.data) && isObject(document.data.terraform_remote_state) ? Object.keys(document.data.terraform_remote_state) : [];
  return [stack, ...states.filter((name) => name.startsWith('cross-stack-reference-input-')).map((name) => name.slice('cross-stack-reference-input-'.length))];
}

/** Whether a node can hold a request. */
const holds = (node: Node, request: Request): boolean => (request.cpuMillicores ?? 0) <= node.cpuMillicores && (request.memoryMiB ?? 0) <= node.memoryMiB;

/**
 * IDP-APPLY-005: no container of a release requests more CPU or memory than the largest node its
 * cluster gives (the allocatable of its on-demand node pools, or of what Karpenter's NodePools
 * can launch): such a pod stays Pending, and a release Terraform waits for times out. Pools of
 * machine types the capacity table does not know make the check skip that cluster.
 */
export const podRequestsFitRule: AppRule = {
  id: 'IDP-APPLY-005',
  severity: 'error',
  summary: "No container requests more CPU or memory than the largest node of its cluster can allocate",
  fix: "Lower the component's requests (or the chart setting they derive from, e.g. Loki's chunksCache.allocatedMemory), or add a node group of a larger machine type.",
  appliesTo: 'app',
  checkApp(stacks) {
    const violations: AppViolation[] = [];
    for (const [stack, document] of Object.entries(stacks)) {
      const releases = helmReleases(document);
      if (releases.length === 0) continue;
      const pools = clusterStacks(stack, document).filter((name) => stacks[name]).map((name) => poolNodes(stacks[name]));
      if (pools.some((pool) => pool.unknown)) continue;
      const nodes = [...pools.flatMap((pool) => pool.nodes), ...releases.flatMap((release) => karpenterNodes(release))];
      if (nodes.length === 0) continue;
      const largest = [...nodes].sort((a, b) => b.memoryMiB - a.memoryMiB || b.cpuMillicores - a.cpuMillicores)[0];
      for (const release of releases) {
        const chart = chartName(release.body) ?? '';
        for (const { index, tree } of valuesDocuments(release.body)) {
          const requests = [...requestsIn(tree, ''), ...(Object.hasOwn(CHART_REQUESTS, chart) && isObject(tree) ? CHART_REQUESTS[chart](tree) : [])];
          for (const request of requests.filter((candidate) => !nodes.some((node) => holds(node, candidate)))) {
            const asked = [request.cpuMillicores !== undefined ? `${Math.round(request.cpuMillicores)}m CPU` : '', request.memoryMiB !== undefined ? `${Math.round(request.memoryMiB)} MiB memory` : ''].filter(Boolean).join(' and ');
            violations.push({
              stack,
              resource: release.address,
              attribute: `values[${index}]#${request.attribute}`,
              problem: `requests ${asked}, more than the largest node of its cluster allocates (${largest.machineType} from ${largest.source}: ${largest.cpuMillicores}m CPU, ${largest.memoryMiB} MiB), so the pod stays Pending`,
            });
          }
        }
      }
    }
    return violations;
  },
};
