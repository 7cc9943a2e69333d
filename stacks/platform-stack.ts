import { Construct } from 'constructs';
import { TerraformStack } from '../constructs/core/cdktf';
import { TIER_RULES } from '../constructs/core/tiers';
import type { HelmAddon } from '../constructs/core/helm-addon';
import { configureKubernetesProviders } from '../constructs/integration/kubernetes';
import { configureLocalState } from '../constructs/integration/state';
import { Environment, placementOf } from '../environments/types';
import { databaseSecretName, kitOf } from './clouds';
import { EXTERNAL_SECRETS_NAMESPACE, externalSecretOf } from '../constructs/capabilities/secrets/external-secrets';
import { ManifestsRelease } from '../constructs/core/manifests';
import type { InfraStack } from './infra-stack';
import { NO_ADDON_RESOURCES } from './platform/addon';
import { enabledAddons } from './platform/catalog';
import { largestNode } from './platform/nodes';

/** The name of an environment's platform stack. */
export const platformStackName = (environment: string): string => `${environment}-platform`;

/** Props of {@link PlatformStack}. */
export interface PlatformStackProps {
  /** The validated environment. */
  readonly environment: Environment;
  /** The environment's infra stack, whose cluster attributes this stack reads across stacks. */
  readonly infra: InfraStack;
}

/**
 * One environment's in-cluster add-ons, `<env>-platform`: Helm releases installed by the helm and
 * kubernetes providers, which reach the cluster of `<env>-infra` (read through cdktf cross-stack
 * references, never copied) with the cloud's short-lived credential plugin. Cluster and add-ons
 * never share a Terraform state. Databases with `externalSecret` get their connection details
 * synced from the cloud secret manager by External Secrets.
 */
export class PlatformStack extends TerraformStack {
  /** Installed add-ons' releases, by add-on key. */
  readonly addons: Readonly<Record<string, readonly HelmAddon[]>>;

  constructor(scope: Construct, props: PlatformStackProps) {
    const env = props.environment;
    super(scope, platformStackName(env.name));
    const kit = kitOf(env);
    if (env.state.backend === 'local') configureLocalState(this, env.state);
    else kit.configureRemoteState(this, env);
    const cluster = props.infra.cluster;
    configureKubernetesProviders(this, {
      cloud: env.cloud,
      clusterName: cluster.clusterName,
      region: placementOf(env).region,
      endpoint: cluster.endpoint,
      certificateAuthorityData: cluster.certificateAuthorityData,
    });
    this.addDependency(props.infra);

    const installed: Record<string, readonly HelmAddon[]> = {};
    const highAvailability = TIER_RULES[env.tier].highAvailability;
    const node = largestNode(env);
    for (const { addon, config } of enabledAddons(env)) {
      const key = addon.key;
      const context = {
        env,
        highAvailability,
        cluster,
        largestNode: node,
        installed: { ...installed },
        identities: props.infra.identities[key] ?? {},
        secretStore: props.infra.secretStore,
        resources: props.infra.addonResources[key] ?? NO_ADDON_RESOURCES,
      };
      installed[key] = addon.install(this, context, config);
    }
    this.addons = installed;

    const connections = env.databases.flatMap((database) =>
      database.externalSecret
        ? [externalSecretOf({ ...database.externalSecret, remoteSecretName: databaseSecretName(env, database.name) })]
        : [],
    );
    if (connections.length > 0) {
      new ManifestsRelease(this, 'database-connections', {
        releaseName: 'database-connections',
        namespace: EXTERNAL_SECRETS_NAMESPACE,
        manifests: connections,
        dependsOn: installed.externalSecrets ?? [],
      });
    }
  }
}
