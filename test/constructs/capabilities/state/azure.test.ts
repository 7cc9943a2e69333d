import { TerraformStack, Testing } from '../../../../constructs/core/cdktf';
import { AzureStateStorage, AzureStateStorageProps, azureStateKeyVaultName, configureAzurermState } from '../../../../constructs/capabilities/state/azure';
import { TEST_SUBSCRIPTION, TEST_TENANT, azureTestStack, refTo, rolesAwaited } from '../../../azure-helpers';
import { onlyResource, resources, synthJson } from '../../../helpers';

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
    expect(account.network_rules).toBeUndefined();
  });

  test('encrypts state with a customer-managed key in a Key Vault of its own, through a user-assigned identity', () => {
    const vault = onlyResource(json, 'azurerm_key_vault');
    expect(vault).toMatchObject({
      name: azureStateKeyVaultName('acmestate'),
      purge_protection_enabled: true,
      rbac_authorization_enabled: true,
      resource_group_name: refTo(json, 'azurerm_resource_group', 'name'),
      lifecycle: { prevent_destroy: true },
    });
    expect(vault.tenant_id).toMatch(/^\$\{data\.azurerm_client_config\.state_deployer_.+\.tenant_id\}$/); // the bootstrapping principal's tenant
    expect(azureStateKeyVaultName('acmestate')).toMatch(/^kvacmestate[0-9a-f]{8}$/);
    const key = onlyResource(json, 'azurerm_key_vault_key');
    expect(key).toMatchObject({ name: 'tfstate', key_vault_id: refTo(json, 'azurerm_key_vault', 'id'), lifecycle: { prevent_destroy: true } });
    expect(key.rotation_policy.automatic.time_after_creation).toBe('P365D');
    const identity = refTo(json, 'azurerm_user_assigned_identity', 'id');
    expect(account.identity).toEqual({ type: 'UserAssigned', identity_ids: [identity] });
    expect(account.customer_managed_key).toEqual({ key_vault_key_id: refTo(json, 'azurerm_key_vault_key', 'versionless_id'), user_assigned_identity_id: identity });
    const grant = resources(json, 'azurerm_role_assignment').find((a) => a.role_definition_name === 'Key Vault Crypto Service Encryption User');
    expect(grant).toMatchObject({ scope: refTo(json, 'azurerm_key_vault_key', 'resource_versionless_id'), principal_id: refTo(json, 'azurerm_user_assigned_identity', 'principal_id') });
    expect(rolesAwaited(json, account)).toEqual([expect.stringMatching(/^azurerm_role_assignment\.[^ ]*encryption-user[^ ]*$/)]);
  });

  test('uses the tenant it is given, and closes account and vault to all but the listed ranges when given', () => {
    const closed = azureTestStack((stack) => new AzureStateStorage(stack, 'state', { ...props, tenantId: TEST_TENANT, allowedIpRanges: ['203.0.113.0/24'] }));
    expect(onlyResource(closed, 'azurerm_key_vault')).toMatchObject({
      tenant_id: TEST_TENANT,
      network_acls: { default_action: 'Deny', bypass: 'AzureServices', ip_rules: ['203.0.113.0/24'] },
    });
    expect(onlyResource(closed, 'azurerm_storage_account').network_rules).toEqual({ default_action: 'Deny', bypass: ['AzureServices'], ip_rules: ['203.0.113.0/24'] });
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
    expect(onlyResource(json, 'azurerm_storage_container').lifecycle).toEqual({ prevent_destroy: true });
  });

  test('lets the bootstrapping principal, and only on the state container, read and write state', () => {
    const deployer = Object.keys(json.data!.azurerm_client_config).find((name) => name.startsWith('state_deployer'));
    const writers = resources(json, 'azurerm_role_assignment').filter((a) => a.role_definition_name === 'Storage Blob Data Contributor');
    expect(writers).toHaveLength(1);
    expect(writers[0]).toMatchObject({
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
    ['throws when an allowed range is not an IPv4 address or CIDR', { allowedIpRanges: ['office'] }, 'allowedIpRanges entry "office" is not an IPv4 address or CIDR'],
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
