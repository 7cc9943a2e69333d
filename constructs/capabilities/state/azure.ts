import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { ManagementLock } from '@cdktf/provider-azurerm/lib/management-lock';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { StorageManagementPolicy } from '@cdktf/provider-azurerm/lib/storage-management-policy';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Construct } from 'constructs';
import { HARDENED_STORAGE_ACCOUNT } from '../../integration/private/azure-storage';
import { stateKey } from '../../integration/state';
import { AzurermBackend, DataTerraformRemoteStateAzurerm, TerraformStack, Token } from '../../core/cdktf';
import { IdpkitError } from '../../core/errors';
import { AzureKeyVault, AzureKeyVaultKey } from '../../infrastructure/keys/azure';
import { afterRoleAssignments, alphanumeric, azureNameSuffix } from '../../integration/provider/azure';

/** Remote state in an Azure storage account made by the bootstrap stack ({@link AzureStateStorage}). */
export interface AzurermStateProps {
  readonly backend: 'azurerm';
  /** Resource group of the state storage account. */
  readonly resourceGroupName: string;
  /** State storage account name. */
  readonly storageAccountName: string;
  /** Blob container of the state files. @default "tfstate" */
  readonly containerName?: string;
  /** Subscription of the storage account. */
  readonly subscriptionId: string;
  /** Entra ID tenant of the subscription. */
  readonly tenantId: string;
}

/** The blob container state files live in when none is named. */
export const DEFAULT_STATE_CONTAINER = 'tfstate';

/**
 * Configures a stack's azurerm backend: one blob per stack (`idpkit/<stack>/terraform.tfstate`),
 * locked with a blob lease, read and written with Entra ID (`use_azuread_auth`), never with a
 * storage account key (the account has shared keys turned off). `use_oidc` is left to the
 * environment (`ARM_USE_OIDC=true` in CI), so the same configuration works with `az login` locally.
 *
 * @param key the state blob's name @default - {@link stateKey} of the stack's name
 * @see https://developer.hashicorp.com/terraform/language/backend/azurerm
 * @example
 * declare const stack: TerraformStack;
 * configureAzurermState(stack, {
 *   backend: 'azurerm', resourceGroupName: 'rg-idpkit-state', storageAccountName: 'idpkitstate0001',
 *   subscriptionId: '00000000-0000-0000-0000-000000000001', tenantId: '00000000-0000-0000-0000-0000000000aa',
 * });
 */
export function configureAzurermState(stack: TerraformStack, props: AzurermStateProps, key: string = stateKey(stack.node.id)): void {
  new AzurermBackend(stack, azurermStateConfig(props, key));
}

/** The azurerm backend settings of one state blob: Entra ID auth, the environment's container. */
const azurermStateConfig = (props: AzurermStateProps, key: string) => ({
  resourceGroupName: props.resourceGroupName,
  storageAccountName: props.storageAccountName,
  containerName: props.containerName ?? DEFAULT_STATE_CONTAINER,
  key,
  useAzureadAuth: true,
  subscriptionId: props.subscriptionId,
  tenantId: props.tenantId,
});

/**
 * Reads another stack's outputs from its state blob (`terraform_remote_state`): the same
 * container and key {@link configureAzurermState} gives that stack, read with Entra ID.
 *
 * @see https://developer.hashicorp.com/terraform/language/state/remote-state-data
 */
export function readAzurermState(scope: Construct, id: string, props: AzurermStateProps, stackName: string): DataTerraformRemoteStateAzurerm {
  return new DataTerraformRemoteStateAzurerm(scope, id, azurermStateConfig(props, stateKey(stackName)));
}

