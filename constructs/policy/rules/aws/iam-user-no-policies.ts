import type { Rule } from '../../rule';
import { resourcesOf } from '../../private/terraform-json';

/**
 * Resource types that give an IAM user permissions directly, the attribute naming the user(s), and
 * for the `*_exclusive` types the list that grants (an empty list removes every policy: compliant).
 */
const USER_GRANTS: readonly (readonly [type: string, attribute: string, grants?: string])[] = [
  ['aws_iam_user_policy', 'user'],
  ['aws_iam_user_policy_attachment', 'user'],
  ['aws_iam_user_policies_exclusive', 'user_name', 'policy_names'],
  ['aws_iam_user_policy_attachments_exclusive', 'user_name', 'policy_arns'],
  ['aws_iam_policy_attachment', 'users'],
];

/**
 * IDP-AWS-023: an IAM user defined here carries no inline or attached policies. Permissions on
 * IAM users are what static credentials act with; workloads and CI assume roles instead, and people
 * sign in through IAM Identity Center. A user that must exist (e.g. a break-glass account) gets its
 * permissions through a group, reviewed separately.
 */
export const iamUserNoPoliciesRule: Rule = {
  id: 'IDP-AWS-023',
  severity: 'warning',
  summary: 'IAM user has no inline or attached policies (permissions belong to roles)',
  fix: 'Remove the aws_iam_user_policy / aws_iam_user_policy_attachment; grant the permissions to an IAM role assumed through workload identity, GitHub OIDC or IAM Identity Center.',
  appliesTo: ['aws_iam_user'],
  check(user, context) {
    const needle = `\${aws_iam_user.${context.name}.`;
    const names = typeof user.name === 'string' ? [user.name] : [];
    const granted = USER_GRANTS.some(([type, attribute, grants]) =>
      Object.values(resourcesOf(context.document, type)).some((grant) => {
        if (grants && Array.isArray(grant[grants]) && grant[grants].length === 0) return false;
        const value = grant[attribute];
        const users = Array.isArray(value) ? value : [value];
        return users.some((entry) => typeof entry === 'string' && (entry.includes(needle) || names.includes(entry)));
      }),
    );
    return granted ? 'non-compliant' : 'compliant';
  },
};
