import type { Release } from '@cdktf/provider-helm/lib/release';
import type { Construct } from 'constructs';
import type { AddonConfig } from '../../constructs/addons/config';
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
 * How the platform stack installs one add-on of the catalog. Its config schema (under
 * `platform.addons.<key>` in an environment), the clouds it runs on and the add-ons it cannot run
 * beside are data of the add-on catalog (constructs/addons/catalog.ts), whose order is install
 * order; the checks of its config against the rest of the environment run with the environment's
 * validation (environments/addons.ts).
 */
export interface AddonDefinition<Config extends AddonConfig = AddonConfig> {
  /** Config key, e.g. `certManager`. */
  readonly key: string;
  /** One line for docs and `idpkit` output. */
  readonly description: string;
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
  /** Installs it; returns its Helm releases. */
  install(scope: Construct, context: PlatformContext, config: Config): readonly HelmAddon[];
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

export { addonConfigSchema, enabledConfigOf } from '../../constructs/addons/config';
export type { AddonConfig } from '../../constructs/addons/config';
