/**
 * Config schemas of the add-ons of stacks/platform/databases.ts, under `platform.addons.<key>`
 * of an environment: data of the add-on catalog (constructs/addons/catalog.ts).
 */
import { z } from 'zod';
import { CNPG_POSTGRES_VERSIONS } from '../capabilities/database/cloudnative-pg';
import { addonConfigSchema } from './config';

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

/** The schema of `platform.addons.cloudnativePg`. */
export const cloudnativePgSchema = addonConfigSchema({
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
/** The config of `platform.addons.cloudnativePg`. */
export type CloudnativePgConfig = z.infer<typeof cloudnativePgSchema>;
