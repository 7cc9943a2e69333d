import { Construct } from 'constructs';
import { KARPENTER_DISCOVERY_TAG } from '../../infrastructure/cluster/aws';
import { CHARTS } from '../../core/charts';
import { IdpkitError } from '../../core/errors';
import { AddonProps, HelmAddon } from '../../core/helm-addon';
import { KubernetesObject, ManifestsRelease } from '../../core/manifests';
import type { WorkloadIdentity } from '../../integration/identity';
import type { PolicyStatement } from '../../integration/identity/aws';
import type { AwsPolicyScope } from '../networking/aws-load-balancer-controller';

/** Namespace of Karpenter (the chart README's choice; idpkit does not take over kube-system). */
export const KARPENTER_NAMESPACE = 'karpenter';
/** Service account of the Karpenter controller, bound to its EKS Pod Identity role. */
export const KARPENTER_SERVICE_ACCOUNT = 'karpenter';
/** Name of the nodes' IAM role that the infra stack makes for a cluster (`<cluster>-node`). */
export const eksNodeRoleName = (clusterName: string): string => `${clusterName}-node`;

/** Scope of Karpenter's IAM policy: the account, region and cluster, and the interruption queue. */
export interface KarpenterPolicyScope extends AwsPolicyScope {
  /** Name of the SQS queue that receives EC2 interruption events. */
  readonly interruptionQueue: string;
}

/**
 * The Karpenter controller's IAM policy: upstream's v1 controller policy with every write action
 * scoped to ARN patterns of this account and region, `iam:PassRole` on the cluster's node role
 * only, instance profiles named `<cluster>_*` only (Karpenter's naming), and the SQS actions on the
 * interruption queue only.
 *
 * Conditions are kept as upstream has them (tags `kubernetes.io/cluster/<cluster>=owned` and
 * `karpenter.sh/nodepool` on what Karpenter launches and deletes, `iam:PassedToService`); until
 * workload identity grants carry conditions only the ARN scope applies (see
 * docs/addons-cloud-integrations.md).
 *
 * @see https://karpenter.sh/docs/reference/cloudformation/
 */
