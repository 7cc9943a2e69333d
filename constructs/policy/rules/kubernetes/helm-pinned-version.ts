import type { Rule } from '../../rule';

/** Characters of a version range or wildcard, which Helm resolves to whatever is newest. */
const VERSION_RANGE = /[\^~*><=|x ]|^$/;

/** IDP-K8S-001: a Helm release from a repository pins an exact chart version. */
export const helmPinnedVersionRule: Rule = {
  id: 'IDP-K8S-001',
  severity: 'error',
  summary: 'Helm release from a chart repository pins an exact chart version',
  fix: 'Set version to an exact chart version (e.g. "1.16.2"), not a range; local charts (a path, no repository) are exempt.',
  appliesTo: ['helm_release'],
  check(release) {
    const chart = typeof release.chart === 'string' ? release.chart : '';
    const remote = release.repository !== undefined || chart.startsWith('oci://') || chart.startsWith('https://');
    if (!remote) return 'not-applicable';
    const version = release.version;
    return typeof version === 'string' && !VERSION_RANGE.test(version) ? 'compliant' : 'non-compliant';
  },
};
