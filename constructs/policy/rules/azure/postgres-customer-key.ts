import type { Rule } from '../../rule';
import { block } from '../../private/terraform-json';
import { isSet } from './shared';

/**
 * IDP-AZ-013: a PostgreSQL flexible server encrypts data (and geo-redundant backups, when on) with
 * customer-managed Key Vault keys. The choice is made when the server is created.
 */
export const postgresCustomerKeyRule: Rule = {
  id: 'IDP-AZ-013',
  severity: 'error',
  summary: 'PostgreSQL flexible server encrypts data with a customer-managed Key Vault key',
  fix: 'Create the server with customer_managed_key { key_vault_key_id, primary_user_assigned_identity_id } (and geo_backup_key_vault_key_id with geo-redundant backups); changing it replaces the server: restore into a new one.',
  appliesTo: ['azurerm_postgresql_flexible_server'],
  check(server) {
    const key = block(server.customer_managed_key);
    if (!isSet(key?.key_vault_key_id)) return 'non-compliant';
    return server.geo_redundant_backup_enabled === true && !isSet(key?.geo_backup_key_vault_key_id) ? 'non-compliant' : 'compliant';
  },
};
