import { TerraformStack, Testing } from '../../../../constructs/core/cdktf';
import { AzureStateStorage, AzureStateStorageProps, configureAzurermState } from '../../../../constructs/integration/state/azure';
import { TEST_SUBSCRIPTION, TEST_TENANT, azureTestStack, refTo } from '../../../azure-helpers';
import { onlyResource, synthJson } from '../../../helpers';

describe('configureAzurermState', () => {
  const stack = new TerraformStack(Testing.app(), 'prod-infra');
  configureAzurermState(stack, {
    backend: 'azurerm',
    resourceGroupName: 'rg-state',
    storageAccountName: 'acmestate',
    subscriptionId: TEST_SUBSCRIPTION,
    tenantId: TEST_TENANT,
  });

  test('keys state by stack in the tfstate container and authenticates with Entra ID, never an account key', () => {
    expect(synthJson(stack).terraform.backend).toEqual({
      azurerm: {
        resource_group_name: 'rg-state',
        storage_account_name: 'acmestate',
        container_name: 'tfstate',
        key: 'idpkit/prod-infra/terraform.tfstate',
        use_azuread_auth: true,
        subscription_id: TEST_SUBSCRIPTION,
        tenant_id: TEST_TENANT,
      },
    });
  });

  test('uses the container the environment names', () => {
    const named = new TerraformStack(Testing.app(), 'dev-infra');
    configureAzurermState(named, { backend: 'azurerm', resourceGroupName: 'rg', storageAccountName: 'acme', containerName: 'state', subscriptionId: TEST_SUBSCRIPTION, tenantId: TEST_TENANT });
    expect(synthJson(named).terraform.backend.azurerm).toMatchObject({ container_name: 'state', key: 'idpkit/dev-infra/terraform.tfstate' });
  });
});

describe('AzureStateStorage', () => {
  const props: AzureStateStorageProps = { resourceGroupName: 'rg-state', storageAccountName: 'acmestate', location: 'westeurope' };
  const json = azureTestStack((stack) => new AzureStateStorage(stack, 'state', props));
  const account = onlyResource(json, 'azurerm_storage_account');

  test('is a zone-redundant StorageV2 account with TLS 1.2+, HTTPS only and double encryption', () => {
    expect(account).toMatchObject({
      name: 'acmestate',
      account_kind: 'StorageV2',
      account_tier: 'Standard',
      account_replication_type: 'ZRS',
      min_tls_version: 'TLS1_2',
      https_traffic_only_enabled: true,
      infrastructure_encryption_enabled: true,
    });
  });

  test('accepts Entra ID only: no shared keys, no public blobs, no local users, no cross-tenant replication', () => {
    expect(account).toMatchObject({
      shared_access_key_enabled: false,
      default_to_oauth_authentication: true,
      allow_nested_items_to_be_public: false,
      local_user_enabled: false,
      cross_tenant_replication_enabled: false,
    });
    expect(onlyResource(json, 'azurerm_storage_container')).toMatchObject({ name: 'tfstate', container_access_type: 'private' });
  });

  test('keeps public network access, on purpose (documented): CI reaches it with Entra ID tokens', () => {
    expect(account.public_network_access_enabled).toBe(true);
  });

  test('versions state and keeps deleted blobs, containers and old versions recoverable for 90 days', () => {
    expect(account.blob_properties).toEqual({
      versioning_enabled: true,
      delete_retention_policy: { days: 90 },
      container_delete_retention_policy: { days: 90 },
    });
    expect(onlyResource(json, 'azurerm_storage_management_policy').rule).toEqual([
      expect.objectContaining({ enabled: true, filters: { blob_types: ['blockBlob'] }, actions: { version: { delete_after_days_since_creation: 90 } } }),
    ]);
  });

  test('is protected from terraform destroy and from deletion in the portal', () => {
    expect(account.lifecycle).toEqual({ prevent_destroy: true });
    expect(onlyResource(json, 'azurerm_resource_group').lifecycle).toEqual({ prevent_destroy: true });
    expect(onlyResource(json, 'azurerm_management_lock')).toMatchObject({ lock_level: 'CanNotDelete', scope: refTo(json, 'azurerm_storage_account', 'id') });
  });

  test('lets the bootstrapping principal, and only on the state container, read and write state', () => {
    const [deployer] = Object.keys(json.data!.azurerm_client_config);
    expect(onlyResource(json, 'azurerm_role_assignment')).toMatchObject({
      scope: refTo(json, 'azurerm_storage_container', 'id'),
      role_definition_name: 'Storage Blob Data Contributor',
      principal_id: `\${data.azurerm_client_config.${deployer}.object_id}`,
    });
  });

  test('grants the listed writers too, e.g. the CI identity', () => {
    const withCi = azureTestStack((stack) => new AzureStateStorage(stack, 'state', { ...props, stateWriterPrincipalIds: ['11111111-1111-1111-1111-111111111111'] }));
    expect(Object.values(withCi.resource.azurerm_role_assignment).map((a: any) => a.principal_id)).toContain('11111111-1111-1111-1111-111111111111');
  });

  test.each([
    ['throws when the storage account name has capitals or dashes', { storageAccountName: 'Acme-State' }, 'storageAccountName "Acme-State" is not a storage account name'],
    ['throws when the recovery period is longer than soft delete allows', { recoveryDays: 400 }, 'recoveryDays 400 is outside what blob soft delete allows (1 to 365)'],
  ])('%s', (_name, change, message) => {
    let error: any;
    try {
      azureTestStack((stack) => new AzureStateStorage(stack, 'state', { ...props, ...change }));
    } catch (caught) {
      error = caught;
    }
    expect(error?.code).toBe('IDPKIT_INVALID_PROPS');
    expect(error?.message).toContain(message);
  });
});
