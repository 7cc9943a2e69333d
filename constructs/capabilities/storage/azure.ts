import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { StorageManagementPolicy, StorageManagementPolicyRule } from '@cdktf/provider-azurerm/lib/storage-management-policy';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Construct } from 'constructs';
import { HARDENED_STORAGE_ACCOUNT } from '../../integration/private/azure-storage';
import { afterRoleAssignments } from '../../integration/provider/azure';
import { AzureKeyVaultKey } from '../../infrastructure/keys/azure';
import { DEFAULT_NONCURRENT_VERSION_RETENTION_DAYS, ObjectBucket, ObjectBucketProps, bucketPropsProblems } from '.';
import { Token } from '../../core/cdktf';
import { IdpkitError } from '../../core/errors';
import { tierDefault } from '../../core/tiers';

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
  /** Refuse `terraform destroy` of the account and its containers (`prevent_destroy`). @default - the tier's `deletionProtection` (prod only); true without a tier */
  readonly deletionProtection?: boolean;
  /** Blob versioning, account-wide (buckets with `versioning` need it). @default false */
  readonly blobVersioning?: boolean;
  /**
   * Key that encrypts the account's data (customer-managed key), reached through a user-assigned
   * identity with Key Vault Crypto Service Encryption User on the key. The versionless key id is
   * used, so the account follows the key's rotations. @default - Microsoft-managed keys
   */
  readonly encryptionKey?: AzureKeyVaultKey;
  /**
   * Subnets allowed to reach the account's data plane (they need the `Microsoft.Storage` service
   * endpoint, e.g. `AzureNetwork.nodeSubnetId`); when given, every other network is denied
   * except trusted Azure services. Terraform itself only uses Azure Resource Manager here
   * (containers by `storage_account_id`, the provider's `data_plane_available = false`).
   * @default - reachable from every network (each request still needs an Entra ID token and a data role)
   */
  readonly allowedSubnetIds?: readonly string[];
}

/**
 * The storage account that holds an environment's add-on data, one private container per
 * {@link AzureObjectBucket}: Entra ID only (shared keys off, OAuth by default), TLS 1.2, HTTPS only,
 * no public blobs, no local users, infrastructure (double) encryption; with `encryptionKey`, data
 * encrypted with a customer-managed key; with `allowedSubnetIds`, a firewall that admits only
 * those subnets (service endpoints) and trusted Azure services.
 *
 * @see https://learn.microsoft.com/azure/storage/blobs/security-recommendations
 * @see https://learn.microsoft.com/azure/storage/common/customer-managed-keys-configure-new-account
 * @see https://learn.microsoft.com/azure/storage/common/storage-network-security
 * @example
 * declare const vault: AzureKeyVault;
 * declare const network: AzureNetwork;
 * const storage = new AzureAddonStorage(this, 'addon-storage', {
 *   storageAccountName: 'stprod3f1c2a9b', resourceGroupName: 'rg-idp-prod', location: 'westeurope',
 *   encryptionKey: vault.addKey('addon-storage-key', { alias: 'addon-storage', description: 'Add-on data' }),
 *   allowedSubnetIds: [network.nodeSubnetId],
 * });
 * const bucket = storage.addBucket('loki-chunks', { bucketName: 'loki-chunks' });
 */
export class AzureAddonStorage extends Construct {
  /** The account's resource id. */
  readonly storageAccountId: string;
  /** The account's name. */
  readonly storageAccountName: string;
  /** Whether the account and its containers refuse `terraform destroy`. */
  readonly deletionProtection: boolean;
  private readonly rules: StorageManagementPolicyRule[] = [];
  private readonly blobVersioning: boolean;
  private policy?: StorageManagementPolicy;

  constructor(scope: Construct, id: string, props: AzureAddonStorageProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.storageAccountName) && !STORAGE_ACCOUNT_NAME.test(props.storageAccountName)) {
      throw new IdpkitError('IDPKIT_INVALID_PROPS', [`${this.node.path}: storageAccountName "${props.storageAccountName}" is not a storage account name (3-24 lowercase letters and digits)`]);
    }
    this.deletionProtection = props.deletionProtection ?? tierDefault(this, (rules) => rules.deletionProtection, true);
    const where = { resourceGroupName: props.resourceGroupName, location: props.location };
    let encryptionIdentity: UserAssignedIdentity | undefined;
    if (props.encryptionKey) {
      encryptionIdentity = new UserAssignedIdentity(this, 'encryption-identity', { ...where, name: `id-${props.storageAccountName}-encryption` });
    }
    const keyAccess = encryptionIdentity ? props.encryptionKey?.grantEncryptionUser(encryptionIdentity.principalId) : undefined;
    // The account reads the key as its identity when it is created.
    const keyAccessReady = keyAccess ? afterRoleAssignments(this, 'encryption-key-access-propagated', [keyAccess]) : undefined;
    const subnets = [...(props.allowedSubnetIds ?? [])];
    const account = new StorageAccount(this, 'account', {
      name: props.storageAccountName,
      ...where,
      ...HARDENED_STORAGE_ACCOUNT,
      accountReplicationType: props.replicationType ?? 'ZRS',
      blobProperties: { versioningEnabled: props.blobVersioning ?? false },
      identity: encryptionIdentity ? { type: 'UserAssigned', identityIds: [encryptionIdentity.id] } : undefined,
      customerManagedKey:
        encryptionIdentity && props.encryptionKey ? { keyVaultKeyId: props.encryptionKey.keyId, userAssignedIdentityId: encryptionIdentity.id } : undefined,
      networkRules: subnets.length > 0 ? { defaultAction: 'Deny', bypass: ['AzureServices'], virtualNetworkSubnetIds: subnets } : undefined,
      lifecycle: this.deletionProtection ? { preventDestroy: true } : undefined,
      dependsOn: keyAccessReady ? [keyAccessReady] : undefined,
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
        filters: { blobTypes: ['blockBlob'], prefixMatch: [`${bucket.bucketName}/`] },
        actions: { baseBlob: { deleteAfterDaysSinceModificationGreaterThan: props.expiryDays } },
      });
    }
    if (props.versioning) {
      this.rules.push({
        name: `expire-versions-${props.bucketName}`,
        enabled: true,
        filters: { blobTypes: ['blockBlob'], prefixMatch: [`${bucket.bucketName}/`] },
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
 * account-level lifecycle rules ({@link AzureAddonStorage.addBucket} adds them). The container
 * carries `prevent_destroy` when the account has deletion protection.
 *
 * @example
 * declare const storage: AzureAddonStorage;
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
      lifecycle: props.storage.deletionProtection ? { preventDestroy: true } : undefined,
    });
    this.bucketName = container.name;
    this.containerResourceId = container.id;
    this.storageAccountName = props.storage.storageAccountName;
  }
}
