import { TerraformOutput } from '../../../../constructs/core/cdktf';
import { AzureNetwork } from '../../../../constructs/infrastructure/network/azure';
import { addressOf, azureTestStack, refTo } from '../../../azure-helpers';
import { onlyResource, resources } from '../../../helpers';

let network!: AzureNetwork;
const json = azureTestStack((stack) => {
  network = new AzureNetwork(stack, 'network', { name: 'prod', cidr: '10.41.0.0/16', resourceGroupName: 'rg-prod', location: 'westeurope' });
  new TerraformOutput(stack, 'node_subnet_id', { value: network.nodeSubnetId });
});
const subnet = (name: string) => resources(json, 'azurerm_subnet').find((s) => s.name === name);

describe('AzureNetwork', () => {
  test('spans the environment CIDR with a node subnet and a private endpoints subnet carved deterministically', () => {
    expect(onlyResource(json, 'azurerm_virtual_network')).toMatchObject({ name: 'vnet-prod', address_space: ['10.41.0.0/16'], location: 'westeurope' });
    expect(subnet('snet-nodes').address_prefixes).toEqual(['10.41.0.0/17']);
    expect(subnet('snet-private-endpoints').address_prefixes).toEqual(['10.41.128.0/20']);
    expect(resources(json, 'azurerm_subnet')).toHaveLength(2);
  });

  test('a /20 network gets a /21 node subnet and a /24 endpoints subnet', () => {
    const small = azureTestStack((stack) => new AzureNetwork(stack, 'network', { name: 'lab', cidr: '10.50.16.0/20', resourceGroupName: 'rg', location: 'westeurope' }));
    expect(resources(small, 'azurerm_subnet').map((s) => s.address_prefixes[0]).sort()).toEqual(['10.50.16.0/21', '10.50.24.0/24']);
  });

  test('turns off default outbound access: the only way out is the NAT gateway', () => {
    for (const s of resources(json, 'azurerm_subnet')) expect(s.default_outbound_access_enabled).toBe(false);
  });

  test('gives the node subnet a Microsoft.Storage service endpoint, so storage firewalls can admit the nodes by subnet', () => {
    expect(subnet('snet-nodes').service_endpoints).toEqual(['Microsoft.Storage']);
    expect(subnet('snet-private-endpoints').service_endpoints).toBeUndefined();
    const none = azureTestStack((stack) => new AzureNetwork(stack, 'network', { name: 'lab', cidr: '10.50.0.0/16', resourceGroupName: 'rg', location: 'westeurope', nodeSubnetServiceEndpoints: [] }));
    expect(resources(none, 'azurerm_subnet').map((s) => s.service_endpoints)).toEqual([undefined, undefined]);
  });

  test('sends node egress through a Standard NAT gateway with its own static Standard public IP', () => {
    expect(onlyResource(json, 'azurerm_public_ip')).toMatchObject({ sku: 'Standard', allocation_method: 'Static' });
    expect(onlyResource(json, 'azurerm_nat_gateway')).toMatchObject({ sku_name: 'Standard', idle_timeout_in_minutes: 4 });
    expect(onlyResource(json, 'azurerm_nat_gateway_public_ip_association')).toEqual(
      expect.objectContaining({ nat_gateway_id: refTo(json, 'azurerm_nat_gateway', 'id'), public_ip_address_id: refTo(json, 'azurerm_public_ip', 'id') }),
    );
    expect(onlyResource(json, 'azurerm_subnet_nat_gateway_association')).toEqual(
      expect.objectContaining({ subnet_id: refTo(json, 'azurerm_subnet', 'id', (s) => s.name === 'snet-nodes'), nat_gateway_id: refTo(json, 'azurerm_nat_gateway', 'id') }),
    );
  });

  test('puts a security group with Azure default rules on each subnet', () => {
    const groups = resources(json, 'azurerm_network_security_group');
    expect(groups.map((g) => g.name).sort()).toEqual(['nsg-prod-nodes', 'nsg-prod-private-endpoints']);
    for (const group of groups) expect(group.security_rule).toBeUndefined();
    expect(resources(json, 'azurerm_subnet_network_security_group_association')).toHaveLength(2);
    expect(subnet('snet-private-endpoints').private_endpoint_network_policies).toBe('Enabled');
  });

  test('exposes the node subnet only once NAT and security group are attached, one subnet change after the other', () => {
    const nodesNsg = addressOf(json, 'azurerm_subnet_network_security_group_association', (a) => a.network_security_group_id.includes('nodes-nsg'));
    expect(json.resource.azurerm_subnet_network_security_group_association[nodesNsg.split('.')[1]].subnet_id).toBe(
      refTo(json, 'azurerm_subnet_nat_gateway_association', 'subnet_id'),
    );
    expect(json.output!.node_subnet_id.value).toBe(`\${${nodesNsg}.subnet_id}`);
    expect(network.privateSubnetIds).toEqual([network.nodeSubnetId]);
  });

  test('throws when the CIDR is not /16 to /20 or the NAT idle timeout is out of range', () => {
    expect(() =>
      azureTestStack((stack) => new AzureNetwork(stack, 'network', { name: 'x', cidr: '10.0.0.0/24', resourceGroupName: 'rg', location: 'westeurope', natIdleTimeoutMinutes: 200 })),
    ).toThrow(/cidr "10.0.0.0\/24" is not an IPv4 CIDR of \/16 to \/20[\s\S]*natIdleTimeoutMinutes 200 is outside what NAT gateway allows \(4 to 120\)/);
  });
});

