import { Construct } from 'constructs';
import { CHARTS } from '../../core/charts';
import { IdpkitError } from '../../core/errors';
import { AddonProps, HelmAddon } from '../../core/helm-addon';
import type { WorkloadIdentity } from '../../integration/identity';
import type { PolicyStatement } from '../../integration/identity/aws';
import { tierDefault } from '../../core/tiers';

/**
 * Namespace of the AWS Load Balancer Controller. Not kube-system (the chart's usual home): idpkit
 * creates and Pod Security-labels the namespace of each add-on, and must not take over kube-system.
 */
export const AWS_LOAD_BALANCER_CONTROLLER_NAMESPACE = 'aws-load-balancer-controller';
/** Service account of the controller, bound to its EKS Pod Identity role. */
export const AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = 'aws-load-balancer-controller';
/**
 * The IngressClass whose Ingresses the controller serves with ALBs: the chart's default
 * `ingressClass`, which it creates (`createIngressClassResource` defaults to true).
 */
export const AWS_LOAD_BALANCER_INGRESS_CLASS = 'alb';

/** The account, region and cluster an add-on's IAM policy is scoped to. */
export interface AwsPolicyScope {
  /** 12-digit AWS account id. */
  readonly accountId: string;
  /** AWS region, e.g. `eu-west-1`. */
  readonly region: string;
  /** EKS cluster name. */
  readonly clusterName: string;
}

/** The tag the controller puts on every load balancer, target group and security group it creates. */
const CLUSTER_TAG = 'elbv2.k8s.aws/cluster';

/**
 * The controller's IAM policy: upstream `iam_policy.json` (v3), with every write action scoped to
 * ARN patterns of this account and region instead of `*`, and without the WAF, WAFv2 and Shield
 * writes (idpkit turns those integrations off).
 *
 * Conditions are kept here as the upstream policy has them (tags `elbv2.k8s.aws/cluster` on what
 * the controller creates and changes). Where a statement says so in its Sid, its condition is what
 * limits it to the controller's own resources; workload identity grants carry the conditions into
 * the role's policy (see docs/addons-cloud-integrations.md).
 *
 * @see https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/main/docs/install/iam_policy.json
 */
