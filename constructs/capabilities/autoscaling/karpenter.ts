import { Construct } from 'constructs';
import { KARPENTER_DISCOVERY_TAG } from '../../infrastructure/cluster';
import { CHARTS } from '../../core/charts';
import { IdpkitError } from '../../core/errors';
import { AddonProps, HelmAddon } from '../../core/helm-addon';
import { KubernetesObject, ManifestsRelease } from '../../core/manifests';
import type { WorkloadIdentity } from '../../integration/identity';
import type { PolicyStatement } from '../../integration/identity/aws';
import type { AwsPolicyScope } from '../networking/aws-load-balancer-controller';
import { KARPENTER_REPLICAS } from './karpenter-settings';
import { tierDefault } from '../../core/tiers';

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
 * The Karpenter controller's IAM policy: every statement, action and condition of upstream's
 * controller policies for the pinned version (the `KarpenterController*Policy` documents of the
 * getting-started CloudFormation template: node lifecycle, IAM integration, EKS integration,
 * interruption, zonal shift, resource discovery), as one document with upstream's Sids, and
 * these intentional differences:
 *
 * - EC2 resources that Karpenter creates or uses (instances, fleets, volumes, network interfaces,
 *   launch templates, spot requests, security groups, subnets, capacity reservations, placement
 *   groups) are this account's (`arn:aws:ec2:<region>:<account>:...`) instead of any account's:
 *   idpkit's VPC and subnets are the account's own. Capacity reservations shared from another
 *   account through RAM are therefore not usable.
 * - `iam:PassRole` names the cluster's node role (`<cluster>-node`, {@link eksNodeRoleName}),
 *   which idpkit creates, and `iam:PassedToService` only `ec2.amazonaws.com`: the ARNs are of the
 *   `aws` partition, so China's `ec2.amazonaws.com.cn` cannot apply.
 * - Instance profiles stay on `instance-profile/*` as upstream has them: Karpenter creates them
 *   under the path `/karpenter/<region>/<cluster>/<node class uid>/`, which is part of their ARN,
 *   so a name pattern cannot scope them; the tag conditions (`kubernetes.io/cluster/<cluster>`,
 *   `topology.kubernetes.io/region`, `karpenter.k8s.aws/ec2nodeclass`) do.
 *
 * @see https://karpenter.sh/docs/reference/cloudformation/
 * @see https://github.com/aws/karpenter-provider-aws/blob/v1.14.1/website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml
 */
