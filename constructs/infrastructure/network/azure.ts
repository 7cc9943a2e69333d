import { NatGateway } from '@cdktf/provider-azurerm/lib/nat-gateway';
import { NatGatewayPublicIpAssociation } from '@cdktf/provider-azurerm/lib/nat-gateway-public-ip-association';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNatGatewayAssociation } from '@cdktf/provider-azurerm/lib/subnet-nat-gateway-association';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { Construct } from 'constructs';
import { Network, NetworkProps } from '.';
import { cidrSubnet, parseCidr } from '../../core/cidr';
import { IdpkitError } from '../../core/errors';

/** Props of {@link AzureNetwork}. */
export interface AzureNetworkProps extends NetworkProps {
  /** Resource group of the network's resources. */
  readonly resourceGroupName: string;
  /** Azure location of the network. */
  readonly location: string;
  /** Minutes an idle outbound flow keeps its NAT port, 4 to 120. @default 4 */
  readonly natIdleTimeoutMinutes?: number;
  /**
   * Service endpoints of the node subnet: services whose firewalls then admit the nodes by subnet
   * (a storage account's `virtual_network_subnet_ids`), over the Azure backbone. Firewalls cannot
   * admit nodes by the NAT gateway's IP, because Azure storage ignores IP rules for traffic from the
   * same region. @default ["Microsoft.Storage"]
   */
  readonly nodeSubnetServiceEndpoints?: readonly string[];
  /**
   * Carve a subnet delegated to `Microsoft.ContainerService/managedClusters` for AKS API Server VNet
   * Integration ({@link AZURE_API_SERVER_SUBNET}). @default false
   */
  readonly apiServerSubnet?: boolean;
}

/**
 * Subnet layout inside the VNet, carved with `cidrsubnet` so it never depends on apply order:
 * - nodes: the first half (a /17 of a /16, a /21 of a /20). With Azure CNI Overlay only nodes take
 *   VNet addresses (pods get overlay addresses), so this holds thousands of nodes;
 * - private endpoints: the first 1/16 of the second half (a /20 of a /16, a /24 of a /20);
 * - API server (VNet integration, when asked for): the /24 after the private endpoints in a /16
 *   (a /28, the smallest AKS allows, in a /20);
 * - the rest stays free for later subnets (application gateways).
 */
export const AZURE_NODE_SUBNET = { newBits: 1, netNumber: 0 } as const;
/** Where the private endpoints subnet sits; see {@link AZURE_NODE_SUBNET}. */
export const AZURE_ENDPOINTS_SUBNET = { newBits: 4, netNumber: 8 } as const;

/** Where the API server subnet sits; see {@link AZURE_NODE_SUBNET}. */
export const AZURE_API_SERVER_SUBNET = { newBits: 8, netNumber: 144 } as const;

/** The delegation AKS API Server VNet Integration needs on its subnet. */
export const AKS_API_SERVER_SUBNET_DELEGATION = 'Microsoft.ContainerService/managedClusters';

/** NAT idle timeout when none is given: Azure's default, 4 minutes. */
export const DEFAULT_NAT_IDLE_TIMEOUT_MINUTES = 4;

/** Service endpoints of the node subnet when none are given: storage, so add-on storage accounts can admit the nodes. */
export const DEFAULT_NODE_SUBNET_SERVICE_ENDPOINTS: readonly string[] = ['Microsoft.Storage'];

/**
 * An Azure virtual network for an AKS cluster: a node subnet whose only way out to the internet is
 * a NAT gateway with its own static public IP (no default outbound access, no load balancer SNAT)
 * and a `Microsoft.Storage` service endpoint (so storage firewalls can admit the nodes), a subnet
 * for private endpoints, optionally a subnet delegated to AKS for API Server VNet Integration, and a
 * network security group on each subnet that keeps Azure's
 * default rules (traffic inside the VNet and from Azure Load Balancer allowed, inbound from the
 * internet denied). Azure CNI Overlay needs no pod subnet.
 *
 * Azure's NAT gateway is one regional resource (the Standard SKU sits in a single zone), so the
 * environment's `natGateways` layout does not apply here.
 *
 * @see https://learn.microsoft.com/azure/aks/nat-gateway
 * @see https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access
 * @example
 * const network = new AzureNetwork(this, 'network', { name: 'prod', cidr: '10.41.0.0/16', resourceGroupName: 'rg-idp-prod', location: 'westeurope' });
 */
export class AzureNetwork extends Construct implements Network {
  readonly networkId: string;
  /** The node subnet, once its NAT gateway and security group are attached. */
  readonly privateSubnetIds: string[];
  /**
   * The node subnet's id, read from its last association so that whatever uses it (the cluster)
   * waits until the NAT gateway and the security group are attached.
   */
  readonly nodeSubnetId: string;
  /** The private endpoints subnet's id, once its security group is attached. */
  readonly endpointsSubnetId: string;
  /** The API server subnet's id (delegated to AKS), once its security group is attached; only with `apiServerSubnet`. */
  readonly apiServerSubnetId?: string;
  /** The VNet's name. */
  readonly networkName: string;
  /** The NAT gateway's resource id. */
  readonly natGatewayId: string;
  /** The NAT gateway's public IP address: what the internet sees of the nodes' traffic. */
  readonly egressIpAddress: string;

