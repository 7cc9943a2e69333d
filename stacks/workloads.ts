/**
 * What the workload engine (`constructs/orchestration/workloads`) knows of an environment: the
 * {@link WorkloadPlatform} read from a validated environment's add-on configs, so that
 * `idpkit workload render` provisions a Score file's resources with what the environment's
 * platform stack actually installs.
 */
import { ACME_CLUSTER_ISSUER } from '../constructs/capabilities/tls/cert-manager';
import { AWS_LOAD_BALANCER_INGRESS_CLASS } from '../constructs/capabilities/networking/aws-load-balancer-controller';
import type { Cloud } from '../constructs/core/clouds';
import { DEFAULT_GITOPS_REVISION, DEFAULT_PREVIEW_PATH } from '../constructs/orchestration/gitops/argocd';
import type { WorkloadIngress, WorkloadPlatform } from '../constructs/orchestration/workloads/types';
import { Environment, placementOf } from '../environments/types';
import { AddonConfig, enabledConfigOf } from './platform/addon';
import { enabledAddons } from './platform/catalog';
import type { CrossplaneDatabasesConfig } from '../constructs/addons/databases';
import type { ArgoCdConfig } from '../constructs/addons/orchestration';
import { defaultGitopsPath } from './platform/orchestration';
import { secretsPrefix } from '../environments/addons';
import type { ExternalDnsConfig } from '../constructs/addons/stateful';

/** Options of {@link workloadPlatformOf}. */
export interface WorkloadPlatformOptions {
  /**
   * Whether the caller creates cloud resources (buckets, managed databases, cloud identities) for
   * the workloads: a team stack does, `idpkit workload render` does not. @default false
   */
  readonly cloudResources?: boolean;
}

/**
 * Clouds where the platform stack places the databases claimed through Crossplane in the
 * environment's network itself (the infra builders' `databaseNetwork`: a PostgreSQL security
 * group on AWS, private services access on GCP). On Azure the cloud Composition exists only when
 * `platform.addons.crossplane.databases.azure` names a delegated subnet.
 */
const CLAIMED_DATABASE_NETWORK_PLACED: Readonly<Record<Cloud, boolean>> = { aws: true, azure: false, gcp: true };

/**
 * Add-ons that serve north-south HTTP traffic through Kubernetes Ingresses, with the ingress
 * class they serve. Istio's gateway is not one: it serves Istio `Gateway`s (no Ingress class of
 * its own is configured, and Gateway API CRDs are not installed), so Score routes are refused there.
 */
const INGRESS_ADDONS: readonly { readonly addon: string; readonly className: string }[] = [
  { addon: 'awsLoadBalancerController', className: AWS_LOAD_BALANCER_INGRESS_CLASS },
];

/** The config of `platform.addons.certManager` the ingress reads. */
type CertManagerConfig = AddonConfig & { readonly acme?: { readonly ingressClassName: string } };

/** The Crossplane `PostgreSQLInstance` API the environment installs: its Compositions and default, or undefined. */
function databaseApiOf(env: Environment): WorkloadPlatform['databaseApi'] {
  const config = enabledConfigOf<AddonConfig & { readonly databases?: CrossplaneDatabasesConfig }>(env, 'crossplane')?.databases;
  if (!config?.enabled) return undefined;
  const cloud = config[env.cloud] !== undefined || CLAIMED_DATABASE_NETWORK_PLACED[env.cloud];
  const compositions = [...(cloud ? ['cloud' as const] : []), ...(enabledConfigOf(env, 'cloudnativePg') ? ['cloudnative-pg' as const] : [])];
  const defaultComposition = config.defaultComposition ?? (cloud ? 'cloud' : 'cloudnative-pg');
  // The platform stack refuses a default Composition it cannot install; so does the engine.
  return compositions.includes(defaultComposition) ? { compositions, defaultComposition } : undefined;
}

/**
 * How routes reach workloads: an Ingress class an installed controller serves, with the ACME
 * issuer when cert-manager solves its HTTP-01 challenges through that same class.
 */
function ingressOf(env: Environment): WorkloadIngress | undefined {
  const served = INGRESS_ADDONS.find(({ addon }) => enabledConfigOf(env, addon) !== undefined);
  if (!served) return undefined;
  const acme = enabledConfigOf<CertManagerConfig>(env, 'certManager')?.acme;
  return { kind: 'ingress', className: served.className, ...(acme?.ingressClassName === served.className ? { clusterIssuer: ACME_CLUSTER_ISSUER } : {}) };
}

/** The GitOps repository and directory of the environment's root Application, when it runs Argo CD with `gitops`. */
function gitopsOf(env: Environment): WorkloadPlatform['gitops'] {
  const gitops = enabledConfigOf<ArgoCdConfig>(env, 'argocd')?.gitops;
  return gitops && { repoUrl: gitops.repoUrl, path: gitops.path ?? defaultGitopsPath(env), revision: gitops.revision ?? DEFAULT_GITOPS_REVISION };
}

/**
 * The platform context of a validated environment: the add-ons it enables, the Crossplane
 * database API's Compositions, the external-dns zone, the Ingress class and issuer of routes, the
 * secrets prefix External Secrets reads, the root Application's repository, the tenant
 * namespaces, the network range and the region.
 *
 * @example
 * const platform = workloadPlatformOf(loadEnvironmentFile('environments/dev.json'));
 * renderWorkloads([{ path: 'score.yaml', text: readFileSync('score.yaml', 'utf8') }], platform, { namespace: 'shop' });
 */
export function workloadPlatformOf(env: Environment, options: WorkloadPlatformOptions = {}): WorkloadPlatform {
  const dnsZone = enabledConfigOf<ExternalDnsConfig>(env, 'externalDns')?.zone.domain;
  const teams = enabledConfigOf<AddonConfig & { readonly teams?: readonly { readonly name: string }[] }>(env, 'tenancy')?.teams ?? [];
  const databaseApi = databaseApiOf(env);
  const ingress = ingressOf(env);
  const gitops = gitopsOf(env);
  return {
    environment: env.name,
    cloud: env.cloud,
    tier: env.tier,
    region: placementOf(env).region,
    addons: enabledAddons(env).map(({ addon }) => addon.key),
    ...(databaseApi ? { databaseApi } : {}),
    ...(dnsZone ? { dnsZone } : {}),
    ...(ingress ? { ingress } : {}),
    secretsPrefix: secretsPrefix(env),
    ...(gitops ? { gitops } : {}),
    namespaces: teams.map((team) => team.name).sort(),
    networkCidr: env.network.cidr,
    cloudResources: options.cloudResources ?? false,
  };
}

/**
 * The directory `idpkit workload render` writes to when `--out` is not given, relative to the
 * repository root: the root Application's directory (`gitops.path`), or for a preview the preview
 * ApplicationSet's (`previewEnvironments.path`, default `deploy/preview` of the app repository).
 * Undefined when the environment runs no Argo CD with `gitops` (then `--out` is needed).
 */
export function workloadLayoutDirectory(env: Environment, preview: boolean): string | undefined {
  if (preview) return enabledConfigOf<ArgoCdConfig>(env, 'argocd')?.previewEnvironments?.path ?? DEFAULT_PREVIEW_PATH;
  return gitopsOf(env)?.path;
}
