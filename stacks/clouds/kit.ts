import type { Construct, IConstruct } from 'constructs';
import { IdpkitError } from '../../constructs/core/errors';
import { TerraformProvider } from '../../constructs/core/cdktf';
import type { TerraformRemoteState, TerraformStack } from '../../constructs/core/cdktf';
import type { Cloud } from '../../constructs/core/clouds';
import type { KubernetesCluster, NodeGroupProps } from '../../constructs/infrastructure/cluster';
import { NODE_MACHINE_TYPES } from '../../constructs/infrastructure/cluster/node-sizes';
import type { Network } from '../../constructs/infrastructure/network';
import type { ContainerRegistry } from '../../constructs/infrastructure/registry';
import type { DnsZoneTarget, KeyTarget, WorkloadIdentity, WorkloadIdentityRequest } from '../../constructs/integration/identity';
import type { ObjectBucket } from '../../constructs/capabilities/storage';
import type { PlatformTagsProps } from '../../constructs/integration/provider';
import type { Database, DatabaseProps } from '../../constructs/capabilities/database';
import type { BudgetProps } from '../../constructs/capabilities/cost/budget';
import type { GithubDeployIdentities, GithubDeployProps } from '../../constructs/integration/ci';
import { TIER_RULES } from '../../constructs/core/tiers';
import { OFF_HOURS_DEFAULTS, OffHoursSchedule } from '../../constructs/infrastructure/cluster/off-hours-schedule';
import type { EnvironmentOn } from '../../environments/types';

/** A Terraform output: its value and what it is. */
export interface OutputSpec {
  readonly value: unknown;
  readonly description: string;
}

/** What the environment's enabled add-ons need of its infrastructure, from the add-on catalog. */
export interface AddonInfraNeeds {
  /**
   * TCP ports the add-ons' admission and conversion webhooks listen on in their pods, which the
   * API server calls directly (pod IP and target port). GKE's firewall opens only 443 and 10250
   * from the control plane to the nodes, so GCP opens these; EKS nodes share the cluster
   * security group with the control plane (all traffic) and AKS reaches pods through its
   * konnectivity tunnel, so AWS and Azure need nothing.
   */
  readonly webhookPorts: readonly number[];
}

/** What one cloud builds for an environment's infra stack. */
export interface InfraParts {
  readonly network: Network;
  readonly cluster: KubernetesCluster;
  readonly registry: ContainerRegistry;
  /** Outputs only this cloud has (e.g. the IRSA provider ARN on AWS), by output name. */
  readonly cloudOutputs: Readonly<Record<string, OutputSpec>>;
  /** Where the environment's secrets live, when it is a resource of the infra stack (Azure's Key Vault). */
  readonly secretStore?: { readonly id: string; readonly url: string };
  /** The environment's managed PostgreSQL databases, by name. */
  readonly databases: Readonly<Record<string, Database>>;
}

/**
 * How one cloud turns a validated environment into Terraform: provider, remote state, the
 * infrastructure layer, and the bootstrap of its state storage. Stacks look the kit up by
 * `env.cloud` and never branch on the cloud themselves.
 */
