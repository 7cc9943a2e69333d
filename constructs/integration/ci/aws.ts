import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { DataAwsIamOpenidConnectProvider } from '@cdktf/provider-aws/lib/data-aws-iam-openid-connect-provider';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import {
  AWS_MANAGED_POLICY_ARN_PATTERN,
  CI_ENVIRONMENT_PATTERN,
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
import { awsContext } from '../provider/aws';
import { AWS_APPLY_PERMISSIONS, awsApplyStatements, awsBoundaryPolicyArn, awsBoundaryPolicyName, awsBoundaryStatements, splitIntoPolicyDocuments } from './aws-permissions';

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
 * declare const state: AwsStateBucket;
 * const github = new AwsGithubOidcProvider(this, 'github-oidc', {});
 * new AwsGithubDeployRoles(this, 'ci-prod', {
 *   environment: 'prod', repository: { owner: 'acme', repo: 'platform' }, oidcProviderArn: github.arn,
 *   stateBucketArn: state.bucketArn, stateKeyArn: state.key.keyId,
 * });
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

/** Longest session of the deploy roles: one hour, enough for an EKS cluster and its node groups. */
export const DEPLOY_ROLE_MAX_SESSION_SECONDS = 3600;

/** Secrets Manager secrets, by name prefix, in one account and region. */
export interface AwsSecretsPrefix {
  /** Region of the secrets. */
  readonly region: string;
  /** 12-digit account id of the secrets. */
  readonly accountId: string;
  /** Name prefix, e.g. `prod-` for the environment's own secrets. */
  readonly namePrefix: string;
}

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
   * Managed policies of the apply role, replacing the generated ones (see `applyResourceTypes`).
   * The boundary still caps them unless `boundary` is false.
   * @default - customer managed policies `idpkit-<env>-apply[-<n>]` generated from `applyResourceTypes`
   */
  readonly applyPolicyArns?: readonly string[];
  /**
   * Terraform resource and data source types the apply role applies: its generated policies allow
   * what {@link AWS_APPLY_PERMISSIONS} lists for them, and nothing else. A type the table does not
   * know throws IDPKIT_INVALID_PROPS.
   * @default - every type of {@link AWS_APPLY_PERMISSIONS}
   */
  readonly applyResourceTypes?: readonly string[];
  /** Roles the apply role may pass to services (`iam:PassRole`): names or `*` patterns, in the account. @default ["*"] */
  readonly passRoleNames?: readonly string[];
  /**
   * Regions the generated apply policies work in (`aws:RequestedRegion` on actions that name no
   * resource): the environment's, and us-east-1 where global services answer.
   * @default - any region
   */
  readonly regions?: readonly string[];
  /**
   * Create the environment's permissions boundary `idpkit-<env>-boundary`
   * ({@link awsBoundaryStatements}) and bound the apply role with it; its generated policies may
   * then create and change roles only with that boundary. With false, no boundary is made, and
   * role writes are not conditioned: the apply role can then make itself an administrator.
   * @default true
   */
  readonly boundary?: boolean;
  /**
   * Permissions boundary of the apply role instead of the one `boundary` creates (an existing
   * policy of yours); the generated policies require it on the roles they create.
   * @default - the boundary this construct creates, or none when `boundary` is false
   */
  readonly applyPermissionsBoundaryArn?: string;
  /** Account of the roles. @default - the caller's (data.aws_caller_identity) */
  readonly accountId?: string;
  /**
   * Secrets the plan role may read the values of (`secretsmanager:GetSecretValue`, and
   * `kms:Decrypt` through Secrets Manager for those secrets only): refreshing a secret version
   * reads its value, which `ReadOnlyAccess` does not allow. The apply role's policies cover it.
   * @default - none
   */
  readonly planSecrets?: AwsSecretsPrefix;
}

