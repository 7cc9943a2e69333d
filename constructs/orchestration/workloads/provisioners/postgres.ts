import {
  DATABASE_BACKUP_RETENTION_DAYS,
  DATABASE_NAME,
  DATABASE_SIZES,
  DATABASE_SIZE_VCPUS,
  DATABASE_STORAGE_GIB,
  DatabaseSize,
  POSTGRES_PORT,
  POSTGRES_VERSIONS,
} from '../../../capabilities/database';
import { CLOUDNATIVE_PG_NAMESPACE, CNPG_CLUSTER_DEFAULTS, CNPG_POSTGRES_VERSIONS, CnpgPostgresVersion, cnpgCluster } from '../../../capabilities/database/cloudnative-pg';
import type { Cloud } from '../../../core/clouds';
import { IdpkitError } from '../../../core/errors';
import type { KubernetesObject } from '../../../core/manifests';
import { fitName } from '../../../core/names';
import { TIER_RULES, Tier } from '../../../core/tiers';
import { DATABASE_API_GROUP, DATABASE_CLAIM_DEFAULTS, DATABASE_CLAIM_SIZES, DATABASE_PROVIDER_LABEL, POSTGRESQL_INSTANCE_KIND, compositionName, postgresqlInstanceDefinition } from '../../crossplane/databases';
import { PLATFORM_MONITORING_LABEL } from '../../tenancy/tenancy';
import type { NetworkFlow, ProvisionRequest, Provisioned, ResourceOutput, ResourceProvisioner, WorkloadPlatform } from '../types';
import { ParamRule, availableClasses, dnsFlow, objectMeta, paramError, readParams, refuseUnavailable, serviceHost, workloadPeer } from './objects';

/** Classes of `postgres`: the Crossplane PostgreSQLInstance API, a CloudNativePG cluster of the workload's own, a managed cloud database. */
export const POSTGRES_CLASSES = ['crossplane', 'cloudnative-pg', 'managed'] as const;

/** A class of `postgres`. */
export type PostgresClass = (typeof POSTGRES_CLASSES)[number];

/** What a PostgreSQL resource asks for once its params are read. */
export interface PostgresSettings {
  readonly size: DatabaseSize;
  readonly storageGiB: number;
  readonly version: string;
  readonly highAvailability: boolean;
  readonly backupRetentionDays: number;
}

/**
 * Params a `postgres` resource gets when it sets none, per tier (previews are dev): the smallest
 * size in dev, else the PostgreSQLInstance API's default; the API's storage and version; a standby
 * and the backup days of the tier rules (what managed databases get).
 */
export const POSTGRES_TIER_DEFAULTS: Readonly<Record<Tier, PostgresSettings>> = Object.fromEntries(
  (Object.keys(TIER_RULES) as Tier[]).map((tier) => [
    tier,
    {
      size: tier === 'dev' ? DATABASE_SIZES[0] : DATABASE_CLAIM_DEFAULTS.size,
      storageGiB: DATABASE_CLAIM_DEFAULTS.storageGiB,
      version: DATABASE_CLAIM_DEFAULTS.version,
      highAvailability: TIER_RULES[tier].databaseHighAvailability,
      backupRetentionDays: TIER_RULES[tier].databaseBackupRetentionDays,
    },
  ]),
) as Record<Tier, PostgresSettings>;

/** CloudNativePG names its Services and Secrets after the cluster (`<name>-rw`, `<name>-app`): at most 50 characters. */
const CNPG_MAX_NAME = 50;
/** The CloudNativePG instance manager's port (status, used by the operator and the other instances). */
const CNPG_STATUS_PORT = 8000;
/** The CloudNativePG instances' metrics port. */
const CNPG_METRICS_PORT = 9187;
/** The database every cloud server has: the cloud Compositions create none of their own. */
const CLOUD_DEFAULT_DATABASE = 'postgres';

/** The PostgreSQLInstance fields as the XRD the platform installs declares them: the claim's params follow them. */
const XRD_FIELDS = (() => {
  type Field = { readonly enum?: readonly string[]; readonly minimum?: number; readonly maximum?: number };
  const xrd = postgresqlInstanceDefinition(compositionName('cloudnative-pg')) as unknown as {
    spec: { versions: { schema: { openAPIV3Schema: { properties: { spec: { properties: Record<keyof PostgresSettings, Field> } } } } }[] };
  };
  return xrd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties;
})();

