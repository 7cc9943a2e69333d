import { budgetRule, stateBackendRule } from '../../../../constructs/policy/rules/terraform';
import { stackVerdict } from '../rule-helpers';

const withBackend = (backend: object) => ({ terraform: { backend } });

describe('IDP-TF-001 state backend encrypted and locked', () => {
  test('compliant: s3 with encrypt and use_lockfile, gcs with a KMS key, azurerm with Entra ID auth', () => {
    expect(stackVerdict(stateBackendRule, withBackend({ s3: { bucket: 'b', encrypt: true, use_lockfile: true } }))).toBe('compliant');
    expect(stackVerdict(stateBackendRule, withBackend({ s3: { bucket: 'b', encrypt: true, dynamodb_table: 'locks' } }))).toBe('compliant');
    expect(stackVerdict(stateBackendRule, withBackend({ gcs: { bucket: 'b', kms_encryption_key: 'projects/p/locations/l/keyRings/r/cryptoKeys/k' } }))).toBe('compliant');
    expect(stackVerdict(stateBackendRule, withBackend({ azurerm: { storage_account_name: 'sa', use_azuread_auth: true } }))).toBe('compliant');
  });

  test('non-compliant: unencrypted or unlocked s3, gcs without a key, azurerm with account keys', () => {
    expect(stackVerdict(stateBackendRule, withBackend({ s3: { bucket: 'b', use_lockfile: true } }))).toBe('non-compliant');
    expect(stackVerdict(stateBackendRule, withBackend({ s3: { bucket: 'b', encrypt: true } }))).toBe('non-compliant');
    expect(stackVerdict(stateBackendRule, withBackend({ gcs: { bucket: 'b' } }))).toBe('non-compliant');
    expect(stackVerdict(stateBackendRule, withBackend({ azurerm: { storage_account_name: 'sa' } }))).toBe('non-compliant');
  });

  test('a local backend is only accepted in bootstrap stacks, which create the remote one', () => {
    expect(stackVerdict(stateBackendRule, withBackend({ local: { path: 'x.tfstate' } }), { stack: 'bootstrap-idpkit-state' })).toBe('not-applicable');
    expect(stackVerdict(stateBackendRule, withBackend({ local: { path: 'x.tfstate' } }), { stack: 'prod-infra' })).toBe('non-compliant');
    expect(stackVerdict(stateBackendRule, {}, { stack: 'prod-infra' })).toBe('non-compliant');
  });
});

describe('IDP-TF-002 budget per environment', () => {
  test('compliant: an infra stack with a budget of any cloud', () => {
    for (const type of ['aws_budgets_budget', 'azurerm_consumption_budget_subscription', 'google_billing_budget']) {
      expect(stackVerdict(budgetRule, { resource: { [type]: { budget: {} } } }, { stack: 'dev-infra' })).toBe('compliant');
    }
  });

  test('non-compliant: an infra stack without a budget; other stacks are not applicable', () => {
    expect(stackVerdict(budgetRule, { resource: { aws_s3_bucket: { b: {} } } }, { stack: 'dev-infra' })).toBe('non-compliant');
    expect(stackVerdict(budgetRule, { resource: {} }, { stack: 'dev-platform' })).toBe('not-applicable');
  });
});