/**
 * The two IAM roles GitHub Actions deploys one environment with, each trusted through the account's
 * GitHub OIDC provider (`sts:AssumeRoleWithWebIdentity`, audience `sts.amazonaws.com`) by exact
 * subjects only:
 *
 * - `idpkit-<env>-plan`: pull requests and the default branch. `ReadOnlyAccess`, plus the state
 *   of the environment's stacks: list the bucket, read their state, and write or delete only
 *   their `*.tflock` objects (S3 native locking), with the state key; the same boundary as apply.
 * - `idpkit-<env>-apply`: only jobs in the GitHub environment `<env>` (give it required reviewers).
 *   Customer managed policies generated from the Terraform types it applies (or `applyPolicyArns`),
 *   read-write state of the environment's stacks, and the permissions boundary
 *   `idpkit-<env>-boundary`, which caps it and which every role it creates or changes must carry:
 *   it cannot create an unbounded role, drop a boundary, change the boundary, the deploy roles,
 *   the GitHub OIDC provider or the state bucket and key (see {@link awsBoundaryStatements}).
 *
 * Both have one-hour sessions. `ReadOnlyAccess` does not include `secretsmanager:GetSecretValue`:
 * give `planSecrets` (the environment's `<env>-` secrets) so plans can refresh secret versions.
 * Neither role can reach the cluster by itself: add {@link AwsGithubDeployClusterAccess} next to it.
 *
 * @see https://docs.github.com/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
 * @see https://developer.hashicorp.com/terraform/language/backend/s3#permissions-required
 * @example
 * declare const github: AwsGithubOidcProvider;
 * declare const state: AwsStateBucket;
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
  /** ARN of the permissions boundary of the apply role and of the roles it creates, if any. */
  readonly boundaryArn?: string;

  constructor(scope: Construct, id: string, props: AwsGithubDeployRolesProps) {
    super(scope, id);
    validateGithubDeployProps(props, this.node.path);
    const planPolicyArns = props.planPolicyArns ?? DEFAULT_PLAN_POLICY_ARNS;
    this.validatePolicyArns({ planPolicyArns, ...(props.applyPolicyArns ? { applyPolicyArns: props.applyPolicyArns } : {}) }, props.planSecrets);
    const accountId = props.accountId ?? awsContext(this).accountId;
    const idpkitBoundary = props.applyPermissionsBoundaryArn === undefined && (props.boundary ?? true) ? this.boundary(props, accountId) : undefined;
    this.boundaryArn = props.applyPermissionsBoundaryArn ?? idpkitBoundary;
    const applyPolicyArns = props.applyPolicyArns ?? this.applyPolicies(props, accountId);
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
      // Read-only anyway; the boundary keeps it so if its policies are ever widened.
      permissionsBoundary: idpkitBoundary,
    });
    const apply = this.role('apply', props, {
      subjects: this.subjects.apply.map((s) => s.subject),
      policyArns: applyPolicyArns,
      state: [...stateRead, { Sid: 'WriteState', Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: stateObjects('*') }],
      permissionsBoundary: this.boundaryArn,
    });
    if (props.planSecrets) {
      new IamRolePolicy(this, 'plan-secrets-policy', {
        role: plan.id,
        name: `${deployIdentityName(props.environment, 'plan')}-secrets`,
        policy: policyDocument(secretReadStatements(props.planSecrets)),
      });
    }
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

  /** The environment's permissions boundary policy; returns its ARN. */
  private boundary(props: AwsGithubDeployRolesProps, accountId: string): string {
    const name = awsBoundaryPolicyName(props.environment);
    return new IamPolicy(this, 'boundary', {
      name,
      description: `Permissions boundary of idpkit ${props.environment}: its apply role and every role that one creates (no unbounded roles, no changes to deploy roles, boundaries or state)`,
      policy: policyDocument(awsBoundaryStatements({ accountId, boundaryArn: awsBoundaryPolicyArn(accountId, props.environment), stateBucketArns: [props.stateBucketArn], stateKeyArns: [props.stateKeyArn] })),
    }).arn;
  }

  /** The generated customer managed policies of the apply role, as many as the size limit takes; returns their ARNs. */
  private applyPolicies(props: AwsGithubDeployRolesProps, accountId: string): string[] {
    const name = deployIdentityName(props.environment, 'apply');
    const statements = awsApplyStatements({
      accountId,
      environment: props.environment,
      resourceTypes: props.applyResourceTypes ?? Object.keys(AWS_APPLY_PERMISSIONS),
      boundaryArn: this.boundaryArn,
      passRoleNames: props.passRoleNames ?? ['*'],
      regions: props.regions,
      where: this.node.path,
    });
    return splitIntoPolicyDocuments(statements, this.node.path).map(
      (document, index, all) =>
        new IamPolicy(this, `apply-policy-${index + 1}`, {
          name: all.length === 1 ? name : `${name}-${index + 1}`,
          description: `What Terraform applies of ${props.environment} take (generated by idpkit from the Terraform types of its stacks)`,
          policy: policyDocument(document),
        }).arn,
    );
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
    [...new Set(spec.policyArns)].forEach((policyArn, index) => {
      // Generated policies are references: number them.
      const id = Token.isUnresolved(policyArn) ? `generated-${index + 1}` : policyArn.split('/').pop();
      new IamRolePolicyAttachment(this, `${purpose}-attach-${id}`, { role: role.name, policyArn });
    });
    new IamRolePolicy(this, `${purpose}-state-policy`, { role: role.id, name: `${name}-state`, policy: policyDocument(spec.state) });
    return role;
  }

  private validatePolicyArns(lists: Partial<Record<'planPolicyArns' | 'applyPolicyArns', readonly string[]>>, secrets: AwsSecretsPrefix | undefined): void {
    const problems: string[] = [];
    if (secrets && !Token.isUnresolved(secrets.accountId) && !/^\d{12}$/.test(secrets.accountId)) {
      problems.push(`${this.node.path}: planSecrets.accountId ${describeValue(secrets.accountId)} is not a 12-digit AWS account id`);
    }
    if (secrets && !Token.isUnresolved(secrets.namePrefix) && !/^[\w/+=.@-]+$/.test(secrets.namePrefix)) {
      problems.push(`${this.node.path}: planSecrets.namePrefix ${describeValue(secrets.namePrefix)} is not a secret name prefix (letters, digits and /_+=.@-)`);
    }
    for (const [field, arns] of Object.entries(lists)) {
      if (arns.length === 0) problems.push(`${this.node.path}: ${field} is empty (give at least one managed policy ARN, or leave it out for the default)`);
      for (const arn of arns) {
        if (!Token.isUnresolved(arn) && !AWS_MANAGED_POLICY_ARN_PATTERN.test(arn)) {
          problems.push(`${this.node.path}: ${field} entry ${describeValue(arn)} is not a managed policy ARN (expected arn:aws:iam::aws:policy/<name> or arn:aws:iam::<account>:policy/<name>)`);
        }
      }
    }
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
  }
}

