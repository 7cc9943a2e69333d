/** The AWS pack: S3, RDS, EKS, ECR, IAM, KMS, VPC, CloudWatch Logs and Secrets Manager. */
import type { Rule } from '../../rule';
import { ecrImmutableScannedRule } from './ecr-immutable-scanned';
import { ecrKmsEncryptionRule } from './ecr-kms-encryption';
import { ecrNotPublicRule } from './ecr-not-public';
import { eksControlPlaneLoggingRule } from './eks-control-plane-logging';
import { eksNetworkPolicyRule } from './eks-network-policy';
import { eksNodeGroupHaRule } from './eks-node-group-ha';
import { eksNodeProvisionerRule } from './eks-node-provisioner';
import { eksPublicEndpointRule } from './eks-public-endpoint';
import { eksSecretsEncryptionRule } from './eks-secrets-encryption';
import { iamNoAccessKeysRule } from './iam-no-access-keys';
import { iamUserNoPoliciesRule } from './iam-user-no-policies';
import { iamWildcardActionRule } from './iam-wildcard-action';
import { iamWildcardResourceRule } from './iam-wildcard-resource';
import { kmsKeyRotationRule } from './kms-key-rotation';
import { logGroupKmsEncryptionRule } from './log-group-kms-encryption';
import { logGroupRetentionRule } from './log-group-retention';
import { oidcTrustScopedRule } from './oidc-trust-scoped';
import { rdsBackupRetentionRule } from './rds-backup-retention';
import { rdsDeletionProtectionRule } from './rds-deletion-protection';
import { rdsEncryptionRule } from './rds-encryption';
import { rdsMultiAzRule } from './rds-multi-az';
import { rdsNotPublicRule } from './rds-not-public';
import { rdsPostgresTlsRule } from './rds-postgres-tls';
import { s3BucketEncryptionRule } from './s3-bucket-encryption';
import { s3PublicAccessBlockRule } from './s3-public-access-block';
import { s3TlsOnlyRule } from './s3-tls-only';
import { secretsManagerKmsEncryptionRule } from './secretsmanager-kms-encryption';
import { vpcFlowLogsRule } from './vpc-flow-logs';

export {
  ecrImmutableScannedRule,
  ecrKmsEncryptionRule,
  ecrNotPublicRule,
  eksControlPlaneLoggingRule,
  eksNetworkPolicyRule,
  eksNodeGroupHaRule,
  eksNodeProvisionerRule,
  eksPublicEndpointRule,
  eksSecretsEncryptionRule,
  iamNoAccessKeysRule,
  iamUserNoPoliciesRule,
  iamWildcardActionRule,
  iamWildcardResourceRule,
  kmsKeyRotationRule,
  logGroupKmsEncryptionRule,
  logGroupRetentionRule,
  oidcTrustScopedRule,
  rdsBackupRetentionRule,
  rdsDeletionProtectionRule,
  rdsEncryptionRule,
  rdsMultiAzRule,
  rdsNotPublicRule,
  rdsPostgresTlsRule,
  s3BucketEncryptionRule,
  s3PublicAccessBlockRule,
  s3TlsOnlyRule,
  secretsManagerKmsEncryptionRule,
  vpcFlowLogsRule,
};

/** The rules of the AWS pack, in id order. */
export const AWS_RULES: readonly Rule[] = [
  s3BucketEncryptionRule,
  s3PublicAccessBlockRule,
  rdsEncryptionRule,
  rdsNotPublicRule,
  rdsDeletionProtectionRule,
  rdsBackupRetentionRule,
  eksSecretsEncryptionRule,
  eksPublicEndpointRule,
  eksControlPlaneLoggingRule,
  ecrImmutableScannedRule,
  iamWildcardActionRule,
  iamWildcardResourceRule,
  oidcTrustScopedRule,
  kmsKeyRotationRule,
  vpcFlowLogsRule,
  ecrKmsEncryptionRule,
  logGroupKmsEncryptionRule,
  logGroupRetentionRule,
  secretsManagerKmsEncryptionRule,
  rdsMultiAzRule,
  eksNodeGroupHaRule,
  iamNoAccessKeysRule,
  iamUserNoPoliciesRule,
  s3TlsOnlyRule,
  rdsPostgresTlsRule,
  eksNetworkPolicyRule,
  ecrNotPublicRule,
  eksNodeProvisionerRule,
];
