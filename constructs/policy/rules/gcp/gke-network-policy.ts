import type { Rule } from '../../rule';
import { block, isReference } from '../../private/terraform-json';

/**
 * IDP-GCP-010: a GKE cluster enforces Kubernetes NetworkPolicies, with GKE Dataplane V2
 * (`datapath_provider = "ADVANCED_DATAPATH"`, built on Cilium) or the Calico add-on
 * (`network_policy.enabled`). Without an engine NetworkPolicies are accepted and silently ignored.
 * Autopilot clusters always run Dataplane V2.
 *
 * @see https://cloud.google.com/kubernetes-engine/docs/concepts/dataplane-v2
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/network-policy
 */
export const gkeNetworkPolicyRule: Rule = {
  id: 'IDP-GCP-010',
  severity: { dev: 'warning', staging: 'error', prod: 'error' },
  summary: 'GKE cluster enforces NetworkPolicies (Dataplane V2, or network_policy enabled)',
  fix: 'Set datapath_provider = "ADVANCED_DATAPATH" (Dataplane V2; set at creation, changing it replaces the cluster), or network_policy { enabled = true, provider = "CALICO" } with addons_config.network_policy_config.disabled = false.',
  appliesTo: ['google_container_cluster'],
  check(cluster) {
    if (cluster.enable_autopilot === true || cluster.datapath_provider === 'ADVANCED_DATAPATH' || isReference(cluster.datapath_provider)) return 'compliant';
    const enabled = block(cluster.network_policy)?.enabled;
    return enabled === true || isReference(enabled) ? 'compliant' : 'non-compliant';
  },
};
