import { budgetRule, instanceSizesRule, preventDestroyRule, stateBackendRule } from '../../../../constructs/policy/rules/terraform';
import { severityIn } from '../../../../constructs/policy/engine';
import { stackVerdict, verdict } from '../rule-helpers';

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

describe("IDP-TF-003 machine types within the tier's vCPU limits", () => {
  const sized = (type: string, body: Record<string, unknown>, tier: 'dev' | 'staging' | 'prod') => verdict(instanceSizesRule, body, { type, tier });
  test('compliant: nodes and databases at or below the limit (dev: 8 and 2 vCPUs)', () => {
    expect(sized('aws_eks_node_group', { instance_types: ['m6i.large', 'm6i.2xlarge'] }, 'dev')).toBe('compliant');
    expect(sized('aws_db_instance', { instance_class: 'db.t4g.medium' }, 'dev')).toBe('compliant');
    expect(sized('azurerm_kubernetes_cluster', { default_node_pool: { vm_size: 'Standard_D4s_v5' } }, 'dev')).toBe('compliant');
    expect(sized('azurerm_postgresql_flexible_server', { sku_name: 'GP_Standard_D2ds_v5' }, 'dev')).toBe('compliant');
    expect(sized('google_container_node_pool', { node_config: { machine_type: 'e2-standard-8' } }, 'dev')).toBe('compliant');
    expect(sized('google_sql_database_instance', { settings: { tier: 'db-custom-16-61440' } }, 'prod')).toBe('compliant');
  });
  test('non-compliant: one machine type above the limit', () => {
    expect(sized('aws_eks_node_group', { instance_types: ['m6i.large', 'm6i.4xlarge'] }, 'dev')).toBe('non-compliant');
    // Metal types name no size; the generated machine type table knows their vCPUs (m7g.metal: 64).
    expect(sized('aws_eks_node_group', { instance_types: ['m7g.metal'] }, 'dev')).toBe('non-compliant');
    expect(sized('aws_db_instance', { instance_class: 'db.r6g.2xlarge' }, 'staging')).toBe('non-compliant');
    expect(sized('azurerm_kubernetes_cluster_node_pool', { vm_size: 'Standard_D32s_v5' }, 'staging')).toBe('non-compliant');
    expect(sized('azurerm_postgresql_flexible_server', { sku_name: 'GP_Standard_D4ds_v5' }, 'dev')).toBe('non-compliant');
    expect(sized('google_sql_database_instance', { settings: { tier: 'db-custom-4-15360' } }, 'dev')).toBe('non-compliant');
  });
  test('not applicable: machine types whose names do not tell their vCPUs, and references', () => {
    expect(sized('aws_eks_node_group', { instance_types: ['x9z.metal'] }, 'dev')).toBe('not-applicable');
    expect(sized('google_container_node_pool', { node_config: { machine_type: '${var.machine_type}' } }, 'dev')).toBe('not-applicable');
  });
});

describe('IDP-TF-004 prod resources that hold data carry prevent_destroy', () => {
  test('compliant: lifecycle.prevent_destroy (an object or a one-element list, as cdktf writes blocks)', () => {
    expect(verdict(preventDestroyRule, { name: 'db', lifecycle: { prevent_destroy: true } }, { type: 'aws_db_instance' })).toBe('compliant');
    expect(verdict(preventDestroyRule, { lifecycle: [{ prevent_destroy: true }] }, { type: 'google_storage_bucket' })).toBe('compliant');
  });
  test('non-compliant: no lifecycle, or prevent_destroy off', () => {
    expect(verdict(preventDestroyRule, { name: 'db' }, { type: 'aws_db_instance' })).toBe('non-compliant');
    expect(verdict(preventDestroyRule, { lifecycle: { prevent_destroy: false, ignore_changes: ['tags'] } }, { type: 'azurerm_key_vault_key' })).toBe('non-compliant');
  });
  test('checks the stateful types except node pools, Helm releases and add-on namespaces, only in prod', () => {
    expect(preventDestroyRule.appliesTo).toEqual(expect.arrayContaining(['aws_s3_bucket', 'azurerm_postgresql_flexible_server', 'google_kms_crypto_key', 'aws_ecr_repository']));
    for (const type of ['helm_release', 'kubernetes_namespace_v1', 'aws_eks_node_group', 'google_container_node_pool']) expect(preventDestroyRule.appliesTo).not.toContain(type);
    expect(['dev', 'staging', 'prod'].map((tier) => severityIn(preventDestroyRule, tier as never))).toEqual(['off', 'off', 'error']);
  });
});
