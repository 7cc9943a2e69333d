import { createHash } from 'node:crypto';
import { DataGoogleProject } from '@cdktf/provider-google/lib/data-google-project';
import { ProjectIamCustomRole } from '@cdktf/provider-google/lib/project-iam-custom-role';
import { IamWorkloadIdentityPool } from '@cdktf/provider-google/lib/iam-workload-identity-pool';
import { IamWorkloadIdentityPoolProvider } from '@cdktf/provider-google/lib/iam-workload-identity-pool-provider';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { Construct } from 'constructs';
import {
  CiOutput,
  GCP_IAM_ROLE_PATTERN,
  DeployPurpose,
  GITHUB_OIDC_ISSUER,
  GithubDeployIdentities,
  GithubDeployProps,
  GithubDeploySubjects,
  GithubRepository,
  GithubSubject,
  ciOutputName,
  defaultStateStackNames,
  deployIdentityName,
  githubDeploySubjects,
  githubRepositoryName,
  githubRepositoryProblems,
  stateObjectPrefix,
  validateGithubDeployProps,
} from '.';
import { Token } from '../../core/cdktf';
import { IdpkitError, describeValue } from '../../core/errors';
import { GCP_SERVICES, requireServices } from '../services/gcp';
import { DEFAULT_GRANTABLE_ROLES, GCP_APPLY_ROLES, GCP_BUDGET_PERMISSIONS, GCP_BUDGET_ROLE, PROJECT_IAM_ADMIN, gcpApplyRoles, gcpGrantCondition, gcpGrantableRoles } from './gcp-roles';

/** Id of the GitHub workload identity pool when none is given. */
export const DEFAULT_GITHUB_POOL_ID = 'idpkit-github';

/** Id of the GitHub provider in the pool when none is given. */
export const DEFAULT_GITHUB_POOL_PROVIDER_ID = 'github-actions';

/** Pool and provider ids: 4-32 lowercase letters, digits and "-" (pools may not start with `gcp-`). */
const POOL_ID = /^(?!gcp-)[a-z0-9-]{4,32}$/;

/** Longest `google.subject` Google accepts (bytes). */
export const GCP_MAX_SUBJECT_BYTES = 127;

/**
 * How the provider maps GitHub's claims: `google.subject` is the `sub` claim (what the service
 * accounts' bindings name), the other attributes are there for audit logs and conditions.
 */
export const GITHUB_ATTRIBUTE_MAPPING: Readonly<Record<string, string>> = {
  'google.subject': 'assertion.sub',
  'attribute.repository': 'assertion.repository',
  'attribute.repository_owner': 'assertion.repository_owner',
  'attribute.environment': 'assertion.environment',
  'attribute.ref': 'assertion.ref',
  'attribute.event_name': 'assertion.event_name',
  'attribute.actor': 'assertion.actor',
};

/** The full resource name of a workload identity pool. */
export const gcpWorkloadIdentityPoolName = (projectNumber: string, poolId: string): string =>
  `projects/${projectNumber}/locations/global/workloadIdentityPools/${poolId}`;

/**
 * A reference to a project's existing GitHub pool and provider, by name: for a second bootstrap
 * stack in the project, or a pool made by hand. It must trust the same repository.
 *
 * @example
 * gcpGithubPoolRef(gcpContext(this).projectNumber); // projects/<number>/locations/global/workloadIdentityPools/idpkit-github, .../providers/github-actions
 */
export function gcpGithubPoolRef(projectNumber: string, poolId: string = DEFAULT_GITHUB_POOL_ID, providerId: string = DEFAULT_GITHUB_POOL_PROVIDER_ID): GcpGithubPoolRef {
  const poolName = gcpWorkloadIdentityPoolName(projectNumber, poolId);
  return { poolName, providerName: `${poolName}/providers/${providerId}` };
}

/** A GitHub workload identity pool and its provider, by full resource names. */
export interface GcpGithubPoolRef {
  /** `projects/<number>/locations/global/workloadIdentityPools/<pool>`. */
  readonly poolName: string;
  /** `projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>` (`workload_identity_provider` of `google-github-actions/auth`). */
  readonly providerName: string;
}

