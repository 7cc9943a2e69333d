import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Construct } from 'constructs';
import {
  CiOutput,
  DeployPurpose,
  GITHUB_OIDC_AZURE_AUDIENCE,
  GITHUB_OIDC_ISSUER,
  GithubDeployIdentities,
  GithubDeployProps,
  GithubDeploySubjects,
  GithubSubject,
  ciOutputName,
  deployIdentityName,
  githubDeploySubjects,
  validateGithubDeployProps,
} from '.';
import { Token } from '../../core/cdktf';
import { IdpkitError, describeValue } from '../../core/errors';
import { STORAGE_BLOB_DATA_CONTRIBUTOR } from '../identity/azure';

/**
 * Built-in roles the plan identity gets on the subscription when none are given:
 * - `Reader`: reads every resource through Azure Resource Manager, changes nothing.
 * - `Key Vault Reader`: reads Key Vault metadata (vault contacts, key and secret properties, public
 *   keys) through the data plane, which `Reader` does not cover and Terraform refreshes; never
 *   secret values or private key material.
 *
 * Refreshing `azurerm_key_vault_secret` reads the secret's value, which needs
 * `Key Vault Secrets User` (a read of secrets): add it only if your plans must refresh secrets.
 */
export const DEFAULT_PLAN_ROLE_DEFINITION_NAMES: readonly string[] = ['Reader', 'Key Vault Reader'];

/**
 * Built-in roles the apply identity gets on the subscription when none are given, a starting
 * point to narrow (for example to resource group scopes) once the platform is stable:
 * - `Contributor`: creates, changes and deletes every resource, but cannot assign roles.
 * - `Role Based Access Control Administrator`: creates the role assignments the platform needs
 *   (workload identities, AKS, disk encryption sets), without `Owner`'s other rights.
 * - `Key Vault Administrator`: manages keys and secrets in RBAC-mode Key Vaults (encryption keys,
 *   connection secrets), a data-plane right neither role above has.
 */
export const DEFAULT_APPLY_ROLE_DEFINITION_NAMES: readonly string[] = ['Contributor', 'Role Based Access Control Administrator', 'Key Vault Administrator'];

const SUBSCRIPTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Props of {@link AzureGithubDeployIdentities}. */
export interface AzureGithubDeployIdentitiesProps extends GithubDeployProps {
  /** Resource group of the two identities (e.g. the state storage's). */
  readonly resourceGroupName: string;
  /** Azure location of the identities. */
  readonly location: string;
  /** The environment's subscription, scope of the identities' roles. */
  readonly subscriptionId: string;
  /** Resource manager id of the state container ({@link AzureStateStorage.containerId}). */
  readonly stateContainerId: string;
  /** Built-in roles of the plan identity on the subscription; keep them read-only. @default ["Reader", "Key Vault Reader"] */
  readonly planRoleDefinitionNames?: readonly string[];
  /**
   * Built-in roles of the apply identity on the subscription; see {@link DEFAULT_APPLY_ROLE_DEFINITION_NAMES}.
   * @default ["Contributor", "Role Based Access Control Administrator", "Key Vault Administrator"]
   */
  readonly applyRoleDefinitionNames?: readonly string[];
}

/**
 * The two user-assigned managed identities GitHub Actions deploys one environment with, each with
 * one federated credential per subject it trusts (GitHub's issuer, audience
 * `api://AzureADTokenExchange`, exact subject):
 *
 * - `id-idpkit-<env>-plan`: pull requests and the default branch. Read-only roles on the
 *   subscription, plus `Storage Blob Data Contributor` on the state container: the azurerm backend
 *   locks state with a blob lease, a write, and Azure has no narrower built-in role for it.
 * - `id-idpkit-<env>-apply`: only jobs in the GitHub environment `<env>` (give it required
 *   reviewers). `applyRoleDefinitionNames` on the subscription plus state access.
 *
 * Federated credentials of one identity are created one after another: Azure refuses concurrent
 * credential writes under the same identity. Do not also list these identities in
 * `AzureStateStorage`'s `stateWriterPrincipalIds`: the state role is assigned here.
 *
 * @see https://learn.microsoft.com/entra/workload-id/workload-identity-federation-create-trust-user-assigned-managed-identity
 * @see https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
 * @example
 * const ci = new AzureGithubDeployIdentities(this, 'ci-prod', {
 *   environment: 'prod', repository: { owner: 'acme', repo: 'platform' },
 *   resourceGroupName: 'rg-idpkit-state', location: 'westeurope',
 *   subscriptionId: '00000000-0000-0000-0000-000000000001', stateContainerId: state.containerId,
 * });
 * ci.applyClientId; // client-id of azure/login in the prod apply job
 */
