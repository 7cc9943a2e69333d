import { Construct } from 'constructs';
import { S3StateProps, stateKey } from '../../integration/state';
import { DataTerraformRemoteStateS3, S3Backend, TerraformStack } from '../../core/cdktf';
import { AwsObjectBucket } from '../storage/aws';
import { AwsKmsKey } from '../../infrastructure/keys/aws';

/** The KMS alias of a state bucket's key, derived from the bucket name so backends can name it up front. */
export const stateKeyAlias = (bucket: string): string => `idpkit/state/${bucket.replace(/\./g, '-')}`;

/** Terraform versions with S3 native state locking. */
export const S3_LOCKFILE_TERRAFORM_VERSION = '>= 1.10.0';

/**
 * Configures a stack's S3 backend: encrypted with the state bucket's KMS key, locked with
 * Terraform's native S3 lock file (Terraform >= 1.10, no DynamoDB table), one key per stack.
 *
 * @param key the state object's key @default - {@link stateKey} of the stack's name
 * @see https://developer.hashicorp.com/terraform/language/backend/s3
 */
export function configureS3State(stack: TerraformStack, props: S3StateProps, key: string = stateKey(stack.node.id)): void {
  const backend = new S3Backend(stack, {
    bucket: props.bucket,
    key,
    region: props.region,
    encrypt: true,
    kmsKeyId: `arn:aws:kms:${props.region}:${props.accountId}:alias/${stateKeyAlias(props.bucket)}`,
  });
  // cdktf 0.21's S3Backend predates `use_lockfile`, which needs Terraform 1.10 or later.
  backend.addOverride('use_lockfile', true);
  stack.addOverride('terraform.required_version', S3_LOCKFILE_TERRAFORM_VERSION);
}

/**
 * Reads another stack's outputs from its state in S3 (`terraform_remote_state`): the same bucket
 * and key {@link configureS3State} gives that stack, so only its name is needed.
 *
 * @see https://developer.hashicorp.com/terraform/language/state/remote-state-data
 */
export function readS3State(scope: Construct, id: string, props: S3StateProps, stackName: string): DataTerraformRemoteStateS3 {
  return new DataTerraformRemoteStateS3(scope, id, { bucket: props.bucket, key: stateKey(stackName), region: props.region });
}

/** Props of {@link AwsStateBucket}. */
export interface AwsStateBucketProps {
  /** Bucket name, as the environments' `state.bucket` names it. */
  readonly bucket: string;
  /** Days noncurrent state versions are kept for recovery. @default 90 */
  readonly noncurrentVersionRetentionDays?: number;
}

/** Days a superseded state version stays recoverable when none is given. */
export const DEFAULT_NONCURRENT_STATE_RETENTION_DAYS = 90;

/**
 * The S3 bucket that holds Terraform state: an {@link AwsObjectBucket} (SSE-KMS with bucket keys,
 * all public access blocked, ACLs disabled, TLS-only) that is versioned, keeps superseded state
 * for recovery, uses a key under the alias backends name, and is protected (bucket and key) from `terraform destroy`.
 *
 * @example
 * new AwsStateBucket(this, 'state', { bucket: 'acme-idpkit-state-111111111111-eu-west-1' });
 */
export class AwsStateBucket extends Construct {
  /** The bucket's ARN. */
  readonly bucketArn: string;
  /** The KMS key that encrypts state objects. */
  readonly key: AwsKmsKey;

  constructor(scope: Construct, id: string, props: AwsStateBucketProps) {
    super(scope, id);
    this.key = new AwsKmsKey(this, 'key', { alias: stateKeyAlias(props.bucket), description: `Terraform state in ${props.bucket}`, preventDestroy: true });
    const bucket = new AwsObjectBucket(this, 'bucket', {
      bucketName: props.bucket,
      key: this.key,
      versioning: true,
      noncurrentVersionRetentionDays: props.noncurrentVersionRetentionDays ?? DEFAULT_NONCURRENT_STATE_RETENTION_DAYS,
      preventDestroy: true,
    });
    this.bucketArn = bucket.bucketArn;
  }
}
