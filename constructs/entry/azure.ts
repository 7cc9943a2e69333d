/**
 * `idpkit/azure`: the Azure constructs (network, cluster, registry, keys, identities, state, databases,
 * storage, alerts, budgets, CI deploy identities). Loads
 * `@cdktf/provider-azurerm` and no other cloud's provider. The cloud-neutral interfaces they implement come
 * from `idpkit` (docs/library.md). Re-exports only.
 *
 * @packageDocumentation
 */
export {
  afterRoleAssignments,
  AZURE_ROLE_PROPAGATION_SECONDS,
  azureNameSuffix,
  type AzureProviderProps,
  AzureTagsAspect,
  createAzureProvider,
} from '../integration/provider/azure';
export {
  AZURE_WORKLOAD_IDENTITY_AUDIENCE,
  AzureWorkloadIdentity,
  type AzureWorkloadIdentityProps,
  DNS_ZONE_CONTRIBUTOR,
  KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER,
  STORAGE_BLOB_DATA_CONTRIBUTOR,
} from '../integration/identity/azure';
export * from '../capabilities/state/azure';
export * from '../infrastructure/keys/azure';
export * from '../infrastructure/network/azure';
export * from '../infrastructure/cluster/azure';
export { AKS_NODE_POOL_NAME, AKS_SYSTEM_POOL_NAME } from '../infrastructure/cluster/aks-names';
export * from '../infrastructure/cluster/aks-versions';
export * from '../infrastructure/registry/azure';
export * from '../capabilities/storage/azure';
export * from '../capabilities/database/azure';
export * from '../capabilities/database/azure-limits';
export * from '../capabilities/observability/alerts/azure';
export * from '../capabilities/cost/budget/azure';
export * from '../integration/ci/azure';
export { AZURE_BUILT_IN_ROLE_IDS, AZURE_PRIVILEGED_ROLES, RBAC_ADMINISTRATOR } from '../integration/ci/azure-roles';
