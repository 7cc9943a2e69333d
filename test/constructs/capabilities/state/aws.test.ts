import { TerraformStack, Testing } from '../../../../constructs/core/cdktf';
import { AwsStateBucket, configureS3State } from '../../../../constructs/capabilities/state/aws';
import { configureLocalState } from '../../../../constructs/integration/state';
import { awsTestStack, onlyResource, synthJson } from '../../../helpers';

describe('configureS3State', () => {
  const stack = new TerraformStack(Testing.app(), 'prod-infra');
  configureS3State(stack, { backend: 's3', bucket: 'acme-state', region: 'eu-west-1', accountId: '222222222222' });
  const json = synthJson(stack);

  test('encrypts with the state key, locks with the native S3 lock file, and keys state by stack', () => {
    expect(json.terraform.backend.s3).toEqual({
      bucket: 'acme-state',
      key: 'idpkit/prod-infra/terraform.tfstate',
      region: 'eu-west-1',
      encrypt: true,
      use_lockfile: true,
      kms_key_id: 'arn:aws:kms:eu-west-1:222222222222:alias/idpkit/state/acme-state',
    });
    expect(json.terraform.backend.s3.dynamodb_table).toBeUndefined();
  });

  test('requires a Terraform version with S3 native locking', () => {
    expect(json.terraform.required_version).toBe('>= 1.10.0');
  });
});

describe('configureLocalState', () => {
  test('names the state file after the stack', () => {
    const stack = new TerraformStack(Testing.app(), 'lab-infra');
    configureLocalState(stack, { backend: 'local', path: 'state/' });
    expect(synthJson(stack).terraform.backend).toEqual({ local: { path: 'state/lab-infra.tfstate' } });
  });
});

describe('AwsStateBucket', () => {
  const json = awsTestStack((stack) => new AwsStateBucket(stack, 'state', { bucket: 'acme.state' }));

  test('is versioned, encrypted with its own KMS key under the alias backends name, and protected from destroy', () => {
    expect(onlyResource(json, 'aws_s3_bucket')).toMatchObject({ bucket: 'acme.state', lifecycle: { prevent_destroy: true } });
    expect(onlyResource(json, 'aws_kms_key').lifecycle).toEqual({ prevent_destroy: true });
    expect(onlyResource(json, 'aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
    expect(onlyResource(json, 'aws_s3_bucket_server_side_encryption_configuration').rule).toEqual([
      { bucket_key_enabled: true, apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: expect.stringMatching(/aws_kms_key\..+\.arn/) } },
    ]);
    expect(onlyResource(json, 'aws_kms_alias').name).toBe('alias/idpkit/state/acme-state');
  });

  test('blocks all public access and disables ACLs', () => {
    expect(onlyResource(json, 'aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(onlyResource(json, 'aws_s3_bucket_ownership_controls').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
  });

  test('denies any request not made over TLS', () => {
    const [statement] = JSON.parse(onlyResource(json, 'aws_s3_bucket_policy').policy).Statement;
    expect(statement).toMatchObject({ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': false } } });
  });

  test('keeps superseded state versions 90 days', () => {
    const rules = onlyResource(json, 'aws_s3_bucket_lifecycle_configuration').rule;
    expect(rules.find((rule: any) => rule.noncurrent_version_expiration).noncurrent_version_expiration).toEqual([{ noncurrent_days: 90 }]);
  });
});
