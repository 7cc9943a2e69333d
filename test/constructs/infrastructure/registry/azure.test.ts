import { AzureKeyVault } from '../../../../constructs/infrastructure/keys/azure';
import { ACR_PRIVATE_DNS_ZONE, AzureContainerRegistry, AzureContainerRegistryProps, azureRegistryName } from '../../../../constructs/infrastructure/registry/azure';
import { TEST_SUBSCRIPTION, TEST_TENANT, addressOf, azureTestStack, refTo, rolesAwaited } from '../../../azure-helpers';
import { TerraformJson, onlyResource, resources } from '../../../helpers';

const SUBNET = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/snet-private-endpoints';
const VNET = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v';
const premiumProps: AzureContainerRegistryProps = {
  name: 'prod',
  subscriptionId: TEST_SUBSCRIPTION,
  resourceGroupName: 'rg-prod',
  location: 'westeurope',
  repositories: ['platform/backstage', 'apps/web'],
  privateEndpointSubnetId: SUBNET,
  virtualNetworkId: VNET,
};

let urls: Readonly<Record<string, string>> = {};
const synth = (props: Partial<AzureContainerRegistryProps> = {}, withKey = true): TerraformJson =>
  azureTestStack((stack) => {
    const vault = new AzureKeyVault(stack, 'vault', { name: 'kvtest0001', resourceGroupName: 'rg-prod', location: 'westeurope', tenantId: TEST_TENANT });
    const encryptionKey = withKey ? vault.addKey('acr', { alias: 'acr', description: 'images' }) : undefined;
    const registry = new AzureContainerRegistry(stack, 'registry', { ...premiumProps, encryptionKey, ...props });
    registry.grantPull('kubelet-object-id');
    urls = registry.repositoryUrls;
  });

const premium = synth();
const registry = onlyResource(premium, 'azurerm_container_registry');