/** An integer rule from the XRD's bounds. */
const xrdInteger = (field: 'storageGiB' | 'backupRetentionDays'): ParamRule => ({ kind: 'integer', min: XRD_FIELDS[field].minimum!, max: XRD_FIELDS[field].maximum! });

/** The params each class takes, within what its target accepts. */
const PARAM_RULES: Readonly<Record<PostgresClass, Readonly<Record<string, ParamRule>>>> = {
  crossplane: {
    size: { kind: 'choice', values: XRD_FIELDS.size.enum! },
    storageGiB: xrdInteger('storageGiB'),
    version: { kind: 'choice', values: XRD_FIELDS.version.enum! },
    highAvailability: { kind: 'boolean' },
    backupRetentionDays: xrdInteger('backupRetentionDays'),
    composition: { kind: 'choice', values: ['cloud', 'cloudnative-pg'] },
  },
  'cloudnative-pg': {
    size: { kind: 'choice', values: DATABASE_SIZES },
    storageGiB: { kind: 'integer', min: 1, max: DATABASE_STORAGE_GIB.max },
    version: { kind: 'choice', values: CNPG_POSTGRES_VERSIONS },
    highAvailability: { kind: 'boolean' },
  },
  managed: {
    size: { kind: 'choice', values: DATABASE_SIZES },
    storageGiB: { kind: 'integer', min: DATABASE_STORAGE_GIB.min, max: DATABASE_STORAGE_GIB.max },
    version: { kind: 'choice', values: POSTGRES_VERSIONS },
    highAvailability: { kind: 'boolean' },
    backupRetentionDays: { kind: 'integer', min: DATABASE_BACKUP_RETENTION_DAYS.min, max: DATABASE_BACKUP_RETENTION_DAYS.max },
  },
};

/**
 * Keys of the connection Secret `<instance>-postgresql` the cloud Compositions' managed resources
 * write (upjet's connection details): RDS `Instance` writes host, port, username and password;
 * Azure's `FlexibleServer` endpoint, port, username and password; Cloud SQL's `DatabaseInstance`
 * only its addresses and certificate (the Composition sets no root password, so no login).
 */
const CLOUD_COMPOSITION_KEYS: Readonly<Record<Cloud, { readonly host: string; readonly port?: string; readonly username?: string; readonly password?: string }>> = {
  aws: { host: 'host', port: 'port', username: 'username', password: 'password' },
  azure: { host: 'endpoint', port: 'port', username: 'username', password: 'password' },
  gcp: { host: 'privateIP' },
};

/**
 * Where a cloud database's private address is, for the workload's egress: the environment's
 * network on AWS and Azure; on GCP a private services access range Google allocates outside the
 * VPC's own ranges (RFC 1918 space, not known when rendering).
 */
const CLOUD_DATABASE_CIDRS: Readonly<Record<Cloud, (platform: WorkloadPlatform) => readonly string[]>> = {
  aws: (platform) => [platform.networkCidr],
  azure: (platform) => [platform.networkCidr],
  gcp: () => ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'],
};

/** Why a class cannot be provisioned here, naming what to enable; undefined when it can. */
function classProblem(platform: WorkloadPlatform, resourceClass: PostgresClass, preview: boolean): string | undefined {
  switch (resourceClass) {
    case 'crossplane':
      if (!platform.databaseApi) return 'class "crossplane" needs the Crossplane PostgreSQLInstance API: enable platform.addons.crossplane.databases.enabled (with platform.addons.crossplane.enabled)';
      if (preview && !platform.databaseApi.compositions.includes('cloudnative-pg')) {
        return 'class "crossplane" in a preview needs the API\'s CloudNativePG Composition (previews create no cloud database): enable platform.addons.cloudnativePg.enabled';
      }
      return undefined;
    case 'cloudnative-pg':
      return platform.addons.includes('cloudnativePg') ? undefined : 'class "cloudnative-pg" needs the CloudNativePG operator: enable platform.addons.cloudnativePg.enabled';
    case 'managed':
      if (preview) return 'class "managed" creates a cloud database, which previews never do';
      return platform.cloudResources
        ? undefined
        : 'class "managed" creates a cloud database with Terraform, which only a team stack\'s ScoreWorkload does (`idpkit workload render` writes Kubernetes objects only)';
  }
}

