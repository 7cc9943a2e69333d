import { TerraformOutput } from '../../../../constructs/core/cdktf';
import { IdpkitError } from '../../../../constructs/core/errors';
import {
  AzureGithubDeployClusterAccess,
  AzureGithubDeployIdentities,
  AzureGithubDeployIdentitiesProps,
  azureKubernetesReaderRoleDefinitionId,
  azureKubernetesReaderRoleUuid,
} from '../../../../constructs/integration/ci/azure';
import { TEST_SUBSCRIPTION, azureTestStack, refTo } from '../../../azure-helpers';
import { TerraformJson, resources } from '../../../helpers';

const CONTAINER = `/subscriptions/${TEST_SUBSCRIPTION}/resourceGroups/rg-idpkit-state/providers/Microsoft.Storage/storageAccounts/idpkitstate0001/blobServices/default/containers/tfstate`;
const SUBSCRIPTION_SCOPE = `/subscriptions/${TEST_SUBSCRIPTION}`;
const base: AzureGithubDeployIdentitiesProps = {
  environment: 'prod',
  repository: { owner: 'acme', repo: 'platform' },
  resourceGroupName: 'rg-idpkit-state',
  location: 'westeurope',
  subscriptionId: TEST_SUBSCRIPTION,
  stateContainerId: CONTAINER,
};

const synth = (props: AzureGithubDeployIdentitiesProps = base) =>
  azureTestStack((stack) => {
    const ci = new AzureGithubDeployIdentities(stack, `ci-${props.environment}`, props);
    Object.entries(ci.workflowOutputs).forEach(([name, output]) => new TerraformOutput(stack, name, output));
  });

const identityRef = (json: TerraformJson, name: string, attribute: string) => refTo(json, 'azurerm_user_assigned_identity', attribute, (body) => body.name === name);
const credentialsOf = (json: TerraformJson, name: string) =>
  resources(json, 'azurerm_federated_identity_credential').filter((c) => c.parent_id === identityRef(json, name, 'id'));
const rolesOf = (json: TerraformJson, name: string) =>
  resources(json, 'azurerm_role_assignment')
    .filter((a) => a.principal_id === identityRef(json, name, 'principal_id'))
    .map((a) => `${a.role_definition_name} @ ${a.scope === CONTAINER ? 'state container' : a.scope}`)
    .sort();

