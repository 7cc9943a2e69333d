/** A private network for one environment's cluster, whatever the cloud. */
export interface Network {
  /** The network's id (VPC id on AWS and GCP, VNet id on Azure). */
  readonly networkId: string;
  /** Subnets for nodes and internal load balancers. */
  readonly privateSubnetIds: string[];
}

/** NAT layouts: one shared gateway (cheap) or one per zone (survives a zone outage). */
export type NatGatewayLayout = 'single' | 'one-per-az';

/** Props every cloud's network takes. */
export interface NetworkProps {
  /** Name prefix of the network's resources, e.g. the environment name. */
  readonly name: string;
  /** Address range, /16 to /20. */
  readonly cidr: string;
}

/** Defaults of the networks' props: the production-safe choices (where the construct tree sets a tier, its rules give `natGateways` and `flowLogRetentionDays`). */
export const NETWORK_DEFAULTS = {
  availabilityZoneCount: 3,
  natGateways: 'one-per-az',
  flowLogRetentionDays: 365,
} as const;
