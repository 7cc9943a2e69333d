import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { ContainerRegistryScopeMap } from '@cdktf/provider-azurerm/lib/container-registry-scope-map';
import { ContainerRegistryToken } from '@cdktf/provider-azurerm/lib/container-registry-token';
import type { DatabaseProps } from '../../constructs/capabilities/database';
import { AwsDatabase } from '../../constructs/capabilities/database/aws';
import { externalSecretOf } from '../../constructs/capabilities/secrets/external-secrets';
import type { ObjectBucket, ObjectBucketProps } from '../../constructs/capabilities/storage';
import { AwsObjectBucket } from '../../constructs/capabilities/storage/aws';
import { AzureAddonStorage } from '../../constructs/capabilities/storage/azure';
import { GcpObjectBucket } from '../../constructs/capabilities/storage/gcp';
import type { TerraformStack } from '../../constructs/core/cdktf';
import type { Cloud } from '../../constructs/core/clouds';
import type { KubernetesObject } from '../../constructs/core/manifests';
import { fitName } from '../../constructs/core/names';
import { GcpKeyRing, GcpKmsKey } from '../../constructs/infrastructure/keys/gcp';
import { AwsContainerRegistry } from '../../constructs/infrastructure/registry/aws';
import { GcpArtifactRegistry } from '../../constructs/infrastructure/registry/gcp';
import type { WorkloadIdentity, WorkloadIdentityRequest } from '../../constructs/integration/identity';
import { AwsWorkloadIdentity, awsGrantStatements, awsWorkloadIdentityRoleName, policyDocument } from '../../constructs/integration/identity/aws';
import { AzureWorkloadIdentity } from '../../constructs/integration/identity/azure';
import { GcpWorkloadIdentity } from '../../constructs/integration/identity/gcp';
import type { PlatformTagsProps } from '../../constructs/integration/provider';
import { createAwsProvider } from '../../constructs/integration/provider/aws';
import { addAwsPermissionsBoundary } from '../clouds/aws';
import { alphanumeric, azureNameSuffix, createAzureProvider } from '../../constructs/integration/provider/azure';
import { createGoogleProvider } from '../../constructs/integration/provider/gcp';
import type { EnvironmentOn } from '../../environments/types';
import { EXTERNAL_SECRETS_IDENTITY } from '../platform/secrets';
import type { Team } from './config';
import type { InfraRemoteState } from './remote-state';

/** Where a managed database's connection details go: a Secret in the team's namespace. */
export interface DatabaseConnectionTarget {
  readonly namespace: string;
  readonly secretName: string;
}

/** A managed database a team stack made, with the objects that bring its connection details into the namespace. */
export interface TeamManagedDatabase {
  /** Host name clients connect to. */
  readonly endpoint: string;
  /** Objects for the team's namespace (ExternalSecrets). */
  readonly objects: readonly KubernetesObject[];
}

/**
 * What a team stack builds in one cloud: the cloud's own resource kinds behind one interface, so
 * the team stack never branches on the cloud. Made by {@link TEAM_CLOUDS} once per stack (it
 * configures the cloud provider first).
 */
export interface TeamCloudResources {
  /** Creates the team's image repositories; returns their URLs by name as given. */
  repositories(names: readonly string[]): Readonly<Record<string, string>>;
  /** The cloud name of one of the team's buckets (the config's short name). */
  bucketName(name: string): string;
  /** Creates a bucket (or, on Azure, a container in the team's storage account) of that cloud name. */
  bucket(id: string, props: ObjectBucketProps): ObjectBucket;
  /** Creates the cloud identity of one service account of the team's namespace. */
  identity(request: WorkloadIdentityRequest): WorkloadIdentity;
  /**
   * Creates a managed PostgreSQL server in the environment's network, with what syncs its
   * connection details into `connection`; undefined where team stacks make none (see docs/team-stacks.md).
   */
  readonly managedDatabase?: (id: string, props: DatabaseProps, connection: DatabaseConnectionTarget) => TeamManagedDatabase;
}

/** A team on one cloud. */
export type TeamOn<C extends Cloud> = Team & { readonly environment: EnvironmentOn<C> };

/** Builds a team's cloud resources: configures the provider, returns the builders. */
export type TeamCloud<C extends Cloud> = (stack: TerraformStack, team: TeamOn<C>, infra: InfraRemoteState) => TeamCloudResources;

/** The cloud tags of a team's resources: the environment's, with the team's owner and cost center, and `team`. */
export const teamTags = (team: Team): PlatformTagsProps => ({
  environment: team.environment.name,
  owner: team.owner,
  costCenter: team.costCenter,
  extra: { ...team.environment.tags, team: team.team },
});

/** The name prefix of a team's cloud identities: the cluster's name and the team's. */
const identityPrefix = (team: Team): string => `${team.environment.cluster.name}-${team.team}`;

/**
 * The storage account of a team's buckets on Azure: `st`, up to 10 letters and digits of the
 * team name, `tm`, and 8 hex characters of SHA-256 over the subscription and `<env>/teams/<team>`.
 */
export const azureTeamStorageAccountName = (team: TeamOn<'azure'>): string =>
  `st${alphanumeric(team.team).slice(0, 10)}tm${azureNameSuffix(team.environment.azure.subscriptionId, `${team.environment.name}/teams/${team.team}`)}`;

