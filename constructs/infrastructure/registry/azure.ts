import { ContainerRegistry as AzurermContainerRegistry } from '@cdktf/provider-azurerm/lib/container-registry';
import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Construct } from 'constructs';
import { ContainerRegistry, ContainerRegistryProps, REGISTRY_DEFAULTS, registryForceDelete, registryPropProblems } from '.';
import { Token } from '../../core/cdktf';
import type { ITerraformDependable } from '../../core/cdktf';
import { IdpkitError } from '../../core/errors';
import { afterRoleAssignments } from '../../integration/provider/azure';
import { AzureKeyVaultKey } from '../keys/azure';
import { azureRegistryName } from './azure-names';

export { azureRegistryName };

/** Props of {@link AzureContainerRegistry}. */
export interface AzureContainerRegistryProps extends ContainerRegistryProps {
  /** Registry name, globally unique: 5-50 letters and digits. @default - {@link azureRegistryName} of `name` and `subscriptionId` */
  readonly registryName?: string;
  /** Subscription of the registry, for the default name. Required when `registryName` is not given. @default - none */
  readonly subscriptionId?: string;
  /** Resource group of the registry and its private endpoint. */
  readonly resourceGroupName: string;
  /** Azure location of the registry. */
  readonly location: string;
  /**
   * `Premium` is private (private endpoint, no public access), zone-redundant, purges untagged
   * manifests and can use a customer-managed key; `Standard` is reachable over the internet with
   * Entra ID tokens only and keeps untagged manifests. @default "Premium"
   */
  readonly sku?: 'Standard' | 'Premium';
  /** (Premium) Subnet of the registry's private endpoint. Required for Premium. @default - none */
  readonly privateEndpointSubnetId?: string;
  /** (Premium) VNet that resolves the registry's private address (`privatelink.azurecr.io`). Required for Premium. @default - none */
  readonly virtualNetworkId?: string;
  /** (Premium) Key that encrypts images. @default - Microsoft-managed keys */
  readonly encryptionKey?: AzureKeyVaultKey;
}

/** The private DNS zone of container registry private endpoints. */
export const ACR_PRIVATE_DNS_ZONE = 'privatelink.azurecr.io';

/** Longest untagged-manifest retention ACR allows, in days. */
export const ACR_MAX_RETENTION_DAYS = 365;

/**
 * An Azure Container Registry for the platform's images. Every SKU: admin user and anonymous pull
 * off (Entra ID tokens only), pulls granted per identity with AcrPull. Premium (the default)
 * adds what Azure's registry security baseline asks of production: no public network access and
 * a private endpoint with its `privatelink.azurecr.io` zone linked to the VNet, export policy off
 * (images cannot be copied out), zone redundancy, dedicated data endpoints, a retention policy
 * that purges untagged manifests, and optionally encryption with a customer-managed key through
 * a user-assigned identity.
 *
 * ACR creates repositories on first push, so `repositories` only names the URLs to expose.
 * Deleting a registry deletes its images, so unless `forceDelete` is set the registry carries
 * `prevent_destroy`. Trusted Azure services (e.g. Defender for Containers scanning) keep access.
 *
 * @see https://learn.microsoft.com/azure/container-registry/container-registry-private-link
 * @see https://learn.microsoft.com/security/benchmark/azure/baselines/container-registry-security-baseline
 * @see https://registry.terraform.io/providers/hashicorp/azurerm/4.55.0/docs/resources/container_registry
 * @example
 * declare const network: AzureNetwork;
 * declare const cluster: AzureAksCluster;
 * const registry = new AzureContainerRegistry(this, 'registry', {
 *   name: 'prod', subscriptionId: '00000000-0000-0000-0000-000000000001', resourceGroupName: 'rg-idp-prod', location: 'westeurope', repositories: ['platform/backstage'],
 *   privateEndpointSubnetId: network.endpointsSubnetId, virtualNetworkId: network.networkId,
 * });
 * registry.grantPull(cluster.kubeletIdentityObjectId);
 */
export class AzureContainerRegistry extends Construct implements ContainerRegistry {
  readonly repositoryUrls: Readonly<Record<string, string>>;
  /** The registry's resource id. */
  readonly registryId: string;
  /** The registry's name (a reference to the registry, so users wait for it). */
  readonly registryName: string;
  /** The registry's login server, `<name>.azurecr.io`. */
  readonly loginServer: string;
  /** The registry's SKU. */
  readonly sku: 'Standard' | 'Premium';
  private pulls = 0;

