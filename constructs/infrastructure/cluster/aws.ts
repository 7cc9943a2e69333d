import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { EksAddon, EksAddonConfig } from '@cdktf/provider-aws/lib/eks-addon';
import { Ec2Tag } from '@cdktf/provider-aws/lib/ec2-tag';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Construct } from 'constructs';
import { CLUSTER_DEFAULTS, KARPENTER_DISCOVERY_TAG, KubernetesCluster, KubernetesClusterProps, NETWORK_POLICY_ENGINE_TAG, NODE_PROVISIONER_TAG, NodeGroupProps, SPOT_NODE_TAINT, clusterPropProblems } from '.';
import { Fn } from '../../core/cdktf';
import { parseCidr } from '../../core/cidr';
import { IdpkitError } from '../../core/errors';
import { tierDefault } from '../../core/tiers';
import { applyOverrides } from '../../core/overrides';
import { AwsRole, awsManagedPolicy, serviceTrust } from '../../integration/identity/aws';
import { EncryptionKey } from '../keys';
import { AwsKmsKey } from '../keys/aws';
import { instanceArchitecture } from '../private/ec2';
import { CLOUDWATCH_RETENTION_DAYS } from '../private/log-retention';
import { EKS_VERSIONS, EksAddonName, EksKubernetesVersion } from './eks-versions';

/** Every EKS control-plane log type: API, audit, authenticator, controller manager, scheduler. */
export const EKS_CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

/**
 * What enforces Kubernetes NetworkPolicies on an EKS cluster: the Amazon VPC CNI's own network
 * policy agent, or an engine installed beside it (e.g. idpkit's `cilium` add-on in chaining mode).
 * Run one engine only: AWS asks to remove any other before turning the VPC CNI's on.
 */
export type EksNetworkPolicyEngine = 'vpc-cni' | 'cilium' | 'calico';

/** The network policy engine when none is given: the VPC CNI's, which needs nothing else installed. */
export const DEFAULT_EKS_NETWORK_POLICY_ENGINE: EksNetworkPolicyEngine = 'vpc-cni';

/**
 * What adds nodes to an EKS cluster for pending pods. EKS managed node groups do not grow by
 * themselves: their desired size stays where it was set (idpkit: minSize) until Karpenter
 * launches nodes beside them or a cluster autoscaler raises it.
 */
export type EksNodeProvisioner = 'karpenter' | 'cluster-autoscaler';

/** Props of {@link AwsEksCluster}. */
export interface AwsEksClusterProps extends KubernetesClusterProps {
  /** Kubernetes version, one of {@link EKS_VERSIONS}. */
  readonly kubernetesVersion: EksKubernetesVersion;
  /** ARN of an IAM role or user granted cluster admin through an EKS access entry. */
  readonly adminPrincipal: string;
  /** Private subnets for the control plane's network interfaces and the nodes. */
  readonly subnetIds: string[];
  /** Days control-plane logs are kept. @default - the tier's `logRetentionDays` (dev 30, staging 90, prod 365); 365 without a tier */
  readonly logRetentionDays?: number;
  /** Key that envelope-encrypts Kubernetes secrets. @default - a new key is created, alias `idpkit/eks/<name>/secrets` */
  readonly secretsKey?: EncryptionKey;
  /** Key that encrypts control-plane logs. @default - a new key is created, alias `idpkit/eks/<name>/logs` */
  readonly logsKey?: AwsKmsKey;
  /** Days a scheduled deletion of a key this construct creates waits. @default - the tier's `keyDeletionWindowDays` (dev 7, staging and prod 30); 30 without a tier */
  readonly keyDeletionWindowDays?: number;
  /** KMS key ARN for node root volumes. @default - the account's AWS managed EBS key (aws/ebs) */
  readonly nodeVolumeKmsKeyArn?: string;
  /**
   * What enforces NetworkPolicies. `vpc-cni` turns on the VPC CNI add-on's network policy agent
   * (`enableNetworkPolicy`); another engine must be installed separately (it is named in the
   * cluster's `idpkit.dev/network-policy-engine` tag, which policy checks read).
   * @default "vpc-cni"
   * @see https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy.html
   */
  readonly networkPolicyEngine?: EksNetworkPolicyEngine;
  /**
   * What adds nodes for pending pods, installed separately (idpkit's `karpenter` add-on in the
   * platform stack); named in the cluster's `idpkit.dev/node-provisioner` tag, which policy checks
   * read. Without one the managed node groups keep `minSize` nodes (`desiredSize` at creation).
   * @default - none
   */
  readonly nodeProvisioner?: EksNodeProvisioner;
}

