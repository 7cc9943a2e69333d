import { parse } from 'yaml';
import { KARPENTER_CONTROLLER_RESOURCES } from '../../constructs/capabilities/autoscaling/karpenter';
import { KARPENTER_QUEUE_NAME_MAX_LENGTH } from '../../constructs/capabilities/autoscaling/karpenter-settings';
import { TIER_RULES } from '../../constructs/core/tiers';
import { NODE_MACHINE_TYPES, nodeAllocatable } from '../../constructs/infrastructure/cluster/node-sizes';
import { cpuMillicores, memoryMiB } from '../../constructs/policy/rules/apply/pod-requests-fit';
import { environmentSets } from '../../environments';
import { validateEnvironments } from '../../environments/types';
import { checkStack } from '../../constructs/policy/engine';
import { TerraformJson, devConfig, resources, synthEnvironment } from '../helpers';
import { synthesizedStacksOf } from '../support/synthesized-sets';

const release = (json: TerraformJson, name: string) => resources(json, 'helm_release').find((r) => r.name === name);

/**
 * EKS managed node groups never grow by themselves: idpkit installs no cluster autoscaler, and
 * the node group's desired size stays at minSize. Every AWS environment idpkit ships runs some
 * thirty Helm releases, more than its first nodes hold, so each must have Karpenter, its default
 * NodePool and what Karpenter needs in the account.
 */
describe.each(['all', 'presets'] as const)('the AWS environments of the %s set can grow on their first apply', (set) => {
  const environments = validateEnvironments(environmentSets[set]).filter((env) => env.cloud === 'aws');
  const stacks = synthesizedStacksOf(set, environments);

  test('the set has AWS environments', () => {
    expect(environments.length).toBeGreaterThanOrEqual(set === 'presets' ? 9 : 3);
  });

  describe.each(environments.map((env) => [env.name, env] as const))('%s', (name, env) => {
    const infra = stacks[`${name}-infra`];
    const platform = stacks[`${name}-platform`];
    const values = parse(release(platform, 'karpenter').values[0]);
    const objects = parse(release(platform, 'karpenter-node-pools').values[0]).manifests as any[];
    const nodePool = objects.find((object) => object.kind === 'NodePool');
    const nodeClass = objects.find((object) => object.kind === 'EC2NodeClass');

    test('installs Karpenter and its default NodePool, on an EC2NodeClass of the cluster', () => {
      expect(nodePool.metadata.name).toBe('default');
      expect(nodePool.spec.template.spec.nodeClassRef.name).toBe(nodeClass.metadata.name);
      // room for at least a node of the largest size the tier allows
      expect(Number(nodePool.spec.limits.cpu)).toBeGreaterThanOrEqual(TIER_RULES[env.tier].maxNodeVcpus);
      // no node above the tier's size limit (limit-instance-sizes)
      expect(nodePool.spec.template.spec.requirements).toContainEqual({ key: 'karpenter.k8s.aws/instance-cpu', operator: 'Lt', values: [String(TIER_RULES[env.tier].maxNodeVcpus + 1)] });
    });

    test("what Karpenter needs in the account is in the infra stack: its queue and rules, its Pod Identity, the node role, discovery tags", () => {
      const queue = values.settings.interruptionQueue;
      expect(queue.length).toBeLessThanOrEqual(KARPENTER_QUEUE_NAME_MAX_LENGTH);
      const [queueId] = Object.entries(infra.resource.aws_sqs_queue).find(([, q]: [string, any]) => q.name === queue)!;
      const targets = resources(infra, 'aws_cloudwatch_event_target').filter((target) => target.arn === `\${aws_sqs_queue.${queueId}.arn}`);
      expect(targets).toHaveLength(5);
      expect(resources(infra, 'aws_eks_pod_identity_association').map((a) => `${a.namespace}/${a.service_account}`)).toContain('karpenter/karpenter');
      // The EC2NodeClass uses the managed node groups' role, whose access entry EKS creates with the node group.
      const [roleId] = Object.entries(infra.resource.aws_iam_role).find(([, role]: [string, any]) => role.name === nodeClass.spec.role)!;
      expect(resources(infra, 'aws_eks_node_group').every((group) => group.node_role_arn === `\${aws_iam_role.${roleId}.arn}`)).toBe(true);
      const discovery = { 'karpenter.sh/discovery': env.cluster.name };
      expect(nodeClass.spec.subnetSelectorTerms).toEqual([{ tags: discovery }]);
      expect(nodeClass.spec.securityGroupSelectorTerms).toEqual([{ tags: discovery }]);
      expect(resources(infra, 'aws_subnet').filter((subnet) => subnet.tags?.['karpenter.sh/discovery'] === env.cluster.name).length).toBeGreaterThanOrEqual(2);
      expect(resources(infra, 'aws_ec2_tag')).toContainEqual(expect.objectContaining({ key: 'karpenter.sh/discovery', value: env.cluster.name }));
      // what policy rule IDP-AWS-028 reads: the node groups have something that grows them
      expect(resources(infra, 'aws_eks_cluster')[0].tags['idpkit.dev/node-provisioner']).toBe('karpenter');
      expect(checkStack({ ...infra }, { stack: `${name}-infra`, tier: env.tier }).filter((finding) => finding.rule === 'IDP-AWS-028')).toEqual([]);
    });

    test("the managed node groups' first nodes hold Karpenter's controller: one node per replica, its requests a small share of the smallest node", () => {
      const onDemand = resources(infra, 'aws_eks_node_group').filter((group) => group.capacity_type !== 'SPOT');
      expect(onDemand.reduce((nodes, group) => nodes + group.scaling_config.min_size, 0)).toBeGreaterThanOrEqual(values.replicas);
      expect(values.replicas).toBe(TIER_RULES[env.tier].highAvailability ? 2 : 1);
      for (const type of onDemand.flatMap((group) => group.instance_types as string[])) {
        const node = nodeAllocatable('aws', type)!;
        expect([type, cpuMillicores(values.controller.resources.requests.cpu)! <= node.cpuMillicores / 4]).toEqual([type, true]);
        expect([type, memoryMiB(values.controller.resources.requests.memory)! <= node.memoryMiB / 4]).toEqual([type, true]);
      }
    });
  });
});

