/** The AWS pack: S3, RDS, EKS, ECR and IAM. */
import type { Rule } from '../../engine';
import { ecrImmutableScannedRule } from './ecr-immutable-scanned';
import { eksControlPlaneLoggingRule } from './eks-control-plane-logging';
import { eksPublicEndpointRule } from './eks-public-endpoint';
import { eksSecretsEncryptionRule } from './eks-secrets-encryption';
import { iamWildcardActionRule } from './iam-wildcard-action';
import { iamWildcardResourceRule } from './iam-wildcard-resource';
import { oidcTrustScopedRule } from './oidc-trust-scoped';
import { rdsBackupRetentionRule } from './rds-backup-retention';
import { rdsDeletionProtectionRule } from './rds-deletion-protection';
import { rdsEncryptionRule } from './rds-encryption';
import { rdsNotPublicRule } from './rds-not-public';
import { s3BucketEncryptionRule } from './s3-bucket-encryption';
import { s3PublicAccessBlockRule } from './s3-public-access-block';

export {
  ecrImmutableScannedRule,
  eksControlPlaneLoggingRule,
  eksPublicEndpointRule,
  eksSecretsEncryptionRule,
  iamWildcardActionRule,
  iamWildcardResourceRule,
  oidcTrustScopedRule,
  rdsBackupRetentionRule,
  rdsDeletionProtectionRule,
  rdsEncryptionRule,
  rdsNotPublicRule,
  s3BucketEncryptionRule,
  s3PublicAccessBlockRule,
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
];
