import type { Rule } from '../../rule';
import { block, isReference } from '../../private/terraform-json';

/** Longest rotation period accepted, in days (CIS Google Cloud Foundations Benchmark 1.10). */
export const MAX_KMS_ROTATION_DAYS = 90;

/** Seconds in a day: `rotation_period` is a duration in seconds, e.g. `"7776000s"`. */
const DAY_SECONDS = 86400;

/** The only purpose Cloud KMS rotates automatically; asymmetric, MAC and raw keys cannot be. */
const ROTATABLE_PURPOSE = 'ENCRYPT_DECRYPT';

/** Protection levels whose key material lives in an external key manager, which rotates it. */
const EXTERNAL_PROTECTION_LEVELS = ['EXTERNAL', 'EXTERNAL_VPC'];

/** Seconds in a `rotation_period` such as `"7776000s"` or `"7776000.5s"`, or undefined when it is not one. */
function durationSeconds(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match ? Number(match[1]) : undefined;
}

/**
 * IDP-GCP-005: a symmetric Cloud KMS key rotates automatically at least every 90 days
 * (`rotation_period`), so each key version protects a bounded amount of data. Keys of other
 * purposes (asymmetric, MAC, raw), import-only keys and external (Cloud EKM) keys cannot rotate
 * automatically in Cloud KMS and are not checked.
 *
 * @see https://cloud.google.com/kms/docs/key-rotation
 */
export const cloudKmsKeyRotationRule: Rule = {
  id: 'IDP-GCP-005',
  severity: 'error',
  summary: `Cloud KMS key rotates automatically at least every ${MAX_KMS_ROTATION_DAYS} days`,
  fix: `Set rotation_period on the google_kms_crypto_key to at most "${MAX_KMS_ROTATION_DAYS * DAY_SECONDS}s" (${MAX_KMS_ROTATION_DAYS} days).`,
  appliesTo: ['google_kms_crypto_key'],
  check(key) {
    const purpose = key.purpose ?? ROTATABLE_PURPOSE;
    if (typeof purpose === 'string' && !isReference(purpose) && purpose !== ROTATABLE_PURPOSE) return 'not-applicable';
    if (key.import_only === true) return 'not-applicable';
    const level = block(key.version_template)?.protection_level;
    if (typeof level === 'string' && EXTERNAL_PROTECTION_LEVELS.includes(level)) return 'not-applicable';
    if (isReference(key.rotation_period)) return 'compliant';
    const seconds = durationSeconds(key.rotation_period);
    return seconds !== undefined && seconds <= MAX_KMS_ROTATION_DAYS * DAY_SECONDS ? 'compliant' : 'non-compliant';
  },
};
