/**
 * The environment schema: one typed config per environment (dev.ts, staging.ts, prod.ts or a
 * JSON/YAML file), validated by one zod schema so every source gets the same checks and messages.
 */
import { z } from 'zod';
import { cidrsOverlap, parseCidr } from '../constructs/core/cidr';
import { IdpkitError, describeValue } from '../constructs/core/errors';
import { ADDONS, enabledAddons } from '../stacks/platform/catalog';
import { karpenterQueueOf } from '../stacks/platform/cloud-integrations';
import { TIERS, TIER_RULES } from '../constructs/core/tiers';
import { CLOUDS } from '../constructs/core/clouds';
import { aksNodePoolNameProblem } from '../constructs/infrastructure/cluster/aks-names';
import { AKS_KUBERNETES_VERSIONS } from '../constructs/infrastructure/cluster/aks-versions';
import { EKS_KUBERNETES_VERSIONS } from '../constructs/infrastructure/cluster/eks-versions';
import { GKE_KUBERNETES_VERSIONS } from '../constructs/infrastructure/cluster/gke-versions';
import { NODE_SIZES, NODE_MACHINE_TYPES, machineVcpus } from '../constructs/infrastructure/cluster/node-sizes';
import { SIZES } from '../constructs/presets';
import { AWS_MANAGED_POLICY_ARN_PATTERN, GCP_IAM_ROLE_PATTERN, GITHUB_BRANCH_PATTERN, GITHUB_OWNER_PATTERN, GITHUB_REPO_PATTERN } from '../constructs/integration/ci';
import { DATABASE_NAME, DATABASE_SIZES, DATABASE_SIZE_VCPUS, DATABASE_STORAGE_GIB, POSTGRES_VERSIONS } from '../constructs/capabilities/database';
import { AZURE_MIN_BACKUP_RETENTION_DAYS, AZURE_POSTGRES_STORAGE_GIB } from '../constructs/capabilities/database/azure';
import { BILLING_ACCOUNT_ID } from '../constructs/capabilities/cost/budget/gcp';
import { COST_ASSUMPTION_FIELDS, MAX_ASSUMPTION_GIB } from '../constructs/capabilities/cost/estimate/assumptions';
import { CRON, OFF_HOURS_NOT_NATIVE, TIME_ZONE } from '../constructs/infrastructure/cluster/off-hours';
import { applyPreset, presetHint } from '../constructs/presets/apply';
import { instanceArchitecture } from '../constructs/infrastructure/private/ec2';
import { CLOUDWATCH_RETENTION_DAYS } from '../constructs/infrastructure/private/log-retention';
import { REPOSITORY_NAME, REPOSITORY_NAME_RULE } from '../constructs/infrastructure/registry';
import { AWS_REGIONS, AZURE_LOCATIONS, GCP_REGIONS } from '../constructs/integration/provider/regions';


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

