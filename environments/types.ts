/**
 * Validation of environments: one environment against the schema (environments/schema.ts) and
 * its cross-field checks, a set of environments together, and policy files.
 */
import { z } from 'zod';
import { cidrsOverlap, parseCidr } from '../constructs/core/cidr';
import { IdpkitError, describeValue } from '../constructs/core/errors';
import { nodeLabelProblem } from '../constructs/core/kubernetes-labels';
import { structureProblems } from '../constructs/core/plain-data';
import { tagProblems } from '../constructs/integration/provider/tag-rules';
import { addonConflicts, addonRunsOn } from '../constructs/addons/catalog';
import type { KarpenterConfig } from '../constructs/addons/cloud-integrations';
import { enabledConfigOf } from '../constructs/addons/config';
import { TIER_RULES } from '../constructs/core/tiers';
import { aksNodePoolNameProblem } from '../constructs/infrastructure/cluster/aks-names';
import { NODE_SIZES, NODE_MACHINE_TYPES, machineTypeProblem, machineVcpus } from '../constructs/infrastructure/cluster/node-sizes';
import { AWS_MANAGED_POLICY_ARN_PATTERN, GCP_IAM_ROLE_PATTERN } from '../constructs/integration/ci';
import { DATABASE_SIZES, DATABASE_SIZE_VCPUS } from '../constructs/capabilities/database';
import { AZURE_MIN_BACKUP_RETENTION_DAYS, AZURE_POSTGRES_STORAGE_GIB } from '../constructs/capabilities/database/azure-limits';
import { OFF_HOURS_NOT_NATIVE } from '../constructs/infrastructure/cluster/off-hours-schedule';
import { applyPreset, presetHint } from '../constructs/presets/apply';
import { instanceArchitecture } from '../constructs/infrastructure/private/ec2';
import { addonProblems, karpenterQueueOf } from './addons';
import { BOOTSTRAP_STATE_MODES, Environment, EnvironmentOn, environmentSchema, policySchema } from './schema';

export * from './schema';

/** What presets need to know of the catalog: where add-ons run and which exclude each other. */
const PRESET_ADDON_FACTS = { runsOn: addonRunsOn, conflictsWith: addonConflicts };

/** Where an environment's config came from, for error messages. */
const where = (config: unknown, source?: string): string => {
  const name = typeof config === 'object' && config !== null ? (config as { name?: unknown }).name : undefined;
  const label = typeof name === 'string' && name !== '' ? `environment "${name}"` : 'environment (unnamed)';
  return source ? `${label} (${source})` : label;
};

const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');

