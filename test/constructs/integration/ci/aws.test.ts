import {
  AwsGithubDeployClusterAccess,
  AwsGithubDeployRoles,
  AwsGithubDeployRolesProps,
  AwsGithubOidcProvider,
  awsDeployRoleArn,
} from '../../../../constructs/integration/ci/aws';
import { githubDeploySubjects } from '../../../../constructs/integration/ci';
import { IdpkitError } from '../../../../constructs/core/errors';
import { TerraformOutput } from '../../../../constructs/core/cdktf';
import { TerraformJson, awsTestStack, onlyResource, resources } from '../../../helpers';

const BUCKET = 'arn:aws:s3:::acme-state';
const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/1234';
const PROVIDER = 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com';
const repository = { owner: 'acme', repo: 'platform' };
const base: AwsGithubDeployRolesProps = { environment: 'prod', repository, oidcProviderArn: PROVIDER, stateBucketArn: BUCKET, stateKeyArn: KEY };

const roleNamed = (json: TerraformJson, name: string) => {
  const [address, body] = Object.entries(json.resource.aws_iam_role).find(([, role]) => role.name === name)!;
  return { address, body, trust: JSON.parse(body.assume_role_policy).Statement };
};
const policiesOf = (json: TerraformJson, address: string) => ({
  managed: resources(json, 'aws_iam_role_policy_attachment').filter((a) => a.role === `\${aws_iam_role.${address}.name}`).map((a) => a.policy_arn),
  inline: JSON.parse(resources(json, 'aws_iam_role_policy').find((p) => p.role === `\${aws_iam_role.${address}.id}`).policy).Statement,
});
const statement = (statements: any[], sid: string) => statements.find((s) => s.Sid === sid);

describe('githubDeploySubjects', () => {
  test('plan trusts pull requests and the default branch; apply trusts only the environment', () => {
    expect(githubDeploySubjects({ environment: 'prod', repository }).plan.map((s) => s.subject)).toEqual([
      'repo:acme/platform:pull_request',
      'repo:acme/platform:ref:refs/heads/main',
    ]);
    expect(githubDeploySubjects({ environment: 'prod', repository, defaultBranch: 'trunk' }).plan[1].subject).toBe('repo:acme/platform:ref:refs/heads/trunk');
    expect(githubDeploySubjects({ environment: 'prod', repository }).apply.map((s) => s.subject)).toEqual(['repo:acme/platform:environment:prod']);
  });
});

describe('AwsGithubOidcProvider', () => {
  test('creates the provider for GitHub with the STS audience and no pinned thumbprint', () => {
    const json = awsTestStack((stack) => new AwsGithubOidcProvider(stack, 'github', {}));
    const provider = onlyResource(json, 'aws_iam_openid_connect_provider');
    expect(provider).toMatchObject({ url: 'https://token.actions.githubusercontent.com', client_id_list: ['sts.amazonaws.com'] });
    expect(provider.thumbprint_list).toBeUndefined();
  });

  test('looks up the existing provider by URL when asked, creating none', () => {
    const json = awsTestStack((stack) => new AwsGithubOidcProvider(stack, 'github', { existing: true }));
    expect(json.resource?.aws_iam_openid_connect_provider).toBeUndefined();
    expect(Object.values(json.data!.aws_iam_openid_connect_provider)).toEqual([{ url: 'https://token.actions.githubusercontent.com' }]);
  });
});