/** Props of {@link GcpGithubWorkloadIdentityPool}. */
export interface GcpGithubWorkloadIdentityPoolProps {
  /** The one repository whose tokens the pool accepts. */
  readonly repository: GithubRepository;
  /** Project of the pool. @default - the provider's project */
  readonly projectId?: string;
  /**
   * Pool id. A deleted pool keeps its id for 30 days, so pick a new one to recreate it sooner.
   * @default "idpkit-github"
   */
  readonly poolId?: string;
  /** Provider id in the pool. @default "github-actions" */
  readonly providerId?: string;
}

/**
 * A workload identity pool with an OIDC provider for GitHub Actions' issuer, for one project. The
 * provider's `attribute_condition` accepts only tokens of one repository: GitHub's issuer is
 * shared by every repository on github.com, and Google refuses GitHub providers without a
 * condition. Service accounts then trust exact subjects of that repository
 * ({@link GcpGithubDeployServiceAccounts}). Enables the IAM, STS and IAM Credentials APIs.
 *
 * @see https://cloud.google.com/iam/docs/workload-identity-federation-with-deployment-pipelines
 * @example
 * const pool = new GcpGithubWorkloadIdentityPool(this, 'github', { repository: { owner: 'acme', repo: 'platform' } });
 * pool.providerName; // workload_identity_provider of google-github-actions/auth
 */
export class GcpGithubWorkloadIdentityPool extends Construct implements GcpGithubPoolRef {
  readonly poolName: string;
  readonly providerName: string;
  /** The pool's id. */
  readonly poolId: string;

  constructor(scope: Construct, id: string, props: GcpGithubWorkloadIdentityPoolProps) {
    super(scope, id);
    const poolId = props.poolId ?? DEFAULT_GITHUB_POOL_ID;
    const providerId = props.providerId ?? DEFAULT_GITHUB_POOL_PROVIDER_ID;
    const problems = githubRepositoryProblems(props.repository, this.node.path);
    for (const [field, value] of [['poolId', poolId], ['providerId', providerId]] as const) {
      if (!Token.isUnresolved(value) && !POOL_ID.test(value)) {
        problems.push(`${this.node.path}: ${field} ${describeValue(value)} is not a workload identity pool or provider id (4-32 lowercase letters, digits and "-", not starting with "gcp-")`);
      }
    }
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);

    const repository = githubRepositoryName(props.repository);
    const pool = new IamWorkloadIdentityPool(this, 'pool', {
      project: props.projectId,
      workloadIdentityPoolId: poolId,
      displayName: 'GitHub Actions',
      description: `GitHub Actions of ${repository}`,
      dependsOn: requireServices(this, [GCP_SERVICES.iam, GCP_SERVICES.sts, GCP_SERVICES.iamcredentials]),
    });
    const provider = new IamWorkloadIdentityPoolProvider(this, 'provider', {
      project: props.projectId,
      workloadIdentityPoolId: pool.workloadIdentityPoolId,
      workloadIdentityPoolProviderId: providerId,
      displayName: 'GitHub Actions OIDC',
      description: `Tokens of ${repository} only`,
      attributeMapping: { ...GITHUB_ATTRIBUTE_MAPPING },
      attributeCondition: `assertion.repository == "${repository}"`,
      oidc: { issuerUri: GITHUB_OIDC_ISSUER },
    });
    this.poolId = poolId;
    this.poolName = pool.name;
    this.providerName = provider.name;
  }
}

/** Roles the plan service account gets on the project when none are given: read every resource (`viewer`) and every IAM policy (`iam.securityReviewer`), which Terraform refreshes; no writes. */
export const DEFAULT_PLAN_ROLES: readonly string[] = ['roles/viewer', 'roles/iam.securityReviewer'];

/** Reads secret values (`secretmanager.versions.access`), which neither `roles/viewer` nor the service admin roles include. */
export const SECRET_ACCESSOR_ROLE = 'roles/secretmanager.secretAccessor';

/**
 * Permissions of the plan account's custom role on the project: read Kubernetes Secrets, which
 * `roles/viewer` (like `roles/container.viewer`) leaves out and the Helm provider needs to plan a
 * release (its record is a Secret). `roles/container.developer` would read them too, but also
 * writes every namespaced resource.
 */
export const KUBERNETES_SECRETS_READER_PERMISSIONS: readonly string[] = ['container.secrets.get', 'container.secrets.list'];