export interface CloudKit<C extends Cloud> {
  /** Configures the stack's provider(s) for the environment. */
  configureProvider(stack: TerraformStack, env: EnvironmentOn<C>): void;
  /**
   * Configures the stack's remote state backend (the environment's state is not local), at `key`
   * in the environment's state bucket or container. @default key - `idpkit/<stack>/terraform.tfstate`
   */
  configureRemoteState(stack: TerraformStack, env: EnvironmentOn<C>, key?: string): void;
  /**
   * Reads the outputs of one of the environment's stacks (by stack name, e.g. `dev-infra`) from
   * its remote state, where {@link configureRemoteState} put it.
   */
  readRemoteState(scope: Construct, id: string, env: EnvironmentOn<C>, stackName: string): TerraformRemoteState;
  /** Builds the environment's network, cluster and registry, with what its add-ons need of them. */
  buildInfra(stack: TerraformStack, env: EnvironmentOn<C>, needs: AddonInfraNeeds): InfraParts;
  /**
   * What add-ons' infra hooks build with in this environment's infra stack (buckets, keys, DNS
   * zone references). Called once per stack, after {@link buildInfra}.
   */
  addonInfraBuilders(stack: TerraformStack, env: EnvironmentOn<C>, parts: InfraParts): AddonInfraBuilders;
  /** Creates a cloud identity for one Kubernetes service account, in the infra stack. */
  createWorkloadIdentity(stack: TerraformStack, env: EnvironmentOn<C>, parts: InfraParts, request: WorkloadIdentityRequest): WorkloadIdentity;
  /**
   * Builds the state storage (bucket or storage account, and its key) shared by these
   * environments, and the deploy identities of those with `ci`.
   */
  buildStateStorage(stack: TerraformStack, envs: readonly EnvironmentOn<C>[], options?: StateStorageOptions): Readonly<Record<string, OutputSpec>>;
}

/** How a bootstrap stack fits with the others of its account. */
export interface StateStorageOptions {
  /**
   * The account's GitHub OIDC provider (AWS) or the project's workload identity pool (GCP) is made
   * elsewhere (another bootstrap stack of the account, or by hand): look it up instead of creating
   * it. Environments can say so too (`ci.github.oidcProviderExists`). Azure has none.
   * @default false
   */
  readonly ciProviderExists?: boolean;
  /**
   * AWS: create the account's EC2 Spot service-linked role (one per account, which Karpenter needs
   * to launch spot) in this stack. Azure and GCP have none.
   * @default false
   */
  readonly spotServiceLinkedRole?: boolean;
  /**
   * The Terraform resources and data sources of an environment's other stacks (`<env>-infra`,
   * `<env>-platform`), by environment name: what its apply identity applies, from which its
   * permissions are generated (AWS policies, Azure assignable roles, GCP roles and grantable roles).
   * @default - none known: the constructs' defaults (everything idpkit can apply)
   */
  readonly deployedElements?: (environment: string) => readonly TerraformElement[];
}

/** A Terraform resource or data source of a stack (anything with a Terraform type but a provider). */
export interface TerraformElement extends IConstruct {
  readonly terraformResourceType: string;
}

/** The Terraform resources and data sources of some stacks, in tree order (providers left out). */
export function terraformElementsOf(stacks: readonly IConstruct[]): TerraformElement[] {
  return stacks.flatMap((stack) =>
    stack.node.findAll().filter((node): node is TerraformElement => typeof (node as Partial<TerraformElement>).terraformResourceType === 'string' && !(node instanceof TerraformProvider)),
  );
}

/** The standard tags of an environment. */
export const tagsOf = (env: EnvironmentOn<Cloud>): PlatformTagsProps => ({
  environment: env.name,
  owner: env.owner,
  costCenter: env.costCenter,
  extra: env.tags,
});

/** Tags of state storage shared by environments: the first one's, naming them all (`dev+staging`). */
export const stateStorageTags = (envs: readonly EnvironmentOn<Cloud>[]): PlatformTagsProps => ({
  ...tagsOf(envs[0]),
  environment: envs.map((env) => env.name).join('+'),
});

/** The environment's node groups with abstract sizes resolved to the cloud's machine type. */
export function nodeGroupsOf(env: EnvironmentOn<Cloud>): NodeGroupProps[] {
  return env.cluster.nodeGroups.map(({ size, instanceTypes, ...group }) => ({
    ...group,
    instanceTypes: instanceTypes ?? [NODE_MACHINE_TYPES[size!][env.cloud]],
  }));
}

/** The name of a database's connection secret in the cloud secret manager: under the environment's prefix, so External Secrets can read it. */
export const databaseSecretName = (env: EnvironmentOn<Cloud>, database: string): string => `${env.name}-db-${database}`;

