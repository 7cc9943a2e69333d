import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { Aspects } from '../../../../constructs/core/cdktf';
import {
  AWS_APPLY_PERMISSIONS,
  AWS_MANAGED_POLICY_MAX_CHARS,
  AwsPermissionsBoundaryAspect,
  awsApplyStatements,
  awsBoundaryPolicyArn,
  splitIntoPolicyDocuments,
} from '../../../../constructs/integration/ci/aws-permissions';
import { PolicyStatement } from '../../../../constructs/integration/identity/aws';
import { awsTestStack, resources } from '../../../helpers';

const scope = { accountId: '111111111111', environment: 'prod', passRoleNames: ['idp-prod-*', 'idp-prod-node'], where: 'test' };

describe('awsApplyStatements', () => {
  test('merges the actions of types by resource scope, leaving out those a pattern covers', () => {
    const [any] = awsApplyStatements({ ...scope, resourceTypes: ['aws_vpc', 'aws_availability_zones', 'aws_flow_log'] });
    expect(any.Action).toEqual(['ec2:*', 'logs:CreateLogDelivery', 'logs:DeleteLogDelivery', 'logs:DescribeLogGroups']);
    const passing = awsApplyStatements({ ...scope, resourceTypes: ['aws_eks_cluster'] }).find((statement) => statement.Sid === 'PassPlatformRoles')!;
    expect(passing.Resource).toEqual(['arn:aws:iam::111111111111:role/idp-prod-*']);
  });

  test('bounds role management only when a boundary is given', () => {
    const bounded = (boundaryArn?: string) => awsApplyStatements({ ...scope, resourceTypes: ['aws_iam_role'], boundaryArn }).find((statement) => statement.Sid === 'ManageBoundedRoles')!;
    expect(bounded(awsBoundaryPolicyArn('111111111111', 'prod')).Condition).toEqual({ StringEquals: { 'iam:PermissionsBoundary': 'arn:aws:iam::111111111111:policy/idpkit-prod-boundary' } });
    expect(bounded().Condition).toBeUndefined();
  });

  test('no type allows IAM actions on every resource: IAM comes scoped (the cluster OIDC provider) or bounded (roles)', () => {
    const iamTypes = Object.entries(AWS_APPLY_PERMISSIONS).filter(([, entry]) => entry.actions.some((action) => action.startsWith('iam:')));
    expect(iamTypes).toEqual([]);
  });
});

describe('splitIntoPolicyDocuments', () => {
  const statement = (n: number): PolicyStatement => ({ Sid: `S${n}`, Effect: 'Allow', Action: Array.from({ length: 20 }, (_, i) => `ec2:Describe${n}x${i}`), Resource: '*' });

  test('splits statements into documents under the managed policy limit, in order', () => {
    const statements = Array.from({ length: 40 }, (_, n) => statement(n));
    const documents = splitIntoPolicyDocuments(statements, 'test');
    expect(documents.length).toBeGreaterThan(1);
    expect(documents.flat()).toEqual(statements);
    for (const document of documents) expect(JSON.stringify({ Version: '2012-10-17', Statement: document }).length).toBeLessThanOrEqual(AWS_MANAGED_POLICY_MAX_CHARS);
  });

  test('throws when one statement alone is too long', () => {
    const huge: PolicyStatement = { Sid: 'Huge', Effect: 'Allow', Action: Array.from({ length: 400 }, (_, i) => `ec2:DescribeSomething${i}`), Resource: '*' };
    expect(() => splitIntoPolicyDocuments([huge], 'test')).toThrow(/IAM statement "Huge" alone is longer than the 6144 characters/);
  });
});

describe('AwsPermissionsBoundaryAspect', () => {
  test('puts the boundary on every role without one, and keeps a role\'s own', () => {
    const json = awsTestStack((stack) => {
      new IamRole(stack, 'plain', { name: 'plain', assumeRolePolicy: '{}' });
      new IamRole(stack, 'own', { name: 'own', assumeRolePolicy: '{}', permissionsBoundary: 'arn:aws:iam::111111111111:policy/mine' });
      Aspects.of(stack).add(new AwsPermissionsBoundaryAspect(awsBoundaryPolicyArn('111111111111', 'prod')));
    });
    expect(Object.fromEntries(resources(json, 'aws_iam_role').map((role) => [role.name, role.permissions_boundary]))).toEqual({
      plain: 'arn:aws:iam::111111111111:policy/idpkit-prod-boundary',
      own: 'arn:aws:iam::111111111111:policy/mine',
    });
  });
});