/** Secret Manager secret ids: letters, digits, "_" and "-", up to 255 characters. */
const SECRET_NAME_PREFIX = /^[A-Za-z0-9_-]{1,255}$/;

/** Custom role ids: 3-64 letters, digits, "_" and ".". */
const CUSTOM_ROLE_ID_MAX_LENGTH = 64;

/**
 * The id of an environment's custom Kubernetes Secrets reader role: `idpkit_<env, "-" as "_">_k8s_secrets`,
 * cut and suffixed with 6 hex of SHA-256(env) when longer than 64 characters. A deleted custom role
 * keeps its id for up to 44 days.
 */
export const gcpKubernetesSecretsReaderRoleId = (environment: string): string => gcpEnvironmentRoleId(environment, 'k8s_secrets');

/**
 * The id of a custom role of an environment: `idpkit_<env, "-" as "_">_<what>`, cut and suffixed
 * with 6 hex of SHA-256(env) when longer than 64 characters.
 */
export function gcpEnvironmentRoleId(environment: string, what: string): string {
  const full = `idpkit_${environment.replace(/-/g, '_')}_${what}`;
  if (full.length <= CUSTOM_ROLE_ID_MAX_LENGTH) return full;
  const hash = createHash('sha256').update(environment).digest('hex').slice(0, 6);
  const keep = CUSTOM_ROLE_ID_MAX_LENGTH - `idpkit__${hash}_${what}`.length;
  return `idpkit_${environment.slice(0, keep).replace(/-/g, '_').replace(/_+$/, '')}_${hash}_${what}`;
}

/** Reads and lists objects: state reads and the backend's workspace listing (bucket-wide, as listing needs). */
export const GCS_OBJECT_VIEWER_ROLE = 'roles/storage.objectViewer';

/** Creates, reads and deletes objects; granted only under a condition on the object name. */
export const GCS_OBJECT_USER_ROLE = 'roles/storage.objectUser';

/** Lets a federated identity impersonate a service account. */
export const WORKLOAD_IDENTITY_USER_ROLE = 'roles/iam.workloadIdentityUser';

/** Service account ids: 6-30 characters, lowercase letter first, letters, digits and "-". */
const ACCOUNT_ID_MAX_LENGTH = 30;

/**
 * The account id of a deploy service account: `idpkit-<env>-<purpose>` when it fits in 30
 * characters, otherwise `idpkit-<env cut>-<6 hex of SHA-256(env)>-<purpose>`, so long names stay
 * distinct and never change between syntheses.
 *
 * @example
 * gcpDeployAccountId('prod', 'apply'); // "idpkit-prod-apply"
 * gcpDeployAccountId('customer-analytics-eu', 'apply'); // "idpkit-customer-a-<hash>-apply"
 */
export function gcpDeployAccountId(environment: string, purpose: DeployPurpose): string {
  const full = deployIdentityName(environment, purpose);
  if (full.length <= ACCOUNT_ID_MAX_LENGTH) return full;
  const hash = createHash('sha256').update(environment).digest('hex').slice(0, 6);
  const keep = ACCOUNT_ID_MAX_LENGTH - `idpkit--${hash}-${purpose}`.length;
  return `idpkit-${environment.slice(0, keep).replace(/-+$/, '')}-${hash}-${purpose}`;
}

