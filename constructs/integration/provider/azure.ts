import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Construct, IConstruct } from 'constructs';
import { PlatformTagsProps, platformTags } from '.';
import { Aspects, Fn, IAspect, TerraformStack, Token } from '../../core/cdktf';
import { PropagationWait } from './time';

export { alphanumeric, azureNameSuffix } from './azure-names';

/** Props of {@link createAzureProvider}. */
export interface AzureProviderProps {
  /** The subscription every resource of the stack lives in. */
  readonly subscriptionId: string;
  /** The Entra ID tenant of the subscription. */
  readonly tenantId: string;
  /** Tags for every taggable azurerm resource of the stack (azurerm has no provider-level default tags). */
  readonly tags: PlatformTagsProps;
}

/**
 * The azurerm provider of a stack: pinned to one subscription and tenant, talking to storage data
 * planes with Entra ID (`storage_use_azuread`, so no storage account keys are ever needed), and
 * managing storage through Azure Resource Manager only (`features.storage.data_plane_available =
 * false`: containers by `storage_account_id`, no queue or static website properties), so storage
 * accounts with a firewall plan and apply from any runner. No
 * credentials are configured: they come from the environment (`ARM_USE_OIDC=true` and
 * `ARM_CLIENT_ID` in CI, `az login` locally).
 *
 * azurerm has no `default_tags`, so this also adds an aspect to the stack ({@link AzureTagsAspect})
 * that puts the platform tags on every taggable azurerm resource, merged with the resource's own.
 *
 * @see https://registry.terraform.io/providers/hashicorp/azurerm/4.55.0/docs#argument-reference
 * @see https://registry.terraform.io/providers/hashicorp/azurerm/4.55.0/docs/guides/service_principal_oidc
 * @example
 * declare const stack: TerraformStack;
 * createAzureProvider(stack, 'azurerm', {
 *   subscriptionId: '00000000-0000-0000-0000-000000000001',
 *   tenantId: '00000000-0000-0000-0000-0000000000aa',
 *   tags: { environment: 'dev', owner: 'platform-team', costCenter: 'platform' },
 * });
 */
export function createAzureProvider(scope: Construct, id: string, props: AzureProviderProps): AzurermProvider {
  const provider = new AzurermProvider(scope, id, {
    // Storage through Azure Resource Manager only: accounts whose firewall denies the runner's network still plan and apply.
    features: [{ storage: [{ dataPlaneAvailable: false }] }],
    subscriptionId: props.subscriptionId,
    tenantId: props.tenantId,
    storageUseAzuread: true,
  });
  Aspects.of(TerraformStack.of(scope)).add(new AzureTagsAspect(props.tags));
  return provider;
}

/** A construct that is an azurerm resource with a top-level `tags` argument. */
interface TaggableAzurermResource extends IConstruct {
  readonly terraformResourceType: string;
  readonly tagsInput?: Record<string, string>;
  tags: Record<string, string>;
}

const isTaggableAzurermResource = (node: IConstruct): node is TaggableAzurermResource =>
  typeof (node as Partial<TaggableAzurermResource>).terraformResourceType === 'string' &&
  (node as TaggableAzurermResource).terraformResourceType.startsWith('azurerm_') &&
  'tagsInput' in node;

/**
 * Puts the platform tags (environment, owner, cost-center, managed-by and the extras) on every
 * azurerm resource that takes `tags`. A resource's own tags are kept and win over the extras, but
 * never over the four standard tags, the same rule as {@link platformTags}.
 *
 * @see https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources
 * @example
 * declare const stack: TerraformStack;
 * Aspects.of(stack).add(new AzureTagsAspect({ environment: 'dev', owner: 'platform-team', costCenter: 'platform' }));
 */
export class AzureTagsAspect implements IAspect {
  constructor(private readonly tags: PlatformTagsProps) {}

  /** Sets the merged tags on an azurerm resource that takes tags; ignores everything else. */
  visit(node: IConstruct): void {
    if (!isTaggableAzurermResource(node)) return;
    const own = node.tagsInput;
    if (own !== undefined && Token.isUnresolved(own)) {
      const standard = platformTags({ ...this.tags, extra: {} });
      node.tags = Fn.merge([platformTags(this.tags), own, standard]) as unknown as Record<string, string>;
      return;
    }
    node.tags = platformTags({ ...this.tags, extra: { ...this.tags.extra, ...own } });
  }
}

/**
 * Seconds a new Azure role assignment is given to take effect before the resource that needs it is
 * created. Azure documents up to 10 minutes; assignments on a single resource for a principal
 * without cached tokens (a new managed identity, Key Vault data-plane calls) take well under a
 * minute in practice, and Azure Verified Modules wait 30 seconds before Key Vault key and secret
 * writes. A first apply that still meets a 403 succeeds when run again.
 *
 * @see https://learn.microsoft.com/azure/role-based-access-control/troubleshooting
 */
export const AZURE_ROLE_PROPAGATION_SECONDS = 60;

/**
 * What a resource that needs role assignments at create time depends on: a
 * {@link PropagationWait} of {@link AZURE_ROLE_PROPAGATION_SECONDS} after them, e.g. a Key Vault
 * key after Terraform's Crypto Officer role, a disk encryption set after its identity's role on
 * the key, an AKS cluster after its control-plane identity's roles.
 *
 * @example
 * import { DiskEncryptionSet } from '@cdktf/provider-azurerm/lib/disk-encryption-set';
 * import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
 * declare const key: AzureKeyVaultKey;
 * declare const identity: UserAssignedIdentity;
 * const ready = afterRoleAssignments(this, 'key-access-propagated', [key.grantEncryptionUser(identity.principalId)]);
 * new DiskEncryptionSet(this, 'des', {
 *   name: 'des-idp-prod', resourceGroupName: 'rg-idp-prod', location: 'westeurope', keyVaultKeyId: key.keyId,
 *   identity: { type: 'UserAssigned', identityIds: [identity.id] }, dependsOn: [ready],
 * });
 */
export function afterRoleAssignments(scope: Construct, id: string, assignments: readonly RoleAssignment[]): PropagationWait {
  return new PropagationWait(scope, id, { after: assignments, seconds: AZURE_ROLE_PROPAGATION_SECONDS });
}