  constructor(scope: Construct, id: string, props: AzureContainerRegistryProps) {
    super(scope, id);
    this.sku = props.sku ?? 'Premium';
    const premium = this.sku === 'Premium';
    const retentionDays = props.untaggedImageExpiryDays ?? REGISTRY_DEFAULTS.untaggedImageExpiryDays;
    const name = props.registryName ?? (props.subscriptionId !== undefined ? azureRegistryName(props.name, props.subscriptionId) : undefined);
    this.validate(props, name, retentionDays);
    const where = { resourceGroupName: props.resourceGroupName, location: props.location };

    let encryptionIdentity: UserAssignedIdentity | undefined;
    let keyAccessReady: ITerraformDependable | undefined;
    if (props.encryptionKey) {
      encryptionIdentity = new UserAssignedIdentity(this, 'encryption-identity', { ...where, name: `id-${name}-encryption` });
      // The registry reads the key as its identity when it is created.
      keyAccessReady = afterRoleAssignments(this, 'encryption-key-access-propagated', [props.encryptionKey.grantEncryptionUser(encryptionIdentity.principalId)]);
    }
    const registry = new AzurermContainerRegistry(this, 'registry', {
      ...where,
      name: name!,
      sku: this.sku,
      adminEnabled: false,
      anonymousPullEnabled: false,
      publicNetworkAccessEnabled: !premium,
      exportPolicyEnabled: premium ? false : undefined,
      zoneRedundancyEnabled: premium ? true : undefined,
      dataEndpointEnabled: premium ? true : undefined,
      retentionPolicyInDays: premium ? retentionDays : undefined,
      identity: encryptionIdentity ? { type: 'UserAssigned', identityIds: [encryptionIdentity.id] } : undefined,
      encryption:
        encryptionIdentity && props.encryptionKey ? [{ keyVaultKeyId: props.encryptionKey.keyId, identityClientId: encryptionIdentity.clientId }] : undefined,
      lifecycle: registryForceDelete(this, props) ? undefined : { preventDestroy: true },
      dependsOn: keyAccessReady ? [keyAccessReady] : undefined,
    });
    if (premium) this.addPrivateEndpoint(props, registry);

    this.registryId = registry.id;
    this.registryName = registry.name;
    this.loginServer = registry.loginServer;
    this.repositoryUrls = Object.fromEntries(props.repositories.map((repository) => [repository, `${registry.loginServer}/${repository}`]));
  }

  /**
   * Lets a principal pull images: AcrPull on this registry.
   *
   * @param principalId object (principal) id, e.g. an AKS kubelet identity's
   * @param principalType what the principal is; managed identities are service principals @default "ServicePrincipal"
   */
  grantPull(principalId: string, principalType: 'ServicePrincipal' | 'Group' | 'User' = 'ServicePrincipal'): void {
    this.pulls += 1;
    new RoleAssignment(this, `pull-${this.pulls}`, {
      scope: this.registryId,
      roleDefinitionName: 'AcrPull',
      principalId,
      principalType,
      skipServicePrincipalAadCheck: principalType === 'ServicePrincipal' ? true : undefined,
      description: 'Pulls images from this registry',
    });
  }

  private addPrivateEndpoint(props: AzureContainerRegistryProps, registry: AzurermContainerRegistry): void {
    const zone = new PrivateDnsZone(this, 'private-dns-zone', { name: ACR_PRIVATE_DNS_ZONE, resourceGroupName: props.resourceGroupName });
    new PrivateDnsZoneVirtualNetworkLink(this, 'private-dns-zone-link', {
      name: `${props.name}-registry`,
      resourceGroupName: props.resourceGroupName,
      privateDnsZoneName: zone.name,
      virtualNetworkId: props.virtualNetworkId!,
      registrationEnabled: false,
    });
    new PrivateEndpoint(this, 'private-endpoint', {
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      name: `pe-${registry.name}`,
      subnetId: props.privateEndpointSubnetId!,
      privateServiceConnection: {
        name: `${registry.name}-registry`,
        privateConnectionResourceId: registry.id,
        subresourceNames: ['registry'],
        isManualConnection: false,
      },
      privateDnsZoneGroup: { name: 'registry', privateDnsZoneIds: [zone.id] },
    });
  }

  private validate(props: AzureContainerRegistryProps, name: string | undefined, retentionDays: number): void {
    const at = `${this.node.path}:`;
    const problems = registryPropProblems(this.node.path, props);
    if (name === undefined) {
      problems.push(`${at} registryName is missing and there is no subscriptionId to derive it from (give one of them)`);
    } else if (!Token.isUnresolved(name) && !/^[a-zA-Z0-9]{5,50}$/.test(name)) {
      problems.push(`${at} registryName "${name}" is not a registry name (5-50 letters and digits)`);
    }
    if (this.sku === 'Premium') {
      if (retentionDays > ACR_MAX_RETENTION_DAYS) {
        problems.push(`${at} untaggedImageExpiryDays ${retentionDays} is longer than ACR retention allows (at most ${ACR_MAX_RETENTION_DAYS})`);
      }
      if (props.privateEndpointSubnetId === undefined || props.virtualNetworkId === undefined) {
        problems.push(`${at} a Premium registry is private and needs privateEndpointSubnetId and virtualNetworkId (or use sku "Standard")`);
      }
    } else if (props.encryptionKey) {
      problems.push(`${at} encryptionKey needs sku "Premium" (ACR customer-managed keys are a Premium feature), but sku is "${this.sku}"`);
    }
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
  }
}
