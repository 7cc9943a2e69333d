/**
 * The AWS policies idpkit writes, evaluated by an IAM policy simulator (@cloud-copilot/iam-simulate,
 * a development dependency only) the way IAM evaluates them: what the identities may do, and what
 * they may not.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { prod } from '../../environments/prod';
import { staging } from '../../environments/staging';
import { TerraformJson, clone, synthEnvironment } from '../helpers';

/** The inline policy of an add-on's Pod Identity role, with references to the stack's buckets and keys resolved to ARNs. */
function rolePolicy(infra: TerraformJson, addon: string): object {
  const [, body] = Object.entries(infra.resource.aws_iam_role_policy).find(([name]) => name.startsWith(`identity-${addon}_`))! as [string, any];
  const resolved = (body.policy as string)
    .replace(/\$\{aws_s3_bucket\.([^.]+)\.arn\}/g, (_, id) => `arn:aws:s3:::${infra.resource.aws_s3_bucket[id].bucket}`)
    .replace(/\$\{aws_kms_key\.([^.]+)\.arn\}/g, (_, id) => `arn:aws:kms:eu-west-1:222222222222:key/${id}`);
  return JSON.parse(resolved);
}

/** Whether a role with this identity policy may do the action on the resource, in its own account. */
async function allowed(policy: object, action: string, resource: string, context: Record<string, string | string[]> = {}): Promise<boolean> {
  const result = await runSimulation(
    {
      request: { principal: 'arn:aws:iam::222222222222:role/subject', action, resource: { resource, accountId: '222222222222' }, contextVariables: context },
      identityPolicies: [{ name: 'inline', policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  return result.overallResult === 'Allowed';
}

describe('the Loki role (issue 19, item 5: two buckets, statements with unique Sids)', () => {
  const { infra } = synthEnvironment(clone(staging));
  const policy = rolePolicy(infra, 'loki');
  const buckets = Object.values(infra.resource.aws_s3_bucket).map((bucket: any) => bucket.bucket as string);
  const [chunks, ruler] = ['loki-chunks', 'loki-ruler'].map((name) => buckets.find((bucket) => bucket.includes(name))!);
  const tempo = buckets.find((bucket) => bucket.includes('tempo-traces'))!;

  test('reads and writes objects in both of its buckets, and lists them', async () => {
    for (const bucket of [chunks, ruler]) {
      expect(await allowed(policy, 's3:PutObject', `arn:aws:s3:::${bucket}/fake/chunk`)).toBe(true);
      expect(await allowed(policy, 's3:GetObject', `arn:aws:s3:::${bucket}/fake/chunk`)).toBe(true);
      expect(await allowed(policy, 's3:ListBucket', `arn:aws:s3:::${bucket}`)).toBe(true);
    }
  });

  test("may not touch Tempo's bucket, or delete a bucket", async () => {
    expect(await allowed(policy, 's3:GetObject', `arn:aws:s3:::${tempo}/trace`)).toBe(false);
    expect(await allowed(policy, 's3:DeleteBucket', `arn:aws:s3:::${chunks}`)).toBe(false);
  });
});

describe('the Karpenter controller role (issue 19, item 14: AllowScopedResourceTagging of upstream v1.14)', () => {
  const { infra } = synthEnvironment(clone(prod));
  const policy = rolePolicy(infra, 'karpenter');
  const instance = 'arn:aws:ec2:eu-west-1:222222222222:instance/i-0123456789abcdef0';
  const owned = { 'aws:ResourceTag/kubernetes.io/cluster/idp-prod': 'owned', 'aws:ResourceTag/karpenter.sh/nodepool': 'default', 'aws:RequestedRegion': 'eu-west-1' };

  test('tags the instances of its node claims with the node claim and Name', async () => {
    expect(await allowed(policy, 'ec2:CreateTags', instance, { ...owned, 'aws:TagKeys': ['karpenter.sh/nodeclaim', 'Name'] })).toBe(true);
  });

  test('may not tag other keys, nor instances of another cluster', async () => {
    expect(await allowed(policy, 'ec2:CreateTags', instance, { ...owned, 'aws:TagKeys': ['karpenter.sh/nodeclaim', 'cost-center'] })).toBe(false);
    const foreign = { 'aws:ResourceTag/kubernetes.io/cluster/other': 'owned', 'aws:ResourceTag/karpenter.sh/nodepool': 'default', 'aws:RequestedRegion': 'eu-west-1' };
    expect(await allowed(policy, 'ec2:CreateTags', instance, { ...foreign, 'aws:TagKeys': ['Name'] })).toBe(false);
  });

  test('creates instance profiles on the path Karpenter 1.14 uses, tagged for its cluster only', async () => {
    const profile = 'arn:aws:iam::222222222222:instance-profile/karpenter/eu-west-1/idp-prod/1234567890/idp-prod_1234567890';
    const tags = { 'aws:RequestTag/kubernetes.io/cluster/idp-prod': 'owned', 'aws:RequestTag/eks:eks-cluster-name': 'idp-prod', 'aws:RequestTag/topology.kubernetes.io/region': 'eu-west-1', 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': 'default' };
    expect(await allowed(policy, 'iam:CreateInstanceProfile', profile, tags)).toBe(true);
    expect(await allowed(policy, 'iam:CreateInstanceProfile', profile, { ...tags, 'aws:RequestTag/eks:eks-cluster-name': 'other' })).toBe(false);
  });
});
