import { AzureKeyVault, AzureKeyVaultProps } from '../../../../constructs/infrastructure/keys/azure';
import { TEST_TENANT, addressOf, azureTestStack, refTo, rolesAwaited } from '../../../azure-helpers';
import { onlyResource, resources } from '../../../helpers';

const vaultProps: AzureKeyVaultProps = { name: 'kvtest0001', resourceGroupName: 'rg-test', location: 'westeurope', tenantId: TEST_TENANT };

const failure = (build: () => unknown): any => {
  try {
    build();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
};

describe('AzureKeyVault', () => {
  const json = azureTestStack((stack) => {
    const vault = new AzureKeyVault(stack, 'vault', vaultProps);
    vault.addKey('disks', { alias: 'aks-disks', description: 'node disks' }).grantEncryptionUser('principal-1');
  });
  const vault = onlyResource(json, 'azurerm_key_vault');
  const key = onlyResource(json, 'azurerm_key_vault_key');

  test('authorizes with Azure RBAC, keeps purge protection on and soft-deleted items 90 days, premium (HSM) by default', () => {
    expect(vault).toMatchObject({
      name: 'kvtest0001',
      tenant_id: TEST_TENANT,
      rbac_authorization_enabled: true,
      purge_protection_enabled: true,
      soft_delete_retention_days: 90,
      sku_name: 'premium',
      enabled_for_deployment: false,
      enabled_for_template_deployment: false,
      lifecycle: { prevent_destroy: true },
    });
    expect(vault.access_policy).toBeUndefined();
    expect(vault.enable_rbac_authorization).toBeUndefined();
  });

  test('lets the principal running Terraform manage keys (Key Vault Crypto Officer), and keys wait for that role', () => {
    const [deployer] = Object.keys(json.data!.azurerm_client_config);
    const officer = addressOf(json, 'azurerm_role_assignment', (a) => a.role_definition_name === 'Key Vault Crypto Officer');
    expect(json.resource.azurerm_role_assignment[officer.split('.')[1]]).toMatchObject({
      scope: refTo(json, 'azurerm_key_vault', 'id'),
      principal_id: `\${data.azurerm_client_config.${deployer}.object_id}`,
    });
    // Key Vault checks RBAC on each data-plane call: the key waits for the role to take effect.
    expect(rolesAwaited(json, key)).toEqual([officer]);
  });

  test('creates 3072-bit HSM keys for wrap and unwrap only, rotated yearly with an expiry notice', () => {
    expect(key).toMatchObject({
      name: 'aks-disks',
      key_vault_id: refTo(json, 'azurerm_key_vault', 'id'),
      key_type: 'RSA-HSM',
      key_size: 3072,
      key_opts: ['wrapKey', 'unwrapKey'],
      rotation_policy: { automatic: { time_after_creation: 'P365D' }, expire_after: 'P730D', notify_before_expiry: 'P30D' },
    });
    expect(key.tags).toMatchObject({ purpose: 'node disks', 'managed-by': 'idpkit' });
  });

  test('grants Key Vault Crypto Service Encryption User on the key only, to a managed identity', () => {
    const grant = resources(json, 'azurerm_role_assignment').find((a) => a.role_definition_name === 'Key Vault Crypto Service Encryption User');
    expect(grant).toMatchObject({
      scope: refTo(json, 'azurerm_key_vault_key', 'resource_versionless_id'),
      principal_id: 'principal-1',
      principal_type: 'ServicePrincipal',
      skip_service_principal_aad_check: true,
    });
  });

  test('a standard vault makes software keys, and listed IP ranges close the firewall to everything else', () => {
    const standard = azureTestStack((stack) => {
      new AzureKeyVault(stack, 'vault', { ...vaultProps, skuName: 'standard', allowedIpRanges: ['203.0.113.0/24'], deletionProtection: false }).addKey('k', {
        alias: 'k',
        description: 'd',
      });
    });
    expect(onlyResource(standard, 'azurerm_key_vault')).toMatchObject({
      sku_name: 'standard',
      network_acls: { default_action: 'Deny', bypass: 'AzureServices', ip_rules: ['203.0.113.0/24'] },
    });
    expect(onlyResource(standard, 'azurerm_key_vault').lifecycle).toBeUndefined();
    expect(onlyResource(standard, 'azurerm_key_vault_key').key_type).toBe('RSA');
    expect(onlyResource(standard, 'azurerm_key_vault_key').lifecycle).toBeUndefined(); // keys follow the vault's deletion protection
  });

  test("keys of a protected vault refuse terraform destroy (deleting a key makes what it encrypts unreadable), unless the key says otherwise", () => {
    expect(key.lifecycle).toEqual({ prevent_destroy: true });
    const mixed = azureTestStack((stack) => {
      const vault = new AzureKeyVault(stack, 'vault', vaultProps);
      vault.addKey('scratch', { alias: 'scratch', description: 'd', deletionProtection: false });
    });
    expect(onlyResource(mixed, 'azurerm_key_vault_key').lifecycle).toBeUndefined();
  });

  test.each([
    ['throws when the vault name is not a Key Vault name', { name: 'kv--bad_name' }, 'name "kv--bad_name" is not a Key Vault name'],
    ['throws when soft delete is outside 7 to 90 days', { softDeleteRetentionDays: 120 }, 'softDeleteRetentionDays 120 is outside what Key Vault allows (7 to 90)'],
  ])('%s', (_name, change, message) => {
    const error = failure(() => azureTestStack((stack) => new AzureKeyVault(stack, 'vault', { ...vaultProps, ...change })));
    expect(error.code).toBe('IDPKIT_INVALID_PROPS');
    expect(error.message).toContain(message);
  });

  test('privateEndpoint: public network access off, a private endpoint with the privatelink.vaultcore.azure.net zone linked to the VNet, keys and secrets wait for it', () => {
    const privateJson = azureTestStack((stack) => {
      const vault = new AzureKeyVault(stack, 'vault', {
        ...vaultProps,
        allowedIpRanges: ['203.0.113.0/24'],
        privateEndpoint: { subnetId: 'snet-endpoints-id', virtualNetworkId: 'vnet-id', linkName: 'test-key-vault' },
      });
      expect(vault.addKey('disks', { alias: 'aks-disks', description: 'node disks' }).isPrivate).toBe(true);
      expect(vault.grantDeployerSecretsOfficer()).toHaveLength(2);
    });
    expect(onlyResource(privateJson, 'azurerm_key_vault')).toMatchObject({ public_network_access_enabled: false, network_acls: { default_action: 'Deny', bypass: 'AzureServices' } });
    expect(onlyResource(privateJson, 'azurerm_key_vault').network_acls.ip_rules).toBeUndefined();
    const zone = onlyResource(privateJson, 'azurerm_private_dns_zone');
    expect(zone.name).toBe('privatelink.vaultcore.azure.net');
    expect(onlyResource(privateJson, 'azurerm_private_dns_zone_virtual_network_link')).toMatchObject({ virtual_network_id: 'vnet-id', registration_enabled: false, name: 'test-key-vault' });
    const endpoint = onlyResource(privateJson, 'azurerm_private_endpoint');
    expect(endpoint).toMatchObject({
      subnet_id: 'snet-endpoints-id',
      private_service_connection: { private_connection_resource_id: refTo(privateJson, 'azurerm_key_vault', 'id'), subresource_names: ['vault'], is_manual_connection: false },
      private_dns_zone_group: { private_dns_zone_ids: [refTo(privateJson, 'azurerm_private_dns_zone', 'id')] },
    });
    expect(onlyResource(privateJson, 'azurerm_key_vault_key').depends_on).toContain(addressOf(privateJson, 'azurerm_private_endpoint'));
  });

  test('stays public (firewall open unless allowedIpRanges) without privateEndpoint', () => {
    expect(vault).toMatchObject({ public_network_access_enabled: true, network_acls: { default_action: 'Allow' } });
    expect(resources(json, 'azurerm_private_endpoint')).toHaveLength(0);
  });

  test('throws when an HSM key is asked of a standard vault, or the key size is too small', () => {
    const error = failure(() =>
      azureTestStack((stack) =>
        new AzureKeyVault(stack, 'vault', { ...vaultProps, skuName: 'standard' }).addKey('k', { alias: 'k', description: 'd', hsmProtected: true, keySize: 2048 as never }),
      ),
    );
    expect(error.code).toBe('IDPKIT_INVALID_PROPS');
    expect(error.message).toContain('keySize 2048 is not allowed (3072 or 4096)');
    expect(error.message).toContain('hsmProtected keys need a premium vault, but the vault is standard');
  });
});
