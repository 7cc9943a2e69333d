import type { Rule } from '../../rule';
import { block } from '../../private/terraform-json';

/** Network policy engines AKS offers. */
export const AKS_NETWORK_POLICY_ENGINES = ['azure', 'calico', 'cilium'] as const;

/** IDP-AZ-017: an AKS cluster runs a network policy engine, so Kubernetes NetworkPolicies are enforced. */
export const aksNetworkPolicyRule: Rule = {
  id: 'IDP-AZ-017',
  severity: { dev: 'warning', staging: 'error', prod: 'error' },
  summary: `AKS cluster enforces network policies (network_profile.network_policy ${AKS_NETWORK_POLICY_ENGINES.join(', ')})`,
  fix: 'Set network_profile { network_policy = "cilium", network_data_plane = "cilium" } (Azure CNI Overlay powered by Cilium), or "azure" / "calico".',
  appliesTo: ['azurerm_kubernetes_cluster'],
  check(cluster) {
    const policy = block(cluster.network_profile)?.network_policy;
    return typeof policy === 'string' && (AKS_NETWORK_POLICY_ENGINES as readonly string[]).includes(policy) ? 'compliant' : 'non-compliant';
  },
};
