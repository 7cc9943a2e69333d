import {
  AWS_LOAD_BALANCER_CONTROLLER_NAMESPACE,
  AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
  AwsLoadBalancerController,
  awsLoadBalancerControllerPolicy,
} from '../../constructs/capabilities/networking/aws-load-balancer-controller';
import { KARPENTER_NAMESPACE, KARPENTER_SERVICE_ACCOUNT, Karpenter, karpenterControllerPolicy } from '../../constructs/capabilities/autoscaling/karpenter';
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
import { AddonDefinition, defineAddon, prometheusMonitoring } from './addon';
import type { AwsLoadBalancerControllerConfig, KarpenterConfig, KubecostConfig } from '../../constructs/addons/cloud-integrations';
import { karpenterQueueOf } from '../../environments/addons';

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

type KubecostBillingConfig = KubecostConfig['billing'];

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

/** Add-ons that drive cloud APIs for the cluster: load balancers, node provisioning, cost and billing. */
export const CLOUD_INTEGRATION_ADDONS: readonly AddonDefinition[] = [
  defineAddon<AwsLoadBalancerControllerConfig>({
    key: 'awsLoadBalancerController',
    description: 'AWS Load Balancer Controller: ALBs for Ingresses, NLBs for LoadBalancer Services',
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
  defineAddon<KarpenterConfig>({
    key: 'karpenter',
    description: 'Karpenter: just-in-time EC2 nodes for pending pods, with a default NodePool; every other add-on installs after it',
    infra: (scope, env, config, build) => {
      if (!build.karpenterInterruptionQueue) throw new Error(`add-on karpenter: the ${env.cloud} kit builds no interruption queue`);
      build.karpenterInterruptionQueue(scope, karpenterQueueOf(env, config));
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
  defineAddon<KubecostConfig>({
    key: 'kubecost',
    description: 'Kubecost 3.x: cost allocation and savings, reconciled with the cloud bill through workload identity',
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
