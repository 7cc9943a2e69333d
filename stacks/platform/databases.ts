import type { Construct } from 'constructs';
import { CloudNativePg } from '../../constructs/capabilities/database/cloudnative-pg';
import { IdpkitError } from '../../constructs/core/errors';
import type { Crossplane, CrossplaneProvidersProps } from '../../constructs/orchestration/crossplane/crossplane';
import { CrossplaneDatabaseTarget, CrossplaneDatabases } from '../../constructs/orchestration/crossplane/databases';
import { CROSSPLANE_PROVIDER_PACKAGES } from '../../constructs/orchestration/crossplane/providers';
import type { Environment } from '../../environments/types';
import { AddonDefinition, AddonResources, PlatformContext, defineAddon, prometheusMonitoring, resourceGroupOf } from './addon';
import type { DatabaseNetwork } from '../clouds/kit';
import type { CrossplaneProviderRef } from '../../constructs/orchestration/crossplane/providers';
import type { CloudnativePgConfig } from '../../constructs/addons/databases';
import { CrossplaneDatabasesConfig } from '../../constructs/addons/databases';

/** Databases run in the cluster: the CloudNativePG operator and its PostgreSQL clusters. */
export const DATABASE_ADDONS: readonly AddonDefinition[] = [
  defineAddon<CloudnativePgConfig>({
    key: 'cloudnativePg',
    description: 'CloudNativePG: the PostgreSQL operator, with PostgreSQL clusters replicated over zones',
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