/** The classes available in the environment. */
function classesHere(platform: WorkloadPlatform, preview: boolean): PostgresClass[] {
  return POSTGRES_CLASSES.filter((resourceClass) => classProblem(platform, resourceClass, preview) === undefined);
}

/** The class a resource without `class` gets: crossplane where available, else managed, else cloudnative-pg. */
export function defaultPostgresClass(platform: WorkloadPlatform, preview: boolean): PostgresClass | undefined {
  const available = classesHere(platform, preview);
  return (['crossplane', 'managed', 'cloudnative-pg'] as const).find((resourceClass) => available.includes(resourceClass));
}

/** The params with the tier's defaults, checked against the tier's largest database. */
function settingsOf(request: ProvisionRequest, resourceClass: PostgresClass): PostgresSettings & { readonly composition?: string } {
  const params = readParams(request, PARAM_RULES[resourceClass]);
  const tier: Tier = request.preview ? 'dev' : request.platform.tier;
  const defaults = POSTGRES_TIER_DEFAULTS[tier];
  const size = (params.size as DatabaseSize | undefined) ?? defaults.size;
  const maxVcpus = TIER_RULES[tier].maxDatabaseVcpus;
  if (DATABASE_SIZE_VCPUS[size] > maxVcpus) {
    const allowed = DATABASE_SIZES.filter((candidate) => DATABASE_SIZE_VCPUS[candidate] <= maxVcpus);
    paramError(request, 'size', size, `is larger than a ${tier} database may be (${DATABASE_SIZE_VCPUS[size]} vCPUs, at most ${maxVcpus}: ${allowed.join(', ')})`);
  }
  return {
    size,
    storageGiB: (params.storageGiB as number | undefined) ?? defaults.storageGiB,
    version: (params.version as string | undefined) ?? defaults.version,
    highAvailability: (params.highAvailability as boolean | undefined) ?? defaults.highAvailability,
    backupRetentionDays: (params.backupRetentionDays as number | undefined) ?? defaults.backupRetentionDays,
    ...(params.composition !== undefined ? { composition: params.composition as string } : {}),
  };
}

/** Outputs of a CloudNativePG cluster: its read-write Service and the `<cluster>-app` Secret the operator writes. */
function cnpgOutputs(request: ProvisionRequest, cluster: string, database: string): Record<string, ResourceOutput> {
  const secret = (key: string): ResourceOutput => ({ secret: { name: `${cluster}-app`, key } });
  return {
    host: { value: serviceHost(request, `${cluster}-rw`) },
    port: { value: String(POSTGRES_PORT) },
    name: { value: database },
    database: { value: database },
    username: secret('username'),
    password: secret('password'),
    uri: secret('uri'),
  };
}

/** Egress from the workload to a CloudNativePG cluster's instances. */
const cnpgEgress = (cluster: string): NetworkFlow => ({ peers: [{ podSelector: { matchLabels: { 'cnpg.io/cluster': cluster } } }], ports: [{ protocol: 'TCP', port: POSTGRES_PORT }] });

/**
 * The NetworkPolicy of a CloudNativePG cluster's pods in the workload's namespace, complete on its
 * own (tenant namespaces deny everything else): PostgreSQL from the workload; replication and the
 * instance manager between the instances and from the operator; metrics from monitoring; egress
 * to DNS, the other instances and the Kubernetes API (the instance manager watches its Cluster;
 * the API server's address is the cluster's own, so any address on 443).
 */
function cnpgNetworkPolicy(request: ProvisionRequest, cluster: string): KubernetesObject {
  const instances = { podSelector: { matchLabels: { 'cnpg.io/cluster': cluster } } };
  const tcp = (...ports: number[]) => ports.map((port) => ({ protocol: 'TCP', port }));
  const dns = dnsFlow(request.platform.cloud);
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: objectMeta(request, cluster),
    spec: {
      podSelector: instances.podSelector,
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        { from: [workloadPeer(request)], ports: tcp(POSTGRES_PORT) },
        { from: [instances, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': CLOUDNATIVE_PG_NAMESPACE } } }], ports: tcp(POSTGRES_PORT, CNPG_STATUS_PORT) },
        { from: [{ namespaceSelector: { matchLabels: { [PLATFORM_MONITORING_LABEL]: 'true' } } }], ports: tcp(CNPG_METRICS_PORT) },
      ],
      egress: [
        { to: dns.peers, ports: dns.ports },
        { to: [instances], ports: tcp(POSTGRES_PORT, CNPG_STATUS_PORT) },
        { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: tcp(443) },
      ],
    },
  };
}