/** Statements that read the values of the secrets under a prefix, decrypting through Secrets Manager only. */
function secretReadStatements(secrets: AwsSecretsPrefix): PolicyStatement[] {
  const secretArns = `arn:aws:secretsmanager:${secrets.region}:${secrets.accountId}:secret:${secrets.namePrefix}*`;
  return [
    { Sid: 'ReadEnvironmentSecrets', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: secretArns },
    {
      // The environment's secrets use its customer managed key: decrypt only through Secrets Manager, only for them.
      Sid: 'DecryptEnvironmentSecrets',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: `arn:aws:kms:${secrets.region}:${secrets.accountId}:key/*`,
      Condition: {
        StringEquals: { 'kms:ViaService': `secretsmanager.${secrets.region}.amazonaws.com` },
        StringLike: { 'kms:EncryptionContext:SecretARN': secretArns },
      },
    },
  ];
}

/** ARN of a deploy role, known before it exists: `arn:aws:iam::<account>:role/idpkit-<env>-<purpose>`. */
export const awsDeployRoleArn = (accountId: string, environment: string, purpose: DeployPurpose): string =>
  `arn:aws:iam::${accountId}:role/${deployIdentityName(environment, purpose)}`;

/** EKS access policy of the apply role: cluster admin, as Terraform installs CRDs, RBAC and charts of every namespace. */
export const APPLY_CLUSTER_ACCESS_POLICY_ARN = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

/**
 * EKS access policy of the plan role: `AmazonEKSAdminViewPolicy`, read-only on every resource
 * including Secrets. `AmazonEKSViewPolicy` would not do: it hides Secrets, and the Helm provider
 * reads each release's record from a Secret (`sh.helm.release.v1.<release>.v<n>`) to plan it.
 */
export const PLAN_CLUSTER_ACCESS_POLICY_ARN = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy';

/** Props of {@link AwsGithubDeployClusterAccess}. */
export interface AwsGithubDeployClusterAccessProps {
  /** The idpkit environment whose deploy roles get access. */
  readonly environment: string;
  /** Account of the deploy roles (the cluster's account). */
  readonly accountId: string;
  /** Name of the EKS cluster. */
  readonly clusterName: string;
}

/**
 * EKS access entries for one environment's deploy roles ({@link AwsGithubDeployRoles}), for the
 * stack that owns the cluster: the apply role gets `AmazonEKSClusterAdminPolicy` and the plan role
 * `AmazonEKSAdminViewPolicy` (read everything, Secrets included, write nothing), both cluster-wide.
 * The roles' ARNs are known from their names, so the stack needs no reference to the bootstrap
 * stack; the roles must exist first (EKS checks the principal when it creates the entry).
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html
 * @example
 * declare const cluster: AwsEksCluster;
 * new AwsGithubDeployClusterAccess(this, 'ci-cluster-access', { environment: 'prod', accountId: '111111111111', clusterName: cluster.clusterName });
 */
export class AwsGithubDeployClusterAccess extends Construct {
  constructor(scope: Construct, id: string, props: AwsGithubDeployClusterAccessProps) {
    super(scope, id);
    const problems: string[] = [];
    if (!Token.isUnresolved(props.environment) && !CI_ENVIRONMENT_PATTERN.test(props.environment)) {
      problems.push(`${this.node.path}: environment ${describeValue(props.environment)} is not a deployable environment name (a DNS-1123 label of 1-51 characters)`);
    }
    if (!Token.isUnresolved(props.accountId) && !/^\d{12}$/.test(props.accountId)) {
      problems.push(`${this.node.path}: accountId ${describeValue(props.accountId)} is not a 12-digit AWS account id`);
    }
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
    const grants: [DeployPurpose, string][] = [
      ['plan', PLAN_CLUSTER_ACCESS_POLICY_ARN],
      ['apply', APPLY_CLUSTER_ACCESS_POLICY_ARN],
    ];
    for (const [purpose, policyArn] of grants) {
      const principalArn = awsDeployRoleArn(props.accountId, props.environment, purpose);
      const entry = new EksAccessEntry(this, `${purpose}-access`, { clusterName: props.clusterName, principalArn, type: 'STANDARD' });
      new EksAccessPolicyAssociation(this, `${purpose}-access-policy`, {
        clusterName: props.clusterName,
        principalArn,
        policyArn,
        accessScope: { type: 'cluster' },
        dependsOn: [entry],
      });
    }
  }
}
