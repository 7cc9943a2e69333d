import type { Rule } from '../../rule';
import { block, isReference } from '../../private/terraform-json';

/** Subnet purposes that carry VM traffic, for which VPC flow logs exist; proxy-only, PSC and NAT subnets have none. */
const FLOW_LOG_PURPOSES = ['PRIVATE', 'PRIVATE_RFC_1918'];

/**
 * IDP-GCP-018: a subnet has VPC flow logs (a `log_config` block), so traffic to and from its VMs
 * and GKE nodes can be investigated after the fact. Proxy-only, Private Service Connect and
 * private NAT subnets do not support flow logs and are not checked.
 *
 * @see https://cloud.google.com/vpc/docs/flow-logs
 */
export const subnetFlowLogsRule: Rule = {
  id: 'IDP-GCP-018',
  severity: { dev: 'warning', staging: 'error', prod: 'error' },
  summary: 'Subnet has VPC flow logs (log_config)',
  fix: 'Add log_config { aggregation_interval = "INTERVAL_1_MIN", flow_sampling = 0.5, metadata = "INCLUDE_ALL_METADATA" } to the google_compute_subnetwork.',
  appliesTo: ['google_compute_subnetwork'],
  check(subnet) {
    const purpose = subnet.purpose ?? 'PRIVATE';
    if (typeof purpose === 'string' && !isReference(purpose) && !FLOW_LOG_PURPOSES.includes(purpose)) return 'not-applicable';
    return block(subnet.log_config) ? 'compliant' : 'non-compliant';
  },
};