/** A database's props from the environment: its config with the tier's rules for what it leaves out. */
export function databasePropsOf(env: EnvironmentOn<Cloud>, database: EnvironmentOn<Cloud>['databases'][number]): DatabaseProps {
  const rules = TIER_RULES[env.tier];
  return {
    name: `${env.name}-${database.name}`,
    databaseName: database.name.replace(/-/g, '_'),
    engineVersion: database.engineVersion ?? '17',
    size: database.size,
    storageGiB: database.storageGiB,
    backupRetentionDays: database.backupRetentionDays ?? rules.databaseBackupRetentionDays,
    highAvailability: database.highAvailability ?? rules.databaseHighAvailability,
    deletionProtection: rules.deletionProtection,
    connectionSecretName: databaseSecretName(env, database.name),
  };
}

/** The environment's budget props (name and thresholds; recipients are its alert emails). */
export const budgetPropsOf = (env: EnvironmentOn<Cloud>): BudgetProps => ({ name: `idpkit-${env.name}`, ...env.budget, emails: env.alerts.emails });

/** The off-hours schedule of the environment's node groups, or undefined when they stay up. */
export function offHoursOf(env: EnvironmentOn<Cloud>): OffHoursSchedule | undefined {
  const setting = env.cluster.offHours;
  if (setting === false || (setting === undefined && !TIER_RULES[env.tier].offHoursScaleDown)) return undefined;
  return setting ? { stopCron: setting.stop, startCron: setting.start, timeZone: setting.timeZone } : OFF_HOURS_DEFAULTS;
}

/** The environments that deploy from GitHub Actions, with their repository settings. */
export function ciEnvironments<C extends Cloud>(envs: readonly EnvironmentOn<C>[]): { env: EnvironmentOn<C>; deploy: GithubDeployProps }[] {
  return envs.flatMap((env) =>
    env.ci
      ? [{ env, deploy: { environment: env.name, repository: { owner: env.ci.github.owner, repo: env.ci.github.repo }, defaultBranch: env.ci.github.defaultBranch } }]
      : [],
  );
}

/** Whether the environment has deploy identities: `ci` is set and a bootstrap stack (remote state) makes them. */
export const hasCiIdentities = (env: EnvironmentOn<Cloud>): boolean => env.ci !== undefined && env.state.backend !== 'local';

/**
 * Whether the environment's apply identity is bounded (the default with CI identities): AWS
 * permissions boundary on it and every role of its stacks, Azure constrained delegation, GCP
 * conditional IAM admin. `ci.permissions.boundary: false` turns it off.
 */
export const ciBounded = (env: EnvironmentOn<Cloud>): boolean => hasCiIdentities(env) && env.ci?.permissions?.boundary !== false;

/** Whether a bootstrap stack of these environments looks up the account's GitHub provider (or pool) rather than creating it. */
export const ciProviderExists = (envs: readonly EnvironmentOn<Cloud>[], options?: StateStorageOptions): boolean =>
  (options?.ciProviderExists ?? false) || envs.some((env) => env.ci?.github.oidcProviderExists === true);

/** Terraform outputs of CI identities, named per environment (`ci_<env>_...`): what the workflows read. */
export const ciOutputsOf = (identities: readonly GithubDeployIdentities[]): Record<string, OutputSpec> =>
  Object.assign({}, ...identities.map((identity) => identity.workflowOutputs));

/** A construct scope, for kits that build into part of a stack. */
export type Scope = Construct;

/** An object bucket an add-on asks for. */
export interface AddonBucketProps {
  /** Short name, unique per environment, e.g. `loki-chunks`; the kit makes the cloud name unique. */
  readonly name: string;
  /** Keep previous object versions. @default false */
  readonly versioning?: boolean;
  /** Delete objects this many days after they are written (a backstop to the add-on's retention). @default - never */
  readonly expiryDays?: number;
}

