import { StorageBucket, StorageBucketLifecycleRule } from '@cdktf/provider-google/lib/storage-bucket';
import { Construct } from 'constructs';
import { DEFAULT_NONCURRENT_VERSION_RETENTION_DAYS, ObjectBucket, ObjectBucketProps, bucketPropsProblems } from '.';
import { IdpkitError } from '../../core/errors';
import { tierDefault } from '../../core/tiers';
import { GcpKmsKey } from '../../infrastructure/keys/gcp';
import { GCP_SERVICES, gcpServiceAgent, requireServices } from '../../integration/services/gcp';

/** Props of {@link GcpObjectBucket}. */
export interface GcpObjectBucketProps extends ObjectBucketProps {
  /** Location of the bucket, e.g. `europe-west1` (the key must be in the same location). */
  readonly location: string;
  /** Cloud KMS key of the bucket (CMEK); the Cloud Storage service agent is granted it. */
  readonly key: GcpKmsKey;
  /** Refuse `terraform destroy` of the bucket (`lifecycle.prevent_destroy`). @default - the tier's `deletionProtection` (prod only); false without a tier */
  readonly preventDestroy?: boolean;
}

/**
 * A GCS bucket for an add-on's data: uniform bucket-level access (no ACLs), public access
 * prevention enforced, CMEK with the given Cloud KMS key (granted to the project's Cloud Storage
 * service agent first), optional versioning and expiry, and with `preventDestroy` a bucket
 * Terraform refuses to destroy. Access is granted to workload identities with a
 * `bucket-read-write` grant naming it (a bucket-level IAM member).
 *
 * @see https://cloud.google.com/storage/docs/encryption/customer-managed-keys
 * @example
 * declare const key: GcpKmsKey;
 * const bucket = new GcpObjectBucket(this, 'tempo-traces', { bucketName: 'acme-idp-prod-tempo-traces', location: 'europe-west1', key });
 */
export class GcpObjectBucket extends Construct implements ObjectBucket {
  readonly bucketName: string;

  constructor(scope: Construct, id: string, props: GcpObjectBucketProps) {
    super(scope, id);
    const problems = bucketPropsProblems(this.node.path, props);
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
    const keyGrant = props.key.grantEncryptDecrypt(`storage-agent-${props.bucketName}`, gcpServiceAgent(this, 'storage'));
    const lifecycleRule: StorageBucketLifecycleRule[] = [{ action: { type: 'AbortIncompleteMultipartUpload' }, condition: { age: 7 } }];
    if (props.expiryDays) lifecycleRule.push({ action: { type: 'Delete' }, condition: { age: props.expiryDays } });
    if (props.versioning) {
      lifecycleRule.push({
        action: { type: 'Delete' },
        condition: { withState: 'ARCHIVED', daysSinceNoncurrentTime: props.noncurrentVersionRetentionDays ?? DEFAULT_NONCURRENT_VERSION_RETENTION_DAYS },
      });
    }
    const bucket = new StorageBucket(this, 'bucket', {
      name: props.bucketName,
      location: props.location,
      storageClass: 'STANDARD',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      versioning: { enabled: props.versioning ?? false },
      encryption: { defaultKmsKeyName: props.key.keyId },
      lifecycleRule,
      forceDestroy: props.forceDestroy ?? tierDefault(this, (rules) => !rules.deletionProtection, false),
      lifecycle: (props.preventDestroy ?? tierDefault(this, (rules) => rules.deletionProtection, false)) ? { preventDestroy: true } : undefined,
      dependsOn: [...requireServices(this, [GCP_SERVICES.storage]), keyGrant],
    });
    this.bucketName = bucket.name;
  }
}