/** Props of {@link GcpGithubDeployServiceAccounts}. */
export interface GcpGithubDeployServiceAccountsProps extends GithubDeployProps {
  /** The environment's project: home of the service accounts and scope of their roles. */
  readonly projectId: string;
  /** The project's GitHub pool ({@link GcpGithubWorkloadIdentityPool}), or its names built from the project number. */
  readonly pool: GcpGithubPoolRef;
  /**
   * Name of the GCS state bucket: a reference to the bucket when the same stack creates it
   * (`GcpStateBucket.bucketName`), so its bindings wait for the bucket.
   */
  readonly stateBucket: string;
  /** Project roles of the plan service account; keep them read-only. @default ["roles/viewer", "roles/iam.securityReviewer"] */
  readonly planRoles?: readonly string[];
  /**
   * Project roles of the apply service account, replacing the generated ones (see `applyResourceTypes`).
   * @default - the service roles of `applyResourceTypes` ({@link GCP_APPLY_ROLES}), and a custom budget role when they include `google_billing_budget`
   */
  readonly applyRoles?: readonly string[];
  /**
   * Terraform resource and data source types the apply account applies: it gets the predefined
   * service roles {@link GCP_APPLY_ROLES} lists for them (no `roles/editor`). A type the table does
   * not know throws IDPKIT_INVALID_PROPS.
   * @default - every type of {@link GCP_APPLY_ROLES}
   */
  readonly applyResourceTypes?: readonly string[];
  /**
   * Project roles the apply account may grant and revoke through its
   * `roles/resourcemanager.projectIamAdmin`, when `constrainedGrants` holds. Never Owner, Editor,
   * the IAM admin roles or those that act as service accounts (`GCP_PRIVILEGED_ROLES`).
   * @default {@link DEFAULT_GRANTABLE_ROLES}
   */
  readonly grantableRoles?: readonly string[];
  /**
   * Grant `roles/resourcemanager.projectIamAdmin` to the apply account only under an IAM
   * condition ({@link gcpGrantCondition}) that limits its changes to `grantableRoles`. With false
   * it may grant any role, `roles/owner` included, to anyone, itself included.
   * @default true
   */
  readonly constrainedGrants?: boolean;
  /**
   * Secret Manager secrets both accounts may read the values of (`roles/secretmanager.secretAccessor`
   * on the project, under an IAM condition on the secret name): refreshing a secret version reads
   * its value. Usually `<environment>-`.
   * @default - none
   */
  readonly secretNamePrefix?: string;
  /**
   * Give the plan account a custom project role that reads Kubernetes Secrets
   * ({@link KUBERNETES_SECRETS_READER_PERMISSIONS}), so it can plan Helm releases. Creating a
   * custom role needs `roles/iam.roleAdmin` (or `Owner`), which whoever applies the bootstrap stack
   * has, and the apply account has not.
   * @default true
   */
  readonly planKubernetesSecrets?: boolean;
}

/**
 * The two service accounts GitHub Actions deploys one environment with, impersonated through the
 * project's GitHub pool: `roles/iam.workloadIdentityUser` is granted to
 * `principal://iam.googleapis.com/<pool>/subject/<subject>` for each exact subject.
 *
 * - `idpkit-<env>-plan`: pull requests and the default branch. `planRoles` on the project, object
 *   reads on the state bucket, and object writes only to the `.tflock` files of the environment's
 *   stacks (an IAM condition on the object name).
 * - `idpkit-<env>-apply`: only jobs in the GitHub environment `<env>` (give it required
 *   reviewers). The service admin roles of the types it applies (or `applyRoles`) on the project,
 *   `roles/resourcemanager.projectIamAdmin` only for `grantableRoles` (an IAM condition), and
 *   object writes under the environment's stacks' state prefixes only.
 *
 * Kubernetes: `roles/container.admin` (of `google_container_cluster`) covers the apply account; the
 * plan account reads the cluster through `roles/viewer` and, with `planKubernetesSecrets`, its
 * Secrets through a custom role. With `secretNamePrefix`, both read those Secret Manager secrets.
 *
 * No Cloud KMS role is needed for the CMEK-encrypted state: Cloud Storage's service agent uses the key.
 *
 * @see https://github.com/google-github-actions/auth#indirect-wif
 * @example
 * const pool = new GcpGithubWorkloadIdentityPool(this, 'github', { repository: { owner: 'acme', repo: 'platform' } });
 * const ci = new GcpGithubDeployServiceAccounts(this, 'ci-prod', {
 *   environment: 'prod', repository: { owner: 'acme', repo: 'platform' },
 *   projectId: 'acme-idp-prod', pool, stateBucket: 'acme-idp-prod-tfstate',
 * });
 * ci.applyServiceAccountEmail; // service_account of google-github-actions/auth in the prod apply job
 */
export class GcpGithubDeployServiceAccounts extends Construct implements GithubDeployIdentities {
  readonly subjects: GithubDeploySubjects;
  readonly workflowOutputs: Readonly<Record<string, CiOutput>>;
  /** E-mail of the plan service account. */
  readonly planServiceAccountEmail: string;
  /** E-mail of the apply service account. */
  readonly applyServiceAccountEmail: string;

