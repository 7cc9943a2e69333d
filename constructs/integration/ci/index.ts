/**
 * Deploy identities for GitHub Actions, whatever the cloud: per environment, a read-only **plan**
 * identity that pull requests and the default branch may use, and an **apply** identity that only
 * jobs running in the environment's GitHub environment (with required reviewers) may use. Both are
 * reached with GitHub's OIDC tokens: no cloud credential is ever stored in GitHub.
 *
 * @see https://docs.github.com/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect
 */
import { IdpkitError, describeValue } from '../../core/errors';
import { Token } from '../../core/cdktf';
import { stateKey } from '../state';

/**
 * Terraform types an apply identity applies without calling its cloud: Kubernetes and Helm
 * resources go through the cluster's own access, the rest stay in Terraform. Each cloud's table
 * of apply permissions (aws-permissions.ts, gcp-roles.ts) lists them with nothing to grant.
 */
export const TYPES_WITHOUT_CLOUD_CALLS: readonly string[] = [
  'helm_release',
  'kubernetes_config_map_v1',
  'kubernetes_namespace_v1',
  'kubernetes_pod_disruption_budget_v1',
  'kubernetes_service_account_v1',
  'terraform_remote_state',
  'time_sleep',
];

/** Issuer of GitHub Actions' OIDC tokens (github.com; GitHub Enterprise Server has its own). */
export const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';

/** The issuer's host, the prefix of the condition keys IAM gives its claims (`<host>:sub`, `<host>:aud`). */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/** Audience `aws-actions/configure-aws-credentials` requests, and the one AWS roles accept. */
export const GITHUB_OIDC_AWS_AUDIENCE = 'sts.amazonaws.com';

/** Audience `azure/login` requests, and the one Entra ID federated credentials accept. */
export const GITHUB_OIDC_AZURE_AUDIENCE = 'api://AzureADTokenExchange';

/** Branch the plan identity trusts besides pull requests, when none is given. */
export const DEFAULT_GITHUB_BRANCH = 'main';

/** GitHub user or organisation names: letters, digits and single inner hyphens, up to 39 characters. */
export const GITHUB_OWNER_PATTERN = /^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}$/;

