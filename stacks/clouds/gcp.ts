import { GcpWorkloadIdentity } from '../../constructs/integration/identity/gcp';
import type { Construct } from 'constructs';
import { TerraformStack } from '../../constructs/core/cdktf';
import { TIER_RULES } from '../../constructs/core/tiers';
import { GcpGkeCluster } from '../../constructs/infrastructure/cluster/gcp';
import { GcpKeyRing, GcpKmsKey } from '../../constructs/infrastructure/keys/gcp';
import { GcpNetwork } from '../../constructs/infrastructure/network/gcp';
import { GcpArtifactRegistry } from '../../constructs/infrastructure/registry/gcp';
import { createGoogleProvider, gcpContext } from '../../constructs/integration/provider/gcp';
import { GCP_SERVICES, gcpServiceAgent, requireServices } from '../../constructs/integration/services/gcp';
import { GcpStateBucket, configureGcsState, readGcsState } from '../../constructs/capabilities/state/gcp';
import { EnvironmentOn } from '../../environments/types';
import { CloudKit, TerraformElement, budgetPropsOf, ciBounded, ciEnvironments, ciOutputsOf, ciProviderExists, databasePropsOf, nodeGroupsOf, requireZoneField, stateStorageTags, tagsOf } from './kit';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { GcpGithubDeployServiceAccounts, GcpGithubPoolRef, GcpGithubWorkloadIdentityPool, SECRET_ACCESSOR_ROLE, gcpGithubPoolRef } from '../../constructs/integration/ci/gcp';
import { IdpkitError } from '../../constructs/core/errors';
import { GcpAlertRecipients } from '../../constructs/capabilities/observability/alerts/gcp';
import { GcpBudget } from '../../constructs/capabilities/cost/budget/gcp';
import { GcpDatabase, GcpPrivateServiceAccess } from '../../constructs/capabilities/database/gcp';
import { GcpObjectBucket } from '../../constructs/capabilities/storage/gcp';

type GcpEnvironment = EnvironmentOn<'gcp'>;

const stateOf = (env: GcpEnvironment) => {
  if (env.state.backend !== 'gcs') throw new Error(`environment "${env.name}" has no GCS state`);
  return { bucket: env.state.bucket, projectId: env.gcp.projectId, region: env.gcp.region };
};

/** The name of an environment's key ring: one per environment, holding its GKE and registry keys. */
export const gcpEnvironmentKeyRingName = (environment: string): string => `idpkit-${environment}`;

/** The environment key ring of each infra stack, which add-on keys join. */
const keyRings = new WeakMap<TerraformStack, GcpKeyRing>();

/** The VPC's private services access (one per VPC): made once, by the first that needs it. */
const privateServiceAccesses = new WeakMap<TerraformStack, GcpPrivateServiceAccess>();
function privateServiceAccessOf(stack: TerraformStack, env: EnvironmentOn<'gcp'>, network: GcpNetwork): GcpPrivateServiceAccess {
  let access = privateServiceAccesses.get(stack);
  if (!access) {
    access = new GcpPrivateServiceAccess(stack, 'private-service-access', { networkSelfLink: network.networkSelfLink, rangeName: `${env.name}-private-services` });
    privateServiceAccesses.set(stack, access);
  }
  return access;
}

/**
 * What the apply account applies, from the environment's stacks: their Terraform types, and the
 * project roles their `google_project_iam_member`s grant, with what team stacks' identities grant
 * on the project (secret reads, docs/team-stacks.md).
 */
function grantScopeOf(elements: readonly TerraformElement[] | undefined): { applyResourceTypes?: string[]; grantableRoles?: string[] } {
  if (!elements) return {};
  const granted = elements.filter((element): element is ProjectIamMember => element instanceof ProjectIamMember).map((member) => member.roleInput ?? '');
  return {
    applyResourceTypes: [...new Set(elements.map((element) => element.terraformResourceType))].sort(),
    grantableRoles: [...new Set([...granted.filter((role) => role !== ''), SECRET_ACCESSOR_ROLE])].sort(),
  };
}

/**
 * GCP: custom VPC with Cloud NAT, a private GKE Standard cluster and one Artifact Registry
 * repository, their keys in one key ring per environment; state in GCS. Two availability zones
 * (dev only) make the cluster zonal, three make it regional. Where the tier has deletion protection
 * (prod), stateful resources also carry `prevent_destroy`.
 */
