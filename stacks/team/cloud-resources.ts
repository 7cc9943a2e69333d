// What a team stack builds in a cloud, as one interface (stacks/team/<cloud>.ts build it), and the names and tags all clouds share.
import type { DatabaseProps } from '../../constructs/capabilities/database';
import type { ObjectBucket, ObjectBucketProps } from '../../constructs/capabilities/storage';
import type { TerraformStack } from '../../constructs/core/cdktf';
import type { Cloud } from '../../constructs/core/clouds';
import type { KubernetesObject } from '../../constructs/core/manifests';
import type { WorkloadIdentity, WorkloadIdentityRequest } from '../../constructs/integration/identity';
import type { PlatformTagsProps } from '../../constructs/integration/provider';
import { alphanumeric, azureNameSuffix } from '../../constructs/integration/provider/azure-names';
import type { EnvironmentOn } from '../../environments/types';
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
 * the team stack never branches on the cloud. Made by {@link teamCloudOf} once per stack (it
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
export const identityPrefix = (team: Team): string => `${team.environment.cluster.name}-${team.team}`;

/**
 * The storage account of a team's buckets on Azure: `st`, up to 10 letters and digits of the
 * team name, `tm`, and 8 hex characters of SHA-256 over the subscription and `<env>/teams/<team>`.
 */
export const azureTeamStorageAccountName = (team: TeamOn<'azure'>): string =>
  `st${alphanumeric(team.team).slice(0, 10)}tm${azureNameSuffix(team.environment.azure.subscriptionId, `${team.environment.name}/teams/${team.team}`)}`;