const retentionDays = z
  .number()
  .refine((days) => (CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(days), {
    message: `is not a CloudWatch Logs retention period (${oneOf(CLOUDWATCH_RETENTION_DAYS)})`,
  });

/** A five-field cron expression. */
const cron = z.string().regex(CRON, 'is not a cron expression with five fields (minute hour day month weekday, e.g. "0 20 * * 1-5")');

const count = z.number().int('is not a whole number').nonnegative('is negative');

const nodeGroupSchema = z.strictObject({
  /** Node group name, unique in the cluster. */
  name: dnsLabel(38),
  /** Abstract size, mapped per cloud by NODE_MACHINE_TYPES; or give instanceTypes. */
  size: z.enum(NODE_SIZES, { error: `is not a node size (${oneOf(NODE_SIZES)})` }).optional(),
  /** Concrete machine types, e.g. ["m6i.large"] (AWS, one architecture) or one VM size on Azure/GCP. */
  instanceTypes: z
    .array(z.string().regex(/^[A-Za-z][A-Za-z0-9._-]*$/, 'is not a machine type (expected e.g. m6i.large, Standard_D4s_v5, e2-standard-4)'))
    .min(1, 'is empty (list at least one machine type, or use size)')
    .optional(),
  /** Fewest nodes. */
  minSize: count,
  /** Most nodes. */
  maxSize: count.min(1, 'must be at least 1'),
  /** Nodes at creation; afterwards the cluster autoscaler owns it. @default minSize */
  desiredSize: count.optional(),
  /** Root disk size. @default 50 */
  diskSizeGiB: z.number().int().min(20, 'must be at least 20').max(16384, 'must be at most 16384').optional(),
  /** ON_DEMAND or SPOT (spot VMs on Azure and GCP). @default "ON_DEMAND" */
  capacityType: z.enum(['ON_DEMAND', 'SPOT'], { error: `is not a capacity type (${oneOf(['ON_DEMAND', 'SPOT'])})` }).optional(),
  /** Kubernetes labels on the nodes. @default {} */
  labels: z.record(z.string(), z.string()).optional(),
});

/** The parts of a cluster every cloud shares; each cloud adds its version list and admin format. */
const clusterFields = {
  /** Cluster name. */
  name: dnsLabel(40),
  /** CIDRs allowed to reach the public API endpoint; empty keeps the API private. @default [] */
  publicEndpointCidrs: z.array(cidr).optional(),
  /** Managed node groups (node pools). @default the preset's node group for the tier */
  nodeGroups: z.array(nodeGroupSchema).min(1, 'is empty (define at least one node group)').optional(),
  /**
   * Scale node groups to zero off-hours (AWS: scheduled actions on the node groups' autoscaling
   * groups); `false` keeps them up. Azure and GCP have no native schedule for node pools.
   * @default - on in tiers whose rule says so (dev) on AWS, with OFF_HOURS_DEFAULTS
   */
  offHours: z
    .union([
      z.literal(false),
      z.strictObject({
        /** Cron (minute hour day month weekday) of the scale-down. */
        stop: cron,
        /** Cron of the scale-up back to the node groups' sizes. */
        start: cron,
        /** IANA time zone of both, e.g. Europe/Berlin. @default "Etc/UTC" */
        timeZone: z.string().regex(TIME_ZONE, 'is not an IANA time zone (e.g. Europe/Berlin)').optional(),
      }),
    ])
    .optional(),
  /**
   * Escape hatch: Terraform attribute paths and values set on the cluster resource as they are,
   * e.g. `{ "sku_tier": "Premium" }`. For settings idpkit does not model; use with care.
   * @default {}
   */
  terraformOverrides: z.record(z.string(), z.unknown()).optional(),
};

/**
 * An environment's `policy` field, also the format of `idpkit check --suppressions <file>`:
 * findings accepted on purpose, as data.
 */
export const policySchema = z.strictObject({
  /** Findings accepted on purpose: data, not comments. One that matches no finding is an error. */
  suppressions: z.array(
    z.strictObject({
      /** Rule id, e.g. "IDP-AWS-005". */
      rule: z.string().regex(/^IDP-[A-Z0-9]+-\d{3}$/, 'is not a rule id (e.g. IDP-AWS-005; see docs/policy-rules.md)'),
      /** Terraform address (`type.name`) of the resource, or the stack name for stack rules. */
      resource: z.string().min(1, 'is empty (give the Terraform address, e.g. aws_db_instance.database-platform_instance_4C6FF575)'),
      /** Why the finding is accepted. */
      reason: z.string().trim().min(1, 'is empty (say why the finding is accepted)'),
    }),
  ),
});

const percent = z.number().int('is not a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000');

const databaseSchema = z.strictObject({
  /** Database name: a DNS label, used in resource and secret names. */
  name: z
    .string()
    .max(19, 'is longer than 19 characters (it joins the environment name in resource names of at most 40)')
    .regex(DATABASE_NAME, 'is not a database name (lowercase letters, digits and single "-", starting with a letter)'),
  /** PostgreSQL major version. @default "17" */
  engineVersion: z.enum(POSTGRES_VERSIONS, { error: `is not a supported PostgreSQL version (${oneOf(POSTGRES_VERSIONS)})` }).optional(),
  /** Abstract size, mapped per cloud (DATABASE_INSTANCE_CLASSES) and limited per tier. */
  size: z.enum(DATABASE_SIZES, { error: `is not a database size (${oneOf(DATABASE_SIZES)})` }),
  /** Allocated storage; grows automatically where the cloud can. */
  storageGiB: z
    .number()
    .int('is not a whole number')
    .min(DATABASE_STORAGE_GIB.min, `must be at least ${DATABASE_STORAGE_GIB.min}`)
    .max(DATABASE_STORAGE_GIB.max, `must be at most ${DATABASE_STORAGE_GIB.max}`),
  /** Days of backups and point-in-time recovery, 1 to 35. @default tier rule (dev 7, staging 14, prod 30) */
  backupRetentionDays: z.number().int('is not a whole number').min(1, 'must be at least 1').max(35, 'must be at most 35').optional(),
  /** A synchronous standby in another zone. @default tier rule */
  highAvailability: z.boolean({ error: 'is not true or false' }).optional(),
  /** Where External Secrets puts the connection details in the cluster. @default - not synced */
  externalSecret: z
    .strictObject({
      /** Namespace of the Secret. */
      namespace: dnsLabel(63),
      /** Secret name. */
      secretName: dnsLabel(63),
    })
    .optional(),
});

const versionOf = <const Versions extends readonly string[]>(versions: Versions) =>
  z.enum(versions, { error: `is not a supported Kubernetes version (${oneOf(versions)})` });

const baseFields = {
  /** Environment name: a DNS-1123 label, used in stack names (`<name>-infra`) and resource names. */
  name: dnsLabel(20),
  /** How much availability and protection the environment needs (see TIER_RULES). */
  tier: z.enum(TIERS, { error: `is not a tier (${oneOf(TIERS)})` }),
  /** Company-size preset. */
  size: z.enum(SIZES, { error: `is not a size (${oneOf(SIZES)})` }),
  /** Owning team, set as the `owner` tag (label on GCP) on every resource. */
  owner: z.string().min(1, 'is empty (name the owning team)'),
  /** Cost center, set as the `cost-center` tag on every resource. */
  costCenter: z.string().min(1, 'is empty (name the cost center)'),
  /** Extra tags on every resource. @default {} */
  tags: z.record(z.string(), z.string()).optional(),
  network: z.strictObject({
    /** Network CIDR, /16 to /20; must not overlap other environments in the same account. */
    cidr,
    /** Availability zones to span: 3, or 2 in dev. @default 3 */
    availabilityZoneCount: z.union([z.literal(2), z.literal(3)], { error: 'is not an availability zone count (allowed: 2, 3)' }).optional(),
    /** NAT gateways (AWS; Azure and GCP NAT is one regional gateway). @default tier rule */
    natGateways: z.enum(['single', 'one-per-az'], { error: 'is not a NAT layout (allowed: single, one-per-az)' }).optional(),
    /** Flow log retention (AWS CloudWatch Logs). @default tier rule */
    flowLogRetentionDays: retentionDays.optional(),
  }),
  /** In-cluster add-ons of the `<env>-platform` stack, by key (see docs/addons.md). @default - none */
  platform: z
    .strictObject({
      addons: z.strictObject(Object.fromEntries(ADDONS.map((addon) => [addon.key, addon.configSchema.optional()]))).optional(),
    })
    .optional(),
  /** Managed PostgreSQL databases. @default the preset's (a `platform` database sized for the tier) */
  databases: z.array(databaseSchema).optional(),
  /** Who hears of alarms and budget alerts. */
  alerts: z.strictObject({
    /** Email recipients. */
    emails: z.array(z.email({ error: 'is not an email address' })).min(1, 'is empty (name at least one recipient)'),
  }),
  /** The environment's monthly budget: alerts on actual and forecast spend. */
  budget: z.strictObject({
    /** Monthly limit, in `currency`. */
    monthlyLimit: z.number().positive('must be more than 0'),
    /** ISO 4217 currency of the billing account. @default "USD" */
    currency: z.string().regex(/^[A-Z]{3}$/, 'is not an ISO 4217 currency code (e.g. USD, EUR)').optional(),
    /** Alert when actual spend passes these percentages of the limit. @default [80, 100] */
    actualThresholdsPercent: z.array(percent).min(1, 'is empty (give at least one threshold)').optional(),
    /** Alert when forecast spend passes these percentages. @default [100] */
    forecastThresholdsPercent: z.array(percent).optional(),
  }),
  /** How `idpkit cost` estimates the environment (docs/cost.md#estimates). @default - the tier's default assumptions */
  cost: z
    .strictObject({
      /** Monthly usage the estimate assumes, replacing the tier's defaults field by field (DEFAULT_COST_ASSUMPTIONS). @default {} */
      assumptions: z
        .strictObject(
          Object.fromEntries(
            COST_ASSUMPTION_FIELDS.map((field) => [
              field,
              z
                .number({ error: `is not a number of GiB (allowed: 0 to ${MAX_ASSUMPTION_GIB})` })
                .nonnegative(`is negative (allowed: 0 to ${MAX_ASSUMPTION_GIB} GiB)`)
                .max(MAX_ASSUMPTION_GIB, `is above ${MAX_ASSUMPTION_GIB} GiB (1 PiB; check the digits)`)
                .optional(),
            ]),
          ) as Record<(typeof COST_ASSUMPTION_FIELDS)[number], z.ZodOptional<z.ZodNumber>>,
        )
        .optional(),
    })
    .optional(),
  /** The GitHub repository whose Actions deploy this environment through OIDC (plan and apply identities). @default - none */
  ci: z
    .strictObject({
      github: z.strictObject({
        /** Organisation or user. */
        owner: z.string().regex(GITHUB_OWNER_PATTERN, 'is not a GitHub owner (letters, digits and single "-", up to 39)'),
        /** Repository name. */
        repo: z.string().regex(GITHUB_REPO_PATTERN, 'is not a GitHub repository name (letters, digits, ".", "_", "-")'),
        /** Branch the plan identity trusts besides pull requests (drift checks). @default "main" */
        defaultBranch: z.string().regex(GITHUB_BRANCH_PATTERN, 'is not a branch name (no wildcards or "..")').optional(),
        /**
         * The account's GitHub OIDC provider (AWS) or the project's workload identity pool
         * `idpkit-github` with provider `github-actions` (GCP) exists already: the bootstrap stack
         * looks it up instead of creating it. Not for Azure, which has no account-wide provider.
         * @default false
         */
        oidcProviderExists: z.boolean().optional(),
      }),
      /**
       * What the identities may do, replacing the defaults: AWS managed policy ARNs, Azure built-in
       * role names on the subscription, or GCP project roles (docs/ci-identities.md).
       * @default - the constructs' defaults (ReadOnlyAccess and policies generated from the stacks' resource types on AWS, ...)
       */
      permissions: z
        .strictObject({
          /** Of the plan identity; keep them read-only. */
          plan: z.array(z.string().min(1, 'is empty')).min(1, 'is empty (leave it out for the default)').optional(),
          /** Of the apply identity. */
          apply: z.array(z.string().min(1, 'is empty')).min(1, 'is empty (leave it out for the default)').optional(),
          /**
           * Bound the apply identity, whatever its permissions: the AWS permissions boundary (on it
           * and every role of the environment's stacks), Azure constrained delegation, the GCP
           * condition on project IAM changes. `false` drops the bound: the apply identity can then
           * make itself an administrator (docs/ci-identities.md).
           * @default true
           */
          boundary: z.boolean().optional(),
        })
        .optional(),
    })
    .optional(),
  registry: z.strictObject({
    /** Image repositories: "/"-separated DNS-1123 labels, e.g. "platform/backstage". */
    repositories: z.array(z.string().max(256, 'is longer than 256 characters').regex(REPOSITORY_NAME, `is not a repository name (${REPOSITORY_NAME_RULE})`)),
    /** Days after which untagged images are deleted. @default 14 */
    untaggedImageExpiryDays: z.number().int().min(1, 'must be at least 1').optional(),
  }),
  /** Policy checks run at synthesis (docs/policy-rules.md). @default - no suppressions */
  policy: policySchema.optional(),
};

const localState = z.strictObject({
  backend: z.literal('local'),
  /** Directory of the state files, relative to the stack's directory. @default Terraform's default */
  path: z.string().optional(),
});
/** Where a bootstrap stack keeps its own state: a local file (first apply, teardown), or the storage it created. */
export const BOOTSTRAP_STATE_MODES = ['local', 'remote'] as const;

/** The field of every remote state backend that moves its bootstrap stack's own state (docs/stacks.md, "Bootstrap"). */
const bootstrapStateField = {
  /**
   * Where the bootstrap stack of this state location (`bootstrap-<name>`) keeps its own state:
   * `local`, a file next to the stack, for its first apply (the storage does not exist yet) and for
   * teardown; `remote`, in the bucket or container it created (key `idpkit/bootstrap-<name>/terraform.tfstate`),
   * once it has been applied. After changing it, synthesize and run `terraform init -migrate-state`
   * in the stack's directory. Environments sharing a state location must agree.
   * @default "local"
   */
  bootstrap: z.enum(BOOTSTRAP_STATE_MODES, { error: `is not a bootstrap state mode (${BOOTSTRAP_STATE_MODES.join(' or ')})` }).optional(),
};

const stateUnion = <Remote extends z.ZodObject<{ backend: z.ZodLiteral<string> }>>(remote: Remote, names: string) =>
  z.discriminatedUnion('backend', [remote, localState], { error: `is not a state backend (allowed: ${names}, or local for experiments)` });

const uuid = (what: string) => z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, `is not ${what} (a UUID)`);

