import { CLOUD_TITLES, type Cloud } from '../../core/clouds';
import { closeMatches } from '../../core/names';
import { KNOWN_MACHINE_TYPES, MACHINE_TYPES_AS_OF } from './machine-types.generated';

/** Abstract node sizes: what a node group asks for when it does not name a machine type. */
export const NODE_SIZES = ['small', 'medium', 'large', 'xlarge'] as const;

/** An abstract node size. */
export type NodeSize = (typeof NODE_SIZES)[number];

/**
 * The one table mapping abstract node sizes to each cloud's general-purpose machine type, matched
 * by vCPU and memory (reference pattern 5, "multi-cloud abstraction"). An environment can name a
 * concrete machine type instead.
 */
export const NODE_MACHINE_TYPES: Readonly<Record<NodeSize, Readonly<Record<Cloud, string>> & { readonly vcpus: number; readonly memoryGiB: number }>> = {
  small: { vcpus: 2, memoryGiB: 8, aws: 'm6i.large', azure: 'Standard_D2s_v5', gcp: 'e2-standard-2' },
  medium: { vcpus: 4, memoryGiB: 16, aws: 'm6i.xlarge', azure: 'Standard_D4s_v5', gcp: 'e2-standard-4' },
  large: { vcpus: 8, memoryGiB: 32, aws: 'm6i.2xlarge', azure: 'Standard_D8s_v5', gcp: 'e2-standard-8' },
  xlarge: { vcpus: 16, memoryGiB: 64, aws: 'm6i.4xlarge', azure: 'Standard_D16s_v5', gcp: 'e2-standard-16' },
};

/** GCP custom machine types, `<family>-custom-<vCPUs>-<MiB>[-ext]` (`custom-...` for N1). */
const GCP_CUSTOM_MACHINE_TYPE = /^(?:([a-z0-9]+)-)?custom-(\d+)-(\d+)(-ext)?$/;

/** What a GCP machine family allows in a custom machine type. */
interface GcpCustomFamily {
  /** The vCPU counts it takes. */
  readonly vcpus: readonly number[];
  /** Memory per vCPU, MiB: at least this. */
  readonly minMiBPerVcpu: number;
  /** Memory per vCPU, MiB: at most this, unless the type has extended memory. */
  readonly maxMiBPerVcpu: number;
  /** Whether `-ext` (memory beyond the maximum per vCPU) is offered. */
  readonly extendedMemory: boolean;
}

const steps = (from: number, to: number, step: number): number[] => Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);

/**
 * The families that offer custom machine types and their limits (Compute Engine, "Create a VM with
 * a custom machine type"); memory is a multiple of 256 MiB in every family.
 */
const GCP_CUSTOM_FAMILIES: Readonly<Record<string, GcpCustomFamily>> = {
  n1: { vcpus: [1, ...steps(2, 96, 2)], minMiBPerVcpu: 921.6, maxMiBPerVcpu: 6656, extendedMemory: true },
  n2: { vcpus: [...steps(2, 32, 2), ...steps(36, 128, 4)], minMiBPerVcpu: 512, maxMiBPerVcpu: 8192, extendedMemory: true },
  n2d: { vcpus: [2, 4, 8, 16, 32, 48, 64, 80, 96], minMiBPerVcpu: 512, maxMiBPerVcpu: 8192, extendedMemory: true },
  e2: { vcpus: steps(2, 32, 2), minMiBPerVcpu: 512, maxMiBPerVcpu: 8192, extendedMemory: false },
  n4: { vcpus: [...steps(2, 16, 2), ...steps(20, 80, 4)], minMiBPerVcpu: 2048, maxMiBPerVcpu: 8192, extendedMemory: false },
};

/** Lists numbers as runs: `2-32 step 2, 36-128 step 4`. */
function describeCounts(counts: readonly number[]): string {
  const runs: string[] = [];
  for (let start = 0; start < counts.length; ) {
    const step = counts[start + 1] - counts[start];
    let end = start + 1;
    while (end + 1 < counts.length && counts[end + 1] - counts[end] === step) end += 1;
    if (end - start >= 2) {
      runs.push(`${counts[start]}-${counts[end]} step ${step}`);
      start = end + 1;
    } else {
      runs.push(String(counts[start]));
      start += 1;
    }
  }
  return runs.join(', ');
}

/**
 * Why a GCP custom machine type name is not one Compute Engine offers, or undefined when it is;
 * not a custom type at all: 'not custom'.
 */