  constructor(scope: Construct, id: string, props: GcpGithubDeployServiceAccountsProps) {
    super(scope, id);
    validateGithubDeployProps(props, this.node.path);
    const planRoles = props.planRoles ?? DEFAULT_PLAN_ROLES;
    const generatedRoles = props.applyRoles ? [] : gcpApplyRoles(props.applyResourceTypes ?? Object.keys(GCP_APPLY_ROLES), this.node.path);
    const applyRoles = props.applyRoles ?? generatedRoles.filter((role) => role !== GCP_BUDGET_ROLE);
    this.subjects = githubDeploySubjects(props);
    this.validate({ planRoles, applyRoles }, props.secretNamePrefix);
    const grants = (props.constrainedGrants ?? true) ? gcpGrantCondition(gcpGrantableRoles(props.grantableRoles ?? DEFAULT_GRANTABLE_ROLES, `${this.node.path}: grantableRoles`)) : undefined;

    const stacks = props.stateStackNames ?? defaultStateStackNames(props.environment);
    const underStacks = stacks.map((stack) => `resource.name.startsWith("projects/_/buckets/${props.stateBucket}/objects/${stateObjectPrefix(stack)}")`);
    const anyStack = underStacks.length === 1 ? underStacks[0] : `(${underStacks.join(' || ')})`;

    const plan = this.account('plan', props, this.subjects.plan, planRoles, {
      title: 'state-lock-only',
      description: `Only the lock files of ${props.environment}'s stacks`,
      expression: `${anyStack} && resource.name.endsWith(".tflock")`,
    });
    const apply = this.account(
      'apply',
      props,
      this.subjects.apply,
      applyRoles,
      { title: 'environment-state-only', description: `Only the state and lock files of ${props.environment}'s stacks`, expression: anyStack },
      grants,
    );
    const planMember = `serviceAccount:${plan.email}`;
    const applyMember = `serviceAccount:${apply.email}`;
    if (generatedRoles.includes(GCP_BUDGET_ROLE)) {
      // No predefined project role but Owner and Editor manages a single-project budget.
      const role = new ProjectIamCustomRole(this, 'budgets-role', {
        project: props.projectId,
        roleId: gcpEnvironmentRoleId(props.environment, 'budgets'),
        title: `idpkit ${props.environment} budgets`,
        description: `Manages the single-project budget of ${props.environment} (idpkit apply account)`,
        permissions: [...GCP_BUDGET_PERMISSIONS],
        dependsOn: requireServices(this, [GCP_SERVICES.iam]),
      });
      new ProjectIamMember(this, 'apply-budgets', { project: props.projectId, role: role.name, member: applyMember, dependsOn: this.projectIam() });
    }
    if (props.planKubernetesSecrets ?? true) {
      const role = new ProjectIamCustomRole(this, 'kubernetes-secrets-reader-role', {
        project: props.projectId,
        roleId: gcpKubernetesSecretsReaderRoleId(props.environment),
        title: `idpkit ${props.environment} Kubernetes Secrets reader`,
        description: `Reads Kubernetes Secrets (Helm release records) for read-only Terraform plans of ${props.environment}`,
        permissions: [...KUBERNETES_SECRETS_READER_PERMISSIONS],
        dependsOn: requireServices(this, [GCP_SERVICES.iam]),
      });
      new ProjectIamMember(this, 'plan-kubernetes-secrets-reader', { project: props.projectId, role: role.name, member: planMember, dependsOn: this.projectIam() });
    }
    if (props.secretNamePrefix !== undefined) {
      const projectNumber = new DataGoogleProject(this, 'project', { projectId: props.projectId }).number;
      const condition = {
        title: 'environment-secrets-only',
        description: `Only Secret Manager secrets whose names start with ${props.secretNamePrefix}`,
        expression: `resource.name.startsWith("projects/${projectNumber}/secrets/${props.secretNamePrefix}")`,
      };
      for (const [purpose, member] of [['plan', planMember], ['apply', applyMember]] as const) {
        new ProjectIamMember(this, `${purpose}-secret-accessor`, { project: props.projectId, role: SECRET_ACCESSOR_ROLE, member, condition, dependsOn: this.projectIam() });
      }
    }
    this.planServiceAccountEmail = plan.email;
    this.applyServiceAccountEmail = apply.email;
    const env = props.environment;
    this.workflowOutputs = {
      [ciOutputName(env, 'workload_identity_provider')]: {
        value: props.pool.providerName,
        description: `Workload identity provider GitHub Actions jobs of ${env} authenticate with`,
      },
      [ciOutputName(env, 'plan_service_account')]: {
        value: this.planServiceAccountEmail,
        description: `Service account GitHub Actions plan jobs of ${env} impersonate`,
      },
      [ciOutputName(env, 'apply_service_account')]: {
        value: this.applyServiceAccountEmail,
        description: `Service account the ${env} apply job impersonates (GitHub environment ${env})`,
      },
    };
  }

