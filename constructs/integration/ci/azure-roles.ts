/**
 * Constrained delegation for the Azure apply identity: the built-in roles idpkit assigns, by the
 * ids Azure gives them in every tenant, and the ABAC condition that lets the identity's
 * `Role Based Access Control Administrator` assignment write and delete assignments of those roles only.
 *
 * @see https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
 * @see https://learn.microsoft.com/azure/role-based-access-control/delegate-role-assignments-examples
 */
import { IdpkitError, describeValue } from '../../core/errors';

/**
 * Built-in role definition ids (GUIDs, the same in every tenant) of the roles idpkit assigns or
 * names, from Microsoft's built-in roles page (learn.microsoft.com/azure/role-based-access-control/built-in-roles).
 * A role missing here cannot be delegated: add its id from that page.
 */
export const AZURE_BUILT_IN_ROLE_IDS: Readonly<Record<string, string>> = {
  AcrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d',
  AcrPush: '8311e382-0749-4cb8-b61a-304f252e45ec',
  'Azure Kubernetes Service RBAC Admin': '3498e952-d568-435e-9b2c-8d77e338d7f7',
  'Azure Kubernetes Service RBAC Cluster Admin': 'b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b',
  Contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  'DNS Zone Contributor': 'befefa01-2a29-4197-83a8-272ff33ce314',
  'Key Vault Administrator': '00482a5a-887f-4fb3-b363-3b7fe8e74483',
  'Key Vault Contributor': 'f25e0fa2-a7c8-4377-a976-54943a77a395',
  'Key Vault Crypto Officer': '14b46e9e-c2b7-41b4-b07b-48a6ebf60603',
  'Key Vault Crypto Service Encryption User': 'e147488a-f6f5-4113-8e2d-b22465e65bf6',
  'Key Vault Crypto User': '12338af0-0e69-4776-bea7-57ae8d297424',
  'Key Vault Reader': '21090545-7ca7-4776-b22c-e363652d74d2',
  'Key Vault Secrets Officer': 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
  'Key Vault Secrets User': '4633458b-17de-408a-b874-0445c86b69e6',
  'Network Contributor': '4d97b98b-1d4f-4787-a291-c67834d212e7',
  Owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  'Private DNS Zone Contributor': 'b12aa53e-6015-4669-85d0-8515ebb3ae7f',
  Reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  'Role Based Access Control Administrator': 'f58310d9-a9f6-439a-9e8d-f62e7b41a168',
  'Storage Blob Data Contributor': 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  'Storage Blob Data Reader': '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
  'User Access Administrator': '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
};

/** The built-in role the apply identity creates role assignments with, and whose assignment carries the condition. */
export const RBAC_ADMINISTRATOR = 'Role Based Access Control Administrator';

/** Roles that can grant access themselves: never delegated, so the apply identity can never give anyone (itself included) the right to assign roles. */
export const AZURE_PRIVILEGED_ROLES: readonly string[] = ['Owner', 'User Access Administrator', RBAC_ADMINISTRATOR];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The role definition id (GUID) of a built-in role name, a GUID, or a role definition resource id (`.../roleDefinitions/<guid>`). */
export function azureRoleDefinitionGuid(role: string): string | undefined {
  const last = role.split('/').pop()!;
  if (GUID.test(last)) return last.toLowerCase();
  return AZURE_BUILT_IN_ROLE_IDS[role];
}

/**
 * The role definition ids the apply identity may assign, sorted: each role (a built-in name of
 * {@link AZURE_BUILT_IN_ROLE_IDS}, a GUID or a role definition id) resolved to its GUID. Throws
 * IDPKIT_INVALID_PROPS for a name the table does not know, and for {@link AZURE_PRIVILEGED_ROLES}.
 */
export function azureDelegableRoleIds(roles: readonly string[], where: string): string[] {
  const problems: string[] = [];
  const privileged = new Set(AZURE_PRIVILEGED_ROLES.map((name) => AZURE_BUILT_IN_ROLE_IDS[name]));
  const ids = new Set<string>();
  for (const role of new Set(roles)) {
    const id = azureRoleDefinitionGuid(role);
    if (id === undefined) {
      problems.push(
        `${where}: role ${describeValue(
          role
        )} has no built-in role id in AZURE_BUILT_IN_ROLE_IDS (constructs/integration/ci/azure-roles.ts): add it from learn.microsoft.com/azure/role-based-access-control/built-in-roles, or give its role definition GUID`
      );
    } else if (privileged.has(id)) {
      problems.push(
        `${where}: role ${describeValue(role)} may not be delegated to the apply identity (${AZURE_PRIVILEGED_ROLES.join(', ')} can grant access themselves): remove it`
      );
    } else {
      ids.add(id);
    }
  }
  if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
  return [...ids].sort();
}

/**
 * The ABAC condition (version 2.0) of a constrained `Role Based Access Control Administrator`
 * assignment: role assignments may be written (`@Request`, the assignment asked for) and deleted
 * (`@Resource`, the existing assignment) only for these role definitions; every other action of
 * the role (reads) is unaffected.
 *
 * @see https://learn.microsoft.com/azure/role-based-access-control/delegate-role-assignments-examples#example-constrain-roles
 * @see https://learn.microsoft.com/azure/role-based-access-control/conditions-authorization-actions-attributes (role definition id: a request attribute of write, a resource attribute of delete)
 */
export function azureConstrainedDelegationCondition(roleDefinitionIds: readonly string[]): string {
  const ids = `{${[...roleDefinitionIds].sort().join(', ')}}`;
  const only = (action: 'write' | 'delete', attribute: 'Request' | 'Resource') =>
    `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/${action}'})) OR (@${attribute}[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals ${ids}))`;
  return `(${only('write', 'Request')} AND ${only('delete', 'Resource')})`;
}
