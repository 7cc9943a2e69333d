import type { Rule } from '../../rule';
import { block, isReference } from '../../private/terraform-json';

/** AKS tiers with the uptime SLA (a zone-redundant control plane). */
const SLA_TIERS = ['Standard', 'Premium'];

/**
 * IDP-AZ-021: an AKS cluster is highly available: a control-plane tier with the uptime SLA
 * (`sku_tier` Standard or Premium; `Free` has none) and a system node pool spread over at least
 * two availability zones. Off in dev, a warning in staging, an error in prod.
 */
export const aksHighAvailabilityRule: Rule = {
  id: 'IDP-AZ-021',
  severity: { dev: 'off', staging: 'warning', prod: 'error' },
  summary: 'AKS cluster has the uptime SLA (sku_tier Standard or Premium) and a system pool across 2+ zones',
  fix: 'Set sku_tier = "Standard" and default_node_pool { zones = ["1", "2", "3"] } (zones are fixed when a pool is created: rotate the pool with temporary_name_for_rotation).',
  appliesTo: ['azurerm_kubernetes_cluster'],
  check(cluster) {
    const sla = typeof cluster.sku_tier === 'string' && SLA_TIERS.includes(cluster.sku_tier); // the default is Free
    const zones = block(cluster.default_node_pool)?.zones;
    const zonal = Array.isArray(zones) ? new Set(zones).size >= 2 : isReference(zones);
    return sla && zonal ? 'compliant' : 'non-compliant';
  },
};
