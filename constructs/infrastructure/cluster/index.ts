import type { Cloud } from '../../core/clouds';

/** A managed Kubernetes cluster, whatever the cloud: what later stacks need to reach and trust it. */
export interface KubernetesCluster {
  /** Cluster name. */
  readonly clusterName: string;
  /** API server URL. */
  readonly endpoint: string;
  /** Base64-encoded certificate authority data of the API server. */
  readonly certificateAuthorityData: string;
  /** OIDC issuer URL of the cluster's service account tokens (for workload identity). */
  readonly oidcIssuerUrl: string;
}

/** One group of worker nodes (node pool) that an autoscaler may grow and shrink. */
export interface NodeGroupProps {
  /** Node group name, unique in the cluster. */
  readonly name: string;
  /** Machine types: one or more of one CPU architecture on AWS, exactly one on Azure and GCP. */
  readonly instanceTypes: readonly string[];
  /** Fewest nodes. */
  readonly minSize: number;
  /** Most nodes. */
  readonly maxSize: number;
  /** Nodes at creation; afterwards the autoscaler owns the count. @default minSize */
  readonly desiredSize?: number;
  /** Root disk size. @default 50 */
  readonly diskSizeGiB?: number;
  /** ON_DEMAND or SPOT. @default "ON_DEMAND" */
  readonly capacityType?: 'ON_DEMAND' | 'SPOT';
  /** Kubernetes labels on the nodes. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Props every cloud's cluster takes. */
export interface KubernetesClusterProps {
  /** Cluster name. */
  readonly name: string;
  /** Kubernetes version, pinned (e.g. "1.35"). */
  readonly kubernetesVersion: string;
  /** Who gets cluster admin: an IAM role ARN (AWS), an Entra ID group object id (Azure), an IAM member (GCP). */
  readonly adminPrincipal: string;
  /** CIDRs allowed to reach the public API endpoint; empty keeps the API private. @default [] */
  readonly publicEndpointCidrs?: readonly string[];
  /** Worker node groups. */
  readonly nodeGroups: readonly NodeGroupProps[];
  /** Refuse to delete the cluster until this is turned off. @default - the tier's `deletionProtection` (prod only); true without a tier */
  readonly deletionProtection?: boolean;
  /**
   * Escape hatch: Terraform attribute paths and values set as they are on the cluster resource
   * (cdktf `addOverride`), for settings idpkit does not model. @default {}
   */
  readonly terraformOverrides?: Readonly<Record<string, unknown>>;
}

/** Defaults of {@link KubernetesClusterProps} and {@link NodeGroupProps}: the production-safe choices (where the construct tree sets a tier, its rules give `logRetentionDays` and `deletionProtection`). */
export const CLUSTER_DEFAULTS = {
  logRetentionDays: 365,
  deletionProtection: true,
  diskSizeGiB: 50,
  capacityType: 'ON_DEMAND',
} as const;

/**
 * The label each cloud puts on spot nodes, which is also their taint (`<key>=<value>:NoSchedule`),
 * so that only pods that tolerate it run on capacity that can be taken away: AKS taints spot pools
 * so itself; idpkit taints EKS and GKE spot pools the same way. A workload opts in with the
 * toleration and, to prefer or require spot, a node selector or affinity on the label.
 *
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/spot-vms
 * @see https://learn.microsoft.com/azure/aks/spot-node-pool
 * @see https://docs.aws.amazon.com/eks/latest/userguide/managed-node-groups.html
 */
export const SPOT_NODE_TAINT: Readonly<Record<Cloud, { readonly key: string; readonly value: string }>> = {
  aws: { key: 'eks.amazonaws.com/capacityType', value: 'SPOT' },
  azure: { key: 'kubernetes.azure.com/scalesetpriority', value: 'spot' },
  gcp: { key: 'cloud.google.com/gke-spot', value: 'true' },
};

/** Checks every cloud applies to cluster props; returns one message per problem. */
export function clusterPropProblems(path: string, props: KubernetesClusterProps, supportedVersions: readonly string[]): string[] {
  const problems: string[] = [];
  if (!supportedVersions.includes(props.kubernetesVersion)) {
    problems.push(`${path}: kubernetesVersion "${props.kubernetesVersion}" is not supported (allowed: ${supportedVersions.join(', ')})`);
  }
  if (props.nodeGroups.length === 0) problems.push(`${path}: nodeGroups is empty (define at least one node group)`);
  if (props.nodeGroups.length > 0 && props.nodeGroups.every((group) => group.capacityType === 'SPOT')) {
    problems.push(
      `${path}: every node group is SPOT (${props.nodeGroups.map((group) => group.name).join(', ')}); spot nodes are tainted, so add an ON_DEMAND group for the pods that do not tolerate it`,
    );
  }
  props.nodeGroups.forEach((group) => {
    const desired = group.desiredSize ?? group.minSize;
    if (group.minSize > group.maxSize || desired < group.minSize || desired > group.maxSize) {
      problems.push(`${path}: node group "${group.name}" sizes min ${group.minSize} / desired ${desired} / max ${group.maxSize} are not ordered (need min <= desired <= max)`);
    }
  });
  return problems;
}

/**
 * The cluster tag (label) naming what enforces NetworkPolicies when the cloud's network plugin
 * does not say it itself (e.g. `cilium` installed on EKS by the `<env>-platform` stack); policy
 * rule IDP-AWS-026 reads it.
 */
export const NETWORK_POLICY_ENGINE_TAG = 'idpkit.dev/network-policy-engine';

/**
 * The cluster tag naming what adds nodes for pending pods where the node groups do not grow by
 * themselves (EKS managed node groups: `karpenter`, installed by the `<env>-platform` stack);
 * policy rule IDP-AWS-028 reads it.
 */
export const NODE_PROVISIONER_TAG = 'idpkit.dev/node-provisioner';

/** The tag Karpenter finds a cluster's subnets and security groups by; its value is the cluster name. */
export const KARPENTER_DISCOVERY_TAG = 'karpenter.sh/discovery';
