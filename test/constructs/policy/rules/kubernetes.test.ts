import { helmPinnedVersionRule, vaultDevModeRule } from '../../../../constructs/policy/rules/kubernetes';
import { verdict } from '../rule-helpers';

describe('IDP-K8S-001 Helm chart version pinned', () => {
  test('compliant: an exact version from a repository or OCI registry', () => {
    expect(verdict(helmPinnedVersionRule, { chart: 'argo-cd', repository: 'https://argoproj.github.io/argo-helm', version: '10.1.1' })).toBe('compliant');
    expect(verdict(helmPinnedVersionRule, { chart: 'cert-manager', repository: 'oci://quay.io/jetstack/charts', version: 'v1.21.1' })).toBe('compliant');
  });
  test('non-compliant: no version, or a range', () => {
    expect(verdict(helmPinnedVersionRule, { chart: 'argo-cd', repository: 'https://argoproj.github.io/argo-helm' })).toBe('non-compliant');
    expect(verdict(helmPinnedVersionRule, { chart: 'argo-cd', repository: 'https://argoproj.github.io/argo-helm', version: '^10.1.0' })).toBe('non-compliant');
    expect(verdict(helmPinnedVersionRule, { chart: 'oci://ghcr.io/acme/chart', version: '1.x' })).toBe('non-compliant');
  });
  test('not applicable: a local chart (a path, no repository)', () => {
    expect(verdict(helmPinnedVersionRule, { chart: './assets/issuers_chart/ABC' })).toBe('not-applicable');
  });
});

describe('IDP-K8S-002 Vault not in dev mode', () => {
  test('compliant: HA values', () => {
    expect(verdict(vaultDevModeRule, { chart: 'vault', values: ['server:\n  ha:\n    enabled: true\n    raft:\n      enabled: true\n'] })).toBe('compliant');
  });
  test('non-compliant: server.dev.enabled in values or set', () => {
    expect(verdict(vaultDevModeRule, { chart: 'vault', values: ['server:\n  dev:\n    enabled: true\n'] })).toBe('non-compliant');
    expect(verdict(vaultDevModeRule, { chart: 'vault', set: [{ name: 'server.dev.enabled', value: 'true' }] })).toBe('non-compliant');
  });
  test('not applicable: other charts', () => {
    expect(verdict(vaultDevModeRule, { chart: 'argo-cd', values: ['server:\n  dev:\n    enabled: true\n'] })).toBe('not-applicable');
  });
});
