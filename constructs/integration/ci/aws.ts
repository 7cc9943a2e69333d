import { DataAwsIamOpenidConnectProvider } from '@cdktf/provider-aws/lib/data-aws-iam-openid-connect-provider';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import {
  CiOutput,
  DEFAULT_GITHUB_BRANCH,
  DeployPurpose,
  GITHUB_OIDC_AWS_AUDIENCE,
  GITHUB_OIDC_HOST,
  GITHUB_OIDC_ISSUER,
  GithubDeployIdentities,
  GithubDeployProps,
  GithubDeploySubjects,
  ciOutputName,
  defaultStateStackNames,
  deployIdentityName,
  githubDeploySubjects,
  stateObjectPrefix,
  validateGithubDeployProps,
} from '.';
import { Token } from '../../core/cdktf';
import { IdpkitError, describeValue } from '../../core/errors';
import { PolicyStatement, awsManagedPolicy, policyDocument } from '../identity/aws';

/** Props of {@link AwsGithubOidcProvider}. */
export interface AwsGithubOidcProviderProps {
  /**
   * Look up the account's existing provider for GitHub's issuer instead of creating one. An
   * account has at most one provider per issuer URL: when several bootstrap stacks deploy to one
   * account, exactly one creates it and the others set this.
   * @default false
   */
  readonly existing?: boolean;
}

/**
 * The IAM OIDC identity provider for GitHub Actions' issuer, accepting the `sts.amazonaws.com`
 * audience, or a lookup of the account's existing one. No thumbprint is pinned: AWS provider 6.x
 * makes `thumbprint_list` optional, and IAM verifies GitHub's certificate against its trusted
 * root CAs.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html
 * @example
 * const github = new AwsGithubOidcProvider(this, 'github-oidc', {});
 * new AwsGithubDeployRoles(this, 'ci-prod', { environment: 'prod', repository, oidcProviderArn: github.arn, ... });
 */
export class AwsGithubOidcProvider extends Construct {
  /** The provider's ARN, the `Federated` principal of the roles' trust policies. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: AwsGithubOidcProviderProps = {}) {
    super(scope, id);
    this.arn = props.existing
      ? new DataAwsIamOpenidConnectProvider(this, 'existing', { url: GITHUB_OIDC_ISSUER }).arn
      : new IamOpenidConnectProvider(this, 'provider', { url: GITHUB_OIDC_ISSUER, clientIdList: [GITHUB_OIDC_AWS_AUDIENCE] }).arn;
  }
}

/** The AWS managed policy the plan role gets when none are given: read-only access to every service (no secret values, no object contents beyond S3 reads). */
export const DEFAULT_PLAN_POLICY_ARNS: readonly string[] = [awsManagedPolicy('ReadOnlyAccess')];

/**
 * The policy the apply role gets when none are given: `AdministratorAccess`. Terraform creates
 * IAM roles, KMS keys, VPCs, EKS, RDS and more, so this is a starting point that works on the
 * first apply: narrow it (e.g. to a customer managed policy of the services your environments
 * use) or bound it with `applyPermissionsBoundaryArn` once the platform is stable.
 */
export const DEFAULT_APPLY_POLICY_ARNS: readonly string[] = [awsManagedPolicy('AdministratorAccess')];

/** Longest session of the deploy roles: one hour, enough for an EKS cluster and its node groups. */
export const DEPLOY_ROLE_MAX_SESSION_SECONDS = 3600;

const MANAGED_POLICY_ARN = /^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/[\w+=,.@/-]+$/;

/** Props of {@link AwsGithubDeployRoles}. */
export interface AwsGithubDeployRolesProps extends GithubDeployProps {
  /** ARN of the account's GitHub OIDC provider ({@link AwsGithubOidcProvider}). */
  readonly oidcProviderArn: string;
  /** ARN of the S3 state bucket. */
  readonly stateBucketArn: string;
  /** ARN of the KMS key that encrypts state objects (the state bucket's key). */
  readonly stateKeyArn: string;
  /** Managed policies of the plan role; keep them read-only. @default [arn:aws:iam::aws:policy/ReadOnlyAccess] */
  readonly planPolicyArns?: readonly string[];
  /**
   * Managed policies of the apply role. The default is a starting point to narrow: see
   * {@link DEFAULT_APPLY_POLICY_ARNS}. @default [arn:aws:iam::aws:policy/AdministratorAccess]
   */
  readonly applyPolicyArns?: readonly string[];
  /** Permissions boundary of the apply role, capping what any of its policies allow. @default - none */
  readonly applyPermissionsBoundaryArn?: string;
}

/**
 * The two IAM roles GitHub Actions deploys one environment with, each trusted through the account's
 * GitHub OIDC provider (`sts:AssumeRoleWithWebIdentity`, audience `sts.amazonaws.com`) by exact
 * subjects only:
 *
 * - `idpkit-<env>-plan`: pull requests and the default branch. `ReadOnlyAccess`, plus the state
 *   of the environment's stacks: list the bucket, read their state, and write or delete only
 *   their `*.tflock` objects (S3 native locking), with the state key.
 * - `idpkit-<env>-apply`: only jobs in the GitHub environment `<env>` (give it required reviewers).
 *   `applyPolicyArns` plus read-write state of the environment's stacks; optional permissions boundary.
 *
 * Both have one-hour sessions. `ReadOnlyAccess` does not include `secretsmanager:GetSecretValue`,
 * so plans of stacks that manage secret versions need a policy for those secrets in `planPolicyArns`.
 *
 * @see https://docs.github.com/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
 * @see https://developer.hashicorp.com/terraform/language/backend/s3#permissions-required
 * @example
 * const roles = new AwsGithubDeployRoles(this, 'ci-prod', {
 *   environment: 'prod', repository: { owner: 'acme', repo: 'platform' }, oidcProviderArn: github.arn,
 *   stateBucketArn: state.bucketArn, stateKeyArn: state.key.keyId,
 * });
 * roles.applyRoleArn; // role-to-assume of the prod apply job
 */
export class AwsGithubDeployRoles extends Construct implements GithubDeployIdentities {
  readonly subjects: GithubDeploySubjects;
  readonly workflowOutputs: Readonly<Record<string, CiOutput>>;
  /** ARN of the plan role (`role-to-assume` of plan jobs). */
  readonly planRoleArn: string;
  /** ARN of the apply role (`role-to-assume` of the environment's apply job). */
  readonly applyRoleArn: string;

