import type { Rule } from '../../rule';
import { isObject, policyStatements, type PolicyStatement } from '../../private/terraform-json';

/** Whether a statement's principal is everyone: `"*"` or `{ "AWS": "*" }` (or a list holding `"*"`). */
function everyone(statement: PolicyStatement): boolean {
  const principal = statement.Principal;
  if (principal === '*') return true;
  if (!isObject(principal)) return false;
  const aws = principal.AWS;
  return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
}

/**
 * IDP-AWS-027: an ECR repository (or registry) policy does not let everyone in: no Allow statement
 * for principal `*` without a Condition (e.g. on aws:PrincipalOrgID) that narrows it. A policy
 * given as a reference (e.g. an aws_iam_policy_document data source) is not judged.
 */
export const ecrNotPublicRule: Rule = {
  id: 'IDP-AWS-027',
  severity: 'error',
  summary: 'ECR repository and registry policies do not allow principal "*" without a Condition',
  fix: 'Name the accounts or roles that may pull (e.g. "arn:aws:iam::111111111111:root"), or keep principal "*" with a Condition on aws:PrincipalOrgID; use ECR Public for images meant for everyone.',
  appliesTo: ['aws_ecr_repository_policy', 'aws_ecr_registry_policy'],
  check(policy) {
    const statements = policyStatements(policy.policy);
    if (!statements) return 'not-applicable';
    const open = statements.some((statement) => statement.Effect === 'Allow' && everyone(statement) && !statement.Condition);
    return open ? 'non-compliant' : 'compliant';
  },
};
