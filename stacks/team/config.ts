/**
 * The team config: what a product team declares in its own cdktf app to get a namespace, quotas,
 * RBAC, registry repositories, buckets, databases and workloads in an environment the platform
 * team's stacks created. Validated by one zod schema, with messages naming the field.
 */
import { z } from 'zod';
import { DATABASE_SIZES, DATABASE_SIZE_VCPUS, DatabaseSize } from '../../constructs/capabilities/database';
import { IdpkitError, describeValue } from '../../constructs/core/errors';
import { TIER_RULES } from '../../constructs/core/tiers';
import { REPOSITORY_NAME, REPOSITORY_NAME_RULE } from '../../constructs/infrastructure/registry';
import { DATABASE_CLAIM_DEFAULTS } from '../../constructs/orchestration/crossplane/databases';
import {
  TENANT_QUOTA_DEFAULTS,
  TenantQuota,
  adminGroupCloudProblem,
  adminGroupProblem,
  costCenterLabelValue,
  costCenterProblem,
  cpuQuotaProblem,
  memoryQuotaProblem,
  podsQuotaProblem,
  teamNameProblem,
} from '../../constructs/orchestration/tenancy/tenancy';
import type { ScoreWorkloadSpec } from '../../constructs/orchestration/workloads/types';
import { Environment, EnvironmentConfig, validateEnvironment } from '../../environments/types';
import { enabledAddons } from '../platform/catalog';

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Short names of a team's buckets and databases: a lowercase letter, then lowercase letters, digits and single hyphens, 3 to 24 characters. */
const RESOURCE_NAME = /^[a-z](?!.*--)[a-z0-9-]{1,22}[a-z0-9]$/;
const RESOURCE_NAME_RULE = 'a lowercase letter, then lowercase letters, digits and single hyphens, 3 to 24 characters, e.g. "uploads"';

/** Defaults of {@link TeamConfig}, in one place. */
export const TEAM_DEFAULTS = {
  /** Database size when a database names none. */
  databaseSize: 'small' as DatabaseSize,
  /** Database storage when a database names none, GiB (the smallest every cloud and the PostgreSQLInstance API accept). */
  databaseStorageGiB: DATABASE_CLAIM_DEFAULTS.storageGiB,
  /** Largest database storage a team may ask for, GiB (what the PostgreSQLInstance API accepts). */
  databaseMaxStorageGiB: 16384,
} as const;

/** A type error's message: `message` for a value of the wrong type, "is required" for none. */
const typeError = (message: string) => (issue: { readonly input?: unknown }) => (issue.input === undefined ? 'is required' : message);

/** A string checked by one of the tenancy rules (the same messages as the platform's tenancy add-on). */
const checked = (problem: (value: string) => string | undefined) =>
  z.string({ error: typeError('is not a string') }).superRefine((value, ctx) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: 'custom', message });
  });

const serviceAccountName = z
  .string({ error: typeError('is not a string') })
  .max(63, 'is longer than 63 characters')
  .regex(DNS_1123_LABEL, 'is not a service account name (a DNS label: lowercase letters, digits and "-", e.g. "api")');

const groupSchema = checked(adminGroupProblem);

const membersSchema = z.strictObject({
  /** The group bound to the `admin` ClusterRole in the namespace: a Kubernetes group (EKS access entries' `kubernetesGroups`), an Entra ID group object id (AKS) or a Google Group e-mail (GKE). */
  admin: groupSchema,
  /** Groups bound to the `edit` ClusterRole. @default [] */
  edit: z.array(groupSchema, { error: typeError('is not a list of groups') }).optional(),
  /** Groups bound to the `view` ClusterRole. @default [] */
  view: z.array(groupSchema, { error: typeError('is not a list of groups') }).optional(),
});

const quotaSchema = z.strictObject({
  /** CPU requests of all pods, in cores ("4") or millicores ("500m"). @default - the tier's TENANT_QUOTA_DEFAULTS */
  cpu: checked(cpuQuotaProblem).optional(),
  /** Memory requests and limits of all pods, with a unit ("8Gi"). @default - the tier's TENANT_QUOTA_DEFAULTS */
  memory: checked(memoryQuotaProblem).optional(),
  /** Pods. @default - the tier's TENANT_QUOTA_DEFAULTS */
  pods: z
    .number({ error: typeError('is not a number') })
    .superRefine((value, ctx) => {
      const message = podsQuotaProblem(value);
      if (message) ctx.addIssue({ code: 'custom', message });
    })
    .optional(),
});

const resourceName = z.string({ error: typeError('is not a string') }).regex(RESOURCE_NAME, `is not a name (${RESOURCE_NAME_RULE})`);