const awsEnvironment = z.strictObject({
  ...baseFields,
  cloud: z.literal('aws'),
  aws: z.strictObject({
    /** 12-digit AWS account id; the provider refuses to run against any other account. */
    accountId: z.string().regex(/^\d{12}$/, 'is not a 12-digit AWS account id'),
    /** Region of the environment's resources. */
    region: z.enum(AWS_REGIONS, { error: `is not a known AWS region (${oneOf(AWS_REGIONS)})` }),
    /**
     * The account's EC2 Spot service-linked role (`AWSServiceRoleForEC2Spot`) exists already (the
     * account has launched spot from the console, or another tool made it), so no bootstrap stack
     * creates it. Only read when Karpenter may launch spot (`platform.addons.karpenter.capacityTypes`).
     * @default false - the account's first bootstrap stack whose environments let Karpenter launch spot creates it
     */
    spotServiceLinkedRoleExists: z.boolean({ error: 'is not true or false' }).optional(),
  }),
  state: stateUnion(
    z.strictObject({
      backend: z.literal('s3'),
      /** State bucket, created by the bootstrap stack in the environment's account. */
      bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'is not a valid S3 bucket name (3-63 lowercase letters, digits, "." and "-")'),
      /** Region of the state bucket. @default aws.region */
      region: z.enum(AWS_REGIONS, { error: `is not a known AWS region (${oneOf(AWS_REGIONS)})` }).optional(),
      ...bootstrapStateField,
    }),
    's3',
  ),
  cluster: z.strictObject({
    ...clusterFields,
    /** Kubernetes version, pinned. */
    kubernetesVersion: versionOf(EKS_KUBERNETES_VERSIONS),
    /** IAM role or user ARN granted cluster admin through an EKS access entry. */
    adminPrincipal: z
      .string()
      .regex(/^arn:aws:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/, 'is not an IAM role or user ARN (expected arn:aws:iam::<account>:role/<name>)'),
    /** Control-plane log retention (CloudWatch Logs). @default tier rule */
    logRetentionDays: retentionDays.optional(),
  }),
});

