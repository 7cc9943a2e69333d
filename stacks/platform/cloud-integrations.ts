import { KARPENTER_QUEUE_NAME_MAX_LENGTH, KarpenterInterruptionQueue, karpenterInterruptionQueueName } from '../../constructs/capabilities/autoscaling/karpenter-interruption';
import { z } from 'zod';
import {
  AWS_LOAD_BALANCER_CONTROLLER_NAMESPACE,
  AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
  AwsLoadBalancerController,
  awsLoadBalancerControllerPolicy,
} from '../../constructs/capabilities/networking/aws-load-balancer-controller';
import { KARPENTER_NAMESPACE, KARPENTER_REPLICAS, KARPENTER_SERVICE_ACCOUNT, Karpenter, karpenterControllerPolicy } from '../../constructs/capabilities/autoscaling/karpenter';
import {
  KUBECOST_BIGQUERY_ROLES,
  KUBECOST_NAMESPACE,
  KUBECOST_SERVICE_ACCOUNT,
  Kubecost,
  KubecostBilling,
  kubecostAthenaPolicy,
  kubecostAzureExportScope,
} from '../../constructs/capabilities/cost/kubecost';
import { IdpkitError } from '../../constructs/core/errors';
import { TIER_RULES } from '../../constructs/core/tiers';
import type { CloudGrant, WorkloadIdentityRequest } from '../../constructs/integration/identity';
import type { PolicyStatement } from '../../constructs/integration/identity/aws';
import type { Environment } from '../../environments/types';
import { AddonDefinition, addonConfigSchema, defineAddon, enabledConfigOf, prometheusMonitoring } from './addon';

const positiveInt = z.number({ error: 'is not a number' }).int('is not a whole number').min(1, 'must be at least 1');
const bool = z.boolean({ error: 'is not true or false' });
const s3Bucket = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'is not an S3 bucket name (3-63 lowercase letters, digits, "." and "-")');
const identifier = (what: string) => z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, `is not ${what} (letters, digits, "_" and "-")`);

/** An AWS policy as a workload identity grant, Sids and conditions included. */
const awsGrant = (statements: readonly PolicyStatement[]): CloudGrant => ({
  kind: 'cloud',
  aws: statements.map((statement) => ({
    ...(statement.Sid ? { Sid: statement.Sid } : {}),
    Action: [statement.Action].flat(),
    Resource: [statement.Resource ?? []].flat(),
    ...(statement.Condition ? { Condition: statement.Condition } : {}),
  })),
});

/** The AWS account and region of an environment the add-on's `clouds` already limits to AWS. */
function awsOf(env: Environment, key: string): { accountId: string; region: string } {
  if (env.cloud !== 'aws') {
    throw new IdpkitError('IDPKIT_INVALID_ENVIRONMENT', [`environment "${env.name}": platform.addons.${key} is not available on ${env.cloud} (only on aws)`]);
  }
  return { accountId: env.aws.accountId, region: env.aws.region };
}

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

type KubecostBillingConfig = z.infer<typeof kubecostBillingSchema>;

/** The billing source of Kubecost on the environment's cloud, or none; a source for another cloud is an error. */
function kubecostBilling(env: Environment, billing: KubecostBillingConfig): KubecostBilling | undefined {
  const others = (['aws', 'azure', 'gcp'] as const).filter((cloud) => cloud !== env.cloud && billing?.[cloud]);
  if (others.length > 0) {
    throw new IdpkitError('IDPKIT_INVALID_ENVIRONMENT', [
      `environment "${env.name}": platform.addons.kubecost.billing.${others[0]} is for ${others[0]}, but the environment runs on ${env.cloud} (set billing.${env.cloud}, or remove billing.${others[0]})`,
    ]);
  }
  switch (env.cloud) {
    case 'aws': {
      const aws = billing?.aws;
      return aws && { cloud: 'aws', accountId: env.aws.accountId, region: env.aws.region, ...aws, workgroup: aws.workgroup ?? 'primary' };
    }
    case 'azure': {
      const azure = billing?.azure;
      return (
        azure && {
          cloud: 'azure',
          subscriptionId: env.azure.subscriptionId,
          resourceGroup: azure.resourceGroup,
          storageAccount: azure.storageAccount,
          container: azure.container,
          path: azure.path ?? '',
          azureCloud: azure.cloud ?? 'public',
        }
      );
    }
    case 'gcp': {
      const gcp = billing?.gcp;
      return gcp && { cloud: 'gcp', projectId: env.gcp.projectId, dataset: gcp.dataset, table: gcp.table };
    }
  }
}

/** Grants that let Kubecost read the bill. */
function kubecostGrant(billing: KubecostBilling): CloudGrant {
  switch (billing.cloud) {
    case 'aws':
      return awsGrant(kubecostAthenaPolicy(billing));
    case 'azure':
      return { kind: 'cloud', azure: [{ role: 'Storage Blob Data Reader', scope: kubecostAzureExportScope(billing) }] };
    case 'gcp':
      return { kind: 'cloud', gcp: KUBECOST_BIGQUERY_ROLES.map((role) => ({ role })) };
  }
}

