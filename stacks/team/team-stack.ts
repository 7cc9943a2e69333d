import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { Construct } from 'constructs';
import { DATABASE_SIZES, DatabaseSize } from '../../constructs/capabilities/database';
import type { ObjectBucket } from '../../constructs/capabilities/storage';
import { TerraformOutput, TerraformStack } from '../../constructs/core/cdktf';
import { IdpkitError, describeValue } from '../../constructs/core/errors';
import { namespaceId } from '../../constructs/core/helm-addon';
import { KubernetesObject, ManifestsRelease } from '../../constructs/core/manifests';
import { fitName } from '../../constructs/core/names';
import { TIER_RULES, setTier } from '../../constructs/core/tiers';
import { toYaml } from '../../constructs/core/yaml';
import type { IdentityGrant, WorkloadIdentity } from '../../constructs/integration/identity';
import { configureKubernetesProviders } from '../../constructs/integration/kubernetes';
import { ALLOY_NAMESPACE } from '../../constructs/capabilities/observability/alloy';
import { KUBE_PROMETHEUS_STACK_NAMESPACE } from '../../constructs/capabilities/observability/kube-prometheus-stack';
import { ISTIO_INGRESS_NAMESPACE } from '../../constructs/capabilities/mesh/istio';
import { DATABASE_API_GROUP, POSTGRESQL_INSTANCE_KIND } from '../../constructs/orchestration/crossplane/databases';
import {
  COST_CENTER_LABEL,
  TEAM_LABEL,
  TENANT_LABEL,
  costCenterLabelValue,
  tenantNamespace,
  tenantNetworkPolicies,
  tenantQuotaObjects,
  tenantRoleBinding,
} from '../../constructs/orchestration/tenancy/tenancy';
import type { CloudResourceRequest, RenderOptions, RenderedWorkloads, ScoreFile } from '../../constructs/orchestration/workloads/types';
import { Environment, placementOf } from '../../environments/types';
import { renderWorkloads } from '../../constructs/orchestration/workloads/render';
import { workloadPlatformOf } from '../workloads';
import { databasePropsOf, kitOf } from '../clouds';
import { enabledAddons } from '../platform/catalog';
import { TEAM_DEFAULTS, Team, TeamConfig, runsDatabaseApi, teamLabel, validateTeamConfig } from './config';
import { TeamCloudResources, teamCloudOf } from './clouds';
import { InfraRemoteState } from './remote-state';

/** The name of a team's stack in an environment: `team-<team>-<env>`. */
export const teamStackName = (team: string, environment: string): string => `team-${team}-${environment}`;

/** Where a team stack keeps its state in the environment's state bucket or container: `idpkit/teams/<team>/<env>/terraform.tfstate`. */
export const teamStateKey = (team: string, environment: string): string => `idpkit/teams/${team}/${environment}/terraform.tfstate`;

/** Label of a team namespace naming its owner (a label value made of `owner`). */
export const OWNER_LABEL = 'idpkit.dev/owner';

/** The Secret a team database's connection details land in, in the team's namespace (what Crossplane's Compositions write). */
export const teamDatabaseSecretName = (database: string): string => `${database}-postgresql`;

/**
 * Renders Score files into the team's namespace: the Score engine's `renderWorkloads` with the
 * environment's platform bound, e.g.
 * `(files, options) => renderWorkloads(files, { ...workloadPlatformOf(env), cloudResources: true }, options)`.
 */
export type WorkloadRenderer = (files: readonly ScoreFile[], options: RenderOptions) => RenderedWorkloads;

/** The Score engine in the environment, with the team stack creating the cloud resources workloads ask for. */
export function defaultWorkloadRenderer(env: Environment): WorkloadRenderer {
  const platform = { ...workloadPlatformOf(env), cloudResources: true };
  return (files, options) => renderWorkloads(files, platform, options);
}

/** Props of {@link TeamStack}. */
export interface TeamStackProps {
  /** The team config (validated here with {@link validateTeamConfig}). */
  readonly config: TeamConfig;
  /** Where the config came from (a file), named in messages. @default - none */
  readonly source?: string;
  /** Renders `config.workloads`. @default - the Score engine with the environment's platform ({@link defaultWorkloadRenderer}) */
  readonly renderWorkloads?: WorkloadRenderer;
  /** Directory Score file paths in `config.workloads` are relative to. @default - the process's working directory */
  readonly baseDirectory?: string;
  /** Images for Score containers whose `image` is ".", by container name or "*". @default {} */
  readonly images?: Readonly<Record<string, string>>;
  /**
   * Cloud resources to create besides the config's (what a Score engine asks for, e.g. from
   * workloads rendered elsewhere): buckets with a read/write grant to their service account, and
   * managed databases. @default []
   */
  readonly cloudResources?: readonly CloudResourceRequest[];
}

