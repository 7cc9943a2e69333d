import type { Rule } from '../../rule';
import { block, blocks, isReference } from '../../private/terraform-json';

/** CIDRs that mean "the whole internet". */
const ANYWHERE = ['0.0.0.0/0', '::/0'];

/**
 * IDP-GCP-011: a GKE control plane is not reachable from the whole internet. Compliant when the
 * IP endpoints are off (DNS endpoint only, which IAM guards), when the public endpoint is off
 * (`private_cluster_config.enable_private_endpoint`), or when authorized networks limit the
 * public endpoint to listed CIDRs (none of them 0.0.0.0/0) without opening it to every Google
 * Cloud public IP (`gcp_public_cidrs_access_enabled`).
 *
 * @see https://cloud.google.com/kubernetes-engine/docs/concepts/network-isolation
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks
 */
export const gkeControlPlaneAccessRule: Rule = {
  id: 'IDP-GCP-011',
  severity: { dev: 'warning', staging: 'error', prod: 'error' },
  summary: 'GKE control plane is private or limited to authorized networks (not 0.0.0.0/0)',
  fix: 'Set private_cluster_config.enable_private_endpoint = true, or master_authorized_networks_config { cidr_blocks { cidr_block = <office or VPN range> }, gcp_public_cidrs_access_enabled = false } (cluster.publicEndpointCidrs).',
  appliesTo: ['google_container_cluster'],
  check(cluster) {
    const ipEndpoints = block(block(cluster.control_plane_endpoints_config)?.ip_endpoints_config)?.enabled;
    if (ipEndpoints === false) return 'compliant';
    const privateEndpoint = block(cluster.private_cluster_config)?.enable_private_endpoint;
    if (privateEndpoint === true || isReference(privateEndpoint)) return 'compliant';
    const authorized = block(cluster.master_authorized_networks_config);
    if (!authorized) return 'non-compliant'; // no authorized networks: the public endpoint accepts any source
    if (authorized.gcp_public_cidrs_access_enabled === true) return 'non-compliant';
    const cidrs = blocks(authorized.cidr_blocks).map((entry) => entry.cidr_block);
    return cidrs.some((cidr) => typeof cidr === 'string' && ANYWHERE.includes(cidr)) ? 'non-compliant' : 'compliant';
  },
};
