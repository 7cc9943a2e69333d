import { parse } from 'yaml';
import { Karpenter, KarpenterProps, karpenterControllerPolicy } from '../../../../constructs/capabilities/autoscaling/karpenter';
import { CHARTS } from '../../../../constructs/core/charts';
import { resources, synthJson } from '../../../helpers';
import { helmStack } from '../../../helm-helpers';

const identity = { serviceAccountAnnotations: {}, podLabels: {} };

function synth(props: Partial<KarpenterProps>) {
  const stack = helmStack();
  new Karpenter(stack, 'karpenter', { clusterName: 'idp-test', interruptionQueue: 'idp-test-karpenter', identity, ...props });
  const json = synthJson(stack);
  const entries = Object.entries(json.resource.helm_release) as [string, any][];
  const [, release] = entries.find(([, r]) => r.chart === 'karpenter')!;
  const nodePools = entries.find(([, r]) => r.name === 'karpenter-node-pools')?.[1];
  return { json, release, entries, nodePools, values: parse(release.values[0]), manifests: nodePools ? parse(nodePools.values[0]).manifests : [] };
}

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

  test('no default NodePool when turned off', () => {
    expect(synth({ defaultNodePool: false }).nodePools).toBeUndefined();
  });

  test('throws when the queue, capacity types, CPU limit or AMI alias are invalid', () => {
    expect(() => synth({ interruptionQueue: 'not a queue' })).toThrow(expect.objectContaining({ code: 'IDPKIT_INVALID_PROPS' }));
    expect(() => synth({ capacityTypes: [] })).toThrow(/capacityTypes is empty/);
    expect(() => synth({ cpuLimit: 0 })).toThrow(/cpuLimit 0/);
    expect(() => synth({ amiAlias: 'al2@latest' })).toThrow(/amiAlias "al2@latest"/);
  });

  test('its policy passes only the node role, touches only its queue and instance profiles, and writes no * resource', () => {
    const statements = karpenterControllerPolicy({ accountId: '111111111111', region: 'eu-west-1', clusterName: 'idp-test', interruptionQueue: 'idp-test-karpenter' });
    for (const statement of statements) {
      const actions = [statement.Action].flat();
      expect(actions.some((action) => action.includes('*'))).toBe(false);
      if (actions.some((action) => !readOnly(action) && action !== 'pricing:GetProducts')) expect([statement.Resource].flat()).not.toContain('*');
    }
    const find = (action: string) => statements.find((s) => [s.Action].flat().includes(action))!;
    expect(find('iam:PassRole').Resource).toEqual(['arn:aws:iam::111111111111:role/idp-test-node']);
    expect(find('sqs:ReceiveMessage').Resource).toEqual(['arn:aws:sqs:eu-west-1:111111111111:idp-test-karpenter']);
    expect(find('iam:CreateInstanceProfile').Resource).toEqual(['arn:aws:iam::111111111111:instance-profile/idp-test_*']);
    expect(find('eks:DescribeCluster').Resource).toEqual(['arn:aws:eks:eu-west-1:111111111111:cluster/idp-test']);
    expect(find('ec2:TerminateInstances').Condition).toMatchObject({ StringEquals: { 'aws:ResourceTag/kubernetes.io/cluster/idp-test': 'owned' } });
  });
});
