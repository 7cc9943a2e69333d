import type { Rule } from '../../rule';
import { block } from '../../private/terraform-json';

/**
 * IDP-GCP-008: a GKE cluster encrypts Kubernetes Secrets in etcd with a customer-managed Cloud KMS
 * key (application-layer secrets encryption), on top of Google's default encryption at rest.
 *
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/encrypting-secrets
 */
export const gkeSecretsEncryptionRule: Rule = {
  id: 'IDP-GCP-008',
  severity: 'error',
  summary: 'GKE cluster encrypts Kubernetes secrets with a customer-managed Cloud KMS key',
  fix: 'Set database_encryption { state = "ENCRYPTED", key_name = <Cloud KMS crypto key id> } and grant the key to the GKE service agent (service-<number>@container-engine-robot.iam.gserviceaccount.com).',
  appliesTo: ['google_container_cluster'],
  check(cluster) {
    const encryption = block(cluster.database_encryption);
    return encryption?.state === 'ENCRYPTED' && typeof encryption.key_name === 'string' && encryption.key_name !== '' ? 'compliant' : 'non-compliant';
  },
};
