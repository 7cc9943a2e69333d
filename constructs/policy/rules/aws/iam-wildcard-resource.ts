import type { Rule } from '../../rule';
import { asList, policyStatements } from '../../private/terraform-json';
import { IAM_POLICY_TYPES } from './iam-wildcard-action';

/** Action name prefixes that only read; every other action is treated as a write. */
const READ_ACTION = /^[a-z0-9-]+:(Describe|List|Get|BatchGet|Search|Lookup|View|Query|Scan|Select)[A-Za-z0-9*]*$/;

/**
 * IDP-AWS-012: an IAM policy does not allow write actions on every resource (`"Resource": "*"`)
 * without a condition. Some APIs take no resource ARN (e.g. `ec2:CreateSecurityGroup` before the
 * group exists): scope those with a Condition (tags, `aws:RequestTag`), which this rule accepts.
 */
export const iamWildcardResourceRule: Rule = {
  id: 'IDP-AWS-012',
  severity: 'warning',
  summary: 'IAM policy does not allow write actions on Resource "*" without a Condition',
  fix: 'Name the resource ARNs the write actions apply to, or add a Condition (e.g. on aws:ResourceTag) that scopes them.',
  appliesTo: IAM_POLICY_TYPES,
  check(policy) {
    const statements = policyStatements(policy.policy);
    if (!statements) return 'not-applicable';
    const broad = statements.some(
      (statement) =>
        statement.Effect !== 'Deny' &&
        statement.Condition === undefined &&
        asList(statement.Resource).includes('*') &&
        asList(statement.Action).some((action) => !READ_ACTION.test(action)),
    );
    return broad ? 'non-compliant' : 'compliant';
  },
};
