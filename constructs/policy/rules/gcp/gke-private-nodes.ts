import type { Rule } from '../../rule';
import { block } from '../../private/terraform-json';

/** IDP-GCP-003: a GKE cluster's nodes have no public IP addresses. */
export const gkePrivateNodesRule: Rule = {
  id: 'IDP-GCP-003',
  severity: { dev: 'warning', staging: 'error', prod: 'error' },
  summary: 'GKE cluster uses private nodes (no public node IPs)',
  fix: 'Set private_cluster_config { enable_private_nodes = true } (or network_config.enable_private_nodes on every node pool) with Cloud NAT for egress.',
  appliesTo: ['google_container_cluster'],
  check(cluster) {
    const privateNodes =
      block(cluster.private_cluster_config)?.enable_private_nodes === true || block(cluster.network_config)?.default_enable_private_nodes === true;
    return privateNodes ? 'compliant' : 'non-compliant';
  },
};
