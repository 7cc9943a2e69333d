import type { Rule } from '../../rule';
import { block, isReference } from '../../private/terraform-json';

/** Fewest nodes a prod node group keeps, so one node's loss or replacement leaves capacity running. */
export const MIN_HA_NODES = 2;

/**
 * IDP-AWS-021: a prod EKS managed node group keeps at least two nodes (`scaling_config.min_size`)
 * and spans more than one subnet (zone), so a node replacement, an AMI update or a zone outage
 * does not take all its pods down at once. Values given by reference are not judged.
 */
export const eksNodeGroupHaRule: Rule = {
  id: 'IDP-AWS-021',
  severity: { dev: 'off', staging: 'warning', prod: 'error' },
  summary: `EKS managed node group keeps at least ${MIN_HA_NODES} nodes across more than one subnet`,
  fix: `Set scaling_config.min_size to ${MIN_HA_NODES} or more and subnet_ids to private subnets in two or more availability zones (cluster.nodeGroups[].minSize).`,
  appliesTo: ['aws_eks_node_group'],
  check(group) {
    const minSize = block(group.scaling_config)?.min_size;
    const enoughNodes = (typeof minSize === 'number' && minSize >= MIN_HA_NODES) || isReference(minSize);
    const subnets = group.subnet_ids;
    const enoughSubnets = !Array.isArray(subnets) || subnets.length >= 2; // a list given by reference is not judged
    return enoughNodes && enoughSubnets ? 'compliant' : 'non-compliant';
  },
};
