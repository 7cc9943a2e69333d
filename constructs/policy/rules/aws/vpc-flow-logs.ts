import type { Rule } from '../../rule';
import { resourcesOf } from '../../private/terraform-json';

/**
 * IDP-AWS-015: a VPC has flow logs (an `aws_flow_log` whose `vpc_id` refers to it), so traffic to
 * and from its network interfaces can be investigated after the fact.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html
 */
export const vpcFlowLogsRule: Rule = {
  id: 'IDP-AWS-015',
  severity: { dev: 'warning', staging: 'error', prod: 'error' },
  summary: 'VPC has flow logs (an aws_flow_log for the VPC)',
  fix: 'Add an aws_flow_log with vpc_id = the VPC id, traffic_type = "ALL", to an encrypted CloudWatch log group or S3 bucket.',
  appliesTo: ['aws_vpc'],
  check(_vpc, context) {
    const needle = `\${aws_vpc.${context.name}.`;
    const logged = Object.values(resourcesOf(context.document, 'aws_flow_log')).some((flowLog) => typeof flowLog.vpc_id === 'string' && flowLog.vpc_id.includes(needle));
    return logged ? 'compliant' : 'non-compliant';
  },
};
