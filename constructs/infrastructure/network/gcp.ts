import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network';
import { ComputeRouter } from '@cdktf/provider-google/lib/compute-router';
import { ComputeRouterNat } from '@cdktf/provider-google/lib/compute-router-nat';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork';
import { Construct } from 'constructs';
import { Network, NetworkProps } from '.';
import { cidrSubnet, parseCidr } from '../../core/cidr';
import { IdpkitError, describeValue } from '../../core/errors';
import { GCP_SERVICES, requireServices } from '../../integration/services/gcp';

/** Aggregation intervals of VPC flow logs. */
export type GcpFlowLogInterval = 'INTERVAL_5_SEC' | 'INTERVAL_30_SEC' | 'INTERVAL_1_MIN' | 'INTERVAL_5_MIN' | 'INTERVAL_10_MIN' | 'INTERVAL_15_MIN';

/** Props of {@link GcpNetwork}. */
export interface GcpNetworkProps extends NetworkProps {
  /**
   * Name prefix of the network's resources: a lowercase letter, then lowercase letters, digits and
   * "-" (GCP resource names), at most 40 characters.
   */
  readonly name: string;
  /** Region of the subnet, Cloud Router and Cloud NAT, e.g. `europe-west1`. */
  readonly region: string;
  /** Share of flows that VPC flow logs record, 0 to 1. @default 0.5 */
  readonly flowLogSampling?: number;
  /** How long flow logs aggregate a connection before writing a record. @default "INTERVAL_1_MIN" */
  readonly flowLogAggregationInterval?: GcpFlowLogInterval;
}

/** Defaults of {@link GcpNetworkProps}. */
export const GCP_NETWORK_DEFAULTS = {
  flowLogSampling: 0.5,
  flowLogAggregationInterval: 'INTERVAL_1_MIN',
} as const;

/**
 * Where the subnet's ranges sit inside `cidr`, as Terraform-style `cidrsubnet(cidr, newBits, netNumber)`:
 *
 * | range | share | /16 (10.50.0.0/16) | /20 (10.60.0.0/20) |
 * |---|---|---|---|
 * | pods (secondary) | 1/2 | 10.50.0.0/17 | 10.60.0.0/21 |
 * | nodes (primary) | 1/16 | 10.50.128.0/20 | 10.60.8.0/24 |
 * | services (secondary) | 1/16 | 10.50.144.0/20 | 10.60.9.0/24 |
 * | free for later (e.g. proxy-only subnets) | 3/8 | 10.50.160.0/19, 10.50.192.0/18 | 10.60.10.0/23, 10.60.12.0/22 |
 *
 * GKE gives each node a /24 of the pod range (110 pods per node), so a /16 holds 128 nodes and a /20
 * holds 8.
 */
export const GKE_SUBNET_LAYOUT = {
  pods: { newBits: 1, netNumber: 0 },
  nodes: { newBits: 4, netNumber: 8 },
  services: { newBits: 4, netNumber: 9 },
} as const;

/** The subnet's three ranges carved from a network CIDR, per {@link GKE_SUBNET_LAYOUT}. */
export function gkeSubnetRanges(cidr: string): { readonly nodes: string; readonly pods: string; readonly services: string } {
  const carve = ({ newBits, netNumber }: { newBits: number; netNumber: number }) => cidrSubnet(cidr, newBits, netNumber);
  return { nodes: carve(GKE_SUBNET_LAYOUT.nodes), pods: carve(GKE_SUBNET_LAYOUT.pods), services: carve(GKE_SUBNET_LAYOUT.services) };
}

/** What a GKE cluster needs from its network. */
export interface GkeNetworkAttachment {
  /** Self link of the VPC network. */
  readonly networkSelfLink: string;
  /** Self link of the nodes' subnet. */
  readonly subnetSelfLink: string;
  /** The nodes' subnet's primary range (a reference): a private cluster's control plane endpoint takes its address from it. */
  readonly subnetCidr: string;
  /** Name of the subnet's secondary range for pod IPs. */
  readonly podsRangeName: string;
  /** Name of the subnet's secondary range for Service ClusterIPs. */
  readonly servicesRangeName: string;
}

