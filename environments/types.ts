/**
 * The environment schema: one typed config per environment (dev.ts, staging.ts, prod.ts or a
 * JSON/YAML file), validated by one zod schema so every source gets the same checks and messages.
 */
import { z } from 'zod';
import { cidrsOverlap, parseCidr } from '../constructs/core/cidr';
import { IdpkitError, describeValue } from '../constructs/core/errors';
import { TIERS, TIER_RULES } from '../constructs/core/tiers';
import { EKS_KUBERNETES_VERSIONS } from '../constructs/infrastructure/cluster/eks-versions';
import { instanceArchitecture } from '../constructs/infrastructure/private/ec2';
import { CLOUDWATCH_RETENTION_DAYS } from '../constructs/infrastructure/private/log-retention';
import { REPOSITORY_NAME, REPOSITORY_NAME_RULE } from '../constructs/infrastructure/registry';
import { AWS_REGIONS } from '../constructs/integration/provider/regions';

export const SIZES = ['small', 'medium', 'large'] as const;

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const oneOf = (values: readonly (string | number)[]) => `allowed: ${values.join(', ')}`;

const dnsLabel = (maxLength: number) =>
  z
    .string()
    .max(maxLength, `is longer than ${maxLength} characters`)
    .regex(DNS_1123_LABEL, 'is not a DNS-1123 label (lowercase letters, digits and "-", starting and ending with a letter or digit)');

const cidr = z.string().refine((value) => parseCidr(value) !== undefined, {
  message: 'is not a valid IPv4 CIDR with no host bits set (expected e.g. 10.0.0.0/16)',
});

const region = z.enum(AWS_REGIONS, { error: `is not a known AWS region (${oneOf(AWS_REGIONS)})` });

const retentionDays = z
  .number()
  .refine((days) => (CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(days), {
    message: `is not a CloudWatch Logs retention period (${oneOf(CLOUDWATCH_RETENTION_DAYS)})`,
  });

const count = z.number().int('is not a whole number').nonnegative('is negative');

const nodeGroupSchema = z.strictObject({
  /** Node group name, unique in the cluster. */
  name: dnsLabel(38),
  /** EC2 instance types, all of one CPU architecture, e.g. ["m6i.large", "m6a.large"]. */
  instanceTypes: z
    .array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'is not an EC2 instance type (expected e.g. m6i.large)'))
    .min(1, 'is empty (list at least one instance type)'),
  /** Fewest nodes. */
  minSize: count,
  /** Most nodes. */
  maxSize: count.min(1, 'must be at least 1'),
  /** Nodes at creation; afterwards the cluster autoscaler owns it. @default minSize */
  desiredSize: count.optional(),
  /** Root volume size. @default 50 */
  diskSizeGiB: z.number().int().min(20, 'must be at least 20').max(16384, 'must be at most 16384').optional(),
  /** ON_DEMAND or SPOT. @default "ON_DEMAND" */
  capacityType: z.enum(['ON_DEMAND', 'SPOT'], { error: `is not a capacity type (${oneOf(['ON_DEMAND', 'SPOT'])})` }).optional(),
  /** Kubernetes labels on the nodes. @default {} */
  labels: z.record(z.string(), z.string()).optional(),
});

