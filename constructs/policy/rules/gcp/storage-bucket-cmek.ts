import type { Rule } from '../../rule';
import { block } from '../../private/terraform-json';

/**
 * IDP-GCP-020: a Cloud Storage bucket encrypts new objects with a customer-managed Cloud KMS key
 * by default (`encryption.default_kms_key_name`).
 *
 * @see https://cloud.google.com/storage/docs/encryption/customer-managed-keys
 */
export const storageBucketCmekRule: Rule = {
  id: 'IDP-GCP-020',
  severity: 'error',
  summary: 'Cloud Storage bucket encrypts objects with a customer-managed Cloud KMS key by default',
  fix: 'Set encryption { default_kms_key_name = <Cloud KMS key in the bucket\'s location> } and grant the key to the project\'s Cloud Storage service agent first.',
  appliesTo: ['google_storage_bucket'],
  check(bucket) {
    const key = block(bucket.encryption)?.default_kms_key_name;
    return typeof key === 'string' && key !== '' ? 'compliant' : 'non-compliant';
  },
};
