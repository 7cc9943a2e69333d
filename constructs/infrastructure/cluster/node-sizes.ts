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