/** The zod schema of one environment. */
export const environmentSchema = z.strictObject({
  /** Environment name: a DNS-1123 label, used in stack names (`<name>-infra`) and resource names. */
  name: dnsLabel(20),
  /** How much availability and protection the environment needs (see TIER_RULES). */
  tier: z.enum(TIERS, { error: `is not a tier (${oneOf(TIERS)})` }),
  /** Company-size preset. */
  size: z.enum(SIZES, { error: `is not a size (${oneOf(SIZES)})` }),
  /** Cloud the environment runs on. */
  cloud: z.literal('aws', { error: 'is not a supported cloud (allowed: aws)' }),
  /** Owning team, set as the `owner` tag on every resource. */
  owner: z.string().min(1, 'is empty (name the owning team)'),
  /** Cost center, set as the `cost-center` tag on every resource. */
  costCenter: z.string().min(1, 'is empty (name the cost center)'),
  /** Extra tags on every resource. @default {} */
  tags: z.record(z.string(), z.string()).optional(),
  aws: z.strictObject({
    /** 12-digit AWS account id; the provider refuses to run against any other account. */
    accountId: z.string().regex(/^\d{12}$/, 'is not a 12-digit AWS account id'),
    /** Region of the environment's resources. */
    region,
  }),
  /** Where Terraform state lives. */
  state: z.discriminatedUnion(
    'backend',
    [
      z.strictObject({
        backend: z.literal('s3'),
        /** State bucket, created by the bootstrap stack in the environment's account. */
        bucket: z
          .string()
          .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'is not a valid S3 bucket name (3-63 lowercase letters, digits, "." and "-")'),
        /** Region of the state bucket. @default aws.region */
        region: region.optional(),
      }),
      z.strictObject({
        backend: z.literal('local'),
        /** Directory of the state files, relative to the stack's directory. @default Terraform's default */
        path: z.string().optional(),
      }),
    ],
    { error: 'is not a state backend (allowed: s3, or local for experiments)' },
  ),
  network: z.strictObject({
    /** VPC CIDR, /16 to /20; must not overlap other environments in the same account. */
    cidr,
    /** Availability zones to span: 3, or 2 in dev. @default 3 */
    availabilityZoneCount: z.union([z.literal(2), z.literal(3)], { error: 'is not an availability zone count (allowed: 2, 3)' }).optional(),
    /** NAT gateways. @default tier rule: one-per-az in prod, single elsewhere */
    natGateways: z.enum(['single', 'one-per-az'], { error: 'is not a NAT layout (allowed: single, one-per-az)' }).optional(),
    /** VPC flow log retention. @default tier rule */
    flowLogRetentionDays: retentionDays.optional(),
  }),
  cluster: z.strictObject({
    /** EKS cluster name. */
    name: dnsLabel(40),
    /** Kubernetes version, pinned. */
    kubernetesVersion: z.enum(EKS_KUBERNETES_VERSIONS, {
      error: `is not a supported Kubernetes version (${oneOf(EKS_KUBERNETES_VERSIONS)})`,
    }),
    /** IAM role or user ARN granted cluster admin through an EKS access entry. */
    adminPrincipalArn: z
      .string()
      .regex(/^arn:aws:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/, 'is not an IAM role or user ARN (expected arn:aws:iam::<account>:role/<name>)'),
    /** CIDRs allowed to reach the public API endpoint; empty keeps the endpoint private. @default [] */
    publicEndpointCidrs: z.array(cidr).optional(),
    /** Control-plane log retention. @default tier rule */
    logRetentionDays: retentionDays.optional(),
    /** Managed node groups. */
    nodeGroups: z.array(nodeGroupSchema).min(1, 'is empty (define at least one node group)'),
  }),
  registry: z.strictObject({
    /** ECR repositories: "/"-separated DNS-1123 labels, e.g. "platform/backstage". */
    repositories: z.array(
      z
        .string()
        .max(256, 'is longer than 256 characters')
        .regex(REPOSITORY_NAME, `is not a repository name (${REPOSITORY_NAME_RULE})`),
    ),
    /** Days after which untagged images expire. @default 14 */
    untaggedImageExpiryDays: z.number().int().min(1, 'must be at least 1').optional(),
  }),
});

/** One environment's configuration, as written in environments/*.ts or a JSON/YAML file. */
export type EnvironmentConfig = z.input<typeof environmentSchema>;

/** A validated environment. */
export type Environment = z.output<typeof environmentSchema>;

/** Where an environment's config came from, for error messages. */
const where = (config: unknown, source?: string): string => {
  const name = typeof config === 'object' && config !== null ? (config as { name?: unknown }).name : undefined;
  const label = typeof name === 'string' && name !== '' ? `environment "${name}"` : 'environment (unnamed)';
  return source ? `${label} (${source})` : label;
};

const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');

const valueAt = (config: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined), config);