/** An encrypt/decrypt key an add-on asks for. */
export interface AddonKeyProps {
  /** Short name, unique per environment, e.g. `vault-unseal`. */
  readonly name: string;
  /** What the key protects. */
  readonly description: string;
}

/** A key made for an add-on, with what its clients need to find it. */
export interface AddonKey extends KeyTarget {
  /** Key name: the KMS alias (AWS, `alias/...`), Key Vault key name, Cloud KMS crypto key name. */
  readonly keyName: string;
  /** Azure: the Key Vault's name; GCP: the key ring's name. @default - none (AWS) */
  readonly keyContainerName?: string;
  /** Region or location of the key. */
  readonly location: string;
}

/** A DNS zone an add-on manages records in, from its config: it exists already and idpkit never creates it. */
export interface DnsZoneConfig {
  /** The zone's domain, e.g. `prod.acme.example` (on Azure also the zone's name). */
  readonly domain: string;
  /** AWS: the Route 53 hosted zone id. */
  readonly hostedZoneId?: string;
  /** Azure: the zone's resource group. */
  readonly resourceGroupName?: string;
  /** GCP: the Cloud DNS managed zone name. */
  readonly managedZone?: string;
}

/**
 * What an add-on's infra hook builds with: cloud resources of its own in the infra stack, each
 * usable as the target of a workload identity grant. Names are per environment; the kit makes them
 * unique in the cloud.
 */
export interface AddonInfraBuilders {
  /** An object storage bucket (S3, a blob container, GCS) with its encryption and lifecycle. */
  bucket(scope: Construct, id: string, props: AddonBucketProps): ObjectBucket;
  /** A symmetric encrypt/decrypt key (KMS, Key Vault, Cloud KMS) of the environment. */
  key(scope: Construct, id: string, props: AddonKeyProps): AddonKey;
  /** A reference to an existing DNS zone, checked for the fields this cloud needs. */
  dnsZone(zone: DnsZoneConfig, what: string): DnsZoneTarget;
  /**
   * Where databases made from Kubernetes claims (Crossplane) go in the environment's network, with
   * what that needs (a PostgreSQL security group on AWS, private services access on GCP); undefined
   * where idpkit cannot place them itself (Azure: flexible servers need a delegated subnet).
   */
  databaseNetwork(scope: Construct): DatabaseNetwork | undefined;
  /**
   * A resource group of its own (Azure) for what Kubernetes claims create at runtime (Crossplane),
   * next to the environment's, as references to it: grants scoped to it and resources placed in it
   * wait for it, and a role on it reaches neither the cluster, its Key Vault nor the state. Clouds
   * without resource groups leave it out.
   */
  claimsResourceGroup?(): ResourceGroupRef;
  /**
   * The SQS queue and EventBridge rules Karpenter reads spot interruptions and instance events
   * from (AWS, the only cloud idpkit runs Karpenter on); other clouds leave it out.
   */
  karpenterInterruptionQueue?(scope: Construct, queueName: string): void;
}

/** A resource group of the infra stack, by references to the `azurerm_resource_group` that creates it. */
export interface ResourceGroupRef {
  /** Its name. */
  readonly name: string;
  /** Its resource id, `/subscriptions/<id>/resourceGroups/<name>`: the scope of role assignments on it. */
  readonly id: string;
}

/** The environment's network as the Crossplane database Compositions take it, per cloud. */
export interface DatabaseNetwork {
  readonly aws?: { readonly subnetIds: readonly string[]; readonly securityGroupIds: readonly string[] };
  readonly gcp?: { readonly privateNetwork: string };
}

/** The field a DNS zone needs on this cloud, or an error naming the config path. */
export function requireZoneField(value: string | undefined, what: string, field: string): string {
  if (!value) {
    throw new IdpkitError('IDPKIT_INVALID_ENVIRONMENT', [`${what}.${field} is missing (this cloud needs it to find the DNS zone)`]);
  }
  return value;
}
