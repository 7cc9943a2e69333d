import type { Rule } from '../../rule';
import { referencingResources } from '../../private/terraform-json';

/** The four settings of a public access block that must all be on. */
const SETTINGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];

/** IDP-AWS-002: an S3 bucket has a public access block with all four settings on. */
export const s3PublicAccessBlockRule: Rule = {
  id: 'IDP-AWS-002',
  severity: 'error',
  summary: 'S3 bucket blocks public access (all four public access block settings on)',
  fix: 'Add an aws_s3_bucket_public_access_block for the bucket with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets = true.',
  appliesTo: ['aws_s3_bucket'],
  check(_bucket, context) {
    const blocks = referencingResources(context.document, 'aws_s3_bucket_public_access_block', `aws_s3_bucket.${context.name}`);
    return blocks.some((config) => SETTINGS.every((setting) => config[setting] === true)) ? 'compliant' : 'non-compliant';
  },
};
