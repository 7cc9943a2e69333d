import { parse } from 'yaml';
import type { Rule } from '../../engine';
import { blocks, isObject } from '../../private/terraform-json';

/** The Helm value that runs Vault in dev mode: in memory, unsealed, with a root token. */
const DEV_MODE_KEY = 'server.dev.enabled';

/** Whether a YAML values document sets `server.dev.enabled: true`. */
function devModeIn(values: string): boolean {
  try {
    const document: unknown = parse(values);
    const server = isObject(document) ? document.server : undefined;
    const dev = isObject(server) ? server.dev : undefined;
    return isObject(dev) && (dev.enabled === true || dev.enabled === 'true');
  } catch {
    return /dev:\s*\n\s+enabled:\s*true/.test(values);
  }
}

/** IDP-K8S-002: the Vault chart does not run in dev mode. */
export const vaultDevModeRule: Rule = {
  id: 'IDP-K8S-002',
  severity: 'error',
  summary: 'Vault is not deployed in dev mode (server.dev.enabled)',
  fix: 'Remove server.dev.enabled (values and set) and run Vault with integrated storage (server.ha.raft) and auto-unseal.',
  appliesTo: ['helm_release'],
  check(release) {
    if (release.chart !== 'vault' && !(typeof release.chart === 'string' && release.chart.endsWith('/vault'))) return 'not-applicable';
    const values = Array.isArray(release.values) ? release.values.filter((value): value is string => typeof value === 'string') : [];
    const set = blocks(release.set).some((entry) => entry.name === DEV_MODE_KEY && String(entry.value) === 'true');
    return set || values.some(devModeIn) ? 'non-compliant' : 'compliant';
  },
};
