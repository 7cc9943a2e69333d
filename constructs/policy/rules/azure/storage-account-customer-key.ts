import type { Rule } from '../../rule';
import { block, referencingResources } from '../../private/terraform-json';
import { isSet } from './shared';

/**
 * IDP-AZ-011: a storage account encrypts its data with a customer-managed key: an inline
 * `customer_managed_key` block, or an `azurerm_storage_account_customer_managed_key` of the account.
 */
export const storageAccountCustomerKeyRule: Rule = {
  id: 'IDP-AZ-011',
  severity: { dev: 'warning', staging: 'error', prod: 'error' },
  summary: 'Storage account encrypts data with a customer-managed Key Vault key',
  fix: 'Add customer_managed_key { key_vault_key_id = <versionless key id>, user_assigned_identity_id = <identity> } with identity { type = "UserAssigned" } and Key Vault Crypto Service Encryption User for the identity on the key.',
  appliesTo: ['azurerm_storage_account'],
  check(account, context) {
    const inline = block(account.customer_managed_key);
    if (isSet(inline?.key_vault_key_id) || isSet(inline?.managed_hsm_key_id)) return 'compliant';
    const separate = referencingResources(context.document, 'azurerm_storage_account_customer_managed_key', `azurerm_storage_account.${context.name}`);
    return separate.some((key) => isSet(key.key_name) || isSet(key.managed_hsm_key_id)) ? 'compliant' : 'non-compliant';
  },
};