/** A bucket to create, and the service accounts that read and write it. */
interface BucketPlan {
  readonly bucketName: string;
  /** The names it was asked for by: the config's short names, requests' names. */
  readonly askedAs: Set<string>;
  readonly serviceAccounts: Set<string>;
  readonly versioning: boolean;
  readonly expiryDays?: number;
}

/** A database to create: a PostgreSQLInstance in the namespace, or a managed server of the team stack. */
interface DatabasePlan {
  readonly name: string;
  readonly size: DatabaseSize;
  readonly storageGiB: number;
  readonly secretName: string;
  readonly how: 'claim' | 'managed';
  /**
   * For a workload's request: the cloud secret its connection details go to (the request's
   * `connectionSecretName`). @default - `<env>-team-<team>-db-<name>`
   */
  readonly connectionSecretName?: string;
  /** Where it was asked for, for messages. */
  readonly at: string;
}

/** What the team's cloud resources are, from its config and the requests: buckets by cloud name, databases. */
export interface CloudResourcePlan {
  readonly buckets: ReadonlyMap<string, BucketPlan>;
  readonly databases: readonly DatabasePlan[];
}

/** Add-ons whose namespaces reach into team namespaces (ingress gateways, metrics scrapers), with the namespace each installs in. */
const PLATFORM_PEERS = {
  ingress: { istio: ISTIO_INGRESS_NAMESPACE },
  monitoring: { kubePrometheusStack: KUBE_PROMETHEUS_STACK_NAMESPACE, alloy: ALLOY_NAMESPACE },
} as const;

/** The namespaces of the environment's enabled add-ons among `peers`, sorted. */
function peerNamespaces(env: Environment, peers: Readonly<Record<string, string>>): string[] {
  const enabled = new Set(enabledAddons(env).map(({ addon }) => addon.key));
  return Object.entries(peers)
    .filter(([key]) => enabled.has(key))
    .map(([, namespace]) => namespace)
    .sort();
}

/**
 * What the team's config and the cloud resource requests ask for, merged and checked: requests
 * must be for the team's namespace, buckets of one name are one bucket (their service accounts
 * all get the grant), database names are unique, and managed databases exist only where the
 * team stack can make them. Throws one IdpkitError (IDPKIT_INVALID_TEAM) listing every problem.
 */
export function planCloudResources(team: Team, cloud: Pick<TeamCloudResources, 'bucketName' | 'managedDatabase'>, requests: readonly CloudResourceRequest[]): CloudResourcePlan {
  const label = teamLabel(team, team.source);
  const env = team.environment;
  const problems: string[] = [];
  const buckets = new Map<string, BucketPlan>();
  const addBucket = (askedAs: string, bucketName: string, serviceAccounts: readonly string[], versioning = false, expiryDays?: number) => {
    const plan = buckets.get(bucketName) ?? { bucketName, askedAs: new Set<string>(), serviceAccounts: new Set<string>(), versioning, expiryDays };
    plan.askedAs.add(askedAs);
    serviceAccounts.forEach((account) => plan.serviceAccounts.add(account));
    buckets.set(bucketName, plan);
  };
  team.buckets.forEach((bucket) => addBucket(bucket.name, cloud.bucketName(bucket.name), bucket.serviceAccounts, bucket.versioning, bucket.expiryDays));
  const databaseApi = runsDatabaseApi(env);
  const databases: DatabasePlan[] = team.databases.map((database, i) => ({
    ...database,
    secretName: teamDatabaseSecretName(database.name),
    how: databaseApi ? 'claim' : 'managed',
    at: `databases[${i}]`,
  }));
  requests.forEach((request) => {
    const at = `${label}: cloud resource request ${request.kind} ${describeValue(request.name)}`;
    if (request.namespace !== team.team) {
      problems.push(`${at}: namespace ${describeValue(request.namespace)} is not the team's namespace "${team.team}" (a team stack creates resources for its own namespace only)`);
      return;
    }
    if (request.kind === 'bucket') {
      addBucket(request.name, request.name, [request.serviceAccount]);
      return;
    }
    const size = request.size ?? 'small';
    if (!(DATABASE_SIZES as readonly string[]).includes(size)) {
      problems.push(`${at}: size ${describeValue(size)} is not a database size (allowed: ${DATABASE_SIZES.join(', ')})`);
      return;
    }
    databases.push({ name: request.name, size: size as DatabaseSize, storageGiB: TEAM_DEFAULTS.databaseStorageGiB, secretName: request.secretName, connectionSecretName: request.connectionSecretName, how: 'managed', at: `cloud resource request database ${describeValue(request.name)}` });
  });
  const seen = new Map<string, string>();
  for (const database of databases) {
    const earlier = seen.get(database.name);
    if (earlier) problems.push(`${label}: ${database.at} names database "${database.name}", as ${earlier} does (make database names unique)`);
    seen.set(database.name, database.at);
    if (database.how === 'managed' && !cloud.managedDatabase) {
      problems.push(
        `${label}: ${database.at} asks for a managed database, which team stacks create on AWS only (environment "${env.name}" runs on ${env.cloud}${databaseApi ? '' : ' without the PostgreSQLInstance API'}): use the PostgreSQLInstance API (platform.addons.crossplane.databases) instead`,
      );
    }
  }
  if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_TEAM', problems);
  return { buckets, databases };
}