describe('AwsGithubDeployRoles', () => {
  const json = awsTestStack((stack) => {
    const roles = new AwsGithubDeployRoles(stack, 'ci-prod', base);
    Object.entries(roles.workflowOutputs).forEach(([name, output]) => new TerraformOutput(stack, name, output));
  });
  const plan = roleNamed(json, 'idpkit-prod-plan');
  const apply = roleNamed(json, 'idpkit-prod-apply');

  test('the plan role trusts only pull requests and the default branch of the repository, with the STS audience', () => {
    expect(plan.trust).toEqual([
      {
        Sid: 'GithubActionsOidc',
        Effect: 'Allow',
        Principal: { Federated: PROVIDER },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': ['repo:acme/platform:pull_request', 'repo:acme/platform:ref:refs/heads/main'],
          },
        },
      },
    ]);
  });

  test('the apply role trusts only jobs in the GitHub environment of its environment', () => {
    expect(apply.trust[0].Condition).toEqual({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': ['repo:acme/platform:environment:prod'],
      },
    });
    expect(JSON.stringify(apply.trust)).not.toContain('*');
    expect(apply.trust[0].Condition.StringLike).toBeUndefined();
  });

  test('both roles have one-hour sessions', () => {
    expect(plan.body.max_session_duration).toBe(3600);
    expect(apply.body.max_session_duration).toBe(3600);
  });

  test('the plan role reads everything but writes only the lock files of its stacks', () => {
    const { managed, inline } = policiesOf(json, plan.address);
    expect(managed).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    expect(statement(inline, 'ListStateBucket')).toMatchObject({ Action: 's3:ListBucket', Resource: BUCKET });
    expect(statement(inline, 'ReadState')).toMatchObject({ Action: 's3:GetObject', Resource: [`${BUCKET}/idpkit/prod-infra/*`, `${BUCKET}/idpkit/prod-platform/*`] });
    expect(statement(inline, 'LockState')).toEqual({
      Sid: 'LockState',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:DeleteObject'],
      Resource: [`${BUCKET}/idpkit/prod-infra/*.tflock`, `${BUCKET}/idpkit/prod-platform/*.tflock`],
    });
    expect(statement(inline, 'UseStateKey')).toMatchObject({ Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], Resource: KEY });
    const writes = inline.filter((s: any) => [s.Action].flat().some((a: string) => /Put|Delete/.test(a)));
    expect(writes.map((s: any) => s.Sid)).toEqual(['LockState']);
  });

  test('the apply role gets generated policies, no AdministratorAccess, and writes the state of its stacks only', () => {
    const { managed, inline } = policiesOf(json, apply.address);
    const generated = Object.entries(json.resource.aws_iam_policy).filter(([, policy]: [string, any]) => policy.name.startsWith('idpkit-prod-apply'));
    expect(generated.map(([, policy]: [string, any]) => policy.name)).toEqual(['idpkit-prod-apply']);
    expect(managed).toEqual(generated.map(([address]) => `\${aws_iam_policy.${address}.arn}`));
    expect(JSON.stringify(json)).not.toContain('AdministratorAccess');
    expect(statement(inline, 'WriteState')).toMatchObject({
      Action: ['s3:PutObject', 's3:DeleteObject'],
      Resource: [`${BUCKET}/idpkit/prod-infra/*`, `${BUCKET}/idpkit/prod-platform/*`],
    });
    expect(statement(inline, 'UseStateKey').Resource).toBe(KEY);
  });

  test('the apply role carries the environment boundary, and may create or change roles only with it', () => {
    const [boundaryAddress, boundary] = Object.entries(json.resource.aws_iam_policy).find(([, policy]: [string, any]) => policy.name === 'idpkit-prod-boundary')! as [string, any];
    expect(apply.body.permissions_boundary).toBe(`\${aws_iam_policy.${boundaryAddress}.arn}`);
    expect(plan.body.permissions_boundary).toBe(`\${aws_iam_policy.${boundaryAddress}.arn}`);
    const [, generated] = Object.entries(json.resource.aws_iam_policy).find(([, policy]: [string, any]) => policy.name === 'idpkit-prod-apply')! as [string, any];
    expect(statement(JSON.parse(generated.policy).Statement, 'ManageBoundedRoles')).toMatchObject({
      Action: expect.arrayContaining(['iam:CreateRole', 'iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:PutRolePermissionsBoundary']),
      Condition: { StringEquals: { 'iam:PermissionsBoundary': `\${aws_iam_policy.${boundaryAddress}.arn}` } },
    });
    const denies = JSON.parse(boundary.policy).Statement.filter((s: any) => s.Effect === 'Deny').map((s: any) => s.Sid);
    expect(denies).toEqual(expect.arrayContaining(['DenyUnboundedRolesAndUsers', 'DenyRemovingBoundaries', 'DenyChangingBoundaries', 'DenyChangingDeployRoles', 'DenyChangingGithubProvider', 'DenyChangingStateBuckets']));
    expect(statement(JSON.parse(boundary.policy).Statement, 'DenyChangingStateBuckets').Resource).toEqual([BUCKET]);
  });

  test('exposes the role ARNs as workflow outputs named by environment, nothing secret', () => {
    expect(Object.keys(json.output!).sort()).toEqual(['ci_prod_apply_role_arn', 'ci_prod_plan_role_arn']);
    expect(json.output!.ci_prod_plan_role_arn.value).toBe(`\${aws_iam_role.${plan.address}.arn}`);
    expect(json.output!.ci_prod_apply_role_arn.value).toBe(`\${aws_iam_role.${apply.address}.arn}`);
    expect(json.output!.ci_prod_apply_role_arn.sensitive).toBeUndefined();
  });
});

