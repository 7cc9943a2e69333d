import { parse } from 'yaml';
import { KARPENTER_CONTROLLER_RESOURCES, Karpenter, KarpenterProps, karpenterControllerPolicy } from '../../../../constructs/capabilities/autoscaling/karpenter';
import { KARPENTER_QUEUE_NAME_MAX_LENGTH, karpenterInterruptionQueueName } from '../../../../constructs/capabilities/autoscaling/karpenter-settings';
import { HelmAddon } from '../../../../constructs/core/helm-addon';
import { CHARTS } from '../../../../constructs/core/charts';
import { resources, synthJson } from '../../../helpers';
import { helmStack } from '../../../helm-helpers';

const identity = { serviceAccountAnnotations: {}, podLabels: {} };

function synth(props: Partial<KarpenterProps>, withMonitoring = false) {
  const stack = helmStack();
  const monitoring = withMonitoring ? [new HelmAddon(stack, 'kube-prometheus-stack', { chart: CHARTS.kubePrometheusStack, namespace: 'monitoring', values: {} })] : [];
  new Karpenter(stack, 'karpenter', { clusterName: 'idp-test', interruptionQueue: 'idp-test-karpenter', identity, monitoringDependsOn: monitoring, ...props });
  const json = synthJson(stack);
  const entries = Object.entries(json.resource.helm_release) as [string, any][];
  const [, release] = entries.find(([, r]) => r.chart === 'karpenter')!;
  const nodePools = entries.find(([, r]) => r.name === 'karpenter-node-pools')?.[1];
  return { json, release, entries, nodePools, values: parse(release.values[0]), manifests: nodePools ? parse(nodePools.values[0]).manifests : [] };
}

const SCOPE = { accountId: '111111111111', region: 'eu-west-1', clusterName: 'idp-test', interruptionQueue: 'idp-test-karpenter' };
const ec2 = (resource: string) => `arn:aws:ec2:eu-west-1:111111111111:${resource}`;
const LAUNCHED = ['fleet/*', 'instance/*', 'volume/*', 'network-interface/*', 'launch-template/*', 'spot-instances-request/*'].map(ec2);
const OWNED = { 'aws:ResourceTag/kubernetes.io/cluster/idp-test': 'owned' };
const REQUEST_OWNED = { 'aws:RequestTag/kubernetes.io/cluster/idp-test': 'owned', 'aws:RequestTag/eks:eks-cluster-name': 'idp-test' };
const IN_REGION = { 'aws:ResourceTag/topology.kubernetes.io/region': 'eu-west-1' };
const FOR_REGION = { 'aws:RequestTag/topology.kubernetes.io/region': 'eu-west-1' };

/**
 * The controller statements of Karpenter v1.14's getting-started CloudFormation template
 * (website/content/en/v1.14/getting-started/getting-started-with-karpenter/cloudformation.yaml),
 * for cluster idp-test in eu-west-1, with idpkit's narrowing of EC2 ARNs to its own account and of
 * `iam:PassedToService` to the aws partition (see karpenterControllerPolicy).
 */