  private account(
    purpose: DeployPurpose,
    props: GcpGithubDeployServiceAccountsProps,
    subjects: readonly GithubSubject[],
    roles: readonly string[],
    stateWrite: { title: string; description: string; expression: string },
    grants?: { title: string; description: string; expression: string },
  ): ServiceAccount {
    const account = new ServiceAccount(this, `${purpose}-account`, {
      project: props.projectId,
      accountId: gcpDeployAccountId(props.environment, purpose),
      displayName: `idpkit ${props.environment} ${purpose} (GitHub Actions)`,
      description:
        purpose === 'plan'
          ? `Read-only Terraform plans of ${props.environment}: pull requests and the default branch`
          : `Terraform applies of ${props.environment}: GitHub environment ${props.environment} only`,
      dependsOn: requireServices(this, [GCP_SERVICES.iam, GCP_SERVICES.iamcredentials]),
    });
    for (const { kind, subject } of subjects) {
      new ServiceAccountIamMember(this, `${purpose}-${kind}`, {
        serviceAccountId: account.name,
        role: WORKLOAD_IDENTITY_USER_ROLE,
        member: `principal://iam.googleapis.com/${props.pool.poolName}/subject/${subject}`,
      });
    }
    const member = `serviceAccount:${account.email}`;
    [...new Set(roles)].forEach((role) => {
      // Project IAM changes only under the condition: the apply account cannot grant admin roles, to itself or anyone.
      const condition = grants && role === PROJECT_IAM_ADMIN ? { condition: grants } : {};
      new ProjectIamMember(this, `${purpose}-${role.replace(/^roles\//, '').replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}`, { project: props.projectId, role, member, ...condition, dependsOn: this.projectIam() });
    });
    new StorageBucketIamMember(this, `${purpose}-state-read`, { bucket: props.stateBucket, role: GCS_OBJECT_VIEWER_ROLE, member });
    new StorageBucketIamMember(this, `${purpose}-state-write`, { bucket: props.stateBucket, role: GCS_OBJECT_USER_ROLE, member, condition: stateWrite });
    return account;
  }

  /** Project-level bindings go through the Resource Manager API. */
  private projectIam() {
    return requireServices(this, [GCP_SERVICES.cloudresourcemanager]);
  }

  private validate(roles: Record<'planRoles' | 'applyRoles', readonly string[]>, secretNamePrefix: string | undefined): void {
    const problems: string[] = [];
    if (secretNamePrefix !== undefined && !Token.isUnresolved(secretNamePrefix) && !SECRET_NAME_PREFIX.test(secretNamePrefix)) {
      problems.push(`${this.node.path}: secretNamePrefix ${describeValue(secretNamePrefix)} is not a Secret Manager secret name prefix (1-255 letters, digits, "_" and "-")`);
    }
    for (const [field, list] of Object.entries(roles)) {
      if (list.length === 0) problems.push(`${this.node.path}: ${field} is empty (give at least one role, or leave it out for the default)`);
      for (const role of list) {
        if (!Token.isUnresolved(role) && !GCP_IAM_ROLE_PATTERN.test(role)) {
          problems.push(`${this.node.path}: ${field} entry ${describeValue(role)} is not an IAM role (expected roles/<name> or projects/<project>/roles/<name>)`);
        }
      }
    }
    for (const { subject } of [...this.subjects.plan, ...this.subjects.apply]) {
      if (Buffer.byteLength(subject) > GCP_MAX_SUBJECT_BYTES) {
        problems.push(`${this.node.path}: OIDC subject ${describeValue(subject)} is longer than the ${GCP_MAX_SUBJECT_BYTES} bytes Google accepts as google.subject (shorten the repository, environment or branch name)`);
      }
    }
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
  }
}