/** The name of the objects: the instance name, cut to CloudNativePG's limit (the CloudNativePG Composition names its Cluster after the instance). */
const clusterNameOf = (request: ProvisionRequest): string => fitName(request.instanceName, CNPG_MAX_NAME);

/** Class `crossplane`: a PostgreSQLInstance of the platform's API, pinned to one Composition so its Secret is known. */
function provisionCrossplane(request: ProvisionRequest): Provisioned {
  const api = request.platform.databaseApi!;
  const settings = settingsOf(request, 'crossplane');
  const composition = settings.composition ?? (request.preview ? 'cloudnative-pg' : api.defaultComposition);
  if (!api.compositions.includes(composition as 'cloud' | 'cloudnative-pg') || (request.preview && composition === 'cloud')) {
    const offered = request.preview ? api.compositions.filter((name) => name !== 'cloud') : api.compositions;
    paramError(request, 'composition', composition, `is not a Composition this environment offers${request.preview ? ' to previews' : ''} (allowed: ${offered.join(', ')})`);
  }
  const name = clusterNameOf(request);
  const provider = composition === 'cloud' ? request.platform.cloud : 'cloudnative-pg';
  const claim: KubernetesObject = {
    apiVersion: `${DATABASE_API_GROUP}/v1alpha1`,
    kind: POSTGRESQL_INSTANCE_KIND,
    metadata: objectMeta(request, name),
    spec: {
      size: settings.size,
      storageGiB: settings.storageGiB,
      version: settings.version,
      backupRetentionDays: settings.backupRetentionDays,
      highAvailability: settings.highAvailability,
      crossplane: { compositionSelector: { matchLabels: { [DATABASE_PROVIDER_LABEL]: provider } } },
    },
  };
  if (composition === 'cloudnative-pg') {
    return { objects: [claim, cnpgNetworkPolicy(request, name)], outputs: cnpgOutputs(request, name, CNPG_CLUSTER_DEFAULTS.database), egress: [cnpgEgress(name)] };
  }
  const keys = CLOUD_COMPOSITION_KEYS[request.platform.cloud];
  const secret = (key: string | undefined): ResourceOutput | undefined => (key === undefined ? undefined : { secret: { name: `${name}-postgresql`, key } });
  const outputs = {
    host: secret(keys.host),
    port: secret(keys.port) ?? { value: String(POSTGRES_PORT) },
    name: { value: CLOUD_DEFAULT_DATABASE },
    database: { value: CLOUD_DEFAULT_DATABASE },
    username: secret(keys.username),
    password: secret(keys.password),
  };
  return {
    objects: [claim],
    outputs: Object.fromEntries(Object.entries(outputs).filter((entry): entry is [string, ResourceOutput] => entry[1] !== undefined)),
    egress: [cloudDatabaseEgress(request.platform)],
  };
}

/** Egress from the workload to a cloud database's private address. */
function cloudDatabaseEgress(platform: WorkloadPlatform): NetworkFlow {
  return { peers: CLOUD_DATABASE_CIDRS[platform.cloud](platform).map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: 'TCP', port: POSTGRES_PORT }] };
}

/** Class `cloudnative-pg`: a CloudNativePG Cluster in the workload's namespace, the platform's cluster definition sized by `size`. */
function provisionCloudNativePg(request: ProvisionRequest): Provisioned {
  const settings = settingsOf(request, 'cloudnative-pg');
  const name = clusterNameOf(request);
  const base = cnpgCluster({ name, storageGiB: settings.storageGiB, postgresVersion: settings.version as CnpgPostgresVersion }, settings.highAvailability);
  const { cnpg } = DATABASE_CLAIM_SIZES[settings.size];
  const cluster: KubernetesObject = {
    ...base,
    metadata: objectMeta(request, name),
    spec: { ...(base.spec as Record<string, unknown>), resources: { requests: { ...cnpg }, limits: { memory: cnpg.memory } } },
  };
  return { objects: [cluster, cnpgNetworkPolicy(request, name)], outputs: cnpgOutputs(request, name, CNPG_CLUSTER_DEFAULTS.database), egress: [cnpgEgress(name)] };
}

