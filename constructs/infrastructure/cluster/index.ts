import type { EncryptionKey } from '../keys';

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

/** One group of worker nodes that an autoscaler may grow and shrink. */
export interface NodeGroupProps {
  /** Node group name, unique in the cluster. */
  readonly name: string;
  /** Instance (machine) types, all of one CPU architecture. */
  readonly instanceTypes: readonly string[];
  /** Fewest nodes. */
  readonly minSize: number;
  /** Most nodes. */
  readonly maxSize: number;
  /** Nodes at creation; afterwards the autoscaler owns the count. @default minSize */
  readonly desiredSize?: number;
  /** Root volume size. @default 50 */
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
  /** Private subnets for the control plane's network interfaces and the nodes. */
  readonly subnetIds: string[];
  /** Principal granted cluster admin (an IAM role ARN on AWS). */
  readonly adminPrincipal: string;
  /** CIDRs allowed to reach the public API endpoint; empty keeps the API private. @default [] */
  readonly publicEndpointCidrs?: readonly string[];
  /** Worker node groups. */
  readonly nodeGroups: readonly NodeGroupProps[];
  /** Days control-plane logs are kept. @default 365 */
  readonly logRetentionDays?: number;
  /** Refuse to delete the cluster until this is turned off. @default true */
  readonly deletionProtection?: boolean;
  /** Key that envelope-encrypts Kubernetes secrets. @default - a new key is created */
  readonly secretsKey?: EncryptionKey;
  /** Key that encrypts control-plane logs. @default - a new key is created */
  readonly logsKey?: EncryptionKey;
  /** Days a scheduled deletion of a key this construct creates waits. @default 30 */
  readonly keyDeletionWindowDays?: number;
}

/** Defaults of {@link KubernetesClusterProps} and {@link NodeGroupProps}: the production-safe choices. */
export const CLUSTER_DEFAULTS = {
  logRetentionDays: 365,
  deletionProtection: true,
  diskSizeGiB: 50,
  capacityType: 'ON_DEMAND',
} as const;
