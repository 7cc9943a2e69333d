import type { Rule } from '../../rule';
import { block, isReference } from '../../private/terraform-json';

/** GitHub Actions' OIDC issuer (an enterprise's issuer adds `/<enterprise>`), shared by every repository. */
const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

/**
 * A CEL test that pins one or more repositories: `assertion.repository == "org/repo"` (or
 * `repository_id`, or a mapped `attribute.repository`), `... in ["org/a", "org/b"]`, or the `sub`
 * claim pinned to `repo:org/repo...` by `==` or `startsWith`.
 */
const REPOSITORY_PIN = [
  /\b(?:assertion|attribute)\.repository(?:_id)?\s*==\s*(["'])[^"'*]+\1/,
  /\b(?:assertion|attribute)\.repository(?:_id)?\s+in\s+\[\s*["'][^"'*]+["']/,
  /\bassertion\.sub\s*(?:==\s*|\.startsWith\(\s*)(["'])repo:[^/"'*]+\/[^:"'*]+:/,
];

/** Whether a condition (or one `||` alternative of it) pins a repository. */
const pinsRepository = (condition: string): boolean => REPOSITORY_PIN.some((pattern) => pattern.test(condition));

/**
 * IDP-GCP-021: a workload identity pool's OIDC provider accepts only the tokens it should
 * (`attribute_condition`). GitHub's issuer signs tokens for every repository on github.com, so a
 * GitHub provider must pin the repository (`assertion.repository == "org/repo"`), in every `||`
 * alternative of the condition; any other OIDC provider needs a condition at all. AWS, SAML and
 * X.509 providers are scoped by their account, IdP metadata or trust store and are not checked.
 *
 * @see https://cloud.google.com/iam/docs/workload-identity-federation-with-deployment-pipelines#conditions
 */
export const workloadIdentityProviderScopedRule: Rule = {
  id: 'IDP-GCP-021',
  severity: 'error',
  summary: 'Workload identity pool OIDC provider has an attribute_condition (pinning the repository for GitHub)',
  fix: 'Set attribute_condition on the google_iam_workload_identity_pool_provider, e.g. assertion.repository == "acme/platform" for GitHub Actions (ci.github), and bind service accounts to exact subjects.',
  appliesTo: ['google_iam_workload_identity_pool_provider'],
  check(provider) {
    const oidc = block(provider.oidc);
    if (!oidc) return 'not-applicable';
    const condition = provider.attribute_condition;
    if (isReference(condition)) return 'compliant';
    if (typeof condition !== 'string' || condition.trim() === '') return 'non-compliant';
    const issuer = oidc.issuer_uri;
    const github = typeof issuer === 'string' && (issuer === GITHUB_ISSUER || issuer.startsWith(`${GITHUB_ISSUER}/`));
    if (!github) return 'compliant';
    return condition.split('||').every(pinsRepository) ? 'compliant' : 'non-compliant';
  },
};