export function awsLoadBalancerControllerPolicy(scope: AwsPolicyScope): PolicyStatement[] {
  const arn = (service: string, resource: string) => `arn:aws:${service}:${scope.region}:${scope.accountId}:${resource}`;
  const ec2 = (resource: string) => arn('ec2', resource);
  const elb = (resource: string) => arn('elasticloadbalancing', resource);
  const loadBalancers = [elb('loadbalancer/app/*/*'), elb('loadbalancer/net/*/*')];
  const targetGroups = [elb('targetgroup/*/*')];
  const listeners = [elb('listener/app/*/*/*'), elb('listener/net/*/*/*')];
  const listenerRules = [elb('listener-rule/app/*/*/*/*'), elb('listener-rule/net/*/*/*/*')];
  const ownResource = { Null: { [`aws:ResourceTag/${CLUSTER_TAG}`]: 'false' } };
  const ownRequest = { Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'false' } };
  return [
    {
      Sid: 'CreateElbServiceLinkedRole',
      Effect: 'Allow',
      Action: ['iam:CreateServiceLinkedRole'],
      Resource: [`arn:aws:iam::${scope.accountId}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`],
      Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
    },
    {
      Sid: 'Describe',
      Effect: 'Allow',
      Action: [
        'ec2:DescribeAccountAttributes',
        'ec2:DescribeAddresses',
        'ec2:DescribeAvailabilityZones',
        'ec2:DescribeInternetGateways',
        'ec2:DescribeVpcs',
        'ec2:DescribeVpcPeeringConnections',
        'ec2:DescribeSubnets',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeInstances',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeTags',
        'ec2:DescribeRouteTables',
        'ec2:DescribeIpamPools',
        'ec2:DescribeCoipPools',
        'ec2:GetCoipPoolUsage',
        'ec2:GetSecurityGroupsForVpc',
        'elasticloadbalancing:DescribeLoadBalancers',
        'elasticloadbalancing:DescribeLoadBalancerAttributes',
        'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeListenerCertificates',
        'elasticloadbalancing:DescribeListenerAttributes',
        'elasticloadbalancing:DescribeSSLPolicies',
        'elasticloadbalancing:DescribeRules',
        'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetGroupAttributes',
        'elasticloadbalancing:DescribeTargetHealth',
        'elasticloadbalancing:DescribeTags',
        'elasticloadbalancing:DescribeTrustStores',
        'elasticloadbalancing:DescribeCapacityReservation',
        'acm:ListCertificates',
        'acm:DescribeCertificate',
        'iam:ListServerCertificates',
        'iam:GetServerCertificate',
        'cognito-idp:DescribeUserPoolClient',
        'shield:GetSubscriptionState',
      ],
      Resource: ['*'],
    },
    {
      Sid: 'CreateSecurityGroups',
      Effect: 'Allow',
      Action: ['ec2:CreateSecurityGroup'],
      Resource: [ec2('security-group/*'), ec2('vpc/*')],
    },
    {
      Sid: 'TagNewSecurityGroupsConditioned',
      Effect: 'Allow',
      Action: ['ec2:CreateTags'],
      Resource: [ec2('security-group/*')],
      Condition: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' }, ...ownRequest },
    },
    {
      Sid: 'ManageOwnSecurityGroupsConditioned',
      Effect: 'Allow',
      Action: ['ec2:CreateTags', 'ec2:DeleteTags', 'ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteSecurityGroup'],
      Resource: [ec2('security-group/*')],
      Condition: ownResource,
    },
    {
      Sid: 'CreateLoadBalancersConditioned',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
      Resource: [...loadBalancers, ...targetGroups],
      Condition: ownRequest,
    },
    {
      Sid: 'ManageListenersAndRules',
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:CreateListener',
        'elasticloadbalancing:DeleteListener',
        'elasticloadbalancing:CreateRule',
        'elasticloadbalancing:DeleteRule',
        'elasticloadbalancing:ModifyListener',
        'elasticloadbalancing:AddListenerCertificates',
        'elasticloadbalancing:RemoveListenerCertificates',
        'elasticloadbalancing:ModifyRule',
        'elasticloadbalancing:SetRulePriorities',
      ],
      Resource: [...loadBalancers, ...listeners, ...listenerRules],
    },
    {
      Sid: 'TagOwnLoadBalancersConditioned',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      Resource: [...loadBalancers, ...targetGroups],
      Condition: ownResource,
    },
    {
      Sid: 'TagListenersAndRules',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      Resource: [...listeners, ...listenerRules],
    },
    {
      Sid: 'ModifyOwnLoadBalancersConditioned',
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:ModifyLoadBalancerAttributes',
        'elasticloadbalancing:SetIpAddressType',
        'elasticloadbalancing:SetSecurityGroups',
        'elasticloadbalancing:SetSubnets',
        'elasticloadbalancing:DeleteLoadBalancer',
        'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes',
        'elasticloadbalancing:DeleteTargetGroup',
        'elasticloadbalancing:ModifyListenerAttributes',
        'elasticloadbalancing:ModifyCapacityReservation',
        'elasticloadbalancing:ModifyIpPools',
      ],
      Resource: [...loadBalancers, ...targetGroups],
      Condition: ownResource,
    },
    {
      Sid: 'TagOnCreateConditioned',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:AddTags'],
      Resource: [...loadBalancers, ...targetGroups],
      Condition: { StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer'] }, ...ownRequest },
    },
    {
      Sid: 'RegisterTargets',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
      Resource: targetGroups,
    },
  ];
}

