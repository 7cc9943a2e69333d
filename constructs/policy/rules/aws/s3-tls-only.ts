import type { Rule, TerraformJson } from '../../rule';
import { asList, blocks, isObject, isReference, policyStatements, resourcesOf } from '../../private/terraform-json';

/** Actions whose denial covers every S3 request. */
const ALL_S3_ACTIONS = ['s3:*', '*'];

/** A policy given as `${data.aws_iam_policy_document.<name>.json}`: the data source's name. */
const POLICY_DOCUMENT_REFERENCE = /^\$\{data\.aws_iam_policy_document\.([^.}]+)\.(?:minified_)?json\}$/;

/** Whether a condition value means "false" (JSON policies write `false` or `"false"`, lists or not). */
const isFalse = (value: unknown): boolean => (Array.isArray(value) ? value.length > 0 && value.every(isFalse) : value === false || value === 'false');

/** Whether a principal is everyone: `"*"` or `{ "AWS": "*" }`. */
const isEveryone = (principal: unknown): boolean => principal === '*' || (isObject(principal) && asList(principal.AWS as string | string[] | undefined).includes('*'));

/** Whether a JSON policy document denies every S3 action to everyone when `aws:SecureTransport` is false. */
function jsonDeniesInsecureTransport(policy: string): boolean | undefined {
  const statements = policyStatements(policy);
  if (!statements) return undefined;
  return statements.some(
    (statement) =>
      statement.Effect === 'Deny' &&
      isEveryone(statement.Principal) &&
      asList(statement.Action).some((action) => ALL_S3_ACTIONS.includes(action)) &&
      isObject(statement.Condition?.Bool) &&
      isFalse(statement.Condition.Bool['aws:SecureTransport']),
  );
}

/** The same, for an `aws_iam_policy_document` data source of the stack. */
function dataSourceDeniesInsecureTransport(document: TerraformJson, name: string): boolean | undefined {
  const data = isObject(document.data) ? document.data : {};
  const documents = isObject(data.aws_iam_policy_document) ? data.aws_iam_policy_document : {};
  const source = documents[name];
  if (!isObject(source)) return undefined;
  return blocks(source.statement).some(
    (statement) =>
      statement.effect === 'Deny' &&
      blocks(statement.principals).some((principal) => principal.type === '*' || (principal.type === 'AWS' && asList(principal.identifiers as string[]).includes('*'))) &&
      asList(statement.actions as string[]).some((action) => ALL_S3_ACTIONS.includes(action)) &&
      blocks(statement.condition).some((condition) => condition.test === 'Bool' && condition.variable === 'aws:SecureTransport' && isFalse(condition.values)),
  );
}

/** Whether a bucket policy value denies insecure transport; undefined when it cannot be read (a reference). */
function deniesInsecureTransport(document: TerraformJson, policy: unknown): boolean | undefined {
  if (typeof policy !== 'string') return undefined;
  const reference = POLICY_DOCUMENT_REFERENCE.exec(policy);
  if (reference) return dataSourceDeniesInsecureTransport(document, reference[1]);
  if (policy.trim().startsWith('${')) return undefined;
  return jsonDeniesInsecureTransport(policy);
}

/**
 * IDP-AWS-024: an S3 bucket only accepts requests over TLS: a bucket policy (an
 * `aws_s3_bucket_policy` for the bucket) denies `s3:*` to everyone when `aws:SecureTransport` is
 * false. The policy is read as literal JSON or from an `aws_iam_policy_document` data source of the
 * stack; a policy given by any other reference cannot be judged and is accepted.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit
 */
export const s3TlsOnlyRule: Rule = {
  id: 'IDP-AWS-024',
  severity: 'error',
  summary: 'S3 bucket policy denies requests that do not use TLS (aws:SecureTransport false)',
  fix: 'Add an aws_s3_bucket_policy for the bucket with a statement: Effect Deny, Principal "*", Action "s3:*", Resource the bucket and bucket/*, Condition Bool aws:SecureTransport = false.',
  appliesTo: ['aws_s3_bucket'],
  check(bucket, context) {
    const needle = `\${aws_s3_bucket.${context.name}.`;
    const policies = Object.values(resourcesOf(context.document, 'aws_s3_bucket_policy'))
      .filter((policy) => typeof policy.bucket === 'string' && (policy.bucket.includes(needle) || (!isReference(bucket.bucket) && policy.bucket === bucket.bucket)))
      .map((policy) => policy.policy);
    if (bucket.policy !== undefined) policies.push(bucket.policy);
    const verdicts = policies.map((policy) => deniesInsecureTransport(context.document, policy));
    return verdicts.some((verdict) => verdict !== false) ? 'compliant' : 'non-compliant';
  },
};
