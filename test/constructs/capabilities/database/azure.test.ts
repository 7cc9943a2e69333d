import { AzureDatabase, AzureDatabaseProps, AzurePostgresPrivateDnsZone } from '../../../../constructs/capabilities/database/azure';
import { AzureKeyVault } from '../../../../constructs/infrastructure/keys/azure';
import { TEST_ADMIN_GROUP, TEST_TENANT, azureTestStack, refTo, rolesAwaited } from '../../../azure-helpers';
import { onlyResource, resources } from '../../../helpers';

const RG = 'rg-platform';
const SUBNET = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/private-endpoints';
const VNET = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet';
const ACTION_GROUP = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Insights/actionGroups/platform';
const SECRETS_VAULT = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-secrets';

type Props = Omit<AzureDatabaseProps, 'key' | 'geoBackupKey'> & { readonly geoKey?: boolean };

const prodLike: Props = {
  name: 'prod-platform',
  engineVersion: '17',
  size: 'medium',
  storageGiB: 128,
  resourceGroupName: RG,
  location: 'westeurope',
  privateEndpointSubnetId: SUBNET,
  virtualNetworkId: VNET,
  tenantId: TEST_TENANT,
  administratorObjectId: TEST_ADMIN_GROUP,
  administratorPrincipalName: 'platform-admins',
  connectionSecretVaultId: SECRETS_VAULT,
  actionGroupId: ACTION_GROUP,
  geoRedundantBackup: true,
  geoBackupLocation: 'northeurope',
  geoKey: true,
};

const devLike: Props = {
  ...prodLike,
  name: 'dev-platform',
  engineVersion: '16',
  size: 'small',
  storageGiB: 32,
  backupRetentionDays: 7,
  highAvailability: false,
  deletionProtection: false,
  geoRedundantBackup: false,
  geoBackupLocation: undefined,
  geoKey: false,
};

const synth = ({ geoKey, ...props }: Props) =>
  azureTestStack((stack) => {
    const vault = new AzureKeyVault(stack, 'vault', { name: 'kv-keys-test', resourceGroupName: RG, location: 'westeurope', tenantId: TEST_TENANT });
    const key = vault.addKey('postgres-key', { alias: 'postgres', description: 'PostgreSQL' });
    const geoBackupKey = geoKey ? vault.addKey('postgres-geo-key', { alias: 'postgres-geo', description: 'PostgreSQL geo backups' }) : undefined;
    new AzureDatabase(stack, 'database', { ...props, key, geoBackupKey });
  });

const alertOf = (json: any, metricName: string) => resources(json, 'azurerm_monitor_metric_alert').find((a) => a.criteria[0].metric_name === metricName);
const config = (json: any, name: string) => resources(json, 'azurerm_postgresql_flexible_server_configuration').find((c) => c.name === name)?.value;