const databaseSchema = z.strictObject({
  /** Short name, unique in the team: the PostgreSQLInstance's (or managed server's) name. */
  name: resourceName,
  /** Compute size of the idpkit database size table. @default "small" */
  size: z.enum(DATABASE_SIZES, { error: `is not a database size (allowed: ${DATABASE_SIZES.join(', ')})` }).optional(),
  /** Storage, GiB. @default 20 */
  storageGiB: z
    .number({ error: typeError('is not a number') })
    .int('is not a whole number of GiB')
    .min(TEAM_DEFAULTS.databaseStorageGiB, `is below ${TEAM_DEFAULTS.databaseStorageGiB} GiB (the smallest every cloud accepts)`)
    .max(TEAM_DEFAULTS.databaseMaxStorageGiB, `is above ${TEAM_DEFAULTS.databaseMaxStorageGiB} GiB (the largest the PostgreSQLInstance API accepts)`)
    .optional(),
});

const bucketSchema = z.strictObject({
  /** Short name, unique in the team; the cloud name adds the team, environment and account or project. */
  name: resourceName,
  /** Service accounts of the team's namespace that read and write the bucket through workload identity. @default [] */
  serviceAccounts: z.array(serviceAccountName, { error: typeError('is not a list of service account names') }).optional(),
  /** Keep previous object versions (30 days). @default false */
  versioning: z.boolean({ error: typeError('is not true or false') }).optional(),
  /** Delete objects this many days after they are written. @default - never */
  expiryDays: z.number({ error: typeError('is not a number') }).int('is not a whole number of days').min(1, 'must be at least 1 day').optional(),
});

const workloadSchema = z.union(
  [
    z.string({ error: typeError('is not a path') }).min(1, 'is empty (give the path of a Score file)'),
    z.looseObject({ apiVersion: z.literal('score.dev/v1b1', { error: 'is not "score.dev/v1b1"' }), metadata: z.looseObject({ name: z.string({ error: typeError('is not a string') }) }) }),
  ],
  { error: 'is not a Score file path or a parsed Score workload (apiVersion "score.dev/v1b1")' },
);

/** The zod schema of a team config, without its environment (validated by the environment schema). */
export const teamConfigSchema = z.strictObject({
  /** Team name: a DNS label, the name of its namespace and part of every resource name. */
  team: checked(teamNameProblem),
  /** Who owns the team's resources: the `owner` tag (label on GCP) of every cloud resource. */
  owner: z.string({ error: typeError('is not a string') }).trim().min(1, 'is empty (name the owning team or person)'),
  /** Cost center: the `cost-center` tag and namespace label. @default - the environment's cost center */
  costCenter: checked(costCenterProblem).optional(),
  /** The platform environment the team deploys into: its config (e.g. the JSON the platform team shares, read with loadEnvironmentFile) or a validated environment. */
  environment: z.unknown().optional(),
  /** Who may do what in the namespace. */
  members: membersSchema,
  /** The namespace's ResourceQuota; fields left out take the tier's default. @default - the tier's TENANT_QUOTA_DEFAULTS */
  quota: quotaSchema.optional(),
  /** Container image repositories of the team, e.g. "api" (`<env>/<team>/api`). @default [] */
  repositories: z
    .array(z.string({ error: typeError('is not a string') }).regex(REPOSITORY_NAME, `is not a repository name (${REPOSITORY_NAME_RULE})`), { error: typeError('is not a list of repository names') })
    .optional(),
  /** PostgreSQL databases. @default [] */
  databases: z.array(databaseSchema, { error: typeError('is not a list of databases ({ name, size?, storageGiB? })') }).optional(),
  /** Object storage buckets. @default [] */
  buckets: z.array(bucketSchema, { error: typeError('is not a list of buckets ({ name, serviceAccounts?, versioning?, expiryDays? })') }).optional(),
  /** Score workloads: paths of Score files (relative to the app's directory) or parsed specs, rendered by the Score engine. @default [] */
  workloads: z.array(workloadSchema, { error: typeError('is not a list of Score files or specs') }).optional(),
});

/** A team config, as written in the team's cdktf app or a JSON/YAML file. */
export type TeamConfig = Omit<z.input<typeof teamConfigSchema>, 'environment' | 'workloads'> & {
  /** The platform environment the team deploys into: its config or a validated environment. */
  readonly environment: EnvironmentConfig | Environment;
  /** Score workloads: paths of Score files or parsed specs. @default [] */
  readonly workloads?: readonly (string | ScoreWorkloadSpec)[];
};

