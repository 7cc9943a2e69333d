import type { Rule } from '../../rule';
import { booleanValue, chartName, helmValue } from '../../private/helm-values';

/** IDP-K8S-002: the Vault chart does not run in dev mode (in memory, unsealed, with a root token). */
export const vaultDevModeRule: Rule = {
  id: 'IDP-K8S-002',
  severity: 'error',
  summary: 'Vault is not deployed in dev mode (server.dev.enabled)',
  fix: 'Remove server.dev.enabled (values and set) and run Vault with integrated storage (server.ha.raft) and auto-unseal.',
  appliesTo: ['helm_release'],
  check(release) {
    if (chartName(release) !== 'vault') return 'not-applicable';
    return booleanValue(helmValue(release, 'server.dev.enabled')) === true ? 'non-compliant' : 'compliant';
  },
};
