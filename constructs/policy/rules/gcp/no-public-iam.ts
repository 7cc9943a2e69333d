import type { Rule } from '../../rule';

/** The members that mean anyone on the internet, with or without a Google account. */
export const PUBLIC_MEMBERS: readonly string[] = ['allUsers', 'allAuthenticatedUsers'];

/** The IAM member and binding resources of the services idpkit and most platforms use. */
const IAM_RESOURCES = [
  'project',
  'storage_bucket',
  'artifact_registry_repository',
  'secret_manager_secret',
  'kms_crypto_key',
  'kms_key_ring',
  'service_account',
  'pubsub_topic',
  'cloud_run_v2_service',
  'cloud_run_service',
  'cloudfunctions2_function',
].flatMap((resource) => [`google_${resource}_iam_member`, `google_${resource}_iam_binding`]);

/**
 * IDP-GCP-023: no IAM grant to allUsers or allAuthenticatedUsers (anyone on the internet): not on a
 * project, bucket, registry, secret, key, service account or topic. Public access prevention
 * stops it on buckets at apply time; this catches it at synthesis, for every resource.
 */
export const noPublicIamRule: Rule = {
  id: 'IDP-GCP-023',
  severity: 'error',
  summary: 'No IAM grant to allUsers or allAuthenticatedUsers',
  fix: 'Grant the role to named members (user:, group:, serviceAccount:, principalSet: of a workload identity pool); serve public content through a load balancer or Cloud CDN instead.',
  appliesTo: IAM_RESOURCES,
  check(grant) {
    const members = [grant.member, ...(Array.isArray(grant.members) ? grant.members : [])];
    return members.some((member) => typeof member === 'string' && PUBLIC_MEMBERS.includes(member)) ? 'non-compliant' : 'compliant';
  },
};