describe('an AWS environment that turns Karpenter off', () => {
  test("is warned that its node groups never grow (IDP-AWS-028), and its cluster names no provisioner", () => {
    const { infra } = synthEnvironment(devConfig((c) => (c.platform.addons.karpenter = { enabled: false })));
    expect(resources(infra, 'aws_eks_cluster')[0].tags['idpkit.dev/node-provisioner']).toBeUndefined();
    const findings = checkStack({ ...infra }, { stack: 'dev-infra', tier: 'dev' }).filter((finding) => finding.rule === 'IDP-AWS-028');
    expect(findings).toEqual([expect.objectContaining({ severity: 'warning', resource: expect.stringMatching(/^aws_eks_node_group\.cluster_general-nodes_/) })]);
  });
});

describe("Karpenter's controller on the smallest node a preset or a shipped environment uses", () => {
  test.each([NODE_MACHINE_TYPES.small.aws, 't3.large'])('%s: its requests leave three quarters of the node', (type) => {
    const node = nodeAllocatable('aws', type)!;
    expect(cpuMillicores(KARPENTER_CONTROLLER_RESOURCES.requests.cpu)).toBeLessThanOrEqual(node.cpuMillicores / 4);
    expect(memoryMiB(KARPENTER_CONTROLLER_RESOURCES.requests.memory)).toBeLessThanOrEqual(node.memoryMiB / 4);
    expect(KARPENTER_CONTROLLER_RESOURCES.limits.memory).toBe(KARPENTER_CONTROLLER_RESOURCES.requests.memory);
  });
});
