/**
 * `idpkit/gcp`: the Google Cloud constructs (network, cluster, registry, keys, identities, state, databases,
 * storage, alerts, budgets, CI deploy identities). Loads
 * `@cdktf/provider-google` and no other cloud's provider. The cloud-neutral interfaces they implement come
 * from `idpkit` (docs/library.md). Re-exports only.
 */
export * from '../integration/provider/gcp';
export * from '../integration/services/gcp';
export * from '../integration/identity/gcp';
export * from '../capabilities/state/gcp';
export * from '../infrastructure/keys/gcp';
export * from '../infrastructure/network/gcp';
export * from '../infrastructure/cluster/gcp';
export * from '../infrastructure/cluster/gke-versions';
export * from '../infrastructure/registry/gcp';
export * from '../capabilities/storage/gcp';
export * from '../capabilities/database/gcp';
export * from '../capabilities/observability/alerts/gcp';
export * from '../capabilities/cost/budget/gcp';
export * from '../integration/ci/gcp';
export * from '../integration/ci/gcp-roles';
