import type { Construct } from 'constructs';
import { z } from 'zod';
import { CNPG_POSTGRES_VERSIONS, CloudNativePg } from '../../constructs/capabilities/database/cloudnative-pg';
import { IdpkitError } from '../../constructs/core/errors';
import type { Crossplane, CrossplaneProvidersProps } from '../../constructs/orchestration/crossplane/crossplane';
import { CrossplaneDatabaseTarget, CrossplaneDatabases } from '../../constructs/orchestration/crossplane/databases';
import { CROSSPLANE_PROVIDER_PACKAGES } from '../../constructs/orchestration/crossplane/providers';
import type { Environment } from '../../environments/types';
import { AddonDefinition, AddonResources, PlatformContext, addonConfigSchema, defineAddon, prometheusMonitoring, resourceGroupOf } from './addon';
import type { DatabaseNetwork } from '../clouds/kit';
import type { CrossplaneProviderRef } from '../../constructs/orchestration/crossplane/providers';

const DNS_1123_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const positiveInt = z.number({ error: 'is not a number' }).int('is not a whole number').min(1, 'must be at least 1');

const cnpgClusterSchema = z.strictObject({
  /** Cluster name: its Services are `<name>-rw`, `-ro`, `-r`, its credentials Secret `<name>-app`. */
  name: z.string().max(50, 'is longer than 50 characters').regex(DNS_1123_LABEL, 'is not a cluster name (lowercase letters, digits and "-", starting with a letter)'),
  /** Namespace of the cluster. @default "databases" */
  namespace: z.string().max(63, 'is longer than 63 characters').regex(DNS_1123_LABEL, 'is not a namespace name').optional(),
  /** PostgreSQL instances (one primary, the rest standbys). @default 3 in HA tiers, 1 in dev */
  instances: positiveInt.max(9, 'must be at most 9').optional(),
  /** Data volume per instance, GiB. */
  storageGiB: positiveInt,
  /** Separate WAL volume per instance, GiB. @default - WAL on the data volume */
  walStorageGiB: positiveInt.optional(),
  /** PostgreSQL major version. @default "17" */
  postgresVersion: z.enum(CNPG_POSTGRES_VERSIONS, { error: `is not a supported PostgreSQL major version (allowed: ${CNPG_POSTGRES_VERSIONS.join(', ')})` }).optional(),
  /** Application database and owner created at bootstrap. @default "app" */
  database: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'is not a database name (lowercase letters, digits and "_")').optional(),
});

const cloudnativePgSchema = addonConfigSchema({
  /** PostgreSQL clusters CloudNativePG runs. @default [] */
  clusters: z.array(cnpgClusterSchema).optional(),
}).superRefine((config, ctx) => {
  const seen = new Set<string>();
  (config.clusters ?? []).forEach((cluster, i) => {
    const key = `${cluster.namespace ?? 'databases'}/${cluster.name}`;
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['clusters', i, 'name'], message: `"${cluster.name}" is used twice in namespace "${cluster.namespace ?? 'databases'}" (give each cluster its own name)` });
    seen.add(key);
  });
});

/** Databases run in the cluster: the CloudNativePG operator and its PostgreSQL clusters. */
export const DATABASE_ADDONS: readonly AddonDefinition[] = [
  defineAddon({
    key: 'cloudnativePg',
    description: 'CloudNativePG: the PostgreSQL operator, with PostgreSQL clusters replicated over zones',
    configSchema: cloudnativePgSchema,
    install: (scope, context, config) => {
      const monitoring = prometheusMonitoring(context);
      const cnpg = new CloudNativePg(scope, 'cloudnative-pg', {
        highAvailability: context.highAvailability,
        serviceMonitor: monitoring.serviceMonitor,
        dependsOn: monitoring.dependsOn,
        clusters: config.clusters,
        valueOverrides: config.values?.['cloudnative-pg'],
      });
      return [cnpg.addon];
    },
  }),
];

