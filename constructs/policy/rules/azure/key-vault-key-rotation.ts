import type { Rule } from '../../rule';
import { block } from '../../private/terraform-json';
import { isSet } from './shared';

/**
 * IDP-AZ-004: a Key Vault key rotates itself: a rotation policy with an automatic rotation
 * (`time_after_creation` or `time_before_expiry`) and an expiry (`expire_after`), so a leaked or
 * worn-out key version stops being used without anyone remembering to rotate it.
 */
export const keyVaultKeyRotationRule: Rule = {
  id: 'IDP-AZ-004',
  severity: { dev: 'warning', staging: 'error', prod: 'error' },
  summary: 'Key Vault key has a rotation policy that rotates it automatically and expires old versions',
  fix: 'Add rotation_policy { automatic { time_after_creation = "P365D" }, expire_after = "P730D", notify_before_expiry = "P30D" } (AzureKeyVaultKey does).',
  appliesTo: ['azurerm_key_vault_key'],
  check(key) {
    const policy = block(key.rotation_policy);
    const automatic = block(policy?.automatic);
    const rotates = isSet(automatic?.time_after_creation) || isSet(automatic?.time_before_expiry);
    return rotates && isSet(policy?.expire_after) ? 'compliant' : 'non-compliant';
  },
};
