import { AzureWorkloadIdentity, STORAGE_BLOB_DATA_CONTRIBUTOR } from '../../constructs/integration/identity/azure';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { TerraformStack } from '../../constructs/core/cdktf';
import { fitName } from '../../constructs/core/names';
import { TIER_RULES, Tier } from '../../constructs/core/tiers';
import { AzureAksCluster } from '../../constructs/infrastructure/cluster/azure';
import { AzureKeyVault } from '../../constructs/infrastructure/keys/azure';
import { AzureNetwork } from '../../constructs/infrastructure/network/azure';
import { AzureContainerRegistry } from '../../constructs/infrastructure/registry/azure';
import { alphanumeric, azureNameSuffix, createAzureProvider } from '../../constructs/integration/provider/azure';
import { AzureStateStorage, AzurermStateProps, configureAzurermState, readAzurermState } from '../../constructs/capabilities/state/azure';
import { EnvironmentOn, azureResourceGroupName } from '../../environments/types';
import { CloudKit, TerraformElement, budgetPropsOf, ciBounded, ciEnvironments, ciOutputsOf, databasePropsOf, hasCiIdentities, nodeGroupsOf, requireZoneField, stateStorageTags, tagsOf } from './kit';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { AzureAlertRecipients } from '../../constructs/capabilities/observability/alerts/azure';
import { AzureBudget } from '../../constructs/capabilities/cost/budget/azure';
import { AzureDatabase, AzurePostgresPrivateDnsZone } from '../../constructs/capabilities/database/azure';
import { AzureGithubDeployClusterAccess, AzureGithubDeployIdentities } from '../../constructs/integration/ci/azure';
import { AzureAddonStorage } from '../../constructs/capabilities/storage/azure';

type AzureEnvironment = EnvironmentOn<'azure'>;

/**
 * What a tier changes on Azure beyond {@link TIER_RULES}: the SKUs. Production gets the AKS uptime
 * SLA, a private Premium registry and HSM-backed keys; dev may run the free AKS tier; staging keeps
 * the SLA so it behaves like production, with a Standard registry.
 */
export const AZURE_TIER_SKUS: Readonly<
  Record<Tier, { readonly aksSkuTier: 'Free' | 'Standard'; readonly registrySku: 'Standard' | 'Premium'; readonly keyVaultSku: 'standard' | 'premium' }>
> = {
  dev: { aksSkuTier: 'Free', registrySku: 'Standard', keyVaultSku: 'standard' },
  staging: { aksSkuTier: 'Standard', registrySku: 'Standard', keyVaultSku: 'standard' },
  prod: { aksSkuTier: 'Standard', registrySku: 'Premium', keyVaultSku: 'premium' },
};

/** The resource group of an environment (defined with the schema that documents its default). */
export { azureResourceGroupName };

/**
 * The Key Vault name of an environment: `kv`, up to 12 letters and digits of the environment
 * name, and 8 hex characters of SHA-256 over the subscription and name (vault names are global
 * DNS names, at most 24 characters, and stay reserved while soft-deleted).
 */
export const azureKeyVaultName = (env: AzureEnvironment): string =>
  `kv${alphanumeric(env.name).slice(0, 12)}${azureNameSuffix(env.azure.subscriptionId, env.name)}`;

/**
 * The resource group of what an environment's Kubernetes claims create (Crossplane):
 * `<environment's group>-claims`, cut and hashed to the 90 characters Azure allows.
 */
export const azureClaimsResourceGroupName = (env: AzureEnvironment): string => fitName(azureResourceGroupName(env), 90, '-claims');

/**
 * The storage account of an environment's add-on data: `st`, up to 10 letters and digits of the
 * environment name, `ad`, and 8 hex characters of SHA-256 over the subscription and name.
 */
export const azureAddonStorageAccountName = (env: AzureEnvironment): string =>
  `st${alphanumeric(env.name).slice(0, 10)}ad${azureNameSuffix(env.azure.subscriptionId, `${env.name}/addons`)}`;

/**
 * The flexible server name of an environment's database: `<env>-<name>-` and 8 hex characters of
 * SHA-256 over the subscription and `<env>/<name>` (server names are global DNS names,
 * `<server>.postgres.database.azure.com`, 3-63 characters; at most 49 here).
 */
export const azureDatabaseServerName = (env: AzureEnvironment, database: string): string =>
  `${env.name}-${database}-${azureNameSuffix(env.azure.subscriptionId, `${env.name}/${database}`)}`;

/** What add-on builders and workload identities reuse from an infra stack: its resource group, Key Vault and network. */
const builtInfra = new WeakMap<TerraformStack, { group: ResourceGroup; vault: AzureKeyVault; network: AzureNetwork }>();

