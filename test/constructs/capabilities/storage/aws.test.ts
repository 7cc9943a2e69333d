import { AwsObjectBucket } from '../../../../constructs/capabilities/storage/aws';
import { awsTestStack, onlyResource, resources } from '../../../helpers';

describe('AwsObjectBucket', () => {
  test('versioning and expiry are opt-in; the bucket has its own rotating KMS key', () => {
    const json = awsTestStack((stack) => new AwsObjectBucket(stack, 'bucket', { bucketName: 'team-logs-bucket', versioning: true, expiryDays: 30 }));
    expect(onlyResource(json, 'aws_s3_bucket_versioning').versioning_configuration.status).toBe('Enabled');
    const rules = onlyResource(json, 'aws_s3_bucket_lifecycle_configuration').rule.map((r: any) => r.id);
    expect(rules).toEqual(['abort-incomplete-uploads', 'expire-objects', 'expire-noncurrent-versions']);
    expect(onlyResource(json, 'aws_kms_key').enable_key_rotation).toBe(true);
    const policy = JSON.parse(onlyResource(json, 'aws_s3_bucket_policy').policy).Statement[0];
    expect(policy).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': false } } });
  });

  test('no versioning resource by default', () => {
    const json = awsTestStack((stack) => new AwsObjectBucket(stack, 'bucket', { bucketName: 'team-logs-bucket' }));
    expect(resources(json, 'aws_s3_bucket_versioning')).toHaveLength(0);
    expect(onlyResource(json, 'aws_s3_bucket').lifecycle).toBeUndefined();
    expect(onlyResource(json, 'aws_kms_key').lifecycle).toBeUndefined();
  });

  test('preventDestroy keeps the bucket and the key it creates from destroy', () => {
    const json = awsTestStack((stack) => new AwsObjectBucket(stack, 'bucket', { bucketName: 'team-logs-bucket', preventDestroy: true }));
    expect(onlyResource(json, 'aws_s3_bucket').lifecycle).toEqual({ prevent_destroy: true });
    expect(onlyResource(json, 'aws_kms_key').lifecycle).toEqual({ prevent_destroy: true });
  });

  test('throws when the name or expiry is invalid', () => {
    expect(() => awsTestStack((stack) => new AwsObjectBucket(stack, 'bucket', { bucketName: 'Bad_Name' }))).toThrow(/IDPKIT|is not a valid name/);
    expect(() => awsTestStack((stack) => new AwsObjectBucket(stack, 'bucket', { bucketName: 'good-name', expiryDays: 0 }))).toThrow(/expiryDays 0/);
  });
});