  constructor(scope: Construct, id: string, props: AzureNetworkProps) {
    super(scope, id);
    const natIdleTimeoutMinutes = props.natIdleTimeoutMinutes ?? DEFAULT_NAT_IDLE_TIMEOUT_MINUTES;
    this.validate(props, natIdleTimeoutMinutes);
    const where = { resourceGroupName: props.resourceGroupName, location: props.location };

    const vnet = new VirtualNetwork(this, 'vnet', { ...where, name: `vnet-${props.name}`, addressSpace: [props.cidr] });
    const subnet = (
      subnetId: string,
      name: string,
      layout: { newBits: number; netNumber: number },
      privateEndpoints: boolean,
      serviceEndpoints: readonly string[] = [],
      delegatedTo?: string,
    ) =>
      new Subnet(this, subnetId, {
        name,
        resourceGroupName: props.resourceGroupName,
        virtualNetworkName: vnet.name,
        addressPrefixes: [cidrSubnet(props.cidr, layout.newBits, layout.netNumber)],
        defaultOutboundAccessEnabled: false,
        privateEndpointNetworkPolicies: privateEndpoints ? 'Enabled' : undefined,
        serviceEndpoints: serviceEndpoints.length > 0 ? [...serviceEndpoints] : undefined,
        delegation: delegatedTo
          ? [{ name: 'aks-api-server', serviceDelegation: { name: delegatedTo, actions: ['Microsoft.Network/virtualNetworks/subnets/join/action'] } }]
          : undefined,
      });
    const nodes = subnet('nodes-subnet', 'snet-nodes', AZURE_NODE_SUBNET, false, props.nodeSubnetServiceEndpoints ?? DEFAULT_NODE_SUBNET_SERVICE_ENDPOINTS);
    const endpoints = subnet('endpoints-subnet', 'snet-private-endpoints', AZURE_ENDPOINTS_SUBNET, true);

    const ip = new PublicIp(this, 'nat-ip', { ...where, name: `pip-${props.name}-nat`, sku: 'Standard', allocationMethod: 'Static' });
    const nat = new NatGateway(this, 'nat', { ...where, name: `ng-${props.name}`, skuName: 'Standard', idleTimeoutInMinutes: natIdleTimeoutMinutes });
    new NatGatewayPublicIpAssociation(this, 'nat-ip-association', { natGatewayId: nat.id, publicIpAddressId: ip.id });

    // One change at a time on a subnet: Azure rejects concurrent updates of the same subnet, so the
    // security group association waits for the NAT association by reading its subnet id.
    const nodesNat = new SubnetNatGatewayAssociation(this, 'nodes-nat', { subnetId: nodes.id, natGatewayId: nat.id });
    const nodesNsg = new NetworkSecurityGroup(this, 'nodes-nsg', { ...where, name: `nsg-${props.name}-nodes` });
    const nodesNsgAssociation = new SubnetNetworkSecurityGroupAssociation(this, 'nodes-nsg-association', {
      subnetId: nodesNat.subnetId,
      networkSecurityGroupId: nodesNsg.id,
    });
    const endpointsNsg = new NetworkSecurityGroup(this, 'endpoints-nsg', { ...where, name: `nsg-${props.name}-private-endpoints` });
    const endpointsNsgAssociation = new SubnetNetworkSecurityGroupAssociation(this, 'endpoints-nsg-association', {
      subnetId: endpoints.id,
      networkSecurityGroupId: endpointsNsg.id,
    });

    if (props.apiServerSubnet) {
      const apiServer = subnet('api-server-subnet', 'snet-api-server', AZURE_API_SERVER_SUBNET, false, [], AKS_API_SERVER_SUBNET_DELEGATION);
      const apiServerNsg = new NetworkSecurityGroup(this, 'api-server-nsg', { ...where, name: `nsg-${props.name}-api-server` });
      this.apiServerSubnetId = new SubnetNetworkSecurityGroupAssociation(this, 'api-server-nsg-association', {
        subnetId: apiServer.id,
        networkSecurityGroupId: apiServerNsg.id,
      }).subnetId;
    }

    this.networkId = vnet.id;
    this.networkName = vnet.name;
    this.nodeSubnetId = nodesNsgAssociation.subnetId;
    this.endpointsSubnetId = endpointsNsgAssociation.subnetId;
    this.privateSubnetIds = [this.nodeSubnetId];
    this.natGatewayId = nat.id;
    this.egressIpAddress = ip.ipAddress;
  }

  private validate(props: AzureNetworkProps, natIdleTimeoutMinutes: number): void {
    const problems: string[] = [];
    const block = parseCidr(props.cidr);
    if (!block || block.prefix < 16 || block.prefix > 20) {
      problems.push(`${this.node.path}: cidr "${props.cidr}" is not an IPv4 CIDR of /16 to /20 (expected e.g. 10.40.0.0/16)`);
    }
    if (!Number.isInteger(natIdleTimeoutMinutes) || natIdleTimeoutMinutes < 4 || natIdleTimeoutMinutes > 120) {
      problems.push(`${this.node.path}: natIdleTimeoutMinutes ${natIdleTimeoutMinutes} is outside what NAT gateway allows (4 to 120)`);
    }
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
  }
}