export const gcpKit: CloudKit<'gcp'> = {
  configureProvider(stack, env) {
    createGoogleProvider(stack, 'google', { projectId: env.gcp.projectId, region: env.gcp.region, tags: tagsOf(env) });
  },

  configureRemoteState(stack, env, key) {
    configureGcsState(stack, { backend: 'gcs', ...stateOf(env) }, key);
  },

  readRemoteState(scope, id, env, stackName) {
    return readGcsState(scope, id, { backend: 'gcs', ...stateOf(env) }, stackName);
  },

  buildInfra(stack: TerraformStack, env, needs) {
    const rules = TIER_RULES[env.tier];
    const region = env.gcp.region;
    requireServices(stack, [GCP_SERVICES.serviceusage, GCP_SERVICES.cloudresourcemanager]);
    const preventDestroy = rules.deletionProtection;
    const keyRing = new GcpKeyRing(stack, 'key-ring', { name: gcpEnvironmentKeyRingName(env.name), location: region, preventDestroy });
    keyRings.set(stack, keyRing);
    const key = (id: string, alias: string, description: string) =>
      new GcpKmsKey(stack, id, { alias, description, location: region, keyRing, deletionWindowDays: rules.keyDeletionWindowDays, preventDestroy });

    const network = new GcpNetwork(stack, 'network', { name: env.name, cidr: env.network.cidr, region });
    const cluster = new GcpGkeCluster(stack, 'cluster', {
      name: env.cluster.name,
      kubernetesVersion: env.cluster.kubernetesVersion,
      adminPrincipal: env.cluster.adminPrincipal,
      region,
      network,
      availabilityZoneCount: env.network.availabilityZoneCount,
      publicEndpointCidrs: env.cluster.publicEndpointCidrs,
      nodeGroups: nodeGroupsOf(env),
      deletionProtection: rules.deletionProtection,
      terraformOverrides: env.cluster.terraformOverrides,
      secretsKey: key('gke-secrets-key', 'gke-secrets', `Kubernetes secrets of ${env.cluster.name}`),
      webhookPorts: needs.webhookPorts,
    });
    const registry = new GcpArtifactRegistry(stack, 'registry', {
      name: env.name,
      region,
      repositories: env.registry.repositories,
      untaggedImageExpiryDays: env.registry.untaggedImageExpiryDays,
      forceDelete: !rules.deletionProtection,
      encryptionKey: key('registry-key', 'artifact-registry', `Artifact Registry images of ${env.name}`),
    });
    registry.grantPull(cluster.nodeServiceAccountMember, 'gke-nodes');

    // The customer key of the environment's own secrets in Secret Manager: Secret Manager's service agent uses it.
    const secretsKey = key('secrets-key', 'secrets', `Secrets of ${env.name} in Secret Manager`);
    secretsKey.grantEncryptDecrypt('secret-manager-agent', gcpServiceAgent(stack, 'secretmanager'));
    const alerts = new GcpAlertRecipients(stack, 'alerts', { name: `idpkit-${env.name}-alerts`, emails: env.alerts.emails });
    new GcpBudget(stack, 'budget', { ...budgetPropsOf(env), billingAccountId: env.gcp.billingAccountId, notificationChannelIds: alerts.notificationChannelIds });
    const privateServiceAccess = env.databases.length > 0 ? privateServiceAccessOf(stack, env, network) : undefined;
    const databases = Object.fromEntries(
      env.databases.map((database) => [
        database.name,
        new GcpDatabase(stack, `database-${database.name}`, {
          ...databasePropsOf(env, database),
          region,
          privateServiceAccess: privateServiceAccess!,
          key: key(`database-${database.name}-key`, `postgres-${database.name}`, `PostgreSQL ${database.name} of ${env.name}`),
          notificationChannelIds: alerts.notificationChannelIds,
        }),
      ]),
    );
    return {
      network,
      cluster,
      registry,
      databases,
      cloudOutputs: {
        cluster_location: { value: cluster.location, description: 'GKE cluster location (region, or zone of a zonal cluster)' },
        node_service_account_email: { value: cluster.nodeServiceAccountEmail, description: 'Service account of the GKE nodes' },
        workload_identity_pool: { value: cluster.workloadIdentityPool, description: 'Workload Identity pool of the cluster' },
        network_self_link: { value: network.networkSelfLink, description: 'VPC self link' },
        subnet_self_link: { value: network.subnetSelfLink, description: 'Node subnet self link' },
        pods_range_name: { value: network.podsRangeName, description: 'Secondary range of pod IPs' },
        services_range_name: { value: network.servicesRangeName, description: 'Secondary range of Service IPs' },
        registry_repository_id: { value: registry.repositoryResourceId, description: 'Artifact Registry repository' },
        secrets_key_id: { value: secretsKey.keyId, description: "Cloud KMS key for the environment's secrets in Secret Manager (CMEK)" },
      },
    };
  },

  addonInfraBuilders(stack, env, parts) {
    const rules = TIER_RULES[env.tier];
    const region = env.gcp.region;
    const keyRing = keyRings.get(stack);
    if (!keyRing) throw new Error(`stack ${stack.node.id}: addonInfraBuilders needs buildInfra first`);
    const newKey = (scope: Construct, id: string, name: string, description: string) =>
      new GcpKmsKey(scope, id, {
        alias: name,
        description,
        location: region,
        keyRing,
        deletionWindowDays: rules.keyDeletionWindowDays,
        preventDestroy: rules.deletionProtection,
      });
    return {
      bucket: (scope, id, props) =>
        new GcpObjectBucket(scope, id, {
          bucketName: `${env.gcp.projectId}-${env.name}-${props.name}`,
          location: region,
          key: newKey(scope, `${id}-key`, `bucket-${props.name}`, `Objects in the ${props.name} bucket of ${env.name}`),
          versioning: props.versioning,
          expiryDays: props.expiryDays,
          forceDestroy: !rules.deletionProtection,
          preventDestroy: rules.deletionProtection,
        }),
      key: (scope, id, props) => {
        const key = newKey(scope, id, props.name, props.description);
        return { keyId: key.keyId, keyName: props.name, keyContainerName: gcpEnvironmentKeyRingName(env.name), location: region };
      },
      dnsZone: (zone, what) => ({ domain: zone.domain, managedZone: requireZoneField(zone.managedZone, what, 'managedZone'), project: env.gcp.projectId }),
      databaseNetwork: () => {
        const network = parts.network as GcpNetwork;
        privateServiceAccessOf(stack, env, network);
        return { gcp: { privateNetwork: network.networkId } };
      },
    };
  },

  createWorkloadIdentity(stack, env, parts, request) {
    return new GcpWorkloadIdentity(stack, `identity-${request.name}`, {
      projectId: env.gcp.projectId,
      namePrefix: env.cluster.name,
      workloadIdentityPool: (parts.cluster as GcpGkeCluster).workloadIdentityPool,
      request,
    });
  },

  buildStateStorage(stack, envs, options) {
    const [first] = envs;
    const { bucket, projectId, region } = stateOf(first);
    createGoogleProvider(stack, 'google', {
      projectId,
      region,
      tags: stateStorageTags(envs),
    });
    requireServices(stack, [GCP_SERVICES.serviceusage]);
    const state = new GcpStateBucket(stack, 'state', { bucket, region });
    const deployers = ciEnvironments(envs);
    const repositories = [...new Set(deployers.map(({ deploy }) => `${deploy.repository.owner}/${deploy.repository.repo}`))];
    if (repositories.length > 1) {
      throw new IdpkitError('IDPKIT_ENVIRONMENT_CONFLICT', [
        `environments ${deployers.map(({ env }) => `"${env.name}"`).join(', ')} share project ${projectId} but deploy from different repositories (${repositories.join(', ')}); one workload identity pool trusts one repository: use one ci.github for them`,
      ]);
    }
    // One pool per project: another bootstrap stack of the project (or someone by hand) may have made it.
    let pool: GcpGithubPoolRef | undefined;
    if (deployers.length > 0) {
      pool = ciProviderExists(envs, options)
        ? gcpGithubPoolRef(gcpContext(stack).projectNumber)
        : new GcpGithubWorkloadIdentityPool(stack, 'github-pool', { repository: deployers[0].deploy.repository, projectId });
    }
    const identities = deployers.map(
      ({ env, deploy }) =>
        new GcpGithubDeployServiceAccounts(stack, `ci-${deploy.environment}`, {
          ...deploy,
          projectId,
          pool: pool!,
          stateBucket: state.bucketName,
          planRoles: env.ci?.permissions?.plan,
          applyRoles: env.ci?.permissions?.apply,
          constrainedGrants: ciBounded(env),
          ...grantScopeOf(options?.deployedElements?.(env.name)),
          secretNamePrefix: `${env.name}-`,
        }),
    );
    return {
      state_bucket_url: { value: state.bucketUrl, description: 'Terraform state bucket' },
      state_key_id: { value: state.key.keyId, description: 'Cloud KMS key of the state bucket' },
      ...ciOutputsOf(identities),
    };
  },
};
