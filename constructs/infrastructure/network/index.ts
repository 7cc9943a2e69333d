import type { EncryptionKey } from '../keys';

/** A private network for one environment's cluster, whatever the cloud. */
export interface Network {
  /** The network's id (VPC id on AWS). */
  readonly networkId: string;
  /** Subnets for nodes and internal load balancers, one per availability zone. */
  readonly privateSubnetIds: string[];
  /** Subnets for internet-facing load balancers and NAT, one per availability zone. */
  readonly publicSubnetIds: string[];
}

/** NAT layouts: one shared gateway (cheap) or one per zone (survives a zone outage). */
export type NatGatewayLayout = 'single' | 'one-per-az';

/** Props every cloud's network takes. */
export interface NetworkProps {
  /** Name prefix of the network's resources, e.g. the environment name. */
  readonly name: string;
  /** Address range, /16 to /20. */
  readonly cidr: string;
  /** Availability zones to span. @default 3 */
  readonly availabilityZoneCount?: 2 | 3;
  /** NAT gateways for private egress. @default "one-per-az" */
  readonly natGateways?: NatGatewayLayout;
  /** Days flow logs are kept. @default 365 */
  readonly flowLogRetentionDays?: number;
  /** Key that encrypts the flow logs. @default - a new key is created */
  readonly logsKey?: EncryptionKey;
  /** Days a scheduled deletion of a key this construct creates waits. @default 30 */
  readonly keyDeletionWindowDays?: number;
}

/** Defaults of {@link NetworkProps}: the production-safe choices. */
export const NETWORK_DEFAULTS = {
  availabilityZoneCount: 3,
  natGateways: 'one-per-az',
  flowLogRetentionDays: 365,
} as const;
