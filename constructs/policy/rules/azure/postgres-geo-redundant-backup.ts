import type { Rule } from '../../rule';

/**
 * IDP-AZ-023: a prod PostgreSQL flexible server keeps geo-redundant backups (a copy in the paired
 * region, restorable if the region is lost). A warning, not an error: the setting is fixed when the
 * server is created (turning it on replaces the server), it copies data to another region (a data
 * residency decision), some locations have no paired region, and with a customer-managed key it
 * needs a Key Vault key and an identity in the paired region.
 */
export const postgresGeoRedundantBackupRule: Rule = {
  id: 'IDP-AZ-023',
  severity: { dev: 'off', staging: 'off', prod: 'warning' },
  summary: 'PostgreSQL flexible server keeps geo-redundant backups (prod)',
  fix: 'Create the server with geo_redundant_backup_enabled = true and customer_managed_key geo_backup_key_vault_key_id / geo_backup_user_assigned_identity_id in the paired region (AzureDatabase geoRedundantBackup), or suppress with the reason (data residency, no paired region).',
  appliesTo: ['azurerm_postgresql_flexible_server'],
  check(server) {
    if (server.create_mode === 'Replica') return 'not-applicable';
    return server.geo_redundant_backup_enabled === true ? 'compliant' : 'non-compliant';
  },
};
