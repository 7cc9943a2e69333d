import type { Cloud } from '../../core/clouds';

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
    const match = /^[a-z0-9]+-[a-z]+-(\d+)/.exec(type) ?? /^[a-z0-9]+-custom-(\d+)-\d+/.exec(type);
    return match ? Number(match[1]) : type.endsWith('-micro') || type.endsWith('-small') || type.endsWith('-medium') ? 2 : undefined;
  },
};

/**
 * vCPUs of a machine type, read from its name (`m6i.2xlarge` 8, `Standard_D4s_v5` 4,
 * `e2-standard-8` 8); undefined for names that do not say (e.g. AWS `.metal`), which tier limits
 * then cannot check.
 */
export function machineVcpus(cloud: Cloud, machineType: string): number | undefined {
  return VCPUS_FROM_NAME[cloud](machineType);
}
