import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { TerraformStack, Testing } from '../../../../constructs/core/cdktf';
import { alphanumeric, azureNameSuffix, createAzureProvider } from '../../../../constructs/integration/provider/azure';
import { TEST_SUBSCRIPTION, TEST_TENANT, azureTestStack } from '../../../azure-helpers';
import { onlyResource, synthJson } from '../../../helpers';

describe('createAzureProvider', () => {
  const json = azureTestStack((stack) => {
    new ResourceGroup(stack, 'plain', { name: 'rg-plain', location: 'westeurope' });
    new ResourceGroup(stack, 'own-tags', { name: 'rg-own', location: 'westeurope', tags: { team: 'payments', owner: 'someone-else' } });
    new RoleAssignment(stack, 'untaggable', { scope: '/subscriptions/x', roleDefinitionName: 'Reader', principalId: 'p' });
  });
  const groups = json.resource.azurerm_resource_group;

  test('pins the subscription and tenant, uses Entra ID for storage data planes, manages storage through ARM only and configures no credentials', () => {
    expect(json.provider!.azurerm).toEqual([
      { features: [{ storage: [{ data_plane_available: false }] }], subscription_id: TEST_SUBSCRIPTION, tenant_id: TEST_TENANT, storage_use_azuread: true },
    ]);
  });

  test('tags every taggable azurerm resource with environment, owner, cost center and managed-by', () => {
    const plain = Object.values(groups).find((g: any) => g.name === 'rg-plain') as any;
    expect(plain.tags).toEqual({ environment: 'test', owner: 'team', 'cost-center': 'cc', 'managed-by': 'idpkit' });
  });

  test("keeps a resource's own tags, but never lets them override the four standard tags", () => {
    const own = Object.values(groups).find((g: any) => g.name === 'rg-own') as any;
    expect(own.tags).toEqual({ team: 'payments', environment: 'test', owner: 'team', 'cost-center': 'cc', 'managed-by': 'idpkit' });
  });

  test('leaves resources without tags alone', () => {
    expect(onlyResource(json, 'azurerm_role_assignment').tags).toBeUndefined();
  });

  test('extra tags reach every resource, and a resource tag wins over an extra tag', () => {
    const stack = new TerraformStack(Testing.app(), 'extras');
    createAzureProvider(stack, 'azurerm', {
      subscriptionId: TEST_SUBSCRIPTION,
      tenantId: TEST_TENANT,
      tags: { environment: 'dev', owner: 'o', costCenter: 'c', extra: { team: 'platform', tier: 'gold', 'managed-by': 'me' } },
    });
    new ResourceGroup(stack, 'group', { name: 'rg', location: 'westeurope', tags: { tier: 'silver' } });
    expect(onlyResource(synthJson(stack), 'azurerm_resource_group').tags).toEqual({
      team: 'platform',
      tier: 'silver',
      environment: 'dev',
      owner: 'o',
      'cost-center': 'c',
      'managed-by': 'idpkit',
    });
  });
});

describe('azureNameSuffix', () => {
  test('is stable, hex, and differs between subscriptions and names', () => {
    const suffix = azureNameSuffix(TEST_SUBSCRIPTION, 'prod');
    expect(suffix).toMatch(/^[0-9a-f]{8}$/);
    expect(azureNameSuffix(TEST_SUBSCRIPTION.toUpperCase(), 'prod')).toBe(suffix);
    expect(azureNameSuffix('00000000-0000-0000-0000-000000000002', 'prod')).not.toBe(suffix);
    expect(azureNameSuffix(TEST_SUBSCRIPTION, 'dev')).not.toBe(suffix);
  });

  test('alphanumeric keeps only lowercase letters and digits', () => {
    expect(alphanumeric('Azure-Prod_2')).toBe('azureprod2');
  });
});
