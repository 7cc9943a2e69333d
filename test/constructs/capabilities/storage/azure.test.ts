import { AzureAddonStorage } from '../../../../constructs/capabilities/storage/azure';
import { AzureKeyVault } from '../../../../constructs/infrastructure/keys/azure';
import { TEST_TENANT, azureTestStack, refTo, rolesAwaited } from '../../../azure-helpers';
import { onlyResource, resources } from '../../../helpers';

const where = { resourceGroupName: 'rg-prod', location: 'westeurope' };
const NODE_SUBNET = '/subscriptions/s/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/snet-nodes';

describe('AzureAddonStorage', () => {
  const json = azureTestStack((stack) => {
    const vault = new AzureKeyVault(stack, 'vault', { ...where, name: 'kvtest0001', tenantId: TEST_TENANT });
    const storage = new AzureAddonStorage(stack, 'addon-storage', {
      ...where,
      storageAccountName: 'stprodad0123abcd',
      encryptionKey: vault.addKey('addon-storage-key', { alias: 'addon-storage', description: 'add-on data' }),
      allowedSubnetIds: [NODE_SUBNET],
    });
    storage.addBucket('loki-chunks', { bucketName: 'loki-chunks' });
  });
  const account = onlyResource(json, 'azurerm_storage_account');

  test('is hardened: Entra ID only, TLS 1.2, HTTPS only, no public blobs', () => {
    expect(account).toMatchObject({
      shared_access_key_enabled: false,
      min_tls_version: 'TLS1_2',
      https_traffic_only_enabled: true,
      allow_nested_items_to_be_public: false,
      infrastructure_encryption_enabled: true,
    });
  });

  test('encrypts data with the given Key Vault key through a user-assigned identity that may wrap and unwrap with it', () => {
    const identity = refTo(json, 'azurerm_user_assigned_identity', 'id');
    expect(onlyResource(json, 'azurerm_user_assigned_identity').name).toBe('id-stprodad0123abcd-encryption');
    expect(account.identity).toEqual({ type: 'UserAssigned', identity_ids: [identity] });
    expect(account.customer_managed_key).toEqual({ key_vault_key_id: refTo(json, 'azurerm_key_vault_key', 'versionless_id'), user_assigned_identity_id: identity });
    const grant = resources(json, 'azurerm_role_assignment').find((a) => a.role_definition_name === 'Key Vault Crypto Service Encryption User');
    expect(grant).toMatchObject({ scope: refTo(json, 'azurerm_key_vault_key', 'resource_versionless_id'), principal_id: refTo(json, 'azurerm_user_assigned_identity', 'principal_id') });
    expect(rolesAwaited(json, account)).toEqual([expect.stringMatching(/^azurerm_role_assignment\.[^ ]*encryption-user[^ ]*$/)]);
  });

  test('admits only the listed subnets (service endpoints) and trusted Azure services', () => {
    expect(account.network_rules).toEqual({ default_action: 'Deny', bypass: ['AzureServices'], virtual_network_subnet_ids: [NODE_SUBNET] });
  });

  test('keeps the account and its containers from terraform destroy by default', () => {
    expect(account.lifecycle).toEqual({ prevent_destroy: true });
    expect(onlyResource(json, 'azurerm_storage_container')).toMatchObject({ name: 'loki-chunks', container_access_type: 'private', lifecycle: { prevent_destroy: true } });
  });

  test('without a key or subnets: Microsoft-managed keys, reachable from any network; deletionProtection false lets containers go', () => {
    const plain = azureTestStack((stack) => {
      new AzureAddonStorage(stack, 'addon-storage', { ...where, storageAccountName: 'stdevad0123abcd', deletionProtection: false }).addBucket('tempo', { bucketName: 'tempo-traces' });
    });
    const plainAccount = onlyResource(plain, 'azurerm_storage_account');
    expect(plainAccount.customer_managed_key).toBeUndefined();
    expect(plainAccount.identity).toBeUndefined();
    expect(plainAccount.network_rules).toBeUndefined();
    expect(plainAccount.lifecycle).toBeUndefined();
    expect(onlyResource(plain, 'azurerm_storage_container').lifecycle).toBeUndefined();
  });
});
