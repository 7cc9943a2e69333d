import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from '../constructs/core/cdktf';
import { setTier } from '../constructs/core/tiers';
import type { KubernetesCluster } from '../constructs/infrastructure/cluster';
import type { Network } from '../constructs/infrastructure/network';
import type { ContainerRegistry } from '../constructs/infrastructure/registry';
import { configureLocalState } from '../constructs/integration/state';
import { Environment } from '../environments/types';
import type { WorkloadIdentity, WorkloadIdentityRequest } from '../constructs/integration/identity';
import type { Database } from '../constructs/capabilities/database';
import { COST_METADATA_PATH, type CostMetadata } from '../constructs/capabilities/cost/estimate/assumptions';
import { AddonInfraBuilders, OutputSpec, kitOf } from './clouds';
import { AddonResources, NO_ADDON_RESOURCES } from './platform/addon';
import { addonWebhookPorts, enabledAddons } from './platform/catalog';

/** The name of an environment's infrastructure stack. */
export const infraStackName = (environment: string): string => `${environment}-infra`;

/** Props of {@link InfraStack}. */
export interface InfraStackProps {
  /** The validated environment (see validateEnvironments). */
  readonly environment: Environment;
}

/**
 * One environment's cluster infrastructure, `<env>-infra`, on the environment's cloud: network,
 * Kubernetes cluster and container registry with their keys, logs and identities, in its own
 * encrypted, locked state. In-cluster add-ons live in other stacks that read this one's attributes
 * through cdktf cross-stack references.
 */
export class InfraStack extends TerraformStack {
  readonly network: Network;
  readonly cluster: KubernetesCluster;
  readonly registry: ContainerRegistry;
  /** Cloud identities of add-ons' service accounts, by add-on key, then request name. */
  readonly identities: Readonly<Record<string, Readonly<Record<string, WorkloadIdentity>>>>;
  /** Cloud resources of add-ons' infra hooks, by add-on key. */
  readonly addonResources: Readonly<Record<string, AddonResources>>;
  /** Where the environment's secrets live when this stack made the store (Azure Key Vault). */
  readonly secretStore?: { readonly id: string; readonly url: string };

  constructor(scope: Construct, props: InfraStackProps) {
    const env = props.environment;
    super(scope, infraStackName(env.name));
    setTier(this, env.tier);
    const kit = kitOf(env);
    kit.configureProvider(this, env);
    if (env.state.backend === 'local') configureLocalState(this, env.state);
    else kit.configureRemoteState(this, env);

    const costMetadata: CostMetadata = { environment: env.name, tier: env.tier, assumptions: env.cost?.assumptions ?? {} };
    this.addOverride(COST_METADATA_PATH, costMetadata);

    const parts = kit.buildInfra(this, env, { webhookPorts: addonWebhookPorts(enabledAddons(env).map(({ addon }) => addon.key)) });
    this.network = parts.network;
    this.cluster = parts.cluster;
    this.registry = parts.registry;
    this.secretStore = parts.secretStore;
    const identities: Record<string, Record<string, WorkloadIdentity>> = {};
    const resources: Record<string, AddonResources> = {};
    let builders: AddonInfraBuilders | undefined;
    for (const { addon, config } of enabledAddons(env)) {
      if (addon.infra) {
        builders ??= kit.addonInfraBuilders(this, env, parts);
        const made = addon.infra(new Construct(this, `addon-${addon.key}`), env, config as never, builders);
        resources[addon.key] = { ...NO_ADDON_RESOURCES, ...made };
      }
      if (!addon.identities) continue;
      identities[addon.key] = Object.fromEntries(
        addon
          .identities(env, config as never, resources[addon.key] ?? NO_ADDON_RESOURCES)
          .map((request) => [request.name, kit.createWorkloadIdentity(this, env, parts, withDatabaseCredentials(request, parts.databases))]),
      );
    }
    this.identities = identities;
    this.addonResources = resources;

    const outputs: Record<string, OutputSpec> = {
      cluster_name: { value: this.cluster.clusterName, description: 'Kubernetes cluster name' },
      cluster_endpoint: { value: this.cluster.endpoint, description: 'Kubernetes API server URL' },
      cluster_certificate_authority_data: { value: this.cluster.certificateAuthorityData, description: 'API server CA, base64' },
      cluster_oidc_issuer_url: { value: this.cluster.oidcIssuerUrl, description: 'OIDC issuer of service account tokens' },
      network_id: { value: this.network.networkId, description: 'VPC or VNet id' },
      private_subnet_ids: { value: this.network.privateSubnetIds, description: 'Private subnet ids' },
      registry_urls: { value: this.registry.repositoryUrls, description: 'Image repository URLs by repository name' },
      ...parts.cloudOutputs,
    };
    for (const [id, output] of Object.entries(outputs)) new TerraformOutput(this, id, output);
  }
}

/**
 * A request that may read the environment's secrets, with read access to the databases' passwords
 * where the cloud keeps them outside the environment's prefix (RDS's `rds!db-…` master user
 * secrets): what the databases' connection secrets point to must be readable too.
 */
function withDatabaseCredentials(request: WorkloadIdentityRequest, databases: Readonly<Record<string, Database>>): WorkloadIdentityRequest {
  if (!request.grants.some((grant) => grant.kind === 'secrets-read')) return request;
  const credentials = Object.values(databases).flatMap((database) => (database.credentialsRead ? [database.credentialsRead] : []));
  return credentials.length > 0 ? { ...request, grants: [...request.grants, ...credentials] } : request;
}
