import type { Rule } from '../../rule';
import { block } from '../../private/terraform-json';

/** CIDRs that mean "the whole internet". */
const ANYWHERE = ['0.0.0.0/0', '::/0'];

/**
 * IDP-AZ-019: an AKS API server is private, or its public endpoint admits listed ranges only
 * (`api_server_access_profile.authorized_ip_ranges`, never the whole internet). A warning in dev
 * and staging, an error in prod.
 */
export const aksApiServerAccessRule: Rule = {
  id: 'IDP-AZ-019',
  severity: { dev: 'warning', staging: 'warning', prod: 'error' },
  summary: 'AKS API server is private or limited to authorized IP ranges (not 0.0.0.0/0)',
  fix: 'Set private_cluster_enabled = true, or api_server_access_profile { authorized_ip_ranges = [<office or VPN CIDRs>] } (cluster.publicEndpointCidrs).',
  appliesTo: ['azurerm_kubernetes_cluster'],
  check(cluster) {
    if (cluster.private_cluster_enabled === true) return 'compliant';
    const ranges = block(cluster.api_server_access_profile)?.authorized_ip_ranges;
    if (!Array.isArray(ranges) || ranges.length === 0) return 'non-compliant'; // no ranges: open to every address
    return ranges.some((range) => ANYWHERE.includes(range as string)) ? 'non-compliant' : 'compliant';
  },
};
