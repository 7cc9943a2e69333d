// Team stacks on Azure: loaded only when a team of an environment on that cloud is built.
import { ContainerRegistryScopeMap } from '@cdktf/provider-azurerm/lib/container-registry-scope-map';
import { ContainerRegistryToken } from '@cdktf/provider-azurerm/lib/container-registry-token';
import { AzureAddonStorage } from '../../constructs/capabilities/storage/azure';
import { fitName } from '../../constructs/core/names';
import { AzureWorkloadIdentity } from '../../constructs/integration/identity/azure';
import { createAzureProvider } from '../../constructs/integration/provider/azure';
import { TeamCloud, teamTags, identityPrefix, azureTeamStorageAccountName } from './cloud-resources';

/**
 * Azure: repository-scoped push through an ACR scope map and token (ACR creates repositories on
 * first push), blob containers in a storage account of the team, user-assigned identities with
 * federated credentials.
 */
export const azureTeam: TeamCloud<'azure'> = (stack, team, infra) => {
  const env = team.environment;
  const outputs = infra.azure!;
  createAzureProvider(stack, 'azurerm', { subscriptionId: env.azure.subscriptionId, tenantId: env.azure.tenantId, tags: teamTags(team) });
  let storage: AzureAddonStorage | undefined;
  return {
    repositories: (names) => {
      if (names.length === 0) return {};
      const paths = names.map((name) => `${env.name}/${team.team}/${name}`);
      const where = { containerRegistryName: outputs.registryName, resourceGroupName: outputs.resourceGroupName };
      const scopeMap = new ContainerRegistryScopeMap(stack, 'registry-scope-map', {
        ...where,
        name: fitName(`team-${team.team}`, 50, '-push'),
        description: `Push and pull of team ${team.team}'s repositories`,
        actions: paths.flatMap((path) => [`repositories/${path}/content/read`, `repositories/${path}/content/write`, `repositories/${path}/metadata/read`]),
      });
      // No password here: it would land in the state. The team generates one (az acr token credential generate) for its CI.
      new ContainerRegistryToken(stack, 'registry-token', { ...where, name: fitName(`team-${team.team}`, 50, '-push'), scopeMapId: scopeMap.id, enabled: true });
      return Object.fromEntries(names.map((name, i) => [name, `${outputs.registryLoginServer}/${paths[i]}`]));
    },
    bucketName: (name) => name,
    bucket: (id, props) => {
      storage ??= new AzureAddonStorage(stack, 'storage', {
        storageAccountName: azureTeamStorageAccountName(team),
        resourceGroupName: outputs.resourceGroupName,
        location: env.azure.location,
        blobVersioning: team.buckets.some((bucket) => bucket.versioning),
        // Only the cluster's nodes (service endpoint) and trusted Azure services reach the data.
        allowedSubnetIds: infra.privateSubnetIds,
      });
      return storage.addBucket(id, props);
    },
    identity: (request) =>
      new AzureWorkloadIdentity(stack, `identity-${request.name}`, {
        resourceGroupName: outputs.resourceGroupName,
        location: env.azure.location,
        namePrefix: identityPrefix(team),
        oidcIssuerUrl: infra.clusterOidcIssuerUrl,
        request,
        secretStoreId: outputs.keyVaultId,
      }),
  };
};
