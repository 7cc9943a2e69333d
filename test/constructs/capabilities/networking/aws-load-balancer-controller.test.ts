import { parse } from 'yaml';
import { helmStack } from '../../../helm-helpers';
import {
  AwsLoadBalancerController,
  AwsLoadBalancerControllerProps,
  awsLoadBalancerControllerPolicy,
} from '../../../../constructs/capabilities/networking/aws-load-balancer-controller';
import { CHARTS } from '../../../../constructs/core/charts';
import { resources, synthJson } from '../../../helpers';

const identity = { serviceAccountAnnotations: {}, podLabels: {} };

function synth(props: Partial<AwsLoadBalancerControllerProps>) {
  const stack = helmStack();
  new AwsLoadBalancerController(stack, 'alb', { clusterName: 'idp-test', region: 'eu-west-1', vpcTags: { Name: 'test' }, identity, ...props });
  const json = synthJson(stack);
  const [release] = resources(json, 'helm_release');
  return { json, release, values: parse(release.values[0]) };
}

/** Read-only IAM actions: Describe*, Get*, List*. */
const readOnly = (action: string) => /^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]*$/.test(action);

describe('AwsLoadBalancerController', () => {
  test('installs the pinned chart in its own namespace, which enforces the baseline Pod Security level', () => {
    const { json, release } = synth({});
    expect(release).toMatchObject({ ...CHARTS.awsLoadBalancerController, name: 'aws-load-balancer-controller' });
    expect(resources(json, 'kubernetes_namespace_v1')[0].metadata.name).toBe('aws-load-balancer-controller');
    expect(resources(json, 'kubernetes_namespace_v1')[0].metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
  });

  test('runs two replicas with a disruption budget in HA, one without in dev', () => {
    expect(synth({}).values).toMatchObject({ replicaCount: 2, podDisruptionBudget: { maxUnavailable: 1 } });
    expect(synth({ highAvailability: false }).values).toMatchObject({ replicaCount: 1, podDisruptionBudget: {} });
  });

  test('knows its cluster, region and VPC, and keeps WAF and Shield off', () => {
    const { values } = synth({ vpcId: 'vpc-0123456789abcdef0', vpcTags: undefined });
    expect(values).toMatchObject({ clusterName: 'idp-test', region: 'eu-west-1', vpcId: 'vpc-0123456789abcdef0', enableWaf: false, enableWafv2: false, enableShield: false });
    expect(values.vpcTags).toBeUndefined();
    expect(synth({}).values.vpcTags).toEqual({ Name: 'test' });
    expect(synth({}).values.serviceAccount).toEqual({ create: true, name: 'aws-load-balancer-controller', annotations: {} });
  });

  test('throws when the VPC is given neither or both ways, or the id is malformed', () => {
    expect(() => synth({ vpcTags: undefined })).toThrow(/needs vpcId or vpcTags, but not both/);
    expect(() => synth({ vpcId: 'vpc-0123456789abcdef0' })).toThrow(/needs vpcId or vpcTags, but not both/);
    expect(() => synth({ vpcTags: undefined, vpcId: 'vpc-XYZ' })).toThrow(expect.objectContaining({ code: 'IDPKIT_INVALID_PROPS' }));
  });

  test('its policy has no wildcard action, and writes only ARNs of its account and region', () => {
    const statements = awsLoadBalancerControllerPolicy({ accountId: '111111111111', region: 'eu-west-1', clusterName: 'idp-test' });
    for (const statement of statements) {
      const actions = [statement.Action].flat();
      const arns = [statement.Resource ?? []].flat();
      expect(actions.some((action) => action.includes('*'))).toBe(false);
      if (actions.some((action) => !readOnly(action))) {
        expect(arns).not.toContain('*');
        for (const arn of arns) expect(arn).toMatch(/^arn:aws:[a-z0-9-]+:(eu-west-1)?:(111111111111|aws)?:/);
      }
    }
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['elasticloadbalancing:CreateLoadBalancer', 'ec2:AuthorizeSecurityGroupIngress', 'elasticloadbalancing:RegisterTargets']));
    expect(actions.filter((action) => /^(waf|wafv2|shield):(Associate|Disassociate|Create|Delete)/.test(action))).toEqual([]);
  });
});