const valueAt = (config: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' && Object.hasOwn(node, key) ? (node as Record<PropertyKey, unknown>)[key] : undefined), config);

/** Where an environment lives: the account (subscription, project) that scopes names and CIDRs, and its region. */
export function placementOf(env: Environment): { readonly account: string; readonly region: string } {
  switch (env.cloud) {
    case 'aws':
      return { account: `AWS account ${env.aws.accountId}`, region: env.aws.region };
    case 'azure':
      return { account: `Azure subscription ${env.azure.subscriptionId}`, region: env.azure.location };
    case 'gcp':
      return { account: `GCP project ${env.gcp.projectId}`, region: env.gcp.region };
  }
}

/** Where a name is unique: in the account (subscription, project), or in the account and region. */
type NameScope = 'account' | 'region';

/**
 * Names taken from an environment's config that the cloud keeps unique in a scope that several
 * environments may share (an account, or an account's region), with that scope and why, per cloud.
 * Names idpkit derives from the environment name are unique already (environment names are).
 */
const SHARED_SCOPE_NAMES: readonly {
  readonly field: string;
  readonly value: (env: Environment) => string | undefined;
  readonly scope: Partial<Record<Environment['cloud'], { readonly within: NameScope; readonly why: string }>>;
}[] = [
  {
    field: 'cluster.name',
    value: (env) => env.cluster.name,
    scope: {
      aws: { within: 'account', why: 'it names IAM roles <cluster>-..., and IAM role names are unique per account' },
      gcp: { within: 'account', why: 'it names service accounts <cluster>-..., and service account ids are unique per project' },
      azure: { within: 'region', why: 'cluster names must be unique there' },
    },
  },
  {
    field: 'platform.addons.karpenter.interruptionQueue',
    value: (env) => {
      const karpenter = enabledConfigOf<KarpenterConfig>(env, 'karpenter');
      return karpenter && env.cloud === 'aws' ? karpenterQueueOf(env, karpenter) : undefined;
    },
    scope: { aws: { within: 'region', why: 'it names the SQS queue and its EventBridge rules <queue>-..., and those names are unique per account and region' } },
  },
];

/** An environment's {@link SHARED_SCOPE_NAMES} that an earlier environment of the same scope has too. */
function sharedNameProblems(env: Environment, earlier: readonly Environment[]): string[] {
  const here = placementOf(env);
  return SHARED_SCOPE_NAMES.flatMap(({ field, value, scope }) => {
    const rule = scope[env.cloud];
    const name = value(env);
    if (!rule || name === undefined) return [];
    const other = earlier.find((o) => {
      const there = placementOf(o);
      return o.name !== env.name && there.account === here.account && (rule.within === 'account' || there.region === here.region) && value(o) === name;
    });
    if (!other) return [];
    const where = rule.within === 'account' ? here.account : `${here.account}, ${here.region}`;
    return [`environment "${env.name}": ${field} ${describeValue(name)} is used by environment "${other.name}" in ${where} (${rule.why}; give each environment its own)`];
  });
}

/** The resource group of an Azure environment: the configured one, or `rg-<env>-idpkit`. */
export const azureResourceGroupName = (env: EnvironmentOn<'azure'>): string => env.azure.resourceGroupName ?? `rg-${env.name}-idpkit`;

/**
 * The Azure resource groups idpkit creates in an environment's subscription, by what creates them:
 * the environment's own (its infra stack) and its state storage account's (that account's
 * bootstrap stack, shared by the environments whose state it holds).
 */
function azureResourceGroupsOf(env: Environment): { readonly name: string; readonly creator: string }[] {
  if (env.cloud !== 'azure') return [];
  const groups = [{ name: azureResourceGroupName(env), creator: `the resource group of environment "${env.name}"` }];
  if (env.state.backend === 'azurerm') groups.push({ name: env.state.resourceGroupName, creator: `the resource group of state storage account "${env.state.storageAccountName}"` });
  return groups;
}

/**
 * Resource groups two creators would both create in one subscription (each would fail, or destroy
 * the other's), and a state storage account named with two resource groups.
 */
function azureResourceGroupProblems(env: Environment, earlier: readonly Environment[]): string[] {
  if (env.cloud !== 'azure') return [];
  const label = `environment "${env.name}"`;
  const here = placementOf(env).account;
  const problems: string[] = [];
  const mine = azureResourceGroupsOf(env);
  const others = earlier.filter((o) => o.cloud === 'azure' && placementOf(o).account === here).flatMap((o) => azureResourceGroupsOf(o).map((group) => ({ ...group, env: o })));
  const [own, state] = mine;
  if (state && own.name.toLowerCase() === state.name.toLowerCase()) {
    problems.push(`${label}: state.resourceGroupName ${describeValue(state.name)} is also the environment's resource group (azure.resourceGroupName or its default rg-<env>-idpkit): the bootstrap stack creates it, so give state its own resource group`);
  }
  for (const group of mine) {
    const clash = others.find((other) => other.name.toLowerCase() === group.name.toLowerCase() && other.creator !== group.creator);
    if (clash) {
      const field = group === own ? 'azure.resourceGroupName' : 'state.resourceGroupName';
      problems.push(
        `${label}: ${field} ${describeValue(group.name)} is also ${clash.creator} (environment "${clash.env.name}") in ${here}; each is created by its own stack, so give each its own name`,
      );
    }
  }
  if (env.state.backend === 'azurerm') {
    const { storageAccountName, resourceGroupName } = env.state;
    const sharer = earlier.find((o) => o.state.backend === 'azurerm' && o.state.storageAccountName === storageAccountName && o.state.resourceGroupName !== resourceGroupName);
    if (sharer?.state.backend === 'azurerm') {
      problems.push(
        `${label}: state.resourceGroupName ${describeValue(resourceGroupName)} differs from ${describeValue(sharer.state.resourceGroupName)} of environment "${sharer.name}", which uses the same storage account "${storageAccountName}" (one storage account lives in one resource group)`,
      );
    }
  }
  return problems;
}

/**
 * Where an environment's remote state lives: the bucket (or storage account) and the account and
 * region that own it. Undefined for local state.
 */
export function stateLocationOf(env: Environment): { readonly name: string; readonly owner: string } | undefined {
  const { account, region } = placementOf(env);
  switch (env.state.backend) {
    case 's3':
      return { name: env.state.bucket, owner: `${account}, ${env.state.region ?? region}` };
    case 'azurerm':
    case 'gcs':
      return { name: env.state.backend === 'gcs' ? env.state.bucket : env.state.storageAccountName, owner: `${account}, ${region}` };
    case 'local':
      return undefined;
  }
}

/** Where the bootstrap stack of an environment's state location keeps its own state; undefined for local state. */
export function bootstrapStateOf(env: Environment): (typeof BOOTSTRAP_STATE_MODES)[number] | undefined {
  return env.state.backend === 'local' ? undefined : (env.state.bootstrap ?? 'local');
}

/** What `ci.permissions` entries are on each cloud, and how to check one. */
const CI_PERMISSION_FORMATS = {
  aws: { pattern: AWS_MANAGED_POLICY_ARN_PATTERN, what: 'a managed policy ARN (arn:aws:iam::aws:policy/<name> or arn:aws:iam::<account>:policy/<name>)' },
  azure: { pattern: /^\S(.*\S)?$/, what: 'a role name (e.g. Reader)' },
  gcp: { pattern: GCP_IAM_ROLE_PATTERN, what: 'an IAM role (roles/<name> or projects/<project>/roles/<name>)' },
} as const;

/** Checks of `ci` that depend on the cloud. */
function ciProblems(env: Environment): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  if (!env.ci) return problems;
  if (env.cloud === 'azure' && env.ci.github.oidcProviderExists !== undefined) {
    problems.push({
      path: ['ci', 'github', 'oidcProviderExists'],
      message: 'does not apply to Azure (each identity has its own federated credentials; there is no account-wide provider): remove it',
    });
  }
  const format = CI_PERMISSION_FORMATS[env.cloud];
  for (const purpose of ['plan', 'apply'] as const) {
    (env.ci.permissions?.[purpose] ?? []).forEach((entry, index) => {
      if (!format.pattern.test(entry)) problems.push({ path: ['ci', 'permissions', purpose, index], message: `is not ${format.what}` });
    });
  }
  return problems;
}