const UPSTREAM_STATEMENTS: Record<string, { actions: string[]; condition?: unknown; resources?: string[] }> = {
  AllowScopedEC2InstanceAccessActions: {
    actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
    resources: ['arn:aws:ec2:eu-west-1::image/*', 'arn:aws:ec2:eu-west-1::snapshot/*', ...['security-group/*', 'subnet/*', 'capacity-reservation/*', 'placement-group/*'].map(ec2)],
  },
  AllowScopedEC2LaunchTemplateAccessActions: {
    actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
    resources: [ec2('launch-template/*')],
    condition: { StringEquals: OWNED, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
  },
  AllowScopedEC2InstanceActionsWithTags: {
    actions: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
    resources: LAUNCHED,
    condition: { StringEquals: REQUEST_OWNED, StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' } },
  },
  AllowScopedResourceCreationTagging: {
    actions: ['ec2:CreateTags'],
    resources: LAUNCHED,
    condition: { StringEquals: { ...REQUEST_OWNED, 'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] }, StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' } },
  },
  AllowScopedResourceTagging: {
    actions: ['ec2:CreateTags'],
    resources: [ec2('instance/*')],
    condition: {
      StringEquals: OWNED,
      StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
      StringEqualsIfExists: { 'aws:RequestTag/eks:eks-cluster-name': 'idp-test' },
      'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
    },
  },
  AllowScopedDeletion: {
    actions: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
    resources: [ec2('instance/*'), ec2('launch-template/*')],
    condition: { StringEquals: OWNED, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
  },
  AllowPassingInstanceRole: { actions: ['iam:PassRole'], condition: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com'] } } },
  AllowScopedInstanceProfileCreationActions: {
    actions: ['iam:CreateInstanceProfile'],
    condition: { StringEquals: { ...REQUEST_OWNED, ...FOR_REGION }, StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' } },
  },
  AllowScopedInstanceProfileTagActions: {
    actions: ['iam:TagInstanceProfile'],
    condition: {
      StringEquals: { ...OWNED, ...IN_REGION, ...REQUEST_OWNED, ...FOR_REGION },
      StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*', 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
    },
  },
  AllowScopedInstanceProfileActions: {
    actions: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
    condition: { StringEquals: { ...OWNED, ...IN_REGION }, StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' } },
  },
  AllowAPIServerEndpointDiscovery: { actions: ['eks:DescribeCluster'] },
  AllowInterruptionQueueActions: { actions: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'] },
  AllowZonalShiftStatusReadOnly: {
    actions: ['arc-zonal-shift:GetManagedResource'],
    condition: { StringEquals: { 'arc-zonal-shift:ResourceIdentifier': 'arn:aws:eks:eu-west-1:111111111111:cluster/idp-test' } },
  },
  AllowRegionalReadActions: {
    actions: [
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
    condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } },
  },
  AllowSSMReadActions: { actions: ['ssm:GetParameter'], resources: ['arn:aws:ssm:eu-west-1::parameter/aws/service/*'] },
  AllowPricingReadActions: { actions: ['pricing:GetProducts'] },
  AllowUnscopedInstanceProfileListAction: { actions: ['iam:ListInstanceProfiles'] },
  AllowInstanceProfileReadActions: { actions: ['iam:GetInstanceProfile'], resources: ['arn:aws:iam::111111111111:instance-profile/*'] },
};

const readOnly = (action: string) => /^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]*$/.test(action);

describe('Karpenter', () => {
  test('installs the pinned OCI chart in karpenter, which enforces the restricted Pod Security level', () => {
    const { json, release } = synth({});
    expect(release).toMatchObject({ repository: 'oci://public.ecr.aws/karpenter', chart: 'karpenter', version: CHARTS.karpenter.version });
    expect(resources(json, 'kubernetes_namespace_v1')[0].metadata.name).toBe('karpenter');
    expect(resources(json, 'kubernetes_namespace_v1')[0].metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('settings name the cluster and the interruption queue; replicas follow HA', () => {
    const { values } = synth({});
    expect(values).toMatchObject({ settings: { clusterName: 'idp-test', interruptionQueue: 'idp-test-karpenter' }, replicas: 2, serviceAccount: { name: 'karpenter' } });
    expect(synth({ highAvailability: false }).values.replicas).toBe(1);
  });

  test('the default EC2NodeClass runs AL2023 on the node role, found by discovery tags, IMDSv2 with one hop', () => {
    const { manifests, nodePools, entries } = synth({});
    const nodeClass = manifests.find((m: any) => m.kind === 'EC2NodeClass');
    expect(nodeClass.spec).toMatchObject({
      role: 'idp-test-node',
      amiSelectorTerms: [{ alias: 'al2023@latest' }],
      subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'idp-test' } }],
      securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'idp-test' } }],
      metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 },
    });
    const pool = manifests.find((m: any) => m.kind === 'NodePool');
    expect(pool.spec.template.spec.nodeClassRef).toEqual({ group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' });
    expect(pool.spec.template.spec.requirements).toContainEqual({ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] });
    expect(pool.spec.limits).toEqual({ cpu: '100' });
    const chartAddress = `helm_release.${entries.find(([, r]) => r.chart === 'karpenter')![0]}`;
    expect(nodePools.depends_on).toEqual([chartAddress]);
  });

  test('the controller requests a quarter core and 1 GiB (memory limited to it), and runs without waiting for the monitoring stack', () => {
    const { values, release, entries } = synth({ serviceMonitor: true }, true);
    expect(values.controller.resources).toEqual({ requests: { cpu: '250m', memory: '1Gi' }, limits: { memory: '1Gi' } });
    expect(values.controller.resources).toEqual(KARPENTER_CONTROLLER_RESOURCES);
    // The chart would render its ServiceMonitor only if the CRD were served at install; idpkit's own release does instead.
    expect(values.serviceMonitor).toEqual({ enabled: false });
    expect(release.depends_on ?? []).toEqual([]);
    const [monitoringId, monitoring] = entries.find(([, r]) => r.name === 'karpenter-monitoring')!;
    const [chartId] = entries.find(([, r]) => r.chart === 'karpenter')!;
    const [stackId] = entries.find(([, r]) => r.chart === 'kube-prometheus-stack')!;
    expect(monitoringId).toBeDefined();
    expect(monitoring.depends_on).toEqual([`helm_release.${chartId}`, `helm_release.${stackId}`]);
    expect(parse(monitoring.values[0]).manifests).toEqual([
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: 'karpenter', namespace: 'karpenter' },
        spec: {
          namespaceSelector: { matchNames: ['karpenter'] },
          selector: { matchLabels: { 'app.kubernetes.io/name': 'karpenter', 'app.kubernetes.io/instance': 'karpenter' } },
          endpoints: [{ port: 'http-metrics', path: '/metrics' }],
        },
      },
    ]);
    expect(synth({}).entries.find(([, r]) => r.name === 'karpenter-monitoring')).toBeUndefined();
  });

  test('the node pools release is done only when the EC2NodeClass and the NodePool are Ready', () => {
    const { manifests } = synth({});
    const job = manifests.find((m: any) => m.kind === 'Job');
    expect(job.metadata.annotations['helm.sh/hook']).toBe('post-install,post-upgrade');
    const waits = [...job.spec.template.spec.initContainers, ...job.spec.template.spec.containers].map((c: any) => c.args);
    expect(waits).toEqual([
      ['wait', '--for=condition=Ready', '--timeout=600s', 'ec2nodeclasses.karpenter.k8s.aws/default'],
      ['wait', '--for=condition=Ready', '--timeout=600s', 'nodepools.karpenter.sh/default'],
    ]);
  });

  test('maxNodeVcpus keeps the default NodePool to nodes of at most that many vCPUs', () => {
    const pool = synth({ maxNodeVcpus: 8 }).manifests.find((m: any) => m.kind === 'NodePool');
    expect(pool.spec.template.spec.requirements).toContainEqual({ key: 'karpenter.k8s.aws/instance-cpu', operator: 'Lt', values: ['9'] });
    const unlimited = synth({}).manifests.find((m: any) => m.kind === 'NodePool');
    expect(unlimited.spec.template.spec.requirements.map((r: any) => r.key)).not.toContain('karpenter.k8s.aws/instance-cpu');
    expect(() => synth({ maxNodeVcpus: 1 })).toThrow(/maxNodeVcpus 1 is not a whole number >= 2/);
  });

  test('no default NodePool when turned off', () => {
    expect(synth({ defaultNodePool: false }).nodePools).toBeUndefined();
  });

  test('throws when the queue, capacity types, CPU limit or AMI alias are invalid', () => {
    expect(() => synth({ interruptionQueue: 'not a queue' })).toThrow(expect.objectContaining({ code: 'IDPKIT_INVALID_PROPS' }));
    expect(() => synth({ capacityTypes: [] })).toThrow(/capacityTypes is empty/);
    expect(() => synth({ cpuLimit: 0 })).toThrow(/cpuLimit 0/);
    expect(() => synth({ amiAlias: 'al2@latest' })).toThrow(/amiAlias "al2@latest"/);
  });

  test('its policy passes only the node role, touches only its queue, and writes no * resource', () => {
    const statements = karpenterControllerPolicy(SCOPE);
    for (const statement of statements) {
      const actions = [statement.Action].flat();
      expect(actions.some((action) => action.includes('*'))).toBe(false);
      if (actions.some((action) => !readOnly(action) && action !== 'pricing:GetProducts')) expect([statement.Resource].flat()).not.toContain('*');
    }
    const find = (action: string) => statements.find((s) => [s.Action].flat().includes(action))!;
    expect(find('iam:PassRole').Resource).toEqual(['arn:aws:iam::111111111111:role/idp-test-node']);
    expect(find('sqs:ReceiveMessage').Resource).toEqual(['arn:aws:sqs:eu-west-1:111111111111:idp-test-karpenter']);
    expect(find('eks:DescribeCluster').Resource).toEqual(['arn:aws:eks:eu-west-1:111111111111:cluster/idp-test']);
    // Karpenter creates instance profiles under /karpenter/<region>/<cluster>/<uid>/: a name pattern would not match their ARN.
    expect(find('iam:CreateInstanceProfile').Resource).toEqual(['arn:aws:iam::111111111111:instance-profile/*']);
  });

  test.each(Object.entries(UPSTREAM_STATEMENTS))('has upstream v1.14 statement %s with its actions and conditions', (sid, upstream) => {
    const statement = karpenterControllerPolicy(SCOPE).find((s) => s.Sid === sid);
    expect(statement).toBeDefined();
    expect([statement!.Action].flat().sort()).toEqual([...upstream.actions].sort());
    expect(statement!.Condition).toEqual(upstream.condition);
    if (upstream.resources) expect([statement!.Resource].flat().sort()).toEqual([...upstream.resources].sort());
  });

  test('has no statement upstream does not have, and unique Sids', () => {
    const sids = karpenterControllerPolicy(SCOPE).map((s) => s.Sid);
    expect([...sids].sort()).toEqual(Object.keys(UPSTREAM_STATEMENTS).sort());
  });
});

describe('karpenterInterruptionQueueName', () => {
  test('is <cluster>-karpenter when that fits; a long cluster name is cut with a hash, the suffix kept, within the limit', () => {
    expect(karpenterInterruptionQueueName('idp-prod')).toBe('idp-prod-karpenter');
    const a = karpenterInterruptionQueueName(`${'a'.repeat(36)}-one`);
    const b = karpenterInterruptionQueueName(`${'a'.repeat(36)}-two`);
    for (const name of [a, b]) {
      expect(name.length).toBeLessThanOrEqual(KARPENTER_QUEUE_NAME_MAX_LENGTH);
      expect(name).toMatch(/^a+-[0-9a-f]{6}-karpenter$/);
    }
    expect(a).not.toBe(b);
  });
});
