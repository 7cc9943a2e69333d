import type { Rule } from '../../rule';
import { isReference } from '../../private/terraform-json';

/** The only key spec KMS rotates automatically; asymmetric (RSA, ECC, ML-DSA, SM2) and HMAC keys cannot. */
const ROTATABLE_KEY_SPEC = 'SYMMETRIC_DEFAULT';

/**
 * IDP-AWS-014: a symmetric KMS key rotates its key material automatically. Asymmetric and HMAC
 * keys, and keys in a custom key store (CloudHSM, external), cannot rotate automatically and are
 * not checked.
 *
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html
 */
export const kmsKeyRotationRule: Rule = {
  id: 'IDP-AWS-014',
  severity: 'error',
  summary: 'KMS key rotates its key material automatically',
  fix: 'Set enable_key_rotation = true on the aws_kms_key (and rotation_period_in_days, e.g. 365).',
  appliesTo: ['aws_kms_key'],
  check(key) {
    const spec = key.customer_master_key_spec;
    if ((typeof spec === 'string' && !isReference(spec) && spec !== ROTATABLE_KEY_SPEC) || key.custom_key_store_id !== undefined) return 'not-applicable';
    return key.enable_key_rotation === true || isReference(key.enable_key_rotation) ? 'compliant' : 'non-compliant';
  },
};
