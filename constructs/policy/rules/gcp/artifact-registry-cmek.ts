import type { Rule } from '../../rule';

/**
 * IDP-GCP-006: an Artifact Registry repository encrypts its artifacts with a customer-managed
 * Cloud KMS key (CMEK), which the project controls, audits and can revoke. Virtual repositories
 * store nothing and are not checked.
 *
 * @see https://cloud.google.com/artifact-registry/docs/cmek
 */
export const artifactRegistryCmekRule: Rule = {
  id: 'IDP-GCP-006',
  severity: 'error',
  summary: 'Artifact Registry repository is encrypted with a customer-managed Cloud KMS key',
  fix: 'Set kms_key_name on the google_artifact_registry_repository to a Cloud KMS crypto key in its location, granted to the Artifact Registry service agent (changing it replaces the repository: push the images again).',
  appliesTo: ['google_artifact_registry_repository'],
  check(repository) {
    if (repository.mode === 'VIRTUAL_REPOSITORY') return 'not-applicable';
    return typeof repository.kms_key_name === 'string' && repository.kms_key_name !== '' ? 'compliant' : 'non-compliant';
  },
};