const azureEnvironment = z.strictObject({
  ...baseFields,
  cloud: z.literal('azure'),
  azure: z.strictObject({
    /** Subscription of the environment's resources. */
    subscriptionId: uuid('an Azure subscription id'),
    /** Entra ID tenant. */
    tenantId: uuid('an Entra ID tenant id'),
    /** Azure location, e.g. westeurope. */
    location: z.enum(AZURE_LOCATIONS, { error: `is not a known Azure location (${oneOf(AZURE_LOCATIONS)})` }),
    /** Resource group that holds the environment. @default "rg-<name>-idpkit" */
    resourceGroupName: z.string().regex(/^[\w().-]{1,89}[\w()-]$/, 'is not a resource group name (1-90 letters, digits, "_", "-", ".", "(", ")", not ending in ".")').optional(),
  }),
  state: stateUnion(
    z.strictObject({
      backend: z.literal('azurerm'),
      /** Resource group of the state storage account. */
      resourceGroupName: z.string().regex(/^[\w().-]{1,89}[\w()-]$/, 'is not a resource group name'),
      /** State storage account, created by the bootstrap stack. */
      storageAccountName: z.string().regex(/^[a-z0-9]{3,24}$/, 'is not a storage account name (3-24 lowercase letters and digits)'),
      /** Blob container for state. @default "tfstate" */
      containerName: z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, 'is not a container name (3-63 lowercase letters, digits, single "-")').optional(),
      ...bootstrapStateField,
    }),
    'azurerm',
  ),
  cluster: z.strictObject({
    ...clusterFields,
    kubernetesVersion: versionOf(AKS_KUBERNETES_VERSIONS),
    /** Object id of the Entra ID group granted cluster admin. */
    adminPrincipal: uuid('an Entra ID group object id'),
    /** Display name of that group: the databases' Entra administrator logs in with it. @default "platform-admins" */
    adminGroupName: z.string().min(1, 'is empty (give the group display name)').max(128, 'is longer than 128 characters').optional(),
    /** Log Analytics retention for cluster logs, 30 to 730 days. @default tier rule */
    logRetentionDays: z.number().int().min(30, 'must be at least 30').max(730, 'must be at most 730').optional(),
  }),
});