describe('AwsGithubDeployRoles secret reads', () => {
  const inlineNamed = (json: TerraformJson, name: string) => {
    const found = resources(json, 'aws_iam_role_policy').find((p) => p.name === name);
    return found && { role: found.role, statements: JSON.parse(found.policy).Statement };
  };

  test('without planSecrets, the plan role reads no secret value (ReadOnlyAccess has no GetSecretValue)', () => {
    const json = awsTestStack((stack) => new AwsGithubDeployRoles(stack, 'ci-prod', base));
    expect(inlineNamed(json, 'idpkit-prod-plan-secrets')).toBeUndefined();
    expect(JSON.stringify(resources(json, 'aws_iam_role_policy'))).not.toContain('GetSecretValue');
  });

  test('with planSecrets, the plan role reads the values of the environment\'s secrets and decrypts them only through Secrets Manager', () => {
    const json = awsTestStack((stack) => new AwsGithubDeployRoles(stack, 'ci-prod', { ...base, planSecrets: { region: 'eu-west-1', accountId: '111111111111', namePrefix: 'prod-' } }));
    const policy = inlineNamed(json, 'idpkit-prod-plan-secrets')!;
    expect(policy.role).toBe(`\${aws_iam_role.${roleNamed(json, 'idpkit-prod-plan').address}.id}`);
    const secrets = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:prod-*';
    expect(policy.statements).toEqual([
      { Sid: 'ReadEnvironmentSecrets', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: secrets },
      {
        Sid: 'DecryptEnvironmentSecrets',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: 'arn:aws:kms:eu-west-1:111111111111:key/*',
        Condition: {
          StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' },
          StringLike: { 'kms:EncryptionContext:SecretARN': secrets },
        },
      },
    ]);
    expect(inlineNamed(json, 'idpkit-prod-apply-secrets')).toBeUndefined();
  });
});