export class AzureGithubDeployIdentities extends Construct implements GithubDeployIdentities {
  readonly subjects: GithubDeploySubjects;
  readonly workflowOutputs: Readonly<Record<string, CiOutput>>;
  /** Client id of the plan identity (`client-id` of `azure/login`, `ARM_CLIENT_ID`). */
  readonly planClientId: string;
  /** Client id of the apply identity. */
  readonly applyClientId: string;
  /** Principal (object) id of the plan identity. */
  readonly planPrincipalId: string;
  /** Principal (object) id of the apply identity. */
  readonly applyPrincipalId: string;
  /** Entra ID tenant of the identities (`tenant-id`, `ARM_TENANT_ID`). */
  readonly tenantId: string;
  /** The environment's subscription (`subscription-id`, `ARM_SUBSCRIPTION_ID`). */
  readonly subscriptionId: string;

  constructor(scope: Construct, id: string, props: AzureGithubDeployIdentitiesProps) {
    super(scope, id);
    validateGithubDeployProps(props, this.node.path);
    const planRoles = props.planRoleDefinitionNames ?? DEFAULT_PLAN_ROLE_DEFINITION_NAMES;
    const applyRoles = props.applyRoleDefinitionNames ?? DEFAULT_APPLY_ROLE_DEFINITION_NAMES;
    this.validate(props, { planRoleDefinitionNames: planRoles, applyRoleDefinitionNames: applyRoles });
    this.subjects = githubDeploySubjects(props);

    const plan = this.identity('plan', props, this.subjects.plan, planRoles);
    const apply = this.identity('apply', props, this.subjects.apply, applyRoles);

    this.planClientId = plan.clientId;
    this.applyClientId = apply.clientId;
    this.planPrincipalId = plan.principalId;
    this.applyPrincipalId = apply.principalId;
    this.tenantId = apply.tenantId;
    this.subscriptionId = props.subscriptionId;
    // Each read of a resource attribute makes a new token: reuse the ones read above.
    const env = props.environment;
    const output = (what: string, value: string, description: string): [string, CiOutput] => [ciOutputName(env, what), { value, description }];
    this.workflowOutputs = Object.fromEntries([
      output('plan_client_id', this.planClientId, `Client id of the identity GitHub Actions plan jobs of ${env} log in with`),
      output('apply_client_id', this.applyClientId, `Client id of the identity the ${env} apply job logs in with (GitHub environment ${env})`),
      output('plan_principal_id', this.planPrincipalId, `Principal id of the ${env} plan identity`),
      output('apply_principal_id', this.applyPrincipalId, `Principal id of the ${env} apply identity`),
      output('tenant_id', this.tenantId, `Entra ID tenant of the ${env} deploy identities`),
      output('subscription_id', props.subscriptionId, `Subscription ${env} deploys to`),
    ]);
  }

  private identity(purpose: DeployPurpose, props: AzureGithubDeployIdentitiesProps, subjects: readonly GithubSubject[], roles: readonly string[]): UserAssignedIdentity {
    const identity = new UserAssignedIdentity(this, `${purpose}-identity`, {
      name: `id-${deployIdentityName(props.environment, purpose)}`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
    });
    // One at a time: Azure rejects concurrent federated credential writes under one identity.
    let previous: FederatedIdentityCredential | undefined;
    for (const { kind, subject } of subjects) {
      previous = new FederatedIdentityCredential(this, `${purpose}-${kind}`, {
        name: `github-${kind}`,
        resourceGroupName: props.resourceGroupName,
        parentId: identity.id,
        issuer: GITHUB_OIDC_ISSUER,
        audience: [GITHUB_OIDC_AZURE_AUDIENCE],
        subject,
        dependsOn: previous ? [previous] : undefined,
      });
    }
    const assign = (role: string, scope: string, what: string) =>
      new RoleAssignment(this, `${purpose}-${role.toLowerCase().replace(/[^a-z0-9]+/g, '-')}${what === 'state' ? '-state' : ''}`, {
        scope,
        roleDefinitionName: role,
        principalId: identity.principalId,
        principalType: 'ServicePrincipal',
        skipServicePrincipalAadCheck: true,
        description: `${role} for idpkit ${props.environment} ${purpose} (GitHub Actions, ${what})`,
      });
    [...new Set(roles)].forEach((role) => assign(role, `/subscriptions/${props.subscriptionId}`, 'subscription'));
    assign(STORAGE_BLOB_DATA_CONTRIBUTOR, props.stateContainerId, 'state');
    return identity;
  }

  private validate(props: AzureGithubDeployIdentitiesProps, roles: Record<'planRoleDefinitionNames' | 'applyRoleDefinitionNames', readonly string[]>): void {
    const problems: string[] = [];
    if (!Token.isUnresolved(props.subscriptionId) && !SUBSCRIPTION_ID.test(props.subscriptionId)) {
      problems.push(`${this.node.path}: subscriptionId ${describeValue(props.subscriptionId)} is not a subscription id (a GUID, e.g. 00000000-0000-0000-0000-000000000001)`);
    }
    for (const [field, names] of Object.entries(roles)) {
      if (names.length === 0) problems.push(`${this.node.path}: ${field} is empty (give at least one built-in role name, or leave it out for the default)`);
    }
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
  }
}