/** The resources {@link azureKit}'s `buildInfra` made in a stack, referenced (never named) by what comes after. */
const builtInfraOf = (stack: TerraformStack, what: string) => {
  const built = builtInfra.get(stack);
  if (!built) throw new Error(`stack ${stack.node.id}: ${what} needs buildInfra first`);
  return built;
};

const stateOf = (env: AzureEnvironment) => {
  if (env.state.backend !== 'azurerm') throw new Error(`environment "${env.name}" has no azurerm state`);
  return env.state;
};

/** The azurerm backend of an environment's stacks: its state storage account, read and written with Entra ID. */
const azurermStateOf = (env: AzureEnvironment): AzurermStateProps => {
  const state = stateOf(env);
  return {
    backend: 'azurerm',
    resourceGroupName: state.resourceGroupName,
    storageAccountName: state.storageAccountName,
    containerName: state.containerName,
    subscriptionId: env.azure.subscriptionId,
    tenantId: env.azure.tenantId,
  };
};

/**
 * Roles the apply identity assigns: those of the environment's stacks' role assignments (names,
 * or definition ids for custom roles), and what team stacks assign (Storage Blob Data Contributor
 * on their containers, docs/team-stacks.md).
 */
function assignedRolesOf(elements: readonly TerraformElement[] | undefined): string[] | undefined {
  if (!elements) return undefined;
  const assigned = elements.filter((element): element is RoleAssignment => element instanceof RoleAssignment).map((assignment) => assignment.roleDefinitionNameInput ?? assignment.roleDefinitionIdInput ?? '');
  return [...new Set([...assigned.filter((role) => role !== ''), STORAGE_BLOB_DATA_CONTRIBUTOR])].sort();
}

