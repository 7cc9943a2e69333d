import type { Rule } from '../../rule';
import { block, blocks, referencingResources } from '../../private/terraform-json';

/** SSE algorithms that use a KMS key. */
const KMS_ALGORITHMS = ['aws:kms', 'aws:kms:dsse'];

/** IDP-AWS-001: an S3 bucket has default encryption with a customer-managed KMS key. */
export const s3BucketEncryptionRule: Rule = {
  id: 'IDP-AWS-001',
  severity: 'error',
  summary: 'S3 bucket has default server-side encryption with a customer-managed KMS key',
  fix: 'Add an aws_s3_bucket_server_side_encryption_configuration for the bucket with sse_algorithm "aws:kms" and kms_master_key_id set.',
  appliesTo: ['aws_s3_bucket'],
  check(_bucket, context) {
    const configs = referencingResources(context.document, 'aws_s3_bucket_server_side_encryption_configuration', `aws_s3_bucket.${context.name}`);
    const kms = configs.some((config) =>
      blocks(config.rule).some((rule) => {
        const sse = block(rule.apply_server_side_encryption_by_default);
        return typeof sse?.sse_algorithm === 'string' && KMS_ALGORITHMS.includes(sse.sse_algorithm) && Boolean(sse.kms_master_key_id);
      }),
    );
    return kms ? 'compliant' : 'non-compliant';
  },
};