describe('AzureGithubDeployIdentities', () => {
  const json = synth();

  test('creates a plan and an apply identity per environment in the given resource group and location', () => {
    expect(resources(json, 'azurerm_user_assigned_identity').map((i) => [i.name, i.resource_group_name, i.location])).toEqual([
      ['id-idpkit-prod-apply', 'rg-idpkit-state', 'westeurope'],
      ['id-idpkit-prod-plan', 'rg-idpkit-state', 'westeurope'],
    ]);
  });

  test('the plan identity trusts exactly pull requests and the default branch, with GitHub issuer and the Entra audience', () => {
    const credentials = credentialsOf(json, 'id-idpkit-prod-plan');
    expect(credentials.map((c) => [c.name, c.subject])).toEqual([
      ['github-default-branch', 'repo:acme/platform:ref:refs/heads/main'],
      ['github-pull-request', 'repo:acme/platform:pull_request'],
    ]);
    for (const credential of credentials) {
      expect(credential).toMatchObject({ issuer: 'https://token.actions.githubusercontent.com', audience: ['api://AzureADTokenExchange'], resource_group_name: 'rg-idpkit-state' });
    }
  });

  test('writes one identity\'s credentials one after another (Azure refuses concurrent writes)', () => {
    const [branch, pullRequest] = credentialsOf(json, 'id-idpkit-prod-plan');
    expect(pullRequest.depends_on).toBeUndefined();
    expect(branch.depends_on).toEqual([expect.stringMatching(/^azurerm_federated_identity_credential\..*plan-pull-request/)]);
  });

  test('the apply identity trusts only jobs in the GitHub environment of its environment', () => {
    expect(credentialsOf(json, 'id-idpkit-prod-apply').map((c) => [c.name, c.subject, c.audience])).toEqual([
      ['github-environment', 'repo:acme/platform:environment:prod', ['api://AzureADTokenExchange']],
    ]);
  });

  test('the plan identity reads the subscription and holds no write role except on the state container (blob lease lock)', () => {
    expect(rolesOf(json, 'id-idpkit-prod-plan')).toEqual([
      `Key Vault Reader @ ${SUBSCRIPTION_SCOPE}`,
      `Reader @ ${SUBSCRIPTION_SCOPE}`,
      'Storage Blob Data Contributor @ state container',
    ]);
  });

  test('the apply identity manages the subscription and writes state', () => {
    expect(rolesOf(json, 'id-idpkit-prod-apply')).toEqual([
      `Contributor @ ${SUBSCRIPTION_SCOPE}`,
      `Key Vault Administrator @ ${SUBSCRIPTION_SCOPE}`,
      `Role Based Access Control Administrator @ ${SUBSCRIPTION_SCOPE}`,
      'Storage Blob Data Contributor @ state container',
    ]);
  });

  test("the apply identity's RBAC Administrator assignment may assign only delegable roles (constrained delegation)", () => {
    const rbacAdmin = resources(json, 'azurerm_role_assignment').find((a) => a.role_definition_name === 'Role Based Access Control Administrator');
    expect(rbacAdmin.condition_version).toBe('2.0');
    expect(rbacAdmin.condition).toContain("!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {");
    expect(rbacAdmin.condition).toContain("!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {");
    // Owner, User Access Administrator, RBAC Administrator: never.
    for (const privileged of ['8e3af657-a8ff-443c-a75c-2fe8c4bcb635', '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9', 'f58310d9-a9f6-439a-9e8d-f62e7b41a168']) expect(rbacAdmin.condition).not.toContain(privileged);
    expect(rbacAdmin.condition).toContain('ba92f5b4-2d11-453d-a403-e96b0029c9fe'); // Storage Blob Data Contributor
    expect(rbacAdmin.condition).toContain(azureKubernetesReaderRoleUuid(TEST_SUBSCRIPTION, 'prod'));
    expect(resources(json, 'azurerm_role_assignment').filter((a) => a.condition !== undefined)).toEqual([rbacAdmin]);
  });

  test('assigns roles to service principals without waiting for directory replication', () => {
    for (const assignment of resources(json, 'azurerm_role_assignment')) {
      expect(assignment).toMatchObject({ principal_type: 'ServicePrincipal', skip_service_principal_aad_check: true });
    }
  });

  test('outputs client ids, principal ids, tenant and subscription for the workflows, nothing secret', () => {
    expect(json.output).toEqual({
      ci_prod_plan_client_id: expect.objectContaining({ value: identityRef(json, 'id-idpkit-prod-plan', 'client_id') }),
      ci_prod_apply_client_id: expect.objectContaining({ value: identityRef(json, 'id-idpkit-prod-apply', 'client_id') }),
      ci_prod_plan_principal_id: expect.objectContaining({ value: identityRef(json, 'id-idpkit-prod-plan', 'principal_id') }),
      ci_prod_apply_principal_id: expect.objectContaining({ value: identityRef(json, 'id-idpkit-prod-apply', 'principal_id') }),
      ci_prod_tenant_id: expect.objectContaining({ value: identityRef(json, 'id-idpkit-prod-apply', 'tenant_id') }),
      ci_prod_subscription_id: expect.objectContaining({ value: TEST_SUBSCRIPTION }),
    });
    expect(Object.values(json.output!).some((output: any) => output.sensitive)).toBe(false);
  });
});

