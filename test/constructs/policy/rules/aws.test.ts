import {
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

describe('IDP-AWS-014 KMS key rotation', () => {
  test('compliant: rotation on (or given by reference)', () => {
    expect(verdict(kmsKeyRotationRule, { enable_key_rotation: true, rotation_period_in_days: 365 })).toBe('compliant');
    expect(verdict(kmsKeyRotationRule, { enable_key_rotation: '${var.rotate}' })).toBe('compliant');
  });
  test('non-compliant: rotation off or unset (the provider default is off)', () => {
    expect(verdict(kmsKeyRotationRule, { enable_key_rotation: false })).toBe('non-compliant');
    expect(verdict(kmsKeyRotationRule, { customer_master_key_spec: 'SYMMETRIC_DEFAULT' })).toBe('non-compliant');
  });
  test('not applicable: asymmetric and HMAC keys, keys in a custom key store', () => {
    expect(verdict(kmsKeyRotationRule, { customer_master_key_spec: 'RSA_2048', key_usage: 'SIGN_VERIFY' })).toBe('not-applicable');
    expect(verdict(kmsKeyRotationRule, { customer_master_key_spec: 'HMAC_256', key_usage: 'GENERATE_VERIFY_MAC' })).toBe('not-applicable');
    expect(verdict(kmsKeyRotationRule, { custom_key_store_id: 'cks-1234567890abcdef0' })).toBe('not-applicable');
  });
});

describe('IDP-AWS-015 VPC flow logs', () => {
  const vpcStack = (flowLogs: object) => ({ resource: { aws_vpc: { main: { cidr_block: '10.0.0.0/16' } }, aws_flow_log: flowLogs } });
  test('compliant: a flow log whose vpc_id refers to the VPC', () => {
    expect(verdict(vpcFlowLogsRule, {}, { name: 'main', document: vpcStack({ all: { vpc_id: '${aws_vpc.main.id}', traffic_type: 'ALL' } }) })).toBe('compliant');
  });
  test('non-compliant: no flow log, or one for another VPC or a subnet only', () => {
    expect(verdict(vpcFlowLogsRule, {}, { name: 'main', document: vpcStack({}) })).toBe('non-compliant');
    expect(verdict(vpcFlowLogsRule, {}, { name: 'main', document: vpcStack({ other: { vpc_id: '${aws_vpc.other.id}' } }) })).toBe('non-compliant');
    expect(verdict(vpcFlowLogsRule, {}, { name: 'main', document: vpcStack({ subnet: { subnet_id: '${aws_subnet.a.id}', tags: { vpc: '${aws_vpc.main.id}' } } }) })).toBe('non-compliant');
    expect(vpcFlowLogsRule.severity).toEqual({ dev: 'warning', staging: 'error', prod: 'error' });
  });
});

describe('IDP-AWS-016 ECR encrypted with a customer-managed key', () => {
  test('compliant: KMS (or KMS_DSSE) with a key', () => {
    expect(verdict(ecrKmsEncryptionRule, { encryption_configuration: [{ encryption_type: 'KMS', kms_key: '${aws_kms_key.k.arn}' }] })).toBe('compliant');
    expect(verdict(ecrKmsEncryptionRule, { encryption_configuration: { encryption_type: 'KMS_DSSE', kms_key: 'arn:aws:kms:eu-west-1:111111111111:key/abc' } })).toBe('compliant');
  });
  test('non-compliant: no encryption configuration (AES256), AES256, or KMS with the AWS managed key', () => {
    expect(verdict(ecrKmsEncryptionRule, {})).toBe('non-compliant');
    expect(verdict(ecrKmsEncryptionRule, { encryption_configuration: [{ encryption_type: 'AES256' }] })).toBe('non-compliant');
    expect(verdict(ecrKmsEncryptionRule, { encryption_configuration: [{ encryption_type: 'KMS' }] })).toBe('non-compliant');
  });
});

describe('IDP-AWS-017/018 CloudWatch log groups', () => {
  const logGroup = { name: '/aws/eks/prod/cluster', kms_key_id: '${aws_kms_key.logs.arn}', retention_in_days: 365 };
  test('compliant: a customer key and a retention', () => {
    expect(verdict(logGroupKmsEncryptionRule, logGroup)).toBe('compliant');
    expect(verdict(logGroupRetentionRule, logGroup)).toBe('compliant');
    expect(verdict(logGroupRetentionRule, { ...logGroup, retention_in_days: '${var.days}' })).toBe('compliant');
  });
  test('non-compliant: no kms_key_id (error)', () => {
    expect(verdict(logGroupKmsEncryptionRule, { ...logGroup, kms_key_id: undefined })).toBe('non-compliant');
    expect(logGroupKmsEncryptionRule.severity).toBe('error');
  });
  test('non-compliant: kept forever, retention unset or 0 (warning)', () => {
    expect(verdict(logGroupRetentionRule, { ...logGroup, retention_in_days: undefined })).toBe('non-compliant');
    expect(verdict(logGroupRetentionRule, { ...logGroup, retention_in_days: 0 })).toBe('non-compliant');
    expect(logGroupRetentionRule.severity).toBe('warning');
  });
});

describe('IDP-AWS-019 Secrets Manager encrypted with a customer-managed key', () => {
  test('compliant: kms_key_id set', () => {
    expect(verdict(secretsManagerKmsEncryptionRule, { name: 'prod-db', kms_key_id: '${aws_kms_key.k.arn}' })).toBe('compliant');
  });
  test('non-compliant: no key (the AWS managed key) or the AWS managed key named', () => {
    expect(verdict(secretsManagerKmsEncryptionRule, { name: 'prod-db' })).toBe('non-compliant');
    expect(verdict(secretsManagerKmsEncryptionRule, { name: 'prod-db', kms_key_id: 'alias/aws/secretsmanager' })).toBe('non-compliant');
  });
});

describe('IDP-AWS-020 RDS Multi-AZ', () => {
  test('compliant: multi_az on', () => {
    expect(verdict(rdsMultiAzRule, { engine: 'postgres', multi_az: true })).toBe('compliant');
  });
  test('non-compliant: single-AZ; off in dev, an error in prod', () => {
    expect(verdict(rdsMultiAzRule, { engine: 'postgres', multi_az: false })).toBe('non-compliant');
    expect(verdict(rdsMultiAzRule, { engine: 'postgres' })).toBe('non-compliant');
    expect(rdsMultiAzRule.severity).toEqual({ dev: 'off', staging: 'warning', prod: 'error' });
  });
  test('not applicable: read replicas', () => {
    expect(verdict(rdsMultiAzRule, { replicate_source_db: '${aws_db_instance.primary.identifier}' })).toBe('not-applicable');
  });
});

describe('IDP-AWS-021 EKS node groups keep two nodes over several subnets', () => {
  const group = { scaling_config: [{ min_size: 3, max_size: 12, desired_size: 3 }], subnet_ids: ['${aws_subnet.a.id}', '${aws_subnet.b.id}', '${aws_subnet.c.id}'] };
  test('compliant: at least two nodes over several subnets; values by reference are not judged', () => {
    expect(verdict(eksNodeGroupHaRule, group)).toBe('compliant');
    expect(verdict(eksNodeGroupHaRule, { scaling_config: { min_size: '${var.min}' }, subnet_ids: '${var.subnet_ids}' })).toBe('compliant');
  });
  test('non-compliant: one node minimum, or a single subnet; off in dev', () => {
    expect(verdict(eksNodeGroupHaRule, { ...group, scaling_config: [{ min_size: 1, max_size: 3 }] })).toBe('non-compliant');
    expect(verdict(eksNodeGroupHaRule, { ...group, subnet_ids: ['${aws_subnet.a.id}'] })).toBe('non-compliant');
    expect(eksNodeGroupHaRule.severity).toEqual({ dev: 'off', staging: 'warning', prod: 'error' });
  });
});

describe('IDP-AWS-022/023 no static credentials', () => {
  const userStack = (resources: object) => ({ resource: { aws_iam_user: { deployer: { name: 'deployer' } }, ...resources } });
  test('non-compliant: any IAM access key (error)', () => {
    expect(verdict(iamNoAccessKeysRule, { user: '${aws_iam_user.deployer.name}' })).toBe('non-compliant');
    expect(iamNoAccessKeysRule.severity).toBe('error');
  });
  test('compliant: a user without policies, or with an exclusive policy list that removes them all', () => {
    expect(verdict(iamUserNoPoliciesRule, { name: 'deployer' }, { name: 'deployer', document: userStack({}) })).toBe('compliant');
    const none = { aws_iam_user_policy_attachments_exclusive: { none: { user_name: '${aws_iam_user.deployer.name}', policy_arns: [] } } };
    expect(verdict(iamUserNoPoliciesRule, { name: 'deployer' }, { name: 'deployer', document: userStack(none) })).toBe('compliant');
  });
  test('non-compliant: inline or attached policies, by reference or by name (warning)', () => {
    const inline = { aws_iam_user_policy: { p: { user: '${aws_iam_user.deployer.name}', policy: '{}' } } };
    const attached = { aws_iam_user_policy_attachment: { a: { user: 'deployer', policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' } } };
    const shared = { aws_iam_policy_attachment: { s: { name: 's', users: ['${aws_iam_user.deployer.name}'], policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } } };
    for (const resources of [inline, attached, shared]) {
      expect(verdict(iamUserNoPoliciesRule, { name: 'deployer' }, { name: 'deployer', document: userStack(resources) })).toBe('non-compliant');
    }
    expect(iamUserNoPoliciesRule.severity).toBe('warning');
  });
});

describe('IDP-AWS-024 S3 TLS only', () => {
  const denyInsecure = { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['${aws_s3_bucket.state.arn}', '${aws_s3_bucket.state.arn}/*'], Condition: { Bool: { 'aws:SecureTransport': false } } };
  const withPolicy = (policy: string, data?: object) => ({ ...bucketStack({ aws_s3_bucket_policy: { p: { bucket: '${aws_s3_bucket.state.id}', policy } } }), ...(data ? { data } : {}) });
  test('compliant: a literal policy denying insecure transport', () => {
    expect(verdict(s3TlsOnlyRule, { bucket: 'state' }, { name: 'state', document: withPolicy(policyJson(denyInsecure)) })).toBe('compliant');
    const stringly = { ...denyInsecure, Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
    expect(verdict(s3TlsOnlyRule, { bucket: 'state' }, { name: 'state', document: withPolicy(policyJson(stringly)) })).toBe('compliant');
  });
  test('compliant: an aws_iam_policy_document data source denying insecure transport; a policy by other reference cannot be judged', () => {
    const statement = {
      effect: 'Deny',
      actions: ['s3:*'],
      principals: [{ type: '*', identifiers: ['*'] }],
      resources: ['${aws_s3_bucket.state.arn}/*'],
      condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
    };
    const data = { aws_iam_policy_document: { tls: { statement: [statement] } } };
    expect(verdict(s3TlsOnlyRule, { bucket: 'state' }, { name: 'state', document: withPolicy('${data.aws_iam_policy_document.tls.json}', data) })).toBe('compliant');
    expect(verdict(s3TlsOnlyRule, { bucket: 'state' }, { name: 'state', document: withPolicy('${var.bucket_policy}') })).toBe('compliant');
  });
  test('non-compliant: no bucket policy, one without the deny, or a data source without it', () => {
    expect(verdict(s3TlsOnlyRule, { bucket: 'state' }, { name: 'state', document: bucketStack({}) })).toBe('non-compliant');
    const allowOnly = policyJson({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 's3:GetObject', Resource: '*' });
    expect(verdict(s3TlsOnlyRule, { bucket: 'state' }, { name: 'state', document: withPolicy(allowOnly) })).toBe('non-compliant');
    const allowData = { aws_iam_policy_document: { tls: { statement: [{ actions: ['s3:GetObject'], resources: ['*'] }] } } };
    expect(verdict(s3TlsOnlyRule, { bucket: 'state' }, { name: 'state', document: withPolicy('${data.aws_iam_policy_document.tls.json}', allowData) })).toBe('non-compliant');
    expect(verdict(s3TlsOnlyRule, { bucket: 'other' }, { name: 'other', document: withPolicy(policyJson(denyInsecure)) })).toBe('non-compliant');
  });
});

describe('IDP-AWS-025 RDS for PostgreSQL requires TLS', () => {
  const withGroup = (parameters: object[], family = 'postgres14') => ({
    resource: { aws_db_parameter_group: { pg: { name: 'prod-postgres', family, parameter: parameters } } },
  });
  const db = (engineVersion: string, parameterGroupName?: string) => ({ engine: 'postgres', engine_version: engineVersion, ...(parameterGroupName ? { parameter_group_name: parameterGroupName } : {}) });
  test('compliant: an attached group with rds.force_ssl = 1 (by reference or by name)', () => {
    const document = withGroup([{ name: 'rds.force_ssl', value: '1' }]);
    expect(verdict(rdsPostgresTlsRule, db('14', '${aws_db_parameter_group.pg.name}'), { document })).toBe('compliant');
    expect(verdict(rdsPostgresTlsRule, db('14', 'prod-postgres'), { document })).toBe('compliant');
  });
  test('compliant: PostgreSQL 15 or later leaves rds.force_ssl at its default of 1; a group managed elsewhere cannot be judged', () => {
    expect(verdict(rdsPostgresTlsRule, db('17'))).toBe('compliant');
    expect(verdict(rdsPostgresTlsRule, db('16.4', 'default.postgres16'))).toBe('compliant');
    expect(verdict(rdsPostgresTlsRule, db('15', '${aws_db_parameter_group.pg.name}'), { document: withGroup([], 'postgres15') })).toBe('compliant');
    expect(verdict(rdsPostgresTlsRule, db('14', 'shared-postgres14'))).toBe('compliant');
  });
  test('non-compliant: rds.force_ssl turned off, or PostgreSQL 14 and older on their default of 0', () => {
    expect(verdict(rdsPostgresTlsRule, db('17', '${aws_db_parameter_group.pg.name}'), { document: withGroup([{ name: 'rds.force_ssl', value: '0' }], 'postgres17') })).toBe('non-compliant');
    expect(verdict(rdsPostgresTlsRule, db('14.12'))).toBe('non-compliant');
    expect(verdict(rdsPostgresTlsRule, db('13', 'default.postgres13'))).toBe('non-compliant');
    expect(verdict(rdsPostgresTlsRule, db('14', '${aws_db_parameter_group.pg.name}'), { document: withGroup([{ name: 'log_connections', value: '1' }]) })).toBe('non-compliant');
  });
  test('not applicable: other engines', () => {
    expect(verdict(rdsPostgresTlsRule, { engine: 'mysql', engine_version: '8.0' })).toBe('not-applicable');
  });
});

describe('IDP-AWS-026 EKS enforces NetworkPolicies', () => {
  const clusterStack = (resources: object, tags?: object) => ({
    resource: { aws_eks_cluster: { cluster: { name: 'prod', ...(tags ? { tags } : {}) } }, ...resources },
  });
  const cni = (configurationValues?: string) => ({
    aws_eks_addon: { cni: { cluster_name: '${aws_eks_cluster.cluster.name}', addon_name: 'vpc-cni', ...(configurationValues ? { configuration_values: configurationValues } : {}) } },
  });
  const check = (document: any) => verdict(eksNetworkPolicyRule, document.resource.aws_eks_cluster.cluster, { name: 'cluster', document });
  test('compliant: the VPC CNI network policy agent is on', () => {
    expect(check(clusterStack(cni(JSON.stringify({ enableNetworkPolicy: 'true' }))))).toBe('compliant');
  });
  test('compliant: Cilium or Calico in the stack, or the cluster tagged with an engine another stack installs', () => {
    expect(check(clusterStack({ ...cni(), helm_release: { cilium: { chart: 'cilium', repository: 'https://helm.cilium.io/' } } }))).toBe('compliant');
    expect(check(clusterStack({ ...cni(), helm_release: { calico: { chart: 'projectcalico/tigera-operator' } } }))).toBe('compliant');
    expect(check(clusterStack(cni(), { 'idpkit.dev/network-policy-engine': 'cilium' }))).toBe('compliant');
  });
  test('non-compliant: the agent off or unset and no other engine (NetworkPolicies would be ignored)', () => {
    expect(check(clusterStack(cni()))).toBe('non-compliant');
    expect(check(clusterStack(cni(JSON.stringify({ enableNetworkPolicy: 'false' }))))).toBe('non-compliant');
    expect(check(clusterStack(cni(), { 'idpkit.dev/network-policy-engine': 'vpc-cni' }))).toBe('non-compliant');
    expect(check(clusterStack({}))).toBe('non-compliant');
    expect(eksNetworkPolicyRule.severity).toEqual({ dev: 'warning', staging: 'error', prod: 'error' });
  });
});

describe('IDP-AWS-028 EKS node groups that may grow have a node provisioner', () => {
  const stack = (scaling: object, tags?: object, resources: object = {}) => ({
    resource: {
      aws_eks_cluster: { cluster: { name: 'dev', ...(tags ? { tags } : {}) } },
      aws_eks_node_group: { general: { cluster_name: '${aws_eks_cluster.cluster.name}', scaling_config: [scaling] } },
      ...resources,
    },
  });
  const check = (document: any) => verdict(eksNodeProvisionerRule, document.resource.aws_eks_node_group.general, { name: 'general', document });
  test('compliant: the cluster is tagged with a provisioner another stack installs, or this stack installs one', () => {
    expect(check(stack({ min_size: 1, desired_size: 1, max_size: 3 }, { 'idpkit.dev/node-provisioner': 'karpenter' }))).toBe('compliant');
    expect(check(stack({ min_size: 1, max_size: 3 }, undefined, { helm_release: { ca: { chart: 'cluster-autoscaler', repository: 'https://kubernetes.github.io/autoscaler' } } }))).toBe('compliant');
    expect(check(stack({ min_size: 1, max_size: 3 }, undefined, { helm_release: { k: { chart: 'karpenter', repository: 'oci://public.ecr.aws/karpenter' } } }))).toBe('compliant');
  });
  test('compliant: a fixed-size group has nothing to grow; sizes by reference are not judged', () => {
    expect(check(stack({ min_size: 3, max_size: 3 }))).toBe('compliant');
    expect(check(stack({ min_size: '${var.min}', max_size: 3 }))).toBe('not-applicable');
  });
  test("non-compliant: max_size above min_size and nothing grows it (issue 19's dev: 1 t3.large for 30 releases)", () => {
    expect(check(stack({ min_size: 1, desired_size: 1, max_size: 3 }))).toBe('non-compliant');
    expect(check(stack({ min_size: 1, max_size: 3 }, { 'idpkit.dev/network-policy-engine': 'vpc-cni' }))).toBe('non-compliant');
    expect(eksNodeProvisionerRule.severity).toBe('warning');
  });
});

describe('IDP-AWS-027 ECR policies not public', () => {
  const pull = { Effect: 'Allow', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] };
  test('compliant: named accounts, or everyone narrowed by a Condition on the organization', () => {
    expect(verdict(ecrNotPublicRule, { policy: policyJson({ ...pull, Principal: { AWS: 'arn:aws:iam::222222222222:root' } }) })).toBe('compliant');
    expect(verdict(ecrNotPublicRule, { policy: policyJson({ ...pull, Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } }) })).toBe('compliant');
  });
  test('non-compliant: principal "*" or { AWS: "*" } without a Condition', () => {
    expect(verdict(ecrNotPublicRule, { policy: policyJson({ ...pull, Principal: '*' }) })).toBe('non-compliant');
    expect(verdict(ecrNotPublicRule, { policy: policyJson({ ...pull, Principal: { AWS: ['arn:aws:iam::222222222222:root', '*'] } }) }, { type: 'aws_ecr_registry_policy' })).toBe('non-compliant');
  });
  test('not applicable: a policy given as a reference', () => {
    expect(verdict(ecrNotPublicRule, { policy: '${data.aws_iam_policy_document.pull.json}' })).toBe('not-applicable');
  });
});
