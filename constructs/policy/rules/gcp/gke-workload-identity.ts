import type { Rule } from '../../rule';
import { block } from '../../private/terraform-json';

/**
 * IDP-GCP-009: a GKE cluster has Workload Identity Federation for GKE
 * (`workload_identity_config.workload_pool`), so pods get Google credentials through their
 * Kubernetes service account instead of the node's service account or exported keys. Autopilot
 * clusters always have it.
 *
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity
 */
export const gkeWorkloadIdentityRule: Rule = {
  id: 'IDP-GCP-009',
  severity: 'error',
  summary: 'GKE cluster has Workload Identity (workload_identity_config.workload_pool)',
  fix: 'Set workload_identity_config { workload_pool = "<project>.svc.id.goog" } and node pools\' node_config.workload_metadata_config.mode = "GKE_METADATA".',
  appliesTo: ['google_container_cluster'],
  check(cluster) {
    if (cluster.enable_autopilot === true) return 'compliant';
    const pool = block(cluster.workload_identity_config)?.workload_pool;
    return typeof pool === 'string' && pool !== '' ? 'compliant' : 'non-compliant';
  },
};