/** Props of {@link AzureStateStorage}. */
export interface AzureStateStorageProps {
  /** Resource group to create for the storage account. */
  readonly resourceGroupName: string;
  /** Storage account name, as the environments' `state.storageAccountName` names it: 3-24 lowercase letters and digits. */
  readonly storageAccountName: string;
  /** Blob container of the state files. @default "tfstate" */
  readonly containerName?: string;
  /** Azure location of the resource group and storage account. */
  readonly location: string;
  /**
   * Replication of the storage account. ZRS keeps three synchronous copies in three zones of the
   * location, and every location with availability zones offers it (GRS and GZRS need a paired region).
   * @default "ZRS"
   */
  readonly replicationType?: 'LRS' | 'ZRS' | 'GRS' | 'GZRS' | 'RAGRS' | 'RAGZRS';
  /** Days deleted or overwritten state (soft-deleted blobs, containers, old versions) stays recoverable. @default 90 */
  readonly recoveryDays?: number;
  /**
   * Entra ID object ids granted Storage Blob Data Contributor on the state container, e.g. the CI
   * identity that runs `cdktf deploy`. @default - only the principal that runs the bootstrap
   */
  readonly stateWriterPrincipalIds?: readonly string[];
  /** Entra ID tenant of the Key Vault that holds the state key. @default - the tenant of the principal that runs the bootstrap */
  readonly tenantId?: string;
  /** Name of the Key Vault that holds the state key (globally unique, 3-24 characters). @default - {@link azureStateKeyVaultName} of `storageAccountName` */
  readonly keyVaultName?: string;
  /**
   * IPv4 addresses or CIDRs allowed to reach the storage account and its Key Vault: the fixed
   * egress of your CI runners and of whoever runs the bootstrap. When given, every other network is
   * denied except trusted Azure services. @default - reachable from any network (GitHub-hosted
   * runners have no fixed addresses; every request still needs an Entra ID token and a data role)
   */
  readonly allowedIpRanges?: readonly string[];
}

/** Days deleted or superseded state stays recoverable when none is given. */
export const DEFAULT_STATE_RECOVERY_DAYS = 90;

/**
 * The default name of the Key Vault holding a state account's key: `kv`, up to 12 letters and
 * digits of the account name, and 8 hex characters of SHA-256 over the account name (account
 * names are globally unique, so the vault name is too), e.g. `kvidpkitstate0c3e51f9a`.
 */
export const azureStateKeyVaultName = (storageAccountName: string): string =>
  `kv${alphanumeric(storageAccountName).slice(0, 12)}${azureNameSuffix(storageAccountName, 'state-key-vault')}`;

/**
 * The storage account that holds Terraform state, hardened the way Azure's storage security
 * baseline says: StorageV2 with zone-redundant replication, TLS 1.2 or later and HTTPS only,
 * shared keys and SAS off (Entra ID only, OAuth by default in the portal), no public blobs,
 * no cross-tenant replication, infrastructure (double) encryption plus a customer-managed key
 * (an HSM key that rotates yearly, in a Key Vault of its own with purge protection, reached
 * through a user-assigned identity), blob versioning with soft delete for blobs and containers and
 * old versions expired after the same period, a CanNotDelete lock, and `prevent_destroy` (also on
 * the private state container, the vault and the key).
 *
 * Public network access stays enabled on purpose unless `allowedIpRanges` is given: CI runners and
 * engineers reach the account over the internet, and every request still needs an Entra ID token
 * with a data role on the container (policy rule IDP-AZ-009 warns about it). Restrict it once your
 * runners have fixed egress addresses or run in a VNet.
 *
 * @see https://learn.microsoft.com/azure/storage/blobs/security-recommendations
 * @see https://learn.microsoft.com/azure/developer/terraform/store-state-in-azure-storage
 * @example
 * new AzureStateStorage(this, 'state', { resourceGroupName: 'rg-idpkit-state', storageAccountName: 'idpkitstate0001', location: 'westeurope' });
 */
export class AzureStateStorage extends Construct {
  /** The resource group it creates, by name: what other resources of the stack (e.g. CI identities) go in. */
  readonly resourceGroupName: string;
  /** The storage account's resource id. */
  readonly storageAccountId: string;
  /** The state container's resource id. */
  readonly containerId: string;
  /** The state container's name. */
  readonly containerName: string;
  /** The key that encrypts the state account (customer-managed key). */
  readonly key: AzureKeyVaultKey;