/** Props of {@link AwsLoadBalancerController}. */
export interface AwsLoadBalancerControllerProps extends AddonProps {
  /** The EKS cluster's name. */
  readonly clusterName: string;
  /** The cluster's AWS region. */
  readonly region: string;
  /**
   * The cluster's VPC id. Give this or `vpcTags`: the controller cannot read it from instance
   * metadata, because idpkit's nodes allow a single IMDS hop (pods cannot reach it). @default - none
   */
  readonly vpcId?: string;
  /** Tags that find the cluster's VPC (exactly one VPC in the region must match). Give this or `vpcId`. @default - none */
  readonly vpcTags?: Readonly<Record<string, string>>;
  /** The controller's cloud identity (an EKS Pod Identity role, needs no annotation). */
  readonly identity: WorkloadIdentity;
  /** Two replicas with a disruption budget. @default - the tier's `highAvailability` (off in dev); true without a tier */
  readonly highAvailability?: boolean;
  /** Create a ServiceMonitor for the controller's metrics (needs kube-prometheus-stack). @default false */
  readonly serviceMonitor?: boolean;
}

/**
 * The AWS Load Balancer Controller in its own `aws-load-balancer-controller` namespace: ALBs for
 * Ingresses, NLBs for Services of type LoadBalancer, through an EKS Pod Identity role whose writes
 * are scoped to load balancers, target groups and security groups of this account and region
 * ({@link awsLoadBalancerControllerPolicy}).
 *
 * - Two replicas with a disruption budget in HA (leader election is built in), one otherwise.
 * - WAF, WAFv2 and Shield integrations are off (the role cannot change web ACLs or protections).
 * - The namespace enforces the **baseline** Pod Security level: the chart's container security
 *   context sets no seccomp profile and does not drop capabilities, which restricted requires.
 *
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/
 * @example
 * declare const identity: WorkloadIdentity;
 * new AwsLoadBalancerController(this, 'alb', { clusterName: 'idp-prod', region: 'eu-west-1', vpcTags: { Name: 'prod' }, identity });
 */
export class AwsLoadBalancerController extends Construct {
  /** The Helm release. */
  readonly addon: HelmAddon;

  constructor(scope: Construct, id: string, props: AwsLoadBalancerControllerProps) {
    super(scope, id);
    if ((props.vpcId === undefined) === (props.vpcTags === undefined)) {
      throw new IdpkitError('IDPKIT_INVALID_PROPS', [
        `${this.node.path}: needs vpcId or vpcTags, but not both (the controller cannot read the VPC from instance metadata: pods have no IMDS hop)`,
      ]);
    }
    if (props.vpcId !== undefined && !props.vpcId.startsWith('${') && !/^vpc-[0-9a-f]{8,17}$/.test(props.vpcId)) {
      throw new IdpkitError('IDPKIT_INVALID_PROPS', [`${this.node.path}: vpcId "${props.vpcId}" is not a VPC id (expected e.g. vpc-0123456789abcdef0)`]);
    }
    const ha = props.highAvailability ?? tierDefault(this, (rules) => rules.highAvailability, true);
    this.addon = new HelmAddon(this, 'release', {
      chart: CHARTS.awsLoadBalancerController,
      namespace: AWS_LOAD_BALANCER_CONTROLLER_NAMESPACE,
      podSecurity: 'baseline',
      values: {
        clusterName: props.clusterName,
        region: props.region,
        ...(props.vpcId !== undefined ? { vpcId: props.vpcId } : { vpcTags: { ...props.vpcTags } }),
        replicaCount: ha ? 2 : 1,
        podDisruptionBudget: ha ? { maxUnavailable: 1 } : {},
        serviceAccount: {
          create: true,
          name: AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
          annotations: { ...props.identity.serviceAccountAnnotations },
        },
        podLabels: { ...props.identity.podLabels },
        enableShield: false,
        enableWaf: false,
        enableWafv2: false,
        serviceMonitor: { enabled: props.serviceMonitor ?? false },
      },
      valueOverrides: props.valueOverrides,
      dependsOn: props.dependsOn,
    });
  }
}
