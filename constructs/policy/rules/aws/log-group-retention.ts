import type { Rule } from '../../rule';
import { isReference } from '../../private/terraform-json';

/**
 * IDP-AWS-018: a CloudWatch log group has a retention period. Without `retention_in_days` (or with
 * 0) logs are kept forever: the cost grows without bound and personal data outlives its purpose.
 */
export const logGroupRetentionRule: Rule = {
  id: 'IDP-AWS-018',
  severity: 'warning',
  summary: 'CloudWatch log group has a retention period (retention_in_days > 0)',
  fix: 'Set retention_in_days to a CloudWatch Logs retention period (e.g. 30 in dev, 365 in prod; cluster.logRetentionDays / network.flowLogRetentionDays).',
  appliesTo: ['aws_cloudwatch_log_group'],
  check(logGroup) {
    const days = logGroup.retention_in_days;
    return (typeof days === 'number' && days > 0) || isReference(days) ? 'compliant' : 'non-compliant';
  },
};