/** A PostgreSQLInstance of the platform's database API in the team's namespace, sized by the tier's rules. */
export function postgresqlInstanceOf(team: Team, database: Pick<DatabasePlan, 'name' | 'size' | 'storageGiB'>): KubernetesObject {
  const rules = TIER_RULES[team.environment.tier];
  return {
    apiVersion: `${DATABASE_API_GROUP}/v1alpha1`,
    kind: POSTGRESQL_INSTANCE_KIND,
    metadata: { name: database.name, namespace: team.team, labels: { 'app.kubernetes.io/managed-by': 'idpkit', [TEAM_LABEL]: team.team } },
    spec: {
      size: database.size,
      storageGiB: database.storageGiB,
      highAvailability: rules.databaseHighAvailability,
      // The API keeps backups 7 to 35 days.
      backupRetentionDays: Math.max(rules.databaseBackupRetentionDays, 7),
    },
  };
}

/**
 * A product team's stack in an environment the platform team's stacks created, `team-<team>-<env>`,
 * from a typed {@link TeamConfig}. It reads the environment's infra stack through remote state
 * ({@link InfraRemoteState}: cluster, network, registry and cloud outputs, never copied ids),
 * keeps its own state at `idpkit/teams/<team>/<env>/terraform.tfstate` in the environment's state
 * bucket or container (encrypted and locked as the platform stacks are), and creates:
 *
 * - the team's namespace (`kubernetes_namespace_v1`: Pod Security `restricted`, labels for team,
 *   tenant, cost center and owner), and in it, as one release of idpkit's manifests chart
 *   (`team-<team>`): ResourceQuota `compute` and LimitRange `container-defaults`, RoleBindings
 *   `team-admin`/`team-edit`/`team-view` of the member groups, the tenancy default-deny
 *   NetworkPolicies, PostgreSQLInstances and ExternalSecrets of its databases;
 * - image repositories (ECR `<env>/<team>/<repo>`; a repository-scoped ACR token; an Artifact
 *   Registry repository `<env>-<team>`), buckets, and a cloud identity per service account that
 *   uses a bucket, bound to `system:serviceaccount:<team>:<sa>` with read/write on its buckets
 *   (on Azure and GCP the ServiceAccount itself, whose annotations Terraform learns at apply);
 * - databases: PostgreSQLInstances where the environment runs the API, else (AWS) RDS servers in
 *   the environment's VPC;
 * - its Score workloads, rendered by `renderWorkloads`, with the cloud resources they ask for.
 *
 * The cloud provider carries the environment's tags with the team's owner, cost center and `team`.
 *
 * @see docs/team-stacks.md
 * @example
 * const app = new App();
 * new TeamStack(app, {
 *   config: {
 *     team: 'payments', owner: 'payments-team', environment: loadEnvironmentFile('dev.json'),
 *     members: { admin: 'payments-admins' }, repositories: ['api'],
 *     buckets: [{ name: 'receipts', serviceAccounts: ['api'] }],
 *   },
 * });
 */
