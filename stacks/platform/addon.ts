import type { Release } from '@cdktf/provider-helm/lib/release';
import type { Construct } from 'constructs';
import { z } from 'zod';
import type { Cloud } from '../../constructs/core/clouds';
import type { HelmAddon } from '../../constructs/core/helm-addon';
import type { KubernetesCluster } from '../../constructs/infrastructure/cluster';
import type { NodeAllocatable } from '../../constructs/infrastructure/cluster/node-sizes';
import type { ObjectBucket } from '../../constructs/capabilities/storage';
import type { DnsZoneTarget, WorkloadIdentity, WorkloadIdentityRequest } from '../../constructs/integration/identity';
import type { AddonInfraBuilders, AddonKey, DatabaseNetwork, ResourceGroupRef } from '../clouds/kit';
import type { Environment } from '../../environments/types';

/** What an add-on's installer gets: the environment, how available to be, and what is installed already. */
export interface PlatformContext {
  /** The validated environment. */
  readonly env: Environment;
  /** Replicas, disruption budgets and persistent storage (the tier's rule). */
  readonly highAvailability: boolean;
  /** The environment's cluster, read from the infra stack through cross-stack references. */
  readonly cluster: KubernetesCluster;
  /**
   * The largest node the environment's node groups (or Karpenter) give a pod (`largestNode`):
   * what add-ons size their largest requests against. Undefined when no machine type is known.
   */
  readonly largestNode?: NodeAllocatable;
  /** Add-ons installed before this one, by key: for `dependsOn`. */
  readonly installed: Readonly<Record<string, readonly HelmAddon[]>>;
  /** Cloud identities the infra stack made for this add-on's requests, by request name. */
  readonly identities: Readonly<Record<string, WorkloadIdentity>>;
  /** Where the environment's secrets live when the infra stack made the store (Azure Key Vault). */
  readonly secretStore?: { readonly id: string; readonly url: string };
  /** Cloud resources the infra stack made for this add-on (its `infra` hook), read across stacks. */
  readonly resources: AddonResources;
  /**
   * Marks releases that let the cluster grow (node provisioning: Karpenter's controller and its
   * NodePool). The platform stack makes every other release of the stack wait for them, so that
   * on the first apply the other add-ons' pods get nodes when the node groups are full instead of
   * holding Terraform's parallel slots until Helm's timeout. They must wait for no other add-on.
   */
  readonly provisionsNodes: (releases: readonly { readonly release: Release }[]) => void;
}

/** Cloud resources an add-on's infra hook made, by name: what its grants target and its install reads. */
export interface AddonResources {
  readonly buckets: Readonly<Record<string, ObjectBucket>>;
  readonly keys: Readonly<Record<string, AddonKey>>;
  readonly dnsZones: Readonly<Record<string, DnsZoneTarget>>;
  /** Where the add-on's claimed databases go in the environment's network. @default - none */
  readonly databaseNetwork?: DatabaseNetwork;
  /** The resource group of what claims create (Azure, `build.claimsResourceGroup()`), when the add-on's grants or resources name it. @default - none */
  readonly resourceGroup?: ResourceGroupRef;
}

/** No resources: what an add-on without an infra hook gets. */
export const NO_ADDON_RESOURCES: AddonResources = { buckets: {}, keys: {}, dnsZones: {} };

/** The resource group an add-on's infra hook got (`build.claimsResourceGroup()`), or an error naming the add-on. */
export function resourceGroupOf(resources: AddonResources, addon: string): ResourceGroupRef {
  if (!resources.resourceGroup) throw new Error(`add-on ${addon}: its infra hook must return build.claimsResourceGroup() to target a resource group`);
  return resources.resourceGroup;
}

/**
 * One add-on the platform stack can install: its config (under `platform.addons.<key>` in an
 * environment), the clouds it runs on, and how it installs. Order in the catalog is install order.
 */
export interface AddonDefinition<Config extends AddonConfig = AddonConfig> {
  /** Config key, e.g. `certManager`. */
  readonly key: string;
  /** One line for docs and `idpkit` output. */
  readonly description: string;
  /** The schema of its config. */
  readonly configSchema: z.ZodType<Config>;
  /** Clouds it runs on. @default every cloud */
  readonly clouds?: readonly Cloud[];
  /** Add-ons it cannot run beside (e.g. two admission policy engines). @default none */
  readonly conflictsWith?: readonly string[];
  /**
   * Cloud resources of its own (buckets, keys, DNS zone references), built in the infra stack with
   * the cloud's builders before identities are created, under a construct scope of its own
   * (`addon-<key>`). Its grants and its install get them by name. @default none
   */
  infra?(scope: Construct, env: Environment, config: Config, build: AddonInfraBuilders): Partial<AddonResources>;
  /**
   * The cloud identities its service accounts need, created in the infra stack (cluster-level
   * IAM never lives in the platform stack); grants may target what `infra` made. @default none
   */
  identities?(env: Environment, config: Config, resources: AddonResources): readonly WorkloadIdentityRequest[];
  /**
   * Checks of its config that need the rest of the environment (a default that follows another
   * add-on), run with the environment's validation; each path is relative to
   * `platform.addons.<key>`. @default none
   */
  problems?(env: Environment, config: Config): readonly { readonly path: readonly (string | number)[]; readonly message: string }[];
  /** Installs it; returns its Helm releases. */
  install(scope: Construct, context: PlatformContext, config: Config): readonly HelmAddon[];
}

/** An add-on's config in an environment when the environment enables it, for add-ons whose defaults follow another's. */
export function enabledConfigOf<Config extends AddonConfig = AddonConfig>(env: Environment, key: string): Config | undefined {
  const config = (env.platform?.addons as Readonly<Record<string, AddonConfig | undefined>> | undefined)?.[key];
  return config?.enabled ? (config as Config) : undefined;
}

/** What every add-on's config has. */
export interface AddonConfig {
  /** Install the add-on. */
  readonly enabled: boolean;
  /** Escape hatch: chart values deep-merged over idpkit's, per release name. */
  readonly values?: Readonly<Record<string, Record<string, unknown>>>;
}

/**
 * The schema of an add-on's config: `enabled`, the `values` escape hatch (by release name), and
 * the add-on's own typed settings.
 */
export function addonConfigSchema<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.strictObject({
    /** Install the add-on. */
    enabled: z.boolean({ error: 'is not true or false' }),
    /** Chart values deep-merged over idpkit's, by release name. @default {} */
    values: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    ...shape,
  });
}

/** Declares an add-on with its own config type, for the catalog (which holds add-ons of any config). */
export function defineAddon<Config extends AddonConfig>(definition: AddonDefinition<Config>): AddonDefinition {
  return definition as unknown as AddonDefinition;
}

/**
 * How an add-on joins the environment's monitoring: ServiceMonitors and installing after
 * kube-prometheus-stack when it is installed (it brings the ServiceMonitor CRD), neither otherwise.
 */
export function prometheusMonitoring(context: PlatformContext): { serviceMonitor: boolean; dependsOn: readonly HelmAddon[] } {
  const stack = context.installed.kubePrometheusStack ?? [];
  return { serviceMonitor: stack.length > 0, dependsOn: stack };
}