const gcpEnvironment = z.strictObject({
  ...baseFields,
  cloud: z.literal('gcp'),
  gcp: z.strictObject({
    /** Project of the environment's resources. */
    projectId: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'is not a GCP project id (6-30 lowercase letters, digits, "-")'),
    /** Region, e.g. europe-west1. */
    region: z.enum(GCP_REGIONS, { error: `is not a known GCP region (${oneOf(GCP_REGIONS)})` }),
    /** Billing account that pays for the project: the budget lives there. */
    billingAccountId: z.string().regex(BILLING_ACCOUNT_ID, 'is not a billing account id (XXXXXX-XXXXXX-XXXXXX, uppercase hex)'),
  }),
  state: stateUnion(
    z.strictObject({
      backend: z.literal('gcs'),
      /** State bucket, created by the bootstrap stack in the environment's project. */
      bucket: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/, 'is not a valid GCS bucket name (3-63 lowercase letters, digits, "-", "_", ".")'),
      ...bootstrapStateField,
    }),
    'gcs',
  ),
  cluster: z.strictObject({
    ...clusterFields,
    kubernetesVersion: versionOf(GKE_KUBERNETES_VERSIONS),
    /** IAM member granted Kubernetes Engine Admin, e.g. "group:platform-admins@example.com". */
    adminPrincipal: z
      .string()
      .regex(/^(user|group|serviceAccount):[^@\s]+@[^@\s]+$/, 'is not an IAM member (expected e.g. group:platform-admins@example.com)'),
  }),
});

