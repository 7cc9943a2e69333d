import type { Rule } from '../../rule';

/** The AWS managed key Secrets Manager uses when no key is given. */
const AWS_MANAGED_KEY = 'alias/aws/secretsmanager';

/**
 * IDP-AWS-019: a Secrets Manager secret is encrypted with a customer-managed KMS key, whose key
 * policy (not only IAM) decides who may decrypt it, and which can be shared across accounts.
 */
export const secretsManagerKmsEncryptionRule: Rule = {
  id: 'IDP-AWS-019',
  severity: 'error',
  summary: 'Secrets Manager secret is encrypted with a customer-managed KMS key',
  fix: 'Set kms_key_id on the aws_secretsmanager_secret to a customer-managed KMS key ARN (not alias/aws/secretsmanager).',
  appliesTo: ['aws_secretsmanager_secret'],
  check(secret) {
    const key = secret.kms_key_id;
    return typeof key === 'string' && key !== '' && !key.endsWith(AWS_MANAGED_KEY) ? 'compliant' : 'non-compliant';
  },
};