/** What each cloud adds to the DNS label rule of `cluster.name`: AKS DNS prefixes have 2 characters or more, GKE cluster names start with a letter. */
const CLUSTER_NAME_RULES: Readonly<Record<Environment['cloud'], (name: string) => string | undefined>> = {
  aws: () => undefined,
  azure: (name) => (name.length < 2 ? 'is shorter than 2 characters (it is the AKS DNS prefix)' : undefined),
  gcp: (name) => (/^[a-z]/.test(name) ? undefined : 'does not start with a letter (GKE cluster names must)'),
};

/** Checks that need several fields of one environment. */
function crossFieldProblems(env: Environment): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const rules = TIER_RULES[env.tier];
  const vpc = parseCidr(env.network.cidr);
  if (vpc && (vpc.prefix < 16 || vpc.prefix > 20)) {
    problems.push({ path: ['network', 'cidr'], message: 'must be a /16 to /20 block (clusters need room for node and pod IPs)' });
  }
  const azs = env.network.availabilityZoneCount ?? 3;
  if (azs < rules.minAvailabilityZones) {
    problems.push({
      path: ['network', 'availabilityZoneCount'],
      message: `is below the ${env.tier} tier's minimum of ${rules.minAvailabilityZones} (2 zones are allowed in dev only)`,
    });
  }
  if (!rules.allowOpenPublicEndpoint) {
    (env.cluster.publicEndpointCidrs ?? []).forEach((block, index) => {
      if (parseCidr(block)?.prefix === 0) {
        problems.push({
          path: ['cluster', 'publicEndpointCidrs', index],
          message: `opens the API endpoint to the whole internet, which the ${env.tier} tier forbids (list your office or VPN CIDRs, or none)`,
        });
      }
    });
  }
  const clusterNameProblem = CLUSTER_NAME_RULES[env.cloud](env.cluster.name);
  if (clusterNameProblem) problems.push({ path: ['cluster', 'name'], message: clusterNameProblem });
  const groupNames = new Set<string>();
  env.cluster.nodeGroups.forEach((group, index) => {
    (group.instanceTypes ?? []).forEach((type, typeIndex) => {
      const problem = machineTypeProblem(env.cloud, type);
      if (problem) problems.push({ path: ['cluster', 'nodeGroups', index, 'instanceTypes', typeIndex], message: problem });
    });
    const largest = Math.max(
      ...(group.instanceTypes ?? []).map((type) => machineVcpus(env.cloud, type) ?? 0),
      group.size ? NODE_MACHINE_TYPES[group.size].vcpus : 0,
    );
    if (largest > rules.maxNodeVcpus) {
      problems.push({
        path: ['cluster', 'nodeGroups', index, group.size ? 'size' : 'instanceTypes'],
        message: `has ${largest} vCPUs per node, above the ${env.tier} tier's limit of ${rules.maxNodeVcpus} (pick a smaller size; larger nodes are for higher tiers)`,
      });
    }
    const at = (field: string) => ['cluster', 'nodeGroups', index, field];
    if (groupNames.has(group.name)) problems.push({ path: at('name'), message: 'is used by another node group (names must be unique)' });
    groupNames.add(group.name);
    if (group.minSize > group.maxSize) {
      problems.push({ path: at('minSize'), message: `is greater than maxSize ${group.maxSize} (minSize must be <= maxSize)` });
    }
    if (group.desiredSize !== undefined && (group.desiredSize < group.minSize || group.desiredSize > group.maxSize)) {
      problems.push({ path: at('desiredSize'), message: `is outside minSize..maxSize (${group.minSize}..${group.maxSize})` });
    }
    if ((group.size === undefined) === (group.instanceTypes === undefined)) {
      problems.push({ path: at('size'), message: `needs size (allowed: ${NODE_SIZES.join(', ')}) or instanceTypes, but not both` });
    }
    const types = group.instanceTypes ?? [];
    if (env.cloud === 'aws' && new Set(types.map(instanceArchitecture)).size > 1) {
      problems.push({ path: at('instanceTypes'), message: 'mixes arm64 (Graviton) and x86_64 types; use one architecture per node group' });
    }
    for (const [key, value] of Object.entries(group.labels ?? {})) {
      const problem = nodeLabelProblem(key, value);
      if (problem) problems.push({ path: ['cluster', 'nodeGroups', index, 'labels', key], message: problem });
    }
    const poolNameProblem = env.cloud === 'azure' ? aksNodePoolNameProblem(group.name) : env.cloud === 'gcp' && !/^[a-z]/.test(group.name) ? 'does not start with a letter (GKE node pool names must)' : undefined;
    if (poolNameProblem) problems.push({ path: at('name'), message: poolNameProblem });
    if (env.cloud !== 'aws' && types.length > 1) {
      problems.push({ path: at('instanceTypes'), message: `lists ${types.length} machine types; a ${env.cloud} node pool takes exactly one` });
    }
  });
  const offHours = env.cluster.offHours;
  if (offHours && env.cloud !== 'aws') {
    problems.push({ path: ['cluster', 'offHours'], message: `is not available on ${env.cloud}: ${OFF_HOURS_NOT_NATIVE[env.cloud]} Remove it.` });
  }
  const databaseNames = new Set<string>();
  (env.databases ?? []).forEach((database, index) => {
    if (databaseNames.has(database.name)) problems.push({ path: ['databases', index, 'name'], message: 'is used by another database (names must be unique)' });
    databaseNames.add(database.name);
    if (database.externalSecret && !enabledConfigOf(env, 'externalSecrets')) {
      problems.push({ path: ['databases', index, 'externalSecret'], message: 'needs platform.addons.externalSecrets.enabled: true (External Secrets syncs the connection details)' });
    }
    if (env.cloud === 'azure') {
      const at = (field: string) => ['databases', index, field];
      if (!(AZURE_POSTGRES_STORAGE_GIB as readonly number[]).includes(database.storageGiB)) {
        problems.push({ path: at('storageGiB'), message: `is not a flexible server storage size (allowed: ${AZURE_POSTGRES_STORAGE_GIB.join(', ')})` });
      }
      if (database.size === 'small' && (database.highAvailability ?? rules.databaseHighAvailability)) {
        problems.push({
          path: at('size'),
          message: `is Burstable on Azure, which has no high availability (the ${env.tier} tier asks for it): use medium or larger, or highAvailability: false`,
        });
      }
      if ((database.backupRetentionDays ?? rules.databaseBackupRetentionDays) < AZURE_MIN_BACKUP_RETENTION_DAYS) {
        problems.push({ path: at('backupRetentionDays'), message: `is below Azure's minimum of ${AZURE_MIN_BACKUP_RETENTION_DAYS} days` });
      }
    }
    const vcpus = DATABASE_SIZE_VCPUS[database.size];
    if (vcpus > rules.maxDatabaseVcpus) {
      const allowed = DATABASE_SIZES.filter((size) => DATABASE_SIZE_VCPUS[size] <= rules.maxDatabaseVcpus);
      problems.push({
        path: ['databases', index, 'size'],
        message: `has ${vcpus} vCPUs, above the ${env.tier} tier's limit of ${rules.maxDatabaseVcpus} (allowed in ${env.tier}: ${allowed.join(', ')})`,
      });
    }
  });
  problems.push(...addonProblems(env));
  problems.push(...ciProblems(env));
  problems.push(...tagProblems(env.cloud, env.tags ?? {}, { owner: env.owner, costCenter: env.costCenter }).map(({ path, message }) => ({ path: [...path], message })));
  const repositories = new Set<string>();
  env.registry.repositories.forEach((repository, index) => {
    if (repositories.has(repository)) problems.push({ path: ['registry', 'repositories', index], message: 'is listed twice' });
    repositories.add(repository);
  });
  return problems;
}