describe('AwsGithubDeployClusterAccess', () => {
  const json = awsTestStack((stack) => new AwsGithubDeployClusterAccess(stack, 'ci-cluster-access', { environment: 'prod', accountId: '111111111111', clusterName: 'prod-eks' }));
  const associationOf = (principalArn: string) => resources(json, 'aws_eks_access_policy_association').find((a) => a.principal_arn === principalArn);

  test('adds access entries for both deploy roles, by ARNs known from their names', () => {
    expect(awsDeployRoleArn('111111111111', 'prod', 'plan')).toBe('arn:aws:iam::111111111111:role/idpkit-prod-plan');
    expect(resources(json, 'aws_eks_access_entry').map((e) => [e.principal_arn, e.cluster_name, e.type]).sort()).toEqual([
      ['arn:aws:iam::111111111111:role/idpkit-prod-apply', 'prod-eks', 'STANDARD'],
      ['arn:aws:iam::111111111111:role/idpkit-prod-plan', 'prod-eks', 'STANDARD'],
    ]);
  });

  test('the apply role is cluster admin, cluster-wide', () => {
    expect(associationOf('arn:aws:iam::111111111111:role/idpkit-prod-apply')).toMatchObject({
      cluster_name: 'prod-eks',
      policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      access_scope: { type: 'cluster' },
    });
  });

  test('the plan role views everything including Secrets (Helm release records), not AmazonEKSViewPolicy, which hides them', () => {
    expect(associationOf('arn:aws:iam::111111111111:role/idpkit-prod-plan')).toMatchObject({
      policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy',
      access_scope: { type: 'cluster' },
    });
  });

  test('associates each policy after its access entry exists', () => {
    for (const association of resources(json, 'aws_eks_access_policy_association')) {
      expect(association.depends_on).toHaveLength(1);
      expect(association.depends_on[0]).toMatch(/^aws_eks_access_entry\./);
    }
  });

  test('throws when the account id is not 12 digits', () => {
    expect(() => awsTestStack((stack) => new AwsGithubDeployClusterAccess(stack, 'access', { environment: 'prod', accountId: '1234', clusterName: 'c' }))).toThrow(
      /accountId "1234" is not a 12-digit AWS account id/,
    );
  });
});

describe('AwsGithubDeployRoles options', () => {
  test('takes narrower apply policies, a permissions boundary, another branch and other stacks', () => {
    const json = awsTestStack((stack) => {
      new AwsGithubDeployRoles(stack, 'ci-staging', {
        ...base,
        environment: 'staging-eu',
        defaultBranch: 'release/v2',
        stateStackNames: ['staging-eu-infra'],
        applyPolicyArns: ['arn:aws:iam::111111111111:policy/idpkit-deploy'],
        applyPermissionsBoundaryArn: 'arn:aws:iam::111111111111:policy/idpkit-boundary',
      });
    });
    const apply = roleNamed(json, 'idpkit-staging-eu-apply');
    expect(apply.body.permissions_boundary).toBe('arn:aws:iam::111111111111:policy/idpkit-boundary');
    expect(policiesOf(json, apply.address).managed).toEqual(['arn:aws:iam::111111111111:policy/idpkit-deploy']);
    expect(statement(policiesOf(json, apply.address).inline, 'WriteState').Resource).toEqual([`${BUCKET}/idpkit/staging-eu-infra/*`]);
    expect(roleNamed(json, 'idpkit-staging-eu-plan').trust[0].Condition.StringEquals['token.actions.githubusercontent.com:sub']).toContain(
      'repo:acme/platform:ref:refs/heads/release/v2',
    );
    expect(roleNamed(json, 'idpkit-staging-eu-plan').body.permissions_boundary).toBeUndefined();
  });

  test('without the boundary: no boundary policy, and role writes are not conditioned', () => {
    const json = awsTestStack((stack) => new AwsGithubDeployRoles(stack, 'ci', { ...base, boundary: false, accountId: '111111111111' }));
    expect(roleNamed(json, 'idpkit-prod-apply').body.permissions_boundary).toBeUndefined();
    const policies = resources(json, 'aws_iam_policy');
    expect(policies.map((policy) => policy.name)).toEqual(['idpkit-prod-apply']);
    expect(statement(JSON.parse(policies[0].policy).Statement, 'ManageBoundedRoles').Condition).toBeUndefined();
  });

  test('generates the policy from the Terraform types it applies, and passes the roles named', () => {
    const json = awsTestStack((stack) =>
      new AwsGithubDeployRoles(stack, 'ci', { ...base, accountId: '111111111111', applyResourceTypes: ['aws_vpc', 'aws_eks_cluster', 'aws_iam_role'], passRoleNames: ['idp-prod-*'], regions: ['eu-west-1'] }),
    );
    const generated = resources(json, 'aws_iam_policy').find((policy) => policy.name === 'idpkit-prod-apply');
    const statements = JSON.parse(generated.policy).Statement;
    expect(statement(statements, 'Apply1')).toEqual({ Sid: 'Apply1', Effect: 'Allow', Action: ['ec2:*', 'eks:*'], Resource: ['*'], Condition: { StringEquals: { 'aws:RequestedRegion': ['eu-west-1'] } } });
    expect(statement(statements, 'PassPlatformRoles').Resource).toEqual(['arn:aws:iam::111111111111:role/idp-prod-*']);
    expect(JSON.stringify(statements)).not.toContain('rds:');
  });

  test('throws when a Terraform type has no IAM actions in the table', () => {
    expect(() => awsTestStack((stack) => new AwsGithubDeployRoles(stack, 'ci', { ...base, accountId: '111111111111', applyResourceTypes: ['aws_lambda_function'] }))).toThrow(
      /Terraform type "aws_lambda_function" has no IAM actions in AWS_APPLY_PERMISSIONS/,
    );
  });

  test('two environments in one stack get distinct roles and outputs', () => {
    const json = awsTestStack((stack) => {
      new AwsGithubDeployRoles(stack, 'ci-dev', { ...base, environment: 'dev' });
      new AwsGithubDeployRoles(stack, 'ci-prod', base);
    });
    expect(resources(json, 'aws_iam_role').map((r) => r.name).sort()).toEqual(['idpkit-dev-apply', 'idpkit-dev-plan', 'idpkit-prod-apply', 'idpkit-prod-plan']);
  });
});