describe('AzureNetwork apiServerSubnet', () => {
  let withApiServer!: AzureNetwork;
  const integrated = azureTestStack((stack) => {
    withApiServer = new AzureNetwork(stack, 'network', { name: 'prod', cidr: '10.41.0.0/16', resourceGroupName: 'rg-prod', location: 'westeurope', apiServerSubnet: true });
    new TerraformOutput(stack, 'api_server_subnet_id', { value: withApiServer.apiServerSubnetId });
  });
  const apiServer = resources(integrated, 'azurerm_subnet').find((s) => s.name === 'snet-api-server');

  test('carves a /24 after the endpoints subnet, delegated to AKS, with its own security group and no default outbound access', () => {
    expect(apiServer.address_prefixes).toEqual(['10.41.144.0/24']);
    expect(apiServer.default_outbound_access_enabled).toBe(false);
    expect(apiServer.delegation).toEqual([
      { name: 'aks-api-server', service_delegation: { name: 'Microsoft.ContainerService/managedClusters', actions: ['Microsoft.Network/virtualNetworks/subnets/join/action'] } },
    ]);
    const association = resources(integrated, 'azurerm_subnet_network_security_group_association').find((a) => a.subnet_id.includes('api-server-subnet'));
    expect(association.network_security_group_id).toBe(refTo(integrated, 'azurerm_network_security_group', 'id', (nsg) => nsg.name === 'nsg-prod-api-server'));
    expect(integrated.output!.api_server_subnet_id.value).toBe(refTo(integrated, 'azurerm_subnet_network_security_group_association', 'subnet_id', (a) => a.subnet_id.includes('api-server-subnet')));
  });

  test('is /28 in a /20 network (the smallest AKS allows), and absent unless asked for', () => {
    const small = azureTestStack((stack) => new AzureNetwork(stack, 'network', { name: 'lab', cidr: '10.50.16.0/20', resourceGroupName: 'rg', location: 'westeurope', apiServerSubnet: true }));
    expect(resources(small, 'azurerm_subnet').find((s) => s.name === 'snet-api-server').address_prefixes).toEqual(['10.50.25.0/28']);
    expect(resources(json, 'azurerm_subnet').map((s) => s.name)).not.toContain('snet-api-server');
    expect(network.apiServerSubnetId).toBeUndefined();
  });
});
