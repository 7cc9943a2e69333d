import type { Rule } from '../../rule';
import { block, isObject } from '../../private/terraform-json';

/** Prefix of the stacks that create a state bucket and so keep their own state locally. */
const BOOTSTRAP_STACK_PREFIX = 'bootstrap-';

/**
 * IDP-TF-001: the state backend encrypts and locks state. S3: `encrypt` and `use_lockfile` (or a
 * DynamoDB lock table); GCS: a customer key (`kms_encryption_key`; GCS locks natively); azurerm:
 * `use_azuread_auth` (Entra ID instead of account keys; blob leases lock). A `local` backend is
 * only accepted in `bootstrap-*` stacks, which create the remote backend; elsewhere (`state: { backend:
 * 'local' }` for experiments) it is a warning in dev and an error above.
 */
export const stateBackendRule: Rule = {
  id: 'IDP-TF-001',
  severity: { dev: 'warning', staging: 'error', prod: 'error' },
  summary: 'Terraform state is stored in an encrypted, locked remote backend',
  fix: 'Use the s3 backend with encrypt = true and use_lockfile = true, gcs with kms_encryption_key, or azurerm with use_azuread_auth = true (environments: set state).',
  appliesTo: 'stack',
  check(document, context) {
    const terraform = block(document.terraform);
    const backends = isObject(terraform?.backend) ? terraform.backend : undefined;
    if (!backends || Object.keys(backends).length === 0) return context.stack.startsWith(BOOTSTRAP_STACK_PREFIX) ? 'not-applicable' : 'non-compliant';
    const [kind, value] = Object.entries(backends)[0];
    const backend = block(value) ?? {};
    switch (kind) {
      case 's3':
        return backend.encrypt === true && (backend.use_lockfile === true || typeof backend.dynamodb_table === 'string') ? 'compliant' : 'non-compliant';
      case 'gcs':
        return typeof backend.kms_encryption_key === 'string' && backend.kms_encryption_key !== '' ? 'compliant' : 'non-compliant';
      case 'azurerm':
        return backend.use_azuread_auth === true ? 'compliant' : 'non-compliant';
      case 'local':
        return context.stack.startsWith(BOOTSTRAP_STACK_PREFIX) ? 'not-applicable' : 'non-compliant';
      default:
        return 'not-applicable';
    }
  },
};
