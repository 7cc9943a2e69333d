import type { Rule } from '../../rule';
import { block } from '../../private/terraform-json';
import { isSet } from './shared';

/**
 * IDP-AZ-012: a Premium container registry encrypts images with a customer-managed key. ACR takes
 * a customer key on Premium only, and only when the registry is created; other SKUs are not
 * applicable.
 */
export const containerRegistryCustomerKeyRule: Rule = {
  id: 'IDP-AZ-012',
  severity: { dev: 'warning', staging: 'error', prod: 'error' },
  summary: 'Premium container registry encrypts images with a customer-managed Key Vault key',
  fix: 'Create the registry with encryption { key_vault_key_id = <versionless key id>, identity_client_id = <user-assigned identity> } and that identity in identity { type = "UserAssigned" } (AzureContainerRegistry encryptionKey).',
  appliesTo: ['azurerm_container_registry'],
  check(registry) {
    if (registry.sku !== 'Premium') return 'not-applicable';
    return isSet(block(registry.encryption)?.key_vault_key_id) ? 'compliant' : 'non-compliant';
  },
};
