import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Construct } from 'constructs';
import { IdentityGrant, WorkloadIdentity, WorkloadIdentityRequest, requireTarget } from '.';

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
  /** Scope of `secrets-read` grants: the Key Vault that holds the environment's secrets. @default - `secrets-read` is refused */
  readonly secretStoreId?: string;
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
    const assignments = request.grants.flatMap((grant) => azureGrantAssignments(grant, request.name, props.secretStoreId));
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

/** Built-in role that reads, writes and deletes blobs (scoped to one container here). */
export const STORAGE_BLOB_DATA_CONTRIBUTOR = 'Storage Blob Data Contributor';

/**
 * Key Vault's built-in role that reads a key and wraps and unwraps with it, nothing else: what
 * customer-managed encryption of Azure services needs, and what Vault's `azurekeyvault` seal calls
 * (get, wrapKey, unwrapKey).
 */
export const KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER = 'Key Vault Crypto Service Encryption User';

/** Built-in role that manages record sets of a DNS zone (scoped to one zone here). */
export const DNS_ZONE_CONTRIBUTOR = 'DNS Zone Contributor';

/** The role assignments of one grant, each scoped to the one resource it names. */
export function azureGrantAssignments(grant: IdentityGrant, request: string, secretStoreId: string | undefined): { role: string; scope: string }[] {
  switch (grant.kind) {
    case 'secrets-read':
      return [{ role: 'Key Vault Secrets User', scope: requireTarget(secretStoreId, request, grant.kind, "the environment's Key Vault") }];
    case 'bucket-read-write':
      return [{ role: STORAGE_BLOB_DATA_CONTRIBUTOR, scope: requireTarget(grant.bucket.containerResourceId, request, grant.kind, "the container's resource id") }];
    case 'key-encrypt-decrypt':
      return [{ role: 'Key Vault Crypto User', scope: requireTarget(grant.key.keyResourceId, request, grant.kind, "the key's resource id") }];
    case 'key-seal':
      return [{ role: KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER, scope: requireTarget(grant.key.keyResourceId, request, grant.kind, "the key's resource id") }];
    case 'dns-records':
      return [{ role: DNS_ZONE_CONTRIBUTOR, scope: requireTarget(grant.zone.zoneResourceId, request, grant.kind, "the DNS zone's resource id") }];
    case 'cloud':
      return [...(grant.azure ?? [])];
  }
}