function gcpCustomMachineTypeProblem(machineType: string): string | undefined | 'not custom' {
  const match = GCP_CUSTOM_MACHINE_TYPE.exec(machineType);
  if (!match) return 'not custom';
  const [, prefix, vcpuText, memoryText, extended] = match;
  const familyName = prefix ?? 'n1';
  const family = Object.hasOwn(GCP_CUSTOM_FAMILIES, familyName) ? GCP_CUSTOM_FAMILIES[familyName] : undefined;
  const offered = Object.keys(GCP_CUSTOM_FAMILIES).map((name) => (name === 'n1' ? '`custom-` (N1)' : `\`${name}-custom-\``)).join(', ');
  if (!family) return `is a custom machine type of ${familyName}, which offers none (custom machine types: ${offered})`;
  if (/^0\d/.test(vcpuText) || /^0\d/.test(memoryText)) return 'writes a number with a leading zero (custom machine types are `<family>-custom-<vCPUs>-<memory MiB>`, e.g. `n2-custom-4-16384`)';
  const vcpus = Number(vcpuText);
  const memoryMiB = Number(memoryText);
  if (!family.vcpus.includes(vcpus)) return `asks for ${vcpus} vCPUs; ${familyName} custom machine types take ${describeCounts(family.vcpus)}`;
  if (memoryMiB % 256 !== 0) return `asks for ${memoryMiB} MiB of memory, which is not a multiple of 256 MiB (custom machine types take whole 256 MiB steps)`;
  if (extended && !family.extendedMemory) return `asks for extended memory (-ext), which ${familyName} custom machine types do not offer`;
  const least = Math.ceil((family.minMiBPerVcpu * vcpus) / 256) * 256;
  const most = family.maxMiBPerVcpu * vcpus;
  if (memoryMiB < least) return `asks for ${memoryMiB} MiB of memory; ${familyName} with ${vcpus} vCPUs takes at least ${least} MiB (${family.minMiBPerVcpu} MiB per vCPU, in 256 MiB steps)`;
  if (!extended && memoryMiB > most) {
    const ext = family.extendedMemory ? `, or name it \`${machineType}-ext\` for extended memory` : '';
    return `asks for ${memoryMiB} MiB of memory; ${familyName} with ${vcpus} vCPUs takes at most ${most} MiB (${family.maxMiBPerVcpu} MiB per vCPU${ext})`;
  }
  return undefined;
}

/** How each cloud's machine type names tell their vCPUs: AWS by size suffix, Azure and GCP by the number in the name. */
const VCPUS_FROM_NAME: Readonly<Record<Cloud, (type: string) => number | undefined>> = {
  aws: (type) => {
    const suffix = /\.(\d*)(xlarge|large|medium|small|micro|nano)$/.exec(type);
    if (!suffix) return undefined;
    const [, multiple, name] = suffix;
    if (name === 'xlarge') return 4 * (multiple === '' ? 1 : Number(multiple));
    return { large: 2, medium: 2, small: 2, micro: 2, nano: 2 }[name];
  },
  azure: (type) => {
    const match = /^Standard_[A-Za-z]+?(\d+)/.exec(type);
    return match ? Number(match[1]) : undefined;
  },
  gcp: (type) => {
    const custom = GCP_CUSTOM_MACHINE_TYPE.exec(type);
    if (custom) return Number(custom[2]);
    const match = /^[a-z0-9]+-[a-z]+-(\d+)/.exec(type);
    return match ? Number(match[1]) : type.endsWith('-micro') || type.endsWith('-small') || type.endsWith('-medium') ? 2 : undefined;
  },
};

/**
 * vCPUs of a machine type: from {@link MACHINE_CAPACITY}, else from the generated table of every
 * type the cloud offers ({@link KNOWN_MACHINE_TYPES}, as of {@link MACHINE_TYPES_AS_OF}), else read
 * from its name (`m6i.2xlarge` 8, `Standard_D4s_v5` 4, `e2-custom-6-24576` 6; also database classes
 * such as `db.r6g.large`, which policy rules size). Undefined for names that do not say.
 */
export function machineVcpus(cloud: Cloud, machineType: string): number | undefined {
  if (Object.hasOwn(MACHINE_CAPACITY[cloud], machineType)) return MACHINE_CAPACITY[cloud][machineType].vcpus;
  if (Object.hasOwn(KNOWN_MACHINE_TYPES[cloud], machineType)) return KNOWN_MACHINE_TYPES[cloud][machineType];
  return VCPUS_FROM_NAME[cloud](machineType);
}

