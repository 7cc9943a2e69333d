import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration, S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import { DEFAULT_NONCURRENT_VERSION_RETENTION_DAYS, ObjectBucket, ObjectBucketProps, bucketPropsProblems } from '.';
import { IdpkitError } from '../../core/errors';
import { tierDefault } from '../../core/tiers';
import { AwsKmsKey } from '../../infrastructure/keys/aws';
import { policyDocument } from '../../integration/identity/aws';

/** S3 bucket names: 3-63 lowercase letters, digits, "." and "-". */
export const S3_BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Props of {@link AwsObjectBucket}. */
export interface AwsObjectBucketProps extends ObjectBucketProps {
  /** KMS key of the bucket. @default - a new key, alias `idpkit/bucket/<bucketName>` */
  readonly key?: AwsKmsKey;
  /** Waiting period of the created key's deletion (7 to 30 days). @default - the tier's `keyDeletionWindowDays` (dev 7, staging and prod 30); 30 without a tier */
  readonly keyDeletionWindowDays?: number;
  /** Refuse `terraform destroy` of the bucket and the key this construct creates (`lifecycle.prevent_destroy`). @default - the tier's `deletionProtection` (prod only); false without a tier */
  readonly preventDestroy?: boolean;
}

/**
 * An S3 bucket for an add-on's data: SSE-KMS with its own key (bucket keys on), every public access
 * blocked, ACLs disabled (BucketOwnerEnforced), TLS-only by bucket policy, optional versioning and
 * expiry. Access is granted to workload identities with a `bucket-read-write` grant naming it.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
 * @example
 * const bucket = new AwsObjectBucket(this, 'loki-chunks', { bucketName: 'idpkit-prod-loki-chunks-222222222222' });
 */
export class AwsObjectBucket extends Construct implements ObjectBucket {
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly bucketKeyArn: string;
  /** The bucket's KMS key. */
  readonly key: AwsKmsKey;

  constructor(scope: Construct, id: string, props: AwsObjectBucketProps) {
    super(scope, id);
    const problems = bucketPropsProblems(this.node.path, props, S3_BUCKET_NAME);
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
    const preventDestroy = props.preventDestroy ?? tierDefault(this, (rules) => rules.deletionProtection, false);
    this.key =
      props.key ??
      new AwsKmsKey(this, 'key', {
        alias: `idpkit/bucket/${props.bucketName}`,
        description: `Objects in ${props.bucketName}`,
        deletionWindowDays: props.keyDeletionWindowDays,
        preventDestroy,
      });
    const bucket = new S3Bucket(this, 'bucket', {
      bucket: props.bucketName,
      forceDestroy: props.forceDestroy ?? tierDefault(this, (rules) => !rules.deletionProtection, false),
      lifecycle: preventDestroy ? { preventDestroy: true } : undefined,
    });
    if (props.versioning) new S3BucketVersioningA(this, 'versioning', { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: bucket.id,
      rule: [{ bucketKeyEnabled: true, applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: this.key.keyId } }],
    });
    new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    const rules: S3BucketLifecycleConfigurationRule[] = [
      { id: 'abort-incomplete-uploads', status: 'Enabled', filter: [{ prefix: '' }], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }] },
    ];
    if (props.expiryDays) rules.push({ id: 'expire-objects', status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ days: props.expiryDays }] });
    if (props.versioning) {
      rules.push({
        id: 'expire-noncurrent-versions',
        status: 'Enabled',
        filter: [{ prefix: '' }],
        noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionRetentionDays ?? DEFAULT_NONCURRENT_VERSION_RETENTION_DAYS }],
      });
    }
    new S3BucketLifecycleConfiguration(this, 'lifecycle', { bucket: bucket.id, rule: rules });
    new S3BucketPolicy(this, 'policy', {
      bucket: bucket.id,
      policy: policyDocument([
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [bucket.arn, `${bucket.arn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': false } },
        },
      ]),
    });
    this.bucketName = props.bucketName;
    this.bucketArn = bucket.arn;
    this.bucketKeyArn = this.key.keyId;
  }
}