/** The zod schema of one environment: one variant per cloud, chosen by `cloud`. */
export const environmentSchema = z.discriminatedUnion('cloud', [awsEnvironment, azureEnvironment, gcpEnvironment], {
  error: `is not a supported cloud (${oneOf(CLOUDS)})`,
});

/** One environment's configuration, as written in environments/*.ts or a JSON/YAML file. */
export type EnvironmentConfig = z.input<typeof environmentSchema>;

/** A parsed environment whose preset is filled in: node groups and databases are always there. */
type WithPreset<E> = E extends { cluster: infer Cluster; databases?: infer Databases }
  ? Omit<E, 'cluster' | 'databases'> & { cluster: Cluster & { nodeGroups: NonNullable<Cluster extends { nodeGroups?: infer G } ? G : never> }; databases: NonNullable<Databases> }
  : never;

/** A validated environment. */
export type Environment = WithPreset<z.output<typeof environmentSchema>>;

/** A validated environment on one cloud. */
export type EnvironmentOn<C extends Environment['cloud']> = Extract<Environment, { cloud: C }>;

/** What presets need to know of the catalog: where add-ons run and which exclude each other. */
const PRESET_ADDON_FACTS = {
  runsOn: (key: string, cloud: Environment['cloud']) => ADDONS.find((addon) => addon.key === key)?.clouds?.includes(cloud) ?? true,
  conflictsWith: (key: string) => ADDONS.find((addon) => addon.key === key)?.conflictsWith ?? [],
};

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
      const karpenter = enabledAddons(env).find(({ addon }) => addon.key === 'karpenter');
      return karpenter && env.cloud === 'aws' ? karpenterQueueOf(env, karpenter.config as { interruptionQueue?: string }) : undefined;
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
  const groupNames = new Set<string>();
  env.cluster.nodeGroups.forEach((group, index) => {
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
      problems.push({ path: at('size'), message: `needs size (${oneOf(NODE_SIZES)}) or instanceTypes, but not both` });
    }
    const types = group.instanceTypes ?? [];
    if (env.cloud === 'aws' && new Set(types.map(instanceArchitecture)).size > 1) {
      problems.push({ path: at('instanceTypes'), message: 'mixes arm64 (Graviton) and x86_64 types; use one architecture per node group' });
    }
    const poolNameProblem = env.cloud === 'azure' ? aksNodePoolNameProblem(group.name) : undefined;
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
    if (database.externalSecret && !enabledAddons(env).some(({ addon }) => addon.key === 'externalSecrets')) {
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
  const enabled = enabledAddons(env);
  for (const { addon, config } of enabled) {
    for (const problem of addon.problems?.(env, config) ?? []) problems.push({ path: ['platform', 'addons', addon.key, ...problem.path], message: problem.message });
    const at = ['platform', 'addons', addon.key, 'enabled'];
    if (addon.clouds && !addon.clouds.includes(env.cloud)) {
      problems.push({ path: at, message: `is not available on ${env.cloud} (only on ${addon.clouds.join(', ')})` });
    }
    for (const other of (addon.conflictsWith ?? []).filter((key) => addon.key < key && enabled.some(({ addon: a }) => a.key === key))) {
      problems.push({ path: at, message: `conflicts with platform.addons.${other}.enabled: enable ${addon.key} or ${other}, but not both` });
    }
  }
  problems.push(...ciProblems(env));
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
  const describe = (path: readonly PropertyKey[], message: string) =>
    [`${label}: ${formatPath(path)} ${describeValue(valueAt(merge.config, path))} ${message}`, presetHint(merge, path)].filter(Boolean).join(' ');
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
