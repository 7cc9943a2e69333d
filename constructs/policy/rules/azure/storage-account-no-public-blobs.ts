import type { Rule } from '../../rule';

/** IDP-AZ-015: a storage account forbids anonymous (public) containers and blobs. */
export const storageAccountNoPublicBlobsRule: Rule = {
  id: 'IDP-AZ-015',
  severity: 'error',
  summary: 'Storage account forbids public (anonymous) containers and blobs',
  fix: 'Set allow_nested_items_to_be_public = false (azurerm defaults it to true).',
  appliesTo: ['azurerm_storage_account'],
  check(account) {
    return account.allow_nested_items_to_be_public === false ? 'compliant' : 'non-compliant';
  },
};