const awsSubnetId = z.string().regex(/^subnet-[0-9a-f]{8,17}$/, 'is not a subnet id (expected e.g. subnet-0123456789abcdef0)');
const awsSecurityGroupId = z.string().regex(/^sg-[0-9a-f]{8,17}$/, 'is not a security group id (expected e.g. sg-0123456789abcdef0)');
const azureId = (what: string, pattern: RegExp, example: string) => z.string().regex(pattern, `is not ${what} (expected e.g. ${example})`);

/**
 * The schema of `platform.addons.crossplane.databases`: the PostgreSQLInstance API, its
 * Compositions and where the cloud Composition puts databases.
 */
export const crossplaneDatabasesSchema = z.strictObject({
  /** Apply the API and its Compositions. */
  enabled: z.boolean({ error: 'is not true or false' }),
  /** Composition an instance gets when it selects none. @default "cloud" when the cloud's network is given, else "cloudnative-pg" */
  defaultComposition: z.enum(['cloud', 'cloudnative-pg'], { error: 'is not a default composition (allowed: cloud, cloudnative-pg)' }).optional(),
  /** AWS: the RDS Composition's network. @default - no RDS Composition */
  aws: z
    .strictObject({
      /** Private subnets (in two zones at least) of each instance's DB subnet group. */
      subnetIds: z.array(awsSubnetId).min(2, 'needs two subnets at least (RDS subnet groups span two zones)'),
      /** Security groups allowing PostgreSQL (5432) from the cluster's nodes. */
      securityGroupIds: z.array(awsSecurityGroupId).min(1, 'needs a security group'),
    })
    .optional(),
  /** Azure: the flexible server Composition's network. @default - no flexible server Composition */
  azure: z
    .strictObject({
      /** Subnet delegated to Microsoft.DBforPostgreSQL/flexibleServers. */
      delegatedSubnetId: azureId('a subnet id', /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/, '/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>'),
      /** Private DNS zone `<name>.postgres.database.azure.com` linked to the virtual network. */
      privateDnsZoneId: azureId('a PostgreSQL private DNS zone id', /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/privateDnsZones\/[^/]+\.postgres\.database\.azure\.com$/, '/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/privateDnsZones/<name>.postgres.database.azure.com'),
    })
    .optional(),
  /** GCP: the Cloud SQL Composition's network. @default - no Cloud SQL Composition */
  gcp: z
    .strictObject({
      /** VPC with private services access. */
      privateNetwork: z.string().regex(/^projects\/[a-z][-a-z0-9]{4,28}[a-z0-9]\/global\/networks\/[a-z]([-a-z0-9]*[a-z0-9])?$/, 'is not a VPC network (expected projects/<project>/global/networks/<name>)'),
    })
    .optional(),
});

/** The config of `platform.addons.crossplane.databases`. */
export type CrossplaneDatabasesConfig = z.infer<typeof crossplaneDatabasesSchema>;

/** The Upbound provider package each cloud's Composition needs. */
export const DATABASE_PROVIDER_PACKAGES = { aws: 'provider-aws-rds', azure: 'provider-azure-dbforpostgresql', gcp: 'provider-gcp-sql' } as const;

/**
 * Whether the claimed databases' cloud Composition needs idpkit to place it in the environment's
 * network: the API is on and the config names no network of its own.
 */
export function claimedDatabasesNeedNetwork(env: Environment, config: CrossplaneDatabasesConfig | undefined): boolean {
  return config?.enabled === true && config[env.cloud] === undefined;
}

/** The network of the cloud Composition: the config's, else the one idpkit placed (AWS, GCP). */
function networkOf(config: CrossplaneDatabasesConfig, resources: AddonResources): DatabaseNetwork {
  return { aws: config.aws ?? resources.databaseNetwork?.aws, gcp: config.gcp ?? resources.databaseNetwork?.gcp };
}