/**
 * Why `machineType` is not a node machine type `cloud` offers, naming the closest known types, or
 * undefined when it is one: listed in {@link KNOWN_MACHINE_TYPES}, or a GCP custom machine type
 * within its family's limits (vCPU counts, memory per vCPU, 256 MiB steps, extended memory).
 */
export function machineTypeProblem(cloud: Cloud, machineType: string): string | undefined {
  if (Object.hasOwn(KNOWN_MACHINE_TYPES[cloud], machineType) || Object.hasOwn(MACHINE_CAPACITY[cloud], machineType)) return undefined;
  if (cloud === 'gcp') {
    const custom = gcpCustomMachineTypeProblem(machineType);
    if (custom !== 'not custom') return custom;
  }
  const near = closeMatches(machineType, Object.keys(KNOWN_MACHINE_TYPES[cloud]));
  return `is not a machine type ${CLOUD_TITLES[cloud]} offers (list of ${MACHINE_TYPES_AS_OF}${near.length > 0 ? `; closest: ${near.join(', ')}` : ''}; machine type names are case-sensitive)`;
}

/** What a machine type has before the kubelet reserves its share. */
export interface MachineCapacity {
  /** vCPUs. */
  readonly vcpus: number;
  /** Memory, MiB (the type's nominal size). */
  readonly memoryMiB: number;
  /**
   * AWS: the node's pod limit, which sizes the kubelet's memory reservation. EKS sets it from the
   * VPC CNI's ENI formula: ENIs x (IPv4 addresses per ENI - 1) + 2.
   */
  readonly maxPods?: number;
}

/** The CPU and memory a node offers pods: its capacity minus what the kubelet reserves and the eviction threshold. */
export interface NodeAllocatable {
  /** Allocatable CPU, millicores. */
  readonly cpuMillicores: number;
  /** Allocatable memory, MiB. */
  readonly memoryMiB: number;
}

const GIB = 1024;

/**
 * The one table of machine capacities: every machine type the presets ({@link NODE_MACHINE_TYPES})
 * and the shipped environments use, and the m6i sizes Karpenter's default NodePool can launch.
 * AWS pod limits are the ENI formula over the ENI and address counts of amazon-eks-ami's
 * `nodeadm/internal/kubelet/instance-info.jsonl`.
 */
export const MACHINE_CAPACITY: Readonly<Record<Cloud, Readonly<Record<string, MachineCapacity>>>> = {
  aws: {
    't3.large': { vcpus: 2, memoryMiB: 8 * GIB, maxPods: 35 },
    'm6a.large': { vcpus: 2, memoryMiB: 8 * GIB, maxPods: 29 },
    'm6a.xlarge': { vcpus: 4, memoryMiB: 16 * GIB, maxPods: 58 },
    'm6i.large': { vcpus: 2, memoryMiB: 8 * GIB, maxPods: 29 },
    'm6i.xlarge': { vcpus: 4, memoryMiB: 16 * GIB, maxPods: 58 },
    'm6i.2xlarge': { vcpus: 8, memoryMiB: 32 * GIB, maxPods: 58 },
    'm6i.4xlarge': { vcpus: 16, memoryMiB: 64 * GIB, maxPods: 234 },
    'm6i.8xlarge': { vcpus: 32, memoryMiB: 128 * GIB, maxPods: 234 },
    'm6i.12xlarge': { vcpus: 48, memoryMiB: 192 * GIB, maxPods: 234 },
    'm6i.16xlarge': { vcpus: 64, memoryMiB: 256 * GIB, maxPods: 737 },
    'm6i.24xlarge': { vcpus: 96, memoryMiB: 384 * GIB, maxPods: 737 },
    'm6i.32xlarge': { vcpus: 128, memoryMiB: 512 * GIB, maxPods: 737 },
  },
  azure: {
    Standard_D2s_v5: { vcpus: 2, memoryMiB: 8 * GIB },
    Standard_D4s_v5: { vcpus: 4, memoryMiB: 16 * GIB },
    Standard_D8s_v5: { vcpus: 8, memoryMiB: 32 * GIB },
    Standard_D16s_v5: { vcpus: 16, memoryMiB: 64 * GIB },
  },
  gcp: {
    'e2-standard-2': { vcpus: 2, memoryMiB: 8 * GIB },
    'e2-standard-4': { vcpus: 4, memoryMiB: 16 * GIB },
    'e2-standard-8': { vcpus: 8, memoryMiB: 32 * GIB },
    'e2-standard-16': { vcpus: 16, memoryMiB: 64 * GIB },
  },
};

