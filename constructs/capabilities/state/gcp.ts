import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { Construct } from 'constructs';
import { stateKey } from '../../integration/state';
import { DataTerraformRemoteStateGcs, GcsBackend, TerraformStack } from '../../core/cdktf';
import { GcpKeyRing, GcpKmsKey } from '../../infrastructure/keys/gcp';
import { GCP_SERVICES, gcpServiceAgent, requireServices } from '../../integration/services/gcp';

/** Remote state in a GCS bucket made by the bootstrap stack ({@link GcpStateBucket}). */
export interface GcsStateProps {
  readonly backend: 'gcs';
  /** State bucket name. */
  readonly bucket: string;
  /** Project that owns the bucket and its key. */
  readonly projectId: string;
  /** Region of the bucket and its key. */
  readonly region: string;
}

/**
 * The object prefix of a stack's state: {@link stateKey} without the file name, e.g.
 * `idpkit/prod-infra`. The GCS backend stores the default workspace at `<prefix>/default.tfstate`
 * and locks it with `<prefix>/default.tflock`, so each stack has its own state and lock.
 */
export const gcsStatePrefix = (stackName: string): string => gcsPrefixOf(stateKey(stackName));

/** The GCS prefix of a state key: the key without its file name. */
const gcsPrefixOf = (key: string): string => key.replace(/\/[^/]+$/, '');

/** The key ring of a state bucket's key: the bucket name with "." as "-" (key ring names allow no dots). */
export const gcsStateKeyRingName = (bucket: string): string => bucket.replace(/\./g, '-');

/** The name of the state key in its key ring. */
export const GCS_STATE_KEY_NAME = 'terraform-state';

/**
 * The Cloud KMS key of a state bucket, derived from the project, region and bucket name so that
 * backends can name it before it exists.
 */
export const gcsStateKmsKeyId = (props: Pick<GcsStateProps, 'bucket' | 'projectId' | 'region'>): string =>
  `projects/${props.projectId}/locations/${props.region}/keyRings/${gcsStateKeyRingName(props.bucket)}/cryptoKeys/${GCS_STATE_KEY_NAME}`;

/**
 * Configures a stack's GCS backend: one prefix per stack, GCS's native lock file, and
 * `kms_encryption_key` set to the bucket's key. The bucket encrypts with that key by default
 * anyway; naming it in the backend as well means state is never written with another key (for
 * example if the bucket's default were changed), at the cost of naming the key up front. No
 * credentials are configured: Terraform uses Application Default Credentials.
 *
 * @param key the state's key (`<prefix>/terraform.tfstate`; GCS keeps `<prefix>/default.tfstate`) @default - {@link stateKey} of the stack's name
 * @see https://developer.hashicorp.com/terraform/language/backend/gcs
 * @example
 * declare const stack: TerraformStack;
 * configureGcsState(stack, { backend: 'gcs', bucket: 'acme-idp-prod-tfstate', projectId: 'acme-idp-prod', region: 'europe-west1' });
 */
export function configureGcsState(stack: TerraformStack, props: GcsStateProps, key: string = stateKey(stack.node.id)): void {
  new GcsBackend(stack, {
    bucket: props.bucket,
    prefix: gcsPrefixOf(key),
    kmsEncryptionKey: gcsStateKmsKeyId(props),
  });
}

/**
 * Reads another stack's outputs from its state in GCS (`terraform_remote_state`): the same bucket
 * and prefix {@link configureGcsState} gives that stack.
 *
 * @see https://developer.hashicorp.com/terraform/language/state/remote-state-data
 */
export function readGcsState(scope: Construct, id: string, props: GcsStateProps, stackName: string): DataTerraformRemoteStateGcs {
  return new DataTerraformRemoteStateGcs(scope, id, { bucket: props.bucket, prefix: gcsStatePrefix(stackName) });
}

/** Props of {@link GcpStateBucket}. */
export interface GcpStateBucketProps {
  /** Bucket name, as the environments' `state.bucket` names it. */
  readonly bucket: string;
  /** Region of the bucket and its key (a regional bucket). */
  readonly region: string;
  /** Days superseded state versions are kept for recovery. @default 90 */
  readonly noncurrentVersionRetentionDays?: number;
}

/** Days a superseded state version stays recoverable when none is given. */
export const DEFAULT_GCS_NONCURRENT_STATE_RETENTION_DAYS = 90;

/**
 * The GCS bucket that holds Terraform state: regional, versioned (superseded versions kept 90
 * days), uniform bucket-level access (no ACLs), public access prevention enforced, encrypted by
 * default with its own rotating Cloud KMS key (the project's Cloud Storage service agent is
 * granted on that key only), and protected from `terraform destroy` (`force_destroy = false` and
 * `prevent_destroy` on the bucket, the key and its key ring).
 *
 * @see https://cloud.google.com/storage/docs/encryption/using-customer-managed-keys
 * @example
 * new GcpStateBucket(this, 'state', { bucket: 'acme-idp-prod-tfstate', region: 'europe-west1' });
 */
export class GcpStateBucket extends Construct {
  /** The bucket's URL, `gs://<bucket>`. */
  readonly bucketUrl: string;
  /** The bucket's name, as a reference: bindings on the bucket name it so they wait for it. */
  readonly bucketName: string;
  /** The Cloud KMS key that encrypts state objects. */
  readonly key: GcpKmsKey;

  constructor(scope: Construct, id: string, props: GcpStateBucketProps) {
    super(scope, id);
    const keyRing = new GcpKeyRing(this, 'key-ring', { name: gcsStateKeyRingName(props.bucket), location: props.region, preventDestroy: true });
    this.key = new GcpKmsKey(this, 'key', {
      alias: GCS_STATE_KEY_NAME,
      description: `Terraform state in ${props.bucket}`,
      location: props.region,
      keyRing,
      preventDestroy: true,
    });
    const keyGrant = this.key.grantEncryptDecrypt('storage-service-agent', gcpServiceAgent(this, 'storage'));
    const bucket = new StorageBucket(this, 'bucket', {
      name: props.bucket,
      location: props.region,
      storageClass: 'STANDARD',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      versioning: { enabled: true },
      encryption: { defaultKmsKeyName: this.key.keyId },
      lifecycleRule: [
        {
          action: { type: 'Delete' },
          condition: {
            withState: 'ARCHIVED',
            daysSinceNoncurrentTime: props.noncurrentVersionRetentionDays ?? DEFAULT_GCS_NONCURRENT_STATE_RETENTION_DAYS,
          },
        },
        { action: { type: 'AbortIncompleteMultipartUpload' }, condition: { age: 7 } },
      ],
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
      dependsOn: [...requireServices(this, [GCP_SERVICES.storage]), keyGrant],
    });
    this.bucketUrl = bucket.url;
    this.bucketName = bucket.name;
  }
}
