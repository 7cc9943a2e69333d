import type { Rule } from '../../rule';
import { isReference } from '../../private/terraform-json';
import { isSet } from './shared';

/**
 * IDP-AZ-026: a federated identity credential (CI's GitHub Actions OIDC trust, workload identity)
 * names its issuer and one exact subject, e.g. `repo:acme/platform:environment:prod` or
 * `system:serviceaccount:loki:loki`. Entra ID matches subjects literally; a `*` in one is a
 * mistake that either never matches or, with a future pattern syntax, trusts too much.
 */
export const federatedCredentialScopedRule: Rule = {
  id: 'IDP-AZ-026',
  severity: 'error',
  summary: 'Federated identity credential has an issuer and an exact subject (not empty, no wildcard)',
  fix: 'Set issuer to the token issuer (e.g. https://token.actions.githubusercontent.com) and subject to one exact subject, one credential per repository environment, branch or service account.',
  appliesTo: ['azurerm_federated_identity_credential', 'azuread_application_federated_identity_credential'],
  check(credential) {
    const subject = credential.subject;
    if (!isSet(credential.issuer) || !isSet(subject)) return 'non-compliant';
    if (isReference(subject)) return 'compliant';
    return /[*?]/.test(subject as string) ? 'non-compliant' : 'compliant';
  },
};
