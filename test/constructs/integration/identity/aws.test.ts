import { IdpkitError } from '../../../../constructs/core/errors';
import { AwsWorkloadIdentity, PolicyStatement, policyDocument, withUniqueSids } from '../../../../constructs/integration/identity/aws';
import { staging } from '../../../../environments/staging';
import { awsTestStack, onlyResource, synthEnvironment } from '../../../helpers';

const allow = (Sid: string | undefined, Action: string): PolicyStatement => ({ ...(Sid ? { Sid } : {}), Effect: 'Allow', Action, Resource: '*' });
const sidsOf = (policy: string): (string | undefined)[] => JSON.parse(policy).Statement.map((s: PolicyStatement) => s.Sid);

describe('policyDocument', () => {
  test('renders the statements as an IAM policy document', () => {
    expect(JSON.parse(policyDocument([allow('Read', 's3:GetObject')]))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
    });
  });

  test('throws when two statements share a Sid (IAM: MalformedPolicyDocument)', () => {
    const build = () => policyDocument([allow('Read', 's3:GetObject'), allow(undefined, 's3:ListBucket'), allow('Read', 's3:GetBucketLocation')]);
    expect(build).toThrow(IdpkitError);
    expect(build).toThrow('IAM policy statement Sid "Read" is used by two statements of one document');
  });

  test('throws when a Sid has characters other than ASCII letters and digits', () => {
    expect(() => policyDocument([allow('read-objects', 's3:GetObject')])).toThrow('IAM policy statement Sid "read-objects" has characters IAM rejects');
  });
});

describe('withUniqueSids', () => {
  test('numbers every occurrence of a repeated Sid, in order, and keeps the others', () => {
    const statements = [allow('List', 'a:A'), allow('Once', 'a:B'), allow(undefined, 'a:C'), allow('List', 'a:D'), allow('List', 'a:E')];
    expect(withUniqueSids(statements).map((s) => s.Sid)).toEqual(['List1', 'Once', undefined, 'List2', 'List3']);
    expect(withUniqueSids(statements)).toEqual(withUniqueSids(statements));
  });
});

describe('AwsWorkloadIdentity', () => {
  const bucket = (name: string) => ({ bucketName: name, bucketArn: `arn:aws:s3:::${name}`, bucketKeyArn: `arn:aws:kms:eu-west-1:111111111111:key/${name}` });

  test('two grants of one kind get distinct Sids in the one inline policy', () => {
    const json = awsTestStack((stack) => {
      new AwsWorkloadIdentity(stack, 'identity', {
        clusterName: 'idp-prod',
        namePrefix: 'idp-prod',
        accountId: '111111111111',
        region: 'eu-west-1',
        request: {
          name: 'loki',
          namespace: 'loki',
          serviceAccount: 'loki',
          grants: [
            { kind: 'bucket-read-write', bucket: bucket('chunks') },
            { kind: 'bucket-read-write', bucket: bucket('ruler') },
            { kind: 'secrets-read', prefix: 'prod-' },
            { kind: 'secrets-read', prefix: 'shared-' },
          ],
        },
      });
    });
    const statements = JSON.parse(onlyResource(json, 'aws_iam_role_policy').policy).Statement;
    expect(statements.map((s: PolicyStatement) => s.Sid)).toEqual([
      'ListBucket1',
      'ReadWriteObjects1',
      'UseBucketKey1',
      'ListBucket2',
      'ReadWriteObjects2',
      'UseBucketKey2',
      undefined,
      'DecryptSecretsUnderPrefix1',
      undefined,
      'DecryptSecretsUnderPrefix2',
    ]);
    expect(statements[4].Resource).toBe('arn:aws:s3:::ruler/*');
  });

  test("role names stay within IAM's 64 characters for long cluster names, and keep the workload's name", () => {
    const json = awsTestStack((stack) => {
      new AwsWorkloadIdentity(stack, 'identity', {
        clusterName: 'c',
        namePrefix: 'idp-platform-engineering-sandbox-eu-west',
        accountId: '111111111111',
        region: 'eu-west-1',
        request: { name: 'aws-load-balancer-controller', namespace: 'x', serviceAccount: 'x', grants: [{ kind: 'secrets-read', prefix: 'x-' }] },
      });
    });
    const name = onlyResource(json, 'aws_iam_role').name as string;
    expect(name.length).toBeLessThanOrEqual(64);
    expect(name).toMatch(/^idp-platform-engineering-san-[0-9a-f]{6}-aws-load-balancer-controller$/);
  });

  test("keeps the Sids of a cloud grant's statements", () => {
    const json = awsTestStack((stack) => {
      new AwsWorkloadIdentity(stack, 'identity', {
        clusterName: 'c',
        namePrefix: 'c',
        accountId: '111111111111',
        region: 'eu-west-1',
        request: { name: 'x', namespace: 'x', serviceAccount: 'x', grants: [{ kind: 'cloud', aws: [{ Sid: 'DescribeCluster', Action: ['eks:DescribeCluster'], Resource: ['*'] }] }] },
      });
    });
    expect(sidsOf(onlyResource(json, 'aws_iam_role_policy').policy)).toEqual(['DescribeCluster']);
  });
});

describe('the staging environment', () => {
  test("Loki's identity policy (two buckets) has unique Sids", () => {
    const { infra } = synthEnvironment(staging);
    const [loki] = Object.entries(infra.resource.aws_iam_role_policy).filter(([address]) => address.startsWith('identity-loki_'));
    const sids = sidsOf(loki[1].policy);
    expect(sids).toContain('ListBucket2');
    expect(new Set(sids).size).toBe(sids.length);
  });
});
