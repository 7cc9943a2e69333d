/**
 * `idpkit/azure`: the Azure constructs (network, cluster, registry, keys, identities, state, databases,
 * storage, alerts, budgets, CI deploy identities). Loads
 * `@cdktf/provider-azurerm` and no other cloud's provider. The cloud-neutral interfaces they implement come
 * from `idpkit` (docs/library.md). Re-exports only.
 */
export * from '../integration/provider/azure';
export * from '../integration/identity/azure';
export * from '../capabilities/state/azure';
export * from '../infrastructure/keys/azure';
export * from '../infrastructure/network/azure';
export * from '../infrastructure/cluster/azure';
export * from '../infrastructure/cluster/aks-names';
export * from '../infrastructure/cluster/aks-versions';
export * from '../infrastructure/registry/azure';
export * from '../capabilities/storage/azure';
export * from '../capabilities/database/azure';
export * from '../capabilities/database/azure-limits';
export * from '../capabilities/observability/alerts/azure';
export * from '../capabilities/cost/budget/azure';
export * from '../integration/ci/azure';
export * from '../integration/ci/azure-roles';