const karpenterConfigSchema = addonConfigSchema({
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

type KarpenterConfig = z.infer<typeof karpenterConfigSchema>;

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

/** Add-ons that drive cloud APIs for the cluster: load balancers, node provisioning, cost and billing. */
export const CLOUD_INTEGRATION_ADDONS: readonly AddonDefinition[] = [
  defineAddon({
    key: 'awsLoadBalancerController',
    description: 'AWS Load Balancer Controller: ALBs for Ingresses, NLBs for LoadBalancer Services',
    configSchema: addonConfigSchema({
      /** The cluster's VPC id. @default - the VPC tagged Name=<environment name> (the infra stack's VPC) */
      vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, 'is not a VPC id (expected e.g. vpc-0123456789abcdef0)').optional(),
    }),
    identities: (env) => [
      {
        name: 'aws-load-balancer-controller',
        namespace: AWS_LOAD_BALANCER_CONTROLLER_NAMESPACE,
        serviceAccount: AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
        grants: [awsGrant(awsLoadBalancerControllerPolicy({ ...awsOf(env, 'awsLoadBalancerController'), clusterName: env.cluster.name }))],
      },
    ],
    install: (scope, context, config) => [
      new AwsLoadBalancerController(scope, 'aws-load-balancer-controller', {
        clusterName: context.env.cluster.name,
        region: awsOf(context.env, 'awsLoadBalancerController').region,
        ...(config.vpcId ? { vpcId: config.vpcId } : { vpcTags: { Name: context.env.name } }),
        identity: context.identities['aws-load-balancer-controller'],
        highAvailability: context.highAvailability,
        ...prometheusMonitoring(context),
        valueOverrides: config.values?.['aws-load-balancer-controller'],
      }).addon,
    ],
  }),
  defineAddon({
    key: 'karpenter',
    description: 'Karpenter: just-in-time EC2 nodes for pending pods, with a default NodePool; every other add-on installs after it',
    configSchema: karpenterConfigSchema,
    problems: (env) => [...karpenterCapacityProblems(env), ...karpenterSpotProblems(env)],
    infra: (scope, env, config) => {
      new KarpenterInterruptionQueue(scope, 'interruption-queue', { queueName: karpenterQueueOf(env, config) });
      return {};
    },
    identities: (env, config) => [
      {
        name: 'karpenter',
        namespace: KARPENTER_NAMESPACE,
        serviceAccount: KARPENTER_SERVICE_ACCOUNT,
        grants: [awsGrant(karpenterControllerPolicy({ ...awsOf(env, 'karpenter'), clusterName: env.cluster.name, interruptionQueue: karpenterQueueOf(env, config) }))],
      },
    ],
    install: (scope, context, config) => {
      const monitoring = prometheusMonitoring(context);
      const karpenter = new Karpenter(scope, 'karpenter', {
        clusterName: context.env.cluster.name,
        interruptionQueue: karpenterQueueOf(context.env, config),
        identity: context.identities.karpenter,
        highAvailability: context.highAvailability,
        defaultNodePool: config.defaultNodePool,
        capacityTypes: config.capacityTypes,
        cpuLimit: config.cpuLimit,
        maxNodeVcpus: TIER_RULES[context.env.tier].maxNodeVcpus,
        amiAlias: config.amiAlias,
        // The controller waits for no other add-on: the others wait for it (provisionsNodes), and only its ServiceMonitor waits for kube-prometheus-stack.
        serviceMonitor: monitoring.serviceMonitor,
        monitoringDependsOn: monitoring.dependsOn,
        valueOverrides: config.values?.karpenter,
      });
      context.provisionsNodes([karpenter.addon, ...(karpenter.nodePools ? [karpenter.nodePools] : [])]);
      return [karpenter.addon];
    },
  }),
  defineAddon({
    key: 'kubecost',
    description: 'Kubecost 3.x: cost allocation and savings, reconciled with the cloud bill through workload identity',
    configSchema: addonConfigSchema({
      /** Read the cloud bill (set the block of the environment's cloud). @default - list prices only */
      billing: kubecostBillingSchema,
      /** The network-costs DaemonSet (privileged, host network). @default false */
      networkCosts: bool.optional(),
    }),
    identities: (env, config): readonly WorkloadIdentityRequest[] => {
      const billing = kubecostBilling(env, config.billing);
      return billing ? [{ name: 'kubecost', namespace: KUBECOST_NAMESPACE, serviceAccount: KUBECOST_SERVICE_ACCOUNT, grants: [kubecostGrant(billing)] }] : [];
    },
    install: (scope, context, config) => {
      const billing = kubecostBilling(context.env, config.billing);
      return [
        new Kubecost(scope, 'kubecost', {
          clusterName: context.env.cluster.name,
          highAvailability: context.highAvailability,
          billing,
          identity: billing ? context.identities.kubecost : undefined,
          networkCosts: config.networkCosts,
          ...prometheusMonitoring(context),
          valueOverrides: config.values?.kubecost,
        }).addon,
      ];
    },
  }),
];