/**
 * Validates one environment. Throws an {@link IdpkitError} (code IDPKIT_INVALID_ENVIRONMENT) that
 * lists every problem with the environment, the field path, the bad value and what is allowed.
 *
 * @param config the environment, e.g. parsed from a YAML file
 * @param source where it came from (a file path), named in messages
 */
export function validateEnvironment(config: unknown, source?: string): Environment {
  const structural = structureProblems(config);
  if (structural.length > 0) {
    const label = where(config, source);
    throw new IdpkitError(
      'IDPKIT_INVALID_ENVIRONMENT',
      structural.map(({ path, message }) => `${label}: ${formatPath(path) || '(the environment)'} ${message}`),
    );
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    const kind = config === null ? 'null' : config === undefined ? 'missing (undefined)' : Array.isArray(config) ? 'a list' : `a ${typeof config}`;
    throw new IdpkitError('IDPKIT_INVALID_ENVIRONMENT', [`${where(config, source)}: is ${kind}, not an environment (an object with name, tier, size, cloud, ...; see docs/environments.md)`]);
  }
  const merge = applyPreset(config, PRESET_ADDON_FACTS);
  const result = environmentSchema.safeParse(merge.config, {
    error: (issue) =>
      issue.code === 'invalid_type'
        ? issue.input === undefined
          ? `is required (expected ${issue.expected})`
          : `is a ${Array.isArray(issue.input) ? 'list' : typeof issue.input} (expected ${issue.expected})`
        : undefined,
  });
  const label = where(config, source);
  // A problem of the whole environment (an unknown top-level field) names no field and repeats no value.
  const describe = (path: readonly PropertyKey[], message: string) =>
    [path.length === 0 ? `${label}: ${message}` : `${label}: ${formatPath(path)} ${describeValue(valueAt(merge.config, path))} ${message}`, presetHint(merge, path)].filter(Boolean).join(' ');
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const message = issue.code === 'unrecognized_keys' ? `has unknown field(s) ${issue.keys.join(', ')} (remove or correct them)` : issue.message;
      return describe(issue.path, message);
    });
    throw new IdpkitError('IDPKIT_INVALID_ENVIRONMENT', problems);
  }
  const env = result.data as Environment;
  const problems = crossFieldProblems(env).map(({ path, message }) => describe(path, message));
  if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_ENVIRONMENT', problems);
  return env;
}

