import { AwsEksCluster, AwsEksClusterProps, EKS_CONTROL_PLANE_LOG_TYPES } from '../../../../constructs/infrastructure/cluster/aws';
import { EKS_VERSIONS } from '../../../../constructs/infrastructure/cluster/eks-versions';
import { awsTestStack, onlyResource, resources } from '../../../helpers';

const baseProps: AwsEksClusterProps = {
  name: 'idp-test',
  kubernetesVersion: '1.35',
  subnetIds: ['subnet-a', 'subnet-b', 'subnet-c'],
  adminPrincipal: 'arn:aws:iam::111111111111:role/platform-admin',
  nodeGroups: [{ name: 'general', instanceTypes: ['m6i.large'], minSize: 2, maxSize: 6 }],
};
const synth = (props: Partial<AwsEksClusterProps> = {}) => awsTestStack((stack) => new AwsEksCluster(stack, 'cluster', { ...baseProps, ...props }));

const json = synth();
const cluster = onlyResource(json, 'aws_eks_cluster');
const addressOf = (type: string, match: (body: any) => boolean) => {
  const [name] = Object.entries(json.resource[type]).find(([, body]) => match(body))!;
  return `${type}.${name}`;
};

describe('AwsEksCluster', () => {
  test('pins the Kubernetes version and stays on standard support', () => {
    expect(cluster).toMatchObject({ name: 'idp-test', version: '1.35', upgrade_policy: { support_type: 'STANDARD' } });
  });

  test('envelope-encrypts secrets with its own rotating customer-managed key', () => {
    const keyAddress = addressOf('aws_kms_key', (key) => key.description === 'EKS secrets of idp-test');
    expect(cluster.encryption_config).toEqual({ resources: ['secrets'], provider: { key_arn: `\${${keyAddress}.arn}` } });
    expect(json.resource.aws_kms_key[keyAddress.split('.')[1]]).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
  });

  test('sends every control-plane log type to a KMS-encrypted log group created before the cluster', () => {
    expect(cluster.enabled_cluster_log_types).toEqual(EKS_CONTROL_PLANE_LOG_TYPES);
    expect(EKS_CONTROL_PLANE_LOG_TYPES).toHaveLength(5);
    const logGroup = onlyResource(json, 'aws_cloudwatch_log_group');
    expect(logGroup).toMatchObject({ name: '/aws/eks/idp-test/cluster', retention_in_days: 365 });
    expect(logGroup.kms_key_id).toMatch(/aws_kms_key\..+\.arn/);
    expect(cluster.depends_on).toContain(addressOf('aws_cloudwatch_log_group', () => true));
  });

  test('keeps the API endpoint private unless public CIDRs are listed', () => {
    expect(cluster.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false, subnet_ids: baseProps.subnetIds });
    expect(cluster.vpc_config.public_access_cidrs).toBeUndefined();
    const open = onlyResource(synth({ publicEndpointCidrs: ['203.0.113.0/24'] }), 'aws_eks_cluster');
    expect(open.vpc_config).toMatchObject({ endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] });
  });

  test('uses access entries only, granting cluster admin to the configured principal and not the creator', () => {
    expect(cluster.access_config).toEqual({ authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false });
    expect(onlyResource(json, 'aws_eks_access_entry')).toMatchObject({ principal_arn: baseProps.adminPrincipal, type: 'STANDARD' });
    expect(onlyResource(json, 'aws_eks_access_policy_association')).toMatchObject({
      principal_arn: baseProps.adminPrincipal,
      policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      access_scope: { type: 'cluster' },
    });
  });

  test('has deletion protection unless turned off', () => {
    expect(cluster.deletion_protection).toBe(true);
    expect(onlyResource(synth({ deletionProtection: false }), 'aws_eks_cluster').deletion_protection).toBe(false);
  });

  test('with deletion protection, keeps the cluster and the keys it creates from destroy', () => {
    expect(cluster.lifecycle).toEqual({ prevent_destroy: true });
    expect(resources(json, 'aws_kms_key').map((key) => key.lifecycle)).toEqual([{ prevent_destroy: true }, { prevent_destroy: true }]);
    const unprotected = synth({ deletionProtection: false });
    expect(onlyResource(unprotected, 'aws_eks_cluster').lifecycle).toBeUndefined();
    expect(resources(unprotected, 'aws_kms_key').map((key) => key.lifecycle)).toEqual([undefined, undefined]);
  });

  test('enforces NetworkPolicies with the VPC CNI network policy agent by default, and names the engine in a tag', () => {
    const cni = resources(json, 'aws_eks_addon').find((addon) => addon.addon_name === 'vpc-cni');
    expect(JSON.parse(cni.configuration_values)).toEqual({ enableNetworkPolicy: 'true' });
    expect(cluster.tags).toEqual({ 'idpkit.dev/network-policy-engine': 'vpc-cni' });
  });

  test('leaves the VPC CNI agent off when another engine (Cilium) enforces NetworkPolicies', () => {
    const withCilium = synth({ networkPolicyEngine: 'cilium' });
    const cni = resources(withCilium, 'aws_eks_addon').find((addon) => addon.addon_name === 'vpc-cni');
    expect(cni.configuration_values).toBeUndefined();
    expect(onlyResource(withCilium, 'aws_eks_cluster').tags).toEqual({ 'idpkit.dev/network-policy-engine': 'cilium' });
  });

  test('registers an IAM OIDC provider for IRSA with the STS audience', () => {
    const clusterAddress = addressOf('aws_eks_cluster', () => true);
    expect(onlyResource(json, 'aws_iam_openid_connect_provider')).toEqual(
      expect.objectContaining({ url: `\${${clusterAddress}.identity[0].oidc[0].issuer}`, client_id_list: ['sts.amazonaws.com'] }),
    );
  });

  test('runs the five managed add-ons at the versions pinned for its Kubernetes version', () => {
    const addons = Object.fromEntries(resources(json, 'aws_eks_addon').map((addon) => [addon.addon_name, addon.addon_version]));
    expect(addons).toEqual(EKS_VERSIONS['1.35'].addons);
    expect(cluster.bootstrap_self_managed_addons).toBe(false);
  });

  test('installs networking add-ons before nodes, and coredns and the EBS CSI driver after them', () => {
    const nodeGroupAddress = addressOf('aws_eks_node_group', () => true);
    const nodeGroup = onlyResource(json, 'aws_eks_node_group');
    const addonAddress = (name: string) => addressOf('aws_eks_addon', (addon) => addon.addon_name === name);
    expect(nodeGroup.depends_on).toEqual(['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent'].map(addonAddress));
    for (const name of ['coredns', 'aws-ebs-csi-driver']) {
      expect(resources(json, 'aws_eks_addon').find((addon) => addon.addon_name === name).depends_on).toEqual([nodeGroupAddress]);
    }
  });

  test('gives the CNI an IRSA role bound to kube-system/aws-node and the EBS CSI driver a Pod Identity role', () => {
    const cni = resources(json, 'aws_eks_addon').find((addon) => addon.addon_name === 'vpc-cni');
    const cniRoleAddress = addressOf('aws_iam_role', (role) => role.name === 'idp-test-vpc-cni');
    expect(cni.service_account_role_arn).toBe(`\${${cniRoleAddress}.arn}`);
    // The condition keys hold a Terraform expression (the issuer without https://), so the policy is JSON only after Terraform renders it.
    const trust: string = json.resource.aws_iam_role[cniRoleAddress.split('.')[1]].assume_role_policy;
    expect(trust).toContain('"Action":"sts:AssumeRoleWithWebIdentity"');
    expect(trust).toContain('"Federated":"${aws_iam_openid_connect_provider.');
    expect(trust).toContain('oidc[0].issuer, "https://", "")}:sub":"system:serviceaccount:kube-system:aws-node"');
    expect(trust).toContain('oidc[0].issuer, "https://", "")}:aud":"sts.amazonaws.com"');

    const ebs = resources(json, 'aws_eks_addon').find((addon) => addon.addon_name === 'aws-ebs-csi-driver');
    expect(JSON.parse(ebs.configuration_values)).toEqual({ defaultStorageClass: { enabled: true } });
    expect(ebs.pod_identity_association).toEqual([{ role_arn: expect.stringContaining('ebs-csi-role'), service_account: 'ebs-csi-controller-sa' }]);
  });

  test('gives each role only the managed policies it needs', () => {
    const attached = resources(json, 'aws_iam_role_policy_attachment').map((a) => `${a.role.match(/cluster_([a-z-]+)-role/)[1]}: ${a.policy_arn.split('/').pop()}`);
    expect(attached.sort()).toEqual([
      'cluster: AmazonEKSClusterPolicy',
      'ebs-csi: AmazonEBSCSIDriverPolicy',
      'node: AmazonEC2ContainerRegistryPullOnly',
      'node: AmazonEKSWorkerNodePolicy',
      'vpc-cni: AmazonEKS_CNI_Policy',
    ]);
    const inline = JSON.parse(onlyResource(json, 'aws_iam_role_policy').policy).Statement[0];
    expect(inline.Resource).toMatch(/^\$\{aws_kms_key\..+\.arn\}$/);
  });

  test('node groups: sizes from props, desired size left to the autoscaler, AL2023, following the control plane version', () => {
    const nodeGroup = onlyResource(json, 'aws_eks_node_group');
    expect(nodeGroup).toMatchObject({
      scaling_config: { min_size: 2, max_size: 6, desired_size: 2 },
      lifecycle: { ignore_changes: ['scaling_config[0].desired_size'] },
      instance_types: ['m6i.large'],
      ami_type: 'AL2023_x86_64_STANDARD',
      capacity_type: 'ON_DEMAND',
      subnet_ids: baseProps.subnetIds,
    });
    expect(nodeGroup.version).toMatch(/aws_eks_cluster\..+\.version/);
  });

  test('spot node groups are tainted with the label EKS gives spot nodes, so only pods that tolerate spot land there', () => {
    const mixed = synth({ nodeGroups: [baseProps.nodeGroups[0], { name: 'batch', instanceTypes: ['m6i.xlarge'], minSize: 0, maxSize: 4, capacityType: 'SPOT' }] });
    const groups = Object.fromEntries(resources(mixed, 'aws_eks_node_group').map((group) => [group.node_group_name, group]));
    expect(groups.batch).toMatchObject({ capacity_type: 'SPOT', taint: [{ key: 'eks.amazonaws.com/capacityType', value: 'SPOT', effect: 'NO_SCHEDULE' }] });
    expect(groups.general.taint).toBeUndefined();
    expect(() => synth({ nodeGroups: [{ name: 'batch', instanceTypes: ['m6i.xlarge'], minSize: 1, maxSize: 4, capacityType: 'SPOT' }] })).toThrow('every node group is SPOT (batch)');
  });

  test('node groups of Graviton instances get the arm64 image', () => {
    const arm = synth({ nodeGroups: [{ name: 'arm', instanceTypes: ['m7g.large', 'c7gn.large'], minSize: 1, maxSize: 2 }] });
    expect(onlyResource(arm, 'aws_eks_node_group').ami_type).toBe('AL2023_ARM_64_STANDARD');
  });

  test('launch templates require IMDSv2 with a hop limit of 1 and encrypt root volumes', () => {
    const template = onlyResource(json, 'aws_launch_template');
    expect(template.metadata_options).toEqual({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 });
    expect(template.block_device_mappings[0].ebs).toMatchObject({ encrypted: 'true', volume_type: 'gp3', volume_size: 50 });
    expect(onlyResource(json, 'aws_eks_node_group').launch_template.id).toMatch(/aws_launch_template\..+\.id/);
  });

  test.each([
    ['throws when the Kubernetes version is unsupported', { kubernetesVersion: '1.28' as never }, 'kubernetesVersion "1.28" is not supported (allowed: 1.34, 1.35)'],
    ['throws when node group sizes are not ordered', { nodeGroups: [{ name: 'g', instanceTypes: ['m6i.large'], minSize: 4, maxSize: 2 }] }, 'need min <= desired <= max'],
    ['throws when a node group mixes architectures', { nodeGroups: [{ name: 'g', instanceTypes: ['m6i.large', 'm7g.large'], minSize: 1, maxSize: 2 }] }, 'mixes arm64 and x86_64'],
    ['throws when a public endpoint CIDR is malformed', { publicEndpointCidrs: ['1.2.3.4'] }, 'publicEndpointCidrs entry "1.2.3.4" is not a valid IPv4 CIDR'],
    ['throws when there are no node groups', { nodeGroups: [] }, 'nodeGroups is empty'],
  ])('%s', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
