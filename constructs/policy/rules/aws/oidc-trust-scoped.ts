import type { Rule } from '../../rule';
import { asList, isObject, policyStatements } from '../../private/terraform-json';

/** The web identity action a federated trust policy allows. */
const WEB_IDENTITY_ACTION = 'sts:AssumeRoleWithWebIdentity';

/**
 * IDP-AWS-013: a role trusted through OIDC (GitHub Actions, EKS service accounts) pins the token's
 * `sub` claim without wildcards, so no other repository, branch or service account can assume it.
 */
export const oidcTrustScopedRule: Rule = {
  id: 'IDP-AWS-013',
  severity: 'error',
  summary: 'OIDC trust policy pins the "sub" claim exactly (no missing sub, no wildcard)',
  fix: 'Add a StringEquals condition on "<issuer>:sub" listing exact subjects (e.g. "repo:acme/platform:environment:prod").',
  appliesTo: ['aws_iam_role'],
  check(role) {
    const statements = policyStatements(role.assume_role_policy);
    if (!statements) return 'not-applicable';
    const federated = statements.filter(
      (statement) => statement.Effect !== 'Deny' && asList(statement.Action).includes(WEB_IDENTITY_ACTION),
    );
    if (federated.length === 0) return 'not-applicable';
    const scoped = federated.every((statement) => {
      const subjects = Object.values(statement.Condition ?? {}).flatMap((operator) =>
        isObject(operator) ? Object.entries(operator).filter(([key]) => key.endsWith(':sub')).flatMap(([, value]) => asList(value)) : [],
      );
      return subjects.length > 0 && subjects.every((subject) => !subject.includes('*') && !subject.includes('?'));
    });
    return scoped ? 'compliant' : 'non-compliant';
  },
};