/** AWS: ECR repositories `<env>/<team>/<name>`, S3 buckets, EKS Pod Identity roles, RDS for PostgreSQL. */
const awsTeam: TeamCloud<'aws'> = (stack, team, infra) => {
  const env = team.environment;
  createAwsProvider(stack, 'aws', { region: env.aws.region, accountId: env.aws.accountId, tags: teamTags(team) });
  // The environment's apply role creates only roles with its boundary: so do team stacks, whoever applies them.
  addAwsPermissionsBoundary(stack, env);
  return {
    repositories: (names) =>
      names.length === 0
        ? {}
        : new AwsContainerRegistry(stack, 'registry', {
            name: `${env.name}/${team.team}`,
            repositories: names,
          }).repositoryUrls,
    bucketName: (name) => fitName(`${team.team}-${env.name}-${name}`, 63, `-${env.aws.accountId}-${env.aws.region}`),
    bucket: (id, props) => new AwsObjectBucket(stack, id, props),
    identity: (request) =>
      new AwsWorkloadIdentity(stack, `identity-${request.name}`, {
        clusterName: infra.clusterName,
        namePrefix: identityPrefix(team),
        request,
        accountId: env.aws.accountId,
        region: env.aws.region,
      }),
    managedDatabase: (id, props, connection) => {
      const database = new AwsDatabase(stack, id, {
        ...props,
        vpcId: infra.networkId,
        subnetIds: infra.privateSubnetIds,
        allowedCidrs: [env.network.cidr],
        alarmTopicArn: infra.aws!.alertsTopicArn,
      });
      // External Secrets reads `<env>-` secrets; the password is in RDS's own secret (`rds!db-…`), which its role may read only for this database.
      new IamRolePolicy(stack, `${id}-credentials-read`, {
        role: awsWorkloadIdentityRoleName(env.cluster.name, EXTERNAL_SECRETS_IDENTITY),
        name: `team-${team.team}-${id}`,
        policy: policyDocument(awsGrantStatements(database.credentialsRead, EXTERNAL_SECRETS_IDENTITY, { accountId: env.aws.accountId, region: env.aws.region })),
      });
      const connectionDetails = externalSecretOf({ secretName: connection.secretName, namespace: connection.namespace, remoteSecretName: database.connectionSecretName });
      const spec = connectionDetails.spec as Record<string, unknown>;
      return {
        endpoint: database.endpoint,
        objects: [{ ...connectionDetails, spec: { ...spec, data: [{ secretKey: 'password', remoteRef: { key: database.masterUserSecretArn, property: 'password' } }] } }],
      };
    },
  };
};

/**
 * Azure: repository-scoped push through an ACR scope map and token (ACR creates repositories on
 * first push), blob containers in a storage account of the team, user-assigned identities with
 * federated credentials.
 */
const azureTeam: TeamCloud<'azure'> = (stack, team, infra) => {
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

/** GCP: one Artifact Registry repository of the team, GCS buckets, Google service accounts with Workload Identity; keys in a key ring of the team. */
const gcpTeam: TeamCloud<'gcp'> = (stack, team, infra) => {
  const env = team.environment;
  const region = env.gcp.region;
  createGoogleProvider(stack, 'google', { projectId: env.gcp.projectId, region, tags: teamTags(team) });
  let keyRing: GcpKeyRing | undefined;
  let bucketsKey: GcpKmsKey | undefined;
  const key = (id: string, alias: string, description: string) => {
    keyRing ??= new GcpKeyRing(stack, 'key-ring', { name: `idpkit-${env.name}-team-${team.team}`.slice(0, 63), location: region });
    return new GcpKmsKey(stack, id, { alias, description, location: region, keyRing });
  };
  return {
    repositories: (names) => {
      if (names.length === 0) return {};
      const registry = new GcpArtifactRegistry(stack, 'registry', {
        name: `${env.name}-${team.team}`,
        repositoryId: fitName(`${env.name}-${team.team}`, 63),
        region,
        repositories: names,
        encryptionKey: key('registry-key', 'artifact-registry', `Images of team ${team.team} in ${env.name}`),
      });
      registry.grantPush(`group:${team.members.admin}`, 'push-team-admins');
      return registry.repositoryUrls;
    },
    bucketName: (name) => fitName(`${env.gcp.projectId}-${team.team}-${env.name}`, 63, `-${name}`),
    bucket: (id, props) => {
      bucketsKey ??= key('buckets-key', 'buckets', `Objects in team ${team.team}'s buckets of ${env.name}`);
      return new GcpObjectBucket(stack, id, { ...props, location: region, key: bucketsKey });
    },
    identity: (request) =>
      new GcpWorkloadIdentity(stack, `identity-${request.name}`, {
        projectId: env.gcp.projectId,
        namePrefix: identityPrefix(team),
        workloadIdentityPool: infra.gcp!.workloadIdentityPool,
        request,
      }),
  };
};

/** Each cloud's team resources: the one place a team stack finds how its environment's cloud builds them. */
export const TEAM_CLOUDS: { readonly [C in Cloud]: TeamCloud<C> } = { aws: awsTeam, azure: azureTeam, gcp: gcpTeam };

/** The team resources of the team's environment's cloud (configures its provider in `stack`). */
export const teamCloudOf = (stack: TerraformStack, team: Team, infra: InfraRemoteState): TeamCloudResources =>
  (TEAM_CLOUDS[team.environment.cloud] as TeamCloud<Cloud>)(stack, team as TeamOn<Cloud>, infra);
