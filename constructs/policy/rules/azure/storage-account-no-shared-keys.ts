import type { Rule } from '../../rule';

/**
 * IDP-AZ-016: a storage account turns off shared keys (and so account SAS): every client
 * authenticates with Entra ID. An account whose users cannot (some Azure services still need a
 * key) takes a suppression with the reason.
 */
export const storageAccountNoSharedKeysRule: Rule = {
  id: 'IDP-AZ-016',
  severity: { dev: 'warning', staging: 'error', prod: 'error' },
  summary: 'Storage account has shared keys disabled (Entra ID authentication only)',
  fix: 'Set shared_access_key_enabled = false and default_to_oauth_authentication = true; grant Storage Blob Data roles to identities, and set storage_use_azuread = true on the provider.',
  appliesTo: ['azurerm_storage_account'],
  check(account) {
    return account.shared_access_key_enabled === false ? 'compliant' : 'non-compliant'; // azurerm defaults it to true
  },
};