export class TeamStack extends TerraformStack {
  /** The validated team config. */
  readonly team: Team;
  /** The environment's infra stack outputs. */
  readonly infra: InfraRemoteState;
  /** The team's namespace. */
  readonly namespace: string;
  /** The objects of the `team-<team>` release, in order. */
  readonly objects: readonly KubernetesObject[];
  /** Image repository URLs by repository name as given. */
  readonly registryUrls: Readonly<Record<string, string>>;
  /** Buckets by cloud name. */
  readonly buckets: Readonly<Record<string, ObjectBucket>>;
  /** Cloud identities by service account of the namespace. */
  readonly identities: Readonly<Record<string, WorkloadIdentity>>;
  /** The rendered workloads, when the config has some. */
  readonly workloads?: RenderedWorkloads;

  constructor(scope: Construct, props: TeamStackProps) {
    const team = validateTeamConfig(props.config, props.source);
    const env = team.environment;
    super(scope, teamStackName(team.team, env.name));
    // Constructs a team adds to its stack take its environment's tier, as the stack's own do.
    setTier(this, env.tier);
    this.team = team;
    this.namespace = team.team;
    kitOf(env).configureRemoteState(this, env as never, teamStateKey(team.team, env.name));
    this.infra = new InfraRemoteState(this, 'platform-infra', env);
    const cloud = teamCloudOf(this, team, this.infra);
    configureKubernetesProviders(this, {
      cloud: env.cloud,
      clusterName: this.infra.clusterName,
      region: placementOf(env).region,
      endpoint: this.infra.clusterEndpoint,
      certificateAuthorityData: this.infra.clusterCertificateAuthorityData,
    });

    const namespace = this.createNamespace();
    this.registryUrls = cloud.repositories(team.repositories);
    this.workloads = this.renderWorkloads(props);
    const plan = planCloudResources(team, cloud, [...(props.cloudResources ?? []), ...(this.workloads?.cloud ?? [])]);

    const buckets: Record<string, ObjectBucket> = {};
    const bucketNames: Record<string, string> = {};
    const grants = new Map<string, IdentityGrant[]>();
    for (const bucket of plan.buckets.values()) {
      const made = cloud.bucket(`bucket-${bucket.bucketName}`, { bucketName: bucket.bucketName, versioning: bucket.versioning, expiryDays: bucket.expiryDays });
      buckets[bucket.bucketName] = made;
      for (const name of bucket.askedAs) bucketNames[name] = made.bucketName;
      for (const account of [...bucket.serviceAccounts].sort()) grants.set(account, [...(grants.get(account) ?? []), { kind: 'bucket-read-write', bucket: made }]);
    }
    this.buckets = buckets;
    const identities: Record<string, WorkloadIdentity> = {};
    const terraformServiceAccounts = new Set<string>();
    for (const [serviceAccount, accountGrants] of [...grants].sort(([a], [b]) => a.localeCompare(b))) {
      const identity = cloud.identity({ name: serviceAccount, namespace: this.namespace, serviceAccount, grants: accountGrants });
      identities[serviceAccount] = identity;
      if (Object.keys(identity.serviceAccountAnnotations).length > 0) {
        this.createServiceAccount(namespace, serviceAccount, identity);
        terraformServiceAccounts.add(serviceAccount);
      }
    }
    this.identities = identities;

    const databaseObjects = plan.databases.flatMap((database) => {
      if (database.how === 'claim') return [postgresqlInstanceOf(team, database)];
      const name = fitName(`${env.name}-${team.team}`, 40, `-${database.name}`);
      const props = {
        ...databasePropsOf(env, { name: database.name, size: database.size, storageGiB: database.storageGiB }),
        name,
        connectionSecretName: database.connectionSecretName ?? `${env.name}-team-${team.team}-db-${database.name}`,
      };
      return [...cloud.managedDatabase!(`database-${database.name}`, props, { namespace: this.namespace, secretName: database.secretName }).objects];
    });

    this.objects = [
      ...tenantQuotaObjects(this.namespace, team.quota),
      tenantRoleBinding(this.namespace, 'admin', [team.members.admin]),
      ...(team.members.edit.length > 0 ? [tenantRoleBinding(this.namespace, 'edit', team.members.edit)] : []),
      ...(team.members.view.length > 0 ? [tenantRoleBinding(this.namespace, 'view', team.members.view)] : []),
      ...tenantNetworkPolicies(this.namespace, {
        cloud: env.cloud,
        ingressNamespaces: peerNamespaces(env, PLATFORM_PEERS.ingress),
        monitoringNamespaces: peerNamespaces(env, PLATFORM_PEERS.monitoring),
      }),
      ...databaseObjects,
    ];
    const release = new ManifestsRelease(this, 'team', { releaseName: `team-${team.team}`, namespace: this.namespace, manifests: this.objects, dependsOn: [] });
    if (this.workloads) {
      // On clouds whose identity annotations are known only at apply, Terraform made the service accounts above.
      const objects = [...this.workloads.workloads.flatMap((workload) => workload.objects), ...this.workloads.shared].filter(
        (object) => !(object.kind === 'ServiceAccount' && terraformServiceAccounts.has(object.metadata.name)),
      );
      new ManifestsRelease(this, 'workloads', { releaseName: `workloads-${team.team}`, namespace: this.namespace, manifests: objects, dependsOn: [release] });
    }

    new TerraformOutput(this, 'namespace', { value: this.namespace, description: "The team's namespace" });
    new TerraformOutput(this, 'registry_urls', { value: this.registryUrls, description: 'Image repository URLs by repository name' });
    new TerraformOutput(this, 'bucket_names', {
      value: bucketNames,
      description: 'Bucket (Azure: container) names, by the name the config or request gave',
    });
  }