/** A validated policy file (`{ suppressions: [...] }`, the environment `policy` field's format). */
export type PolicyConfig = z.output<typeof policySchema>;

/**
 * Validates a policy file read for `idpkit check --suppressions`. Throws an {@link IdpkitError}
 * (code IDPKIT_INVALID_POLICY) naming the file, the field, the bad value and what is allowed.
 */
export function validatePolicy(config: unknown, source: string): PolicyConfig {
  const result = policySchema.safeParse(config, {
    error: (issue) => (issue.code === 'invalid_type' ? (issue.input === undefined ? `is required (expected ${issue.expected})` : `is not a ${issue.expected}`) : undefined),
  });
  if (result.success) return result.data;
  throw new IdpkitError(
    'IDPKIT_INVALID_POLICY',
    result.error.issues.map((issue) => {
      const message = issue.code === 'unrecognized_keys' ? `has unknown field(s) ${issue.keys.join(', ')} (allowed: suppressions, each { rule, resource, reason })` : issue.message;
      return `${source}: ${formatPath(issue.path) || '(file)'} ${describeValue(valueAt(config, issue.path))} ${message}`;
    }),
  );
}

/**
 * Validates a set of environments, each alone and then together: names must be unique, CIDRs must
 * not overlap within an account (subscription, project), cluster names must be unique per account
 * and region, and environments sharing a state bucket must agree on its account and region.
 */