/** A team's database with its defaults filled in. */
export interface TeamDatabase {
  /** Short name, unique in the team. */
  readonly name: string;
  /** Compute size of the idpkit database size table. */
  readonly size: DatabaseSize;
  /** Storage, GiB. */
  readonly storageGiB: number;
}

/** A team's bucket with its defaults filled in. */
export interface TeamBucket {
  /** Short name, unique in the team. */
  readonly name: string;
  /** Service accounts of the namespace that read and write it, each once. */
  readonly serviceAccounts: readonly string[];
  /** Keep previous object versions. */
  readonly versioning: boolean;
  /** Delete objects this many days after they are written. @default - never */
  readonly expiryDays?: number;
}

/** A validated team config: every default filled in, the environment validated. */
export interface Team {
  /** Team name: its namespace. */
  readonly team: string;
  /** Owner of the team's resources. */
  readonly owner: string;
  /** The cost center as given, else the environment's. */
  readonly costCenter: string;
  /** The validated platform environment. */
  readonly environment: Environment;
  /** Groups bound to admin, edit and view in the namespace. */
  readonly members: { readonly admin: string; readonly edit: readonly string[]; readonly view: readonly string[] };
  /** The quota, the tier's defaults filled in. */
  readonly quota: TenantQuota;
  /** Image repository names. */
  readonly repositories: readonly string[];
  readonly databases: readonly TeamDatabase[];
  readonly buckets: readonly TeamBucket[];
  /** Score file paths or parsed specs. */
  readonly workloads: readonly (string | ScoreWorkloadSpec)[];
  /** Where the config came from (a file), for messages. @default - none */
  readonly source?: string;
}

const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');

const valueAt = (config: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined), config);

/** How messages name a team config: `team "payments" (team.ts)`. */
export function teamLabel(config: unknown, source?: string): string {
  const name = typeof config === 'object' && config !== null ? (config as { team?: unknown }).team : undefined;
  const label = typeof name === 'string' && name !== '' ? `team "${name}"` : 'team (unnamed)';
  return source ? `${label} (${source})` : label;
}

/** Whether the environment runs the Crossplane PostgreSQLInstance API (`platform.addons.crossplane.databases.enabled`). */
export function runsDatabaseApi(env: Environment): boolean {
  const crossplane = enabledAddons(env).find(({ addon }) => addon.key === 'crossplane');
  return (crossplane?.config as { databases?: { enabled?: boolean } } | undefined)?.databases?.enabled === true;
}

/** Checks that need the validated environment: group formats of its cloud, clashes with the platform, what its cloud and tier allow. */
function environmentProblems(team: Omit<Team, 'source'>): { path: (string | number)[]; message: string }[] {
  const env = team.environment;
  const problems: { path: (string | number)[]; message: string }[] = [];
  if (env.state.backend === 'local') {
    problems.push({ path: ['environment', 'state', 'backend'], message: `is "local": a team stack reads the platform's stacks through remote state (S3, azurerm or GCS)` });
  }
  const groups: [(string | number)[], string][] = [
    [['members', 'admin'], team.members.admin],
    ...team.members.edit.map((group, i): [(string | number)[], string] => [['members', 'edit', i], group]),
    ...team.members.view.map((group, i): [(string | number)[], string] => [['members', 'view', i], group]),
  ];
  for (const [path, group] of groups) {
    const problem = adminGroupCloudProblem(group, env.cloud);
    if (problem) problems.push({ path, message: `${problem} (environment "${env.name}" runs on ${env.cloud})` });
  }
  const tenancy = enabledAddons(env).find(({ addon }) => addon.key === 'tenancy')?.config as { teams?: { name: string }[] } | undefined;
  if (tenancy?.teams?.some((tenant) => tenant.name === team.team)) {
    problems.push({
      path: ['team'],
      message: `is also a tenant of environment "${env.name}" (platform.addons.tenancy.teams), which creates that namespace: remove it there, or give the team stack another name`,
    });
  }
  const rules = TIER_RULES[env.tier];
  const databaseApi = runsDatabaseApi(env);
  team.databases.forEach((database, i) => {
    if (DATABASE_SIZE_VCPUS[database.size] > rules.maxDatabaseVcpus) {
      const allowed = DATABASE_SIZES.filter((size) => DATABASE_SIZE_VCPUS[size] <= rules.maxDatabaseVcpus);
      problems.push({ path: ['databases', i, 'size'], message: `has ${DATABASE_SIZE_VCPUS[database.size]} vCPUs, above the ${env.tier} tier's limit of ${rules.maxDatabaseVcpus} (allowed in ${env.tier}: ${allowed.join(', ')})` });
    }
    if (!databaseApi && env.cloud !== 'aws') {
      problems.push({
        path: ['databases', i],
        message: `needs the PostgreSQLInstance API, which environment "${env.name}" does not run (platform.addons.crossplane.databases); on ${env.cloud} a team stack creates no managed database server itself (see docs/team-stacks.md): ask the platform team to enable the API`,
      });
    }
    if (env.databases.some((platformDatabase) => platformDatabase.name === `${team.team}-${database.name}`)) {
      problems.push({ path: ['databases', i, 'name'], message: `makes "${team.team}-${database.name}", also a database of environment "${env.name}": choose another name` });
    }
  });
  return problems;
}

