import type { Rule } from '../../rule';

/**
 * IDP-GCP-022: no service account keys or Cloud Storage HMAC keys. Both are long-lived static
 * credentials that leak through state files (Terraform stores the private key there), CI logs and
 * laptops; workloads use Workload Identity, CI uses workload identity federation (ci.github),
 * people use their own accounts and impersonation.
 *
 * @see https://cloud.google.com/iam/docs/best-practices-for-managing-service-account-keys
 */
export const noServiceAccountKeysRule: Rule = {
  id: 'IDP-GCP-022',
  severity: 'error',
  summary: 'No service account keys or HMAC keys (static credentials): use Workload Identity or federation',
  fix: 'Remove the google_service_account_key (or google_storage_hmac_key); give workloads a service account through Workload Identity, CI one through workload identity federation (ci.github), and people impersonation.',
  appliesTo: ['google_service_account_key', 'google_storage_hmac_key'],
  check() {
    return 'non-compliant';
  },
};