export function validateEnvironments(configs: readonly unknown[]): Environment[] {
  const problems: string[] = [];
  const environments: Environment[] = [];
  for (const [index, config] of configs.entries()) {
    try {
      // An entry that is not an object has no name: say which entry of the set it is.
      environments.push(validateEnvironment(config, typeof config === 'object' && config !== null ? undefined : `entry ${index + 1} of ${configs.length} in the set`));
    } catch (error) {
      if (!(error instanceof IdpkitError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_ENVIRONMENT', problems);

  environments.forEach((env, index) => {
    const earlier = environments.slice(0, index);
    const label = `environment "${env.name}"`;
    const here = placementOf(env);
    if (earlier.some((other) => other.name === env.name)) {
      problems.push(`${label}: name ${describeValue(env.name)} is used by another environment (environment names must be unique)`);
    }
    const block = parseCidr(env.network.cidr);
    for (const other of earlier.filter((o) => placementOf(o).account === here.account && o.name !== env.name)) {
      const otherBlock = parseCidr(other.network.cidr);
      if (block && otherBlock && cidrsOverlap(block, otherBlock)) {
        problems.push(
          `${label}: network.cidr ${describeValue(env.network.cidr)} overlaps ${other.network.cidr} of environment "${other.name}" in ${here.account} (give each environment its own range)`,
        );
      }
    }
    problems.push(...sharedNameProblems(env, earlier), ...azureResourceGroupProblems(env, earlier));
    const repository = env.cloud === 'gcp' && env.ci && env.state.backend !== 'local' ? `${env.ci.github.owner}/${env.ci.github.repo}` : undefined;
    const otherRepository = earlier.find(
      (o) => o.cloud === 'gcp' && o.ci && o.state.backend !== 'local' && placementOf(o).account === here.account && `${o.ci.github.owner}/${o.ci.github.repo}` !== repository,
    );
    if (repository && otherRepository?.ci) {
      problems.push(
        `${label}: ci.github ${describeValue(repository)} differs from ${otherRepository.ci.github.owner}/${otherRepository.ci.github.repo} of environment "${otherRepository.name}" in ${here.account} (the project's one workload identity pool trusts one repository: deploy them from one)`,
      );
    }
    const location = stateLocationOf(env);
    const sharer = location && earlier.find((o) => stateLocationOf(o)?.name === location.name);
    if (location && sharer && stateLocationOf(sharer)!.owner !== location.owner) {
      problems.push(
        `${label}: state ${describeValue(location.name)} is also used by environment "${sharer.name}" in another account or region (one bucket lives in one account and region; use one per account)`,
      );
    }
    if (location && sharer && bootstrapStateOf(sharer) !== bootstrapStateOf(env)) {
      problems.push(
        `${label}: state.bootstrap ${describeValue(bootstrapStateOf(env))} differs from ${describeValue(bootstrapStateOf(sharer))} of environment "${sharer.name}", which shares state ${describeValue(location.name)} (one bootstrap stack, bootstrap-${location.name}, keeps one state: set the same value in both)`,
      );
    }
  });
  if (problems.length > 0) throw new IdpkitError('IDPKIT_ENVIRONMENT_CONFLICT', problems);
  return environments;
}
