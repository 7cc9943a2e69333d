import { DEFAULT_KARPENTER_CPU_LIMIT } from '../../constructs/capabilities/autoscaling/karpenter';
import { TIER_RULES } from '../../constructs/core/tiers';
import { MACHINE_CAPACITY, NODE_MACHINE_TYPES, NodeAllocatable, nodeAllocatable } from '../../constructs/infrastructure/cluster/node-sizes';
import type { Environment } from '../../environments/types';
import { AddonConfig, enabledConfigOf } from './addon';

/** The smaller of two nodes, dimension by dimension: what a pod can count on whichever of them it lands on. */
const smaller = (a: NodeAllocatable, b: NodeAllocatable): NodeAllocatable => ({
  cpuMillicores: Math.min(a.cpuMillicores, b.cpuMillicores),
  memoryMiB: Math.min(a.memoryMiB, b.memoryMiB),
});

/**
 * The largest node Karpenter's default NodePool can launch for a pod, as a lower bound: the
 * largest m6i size (category m, generation 6, amd64: within the NodePool's requirements) whose
 * vCPUs fit the NodePool's CPU limit and the tier's largest node (`maxNodeVcpus`, which the
 * NodePool requires). Undefined when Karpenter or its default NodePool is off.
 */
function karpenterNode(env: Environment): NodeAllocatable | undefined {
  if (env.cloud !== 'aws') return undefined;
  const karpenter = enabledConfigOf<AddonConfig & { readonly defaultNodePool?: boolean; readonly cpuLimit?: number }>(env, 'karpenter');
  if (!karpenter || karpenter.defaultNodePool === false) return undefined;
  const vcpus = Math.min(karpenter.cpuLimit ?? DEFAULT_KARPENTER_CPU_LIMIT, TIER_RULES[env.tier].maxNodeVcpus);
  const [largest] = Object.entries(MACHINE_CAPACITY.aws)
    .filter(([type, machine]) => type.startsWith('m6i.') && machine.vcpus <= vcpus)
    .sort(([, a], [, b]) => b.vcpus - a.vcpus);
  return largest ? nodeAllocatable('aws', largest[0]) : undefined;
}

/**
 * The largest node an environment gives an add-on's pods: the allocatable CPU and memory of the
 * largest on-demand node group (spot pools are tainted on AKS and may be reclaimed at any time; all
 * groups count when every group is spot), or of Karpenter's largest node when Karpenter provisions
 * on AWS. A group that mixes machine types counts as its smallest one. A pod whose requests fit this
 * node can be scheduled; add-ons size their requests against it. Undefined when no machine type is
 * in {@link MACHINE_CAPACITY}.
 */
export function largestNode(env: Environment): NodeAllocatable | undefined {
  const groups = env.cluster.nodeGroups;
  const onDemand = groups.filter((group) => group.capacityType !== 'SPOT');
  const nodes = (onDemand.length > 0 ? onDemand : groups).map((group) => {
    const allocatable = (group.instanceTypes ?? [NODE_MACHINE_TYPES[group.size!][env.cloud]]).map((type) => nodeAllocatable(env.cloud, type));
    return allocatable.every((node): node is NodeAllocatable => node !== undefined) ? allocatable.reduce(smaller) : undefined;
  });
  const candidates = [...nodes, karpenterNode(env)].filter((node): node is NodeAllocatable => node !== undefined);
  return candidates.sort((a, b) => b.memoryMiB - a.memoryMiB || b.cpuMillicores - a.cpuMillicores)[0];
}
