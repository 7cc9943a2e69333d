/**
 * The environment schema: one typed config per environment (dev.ts, staging.ts, prod.ts or a
 * JSON/YAML file), one zod schema so every source gets the same checks and messages. Each
 * add-on's part (`platform.addons.<key>`) is the add-on catalog's schema of its config.
 */
import { z } from 'zod';
import { cidrRange, parseCidr } from '../constructs/core/cidr';
import { azureContainerNameProblem, azureResourceGroupNameProblem, azureStorageAccountNameProblem, gcpProjectIdProblem, gcsBucketNameProblem, s3BucketNameProblem } from '../constructs/core/cloud-names';
import { ADDON_CATALOG } from '../constructs/addons/catalog';
import { TIERS } from '../constructs/core/tiers';
import { CLOUDS } from '../constructs/core/clouds';
import { AKS_KUBERNETES_VERSIONS } from '../constructs/infrastructure/cluster/aks-versions';
import { EKS_KUBERNETES_VERSIONS } from '../constructs/infrastructure/cluster/eks-versions';
import { GKE_KUBERNETES_VERSIONS } from '../constructs/infrastructure/cluster/gke-versions';
import { NODE_SIZES } from '../constructs/infrastructure/cluster/node-sizes';
import { SIZES } from '../constructs/presets';
import { GITHUB_BRANCH_PATTERN, GITHUB_OWNER_PATTERN, GITHUB_REPO_PATTERN } from '../constructs/integration/ci';
import { DATABASE_NAME, DATABASE_SIZES, DATABASE_STORAGE_GIB, POSTGRES_VERSIONS } from '../constructs/capabilities/database';
import { BILLING_ACCOUNT_ID } from '../constructs/capabilities/cost/budget';
import { COST_ASSUMPTION_FIELDS, MAX_ASSUMPTION_GIB } from '../constructs/capabilities/cost/estimate/assumptions';
import { cronProblem, timeZoneProblem } from '../constructs/infrastructure/cluster/off-hours-schedule';
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

/** A string field checked by a rule that says why a value is wrong (cloud naming rules, cron, time zones). */
const ruled = (problemOf: (value: string) => string | undefined) =>
  z.string().superRefine((value, context) => {
    const problem = problemOf(value);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });

/** What each kind of CIDR field may hold, by {@link cidrRange}: networks private space, public endpoint sources public (or documentation) addresses. */
const CIDR_RANGES = {
  network: { allowed: ['private', 'carrierGradeNat'], rule: 'private address space: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 (RFC 1918) or 100.64.0.0/10 (RFC 6598)' },
  source: {
    allowed: ['unicast', 'documentation', 'internet'],
    rule: 'public addresses the API is reached from, documentation ranges (RFC 5737) or 0.0.0.0/0; private, loopback, link-local, multicast and reserved ranges never reach a public endpoint',
  },
} as const;

const cidrOf = (kind: keyof typeof CIDR_RANGES) =>
  ruled((value) => {
    const block = parseCidr(value);
    if (!block) return 'is not a canonical IPv4 CIDR (four decimal octets 0-255 without leading zeros, a prefix of 0-32, no host bits set; expected e.g. 10.0.0.0/16)';
    const range = cidrRange(block);
    return (CIDR_RANGES[kind].allowed as readonly string[]).includes(range) ? undefined : `is ${range === 'mixed' ? 'across several kinds of' : `in ${range}`} address space (allowed: ${CIDR_RANGES[kind].rule})`;
  });

const retentionDays = z
  .number()
  .refine((days) => (CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(days), {
    message: `is not a CloudWatch Logs retention period (${oneOf(CLOUDWATCH_RETENTION_DAYS)})`,
  });

/** A five-field Unix cron expression, parsed. */
const cron = ruled(cronProblem);

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
  publicEndpointCidrs: z.array(cidrOf('source')).optional(),
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
        timeZone: ruled(timeZoneProblem).optional(),
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
  /** Environment name: a DNS-1123 label starting with a letter, used in stack names (`<name>-infra`) and resource names. */
  name: dnsLabel(20).regex(/^[a-z]/, 'does not start with a letter (it starts database, secret and resource names, which must)'),
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
    /** Network CIDR in private address space, /16 to /20; must not overlap other environments in the same account. */
    cidr: cidrOf('network'),
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
      addons: z.strictObject(Object.fromEntries(ADDON_CATALOG.map((addon) => [addon.key, addon.configSchema.optional()]))).optional(),
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
    repositories: z.array(
      z.string().min(2, 'is shorter than 2 characters (ECR)').max(256, 'is longer than 256 characters').regex(REPOSITORY_NAME, `is not a repository name (${REPOSITORY_NAME_RULE})`),
    ),
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
      bucket: ruled(s3BucketNameProblem),
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
    resourceGroupName: ruled(azureResourceGroupNameProblem).optional(),
  }),
  state: stateUnion(
    z.strictObject({
      backend: z.literal('azurerm'),
      /** Resource group of the state storage account. */
      resourceGroupName: ruled(azureResourceGroupNameProblem),
      /** State storage account, created by the bootstrap stack. */
      storageAccountName: ruled(azureStorageAccountNameProblem),
      /** Blob container for state. @default "tfstate" */
      containerName: ruled(azureContainerNameProblem).optional(),
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
    projectId: ruled(gcpProjectIdProblem),
    /** Region, e.g. europe-west1. */
    region: z.enum(GCP_REGIONS, { error: `is not a known GCP region (${oneOf(GCP_REGIONS)})` }),
    /** Billing account that pays for the project: the budget lives there. */
    billingAccountId: z.string().regex(BILLING_ACCOUNT_ID, 'is not a billing account id (XXXXXX-XXXXXX-XXXXXX, uppercase hex)'),
  }),
  state: stateUnion(
    z.strictObject({
      backend: z.literal('gcs'),
      /** State bucket, created by the bootstrap stack in the environment's project. */
      bucket: ruled(gcsBucketNameProblem),
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