  constructor(scope: Construct, id: string, props: AwsGithubDeployRolesProps) {
    super(scope, id);
    validateGithubDeployProps(props, this.node.path);
    const planPolicyArns = props.planPolicyArns ?? DEFAULT_PLAN_POLICY_ARNS;
    const applyPolicyArns = props.applyPolicyArns ?? DEFAULT_APPLY_POLICY_ARNS;
    this.validatePolicyArns({ planPolicyArns, applyPolicyArns });
    this.subjects = githubDeploySubjects(props);
    const stacks = props.stateStackNames ?? defaultStateStackNames(props.environment);
    const stateObjects = (suffix: string) => stacks.map((stack) => `${props.stateBucketArn}/${stateObjectPrefix(stack)}${suffix}`);

    const stateRead: PolicyStatement[] = [
      { Sid: 'ListStateBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: props.stateBucketArn },
      { Sid: 'ReadState', Effect: 'Allow', Action: 's3:GetObject', Resource: stateObjects('*') },
      { Sid: 'UseStateKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], Resource: props.stateKeyArn },
    ];
    const plan = this.role('plan', props, {
      subjects: this.subjects.plan.map((s) => s.subject),
      policyArns: planPolicyArns,
      state: [...stateRead, { Sid: 'LockState', Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: stateObjects('*.tflock') }],
    });
    const apply = this.role('apply', props, {
      subjects: this.subjects.apply.map((s) => s.subject),
      policyArns: applyPolicyArns,
      state: [...stateRead, { Sid: 'WriteState', Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: stateObjects('*') }],
      permissionsBoundary: props.applyPermissionsBoundaryArn,
    });
    this.planRoleArn = plan.arn;
    this.applyRoleArn = apply.arn;
    // Each read of a resource attribute makes a new token: reuse the ones read above.
    this.workflowOutputs = {
      [ciOutputName(props.environment, 'plan_role_arn')]: {
        value: this.planRoleArn,
        description: `Role GitHub Actions plan jobs of ${props.environment} assume (pull requests, ${props.defaultBranch ?? DEFAULT_GITHUB_BRANCH})`,
      },
      [ciOutputName(props.environment, 'apply_role_arn')]: {
        value: this.applyRoleArn,
        description: `Role the ${props.environment} apply job assumes (GitHub environment ${props.environment})`,
      },
    };
  }

  private role(
    purpose: DeployPurpose,
    props: AwsGithubDeployRolesProps,
    spec: { subjects: string[]; policyArns: readonly string[]; state: PolicyStatement[]; permissionsBoundary?: string },
  ): IamRole {
    const name = deployIdentityName(props.environment, purpose);
    const trust: PolicyStatement = {
      Sid: 'GithubActionsOidc',
      Effect: 'Allow',
      Principal: { Federated: props.oidcProviderArn },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AWS_AUDIENCE,
          [`${GITHUB_OIDC_HOST}:sub`]: spec.subjects,
        },
      },
    };
    const role = new IamRole(this, `${purpose}-role`, {
      name,
      description:
        purpose === 'plan'
          ? `Read-only Terraform plans of ${props.environment} from GitHub Actions (pull requests, default branch)`
          : `Terraform applies of ${props.environment} from GitHub Actions (GitHub environment ${props.environment})`,
      assumeRolePolicy: policyDocument([trust]),
      maxSessionDuration: DEPLOY_ROLE_MAX_SESSION_SECONDS,
      permissionsBoundary: spec.permissionsBoundary,
    });
    [...new Set(spec.policyArns)].forEach((policyArn) => {
      new IamRolePolicyAttachment(this, `${purpose}-attach-${policyArn.split('/').pop()}`, { role: role.name, policyArn });
    });
    new IamRolePolicy(this, `${purpose}-state-policy`, { role: role.id, name: `${name}-state`, policy: policyDocument(spec.state) });
    return role;
  }

  private validatePolicyArns(lists: Record<'planPolicyArns' | 'applyPolicyArns', readonly string[]>): void {
    const problems: string[] = [];
    for (const [field, arns] of Object.entries(lists)) {
      if (arns.length === 0) problems.push(`${this.node.path}: ${field} is empty (give at least one managed policy ARN, or leave it out for the default)`);
      for (const arn of arns) {
        if (!Token.isUnresolved(arn) && !MANAGED_POLICY_ARN.test(arn)) {
          problems.push(`${this.node.path}: ${field} entry ${describeValue(arn)} is not a managed policy ARN (expected arn:aws:iam::aws:policy/<name> or arn:aws:iam::<account>:policy/<name>)`);
        }
      }
    }
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
  }
}
