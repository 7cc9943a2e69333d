import type { Cloud } from '../core/clouds';
import type { Tier } from '../core/tiers';
import type { Size } from './preset';

/** What `idpkit init` asks for, per environment. */
export interface EnvironmentTemplateOptions {
  /** Company-size preset. */
  readonly size: Size;
  readonly cloud: Cloud;
  /** Environment name, e.g. `dev`; also picks the tier when it is one (dev, staging, prod). */
  readonly name: string;
  /** Tier. @default the name when it is a tier, else "dev" */
  readonly tier?: Tier;
  /** Second octet of the environment's 10.x.0.0/16 network, unique per environment. @default 10 */
  readonly networkOctet?: number;
  /** GitHub organisation and repository CI deploys from. @default - acme/platform, a placeholder */
  readonly github?: { readonly owner: string; readonly repo: string };
}

/** The fields of an environment config a new project starts with; {@link templatePlaceholders} names its placeholders. */
export type EnvironmentTemplate = Record<string, unknown> & { readonly name: string };

const TIER_NAMES: readonly string[] = ['dev', 'staging', 'prod'];

/** The template's tier: the one given, else the name when it is a tier, else dev. */
export function tierOf(options: Pick<EnvironmentTemplateOptions, 'name' | 'tier'>): Tier {
  return options.tier ?? (TIER_NAMES.includes(options.name) ? (options.name as Tier) : 'dev');
}

/** Per cloud: where the environment lives and who administers its cluster (placeholders to replace). */
const PLACEMENT: Readonly<Record<Cloud, (name: string, tier: Tier) => Record<string, unknown>>> = {
  aws: (_name, tier) => {
    const account = tier === 'prod' ? '222222222222' : '111111111111';
    return {
      aws: { accountId: account, region: 'eu-west-1' },
      state: { backend: 's3', bucket: `idpkit-state-${account}-eu-west-1` },
      admin: `arn:aws:iam::${account}:role/platform-admin`,
    };
  },
  azure: (_name, tier) => ({
    azure: {
      subscriptionId: tier === 'prod' ? '00000000-0000-0000-0000-000000000002' : '00000000-0000-0000-0000-000000000001',
      tenantId: '00000000-0000-0000-0000-0000000000aa',
      location: 'westeurope',
    },
    state: { backend: 'azurerm', resourceGroupName: 'rg-idpkit-state', storageAccountName: `idpkitstate${tier === 'prod' ? 'prod' : 'nonprod'}` },
    admin: '00000000-0000-0000-0000-0000000000ad',
  }),
  gcp: (name) => ({
    gcp: { projectId: `acme-idp-${name}`, region: 'europe-west1', billingAccountId: '000000-000000-000000' },
    state: { backend: 'gcs', bucket: `acme-idp-${name}-tfstate` },
    admin: 'group:platform-admins@acme.example',
  }),
};

/** Settings the presets' add-ons need from the organisation: placeholders to replace. */
function addonSettings(size: Size, name: string): Record<string, unknown> {
  const addons: Record<string, unknown> = {
    argocd: { enabled: true, gitops: { repoUrl: 'https://github.com/acme/platform-gitops.git' } },
    backstage: {
      enabled: true,
      image: { registry: 'ghcr.io', repository: 'acme/backstage', tag: '0.1.0' },
      baseUrl: `https://portal.${name}.acme.example`,
      organizationName: 'Acme',
    },
  };
  if (size === 'small') addons.alloy = { enabled: true, remoteWrite: { url: 'https://prometheus.grafana.example/api/prom/push' } };
  return addons;
}

/**
 * A new environment's config for a preset: everything the preset cannot know (accounts, state,
 * admins, the portal's image, Git repositories) as placeholders, everything else from the preset.
 * It validates and synthesizes as it is; replace the placeholders before deploying.
 */
export function environmentTemplate(options: EnvironmentTemplateOptions): EnvironmentTemplate {
  const tier = tierOf(options);
  const { admin, ...placement } = PLACEMENT[options.cloud](options.name, tier);
  const octet = options.networkOctet ?? 10;
  return {
    name: options.name,
    tier,
    size: options.size,
    cloud: options.cloud,
    owner: 'platform-team',
    costCenter: 'platform',
    ...placement,
    network: { cidr: `10.${octet}.0.0/16`, ...(tier === 'dev' ? { availabilityZoneCount: 2 } : {}) },
    cluster: {
      name: `idp-${options.name}`,
      kubernetesVersion: '1.35',
      adminPrincipal: admin,
      ...(tier === 'prod' ? {} : { publicEndpointCidrs: ['203.0.113.0/24'] }),
    },
    alerts: { emails: ['platform-team@acme.example'] },
    budget: { monthlyLimit: { dev: 2000, staging: 4000, prod: 10000 }[tier] },
    ci: { github: options.github ?? { owner: 'acme', repo: 'platform' } },
    platform: { addons: addonSettings(options.size, options.name) },
    registry: { repositories: ['platform/backstage'] },
  };
}

/** Placeholders of every cloud's template, by field path: what to put there instead. */
const CLOUD_PLACEHOLDERS: Readonly<Record<Cloud, Readonly<Record<string, string>>>> = {
  aws: {
    'aws.accountId': "the 12-digit id of the environment's AWS account",
    'state.bucket': 'the state bucket, e.g. idpkit-state-<account>-<region> (its bootstrap stack creates it)',
    'cluster.adminPrincipal': 'the IAM role (or user) ARN granted cluster admin',
  },
  azure: {
    'azure.subscriptionId': "the environment's subscription id",
    'azure.tenantId': 'your Entra ID tenant id',
    'state.storageAccountName': 'a globally unique storage account name for state (its bootstrap stack creates it)',
    'cluster.adminPrincipal': 'the object id of the Entra ID group granted cluster admin',
  },
  gcp: {
    'gcp.projectId': "the environment's project id",
    'gcp.billingAccountId': 'the billing account that pays for the project (its budget lives there)',
    'state.bucket': 'a globally unique state bucket name (its bootstrap stack creates it)',
    'cluster.adminPrincipal': 'the IAM member granted Kubernetes Engine Admin, e.g. group:platform-admins@your.domain',
  },
};

/**
 * The template's placeholders, by dotted field path (`aws.accountId`), each with what to put there
 * instead: `idpkit init` marks them `// REPLACE` in the files it writes. Values that are sensible
 * defaults (region, budget, owner) are not placeholders.
 */
export function templatePlaceholders(options: EnvironmentTemplateOptions): Readonly<Record<string, string>> {
  const tier = tierOf(options);
  return {
    ...CLOUD_PLACEHOLDERS[options.cloud],
    ...(tier === 'prod' ? {} : { 'cluster.publicEndpointCidrs': 'your office or VPN CIDRs allowed to reach the API (or [] for a private endpoint)' }),
    'alerts.emails': 'who hears of alarms and budget alerts',
    ...(options.github ? {} : { 'ci.github': 'the GitHub repository whose Actions deploy this environment' }),
    'platform.addons.argocd.gitops.repoUrl': 'the Git repository Argo CD syncs applications from',
    'platform.addons.backstage.image': 'your Backstage image, built from your Backstage app (an immutable tag)',
    'platform.addons.backstage.baseUrl': 'the URL your portal is served at',
    'platform.addons.backstage.organizationName': "your organisation's name, shown in the portal",
    ...(options.size === 'small' ? { 'platform.addons.alloy.remoteWrite.url': 'the remote-write URL of your hosted Prometheus (e.g. Grafana Cloud)' } : {}),
  };
}
