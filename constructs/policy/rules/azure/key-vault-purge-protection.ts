import type { Rule } from '../../rule';

/** IDP-AZ-002: a Key Vault has purge protection, so deleted keys and secrets can be recovered. */
export const keyVaultPurgeProtectionRule: Rule = {
  id: 'IDP-AZ-002',
  severity: { dev: 'warning', staging: 'error', prod: 'error' },
  summary: 'Key Vault has purge protection enabled',
  fix: 'Set purge_protection_enabled = true (it cannot be turned off again; soft-deleted items stay for soft_delete_retention_days).',
  appliesTo: ['azurerm_key_vault'],
  check(vault) {
    return vault.purge_protection_enabled === true ? 'compliant' : 'non-compliant';
  },
};
