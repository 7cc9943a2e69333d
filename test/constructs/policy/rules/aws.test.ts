import {
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
} from '../../../../constructs/policy/rules/aws';
import { policyJson, verdict } from '../rule-helpers';

const bucketStack = (resources: object) => ({ resource: { aws_s3_bucket: { state: { bucket: 'state' } }, ...resources } });

describe('IDP-AWS-001 S3 default encryption with KMS', () => {
  const sse = (algorithm: string, key?: string) => ({
    aws_s3_bucket_server_side_encryption_configuration: {
      sse: { bucket: '${aws_s3_bucket.state.id}', rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: algorithm, ...(key ? { kms_master_key_id: key } : {}) } }] },
    },
  });
  test('compliant: aws:kms with a key, referencing the bucket', () => {
    expect(verdict(s3BucketEncryptionRule, {}, { name: 'state', document: bucketStack(sse('aws:kms', '${aws_kms_key.k.arn}')) })).toBe('compliant');
  });
  test('non-compliant: AES256, no key, or no configuration for this bucket', () => {
    expect(verdict(s3BucketEncryptionRule, {}, { name: 'state', document: bucketStack(sse('AES256')) })).toBe('non-compliant');
    expect(verdict(s3BucketEncryptionRule, {}, { name: 'state', document: bucketStack(sse('aws:kms')) })).toBe('non-compliant');
    expect(verdict(s3BucketEncryptionRule, {}, { name: 'other', document: bucketStack(sse('aws:kms', '${aws_kms_key.k.arn}')) })).toBe('non-compliant');
  });
});

describe('IDP-AWS-002 S3 public access block', () => {
  const pab = (restrict: boolean) => ({
    aws_s3_bucket_public_access_block: {
      pab: { bucket: '${aws_s3_bucket.state.id}', block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: restrict },
    },
  });
  test('compliant: all four settings on', () => {
    expect(verdict(s3PublicAccessBlockRule, {}, { name: 'state', document: bucketStack(pab(true)) })).toBe('compliant');
  });
  test('non-compliant: one setting off, or no block', () => {
    expect(verdict(s3PublicAccessBlockRule, {}, { name: 'state', document: bucketStack(pab(false)) })).toBe('non-compliant');
    expect(verdict(s3PublicAccessBlockRule, {}, { name: 'state', document: bucketStack({}) })).toBe('non-compliant');
  });
});

describe('IDP-AWS-003..006 RDS', () => {
  const db = { storage_encrypted: true, kms_key_id: '${aws_kms_key.k.arn}', publicly_accessible: false, deletion_protection: true, backup_retention_period: 30 };
  test('compliant: encrypted with a key, private, protected, 30 days of backups', () => {
    for (const rule of [rdsEncryptionRule, rdsNotPublicRule, rdsDeletionProtectionRule, rdsBackupRetentionRule]) expect(verdict(rule, db)).toBe('compliant');
  });
  test('non-compliant: unencrypted or AWS-managed key', () => {
    expect(verdict(rdsEncryptionRule, { ...db, storage_encrypted: false })).toBe('non-compliant');
    expect(verdict(rdsEncryptionRule, { ...db, kms_key_id: undefined })).toBe('non-compliant');
  });
  test('non-compliant: publicly accessible', () => {
    expect(verdict(rdsNotPublicRule, { ...db, publicly_accessible: true })).toBe('non-compliant');
  });
  test('non-compliant: no deletion protection; the rule is off outside prod', () => {
    expect(verdict(rdsDeletionProtectionRule, { ...db, deletion_protection: false })).toBe('non-compliant');
    expect(rdsDeletionProtectionRule.severity).toEqual({ dev: 'off', staging: 'off', prod: 'error' });
  });
  test('backup retention: 7 days is enough in dev, not in prod; unset (provider default 1) never is', () => {
    expect(verdict(rdsBackupRetentionRule, { ...db, backup_retention_period: 7 }, { tier: 'dev' })).toBe('compliant');
    expect(verdict(rdsBackupRetentionRule, { ...db, backup_retention_period: 7 }, { tier: 'prod' })).toBe('non-compliant');
    expect(verdict(rdsBackupRetentionRule, { ...db, backup_retention_period: 3 }, { tier: 'dev' })).toBe('non-compliant');
    expect(verdict(rdsBackupRetentionRule, { ...db, backup_retention_period: undefined }, { tier: 'dev' })).toBe('non-compliant');
  });
});