  /** The namespace: Pod Security restricted, labelled with team, tenant, cost center and owner. */
  private createNamespace(): NamespaceV1 {
    const team = this.team;
    const costCenter = costCenterLabelValue(team.costCenter);
    const owner = costCenterLabelValue(team.owner);
    const object = tenantNamespace(this.namespace, {
      [TEAM_LABEL]: team.team,
      [TENANT_LABEL]: team.team,
      ...(costCenter ? { [COST_CENTER_LABEL]: costCenter } : {}),
      ...(owner ? { [OWNER_LABEL]: owner } : {}),
    });
    const labels = object.metadata.labels as Record<string, string>;
    // The id the stack's releases look namespaces up by, so they wait for it.
    return new NamespaceV1(this, namespaceId(this.namespace), {
      metadata: { name: this.namespace, labels },
      lifecycle: TIER_RULES[team.environment.tier].deletionProtection ? { preventDestroy: true } : undefined,
    });
  }

  /**
   * A ServiceAccount carrying its identity's annotations (Azure's client id, GCP's service
   * account), made by Terraform. Pods using it carry the identity's `podLabels` (Azure:
   * `azure.workload.identity/use`), which the Score engine adds to workloads it renders.
   */
  private createServiceAccount(namespace: NamespaceV1, name: string, identity: WorkloadIdentity): ServiceAccountV1 {
    return new ServiceAccountV1(this, `service-account-${name}`, {
      metadata: {
        name,
        namespace: namespace.metadata.name,
        labels: { 'app.kubernetes.io/managed-by': 'idpkit', [TEAM_LABEL]: this.team.team },
        annotations: { ...identity.serviceAccountAnnotations },
      },
      automountServiceAccountToken: true,
    });
  }

  /** The config's workloads, rendered into the team's namespace; undefined without workloads. */
  private renderWorkloads(props: TeamStackProps): RenderedWorkloads | undefined {
    const workloads = this.team.workloads;
    if (workloads.length === 0) return undefined;
    const label = teamLabel(this.team, this.team.source);
    const render = props.renderWorkloads ?? defaultWorkloadRenderer(this.team.environment);
    const base = props.baseDirectory ?? process.cwd();
    const problems: string[] = [];
    const files: ScoreFile[] = workloads.flatMap((workload, i) => {
      if (typeof workload !== 'string') return [{ path: `workloads[${i}] (${workload.metadata.name})`, text: toYaml(workload) }];
      const path = resolve(base, workload);
      try {
        return [{ path, text: readFileSync(path, 'utf8') }];
      } catch (error) {
        problems.push(`${label}: workloads[${i}] ${describeValue(workload)} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): give the path of a Score file, relative to ${base}`);
        return [];
      }
    });
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_TEAM', problems);
    return render(files, {
      namespace: this.namespace,
      images: props.images,
      readFile: (path) => readFileSync(path),
    });
  }
}