/**
 * Where each managed add-on runs relative to the node groups, and which identity it uses. Add-ons
 * the nodes need to become ready come first; the rest wait for nodes, or they never turn ACTIVE.
 */
const ADDON_ORDER: Readonly<Record<EksAddonName, 'before-nodes' | 'after-nodes'>> = {
  'vpc-cni': 'before-nodes',
  'kube-proxy': 'before-nodes',
  'eks-pod-identity-agent': 'before-nodes',
  coredns: 'after-nodes',
  'aws-ebs-csi-driver': 'after-nodes',
};

/** Amazon Linux 2023 node images by CPU architecture (AL2 images end with Kubernetes 1.32). */
const AMI_TYPES = { x86_64: 'AL2023_x86_64_STANDARD', arm64: 'AL2023_ARM_64_STANDARD' } as const;

/**
 * An EKS cluster hardened the way AWS's best-practice guide says: pinned version on standard
 * support, secrets envelope-encrypted with a rotating customer key, every control-plane log type
 * to a KMS-encrypted log group, private API endpoint (public only for listed CIDRs), access
 * entries instead of aws-auth, IRSA and Pod Identity, pinned managed add-ons, NetworkPolicies
 * enforced (by the VPC CNI's network policy agent unless another engine is named), and managed node
 * groups on AL2023 with IMDSv2 only and encrypted root volumes. With deletion protection (the
 * default) the cluster and the keys it creates also carry `lifecycle.prevent_destroy`.
 *
 * @see https://docs.aws.amazon.com/eks/latest/best-practices/introduction.html
 * @example
 * declare const network: AwsNetwork;
 * const cluster = new AwsEksCluster(this, 'cluster', {
 *   name: 'idp-prod', kubernetesVersion: '1.35', subnetIds: network.privateSubnetIds,
 *   adminPrincipal: 'arn:aws:iam::222222222222:role/platform-admin',
 *   nodeGroups: [{ name: 'general', instanceTypes: ['m6i.xlarge'], minSize: 3, maxSize: 12 }],
 * });
 */