describe('IDP-AWS-007..009 EKS', () => {
  const cluster = {
    encryption_config: { provider: { key_arn: '${aws_kms_key.k.arn}' }, resources: ['secrets'] },
    vpc_config: { endpoint_private_access: true, endpoint_public_access: false },
    enabled_cluster_log_types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
  };
  test('compliant: secrets encrypted with KMS, private endpoint, control-plane logs', () => {
    for (const rule of [eksSecretsEncryptionRule, eksPublicEndpointRule, eksControlPlaneLoggingRule]) expect(verdict(rule, cluster)).toBe('compliant');
    expect(verdict(eksPublicEndpointRule, { ...cluster, vpc_config: { endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] } })).toBe('compliant');
  });
  test('non-compliant: no secrets encryption', () => {
    expect(verdict(eksSecretsEncryptionRule, { ...cluster, encryption_config: undefined })).toBe('non-compliant');
  });
  test('non-compliant: public endpoint open to 0.0.0.0/0 or with no CIDRs (the provider default is 0.0.0.0/0)', () => {
    expect(verdict(eksPublicEndpointRule, { ...cluster, vpc_config: { endpoint_public_access: true, public_access_cidrs: ['0.0.0.0/0'] } })).toBe('non-compliant');
    expect(verdict(eksPublicEndpointRule, { ...cluster, vpc_config: {} })).toBe('non-compliant');
    expect(eksPublicEndpointRule.severity).toEqual({ dev: 'warning', staging: 'warning', prod: 'error' });
  });
  test('non-compliant: audit logs missing', () => {
    expect(verdict(eksControlPlaneLoggingRule, { ...cluster, enabled_cluster_log_types: ['api'] })).toBe('non-compliant');
    expect(verdict(eksControlPlaneLoggingRule, { ...cluster, enabled_cluster_log_types: undefined })).toBe('non-compliant');
  });
});

describe('IDP-AWS-010 ECR immutable tags and scan on push', () => {
  test('compliant', () => {
    expect(verdict(ecrImmutableScannedRule, { image_tag_mutability: 'IMMUTABLE', image_scanning_configuration: { scan_on_push: true } })).toBe('compliant');
  });
  test('non-compliant: mutable tags or no scanning', () => {
    expect(verdict(ecrImmutableScannedRule, { image_tag_mutability: 'MUTABLE', image_scanning_configuration: { scan_on_push: true } })).toBe('non-compliant');
    expect(verdict(ecrImmutableScannedRule, { image_tag_mutability: 'IMMUTABLE' })).toBe('non-compliant');
  });
});

describe('IDP-AWS-011/012 IAM policy wildcards', () => {
  test('compliant: listed actions on named resources; reads on "*"; writes on "*" scoped by a condition', () => {
    const policy = policyJson(
      { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: '${aws_kms_key.k.arn}' },
      { Effect: 'Allow', Action: ['ec2:DescribeVpcs', 'ec2:DescribeSubnets'], Resource: '*' },
      { Effect: 'Allow', Action: ['ec2:CreateTags'], Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/managed-by': 'idpkit' } } },
    );
    expect(verdict(iamWildcardActionRule, { policy })).toBe('compliant');
    expect(verdict(iamWildcardResourceRule, { policy })).toBe('compliant');
  });
  test('non-compliant: Action "*" (error) or NotAction', () => {
    expect(verdict(iamWildcardActionRule, { policy: policyJson({ Effect: 'Allow', Action: '*', Resource: '${aws_s3_bucket.b.arn}' }) })).toBe('non-compliant');
    expect(verdict(iamWildcardActionRule, { policy: policyJson({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }) })).toBe('non-compliant');
    expect(iamWildcardActionRule.severity).toBe('error');
  });
  test('non-compliant: write actions on Resource "*" without a condition (warning)', () => {
    expect(verdict(iamWildcardResourceRule, { policy: policyJson({ Effect: 'Allow', Action: ['s3:PutObject'], Resource: '*' }) })).toBe('non-compliant');
    expect(iamWildcardResourceRule.severity).toBe('warning');
  });
  test('not applicable: a policy given by reference', () => {
    expect(verdict(iamWildcardActionRule, { policy: '${data.aws_iam_policy_document.p.json}' })).toBe('not-applicable');
  });
});

describe('IDP-AWS-013 OIDC trust scoped by sub', () => {
  const trust = (condition: object | undefined) =>
    policyJson({ Effect: 'Allow', Principal: { Federated: '${aws_iam_openid_connect_provider.github.arn}' }, Action: 'sts:AssumeRoleWithWebIdentity', ...(condition ? { Condition: condition } : {}) });
  test('compliant: exact subjects', () => {
    const role = { assume_role_policy: trust({ StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': ['repo:acme/platform:environment:prod'] } }) };
    expect(verdict(oidcTrustScopedRule, role)).toBe('compliant');
  });
  test('non-compliant: a wildcard sub, or no sub condition at all', () => {
    expect(verdict(oidcTrustScopedRule, { assume_role_policy: trust({ StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/*' } }) })).toBe('non-compliant');
    expect(verdict(oidcTrustScopedRule, { assume_role_policy: trust({ StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } }) })).toBe('non-compliant');
    expect(verdict(oidcTrustScopedRule, { assume_role_policy: trust(undefined) })).toBe('non-compliant');
  });
  test('not applicable: service trust', () => {
    expect(verdict(oidcTrustScopedRule, { assume_role_policy: policyJson({ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' }) })).toBe('not-applicable');
  });
});
