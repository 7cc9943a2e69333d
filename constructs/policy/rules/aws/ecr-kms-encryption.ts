import type { Rule } from '../../rule';
import { block } from '../../private/terraform-json';

/** ECR encryption types that use a KMS key. */
const KMS_ENCRYPTION_TYPES = ['KMS', 'KMS_DSSE'];

/**
 * IDP-AWS-016: an ECR repository encrypts images with a customer-managed KMS key. Without
 * `encryption_configuration` ECR uses AES-256 with keys AWS owns; `KMS` without `kms_key` uses the
 * AWS managed key `aws/ecr`. Neither lets the account control or audit the key.
 */
export const ecrKmsEncryptionRule: Rule = {
  id: 'IDP-AWS-016',
  severity: 'error',
  summary: 'ECR repository encrypts images with a customer-managed KMS key',
  fix: 'Set encryption_configuration { encryption_type = "KMS", kms_key = <KMS key ARN> } (changing it replaces the repository: push the images again).',
  appliesTo: ['aws_ecr_repository'],
  check(repository) {
    const encryption = block(repository.encryption_configuration);
    const type = encryption?.encryption_type;
    return typeof type === 'string' && KMS_ENCRYPTION_TYPES.includes(type) && Boolean(encryption?.kms_key) ? 'compliant' : 'non-compliant';
  },
};