/** GitHub repository names: letters, digits, ".", "_" and "-", up to 100 characters ("." and ".." are reserved). */
export const GITHUB_REPO_PATTERN = /^(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/;

/**
 * Names of environments that get deploy identities: DNS-1123 labels (as idpkit's environment
 * names are), at most 51 characters so that `idpkit-<environment>-apply` fits IAM's 64-character
 * role names. The GitHub environment must have exactly this name.
 */
export const CI_ENVIRONMENT_PATTERN = /^[a-z0-9](?:[-a-z0-9]{0,49}[a-z0-9])?$/;

/**
 * Branch names the plan identity may trust: "/"-separated parts of letters, digits, ".", "_" and
 * "-", no "..", no wildcards (identities trust exact subjects only).
 */
export const GITHUB_BRANCH_PATTERN = /^(?!.*\.\.)(?!.*\.lock$)[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

/** AWS managed policy ARNs (AWS or customer managed), what the AWS deploy roles take as policies. */
export const AWS_MANAGED_POLICY_ARN_PATTERN = /^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/[\w+=,.@/-]+$/;

/** GCP IAM roles: predefined (`roles/<name>`) or custom (`projects/<id>/roles/<name>`, `organizations/<id>/roles/<name>`). */
export const GCP_IAM_ROLE_PATTERN = /^(roles\/[A-Za-z0-9_.]+|(projects|organizations)\/[^/]+\/roles\/[A-Za-z0-9_.]+)$/;

/** A GitHub repository. Names are case-sensitive in OIDC subjects: spell them as GitHub shows them. */
export interface GithubRepository {
  /** User or organisation, e.g. `acme`. */
  readonly owner: string;
  /** Repository name, e.g. `platform`. */
  readonly repo: string;
}

/** Props every cloud's deploy identities take. */
export interface GithubDeployProps {
  /** The idpkit environment, and the GitHub environment whose jobs may use the apply identity. */
  readonly environment: string;
  /** The repository whose workflows deploy the environment. */
  readonly repository: GithubRepository;
  /** Branch whose pushes (and schedules) may use the plan identity, e.g. for drift checks. @default "main" */
  readonly defaultBranch?: string;
  /**
   * Stacks whose state the identities may read and lock (plan) or write (apply); each keeps its
   * state under `idpkit/<stack>/` (see {@link stateKey}).
   * @default [`<environment>-infra`, `<environment>-platform`]
   */
  readonly stateStackNames?: readonly string[];
}

/** What a subject trusts, also the name of the Azure federated credential that holds it. */
export type GithubSubjectKind = 'environment' | 'pull-request' | 'default-branch';

/** One OIDC subject (`sub` claim) an identity trusts. */
export interface GithubSubject {
  readonly kind: GithubSubjectKind;
  /** The exact `sub` claim, e.g. `repo:acme/platform:environment:prod`. */
  readonly subject: string;
}

/** The subjects of one environment's identities. */
export interface GithubDeploySubjects {
  /** Pull requests and pushes to the default branch (jobs without a GitHub environment). */
  readonly plan: readonly GithubSubject[];
  /** Jobs in the GitHub environment named after the idpkit environment. */
  readonly apply: readonly GithubSubject[];
}

/**
 * The OIDC subjects of one environment's deploy identities, in GitHub's default subject format.
 * A job that names a GitHub `environment` always gets the environment subject (even on a pull
 * request), so plan jobs must not name one, and apply jobs must. Repositories that customised
 * their subject template (`repos/.../actions/oidc/customization/sub`) do not match.
 *
 * @see https://docs.github.com/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#example-subject-claims
 * @example
 * githubDeploySubjects({ environment: 'prod', repository: { owner: 'acme', repo: 'platform' } });
 * // plan: repo:acme/platform:pull_request, repo:acme/platform:ref:refs/heads/main
 * // apply: repo:acme/platform:environment:prod
 */
export function githubDeploySubjects(props: Pick<GithubDeployProps, 'environment' | 'repository' | 'defaultBranch'>): GithubDeploySubjects {
  const repo = `repo:${props.repository.owner}/${props.repository.repo}`;
  return {
    plan: [
      { kind: 'pull-request', subject: `${repo}:pull_request` },
      { kind: 'default-branch', subject: `${repo}:ref:refs/heads/${props.defaultBranch ?? DEFAULT_GITHUB_BRANCH}` },
    ],
    apply: [{ kind: 'environment', subject: `${repo}:environment:${props.environment}` }],
  };
}

/** `owner/repo`, the `repository` claim of GitHub's tokens. */
export const githubRepositoryName = (repository: GithubRepository): string => `${repository.owner}/${repository.repo}`;

/** The plan or apply identity of an environment. */
export type DeployPurpose = 'plan' | 'apply';

/** Name of a deploy identity: `idpkit-<environment>-<purpose>` (IAM role, Azure identity suffix, GCP account id when it fits). */
export const deployIdentityName = (environment: string, purpose: DeployPurpose): string => `idpkit-${environment}-${purpose}`;

/** Stacks an environment's identities work on when none are named: its infra and platform stacks. */
export const defaultStateStackNames = (environment: string): string[] => [`${environment}-infra`, `${environment}-platform`];

/** The object prefix of a stack's state and lock files, `idpkit/<stack>/`. */
export const stateObjectPrefix = (stackName: string): string => stateKey(stackName).replace(/[^/]+$/, '');

/** A value a workflow needs, as a Terraform output of the bootstrap stack. Never a secret. */
export interface CiOutput {
  readonly value: string;
  readonly description: string;
}

/** Deploy identities of one environment, on any cloud. */
export interface GithubDeployIdentities {
  /** The subjects each identity trusts. */
  readonly subjects: GithubDeploySubjects;
  /**
   * What the environment's workflows need (role ARNs, client ids, provider names...), keyed by
   * output name `ci_<environment>_<what>` (unique per environment, so several environments can
   * share a bootstrap stack): `new TerraformOutput(stack, name, output)` for each.
   */
  readonly workflowOutputs: Readonly<Record<string, CiOutput>>;
}

/** The output name of a value a workflow needs: `ci_<environment with _ for ->_<what>`. */
export const ciOutputName = (environment: string, what: string): string => `ci_${environment.replace(/-/g, '_')}_${what}`;

const known = (value: string | undefined): value is string => value !== undefined && !Token.isUnresolved(value);

/** Problems with a repository's owner and name (unresolved tokens are skipped). */
export function githubRepositoryProblems(repository: GithubRepository, where: string): string[] {
  const problems: string[] = [];
  if (known(repository.owner) && !GITHUB_OWNER_PATTERN.test(repository.owner)) {
    problems.push(`${where}: repository.owner ${describeValue(repository.owner)} is not a GitHub user or organisation name (letters, digits and single inner "-", up to 39 characters)`);
  }
  if (known(repository.repo) && !GITHUB_REPO_PATTERN.test(repository.repo)) {
    problems.push(`${where}: repository.repo ${describeValue(repository.repo)} is not a GitHub repository name (1-100 letters, digits, ".", "_", "-"; not "." or "..")`);
  }
  return problems;
}

/**
 * Checks the props every cloud's deploy identities share and throws one {@link IdpkitError}
 * (IDPKIT_INVALID_PROPS) listing every problem; `where` names the construct.
 */
export function validateGithubDeployProps(props: GithubDeployProps, where: string): void {
  const problems = githubRepositoryProblems(props.repository, where);
  if (known(props.environment) && !CI_ENVIRONMENT_PATTERN.test(props.environment)) {
    problems.push(
      `${where}: environment ${describeValue(props.environment)} is not a deployable environment name (a DNS-1123 label of 1-51 lowercase letters, digits and "-", starting and ending with a letter or digit)`,
    );
  }
  if (props.defaultBranch !== undefined && known(props.defaultBranch) && !GITHUB_BRANCH_PATTERN.test(props.defaultBranch)) {
    problems.push(
      `${where}: defaultBranch ${describeValue(props.defaultBranch)} is not a branch name identities can trust ("/"-separated parts of letters, digits, ".", "_", "-"; no "..", no wildcards)`,
    );
  }
  if (props.stateStackNames !== undefined && props.stateStackNames.length === 0) {
    problems.push(`${where}: stateStackNames is empty (name the stacks whose state the identities use, or leave it out for <environment>-infra and <environment>-platform)`);
  }
  if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
}
