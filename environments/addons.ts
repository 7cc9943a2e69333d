/**
 * The checks of add-on configs that need the rest of the environment (a default that follows
 * another add-on, a cloud the add-on does not run on, two add-ons that exclude each other), run
 * with the environment's validation, and the facts of an environment they share with the
 * installers of stacks/platform/.
 */
import { ADDON_CATALOG, addonClouds, addonConflicts } from '../constructs/addons/catalog';
import type { AlloyConfig } from '../constructs/addons/capabilities';
import type { KarpenterConfig } from '../constructs/addons/cloud-integrations';
import { type AddonConfig, enabledConfigOf } from '../constructs/addons/config';
import type { BackstageConfig } from '../constructs/addons/interface';
import type { ArgoCdConfig } from '../constructs/addons/orchestration';
import { KARPENTER_REPLICAS, karpenterInterruptionQueueName } from '../constructs/capabilities/autoscaling/karpenter-settings';
import { prometheusRemoteWriteUrls } from '../constructs/capabilities/observability/kube-prometheus-stack';
import { LOKI_PUSH_URL } from '../constructs/capabilities/observability/loki';
import { TEMPO_OTLP_GRPC_ENDPOINT } from '../constructs/capabilities/observability/tempo';
import { TIER_RULES } from '../constructs/core/tiers';
import {
  BACKSTAGE_GITHUB_TOKEN_SECRET,
  BACKSTAGE_NAMESPACE,
  BackstageCatalogProps,
  GITHUB_REPOSITORY_FORMS,
  catalogLocationProblems,
  githubRepositoryOf,
} from '../constructs/interface/backstage/backstage';
import type { Environment } from './schema';

/** A problem of an add-on's config, relative to `platform.addons.<key>`. */
export interface AddonProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** The prefix of an environment's secrets in the cloud secret manager: `<env>-` (valid on every cloud). */
export const secretsPrefix = (env: Environment): string => `${env.name}-`;

/** The cloud secret manager's secret the preview environments' GitHub token is synced from: under the prefix External Secrets reads. */
export const previewTokenSecretName = (env: Environment): string => `${secretsPrefix(env)}argocd-preview-token`;

/** The cloud secret manager's secret the portal's GitHub token is synced from: under the prefix External Secrets reads. */
export const backstageGithubTokenSecretName = (env: Environment): string => `${secretsPrefix(env)}${BACKSTAGE_GITHUB_TOKEN_SECRET}`;

/**
 * Where Alloy sends each signal: what the environment sets, otherwise the in-cluster backend the
 * environment enables (metrics to kube-prometheus-stack's Prometheus, logs to Loki, traces to
 * Tempo), otherwise nowhere.
 */
export function alloyDestinations(env: Environment, config: AlloyConfig, highAvailability: boolean): { remoteWriteUrls?: string[]; lokiUrl?: string; otlp?: AlloyConfig['otlp'] } {
  const enabled = (key: string) => enabledConfigOf(env, key) !== undefined;
  return {
    remoteWriteUrls: config.remoteWrite ? [config.remoteWrite.url] : enabled('kubePrometheusStack') ? prometheusRemoteWriteUrls(highAvailability) : undefined,
    lokiUrl: config.loki?.url ?? (enabled('loki') ? LOKI_PUSH_URL : undefined),
    otlp: config.otlp ?? (enabled('tempo') ? { endpoint: TEMPO_OTLP_GRPC_ENDPOINT, insecure: true } : undefined),
  };
}

/** The interruption queue of an environment's Karpenter: the one it names, or the cluster's default. */
export const karpenterQueueOf = (env: Environment, config: Pick<KarpenterConfig, 'interruptionQueue'>): string =>
  config.interruptionQueue ?? karpenterInterruptionQueueName(env.cluster.name);