/**
 * Class `managed`: a managed database the team stack creates (a CloudResourceRequest), named
 * `<secretsPrefix><namespace>-<instance>` (the managed databases' naming rule: 3-40 characters),
 * whose connection details the team stack writes to `<database>-postgres-connection` in the cloud
 * secret manager and syncs, with the password, into `<instance>-postgresql` (its ExternalSecret is
 * the team stack's: the password's secret is known only at apply).
 */
function provisionManaged(request: ProvisionRequest): Provisioned {
  const settings = settingsOf(request, 'managed');
  const { platform } = request;
  const databaseName = fitName(`${platform.secretsPrefix}${request.namespace}-${request.instanceName}`.toLowerCase().replace(/-+/g, '-'), 40);
  if (!DATABASE_NAME.test(databaseName)) {
    throw new IdpkitError('IDPKIT_INVALID_INPUT', [
      `${request.at}: the managed database's name "${databaseName}" (from platform.secretsPrefix "${platform.secretsPrefix}", namespace and resource) is not a database name (lowercase letters, digits and single hyphens, starting with a letter)`,
    ]);
  }
  const secretName = `${request.instanceName}-postgresql`;
  const connectionSecretName = `${databaseName}-postgres-connection`;
  const secret = (key: string): ResourceOutput => ({ secret: { name: secretName, key } });
  return {
    objects: [],
    // The password comes from the database's own rotating secret (RDS's master user secret), which the
    // team stack's ExternalSecret reads beside the connection details; no uri, as the password rotates.
    outputs: { host: secret('host'), port: secret('port'), name: secret('dbname'), database: secret('dbname'), username: secret('username'), password: secret('password') },
    egress: [cloudDatabaseEgress(platform)],
    cloud: [
      {
        kind: 'database',
        name: databaseName,
        namespace: request.namespace,
        size: settings.size,
        storageGiB: settings.storageGiB,
        version: settings.version,
        highAvailability: settings.highAvailability,
        backupRetentionDays: settings.backupRetentionDays,
        secretName,
        connectionSecretName,
      },
    ],
  };
}

/**
 * `postgres`: a PostgreSQL database, by what the environment runs. Class `crossplane` (the
 * platform's PostgreSQLInstance API, on its cloud or CloudNativePG Composition), `cloudnative-pg`
 * (a CloudNativePG cluster of the workload's own) or `managed` (a cloud database the team stack
 * creates). Without `class`: crossplane where the API is installed, else managed in a team stack,
 * else cloudnative-pg.
 */
export const postgresProvisioner: ResourceProvisioner = {
  type: 'postgres',
  description: 'PostgreSQL: a PostgreSQLInstance of the Crossplane database API, a CloudNativePG cluster, or a managed cloud database',
  classes: POSTGRES_CLASSES,
  outputs: { host: 'value', port: 'value', name: 'value', database: 'value', username: 'secret', password: 'secret', uri: 'secret' },
  unavailable(platform, resourceClass, preview) {
    const available = classesHere(platform, preview);
    if (resourceClass === undefined) {
      return available.length > 0
        ? undefined
        : 'no PostgreSQL can be provisioned here: enable platform.addons.crossplane.databases.enabled or platform.addons.cloudnativePg.enabled (class "managed" needs a team stack\'s ScoreWorkload)';
    }
    if (!(POSTGRES_CLASSES as readonly string[]).includes(resourceClass)) return `class "${resourceClass}" is not a class of postgres (classes: ${POSTGRES_CLASSES.join(', ')}; ${availableClasses(available)})`;
    const problem = classProblem(platform, resourceClass as PostgresClass, preview);
    return problem && `${problem} (${availableClasses(available)})`;
  },
  provision(request) {
    const resourceClass = (request.resource.class as PostgresClass | undefined) ?? defaultPostgresClass(request.platform, request.preview);
    refuseUnavailable(postgresProvisioner, request, resourceClass);
    switch (resourceClass!) {
      case 'crossplane':
        return provisionCrossplane(request);
      case 'cloudnative-pg':
        return provisionCloudNativePg(request);
      case 'managed':
        return provisionManaged(request);
    }
  },
};