  constructor(scope: Construct, id: string, props: AzureStateStorageProps) {
    super(scope, id);
    const recoveryDays = props.recoveryDays ?? DEFAULT_STATE_RECOVERY_DAYS;
    this.validate(props, recoveryDays);

    const group = new ResourceGroup(this, 'resource-group', {
      name: props.resourceGroupName,
      location: props.location,
      lifecycle: { preventDestroy: true },
    });
    const deployer = new DataAzurermClientConfig(this, 'deployer', {});
    const ipRanges = [...(props.allowedIpRanges ?? [])];
    const vault = new AzureKeyVault(this, 'key-vault', {
      name: props.keyVaultName ?? azureStateKeyVaultName(props.storageAccountName),
      resourceGroupName: group.name,
      location: group.location,
      tenantId: props.tenantId ?? deployer.tenantId,
      allowedIpRanges: ipRanges,
    });
    this.key = vault.addKey('state-key', { alias: 'tfstate', description: `Terraform state in ${props.storageAccountName}` });
    const encryptionIdentity = new UserAssignedIdentity(this, 'encryption-identity', {
      name: `id-${props.storageAccountName}-encryption`,
      resourceGroupName: group.name,
      location: group.location,
    });
    const keyAccess = this.key.grantEncryptionUser(encryptionIdentity.principalId);
    const account = new StorageAccount(this, 'account', {
      name: props.storageAccountName,
      resourceGroupName: group.name,
      location: group.location,
      ...HARDENED_STORAGE_ACCOUNT,
      accountReplicationType: props.replicationType ?? 'ZRS',
      publicNetworkAccessEnabled: true,
      networkRules: ipRanges.length > 0 ? { defaultAction: 'Deny', bypass: ['AzureServices'], ipRules: ipRanges } : undefined,
      identity: { type: 'UserAssigned', identityIds: [encryptionIdentity.id] },
      customerManagedKey: { keyVaultKeyId: this.key.keyId, userAssignedIdentityId: encryptionIdentity.id },
      blobProperties: {
        versioningEnabled: true,
        deleteRetentionPolicy: { days: recoveryDays },
        containerDeleteRetentionPolicy: { days: recoveryDays },
      },
      lifecycle: { preventDestroy: true },
      // The account reads the key as its identity when it is created.
      dependsOn: [afterRoleAssignments(this, 'encryption-key-access-propagated', [keyAccess])],
    });
    new ManagementLock(this, 'lock', {
      name: 'idpkit-terraform-state',
      scope: account.id,
      lockLevel: 'CanNotDelete',
      notes: 'Holds Terraform state of idpkit environments; remove the lock only to retire the account.',
    });
    new StorageManagementPolicy(this, 'lifecycle', {
      storageAccountId: account.id,
      rule: [
        {
          name: 'expire-old-state-versions',
          enabled: true,
          filters: { blobTypes: ['blockBlob'] },
          actions: { version: { deleteAfterDaysSinceCreation: recoveryDays } },
        },
      ],
    });
    const container = new StorageContainer(this, 'container', {
      name: props.containerName ?? DEFAULT_STATE_CONTAINER,
      storageAccountId: account.id,
      containerAccessType: 'private',
      lifecycle: { preventDestroy: true },
    });

    const writers = [deployer.objectId, ...(props.stateWriterPrincipalIds ?? [])];
    writers.forEach((principalId, index) => {
      new RoleAssignment(this, index === 0 ? 'deployer-writes-state' : `writer-${index}-writes-state`, {
        scope: container.id,
        roleDefinitionName: 'Storage Blob Data Contributor',
        principalId,
        description: 'Reads and writes idpkit Terraform state (azurerm backend with use_azuread_auth)',
      });
    });

    this.resourceGroupName = group.name;
    this.storageAccountId = account.id;
    this.containerId = container.id;
    this.containerName = container.name;
  }

  private validate(props: AzureStateStorageProps, recoveryDays: number): void {
    const problems: string[] = [];
    (props.allowedIpRanges ?? []).forEach((range) => {
      if (!Token.isUnresolved(range) && !/^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/.test(range)) {
        problems.push(`${this.node.path}: allowedIpRanges entry "${range}" is not an IPv4 address or CIDR (expected e.g. 203.0.113.0/24)`);
      }
    });
    if (!/^[a-z0-9]{3,24}$/.test(props.storageAccountName)) {
      problems.push(`${this.node.path}: storageAccountName "${props.storageAccountName}" is not a storage account name (3-24 lowercase letters and digits)`);
    }
    if (!Number.isInteger(recoveryDays) || recoveryDays < 1 || recoveryDays > 365) {
      problems.push(`${this.node.path}: recoveryDays ${recoveryDays} is outside what blob soft delete allows (1 to 365)`);
    }
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
  }
}
