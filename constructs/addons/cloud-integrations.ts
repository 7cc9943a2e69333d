/**
 * Config schemas of the add-ons of stacks/platform/cloud-integrations.ts, under `platform.addons.<key>`
 * of an environment: data of the add-on catalog (constructs/addons/catalog.ts).
 */
import { KARPENTER_QUEUE_NAME_MAX_LENGTH } from '../capabilities/autoscaling/karpenter-settings';
import { z } from 'zod';
import { addonConfigSchema } from './config';

const positiveInt = z.number({ error: 'is not a number' }).int('is not a whole number').min(1, 'must be at least 1');
const bool = z.boolean({ error: 'is not true or false' });
const s3Bucket = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'is not an S3 bucket name (3-63 lowercase letters, digits, "." and "-")');
const identifier = (what: string) => z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, `is not ${what} (letters, digits, "_" and "-")`);

const kubecostBillingSchema = z
  .strictObject({
    /** AWS: the Cost and Usage Report through Athena. */
    aws: z
      .strictObject({
        /** S3 bucket of Athena query results. */
        resultsBucket: s3Bucket,
        /** S3 bucket of the CUR files. */
        curBucket: s3Bucket,
        /** Glue database of the CUR table. */
        database: identifier('a Glue database name'),
        /** The CUR table. */
        table: identifier('a Glue table name'),
        /** Athena workgroup. @default "primary" */
        workgroup: identifier('an Athena workgroup name').optional(),
      })
      .optional(),
    /** Azure: a Cost Management export in a storage container of the environment's subscription. */
    azure: z
      .strictObject({
        resourceGroup: z.string().regex(/^[-\w.()]{1,90}$/, 'is not a resource group name'),
        storageAccount: z.string().regex(/^[a-z0-9]{3,24}$/, 'is not a storage account name (3-24 lowercase letters and digits)'),
        container: z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, 'is not a blob container name'),
        /** Path of the export in the container. @default "" */
        path: z.string().optional(),
        /** Azure cloud. @default "public" */
        cloud: z.enum(['public', 'gov', 'china'], { error: 'is not an Azure cloud (allowed: public, gov, china)' }).optional(),
      })
      .optional(),
    /** GCP: the detailed billing export to BigQuery, in the environment's project. */
    gcp: z
      .strictObject({
        dataset: z.string().regex(/^[A-Za-z0-9_]{1,1024}$/, 'is not a BigQuery dataset name (letters, digits and "_")'),
        table: z.string().regex(/^[A-Za-z0-9_-]{1,1024}$/, 'is not a BigQuery table name'),
      })
      .optional(),
  })
  .optional();

/** The schema of `platform.addons.karpenter`. */
export const karpenterConfigSchema = addonConfigSchema({
  /**
   * SQS queue of EC2 interruption events (spot interruptions, rebalances, scheduled changes), which
   * the infra stack makes; unique per account and region.
   * @default - `<cluster>-karpenter`, fitted to 42 characters (karpenterInterruptionQueueName)
   */
  interruptionQueue: z
    .string()
    .regex(
      new RegExp(`^[A-Za-z0-9_-]{1,${KARPENTER_QUEUE_NAME_MAX_LENGTH}}$`),
      `is not an SQS queue name of at most ${KARPENTER_QUEUE_NAME_MAX_LENGTH} letters, digits, "-" and "_" (its EventBridge rules are named <queue>-<event>, at most 64 characters)`,
    )
    .optional(),
  /** Install the `default` NodePool and EC2NodeClass. @default true */
  defaultNodePool: bool.optional(),
  /** Capacity types of the default NodePool. @default ["on-demand"] */
  capacityTypes: z
    .array(z.enum(['on-demand', 'spot'], { error: 'is not a capacity type (allowed: on-demand, spot)' }))
    .min(1, 'is empty (list on-demand, spot or both)')
    .optional(),
  /** Most vCPUs the default NodePool provisions. @default 100 */
  cpuLimit: positiveInt.optional(),
  /** AMI alias of the default EC2NodeClass (pin one in prod). @default "al2023@latest" */
  amiAlias: z.string().regex(/^al2023@(latest|v[0-9]{8})$/, 'is not an AL2023 alias (expected al2023@latest or al2023@v20260801)').optional(),
});

/** The config of `platform.addons.karpenter`. */
export type KarpenterConfig = z.infer<typeof karpenterConfigSchema>;

/** The schema of `platform.addons.awsLoadBalancerController`. */
export const awsLoadBalancerControllerConfigSchema = addonConfigSchema({
  /** The cluster's VPC id. @default - the VPC tagged Name=<environment name> (the infra stack's VPC) */
  vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, 'is not a VPC id (expected e.g. vpc-0123456789abcdef0)').optional(),
});
/** The config of `platform.addons.awsLoadBalancerController`. */
export type AwsLoadBalancerControllerConfig = z.infer<typeof awsLoadBalancerControllerConfigSchema>;

/** The schema of `platform.addons.kubecost`. */
export const kubecostConfigSchema = addonConfigSchema({
  /** Read the cloud bill (set the block of the environment's cloud). @default - list prices only */
  billing: kubecostBillingSchema,
  /** The network-costs DaemonSet (privileged, host network). @default false */
  networkCosts: bool.optional(),
});
/** The config of `platform.addons.kubecost`. */
export type KubecostConfig = z.infer<typeof kubecostConfigSchema>;