/** Checks that need several fields of one environment. */
function crossFieldProblems(env: Environment): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const rules = TIER_RULES[env.tier];
  const vpc = parseCidr(env.network.cidr);
  if (vpc && (vpc.prefix < 16 || vpc.prefix > 20)) {
    problems.push({ path: ['network', 'cidr'], message: 'must be a /16 to /20 block (EKS needs room for pod IPs)' });
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
  const groupNames = new Set<string>();
  env.cluster.nodeGroups.forEach((group, index) => {
    const at = (field: string) => ['cluster', 'nodeGroups', index, field];
    if (groupNames.has(group.name)) problems.push({ path: at('name'), message: 'is used by another node group (names must be unique)' });
    groupNames.add(group.name);
    if (group.minSize > group.maxSize) {
      problems.push({ path: at('minSize'), message: `is greater than maxSize ${group.maxSize} (minSize must be <= maxSize)` });
    }
    if (group.desiredSize !== undefined && (group.desiredSize < group.minSize || group.desiredSize > group.maxSize)) {
      problems.push({ path: at('desiredSize'), message: `is outside minSize..maxSize (${group.minSize}..${group.maxSize})` });
    }
    const architectures = new Set(group.instanceTypes.map(instanceArchitecture));
    if (architectures.size > 1) {
      problems.push({ path: at('instanceTypes'), message: 'mixes arm64 (Graviton) and x86_64 types; use one architecture per node group' });
    }
  });
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
  const result = environmentSchema.safeParse(config, {
    error: (issue) =>
      issue.code === 'invalid_type'
        ? issue.input === undefined
          ? `is required (expected ${issue.expected})`
          : `is a ${Array.isArray(issue.input) ? 'list' : typeof issue.input} (expected ${issue.expected})`
        : undefined,
  });
  const label = where(config, source);
  const describe = (path: readonly PropertyKey[], message: string) =>
    `${label}: ${formatPath(path)} ${describeValue(valueAt(config, path))} ${message}`;
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const message = issue.code === 'unrecognized_keys' ? `has unknown field(s) ${issue.keys.join(', ')} (remove or correct them)` : issue.message;
      return describe(issue.path, message);
    });
    throw new IdpkitError('IDPKIT_INVALID_ENVIRONMENT', problems);
  }
  const problems = crossFieldProblems(result.data).map(({ path, message }) => describe(path, message));
  if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_ENVIRONMENT', problems);
  return result.data;
}

/**
 * Validates a set of environments, each alone and then together: names must be unique, CIDRs must
 * not overlap within an AWS account, cluster names must be unique per account and region, and
 * environments sharing a state bucket must agree on its account and region.
 */
export function validateEnvironments(configs: readonly unknown[]): Environment[] {
  const problems: string[] = [];
  const environments: Environment[] = [];
  for (const config of configs) {
    try {
      environments.push(validateEnvironment(config));
    } catch (error) {
      if (!(error instanceof IdpkitError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_ENVIRONMENT', problems);

  environments.forEach((env, index) => {
    const earlier = environments.slice(0, index);
    const label = `environment "${env.name}"`;
    if (earlier.some((other) => other.name === env.name)) {
      problems.push(`${label}: name ${describeValue(env.name)} is used by another environment (environment names must be unique)`);
    }
    const block = parseCidr(env.network.cidr);
    for (const other of earlier.filter((o) => o.aws.accountId === env.aws.accountId && o.name !== env.name)) {
      const otherBlock = parseCidr(other.network.cidr);
      if (block && otherBlock && cidrsOverlap(block, otherBlock)) {
        problems.push(
          `${label}: network.cidr ${describeValue(env.network.cidr)} overlaps ${other.network.cidr} of environment "${other.name}" in account ${env.aws.accountId} (give each environment its own range)`,
        );
      }
      if (other.aws.region === env.aws.region && other.cluster.name === env.cluster.name) {
        problems.push(
          `${label}: cluster.name ${describeValue(env.cluster.name)} is used by environment "${other.name}" in the same account and region (cluster names must be unique there)`,
        );
      }
    }
    if (env.state.backend === 's3') {
      const bucket = env.state.bucket;
      const owner = earlier.find((o) => o.state.backend === 's3' && o.state.bucket === bucket);
      if (owner && (owner.aws.accountId !== env.aws.accountId || stateRegion(owner) !== stateRegion(env))) {
        problems.push(
          `${label}: state.bucket ${describeValue(bucket)} is also used by environment "${owner.name}" in another account or region (one bucket lives in one account and region; use a bucket per account)`,
        );
      }
    }
  });
  if (problems.length > 0) throw new IdpkitError('IDPKIT_ENVIRONMENT_CONFLICT', problems);
  return environments;
}

/** The region of an environment's state bucket. */
export function stateRegion(env: Environment): string {
  return env.state.backend === 's3' ? (env.state.region ?? env.aws.region) : env.aws.region;
}
