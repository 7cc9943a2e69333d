import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Construct } from 'constructs';
import type { WorkloadIdentity, WorkloadIdentityRequest } from '.';

/** Props of {@link AzureWorkloadIdentity}. */
export interface AzureWorkloadIdentityProps {
  /** Resource group and location of the identity. */
  readonly resourceGroupName: string;
  readonly location: string;
  /** Name prefix, e.g. the cluster name. */
  readonly namePrefix: string;
  /** The cluster's OIDC issuer URL. */
  readonly oidcIssuerUrl: string;
  /** What the service account needs. */
  readonly request: WorkloadIdentityRequest;
  /** Scope of `secrets-read` grants: the Key Vault that holds the environment's secrets. */
  readonly secretStoreId: string;
}

/** Audience Entra ID expects in Kubernetes service account tokens. */
export const AZURE_WORKLOAD_IDENTITY_AUDIENCE = 'api://AzureADTokenExchange';

/**
 * A user-assigned managed identity for one Kubernetes service account: a federated credential
 * trusting only `system:serviceaccount:<namespace>:<name>` from this cluster's issuer, and role
 * assignments for its grants only. The service account carries the client id; its pods opt in
 * with `azure.workload.identity/use`.
 *
 * @see https://learn.microsoft.com/azure/aks/workload-identity-overview
 */
export class AzureWorkloadIdentity extends Construct implements WorkloadIdentity {
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  readonly podLabels = { 'azure.workload.identity/use': 'true' };
  /** The identity's principal (object) id. */
  readonly principalId: string;

  constructor(scope: Construct, id: string, props: AzureWorkloadIdentityProps) {
    super(scope, id);
    const { request } = props;
    const identity = new UserAssignedIdentity(this, 'identity', {
      name: `id-${props.namePrefix}-${request.name}`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
    });
    new FederatedIdentityCredential(this, 'federated-credential', {
      name: `${request.namespace}-${request.serviceAccount}`,
      resourceGroupName: props.resourceGroupName,
      parentId: identity.id,
      issuer: props.oidcIssuerUrl,
      subject: `system:serviceaccount:${request.namespace}:${request.serviceAccount}`,
      audience: [AZURE_WORKLOAD_IDENTITY_AUDIENCE],
    });
    const assignments = request.grants.flatMap((grant) =>
      grant.kind === 'secrets-read' ? [{ role: 'Key Vault Secrets User', scope: props.secretStoreId }] : [...(grant.azure ?? [])],
    );
    assignments.forEach((assignment, index) => {
      new RoleAssignment(this, `role-${index}`, {
        scope: assignment.scope,
        roleDefinitionName: assignment.role,
        principalId: identity.principalId,
        principalType: 'ServicePrincipal',
        skipServicePrincipalAadCheck: true,
        description: `${assignment.role} for ${request.namespace}/${request.serviceAccount}`,
      });
    });
    this.serviceAccountAnnotations = { 'azure.workload.identity/client-id': identity.clientId };
    this.principalId = identity.principalId;
  }
}