export class AwsEksCluster extends Construct implements KubernetesCluster {
  readonly clusterName: string;
  readonly endpoint: string;
  readonly certificateAuthorityData: string;
  readonly oidcIssuerUrl: string;
  /** ARN of the IAM OIDC provider for IRSA. */
  readonly oidcProviderArn: string;
  /** ARN of the nodes' IAM role. */
  readonly nodeRoleArn: string;
  /** The key that encrypts Kubernetes secrets. */
  readonly secretsKey: EncryptionKey;
  /** Name of the EC2 Auto Scaling group behind each managed node group, by node group name (for scheduled scaling). */
  readonly nodeGroupAutoscalingGroupNames: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: AwsEksClusterProps) {
    super(scope, id);
    this.validate(props);
    const logRetentionDays = props.logRetentionDays ?? tierDefault(this, (rules) => rules.logRetentionDays, CLUSTER_DEFAULTS.logRetentionDays);
    const deletionProtection = props.deletionProtection ?? tierDefault(this, (rules) => rules.deletionProtection, CLUSTER_DEFAULTS.deletionProtection);
    const networkPolicyEngine = props.networkPolicyEngine ?? DEFAULT_EKS_NETWORK_POLICY_ENGINE;
    const publicEndpointCidrs = [...(props.publicEndpointCidrs ?? [])];
    const newKey = (purpose: string) =>
      new AwsKmsKey(this, `${purpose}-key`, {
        // Under eks/: `idpkit/<name>/...` is the environment's namespace, and a cluster may share its environment's name.
        alias: `idpkit/eks/${props.name}/${purpose}`,
        description: `EKS ${purpose} of ${props.name}`,
        deletionWindowDays: props.keyDeletionWindowDays,
        preventDestroy: deletionProtection,
      });
    this.secretsKey = props.secretsKey ?? newKey('secrets');
    const logsKey = props.logsKey ?? newKey('logs');

    const logGroupName = `/aws/eks/${props.name}/cluster`;
    logsKey.grantLogEncryption(logGroupName);
    const logGroup = new CloudwatchLogGroup(this, 'control-plane-logs', {
      name: logGroupName,
      retentionInDays: logRetentionDays,
      kmsKeyId: logsKey.keyId,
    });

    const clusterRole = new AwsRole(this, 'cluster-role', {
      name: `${props.name}-cluster`,
      description: `EKS control plane of ${props.name}`,
      trust: [serviceTrust('eks.amazonaws.com', ['sts:AssumeRole', 'sts:TagSession'])],
      managedPolicyArns: [awsManagedPolicy('AmazonEKSClusterPolicy')],
      inlineStatements: [
        {
          Sid: 'EnvelopeEncryptSecrets',
          Effect: 'Allow',
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'],
          Resource: this.secretsKey.keyId,
        },
      ],
    });

    const cluster = new EksCluster(this, 'cluster', {
      name: props.name,
      version: props.kubernetesVersion,
      roleArn: clusterRole.arn,
      bootstrapSelfManagedAddons: false,
      deletionProtection,
      enabledClusterLogTypes: EKS_CONTROL_PLANE_LOG_TYPES,
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: this.secretsKey.keyId } },
      upgradePolicy: { supportType: 'STANDARD' },
      vpcConfig: {
        subnetIds: props.subnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: publicEndpointCidrs.length > 0,
        publicAccessCidrs: publicEndpointCidrs.length > 0 ? publicEndpointCidrs : undefined,
      },
      tags: { [NETWORK_POLICY_ENGINE_TAG]: networkPolicyEngine, ...(props.nodeProvisioner ? { [NODE_PROVISIONER_TAG]: props.nodeProvisioner } : {}) },
      lifecycle: deletionProtection ? { preventDestroy: true } : undefined,
      dependsOn: [logGroup],
    });
    applyOverrides(cluster, props.terraformOverrides);
    // Node provisioners (Karpenter) find the security group EKS made for the cluster by this tag.
    new Ec2Tag(this, 'cluster-security-group-discovery-tag', {
      resourceId: cluster.vpcConfig.clusterSecurityGroupId,
      key: KARPENTER_DISCOVERY_TAG,
      value: props.name,
    });

    new EksAccessEntry(this, 'admin-access', { clusterName: cluster.name, principalArn: props.adminPrincipal, type: 'STANDARD' });
    new EksAccessPolicyAssociation(this, 'admin-access-policy', {
      clusterName: cluster.name,
      principalArn: props.adminPrincipal,
      policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      accessScope: { type: 'cluster' },
    });

    const issuerUrl = cluster.identity.get(0).oidc.get(0).issuer;
    const oidcProvider = new IamOpenidConnectProvider(this, 'oidc-provider', { url: issuerUrl, clientIdList: ['sts.amazonaws.com'] });
    const issuerHost = Fn.replace(issuerUrl, 'https://', '');

    const nodeRole = new AwsRole(this, 'node-role', {
      name: `${props.name}-node`,
      description: `EKS managed nodes of ${props.name}`,
      trust: [serviceTrust('ec2.amazonaws.com')],
      managedPolicyArns: [awsManagedPolicy('AmazonEKSWorkerNodePolicy'), awsManagedPolicy('AmazonEC2ContainerRegistryPullOnly')],
    });
    // The CNI's IP-address permissions go to its service account (IRSA), not to every pod on the node.
    const cniRole = new AwsRole(this, 'vpc-cni-role', {
      name: `${props.name}-vpc-cni`,
      description: `Amazon VPC CNI (kube-system/aws-node) of ${props.name}`,
      trust: [
        {
          Effect: 'Allow',
          Principal: { Federated: oidcProvider.arn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: { [`${issuerHost}:sub`]: 'system:serviceaccount:kube-system:aws-node', [`${issuerHost}:aud`]: 'sts.amazonaws.com' },
          },
        },
      ],
      managedPolicyArns: [awsManagedPolicy('AmazonEKS_CNI_Policy')],
    });
    const ebsCsiRole = new AwsRole(this, 'ebs-csi-role', {
      name: `${props.name}-ebs-csi`,
      description: `EBS CSI controller (kube-system/ebs-csi-controller-sa) of ${props.name}`,
      trust: [serviceTrust('pods.eks.amazonaws.com', ['sts:AssumeRole', 'sts:TagSession'])],
      managedPolicyArns: [awsManagedPolicy('service-role/AmazonEBSCSIDriverPolicy')],
    });
    const addonIdentity: Partial<Record<EksAddonName, Partial<EksAddonConfig>>> = {
      'vpc-cni': {
        serviceAccountRoleArn: cniRole.arn,
        configurationValues: networkPolicyEngine === 'vpc-cni' ? JSON.stringify({ enableNetworkPolicy: 'true' }) : undefined,
      },
      // The driver's own gp3 StorageClass becomes the cluster default: EKS ships none, and persistent add-ons need one.
      'aws-ebs-csi-driver': {
        podIdentityAssociation: [{ roleArn: ebsCsiRole.arn, serviceAccount: 'ebs-csi-controller-sa' }],
        configurationValues: JSON.stringify({ defaultStorageClass: { enabled: true } }),
      },
    };
    const addonVersions = EKS_VERSIONS[props.kubernetesVersion].addons;
    const addon = (name: EksAddonName, dependsOn: Construct[]) =>
      new EksAddon(this, `addon-${name}`, {
        clusterName: cluster.name,
        addonName: name,
        addonVersion: addonVersions[name],
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'PRESERVE',
        ...addonIdentity[name],
        dependsOn: dependsOn as EksAddon[],
      });
    const addonNames = Object.keys(ADDON_ORDER) as EksAddonName[];
    const earlyAddons = addonNames.filter((name) => ADDON_ORDER[name] === 'before-nodes').map((name) => addon(name, []));

    const nodeGroups = props.nodeGroups.map((group) => this.addNodeGroup(props, group, cluster, nodeRole, earlyAddons));
    addonNames.filter((name) => ADDON_ORDER[name] === 'after-nodes').forEach((name) => addon(name, nodeGroups));

    this.clusterName = cluster.name;
    this.endpoint = cluster.endpoint;
    this.certificateAuthorityData = cluster.certificateAuthority.get(0).data;
    this.oidcIssuerUrl = issuerUrl;
    this.oidcProviderArn = oidcProvider.arn;
    this.nodeRoleArn = nodeRole.arn;
    this.nodeGroupAutoscalingGroupNames = Object.fromEntries(
      props.nodeGroups.map((group, index) => [group.name, nodeGroups[index].resources.get(0).autoscalingGroups.get(0).name]),
    );
  }

  private addNodeGroup(props: AwsEksClusterProps, group: NodeGroupProps, cluster: EksCluster, nodeRole: AwsRole, after: EksAddon[]): EksNodeGroup {
    const launchTemplate = new LaunchTemplate(this, `${group.name}-launch-template`, {
      name: `${props.name}-${group.name}`,
      description: `Nodes of ${props.name}/${group.name}: IMDSv2 only, encrypted root volume`,
      updateDefaultVersion: true,
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: {
            volumeSize: group.diskSizeGiB ?? CLUSTER_DEFAULTS.diskSizeGiB,
            volumeType: 'gp3',
            encrypted: 'true',
            kmsKeyId: props.nodeVolumeKmsKeyArn,
            deleteOnTermination: 'true',
          },
        },
      ],
      tagSpecifications: [
        { resourceType: 'instance', tags: { Name: `${props.name}-${group.name}` } },
        { resourceType: 'volume', tags: { Name: `${props.name}-${group.name}` } },
      ],
    });
    return new EksNodeGroup(this, `${group.name}-nodes`, {
      clusterName: cluster.name,
      nodeGroupName: group.name,
      version: cluster.version,
      nodeRoleArn: nodeRole.arn,
      subnetIds: props.subnetIds,
      instanceTypes: [...group.instanceTypes],
      amiType: AMI_TYPES[instanceArchitecture(group.instanceTypes[0])],
      capacityType: group.capacityType ?? CLUSTER_DEFAULTS.capacityType,
      labels: group.labels ? { ...group.labels } : undefined,
      // EKS labels spot nodes eks.amazonaws.com/capacityType=SPOT but does not taint them.
      taint: group.capacityType === 'SPOT' ? [{ ...SPOT_NODE_TAINT.aws, effect: 'NO_SCHEDULE' }] : undefined,
      scalingConfig: { minSize: group.minSize, maxSize: group.maxSize, desiredSize: group.desiredSize ?? group.minSize },
      updateConfig: { maxUnavailablePercentage: 33 },
      nodeRepairConfig: { enabled: true },
      launchTemplate: { id: launchTemplate.id, version: Fn.tostring(launchTemplate.latestVersion) },
      lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
      dependsOn: after,
    });
  }

  private validate(props: AwsEksClusterProps): void {
    const at = `${this.node.path}:`;
    const problems = clusterPropProblems(this.node.path, props, Object.keys(EKS_VERSIONS));
    if (props.logRetentionDays !== undefined && !(CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(props.logRetentionDays)) {
      problems.push(`${at} logRetentionDays ${props.logRetentionDays} is not a CloudWatch Logs retention period (allowed: ${CLOUDWATCH_RETENTION_DAYS.join(', ')})`);
    }
    (props.publicEndpointCidrs ?? []).forEach((cidr) => {
      if (!parseCidr(cidr)) problems.push(`${at} publicEndpointCidrs entry "${cidr}" is not a valid IPv4 CIDR (expected e.g. 203.0.113.0/24)`);
    });
    props.nodeGroups.forEach((group) => {
      if (new Set(group.instanceTypes.map(instanceArchitecture)).size > 1) {
        problems.push(`${at} node group "${group.name}" mixes arm64 and x86_64 instance types (${group.instanceTypes.join(', ')}); use one architecture per group`);
      }
    });
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
  }
}