export function karpenterControllerPolicy(scope: KarpenterPolicyScope): PolicyStatement[] {
  const { accountId, region, clusterName } = scope;
  const ec2 = (resource: string) => `arn:aws:ec2:${region}:${accountId}:${resource}`;
  const ec2Public = (resource: string) => `arn:aws:ec2:${region}::${resource}`;
  const instanceProfiles = `arn:aws:iam::${accountId}:instance-profile/${clusterName}_*`;
  const owned = { [`aws:ResourceTag/kubernetes.io/cluster/${clusterName}`]: 'owned' };
  const requestOwned = { [`aws:RequestTag/kubernetes.io/cluster/${clusterName}`]: 'owned', [`aws:RequestTag/eks:eks-cluster-name`]: clusterName };
  const launched = [ec2('fleet/*'), ec2('instance/*'), ec2('volume/*'), ec2('network-interface/*'), ec2('launch-template/*'), ec2('spot-instances-request/*')];
  return [
    {
      Sid: 'AllowScopedEC2InstanceAccessActions',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
      Resource: [ec2Public('image/*'), ec2Public('snapshot/*'), ec2('security-group/*'), ec2('subnet/*'), ec2('capacity-reservation/*')],
    },
    {
      Sid: 'AllowScopedEC2LaunchTemplateAccessActionsConditioned',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
      Resource: [ec2('launch-template/*')],
      Condition: { StringEquals: owned, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
    },
    {
      Sid: 'AllowScopedEC2InstanceActionsWithTagsConditioned',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
      Resource: launched,
      Condition: { StringEquals: requestOwned, StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' } },
    },
    {
      Sid: 'AllowScopedResourceTaggingConditioned',
      Effect: 'Allow',
      Action: ['ec2:CreateTags'],
      Resource: launched,
      Condition: { StringEquals: { ...requestOwned, 'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] }, StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' } },
    },
    {
      Sid: 'AllowScopedDeletionConditioned',
      Effect: 'Allow',
      Action: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
      Resource: [ec2('instance/*'), ec2('launch-template/*')],
      Condition: { StringEquals: owned, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
    },
    {
      Sid: 'AllowRegionalReadActions',
      Effect: 'Allow',
      Action: [
        'ec2:DescribeCapacityReservations',
        'ec2:DescribeImages',
        'ec2:DescribeInstances',
        'ec2:DescribeInstanceTypeOfferings',
        'ec2:DescribeInstanceTypes',
        'ec2:DescribeLaunchTemplates',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSpotPriceHistory',
        'ec2:DescribeSubnets',
        'ec2:DescribeAvailabilityZones',
        'pricing:GetProducts',
        'iam:ListInstanceProfiles',
      ],
      Resource: ['*'],
    },
    {
      Sid: 'AllowSSMReadActions',
      Effect: 'Allow',
      Action: ['ssm:GetParameter'],
      Resource: [`arn:aws:ssm:${region}::parameter/aws/service/*`],
    },
    {
      Sid: 'AllowInterruptionQueueActions',
      Effect: 'Allow',
      Action: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
      Resource: [`arn:aws:sqs:${region}:${accountId}:${scope.interruptionQueue}`],
    },
    {
      Sid: 'AllowPassingInstanceRole',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: [`arn:aws:iam::${accountId}:role/${eksNodeRoleName(clusterName)}`],
      Condition: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com'] } },
    },
    {
      Sid: 'AllowScopedInstanceProfileActions',
      Effect: 'Allow',
      Action: ['iam:CreateInstanceProfile', 'iam:TagInstanceProfile', 'iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile', 'iam:GetInstanceProfile'],
      Resource: [instanceProfiles],
    },
    {
      Sid: 'AllowAPIServerEndpointDiscovery',
      Effect: 'Allow',
      Action: ['eks:DescribeCluster'],
      Resource: [`arn:aws:eks:${region}:${accountId}:cluster/${clusterName}`],
    },
  ];
}

/** Most vCPUs Karpenter's default NodePool provisions in total when none is given. */
export const DEFAULT_KARPENTER_CPU_LIMIT = 100;

/** What Karpenter's default NodePool may launch. */
export type KarpenterCapacityType = 'on-demand' | 'spot';

/** Props of {@link Karpenter}. */
export interface KarpenterProps extends AddonProps {
  /** The EKS cluster's name (`settings.clusterName`; also the discovery tag value and node role prefix). */
  readonly clusterName: string;
  /** Name of the SQS queue of EC2 interruption events (`settings.interruptionQueue`). */
  readonly interruptionQueue: string;
  /** The controller's cloud identity (an EKS Pod Identity role, needs no annotation). */
  readonly identity: WorkloadIdentity;
  /** Two controller replicas (leader election) instead of one. @default true */
  readonly highAvailability?: boolean;
  /** Create a ServiceMonitor for Karpenter's metrics (needs kube-prometheus-stack). @default false */
  readonly serviceMonitor?: boolean;
  /** Install the `default` NodePool and EC2NodeClass. @default true */
  readonly defaultNodePool?: boolean;
  /** Capacity types the default NodePool launches (spot needs the EC2 Spot service-linked role in the account). @default ["on-demand"] */
  readonly capacityTypes?: readonly KarpenterCapacityType[];
  /** Most vCPUs the default NodePool may provision in total. @default 100 */
  readonly cpuLimit?: number;
  /** AMI alias of the default EC2NodeClass: `al2023@latest` or a pinned `al2023@v<YYYYMMDD>`. @default "al2023@latest" */
  readonly amiAlias?: string;
  /** Root volume size of Karpenter's nodes. @default 50 */
  readonly rootVolumeGiB?: number;
}

/**
 * Karpenter in the `karpenter` namespace: node provisioning for EKS from pending pods, with an EKS
 * Pod Identity role scoped by {@link karpenterControllerPolicy}, and (by default) one `default`
 * NodePool on one `default` EC2NodeClass, applied after the chart by idpkit's manifests chart.
 *
 * - The EC2NodeClass runs Amazon Linux 2023 with the cluster's node role (`<cluster>-node`, which
 *   already has an EKS access entry through the managed node groups), IMDSv2 with one hop,
 *   encrypted gp3 root volumes, and finds subnets and security groups tagged
 *   `karpenter.sh/discovery = <cluster>` (the infra stack must tag them).
 * - Interruption handling reads the SQS queue `interruptionQueue` (the queue and its EventBridge
 *   rules belong in the infra stack).
 * - The namespace enforces the **restricted** Pod Security level: the chart runs the controller
 *   non-root, read-only, without capabilities and with the RuntimeDefault seccomp profile.
 *
 * @see https://karpenter.sh/docs/
 * @example
 * new Karpenter(this, 'karpenter', { clusterName: 'idp-prod', interruptionQueue: 'idp-prod-karpenter', identity });
 */
export class Karpenter extends Construct {
  /** The Helm release. */
  readonly addon: HelmAddon;
  /** The default NodePool and EC2NodeClass, when installed. */
  readonly nodePools?: ManifestsRelease;

  constructor(scope: Construct, id: string, props: KarpenterProps) {
    super(scope, id);
    const ha = props.highAvailability ?? true;
    const capacityTypes = props.capacityTypes ?? ['on-demand'];
    const cpuLimit = props.cpuLimit ?? DEFAULT_KARPENTER_CPU_LIMIT;
    const amiAlias = props.amiAlias ?? 'al2023@latest';
    const rootVolumeGiB = props.rootVolumeGiB ?? 50;
    const problems: string[] = [];
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(props.interruptionQueue)) {
      problems.push(`interruptionQueue "${props.interruptionQueue}" is not an SQS queue name (1-80 letters, digits, "-" and "_")`);
    }
    if (capacityTypes.length === 0) problems.push('capacityTypes is empty (list on-demand, spot or both)');
    if (!Number.isInteger(cpuLimit) || cpuLimit < 1) problems.push(`cpuLimit ${cpuLimit} is not a whole number >= 1`);
    if (!/^al2023@(latest|v[0-9]{8})$/.test(amiAlias)) problems.push(`amiAlias "${amiAlias}" is not an AL2023 alias (expected al2023@latest or al2023@v20260801)`);
    if (!Number.isInteger(rootVolumeGiB) || rootVolumeGiB < 20) problems.push(`rootVolumeGiB ${rootVolumeGiB} is not a whole number >= 20`);
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems.map((problem) => `${this.node.path}: ${problem}`));

    this.addon = new HelmAddon(this, 'release', {
      chart: CHARTS.karpenter,
      namespace: KARPENTER_NAMESPACE,
      values: {
        settings: { clusterName: props.clusterName, interruptionQueue: props.interruptionQueue },
        replicas: ha ? 2 : 1,
        serviceAccount: { create: true, name: KARPENTER_SERVICE_ACCOUNT, annotations: { ...props.identity.serviceAccountAnnotations } },
        podLabels: { ...props.identity.podLabels },
        serviceMonitor: { enabled: props.serviceMonitor ?? false },
      },
      valueOverrides: props.valueOverrides,
      dependsOn: props.dependsOn,
    });

    if (props.defaultNodePool ?? true) {
      const discovery = [{ tags: { [KARPENTER_DISCOVERY_TAG]: props.clusterName } }];
      const nodeClass: KubernetesObject = {
        apiVersion: 'karpenter.k8s.aws/v1',
        kind: 'EC2NodeClass',
        metadata: { name: 'default' },
        spec: {
          role: eksNodeRoleName(props.clusterName),
          amiSelectorTerms: [{ alias: amiAlias }],
          subnetSelectorTerms: discovery,
          securityGroupSelectorTerms: discovery,
          metadataOptions: { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' },
          blockDeviceMappings: [
            { deviceName: '/dev/xvda', ebs: { volumeSize: `${rootVolumeGiB}Gi`, volumeType: 'gp3', encrypted: true, deleteOnTermination: true } },
          ],
        },
      };
      const nodePool: KubernetesObject = {
        apiVersion: 'karpenter.sh/v1',
        kind: 'NodePool',
        metadata: { name: 'default' },
        spec: {
          template: {
            spec: {
              nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
              requirements: [
                { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
                { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
                { key: 'karpenter.sh/capacity-type', operator: 'In', values: [...capacityTypes] },
                { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] },
                { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['5'] },
              ],
              expireAfter: '720h',
            },
          },
          limits: { cpu: String(cpuLimit) },
          disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: ha ? '5m' : '1m' },
        },
      };
      this.nodePools = new ManifestsRelease(this, 'node-pools', {
        releaseName: 'karpenter-node-pools',
        namespace: KARPENTER_NAMESPACE,
        manifests: [nodeClass, nodePool],
        dependsOn: [this.addon],
      });
    }
  }
}
