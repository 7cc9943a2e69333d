import { Release } from '@cdktf/provider-helm/lib/release';
import { Construct } from 'constructs';
import { TerraformStack } from '../constructs/core/cdktf';
import { TIER_RULES, setTier } from '../constructs/core/tiers';
import type { HelmAddon } from '../constructs/core/helm-addon';
import { configureKubernetesProviders } from '../constructs/integration/kubernetes';
import { configureLocalState } from '../constructs/integration/state';
import { Environment, placementOf } from '../environments/types';
import { databaseSecretName, kitOf } from './clouds';
import { EXTERNAL_SECRETS_NAMESPACE, externalSecretOf } from '../constructs/capabilities/secrets/external-secrets';
import { ManifestsRelease, dependenciesOf, dependencyOf } from '../constructs/core/manifests';
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
 * synced from the cloud secret manager by External Secrets. When an add-on provisions nodes
 * (Karpenter), every other release waits for it: see {@link waitForNodeProvisioning}.
 */
export class PlatformStack extends TerraformStack {
  /** Installed add-ons' releases, by add-on key. */
  readonly addons: Readonly<Record<string, readonly HelmAddon[]>>;

  constructor(scope: Construct, props: PlatformStackProps) {
    const env = props.environment;
    super(scope, platformStackName(env.name));
    setTier(this, env.tier);
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
    const provisioning: Release[] = [];
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
        provisionsNodes: (releases: readonly { readonly release: Release }[]) => provisioning.push(...releases.map(({ release }) => release)),
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
    waitForNodeProvisioning(this, provisioning);
  }
}

/**
 * Makes every Helm release of the stack but `provisioning` wait for `provisioning` (the releases
 * that let the cluster grow: Karpenter and its NodePool). A new cluster has only its node groups'
 * `minSize` nodes; without the wait, twenty-odd atomic releases start at once, their pods stay
 * Pending on full nodes, and Terraform's parallel slots are held by releases waiting for Helm's
 * timeout while the node provisioner may not have started. Throws when a provisioning release
 * waits for another release, which would make a cycle.
 */
function waitForNodeProvisioning(stack: Construct, provisioning: readonly Release[]): void {
  if (provisioning.length === 0) return;
  const gate = new Set(provisioning.map(dependencyOf));
  for (const release of provisioning) {
    const outside = dependenciesOf(release).filter((dependency) => dependency.startsWith('helm_release.') && !gate.has(dependency));
    if (outside.length > 0) throw new Error(`${release.node.path}: a node provisioning release waits for ${outside.join(', ')}; it must wait for no other add-on`);
  }
  for (const release of stack.node.findAll().filter((construct): construct is Release => construct instanceof Release)) {
    if (gate.has(dependencyOf(release))) continue;
    const has = new Set(dependenciesOf(release));
    release.dependsOn = [...(release.dependsOn ?? []), ...[...gate].filter((dependency) => !has.has(dependency))];
  }
}
