import type { Rule } from '../../rule';

/**
 * IDP-AWS-017: a CloudWatch log group is encrypted with a customer-managed KMS key. Logs carry
 * request paths, identities and error details; without `kms_key_id` CloudWatch Logs encrypts them
 * with a key the account neither controls nor audits.
 */
export const logGroupKmsEncryptionRule: Rule = {
  id: 'IDP-AWS-017',
  severity: 'error',
  summary: 'CloudWatch log group is encrypted with a customer-managed KMS key',
  fix: 'Set kms_key_id to a KMS key ARN whose key policy lets logs.<region>.amazonaws.com use it for this log group.',
  appliesTo: ['aws_cloudwatch_log_group'],
  check(logGroup) {
    return typeof logGroup.kms_key_id === 'string' && logGroup.kms_key_id !== '' ? 'compliant' : 'non-compliant';
  },
};
