import { createHash } from 'node:crypto';
import { DataAzurermUserAssignedIdentity } from '@cdktf/provider-azurerm/lib/data-azurerm-user-assigned-identity';
import { RoleDefinition } from '@cdktf/provider-azurerm/lib/role-definition';
import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Construct } from 'constructs';
import {
  CI_ENVIRONMENT_PATTERN,
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
import { azureNameSuffix } from '../provider/azure';
import { AZURE_BUILT_IN_ROLE_IDS, AZURE_PRIVILEGED_ROLES, RBAC_ADMINISTRATOR, azureConstrainedDelegationCondition, azureDelegableRoleIds } from './azure-roles';

/**
 * Built-in roles the plan identity gets on the subscription when none are given:
 * - `Reader`: reads every resource through Azure Resource Manager, changes nothing.
 * - `Key Vault Reader`: reads Key Vault metadata (vault contacts, key and secret properties, public
 *   keys) through the data plane, which `Reader` does not cover and Terraform refreshes; never
 *   secret values or private key material.
 *
 * Refreshing `azurerm_key_vault_secret` reads the secret's value, which needs
 * `Key Vault Secrets User`: {@link AzureGithubDeployClusterAccess} grants it on the environment's
 * Key Vault only, not on every vault of the subscription.
 */
export const DEFAULT_PLAN_ROLE_DEFINITION_NAMES: readonly string[] = ['Reader', 'Key Vault Reader'];

/**
 * Built-in roles the apply identity gets on the subscription when none are given:
 * - `Contributor`: creates, changes and deletes every resource, but cannot assign roles.
 * - `Role Based Access Control Administrator`: creates the role assignments the platform needs
 *   (workload identities, AKS, disk encryption sets), constrained by a condition to the roles
 *   idpkit assigns (`assignableRoles`), never `Owner`, `User Access Administrator` or itself.
 * - `Key Vault Administrator`: manages keys and secrets in RBAC-mode Key Vaults (encryption keys,
 *   connection secrets), a data-plane right neither role above has.
 */
export const DEFAULT_APPLY_ROLE_DEFINITION_NAMES: readonly string[] = ['Contributor', 'Role Based Access Control Administrator', 'Key Vault Administrator'];

const SUBSCRIPTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Props of {@link AzureGithubDeployIdentities}. */
export interface AzureGithubDeployIdentitiesProps extends GithubDeployProps {
  /** Resource group of the two identities, e.g. the state storage's ({@link AzureStateStorage.resourceGroupName}, a reference, so they wait for it). */
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
  /**
   * Roles the apply identity may assign and unassign, when it has `Role Based Access Control
   * Administrator` and `constrainedDelegation` holds: built-in names of {@link AZURE_BUILT_IN_ROLE_IDS},
   * role definition GUIDs or ids. The environment's "Kubernetes reader" role is always added.
   * Never Owner, User Access Administrator or RBAC Administrator (IDPKIT_INVALID_PROPS).
   * @default - every role of {@link AZURE_BUILT_IN_ROLE_IDS} but those three
   */
  readonly assignableRoles?: readonly string[];
  /**
   * Put the constrained-delegation condition ({@link azureConstrainedDelegationCondition}) on the
   * apply identity's `Role Based Access Control Administrator` assignment. With false it may
   * assign any role, `Owner` included, to anyone, itself included.
   * @default true
   */
  readonly constrainedDelegation?: boolean;
  /**
   * Define the custom role "Kubernetes reader" of the environment (see
   * {@link azureKubernetesReaderRoleDefinitionId}) on the subscription, which
   * {@link AzureGithubDeployClusterAccess} assigns the plan identity on the cluster. Creating a
   * role definition needs `Owner` or `User Access Administrator`, which whoever applies the
   * bootstrap stack has, and the apply identity has not.
   * @default true
   */
  readonly kubernetesReaderRole?: boolean;
}

/** Built-in role of the apply identity on the cluster: every Kubernetes resource, in every namespace. */
export const AKS_RBAC_CLUSTER_ADMIN = 'Azure Kubernetes Service RBAC Cluster Admin';

/** Built-in role that reads secret values in an RBAC-mode Key Vault. */
export const KEY_VAULT_SECRETS_USER = 'Key Vault Secrets User';

/**
 * What the plan identity's custom "Kubernetes reader" role allows on a cluster: read the cluster
 * resource and list its user credentials (which refreshing `azurerm_kubernetes_cluster` does), and
 * read every Kubernetes resource, Secrets included, writing none. No built-in role does this:
 * `Azure Kubernetes Service RBAC Reader` hides Secrets and cluster-scoped resources, and the Helm
 * provider reads each release's record from a Secret to plan it; `Azure Kubernetes Service RBAC
 * Admin` and `Writer` can read Secrets but also write.
 */
export const KUBERNETES_READER_PERMISSIONS = {
  actions: ['Microsoft.ContainerService/managedClusters/read', 'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action'],
  dataActions: ['Microsoft.ContainerService/managedClusters/*/read'],
} as const;

/** The id (a UUID) of an environment's "Kubernetes reader" role: derived from the subscription and environment, so both stacks know it. */
export function azureKubernetesReaderRoleUuid(subscriptionId: string, environment: string): string {
  const hex = createHash('sha256').update(`idpkit/${subscriptionId.toLowerCase()}/${environment}/kubernetes-reader`).digest('hex');
  // A name-based (version 5 style) UUID: version nibble 5, RFC 4122 variant.
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Resource id of an environment's "Kubernetes reader" role definition, as role assignments name it. */
export const azureKubernetesReaderRoleDefinitionId = (subscriptionId: string, environment: string): string =>
  `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${azureKubernetesReaderRoleUuid(subscriptionId, environment)}`;

/** Name of an environment's "Kubernetes reader" role: unique in the tenant, where role names must be. */
export const azureKubernetesReaderRoleName = (subscriptionId: string, environment: string): string =>
  `idpkit ${environment} Kubernetes reader (${azureNameSuffix(subscriptionId, environment)})`;

/** The name of a deploy identity: `id-idpkit-<env>-<purpose>`. */
export const azureDeployIdentityName = (environment: string, purpose: DeployPurpose): string => `id-${deployIdentityName(environment, purpose)}`;

/**
 * The two user-assigned managed identities GitHub Actions deploys one environment with, each with
 * one federated credential per subject it trusts (GitHub's issuer, audience
 * `api://AzureADTokenExchange`, exact subject):
 *
 * - `id-idpkit-<env>-plan`: pull requests and the default branch. Read-only roles on the
 *   subscription, plus `Storage Blob Data Contributor` on the state container: the azurerm backend
 *   locks state with a blob lease, a write, and Azure has no narrower built-in role for it.
 * - `id-idpkit-<env>-apply`: only jobs in the GitHub environment `<env>` (give it required
 *   reviewers). `applyRoleDefinitionNames` on the subscription plus state access; its
 *   `Role Based Access Control Administrator` assignment may only assign `assignableRoles`.
 *
 * With `kubernetesReaderRole` (the default) it also defines the plan identity's custom role for
 * the cluster; {@link AzureGithubDeployClusterAccess}, in the stack that owns the cluster and Key
 * Vault, assigns it and the other cluster and secret roles.
 *
 * Federated credentials of one identity are created one after another: Azure refuses concurrent
 * credential writes under the same identity. Do not also list these identities in
 * `AzureStateStorage`'s `stateWriterPrincipalIds`: the state role is assigned here.
 *
 * @see https://learn.microsoft.com/entra/workload-id/workload-identity-federation-create-trust-user-assigned-managed-identity
 * @see https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
 * @example
 * declare const state: AzureStateStorage;
 * const ci = new AzureGithubDeployIdentities(this, 'ci-prod', {
 *   environment: 'prod', repository: { owner: 'acme', repo: 'platform' },
 *   resourceGroupName: state.resourceGroupName, location: 'westeurope',
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

    const assignable = props.assignableRoles ?? Object.keys(AZURE_BUILT_IN_ROLE_IDS).filter((name) => !AZURE_PRIVILEGED_ROLES.includes(name));
    const delegation =
      (props.constrainedDelegation ?? true)
        ? azureConstrainedDelegationCondition(azureDelegableRoleIds([...assignable, azureKubernetesReaderRoleUuid(props.subscriptionId, props.environment)], `${this.node.path}: assignableRoles`))
        : undefined;
    const plan = this.identity('plan', props, this.subjects.plan, planRoles);
    const apply = this.identity('apply', props, this.subjects.apply, applyRoles, delegation);

    if (props.kubernetesReaderRole ?? true) {
      const subscription = `/subscriptions/${props.subscriptionId}`;
      new RoleDefinition(this, 'kubernetes-reader-role', {
        roleDefinitionId: azureKubernetesReaderRoleUuid(props.subscriptionId, props.environment),
        name: azureKubernetesReaderRoleName(props.subscriptionId, props.environment),
        description: `Reads every Kubernetes resource of ${props.environment}'s cluster, Secrets included, and writes none (idpkit plan identity)`,
        scope: subscription,
        assignableScopes: [subscription],
        permissions: [{ actions: [...KUBERNETES_READER_PERMISSIONS.actions], dataActions: [...KUBERNETES_READER_PERMISSIONS.dataActions] }],
      });
    }

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

  private identity(purpose: DeployPurpose, props: AzureGithubDeployIdentitiesProps, subjects: readonly GithubSubject[], roles: readonly string[], delegation?: string): UserAssignedIdentity {
    const identity = new UserAssignedIdentity(this, `${purpose}-identity`, {
      name: azureDeployIdentityName(props.environment, purpose),
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
        // Constrained delegation: only the roles idpkit assigns, never those that grant access.
        ...(delegation !== undefined && role === RBAC_ADMINISTRATOR ? { condition: delegation, conditionVersion: '2.0' } : {}),
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

/** Props of {@link AzureGithubDeployClusterAccess}. */
export interface AzureGithubDeployClusterAccessProps {
  /** The idpkit environment whose deploy identities get access. */
  readonly environment: string;
  /** The environment's subscription (of the identities' custom role). */
  readonly subscriptionId: string;
  /** Resource group of the identities ({@link AzureGithubDeployIdentitiesProps.resourceGroupName}, the state storage's). */
  readonly identityResourceGroupName: string;
  /** Resource id of the AKS cluster. */
  readonly clusterId: string;
  /** Resource id of the environment's Key Vault, whose secrets the plan identity may read. @default - no Key Vault grant */
  readonly keyVaultId?: string;
}

/**
 * Cluster and secret access for one environment's deploy identities
 * ({@link AzureGithubDeployIdentities}), in the stack that owns the AKS cluster (Azure RBAC for
 * Kubernetes authorization) and the Key Vault. The identities live in the bootstrap stack: their
 * principal ids are read with `azurerm_user_assigned_identity` data sources by name, so that stack
 * must be applied first.
 *
 * - apply: `Azure Kubernetes Service RBAC Cluster Admin` on the cluster (its `Contributor` already
 *   lists cluster credentials).
 * - plan: the environment's custom "Kubernetes reader" role on the cluster (reads everything,
 *   Secrets included, as Helm plans need; see {@link KUBERNETES_READER_PERMISSIONS}), and
 *   `Key Vault Secrets User` on the Key Vault, so plans refresh secret values.
 *
 * @see https://learn.microsoft.com/azure/aks/manage-azure-rbac
 * @example
 * declare const cluster: AzureAksCluster;
 * declare const vault: AzureKeyVault;
 * new AzureGithubDeployClusterAccess(this, 'ci-cluster-access', {
 *   environment: 'prod', subscriptionId: '00000000-0000-0000-0000-000000000001', identityResourceGroupName: 'rg-idpkit-state',
 *   clusterId: cluster.clusterId, keyVaultId: vault.vaultId,
 * });
 */
export class AzureGithubDeployClusterAccess extends Construct {
  /** Principal id of the plan identity (read from Azure). */
  readonly planPrincipalId: string;
  /** Principal id of the apply identity (read from Azure). */
  readonly applyPrincipalId: string;

  constructor(scope: Construct, id: string, props: AzureGithubDeployClusterAccessProps) {
    super(scope, id);
    const problems: string[] = [];
    if (!Token.isUnresolved(props.environment) && !CI_ENVIRONMENT_PATTERN.test(props.environment)) {
      problems.push(`${this.node.path}: environment ${describeValue(props.environment)} is not a deployable environment name (a DNS-1123 label of 1-51 characters)`);
    }
    if (!Token.isUnresolved(props.subscriptionId) && !SUBSCRIPTION_ID.test(props.subscriptionId)) {
      problems.push(`${this.node.path}: subscriptionId ${describeValue(props.subscriptionId)} is not a subscription id (a GUID, e.g. 00000000-0000-0000-0000-000000000001)`);
    }
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
    const principal = (purpose: DeployPurpose) =>
      new DataAzurermUserAssignedIdentity(this, `${purpose}-identity`, {
        name: azureDeployIdentityName(props.environment, purpose),
        resourceGroupName: props.identityResourceGroupName,
      }).principalId;
    this.planPrincipalId = principal('plan');
    this.applyPrincipalId = principal('apply');
    const assign = (assignmentId: string, principalId: string, scopeId: string, role: { roleDefinitionName?: string; roleDefinitionId?: string }, what: string) =>
      new RoleAssignment(this, assignmentId, {
        scope: scopeId,
        ...role,
        principalId,
        principalType: 'ServicePrincipal',
        skipServicePrincipalAadCheck: true,
        description: `${what} for idpkit ${props.environment} (GitHub Actions)`,
      });
    assign('apply-cluster-admin', this.applyPrincipalId, props.clusterId, { roleDefinitionName: AKS_RBAC_CLUSTER_ADMIN }, 'Kubernetes cluster admin of the apply identity');
    assign(
      'plan-kubernetes-reader',
      this.planPrincipalId,
      props.clusterId,
      { roleDefinitionId: azureKubernetesReaderRoleDefinitionId(props.subscriptionId, props.environment) },
      'Kubernetes read access (Secrets included) of the plan identity',
    );
    if (props.keyVaultId !== undefined) {
      assign('plan-key-vault-secrets-user', this.planPrincipalId, props.keyVaultId, { roleDefinitionName: KEY_VAULT_SECRETS_USER }, 'Secret reads of the plan identity');
    }
  }
}