/** Names listed twice in a list of named entries, as problems at `<field>[i].name`. */
function duplicateNames(field: string, entries: readonly { readonly name: string }[]): { path: (string | number)[]; message: string }[] {
  const first = new Map<string, number>();
  return entries.flatMap((entry, i) => {
    const earlier = first.get(entry.name);
    if (earlier === undefined) {
      first.set(entry.name, i);
      return [];
    }
    return [{ path: [field, i, 'name'], message: `is also the name of ${field}[${earlier}] (make names unique)` }];
  });
}

/**
 * Validates a team config. Throws an {@link IdpkitError} (code IDPKIT_INVALID_TEAM) listing every
 * problem, each naming the team, the field path, the bad value and what is allowed; problems of
 * the environment itself come from the environment schema (IDPKIT_INVALID_ENVIRONMENT).
 *
 * @param config the team config, e.g. parsed from a JSON file
 * @param source where it came from (a file path), named in messages
 */
export function validateTeamConfig(config: unknown, source?: string): Team {
  const label = teamLabel(config, source);
  const describe = (path: readonly PropertyKey[], message: string) => `${label}: ${formatPath(path)} ${describeValue(valueAt(config, path))} ${message}`;
  const result = teamConfigSchema.safeParse(config, {
    error: (issue) =>
      issue.code === 'invalid_type' ? (issue.input === undefined ? `is required (expected ${issue.expected})` : `is a ${Array.isArray(issue.input) ? 'list' : typeof issue.input} (expected ${issue.expected})`) : undefined,
  });
  const problems: string[] = [];
  if (!result.success) {
    problems.push(
      ...result.error.issues.map((issue) =>
        describe(issue.path, issue.code === 'unrecognized_keys' ? `has unknown field(s) ${issue.keys.join(', ')} (remove or correct them)` : issue.message),
      ),
    );
  }
  const raw = typeof config === 'object' && config !== null ? (config as { environment?: unknown }).environment : undefined;
  if (raw === undefined) problems.push(describe(['environment'], 'is required (the platform environment the team deploys into: its config or a validated environment)'));
  if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_TEAM', problems);
  const parsed = result.data!;
  const environment = validateEnvironment(raw, `${label}: environment`);
  const team: Omit<Team, 'source'> = {
    team: parsed.team,
    owner: parsed.owner,
    costCenter: parsed.costCenter ?? costCenterLabelValue(environment.costCenter) ?? environment.costCenter,
    environment,
    members: { admin: parsed.members.admin, edit: parsed.members.edit ?? [], view: parsed.members.view ?? [] },
    quota: { ...TENANT_QUOTA_DEFAULTS[environment.tier], ...parsed.quota },
    repositories: parsed.repositories ?? [],
    databases: (parsed.databases ?? []).map((database) => ({
      name: database.name,
      size: database.size ?? TEAM_DEFAULTS.databaseSize,
      storageGiB: database.storageGiB ?? TEAM_DEFAULTS.databaseStorageGiB,
    })),
    buckets: (parsed.buckets ?? []).map((bucket) => ({
      name: bucket.name,
      serviceAccounts: [...new Set(bucket.serviceAccounts ?? [])],
      versioning: bucket.versioning ?? false,
      expiryDays: bucket.expiryDays,
    })),
    workloads: (parsed.workloads ?? []) as (string | ScoreWorkloadSpec)[],
  };
  const repositories = new Map<string, number>();
  team.repositories.forEach((repository, i) => {
    const earlier = repositories.get(repository);
    if (earlier !== undefined) problems.push(describe(['repositories', i], `is also repositories[${earlier}] (list each repository once)`));
    else repositories.set(repository, i);
  });
  for (const { path, message } of [...duplicateNames('databases', team.databases), ...duplicateNames('buckets', team.buckets), ...environmentProblems(team)]) {
    problems.push(describe(path, message));
  }
  if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_TEAM', problems);
  return { ...team, source };
}