/** Whether an environment's Karpenter may launch Spot Instances, which needs the account's EC2 Spot service-linked role. */
export function karpenterLaunchesSpot(env: Environment): boolean {
  const karpenter = enabledConfigOf<KarpenterConfig>(env, 'karpenter');
  return env.cloud === 'aws' && karpenter !== undefined && karpenter.defaultNodePool !== false && (karpenter.capacityTypes ?? []).includes('spot');
}

/**
 * Spot needs the account's EC2 Spot service-linked role, which a bootstrap stack of the account
 * creates; an environment with local state has none.
 */
function karpenterSpotProblems(env: Environment): { path: (string | number)[]; message: string }[] {
  if (env.cloud !== 'aws' || !karpenterLaunchesSpot(env) || env.state.backend !== 'local' || env.aws.spotServiceLinkedRoleExists) return [];
  return [
    {
      path: ['capacityTypes'],
      message:
        "lets Karpenter launch spot, which needs the account's EC2 Spot service-linked role; idpkit creates it in the account's bootstrap stack, and local state has none: " +
        'create it once (aws iam create-service-linked-role --aws-service-name spot.amazonaws.com) and set aws.spotServiceLinkedRoleExists: true, or use remote state',
    },
  ];
}

/**
 * Why a cluster cannot run Karpenter's controller from its first apply: the controller runs only
 * on the managed node groups (the chart's node affinity keeps it off the nodes it launches), on
 * on-demand nodes (AWS spot groups are tainted, and the chart tolerates only CriticalAddonsOnly),
 * one replica per node in HA (required anti-affinity). Their `minSize` nodes are all a new
 * cluster has.
 */
function karpenterCapacityProblems(env: Environment): { path: (string | number)[]; message: string }[] {
  if (env.cloud !== 'aws') return [];
  const replicas = TIER_RULES[env.tier].highAvailability ? KARPENTER_REPLICAS.highAvailability : KARPENTER_REPLICAS.single;
  const nodes = env.cluster.nodeGroups.filter((group) => group.capacityType !== 'SPOT').reduce((sum, group) => sum + group.minSize, 0);
  if (nodes >= replicas) return [];
  return [
    {
      path: ['enabled'],
      message:
        `runs ${replicas} Karpenter controller replica${replicas > 1 ? 's on separate nodes' : ''} in the ${env.tier} tier on the managed node groups (it never runs on the nodes it launches, nor on tainted spot groups), ` +
        `but cluster.nodeGroups start with ${nodes} on-demand node${nodes === 1 ? '' : 's'} (the sum of their minSize): raise minSize of an on-demand node group to ${replicas}`,
    },
  ];
}

/**
 * The catalog location of an environment's portal: the `catalog` config over the GitOps
 * repository Argo CD syncs (its revision too, unless `catalog.repository` names another
 * repository); or why there is none.
 */
export function catalogOf(env: Environment, config: BackstageConfig): { readonly catalog: BackstageCatalogProps } | { readonly problem: AddonProblem } {
  const gitops = enabledConfigOf<ArgoCdConfig>(env, 'argocd')?.gitops;
  const fix = `set platform.addons.backstage.catalog.repository to the GitHub repository CI publishes the catalog to (e.g. https://github.com/acme/platform-gitops.git)`;
  if (config.catalog?.repository) return { catalog: { ...config.catalog, repository: config.catalog.repository } };
  if (!gitops) {
    return { problem: { path: ['catalog', 'repository'], message: `is required without platform.addons.argocd.gitops (whose GitOps repository holds the published catalog by default): enable argocd with gitops.repoUrl, or ${fix}` } };
  }
  if (!githubRepositoryOf(gitops.repoUrl)) {
    return {
      problem: {
        path: ['catalog', 'repository'],
        message: `is required: platform.addons.argocd.gitops.repoUrl "${gitops.repoUrl}" is not a GitHub repository (${GITHUB_REPOSITORY_FORMS}), and Backstage reads the catalog through its github.com integration; ${fix}`,
      },
    };
  }
  const revision = config.catalog?.revision ?? gitops.revision;
  const catalog = { repository: gitops.repoUrl, revision, path: config.catalog?.path };
  if (catalogLocationProblems('', catalog).length > 0) {
    return {
      problem: {
        path: ['catalog', 'revision'],
        message: `is required: platform.addons.argocd.gitops.revision "${gitops.revision}" has characters a GitHub file URL cannot carry ("/" reads as the path); set platform.addons.backstage.catalog.revision to the same branch, tag or commit without "/" (e.g. a tag), or rename the branch`,
      },
    };
  }
  return { catalog };
}