/** The provider package the cloud Composition needs, at its newest verified version, when there is a cloud Composition. */
export function databaseProviderOf(env: Environment, config: CrossplaneDatabasesConfig | undefined, resources: AddonResources): CrossplaneProviderRef | undefined {
  if (!config?.enabled) return undefined;
  const network = networkOf(config, resources);
  const hasTarget = env.cloud === 'azure' ? config.azure !== undefined : network[env.cloud] !== undefined;
  if (!hasTarget) return undefined;
  const name = DATABASE_PROVIDER_PACKAGES[env.cloud];
  const versions = Object.keys(CROSSPLANE_PROVIDER_PACKAGES[name].versions).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return { name, version: versions[versions.length - 1] };
}

/** The cloud Composition's target, when the environment's cloud network is known. */
function databaseTarget(env: Environment, config: CrossplaneDatabasesConfig, resources: AddonResources, namePrefix: string): CrossplaneDatabaseTarget | undefined {
  const network = networkOf(config, resources);
  switch (env.cloud) {
    case 'aws':
      return network.aws && { cloud: 'aws', region: env.aws.region, namePrefix, subnetIds: [...network.aws.subnetIds], securityGroupIds: [...network.aws.securityGroupIds] };
    case 'azure':
      return config.azure && { cloud: 'azure', location: env.azure.location, resourceGroupName: resourceGroupOf(resources, 'crossplane').name, ...config.azure };
    case 'gcp':
      return network.gcp && { cloud: 'gcp', region: env.gcp.region, privateNetwork: network.gcp.privateNetwork };
  }
}

/**
 * Applies the PostgreSQLInstance API after Crossplane (`platform.addons.crossplane.databases`):
 * the cloud Composition when the cloud's network is given (its provider package must be listed),
 * the CloudNativePG one when that add-on is installed. Throws when the config cannot work.
 */
export function installCrossplaneDatabases(
  scope: Construct,
  context: PlatformContext,
  config: CrossplaneDatabasesConfig,
  crossplane: Crossplane,
  providers: CrossplaneProvidersProps | undefined,
  namePrefix: string,
): CrossplaneDatabases {
  const env = context.env;
  const field = `environment "${env.name}": platform.addons.crossplane.databases`;
  const problems: string[] = [];
  for (const cloud of ['aws', 'azure', 'gcp'] as const) {
    if (config[cloud] && cloud !== env.cloud) problems.push(`${field}.${cloud} is set, but the environment runs on ${env.cloud} (give ${env.cloud} instead)`);
  }
  const target = databaseTarget(env, config, context.resources, namePrefix);
  const needed = DATABASE_PROVIDER_PACKAGES[env.cloud];
  if (target && !providers?.packages.some((p) => p.name === needed)) {
    const versions = Object.keys(CROSSPLANE_PROVIDER_PACKAGES[needed].versions).join(', ');
    problems.push(`${field}.${env.cloud} needs the ${needed} provider (add { name: "${needed}", version: "${versions}" } to platform.addons.crossplane.providers)`);
  }
  const cloudNativePg = context.installed.cloudnativePg?.[0];
  const preferred = config.defaultComposition ?? (target ? 'cloud' : 'cloudnative-pg');
  if (preferred === 'cloud' && !target) problems.push(`${field}.defaultComposition "cloud" needs ${field}.${env.cloud} (the network of the ${env.cloud} Composition)`);
  if (preferred === 'cloudnative-pg' && !cloudNativePg) {
    problems.push(`${field}${config.defaultComposition ? '.defaultComposition "cloudnative-pg"' : ''} needs platform.addons.cloudnativePg, or a network for the ${env.cloud} Composition in platform.addons.crossplane.databases.${env.cloud}`);
  }
  if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_ENVIRONMENT', problems);
  return new CrossplaneDatabases(scope, 'crossplane-databases', {
    crossplane,
    target,
    providerIdentity: providers && { identity: providers.identity, source: providers.identitySource },
    cloudNativePg,
    defaultComposition: preferred,
  });
}
