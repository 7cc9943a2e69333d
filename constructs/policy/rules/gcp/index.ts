/** The GCP pack: Cloud KMS, Artifact Registry, GKE, Cloud SQL, VPC, Secret Manager, Cloud Storage and IAM. */
import type { Rule } from '../../rule';
import { artifactRegistryCmekRule } from './artifact-registry-cmek';
import { artifactRegistryImmutableScannedRule } from './artifact-registry-immutable-scanned';
import { cloudSqlBackupsRule } from './cloud-sql-backups';
import { cloudSqlCmekRule } from './cloud-sql-cmek';
import { cloudSqlDeletionProtectionRule } from './cloud-sql-deletion-protection';
import { cloudSqlHaRule } from './cloud-sql-ha';
import { cloudSqlPrivateRule } from './cloud-sql-private';
import { cloudSqlTlsRule } from './cloud-sql-tls';
import { gkeControlPlaneAccessRule } from './gke-control-plane-access';
import { gkeControlPlaneLoggingRule } from './gke-control-plane-logging';
import { gkeNetworkPolicyRule } from './gke-network-policy';
import { gkePrivateNodesRule } from './gke-private-nodes';
import { gkeRegionalRule } from './gke-regional';
import { gkeSecretsEncryptionRule } from './gke-secrets-encryption';
import { gkeWorkloadIdentityRule } from './gke-workload-identity';
import { cloudKmsKeyRotationRule } from './kms-key-rotation';
import { noPublicIamRule } from './no-public-iam';
import { noServiceAccountKeysRule } from './no-service-account-keys';
import { secretManagerCmekRule } from './secret-manager-cmek';
import { storageBucketAccessRule } from './storage-bucket-access';
import { storageBucketCmekRule } from './storage-bucket-cmek';
import { subnetFlowLogsRule } from './subnet-flow-logs';
import { workloadIdentityProviderScopedRule } from './workload-identity-provider-scoped';

export {
  artifactRegistryCmekRule,
  artifactRegistryImmutableScannedRule,
  cloudSqlBackupsRule,
  cloudSqlCmekRule,
  cloudSqlDeletionProtectionRule,
  cloudSqlHaRule,
  cloudSqlPrivateRule,
  cloudSqlTlsRule,
  gkeControlPlaneAccessRule,
  gkeControlPlaneLoggingRule,
  gkeNetworkPolicyRule,
  gkePrivateNodesRule,
  gkeRegionalRule,
  gkeSecretsEncryptionRule,
  gkeWorkloadIdentityRule,
  cloudKmsKeyRotationRule,
  noPublicIamRule,
  noServiceAccountKeysRule,
  secretManagerCmekRule,
  storageBucketAccessRule,
  storageBucketCmekRule,
  subnetFlowLogsRule,
  workloadIdentityProviderScopedRule,
};

/** The rules of the GCP pack, in id order. */
export const GCP_RULES: readonly Rule[] = [
  cloudSqlPrivateRule,
  cloudSqlDeletionProtectionRule,
  gkePrivateNodesRule,
  storageBucketAccessRule,
  cloudKmsKeyRotationRule,
  artifactRegistryCmekRule,
  artifactRegistryImmutableScannedRule,
  gkeSecretsEncryptionRule,
  gkeWorkloadIdentityRule,
  gkeNetworkPolicyRule,
  gkeControlPlaneAccessRule,
  gkeControlPlaneLoggingRule,
  gkeRegionalRule,
  cloudSqlBackupsRule,
  cloudSqlTlsRule,
  cloudSqlHaRule,
  cloudSqlCmekRule,
  subnetFlowLogsRule,
  secretManagerCmekRule,
  storageBucketCmekRule,
  workloadIdentityProviderScopedRule,
  noServiceAccountKeysRule,
  noPublicIamRule,
];
