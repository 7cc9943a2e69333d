import { aksLocalAccountsRule, keyVaultPurgeProtectionRule, postgresPrivateRule } from '../../../../constructs/policy/rules/azure';
import { verdict } from '../rule-helpers';

describe('IDP-AZ-001 PostgreSQL flexible server not public', () => {
  test('compliant: public network access disabled', () => {
    expect(verdict(postgresPrivateRule, { public_network_access_enabled: false })).toBe('compliant');
  });
  test('non-compliant: enabled, or unset (azurerm 4 defaults to enabled)', () => {
    expect(verdict(postgresPrivateRule, { public_network_access_enabled: true })).toBe('non-compliant');
    expect(verdict(postgresPrivateRule, {})).toBe('non-compliant');
  });
});

describe('IDP-AZ-002 Key Vault purge protection', () => {
  test('compliant', () => expect(verdict(keyVaultPurgeProtectionRule, { purge_protection_enabled: true })).toBe('compliant'));
  test('non-compliant: off or unset', () => {
    expect(verdict(keyVaultPurgeProtectionRule, { purge_protection_enabled: false })).toBe('non-compliant');
    expect(verdict(keyVaultPurgeProtectionRule, {})).toBe('non-compliant');
  });
});

describe('IDP-AZ-003 AKS local accounts disabled', () => {
  test('compliant', () => expect(verdict(aksLocalAccountsRule, { local_account_disabled: true })).toBe('compliant'));
  test('non-compliant: local accounts on (the default)', () => {
    expect(verdict(aksLocalAccountsRule, {})).toBe('non-compliant');
    expect(verdict(aksLocalAccountsRule, { local_account_disabled: false })).toBe('non-compliant');
  });
});