/** Azure: VNet with NAT, AKS, ACR and Key Vault, state in an Azure storage account. */
export const azureKit: CloudKit<'azure'> = {
  configureProvider(stack, env) {
    createAzureProvider(stack, 'azurerm', { subscriptionId: env.azure.subscriptionId, tenantId: env.azure.tenantId, tags: tagsOf(env) });
  },

  configureRemoteState(stack, env, key) {
    configureAzurermState(stack, azurermStateOf(env), key);
  },

  readRemoteState(scope, id, env, stackName) {
    return readAzurermState(scope, id, azurermStateOf(env), stackName);
  },

  buildInfra(stack: TerraformStack, env) {
    const rules = TIER_RULES[env.tier];
    const skus = AZURE_TIER_SKUS[env.tier];
    const location = env.azure.location;
    const protect = rules.deletionProtection ? { preventDestroy: true } : undefined;
    const group = new ResourceGroup(stack, 'resource-group', { name: azureResourceGroupName(env), location, lifecycle: protect });
    const where = { resourceGroupName: group.name, location };

    const network = new AzureNetwork(stack, 'network', { ...where, name: env.name, cidr: env.network.cidr, apiServerSubnet: rules.privateKeyVault });
    const vault = new AzureKeyVault(stack, 'key-vault', {
      ...where,
      name: azureKeyVaultName(env),
      tenantId: env.azure.tenantId,
      skuName: skus.keyVaultSku,
      deletionProtection: rules.deletionProtection,
      privateEndpoint: rules.privateKeyVault
        ? { subnetId: network.endpointsSubnetId, virtualNetworkId: network.networkId, linkName: `${env.name}-key-vault` }
        : undefined,
    });
    builtInfra.set(stack, { group, vault, network });
    const cluster = new AzureAksCluster(stack, 'cluster', {
      ...where,
      name: env.cluster.name,
      kubernetesVersion: env.cluster.kubernetesVersion,
      tenantId: env.azure.tenantId,
      adminPrincipal: env.cluster.adminPrincipal,
      publicEndpointCidrs: env.cluster.publicEndpointCidrs,
      nodeGroups: nodeGroupsOf(env),
      nodeSubnetId: network.nodeSubnetId,
      apiServerSubnetId: network.apiServerSubnetId,
      virtualNetworkId: network.networkId,
      networkCidr: env.network.cidr,
      nodeEgressIpAddress: network.egressIpAddress,
      availabilityZoneCount: env.network.availabilityZoneCount,
      skuTier: skus.aksSkuTier,
      logRetentionDays: env.cluster.logRetentionDays ?? rules.logRetentionDays,
      deletionProtection: rules.deletionProtection,
      terraformOverrides: env.cluster.terraformOverrides,
      diskEncryptionKey: vault.addKey('aks-disks-key', { alias: 'aks-disks', description: `AKS node disks of ${env.name}` }),
      secretsKey: vault.addKey('aks-secrets-key', { alias: 'aks-secrets', description: `Kubernetes secrets of ${env.name}`, encryptDecrypt: true }),
    });
    const premium = skus.registrySku === 'Premium';
    const registry = new AzureContainerRegistry(stack, 'registry', {
      ...where,
      name: env.name,
      subscriptionId: env.azure.subscriptionId,
      sku: skus.registrySku,
      repositories: env.registry.repositories,
      untaggedImageExpiryDays: env.registry.untaggedImageExpiryDays,
      forceDelete: !rules.deletionProtection,
      privateEndpointSubnetId: premium ? network.endpointsSubnetId : undefined,
      virtualNetworkId: premium ? network.networkId : undefined,
      encryptionKey: premium ? vault.addKey('registry-key', { alias: 'acr', description: `Container images of ${env.name}` }) : undefined,
    });
    registry.grantPull(cluster.kubeletIdentityObjectId);
    // GitHub Actions plans and applies <env>-platform too: its deploy identities (made by the bootstrap stack) need cluster and secret roles.
    if (hasCiIdentities(env)) {
      new AzureGithubDeployClusterAccess(stack, 'ci-cluster-access', {
        environment: env.name,
        subscriptionId: env.azure.subscriptionId,
        identityResourceGroupName: stateOf(env).resourceGroupName,
        clusterId: cluster.clusterId,
        keyVaultId: vault.vaultId,
      });
    }

    const alerts = new AzureAlertRecipients(stack, 'alerts', { ...where, name: `idpkit-${env.name}-alerts`, emails: env.alerts.emails });
    // Azure budgets are in the billing account's currency: budget.currency does not apply.
    const { name, monthlyLimit, actualThresholdsPercent, forecastThresholdsPercent, emails } = budgetPropsOf(env);
    // Subscription scope, filtered on both groups: AKS bills node VMs, disks and load balancers to its node resource group.
    new AzureBudget(stack, 'budget', {
      name,
      monthlyLimit,
      actualThresholdsPercent,
      forecastThresholdsPercent,
      emails,
      subscriptionId: env.azure.subscriptionId,
      resourceGroupNames: [group.name, cluster.nodeResourceGroupName],
      actionGroupId: alerts.actionGroupId,
    });
    // One privatelink zone per resource group: every server of the environment shares it.
    const postgresZone =
      env.databases.length > 0
        ? new AzurePostgresPrivateDnsZone(stack, 'postgres-private-dns', { resourceGroupName: group.name, virtualNetworkId: network.networkId, linkName: `${env.name}-postgres` })
        : undefined;
    const databases = Object.fromEntries(
      env.databases.map((database) => [
        database.name,
        new AzureDatabase(stack, `database-${database.name}`, {
          ...where,
          ...databasePropsOf(env, database),
          serverName: azureDatabaseServerName(env, database.name),
          privateEndpointSubnetId: network.endpointsSubnetId,
          privateDnsZoneId: postgresZone!.zoneId,
          key: vault.addKey(`database-${database.name}-key`, { alias: `postgres-${database.name}`, description: `PostgreSQL ${database.name} of ${env.name}` }),
          tenantId: env.azure.tenantId,
          administratorObjectId: env.cluster.adminPrincipal,
          administratorPrincipalName: env.cluster.adminGroupName ?? 'platform-admins',
          connectionSecretVaultId: vault.vaultId,
          connectionSecretDependsOn: [...vault.grantDeployerSecretsOfficer()],
          actionGroupId: alerts.actionGroupId,
        }),
      ]),
    );

    return {
      network,
      cluster,
      registry,
      databases,
      cloudOutputs: {
        alerts_action_group_id: { value: alerts.actionGroupId, description: 'Action group of alerts and budget notifications' },
        resource_group_name: { value: group.name, description: 'Resource group of the environment' },
        cluster_id: { value: cluster.clusterId, description: 'AKS cluster resource id' },
        kubelet_identity_object_id: { value: cluster.kubeletIdentityObjectId, description: 'Object id of the AKS kubelet identity (pulls images)' },
        kubelet_identity_client_id: { value: cluster.kubeletIdentityClientId, description: 'Client id of the AKS kubelet identity' },
        log_analytics_workspace_id: { value: cluster.logAnalyticsWorkspaceId, description: 'Log Analytics workspace of cluster logs' },
        key_vault_id: { value: vault.vaultId, description: 'Key Vault holding the environment keys' },
        registry_login_server: { value: registry.loginServer, description: 'ACR login server' },
        registry_id: { value: registry.registryId, description: 'ACR resource id: the scope of role assignments on the registry' },
        registry_name: { value: registry.registryName, description: 'ACR name: what scope maps and tokens name' },
        egress_ip_address: { value: network.egressIpAddress, description: 'Public IP of the NAT gateway: all node egress' },
      },
      secretStore: { id: vault.vaultId, url: vault.vaultUri },
    };
  },

  addonInfraBuilders(stack, env) {
    const rules = TIER_RULES[env.tier];
    const built = builtInfraOf(stack, 'addonInfraBuilders');
    let storage: AzureAddonStorage | undefined;
    let claims: ResourceGroup | undefined;
    return {
      bucket: (scope, id, props) => {
        // Customer key, and only the nodes (service endpoint) and trusted Azure services reach the data.
        storage ??= new AzureAddonStorage(stack, 'addon-storage', {
          storageAccountName: azureAddonStorageAccountName(env),
          resourceGroupName: built.group.name,
          location: env.azure.location,
          deletionProtection: rules.deletionProtection,
          encryptionKey: built.vault.addKey('addon-storage-key', { alias: 'addon-storage', description: `Add-on data (Loki, Tempo) of ${env.name}` }),
          allowedSubnetIds: [built.network.nodeSubnetId],
        });
        // Containers live in the shared account; the add-on's scope keeps them apart by id.
        return storage.addBucket(`${scope.node.id}-${id}`, { bucketName: props.name, versioning: props.versioning, expiryDays: props.expiryDays });
      },
      key: (scope, id, props) => {
        const key = built.vault.addKey(`${scope.node.id}-${id}`, { alias: props.name, description: props.description, encryptDecrypt: true });
        return { keyId: key.keyId, keyResourceId: key.resourceId, keyName: key.name, keyContainerName: built.vault.vaultName, location: env.azure.location };
      },
      // Flexible servers made from claims need a subnet delegated to them, which the environment's VNet does not carve.
      databaseNetwork: () => undefined,
      claimsResourceGroup: () => {
        claims ??= new ResourceGroup(stack, 'claims-resource-group', {
          name: azureClaimsResourceGroupName(env),
          location: env.azure.location,
          lifecycle: rules.deletionProtection ? { preventDestroy: true } : undefined,
        });
        return { name: claims.name, id: claims.id };
      },
      dnsZone: (zone, what) => {
        const group = requireZoneField(zone.resourceGroupName, what, 'resourceGroupName');
        return { domain: zone.domain, zoneResourceId: `/subscriptions/${env.azure.subscriptionId}/resourceGroups/${group}/providers/Microsoft.Network/dnsZones/${zone.domain}` };
      },
    };
  },

  createWorkloadIdentity(stack, env, parts, request) {
    return new AzureWorkloadIdentity(stack, `identity-${request.name}`, {
      resourceGroupName: builtInfraOf(stack, 'createWorkloadIdentity').group.name,
      location: env.azure.location,
      namePrefix: env.cluster.name,
      oidcIssuerUrl: parts.cluster.oidcIssuerUrl,
      request,
      secretStoreId: parts.secretStore!.id,
    });
  },

  buildStateStorage(stack, envs, options) {
    const [first] = envs;
    const state = stateOf(first);
    createAzureProvider(stack, 'azurerm', {
      subscriptionId: first.azure.subscriptionId,
      tenantId: first.azure.tenantId,
      tags: stateStorageTags(envs),
    });
    const storage = new AzureStateStorage(stack, 'state', {
      resourceGroupName: state.resourceGroupName,
      storageAccountName: state.storageAccountName,
      containerName: state.containerName,
      location: first.azure.location,
      tenantId: first.azure.tenantId,
    });
    const identities = ciEnvironments(envs).map(
      ({ env, deploy }) =>
        new AzureGithubDeployIdentities(stack, `ci-${deploy.environment}`, {
          ...deploy,
          resourceGroupName: storage.resourceGroupName,
          location: first.azure.location,
          subscriptionId: env.azure.subscriptionId,
          stateContainerId: storage.containerId,
          planRoleDefinitionNames: env.ci?.permissions?.plan,
          applyRoleDefinitionNames: env.ci?.permissions?.apply,
          constrainedDelegation: ciBounded(env),
          assignableRoles: assignedRolesOf(options?.deployedElements?.(env.name)),
        }),
    );
    return {
      state_storage_account_id: { value: storage.storageAccountId, description: 'Storage account holding Terraform state' },
      state_container_id: { value: storage.containerId, description: 'Blob container of the state files' },
      ...ciOutputsOf(identities),
    };
  },
};