describe('AzureGithubDeployIdentities Kubernetes reader role', () => {
  const json = synth();

  test('defines the plan identity\'s custom role on the subscription: reads every Kubernetes resource, Secrets included, writes none', () => {
    const [role] = resources(json, 'azurerm_role_definition');
    expect(role).toMatchObject({
      role_definition_id: azureKubernetesReaderRoleUuid(TEST_SUBSCRIPTION, 'prod'),
      scope: SUBSCRIPTION_SCOPE,
      assignable_scopes: [SUBSCRIPTION_SCOPE],
      permissions: [
        {
          actions: ['Microsoft.ContainerService/managedClusters/read', 'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action'],
          data_actions: ['Microsoft.ContainerService/managedClusters/*/read'],
        },
      ],
    });
    expect(role.name).toMatch(/^idpkit prod Kubernetes reader \([0-9a-f]{8}\)$/);
  });

  test('has a role id derived from subscription and environment: a stable UUID both stacks compute', () => {
    const id = azureKubernetesReaderRoleUuid(TEST_SUBSCRIPTION, 'prod');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(azureKubernetesReaderRoleUuid(TEST_SUBSCRIPTION, 'prod')).toBe(id);
    expect(azureKubernetesReaderRoleUuid(TEST_SUBSCRIPTION, 'dev')).not.toBe(id);
    expect(azureKubernetesReaderRoleDefinitionId(TEST_SUBSCRIPTION, 'prod')).toBe(`${SUBSCRIPTION_SCOPE}/providers/Microsoft.Authorization/roleDefinitions/${id}`);
  });

  test('is left out when kubernetesReaderRole is false', () => {
    expect(resources(synth({ ...base, kubernetesReaderRole: false }), 'azurerm_role_definition')).toEqual([]);
  });
});

describe('AzureGithubDeployClusterAccess', () => {
  const CLUSTER = `/subscriptions/${TEST_SUBSCRIPTION}/resourceGroups/rg-prod-idpkit/providers/Microsoft.ContainerService/managedClusters/prod-aks`;
  const VAULT = `/subscriptions/${TEST_SUBSCRIPTION}/resourceGroups/rg-prod-idpkit/providers/Microsoft.KeyVault/vaults/kvprod0000`;
  const json = azureTestStack(
    (stack) =>
      new AzureGithubDeployClusterAccess(stack, 'ci-cluster-access', {
        environment: 'prod',
        subscriptionId: TEST_SUBSCRIPTION,
        identityResourceGroupName: 'rg-idpkit-state',
        clusterId: CLUSTER,
        keyVaultId: VAULT,
      }),
  );
  const principalOf = (name: string) => {
    const [address] = Object.entries(json.data!.azurerm_user_assigned_identity).find(([, body]: [string, any]) => body.name === name)!;
    return `\${data.azurerm_user_assigned_identity.${address}.principal_id}`;
  };
  const assignmentsOf = (name: string) =>
    resources(json, 'azurerm_role_assignment')
      .filter((a) => a.principal_id === principalOf(name))
      .map((a) => [a.role_definition_name ?? a.role_definition_id, a.scope])
      .sort();

  test('finds the bootstrap stack\'s identities by name in the state resource group, creating none', () => {
    expect(Object.values(json.data!.azurerm_user_assigned_identity)).toEqual([
      { name: 'id-idpkit-prod-apply', resource_group_name: 'rg-idpkit-state' },
      { name: 'id-idpkit-prod-plan', resource_group_name: 'rg-idpkit-state' },
    ]);
    expect(json.resource.azurerm_user_assigned_identity).toBeUndefined();
  });

  test('the apply identity is Kubernetes cluster admin of the cluster, and nothing more here', () => {
    expect(assignmentsOf('id-idpkit-prod-apply')).toEqual([['Azure Kubernetes Service RBAC Cluster Admin', CLUSTER]]);
  });

  test('the plan identity reads the cluster through the custom reader role, and the Key Vault\'s secret values', () => {
    expect(assignmentsOf('id-idpkit-prod-plan')).toEqual(
      [
        [azureKubernetesReaderRoleDefinitionId(TEST_SUBSCRIPTION, 'prod'), CLUSTER],
        ['Key Vault Secrets User', VAULT],
      ].sort(),
    );
  });

  test('assigns to service principals without waiting for directory replication', () => {
    for (const assignment of resources(json, 'azurerm_role_assignment')) {
      expect(assignment).toMatchObject({ principal_type: 'ServicePrincipal', skip_service_principal_aad_check: true });
    }
  });

  test('throws when the subscription id is not a GUID', () => {
    expect(() =>
      azureTestStack((stack) => new AzureGithubDeployClusterAccess(stack, 'a', { environment: 'prod', subscriptionId: 'sub', identityResourceGroupName: 'rg', clusterId: CLUSTER })),
    ).toThrow(/subscriptionId "sub" is not a subscription id/);
  });
});