export function karpenterControllerPolicy(scope: KarpenterPolicyScope): PolicyStatement[] {
  const { accountId, region, clusterName } = scope;
  const ec2 = (resource: string) => `arn:aws:ec2:${region}:${accountId}:${resource}`;
  const ec2Public = (resource: string) => `arn:aws:ec2:${region}::${resource}`;
  const instanceProfiles = `arn:aws:iam::${accountId}:instance-profile/*`;
  const clusterArn = `arn:aws:eks:${region}:${accountId}:cluster/${clusterName}`;
  const clusterTag = `kubernetes.io/cluster/${clusterName}`;
  const owned = { [`aws:ResourceTag/${clusterTag}`]: 'owned' };
  const requestOwned = { [`aws:RequestTag/${clusterTag}`]: 'owned', 'aws:RequestTag/eks:eks-cluster-name': clusterName };
  const ofNodePool = { 'aws:ResourceTag/karpenter.sh/nodepool': '*' };
  const forNodePool = { 'aws:RequestTag/karpenter.sh/nodepool': '*' };
  const launched = [ec2('fleet/*'), ec2('instance/*'), ec2('volume/*'), ec2('network-interface/*'), ec2('launch-template/*'), ec2('spot-instances-request/*')];
  return [
    // KarpenterControllerNodeLifecyclePolicy
    {
      Sid: 'AllowScopedEC2InstanceAccessActions',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
      Resource: [ec2Public('image/*'), ec2Public('snapshot/*'), ec2('security-group/*'), ec2('subnet/*'), ec2('capacity-reservation/*'), ec2('placement-group/*')],
    },
    {
      Sid: 'AllowScopedEC2LaunchTemplateAccessActions',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
      Resource: [ec2('launch-template/*')],
      Condition: { StringEquals: owned, StringLike: ofNodePool },
    },
    {
      Sid: 'AllowScopedEC2InstanceActionsWithTags',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
      Resource: launched,
      Condition: { StringEquals: requestOwned, StringLike: forNodePool },
    },
    {
      Sid: 'AllowScopedResourceCreationTagging',
      Effect: 'Allow',
      Action: ['ec2:CreateTags'],
      Resource: launched,
      Condition: { StringEquals: { ...requestOwned, 'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] }, StringLike: forNodePool },
    },
    {
      // Tags a running instance with its NodeClaim (karpenter.sh/nodeclaim, Name) once it is registered.
      Sid: 'AllowScopedResourceTagging',
      Effect: 'Allow',
      Action: ['ec2:CreateTags'],
      Resource: [ec2('instance/*')],
      Condition: {
        StringEquals: owned,
        StringLike: ofNodePool,
        StringEqualsIfExists: { 'aws:RequestTag/eks:eks-cluster-name': clusterName },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
      },
    },
    {
      Sid: 'AllowScopedDeletion',
      Effect: 'Allow',
      Action: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
      Resource: [ec2('instance/*'), ec2('launch-template/*')],
      Condition: { StringEquals: owned, StringLike: ofNodePool },
    },
    // KarpenterControllerIAMIntegrationPolicy
    {
      Sid: 'AllowPassingInstanceRole',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: [`arn:aws:iam::${accountId}:role/${eksNodeRoleName(clusterName)}`],
      Condition: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com'] } },
    },
    {
      Sid: 'AllowScopedInstanceProfileCreationActions',
      Effect: 'Allow',
      Action: ['iam:CreateInstanceProfile'],
      Resource: [instanceProfiles],
      Condition: {
        StringEquals: { ...requestOwned, 'aws:RequestTag/topology.kubernetes.io/region': region },
        StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      },
    },
    {
      Sid: 'AllowScopedInstanceProfileTagActions',
      Effect: 'Allow',
      Action: ['iam:TagInstanceProfile'],
      Resource: [instanceProfiles],
      Condition: {
        StringEquals: { ...owned, 'aws:ResourceTag/topology.kubernetes.io/region': region, ...requestOwned, 'aws:RequestTag/topology.kubernetes.io/region': region },
        StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*', 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      },
    },
    {
      Sid: 'AllowScopedInstanceProfileActions',
      Effect: 'Allow',
      Action: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
      Resource: [instanceProfiles],
      Condition: {
        StringEquals: { ...owned, 'aws:ResourceTag/topology.kubernetes.io/region': region },
        StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      },
    },
    // KarpenterControllerEKSIntegrationPolicy
    { Sid: 'AllowAPIServerEndpointDiscovery', Effect: 'Allow', Action: ['eks:DescribeCluster'], Resource: [clusterArn] },
    // KarpenterControllerInterruptionPolicy
    {
      Sid: 'AllowInterruptionQueueActions',
      Effect: 'Allow',
      Action: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
      Resource: [`arn:aws:sqs:${region}:${accountId}:${scope.interruptionQueue}`],
    },
    // KarpenterControllerZonalShiftPolicy: read-only, scoped to the cluster by condition.
    {
      Sid: 'AllowZonalShiftStatusReadOnly',
      Effect: 'Allow',
      Action: ['arc-zonal-shift:GetManagedResource'],
      Resource: ['*'],
      Condition: { StringEquals: { 'arc-zonal-shift:ResourceIdentifier': clusterArn } },
    },
    // KarpenterControllerResourceDiscoveryPolicy: read-only calls IAM cannot scope to a resource.
    {
      Sid: 'AllowRegionalReadActions',
      Effect: 'Allow',
      Action: [
        'ec2:DescribeCapacityReservations',
        'ec2:DescribeImages',
        'ec2:DescribeInstances',
        'ec2:DescribeInstanceStatus',
        'ec2:DescribeInstanceTypeOfferings',
        'ec2:DescribeInstanceTypes',
        'ec2:DescribeLaunchTemplates',
        'ec2:DescribePlacementGroups',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSpotPriceHistory',
        'ec2:DescribeSubnets',
      ],
      Resource: ['*'],
      Condition: { StringEquals: { 'aws:RequestedRegion': region } },
    },
    { Sid: 'AllowSSMReadActions', Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: [`arn:aws:ssm:${region}::parameter/aws/service/*`] },
    { Sid: 'AllowPricingReadActions', Effect: 'Allow', Action: ['pricing:GetProducts'], Resource: ['*'] },
    { Sid: 'AllowUnscopedInstanceProfileListAction', Effect: 'Allow', Action: ['iam:ListInstanceProfiles'], Resource: ['*'] },
    { Sid: 'AllowInstanceProfileReadActions', Effect: 'Allow', Action: ['iam:GetInstanceProfile'], Resource: [instanceProfiles] },
  ];
}

/** Most vCPUs Karpenter's default NodePool provisions in total when none is given. */
export const DEFAULT_KARPENTER_CPU_LIMIT = 100;


/**
 * What the controller container requests. The chart sets none; upstream's getting-started guide
 * sets 1 CPU and 1 GiB as a round default, and its maintainers call that a starting point, not a
 * measurement. The controller idles at a few percent of a core and keeps the EC2 instance-type
 * catalog in memory, so idpkit asks for a quarter core and upstream's 1 GiB, with memory limited
 * to it (no CPU limit: throttling slows provisioning). It has to fit on the managed node group
 * beside kube-system, because the chart keeps it off the nodes it launches (node affinity
 * `karpenter.sh/nodepool DoesNotExist`): on the smallest preset node, `m6i.large`
 * (1930m CPU and 7518 MiB allocatable, see `nodeAllocatable`), it takes 13% of the CPU and 14% of
 * the memory. Its priority class is `system-cluster-critical`, so it preempts add-on pods when the
 * node group is full.
 *
 * @see https://github.com/aws/karpenter-provider-aws/blob/v1.14.1/charts/karpenter/values.yaml
 * @see https://github.com/aws/karpenter-provider-aws/issues/3992
 */
export const KARPENTER_CONTROLLER_RESOURCES = { requests: { cpu: '250m', memory: '1Gi' }, limits: { memory: '1Gi' } } as const;

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
  /** Two controller replicas (leader election) instead of one. @default - the tier's `highAvailability` (off in dev); true without a tier */
  readonly highAvailability?: boolean;
  /**
   * Create a ServiceMonitor for Karpenter's metrics (needs the ServiceMonitor CRD of
   * kube-prometheus-stack). It is a release of its own (`karpenter-monitoring`) after
   * `monitoringDependsOn`, so the controller itself never waits for the monitoring stack.
   * @default false
   */
  readonly serviceMonitor?: boolean;
  /** Releases the ServiceMonitor waits for: the one that brings its CRD (kube-prometheus-stack). @default [] */
  readonly monitoringDependsOn?: readonly HelmAddon[];
  /** Install the `default` NodePool and EC2NodeClass. @default true */
  readonly defaultNodePool?: boolean;
  /** Capacity types the default NodePool launches (spot needs the EC2 Spot service-linked role in the account). @default ["on-demand"] */
  readonly capacityTypes?: readonly KarpenterCapacityType[];
  /** Most vCPUs the default NodePool may provision in total. @default 100 */
  readonly cpuLimit?: number;
  /**
   * Most vCPUs of one node the default NodePool launches (a `karpenter.k8s.aws/instance-cpu`
   * requirement), e.g. the tier's `maxNodeVcpus`. @default - any size within `cpuLimit`
   */
  readonly maxNodeVcpus?: number;
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
 * - The controller runs on the cluster's managed node groups (the chart keeps it off the nodes it
 *   launches), {@link KARPENTER_REPLICAS} replicas with {@link KARPENTER_CONTROLLER_RESOURCES}:
 *   the node groups must have room for them from the start (in HA, two nodes).
 * - The EC2NodeClass runs Amazon Linux 2023 with the cluster's node role (`<cluster>-node`, which
 *   already has an EKS access entry: EKS creates one for a managed node group's role), IMDSv2 with
 *   one hop, encrypted gp3 root volumes, and finds subnets and security groups tagged
 *   `karpenter.sh/discovery = <cluster>` (the infra stack must tag them).
 * - The node pools release is done only when the EC2NodeClass and the NodePool report `Ready`
 *   (subnets, security groups, AMIs and instance profile resolved, dry-run launch allowed), so a
 *   release that waits for it can count on Karpenter launching nodes.
 * - Interruption handling reads the SQS queue `interruptionQueue` (the queue and its EventBridge
 *   rules belong in the infra stack).
 * - The namespace enforces the **restricted** Pod Security level: the chart runs the controller
 *   non-root, read-only, without capabilities and with the RuntimeDefault seccomp profile.
 *
 * @see https://karpenter.sh/docs/
 * @example
 * declare const identity: WorkloadIdentity; // the controller's role, e.g. an AwsPodIdentity
 * new Karpenter(this, 'karpenter', { clusterName: 'idp-prod', interruptionQueue: 'idp-prod-karpenter', identity });
 */
export class Karpenter extends Construct {
  /** The Helm release. */
  readonly addon: HelmAddon;
  /** The default NodePool and EC2NodeClass, when installed. */
  readonly nodePools?: ManifestsRelease;
  /** The ServiceMonitor, when asked for. */
  readonly monitoring?: ManifestsRelease;

  constructor(scope: Construct, id: string, props: KarpenterProps) {
    super(scope, id);
    const ha = props.highAvailability ?? tierDefault(this, (rules) => rules.highAvailability, true);
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
    if (props.maxNodeVcpus !== undefined && (!Number.isInteger(props.maxNodeVcpus) || props.maxNodeVcpus < 2)) {
      problems.push(`maxNodeVcpus ${props.maxNodeVcpus} is not a whole number >= 2 (the smallest instance types Karpenter launches have 2 vCPUs)`);
    }
    if (!/^al2023@(latest|v[0-9]{8})$/.test(amiAlias)) problems.push(`amiAlias "${amiAlias}" is not an AL2023 alias (expected al2023@latest or al2023@v20260801)`);
    if (!Number.isInteger(rootVolumeGiB) || rootVolumeGiB < 20) problems.push(`rootVolumeGiB ${rootVolumeGiB} is not a whole number >= 20`);
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems.map((problem) => `${this.node.path}: ${problem}`));

    this.addon = new HelmAddon(this, 'release', {
      chart: CHARTS.karpenter,
      namespace: KARPENTER_NAMESPACE,
      values: {
        settings: { clusterName: props.clusterName, interruptionQueue: props.interruptionQueue },
        replicas: ha ? KARPENTER_REPLICAS.highAvailability : KARPENTER_REPLICAS.single,
        controller: { resources: KARPENTER_CONTROLLER_RESOURCES },
        serviceAccount: { create: true, name: KARPENTER_SERVICE_ACCOUNT, annotations: { ...props.identity.serviceAccountAnnotations } },
        podLabels: { ...props.identity.podLabels },
        // The chart renders its ServiceMonitor only when the CRD is already served; idpkit's own release below does not depend on that.
        serviceMonitor: { enabled: false },
      },
      valueOverrides: props.valueOverrides,
      dependsOn: props.dependsOn,
    });

    if (props.serviceMonitor ?? false) {
      const serviceMonitor: KubernetesObject = {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: 'karpenter', namespace: KARPENTER_NAMESPACE },
        spec: {
          namespaceSelector: { matchNames: [KARPENTER_NAMESPACE] },
          // The chart's selector labels of its Service (release karpenter, chart name karpenter).
          selector: { matchLabels: { 'app.kubernetes.io/name': 'karpenter', 'app.kubernetes.io/instance': 'karpenter' } },
          endpoints: [{ port: 'http-metrics', path: '/metrics' }],
        },
      };
      this.monitoring = new ManifestsRelease(this, 'monitoring', {
        releaseName: 'karpenter-monitoring',
        namespace: KARPENTER_NAMESPACE,
        manifests: [serviceMonitor],
        dependsOn: [this.addon, ...(props.monitoringDependsOn ?? [])],
      });
    }

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
                ...(props.maxNodeVcpus !== undefined ? [{ key: 'karpenter.k8s.aws/instance-cpu', operator: 'Lt', values: [String(props.maxNodeVcpus + 1)] }] : []),
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
        readyWhen: [
          { resource: 'ec2nodeclasses.karpenter.k8s.aws', names: ['default'], condition: 'Ready' },
          { resource: 'nodepools.karpenter.sh', names: ['default'], condition: 'Ready' },
        ],
      });
    }
  }
}