describe('AzureDatabase', () => {
  describe('prod-like (zone-redundant HA, geo backups, deletion protection, 30-day backups by default)', () => {
    const json = synth(prodLike);
    const server = onlyResource(json, 'azurerm_postgresql_flexible_server');

    test('runs the size\'s SKU and version with storage that grows by itself', () => {
      expect(server).toMatchObject({ name: 'prod-platform', version: '17', sku_name: 'GP_Standard_D2ds_v5', storage_mb: 131072, auto_grow_enabled: true });
    });

    test('is encrypted with the Key Vault key through a user-assigned identity that has wrap/unwrap on it', () => {
      const identity = refTo(json, 'azurerm_user_assigned_identity', 'id', (i) => i.location === 'westeurope');
      expect(server.identity).toEqual({ type: 'UserAssigned', identity_ids: [identity, refTo(json, 'azurerm_user_assigned_identity', 'id', (i) => i.location === 'northeurope')] });
      expect(server.customer_managed_key).toMatchObject({
        key_vault_key_id: refTo(json, 'azurerm_key_vault_key', 'versionless_id', (k) => k.name === 'postgres'),
        primary_user_assigned_identity_id: identity,
        geo_backup_key_vault_key_id: refTo(json, 'azurerm_key_vault_key', 'versionless_id', (k) => k.name === 'postgres-geo'),
      });
      const grant = resources(json, 'azurerm_role_assignment').find(
        (r) => r.role_definition_name === 'Key Vault Crypto Service Encryption User' && r.principal_id === refTo(json, 'azurerm_user_assigned_identity', 'principal_id', (i) => i.location === 'westeurope'),
      );
      expect(grant).toBeDefined();
      expect(rolesAwaited(json, server)).toHaveLength(2);
    });

    test('is private only: no public network access, a private endpoint with the privatelink zone linked to the VNet', () => {
      expect(server.public_network_access_enabled).toBe(false);
      const endpoint = onlyResource(json, 'azurerm_private_endpoint');
      expect(endpoint).toMatchObject({
        subnet_id: SUBNET,
        private_service_connection: { subresource_names: ['postgresqlServer'], is_manual_connection: false, private_connection_resource_id: refTo(json, 'azurerm_postgresql_flexible_server', 'id') },
        private_dns_zone_group: { private_dns_zone_ids: [refTo(json, 'azurerm_private_dns_zone', 'id')] },
      });
      expect(onlyResource(json, 'azurerm_private_dns_zone').name).toBe('privatelink.postgres.database.azure.com');
      expect(onlyResource(json, 'azurerm_private_dns_zone_virtual_network_link')).toMatchObject({ virtual_network_id: VNET, registration_enabled: false });
    });

    test('requires TLS 1.2 and logs connections and slow statements', () => {
      expect(config(json, 'require_secure_transport')).toBe('on');
      expect(config(json, 'ssl_min_protocol_version')).toBe('TLSv1.2');
      expect(config(json, 'log_connections')).toBe('on');
      expect(config(json, 'log_min_duration_statement')).toBe('1000');
    });

    test('is zone-redundant with geo-redundant backups kept 30 days (point-in-time restore)', () => {
      expect(server.high_availability).toEqual({ mode: 'ZoneRedundant' });
      expect(server).toMatchObject({ backup_retention_days: 30, geo_redundant_backup_enabled: true });
      expect(server.lifecycle.ignore_changes).toEqual(['zone', 'high_availability[0].standby_availability_zone']);
    });

    test('is kept from destroy, with the logical database and the connection secret', () => {
      expect(server.lifecycle.prevent_destroy).toBe(true);
      expect(onlyResource(json, 'azurerm_postgresql_flexible_server_database')).toMatchObject({ name: 'prod_platform', lifecycle: { prevent_destroy: true } });
      expect(onlyResource(json, 'azurerm_key_vault_secret').lifecycle).toEqual({ prevent_destroy: true });
    });

    test('authenticates with Entra ID only: no password, no administrator login', () => {
      expect(server.authentication).toEqual({ active_directory_auth_enabled: true, password_auth_enabled: false, tenant_id: TEST_TENANT });
      expect(server.administrator_login).toBeUndefined();
      expect(server.administrator_password).toBeUndefined();
      expect(JSON.stringify(json)).not.toMatch(/"administrator_password(_wo)?"|"password"\s*:/);
      expect(onlyResource(json, 'azurerm_postgresql_flexible_server_active_directory_administrator')).toMatchObject({
        object_id: TEST_ADMIN_GROUP,
        principal_name: 'platform-admins',
        principal_type: 'Group',
        tenant_id: TEST_TENANT,
      });
    });

    test('writes connection details (no password) to the given Key Vault', () => {
      const secret = onlyResource(json, 'azurerm_key_vault_secret');
      expect(secret).toMatchObject({ name: 'prod-platform-postgres-connection', key_vault_id: SECRETS_VAULT, content_type: 'application/json' });
      expect(secret.value).toContain('azurerm_postgresql_flexible_server.database_server_');
      expect(secret.value).toContain('.fqdn');
      expect(secret.value).toContain('"username" = "platform-admins"');
      expect(secret.value).not.toMatch(/password/i);
    });

    test('alerts on connections, CPU, storage and liveness, and on Resource Health, to the action group', () => {
      const alerts = resources(json, 'azurerm_monitor_metric_alert');
      expect(alerts.map((a) => a.criteria[0].metric_name).sort()).toEqual(['active_connections', 'cpu_percent', 'is_db_alive', 'storage_percent']);
      alerts.forEach((a) => {
        expect(a.action).toEqual([{ action_group_id: ACTION_GROUP }]);
        expect(a.scopes).toEqual([refTo(json, 'azurerm_postgresql_flexible_server', 'id')]);
        expect(a.criteria[0].metric_namespace).toBe('Microsoft.DBforPostgreSQL/flexibleServers');
      });
      expect(alertOf(json, 'active_connections').criteria[0].threshold).toBe(687); // 80% of 859
      expect(alertOf(json, 'storage_percent').criteria[0].threshold).toBe(85);
      expect(alertOf(json, 'is_db_alive').criteria[0]).toMatchObject({ operator: 'LessThan', threshold: 1, aggregation: 'Minimum' });
      const health = onlyResource(json, 'azurerm_monitor_activity_log_alert');
      expect(health).toMatchObject({ criteria: { category: 'ResourceHealth' }, action: [{ action_group_id: ACTION_GROUP }] });
    });
  });

  describe('dev-like (no HA, 7 days, no deletion protection)', () => {
    const json = synth(devLike);
    const server = onlyResource(json, 'azurerm_postgresql_flexible_server');

    test('is a Burstable server without HA or geo backups, keeping 7 days', () => {
      expect(server).toMatchObject({ sku_name: 'B_Standard_B2s', version: '16', backup_retention_days: 7, geo_redundant_backup_enabled: false, storage_mb: 32768 });
      expect(server.high_availability).toBeUndefined();
      expect(resources(json, 'azurerm_user_assigned_identity')).toHaveLength(1);
    });

    test('can be destroyed', () => {
      expect(server.lifecycle.prevent_destroy).toBe(false);
      expect(onlyResource(json, 'azurerm_postgresql_flexible_server_database').lifecycle).toBeUndefined();
      expect(onlyResource(json, 'azurerm_key_vault_secret').lifecycle).toBeUndefined();
    });

    test('still has no public access, Entra-only auth and a customer-managed key', () => {
      expect(server.public_network_access_enabled).toBe(false);
      expect(server.authentication.password_auth_enabled).toBe(false);
      expect(server.customer_managed_key.key_vault_key_id).toMatch(/azurerm_key_vault_key\./);
    });
  });

  test('names the server serverName when given (a global DNS name); every other resource keeps the name', () => {
    const json = synth({ ...devLike, serverName: 'dev-platform-0123abcd' });
    expect(onlyResource(json, 'azurerm_postgresql_flexible_server').name).toBe('dev-platform-0123abcd');
    expect(onlyResource(json, 'azurerm_private_endpoint').name).toBe('pe-dev-platform-postgres');
    expect(onlyResource(json, 'azurerm_user_assigned_identity').name).toBe('id-dev-platform-postgres');
    expect(onlyResource(json, 'azurerm_key_vault_secret').name).toBe('dev-platform-postgres-connection');
    expect(resources(json, 'azurerm_monitor_metric_alert').map((a) => a.name)).toContain('dev-platform-postgres-cpu');
  });

  test('two servers in one resource group share one privatelink zone, made once and linked to the VNet', () => {
    const json = azureTestStack((stack) => {
      const vault = new AzureKeyVault(stack, 'vault', { name: 'kv-keys-test', resourceGroupName: RG, location: 'westeurope', tenantId: TEST_TENANT });
      const zone = new AzurePostgresPrivateDnsZone(stack, 'postgres-private-dns', { resourceGroupName: RG, virtualNetworkId: VNET, linkName: 'dev-postgres' });
      for (const name of ['dev-orders', 'dev-billing']) {
        const key = vault.addKey(`${name}-key`, { alias: name, description: name });
        new AzureDatabase(stack, name, { ...devLike, name, virtualNetworkId: undefined, privateDnsZoneId: zone.zoneId, key });
      }
    });
    expect(onlyResource(json, 'azurerm_private_dns_zone')).toMatchObject({ name: 'privatelink.postgres.database.azure.com', resource_group_name: RG });
    expect(onlyResource(json, 'azurerm_private_dns_zone_virtual_network_link')).toMatchObject({
      name: 'dev-postgres',
      private_dns_zone_name: refTo(json, 'azurerm_private_dns_zone', 'name'),
      virtual_network_id: VNET,
      registration_enabled: false,
    });
    const endpoints = resources(json, 'azurerm_private_endpoint');
    expect(endpoints).toHaveLength(2);
    endpoints.forEach((e) => expect(e.private_dns_zone_group.private_dns_zone_ids).toEqual([refTo(json, 'azurerm_private_dns_zone', 'id')]));
  });

  test('uses an existing private DNS zone instead of creating one', () => {
    const zoneId = '/subscriptions/s/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/privatelink.postgres.database.azure.com';
    const json = synth({ ...devLike, virtualNetworkId: undefined, privateDnsZoneId: zoneId });
    expect(resources(json, 'azurerm_private_dns_zone')).toHaveLength(0);
    expect(onlyResource(json, 'azurerm_private_endpoint').private_dns_zone_group.private_dns_zone_ids).toEqual([zoneId]);
  });

  test('throws when storage or retention are outside what flexible servers take', () => {
    expect(() => synth({ ...devLike, storageGiB: 100 })).toThrow(/storageGiB 100 is not a flexible server storage size \(one of 32, 64/);
    expect(() => synth({ ...devLike, backupRetentionDays: 3 })).toThrow(/backupRetentionDays 3 is below what flexible servers keep/);
  });

  test('throws when serverName is not a flexible server name', () => {
    expect(() => synth({ ...devLike, serverName: 'Dev_Platform' })).toThrow(/serverName "Dev_Platform" is not a flexible server name \(3-63 lowercase letters/);
    expect(() => synth({ ...devLike, serverName: `a${'b'.repeat(63)}` })).toThrow(/is not a flexible server name/);
    expect(() => synth({ ...devLike, serverName: 'dev-' })).toThrow(/serverName "dev-"/);
  });

  test('throws when HA is asked of a Burstable size', () => {
    expect(() => synth({ ...devLike, highAvailability: true })).toThrow(/size "small" is Burstable \(B_Standard_B2s\), which has no high availability/);
  });

  test('throws when the DNS zone inputs conflict or are missing', () => {
    expect(() => synth({ ...devLike, privateDnsZoneId: 'zone' })).toThrow(/virtualNetworkId .* or privateDnsZoneId .*, but not both/);
    expect(() => synth({ ...devLike, virtualNetworkId: undefined })).toThrow(/but not both/);
  });

  test('throws when geo-redundant backups have no paired-region key', () => {
    expect(() => synth({ ...prodLike, geoKey: false })).toThrow(/geoRedundantBackup needs geoBackupKey and geoBackupLocation/);
  });
});
