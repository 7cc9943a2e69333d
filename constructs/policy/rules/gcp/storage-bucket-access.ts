import type { Rule } from '../../rule';

/** IDP-GCP-004: a Cloud Storage bucket has uniform bucket-level access and enforced public access prevention. */
export const storageBucketAccessRule: Rule = {
  id: 'IDP-GCP-004',
  severity: 'error',
  summary: 'Cloud Storage bucket has uniform bucket-level access and public access prevention enforced',
  fix: 'Set uniform_bucket_level_access = true and public_access_prevention = "enforced".',
  appliesTo: ['google_storage_bucket'],
  check(bucket) {
    return bucket.uniform_bucket_level_access === true && bucket.public_access_prevention === 'enforced' ? 'compliant' : 'non-compliant';
  },
};