describe('AzureContainerRegistry', () => {
  test('never accepts the admin user or anonymous pulls', () => {
    expect(registry).toMatchObject({ admin_enabled: false, anonymous_pull_enabled: false });
  });

  test('Premium: private only, no export, zone-redundant, dedicated data endpoints, untagged manifests purged after 14 days', () => {
    expect(registry).toMatchObject({
      sku: 'Premium',
      public_network_access_enabled: false,
      export_policy_enabled: false,
      zone_redundancy_enabled: true,
      data_endpoint_enabled: true,
      retention_policy_in_days: 14,
      lifecycle: { prevent_destroy: true },
    });
  });

  test('Premium: reachable through a private endpoint in the endpoints subnet, resolved by privatelink.azurecr.io linked to the VNet', () => {
    const zone = onlyResource(premium, 'azurerm_private_dns_zone');
    expect(zone.name).toBe(ACR_PRIVATE_DNS_ZONE);
    expect(onlyResource(premium, 'azurerm_private_dns_zone_virtual_network_link')).toMatchObject({
      private_dns_zone_name: refTo(premium, 'azurerm_private_dns_zone', 'name'),
      virtual_network_id: VNET,
      registration_enabled: false,
    });
    expect(onlyResource(premium, 'azurerm_private_endpoint')).toMatchObject({
      subnet_id: SUBNET,
      private_service_connection: { private_connection_resource_id: refTo(premium, 'azurerm_container_registry', 'id'), subresource_names: ['registry'], is_manual_connection: false },
      private_dns_zone_group: { name: 'registry', private_dns_zone_ids: [refTo(premium, 'azurerm_private_dns_zone', 'id')] },
    });
  });

  test('Premium: encrypts images with the customer key through its own user-assigned identity, granted before the registry exists', () => {
    const identity = (attribute: string) => refTo(premium, 'azurerm_user_assigned_identity', attribute);
    expect(registry.identity).toEqual({ type: 'UserAssigned', identity_ids: [identity('id')] });
    expect(registry.encryption).toEqual([{ key_vault_key_id: refTo(premium, 'azurerm_key_vault_key', 'versionless_id'), identity_client_id: identity('client_id') }]);
    const grant = addressOf(premium, 'azurerm_role_assignment', (a) => a.role_definition_name === 'Key Vault Crypto Service Encryption User');
    expect(json(premium, grant).principal_id).toBe(identity('principal_id'));
    expect(rolesAwaited(premium, registry)).toEqual([grant]);
  });

  test('grantPull gives AcrPull on the registry to a managed identity', () => {
    expect(resources(premium, 'azurerm_role_assignment').find((a) => a.role_definition_name === 'AcrPull')).toMatchObject({
      scope: refTo(premium, 'azurerm_container_registry', 'id'),
      principal_id: 'kubelet-object-id',
      principal_type: 'ServicePrincipal',
    });
  });

  test('exposes <login server>/<repository> for each repository (ACR creates repositories on push)', () => {
    expect(Object.keys(urls)).toEqual(['platform/backstage', 'apps/web']);
    expect(urls['apps/web']).toMatch(/\/apps\/web$/);
  });

  test('Standard: reachable over the internet with Entra ID only, no private endpoint, no retention, no customer key', () => {
    const standard = synth({ sku: 'Standard', privateEndpointSubnetId: undefined, virtualNetworkId: undefined, forceDelete: true }, false);
    const body = onlyResource(standard, 'azurerm_container_registry');
    expect(body).toMatchObject({ sku: 'Standard', public_network_access_enabled: true, admin_enabled: false });
    for (const premiumOnly of ['retention_policy_in_days', 'zone_redundancy_enabled', 'export_policy_enabled', 'encryption', 'lifecycle', 'depends_on']) {
      expect(body[premiumOnly]).toBeUndefined();
    }
    expect(resources(standard, 'azurerm_private_endpoint')).toHaveLength(0);
  });

  test('default names are acr + environment + a subscription hash: stable, 5-50 alphanumerics, distinct per subscription', () => {
    const name = azureRegistryName('azure-prod', TEST_SUBSCRIPTION);
    expect(name).toMatch(/^acrazureprod[0-9a-f]{8}$/);
    expect(registry.name).toBe(azureRegistryName('prod', TEST_SUBSCRIPTION));
    expect(azureRegistryName('a-very-long-environment-name', TEST_SUBSCRIPTION)).toMatch(/^[a-z0-9]{5,50}$/);
    expect(azureRegistryName('azure-prod', '00000000-0000-0000-0000-000000000002')).not.toBe(name);
  });

  test.each([
    ['throws when a Premium registry has no private endpoint subnet', { privateEndpointSubnetId: undefined }, 'a Premium registry is private and needs privateEndpointSubnetId and virtualNetworkId'],
    ['throws when a customer key is asked of a Standard registry', { sku: 'Standard' as const }, 'encryptionKey needs sku "Premium"'],
    ['throws when untagged images are kept longer than ACR retention allows', { untaggedImageExpiryDays: 400 }, 'untaggedImageExpiryDays 400 is longer than ACR retention allows (at most 365)'],
    ['throws when the registry name has dashes', { registryName: 'acr-prod' }, 'registryName "acr-prod" is not a registry name (5-50 letters and digits)'],
    ['throws when there is neither a name nor a subscription to derive it from', { subscriptionId: undefined }, 'registryName is missing'],
    ['throws when a repository name is not DNS-1123', { repositories: ['Apps/Web'] }, 'repository "Apps/Web" is not a repository name'],
  ])('%s', (_name, props, message) => {
    let error: any;
    try {
      synth(props);
    } catch (caught) {
      error = caught;
    }
    expect(error?.code).toBe('IDPKIT_INVALID_PROPS');
    expect(error?.message).toContain(message);
  });
});

/** The body of a resource by its address. */
function json(of: TerraformJson, address: string): any {
  const [type, name] = address.split('.');
  return of.resource[type][name];
}