/** A check of one add-on's config against the rest of the environment. */
type ConfigCheck = (env: Environment, config: AddonConfig) => readonly AddonProblem[];

/** Declares the check of an add-on with its own config type, for the table (which holds checks of any config). */
const check = <Config extends AddonConfig>(problems: (env: Environment, config: Config) => readonly AddonProblem[]): ConfigCheck => problems as ConfigCheck;

/** The checks of each add-on's config against the rest of the environment, by add-on key. */
const ADDON_CONFIG_CHECKS: Readonly<Record<string, ConfigCheck>> = {
  alloy: check<AlloyConfig>((env, config) => {
    const destinations = alloyDestinations(env, config, false);
    return destinations.remoteWriteUrls || destinations.lokiUrl || destinations.otlp
      ? []
      : [{ path: [], message: 'has no destination (set remoteWrite.url, loki.url or otlp.endpoint, enable kubePrometheusStack, loki or tempo beside it, or disable Alloy)' }];
  }),
  karpenter: (env) => [...karpenterCapacityProblems(env), ...karpenterSpotProblems(env)],
  argocd: check<ArgoCdConfig>((env, config) =>
    config.previewEnvironments && !config.previewEnvironments.tokenSecretName && enabledConfigOf(env, 'externalSecrets') === undefined
      ? [{ path: ['previewEnvironments', 'tokenSecretName'], message: `is required without platform.addons.externalSecrets (which otherwise syncs the token from ${previewTokenSecretName(env)} in the cloud secret manager)` }]
      : [],
  ),
  backstage: check<BackstageConfig>((env, config) => {
    const problems: AddonProblem[] = [];
    const catalog = catalogOf(env, config);
    if ('problem' in catalog) problems.push(catalog.problem);
    if (!config.github?.tokenSecretName && enabledConfigOf(env, 'externalSecrets') === undefined) {
      problems.push({
        path: ['github', 'tokenSecretName'],
        message: `is required without platform.addons.externalSecrets (which otherwise syncs the portal's GitHub token from ${backstageGithubTokenSecretName(env)} in the cloud secret manager): enable externalSecrets, or name your own Secret in "${BACKSTAGE_NAMESPACE}" with the token`,
      });
    }
    return problems;
  }),
};

/**
 * The problems of the add-ons an environment enables, in install order: each add-on's own checks,
 * whether it runs on the environment's cloud, and the add-ons it conflicts with; each path is
 * relative to the environment.
 */
export function addonProblems(env: Environment): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const enabled = ADDON_CATALOG.flatMap((addon) => {
    const config = enabledConfigOf(env, addon.key);
    return config ? [{ addon, config }] : [];
  });
  for (const { addon, config } of enabled) {
    for (const problem of ADDON_CONFIG_CHECKS[addon.key]?.(env, config) ?? []) {
      problems.push({ path: ['platform', 'addons', addon.key, ...problem.path], message: problem.message });
    }
    const at = ['platform', 'addons', addon.key, 'enabled'];
    const clouds = addonClouds(addon.key);
    if (clouds && !clouds.includes(env.cloud)) {
      problems.push({ path: at, message: `is not available on ${env.cloud} (only on ${clouds.join(', ')})` });
    }
    for (const other of addonConflicts(addon.key).filter((key) => addon.key < key && enabled.some(({ addon: a }) => a.key === key))) {
      problems.push({ path: at, message: `conflicts with platform.addons.${other}.enabled: enable ${addon.key} or ${other}, but not both` });
    }
  }
  return problems;
}
