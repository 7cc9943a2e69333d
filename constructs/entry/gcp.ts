/**
 * `idpkit/gcp`: the Google Cloud constructs (network, cluster, registry, keys, identities, state, databases,
 * storage, alerts, budgets, CI deploy identities). Loads
 * `@cdktf/provider-google` and no other cloud's provider. The cloud-neutral interfaces they implement come
 * from `idpkit` (docs/library.md). Re-exports only.
 *
 * @packageDocumentation
 */
export * from '../integration/provider/gcp';
export * from '../integration/services/gcp';
export * from '../integration/identity/gcp';
export * from '../capabilities/state/gcp';
export * from '../infrastructure/keys/gcp';
export {
  GCP_NETWORK_DEFAULTS,
  type GcpFlowLogInterval,
  GcpNetwork,
  type GcpNetworkProps,
  GKE_SUBNET_LAYOUT,
  type GkeNetworkAttachment,
} from '../infrastructure/network/gcp';
export {
  DEFAULT_GKE_MAINTENANCE_WINDOW,
  GcpGkeCluster,
  type GcpGkeClusterProps,
  GKE_ADMIN_ROLE,
  GKE_LOGGING_COMPONENTS,
  GKE_MONITORING_COMPONENTS,
  GKE_NODE_SERVICE_ACCOUNT_ROLE,
  type GkeMaintenanceWindow,
  gkeNodeServiceAccountId,
  type GkeReleaseChannel,
} from '../infrastructure/cluster/gcp';
export * from '../infrastructure/cluster/gke-versions';
export * from '../infrastructure/registry/gcp';
export * from '../capabilities/storage/gcp';
export * from '../capabilities/database/gcp';
export * from '../capabilities/observability/alerts/gcp';
export * from '../capabilities/cost/budget/gcp';
export * from '../integration/ci/gcp';
export {
  DEFAULT_GRANTABLE_ROLES,
  GCP_APPLY_ROLES,
  GCP_BUDGET_PERMISSIONS,
  GCP_BUDGET_ROLE,
  GCP_PRIVILEGED_ROLES,
  PROJECT_IAM_ADMIN,
} from '../integration/ci/gcp-roles';
