import type { Rule } from '../../rule';
import { asList, policyStatements } from '../../private/terraform-json';

/** Resource types holding an identity policy document in their `policy` attribute. */
export const IAM_POLICY_TYPES = ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'] as const;

/** IDP-AWS-011: an IAM policy never allows every action (`*`), nor uses NotAction. */
export const iamWildcardActionRule: Rule = {
  id: 'IDP-AWS-011',
  severity: 'error',
  summary: 'IAM policy does not allow Action "*" (or NotAction)',
  fix: 'List the actions the identity needs (e.g. "s3:GetObject"); never "*". Use an AWS managed policy for broad read-only access.',
  appliesTo: IAM_POLICY_TYPES,
  check(policy) {
    const statements = policyStatements(policy.policy);
    if (!statements) return 'not-applicable';
    const wildcard = statements.some((statement) => statement.Effect !== 'Deny' && (asList(statement.Action).includes('*') || statement.NotAction !== undefined));
    return wildcard ? 'non-compliant' : 'compliant';
  },
};