/** Sums `fraction` of each band of `total`; each band ends at `upTo` (the last one at Infinity). */
const banded = (total: number, bands: readonly (readonly [upTo: number, fraction: number])[]): number =>
  bands.reduce((sum, [upTo, fraction], index) => {
    const from = index === 0 ? 0 : bands[index - 1][0];
    return sum + Math.max(0, Math.min(total, upTo) - from) * fraction;
  }, 0);

/** CPU the kubelet reserves on EKS and GKE: 6% of the first core, 1% of the second, 0.5% of the next two, 0.25% of the rest. */
const cpuReservedMillicores = (vcpus: number): number =>
  banded(vcpus * 1000, [
    [1000, 0.06],
    [2000, 0.01],
    [4000, 0.005],
    [Infinity, 0.0025],
  ]);

/** The hard eviction threshold (`memory.available`) of all three clouds' node images, MiB. */
const EVICTION_THRESHOLD_MIB = 100;

/** Pods per AKS node: the default of Azure CNI Overlay, which idpkit's AKS clusters use and which sets no `max_pods`. */
const AKS_MAX_PODS = 250;

/** AKS kube-reserved CPU by vCPU count (the row for the largest count not above the node's). */
const AKS_CPU_RESERVED_MILLICORES: readonly (readonly [vcpus: number, millicores: number])[] = [
  [1, 60],
  [2, 100],
  [4, 140],
  [8, 180],
  [16, 260],
  [32, 420],
  [64, 740],
];

/**
 * What each cloud's node image reserves for the kubelet and the OS (kube-reserved plus
 * system-reserved) from a machine's capacity, before the eviction threshold:
 * - EKS (AL2023 nodeadm, `nodeadm/internal/kubelet/config.go`): memory 11 MiB per pod + 255 MiB.
 * - AKS 1.29+ ("Node resource reservations in AKS"): memory the lesser of 20 MiB per pod + 50 MiB
 *   and 25% of the machine's; CPU from a table by core count.
 * - GKE ("Plan GKE node sizes"): memory 25% of the first 4 GiB, 20% of the next 4, 10% of the
 *   next 8, 6% of the next 112 and 2% above 128 GiB.
 */
const RESERVED: Readonly<Record<Cloud, (machine: MachineCapacity) => NodeAllocatable>> = {
  // 110 pods is the kubelet's own default, for a row without an ENI-based limit.
  aws: (machine) => ({ cpuMillicores: cpuReservedMillicores(machine.vcpus), memoryMiB: 11 * (machine.maxPods ?? 110) + 255 }),
  azure: (machine) => ({
    cpuMillicores: [...AKS_CPU_RESERVED_MILLICORES].reverse().find(([vcpus]) => vcpus <= machine.vcpus)?.[1] ?? AKS_CPU_RESERVED_MILLICORES[0][1],
    memoryMiB: Math.min(20 * AKS_MAX_PODS + 50, 0.25 * machine.memoryMiB),
  }),
  gcp: (machine) => ({
    cpuMillicores: cpuReservedMillicores(machine.vcpus),
    memoryMiB: banded(machine.memoryMiB, [
      [4 * GIB, 0.25],
      [8 * GIB, 0.2],
      [16 * GIB, 0.1],
      [128 * GIB, 0.06],
      [Infinity, 0.02],
    ]),
  }),
};

/**
 * The CPU and memory a node of this machine type offers pods: its capacity minus what the cloud's
 * node image reserves and the 100 MiB eviction threshold. An estimate from the clouds' documented
 * formulas on the type's nominal memory; the kernel keeps a little more (about 5% on an 8 GiB
 * machine), so a pod sized to the last MiB may still not fit: leave headroom. Undefined for machine
 * types {@link MACHINE_CAPACITY} does not list.
 */
export function nodeAllocatable(cloud: Cloud, machineType: string): NodeAllocatable | undefined {
  const machine = MACHINE_CAPACITY[cloud][machineType];
  if (!machine) return undefined;
  const reserved = RESERVED[cloud](machine);
  return {
    cpuMillicores: Math.floor(machine.vcpus * 1000 - reserved.cpuMillicores),
    memoryMiB: Math.floor(machine.memoryMiB - reserved.memoryMiB - EVICTION_THRESHOLD_MIB),
  };
}
