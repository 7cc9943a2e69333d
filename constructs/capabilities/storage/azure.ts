import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { StorageManagementPolicy, StorageManagementPolicyRule } from '@cdktf/provider-azurerm/lib/storage-management-policy';
import { Construct } from 'constructs';
import { HARDENED_STORAGE_ACCOUNT } from '../../integration/private/azure-storage';
import { DEFAULT_NONCURRENT_VERSION_RETENTION_DAYS, ObjectBucket, ObjectBucketProps, bucketPropsProblems } from '.';
import { Token } from '../../core/cdktf';
import { IdpkitError } from '../../core/errors';

/** Storage account names: 3-24 lowercase letters and digits, globally unique. */
const STORAGE_ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;

/** Container names: 3-63 lowercase letters, digits and single hyphens. */
const CONTAINER_NAME = /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/** Props of {@link AzureAddonStorage}. */
export interface AzureAddonStorageProps {
  /** Storage account name, globally unique (3-24 lowercase letters and digits). */
  readonly storageAccountName: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** Replication. @default "ZRS" */
  readonly replicationType?: 'LRS' | 'ZRS' | 'GZRS';
  /** Refuse `terraform destroy` of the account (`prevent_destroy`). @default true */
  readonly deletionProtection?: boolean;
  /** Blob versioning, account-wide (buckets with `versioning` need it). @default false */
  readonly blobVersioning?: boolean;
}

/**
 * The storage account that holds an environment's add-on data, one private container per
 * {@link AzureObjectBucket}: Entra ID only (shared keys off, OAuth by default), TLS 1.2, HTTPS only,
 * no public blobs, no local users, infrastructure (double) encryption. Customer-managed keys are not
 * configured: data is encrypted with Microsoft-managed keys.
 *
 * @see https://learn.microsoft.com/azure/storage/blobs/security-recommendations
 * @example
 * const storage = new AzureAddonStorage(this, 'addon-storage', { storageAccountName: 'stprod3f1c2a9b', resourceGroupName, location });
 * const bucket = storage.addBucket('loki-chunks', { bucketName: 'loki-chunks' });
 */
export class AzureAddonStorage extends Construct {
  /** The account's resource id. */
  readonly storageAccountId: string;
  /** The account's name. */
  readonly storageAccountName: string;
  private readonly rules: StorageManagementPolicyRule[] = [];
  private readonly blobVersioning: boolean;
  private policy?: StorageManagementPolicy;

  constructor(scope: Construct, id: string, props: AzureAddonStorageProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.storageAccountName) && !STORAGE_ACCOUNT_NAME.test(props.storageAccountName)) {
      throw new IdpkitError('IDPKIT_INVALID_PROPS', [`${this.node.path}: storageAccountName "${props.storageAccountName}" is not a storage account name (3-24 lowercase letters and digits)`]);
    }
    const account = new StorageAccount(this, 'account', {
      name: props.storageAccountName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      ...HARDENED_STORAGE_ACCOUNT,
      accountReplicationType: props.replicationType ?? 'ZRS',
      blobProperties: { versioningEnabled: props.blobVersioning ?? false },
      lifecycle: (props.deletionProtection ?? true) ? { preventDestroy: true } : undefined,
    });
    this.storageAccountId = account.id;
    this.storageAccountName = account.name;
    this.blobVersioning = props.blobVersioning ?? false;
  }

  /** Adds a private container for one bucket's data. */
  addBucket(id: string, props: ObjectBucketProps): AzureObjectBucket {
    if (props.versioning && !this.blobVersioning) {
      throw new IdpkitError('IDPKIT_INVALID_PROPS', [`${this.node.path}/${id}: versioning needs blobVersioning on the storage account`]);
    }
    const bucket = new AzureObjectBucket(this, id, { ...props, storage: this });
    if (props.expiryDays) {
      this.rules.push({
        name: `expire-${props.bucketName}`,
        enabled: true,
        filters: { blobTypes: ['blockBlob'], prefixMatch: [`${props.bucketName}/`] },
        actions: { baseBlob: { deleteAfterDaysSinceModificationGreaterThan: props.expiryDays } },
      });
    }
    if (props.versioning) {
      this.rules.push({
        name: `expire-versions-${props.bucketName}`,
        enabled: true,
        filters: { blobTypes: ['blockBlob'], prefixMatch: [`${props.bucketName}/`] },
        actions: { version: { deleteAfterDaysSinceCreation: props.noncurrentVersionRetentionDays ?? DEFAULT_NONCURRENT_VERSION_RETENTION_DAYS } },
      });
    }
    if (this.rules.length > 0) {
      this.policy ??= new StorageManagementPolicy(this, 'lifecycle', { storageAccountId: this.storageAccountId, rule: [] });
      this.policy.putRule([...this.rules]);
    }
    return bucket;
  }
}

/** Props of {@link AzureObjectBucket}. */
export interface AzureObjectBucketProps extends ObjectBucketProps {
  /** The account that holds the container. */
  readonly storage: AzureAddonStorage;
}

/**
 * A private blob container in the environment's add-on storage account. A `bucket-read-write`
 * grant gives Storage Blob Data Contributor on this container only. Versioning and expiry are
 * account-level lifecycle rules ({@link AzureAddonStorage.addBucket} adds them).
 *
 * @example
 * const bucket = storage.addBucket('tempo-traces', { bucketName: 'tempo-traces', expiryDays: 15 });
 */
export class AzureObjectBucket extends Construct implements ObjectBucket {
  readonly bucketName: string;
  readonly containerResourceId: string;
  /** The storage account's name, what add-ons' Azure storage config takes. */
  readonly storageAccountName: string;

  constructor(scope: Construct, id: string, props: AzureObjectBucketProps) {
    super(scope, id);
    const problems = bucketPropsProblems(this.node.path, props, CONTAINER_NAME);
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
    const container = new StorageContainer(this, 'container', {
      name: props.bucketName,
      storageAccountId: props.storage.storageAccountId,
      containerAccessType: 'private',
    });
    this.bucketName = props.bucketName;
    this.containerResourceId = container.id;
    this.storageAccountName = props.storage.storageAccountName;
  }
}
