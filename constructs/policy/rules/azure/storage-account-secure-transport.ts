import type { Rule } from '../../rule';

/** TLS versions a storage account may require at least. */
const ALLOWED_MIN_TLS = ['TLS1_2', 'TLS1_3'];

/** IDP-AZ-014: a storage account accepts HTTPS only, with TLS 1.2 or later (azurerm 4 defaults both). */
export const storageAccountSecureTransportRule: Rule = {
  id: 'IDP-AZ-014',
  severity: 'error',
  summary: 'Storage account accepts HTTPS only with TLS 1.2 or later',
  fix: 'Set min_tls_version = "TLS1_2" and https_traffic_only_enabled = true (or leave both unset: azurerm 4 defaults to them).',
  appliesTo: ['azurerm_storage_account'],
  check(account) {
    if (account.https_traffic_only_enabled === false) return 'non-compliant';
    const tls = account.min_tls_version;
    return tls === undefined || (typeof tls === 'string' && ALLOWED_MIN_TLS.includes(tls)) ? 'compliant' : 'non-compliant';
  },
};
