import type { Rule } from '../../rule';
import { block } from '../../private/terraform-json';

/** CIDRs that mean "the whole internet". */
const ANYWHERE = ['0.0.0.0/0', '::/0'];

/** IDP-AWS-008: an EKS API endpoint is not open to the whole internet. */
export const eksPublicEndpointRule: Rule = {
  id: 'IDP-AWS-008',
  severity: { dev: 'warning', staging: 'warning', prod: 'error' },
  summary: 'EKS API endpoint is private or limited to listed CIDRs (not 0.0.0.0/0)',
  fix: 'Set vpc_config.endpoint_public_access = false, or public_access_cidrs to your office or VPN ranges (cluster.publicAccessCidrs).',
  appliesTo: ['aws_eks_cluster'],
  check(cluster) {
    const vpc = block(cluster.vpc_config) ?? {};
    if (vpc.endpoint_public_access === false) return 'compliant';
    const cidrs = vpc.public_access_cidrs;
    if (!Array.isArray(cidrs) || cidrs.length === 0) return 'non-compliant'; // the provider's default is 0.0.0.0/0
    return cidrs.some((cidr) => ANYWHERE.includes(cidr as string)) ? 'non-compliant' : 'compliant';
  },
};