describe('AwsGithubDeployRoles validation', () => {
  const build = (change: Partial<AwsGithubDeployRolesProps>) => () => awsTestStack((stack) => new AwsGithubDeployRoles(stack, 'ci', { ...base, ...change }));

  test('throws when the owner is not a GitHub name', () => {
    expect(build({ repository: { owner: '-acme', repo: 'platform' } })).toThrow(IdpkitError);
    expect(build({ repository: { owner: 'ac--me', repo: 'platform' } })).toThrow(/repository.owner "ac--me" is not a GitHub user or organisation name/);
  });

  test('throws when the repository name has characters GitHub refuses, or is "." or ".."', () => {
    expect(build({ repository: { owner: 'acme', repo: 'plat*form' } })).toThrow(/repository.repo "plat\*form" is not a GitHub repository name/);
    expect(build({ repository: { owner: 'acme', repo: '..' } })).toThrow(/is not a GitHub repository name/);
  });

  test('throws when the environment is not a DNS label', () => {
    expect(build({ environment: 'Prod' })).toThrow(/environment "Prod" is not a deployable environment name/);
    expect(build({ environment: 'a'.repeat(52) })).toThrow(/1-51 lowercase/);
  });

  test('throws when the default branch has a wildcard', () => {
    expect(build({ defaultBranch: 'release/*' })).toThrow(/defaultBranch "release\/\*" is not a branch name identities can trust/);
  });

  test('throws when planSecrets names no account or a prefix with wildcards', () => {
    expect(build({ planSecrets: { region: 'eu-west-1', accountId: '1', namePrefix: 'prod-*' } })).toThrow(
      /planSecrets.accountId "1" is not a 12-digit AWS account id[\s\S]*planSecrets.namePrefix "prod-\*" is not a secret name prefix/,
    );
  });

  test('throws when an apply policy is not a managed policy ARN, or none is given', () => {
    expect(build({ applyPolicyArns: ['AdministratorAccess'] })).toThrow(/applyPolicyArns entry "AdministratorAccess" is not a managed policy ARN/);
    expect(build({ applyPolicyArns: [] })).toThrow(/applyPolicyArns is empty/);
  });

  test('lists every problem in one error', () => {
    try {
      build({ environment: 'PROD', repository: { owner: '', repo: '' } })();
      throw new Error('expected an error');
    } catch (error) {
      expect((error as IdpkitError).code).toBe('IDPKIT_INVALID_PROPS');
      expect((error as IdpkitError).problems).toHaveLength(3);
    }
  });
});