/** GCP resource names: RFC 1035 labels. */
const GCP_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A custom-mode VPC for a VPC-native GKE cluster: one regional subnet with secondary ranges for
 * pods and services (layout in {@link GKE_SUBNET_LAYOUT}), Private Google Access, VPC flow logs,
 * and Cloud NAT on a Cloud Router for private nodes' egress (errors logged).
 *
 * Firewall: none added here. A custom-mode VPC starts with only the implied rules (deny all
 * ingress, allow egress); GKE adds the rules it needs itself (node-to-node, control plane to nodes
 * on 443 and 10250, pod ranges, load balancer health checks), and `GcpGkeCluster` adds one for
 * admission webhooks on other ports (`webhookPorts`).
 *
 * @see https://cloud.google.com/kubernetes-engine/docs/concepts/alias-ips
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster
 * @example
 * const network = new GcpNetwork(this, 'network', { name: 'prod', cidr: '10.51.0.0/16', region: 'europe-west1' });
 */
export class GcpNetwork extends Construct implements Network, GkeNetworkAttachment {
  /** The VPC's id, `projects/<p>/global/networks/<name>`. */
  readonly networkId: string;
  readonly networkSelfLink: string;
  /** The nodes' subnet id (the only subnet). */
  readonly privateSubnetIds: string[];
  /** The nodes' subnet id, `projects/<p>/regions/<r>/subnetworks/<name>`. */
  readonly subnetId: string;
  readonly subnetSelfLink: string;
  readonly subnetCidr: string;
  readonly podsRangeName: string;
  readonly servicesRangeName: string;
  /** The subnet's ranges: nodes (primary), pods and services (secondary). */
  readonly ranges: { readonly nodes: string; readonly pods: string; readonly services: string };

  constructor(scope: Construct, id: string, props: GcpNetworkProps) {
    super(scope, id);
    const sampling = props.flowLogSampling ?? GCP_NETWORK_DEFAULTS.flowLogSampling;
    this.validate(props, sampling);
    const dependsOn = requireServices(this, [GCP_SERVICES.compute]);
    this.ranges = gkeSubnetRanges(props.cidr);
    this.podsRangeName = `${props.name}-pods`;
    this.servicesRangeName = `${props.name}-services`;

    const network = new ComputeNetwork(this, 'vpc', {
      name: props.name,
      description: `idpkit network of ${props.name}`,
      autoCreateSubnetworks: false,
      routingMode: 'REGIONAL',
      deleteDefaultRoutesOnCreate: false,
      dependsOn,
    });
    const subnet = new ComputeSubnetwork(this, 'subnet', {
      name: `${props.name}-nodes`,
      description: `GKE nodes of ${props.name}, with pod and service ranges`,
      network: network.id,
      region: props.region,
      ipCidrRange: this.ranges.nodes,
      secondaryIpRange: [
        { rangeName: this.podsRangeName, ipCidrRange: this.ranges.pods },
        { rangeName: this.servicesRangeName, ipCidrRange: this.ranges.services },
      ],
      privateIpGoogleAccess: true,
      logConfig: {
        aggregationInterval: props.flowLogAggregationInterval ?? GCP_NETWORK_DEFAULTS.flowLogAggregationInterval,
        flowSampling: sampling,
        metadata: 'INCLUDE_ALL_METADATA',
      },
    });
    const router = new ComputeRouter(this, 'router', {
      name: `${props.name}-router`,
      description: `Cloud NAT of ${props.name}`,
      network: network.id,
      region: props.region,
    });
    new ComputeRouterNat(this, 'nat', {
      name: `${props.name}-nat`,
      router: router.name,
      region: props.region,
      natIpAllocateOption: 'AUTO_ONLY',
      sourceSubnetworkIpRangesToNat: 'ALL_SUBNETWORKS_ALL_IP_RANGES',
      logConfig: { enable: true, filter: 'ERRORS_ONLY' },
    });

    this.networkId = network.id;
    this.networkSelfLink = network.selfLink;
    this.subnetId = subnet.id;
    this.subnetSelfLink = subnet.selfLink;
    this.subnetCidr = subnet.ipCidrRange;
    this.privateSubnetIds = [subnet.id];
  }

  private validate(props: GcpNetworkProps, sampling: number): void {
    const problems: string[] = [];
    if (!GCP_NAME.test(props.name) || props.name.length > 40) {
      problems.push(`${this.node.path}: name ${describeValue(props.name)} is not a GCP resource name prefix (a lowercase letter, then lowercase letters, digits and "-", at most 40 characters)`);
    }
    const block = parseCidr(props.cidr);
    if (!block || block.prefix < 16 || block.prefix > 20) {
      problems.push(`${this.node.path}: cidr ${describeValue(props.cidr)} is not an IPv4 CIDR of /16 to /20 (expected e.g. 10.50.0.0/16)`);
    }
    if (!(sampling >= 0 && sampling <= 1)) {
      problems.push(`${this.node.path}: flowLogSampling ${sampling} is outside 0 to 1 (the share of flows recorded)`);
    }
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
  }
}
