import type { Rule } from '../../rule';
import { block, blocks } from '../../private/terraform-json';

/** Whether a `customer_managed_encryption` block names a key. */
const hasKey = (encryption: unknown): boolean => {
  const key = block(encryption)?.kms_key_name;
  return typeof key === 'string' && key !== '';
};

/**
 * IDP-GCP-019: a Secret Manager secret encrypts its payloads with a customer-managed Cloud KMS key:
 * `replication.auto.customer_managed_encryption`, or `customer_managed_encryption` on every
 * replica of `replication.user_managed`. Who may decrypt is then decided by the key's IAM policy
 * as well as the secret's.
 *
 * @see https://cloud.google.com/secret-manager/docs/cmek
 */
export const secretManagerCmekRule: Rule = {
  id: 'IDP-GCP-019',
  severity: 'error',
  summary: 'Secret Manager secret is encrypted with a customer-managed Cloud KMS key (every replica)',
  fix: 'Set replication.user_managed.replicas[*].customer_managed_encryption.kms_key_name (a key in each replica\'s location) or replication.auto.customer_managed_encryption.kms_key_name (a global key), granted to the Secret Manager service agent.',
  appliesTo: ['google_secret_manager_secret'],
  check(secret) {
    const replication = block(secret.replication);
    const auto = block(replication?.auto);
    if (auto) return hasKey(auto.customer_managed_encryption) ? 'compliant' : 'non-compliant';
    const replicas = blocks(block(replication?.user_managed)?.replicas);
    return replicas.length > 0 && replicas.every((replica) => hasKey(replica.customer_managed_encryption)) ? 'compliant' : 'non-compliant';
  },
};