describe('AzureGithubDeployIdentities options', () => {
  test('takes other roles and another default branch, per environment', () => {
    const json = synth({ ...base, environment: 'dev', defaultBranch: 'develop', applyRoleDefinitionNames: ['Contributor'], planRoleDefinitionNames: ['Reader'] });
    expect(rolesOf(json, 'id-idpkit-dev-apply')).toEqual([`Contributor @ ${SUBSCRIPTION_SCOPE}`, 'Storage Blob Data Contributor @ state container']);
    expect(rolesOf(json, 'id-idpkit-dev-plan')).toEqual([`Reader @ ${SUBSCRIPTION_SCOPE}`, 'Storage Blob Data Contributor @ state container']);
    expect(credentialsOf(json, 'id-idpkit-dev-plan').map((c) => c.subject)).toContain('repo:acme/platform:ref:refs/heads/develop');
    expect(credentialsOf(json, 'id-idpkit-dev-apply').map((c) => c.subject)).toEqual(['repo:acme/platform:environment:dev']);
  });
});

describe('AzureGithubDeployIdentities validation', () => {
  const build = (change: Partial<AzureGithubDeployIdentitiesProps>) => () => synth({ ...base, ...change });

  test('throws when the owner or repository is not a GitHub name', () => {
    expect(build({ repository: { owner: 'acme_corp', repo: 'platform' } })).toThrow(/repository.owner "acme_corp" is not a GitHub user or organisation name/);
    expect(build({ repository: { owner: 'acme', repo: 'my repo' } })).toThrow(/repository.repo "my repo" is not a GitHub repository name/);
  });

  test('throws when the environment is not a DNS label', () => {
    expect(build({ environment: 'prod_eu' })).toThrow(IdpkitError);
    expect(build({ environment: 'prod_eu' })).toThrow(/environment "prod_eu" is not a deployable environment name/);
  });

  test('throws when the subscription id is not a GUID', () => {
    expect(build({ subscriptionId: 'my-subscription' })).toThrow(/subscriptionId "my-subscription" is not a subscription id/);
  });

  test.each(['Owner', 'User Access Administrator', 'Role Based Access Control Administrator'])('throws when %s is assignable', (role) => {
    expect(build({ assignableRoles: ['Reader', role] })).toThrow(new RegExp(`role "${role}" may not be delegated to the apply identity`));
  });

  test('throws when an assignable role has no known built-in id', () => {
    expect(build({ assignableRoles: ['Made Up Role'] })).toThrow(/role "Made Up Role" has no built-in role id in AZURE_BUILT_IN_ROLE_IDS/);
  });

  test('assigns RBAC Administrator without a condition only when constrainedDelegation is false', () => {
    const rbacAdmin = resources(synth({ ...base, constrainedDelegation: false }), 'azurerm_role_assignment').find((a) => a.role_definition_name === 'Role Based Access Control Administrator');
    expect(rbacAdmin.condition).toBeUndefined();
  });

  test('throws when no apply role is given', () => {
    expect(build({ applyRoleDefinitionNames: [] })).toThrow(/applyRoleDefinitionNames is empty/);
  });
});
