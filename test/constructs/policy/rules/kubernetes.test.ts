import { helmHaValuesRule, helmPinnedVersionRule, namespacePodSecurityRule, vaultDevModeRule } from '../../../../constructs/policy/rules/kubernetes';
import { severityIn } from '../../../../constructs/policy/engine';
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
    expect(verdict(vaultDevModeRule, { chart: 'hashicorp/vault', values: ['server:\n  dev:\n    enabled: true\n'] })).toBe('non-compliant');
    expect(verdict(vaultDevModeRule, { chart: 'oci://registry.example.com/charts/vault', values: ['server:\n  dev:\n    enabled: true\n'] })).toBe('non-compliant');
  });
  test('not applicable: other charts', () => {
    expect(verdict(vaultDevModeRule, { chart: 'argo-cd', values: ['server:\n  dev:\n    enabled: true\n'] })).toBe('not-applicable');
  });
});

describe('IDP-K8S-003 namespaces enforce a Pod Security level', () => {
  const namespace = (labels?: object) => ({ metadata: { name: 'team-a', ...(labels ? { labels } : {}) } });
  test('compliant: an enforce label with a Pod Security Standards level', () => {
    expect(verdict(namespacePodSecurityRule, namespace({ 'pod-security.kubernetes.io/enforce': 'restricted' }))).toBe('compliant');
    expect(verdict(namespacePodSecurityRule, { metadata: [{ labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } }] })).toBe('compliant');
  });
  test('non-compliant: no labels, only warn/audit, or an unknown level', () => {
    expect(verdict(namespacePodSecurityRule, namespace())).toBe('non-compliant');
    expect(verdict(namespacePodSecurityRule, namespace({ 'pod-security.kubernetes.io/warn': 'restricted' }))).toBe('non-compliant');
    expect(verdict(namespacePodSecurityRule, namespace({ 'pod-security.kubernetes.io/enforce': 'strict' }))).toBe('non-compliant');
  });
  test('non-compliant: a Helm release that creates its own (unlabelled) namespace; other releases are not applicable', () => {
    expect(verdict(namespacePodSecurityRule, { chart: 'argo-cd', namespace: 'argocd', create_namespace: true })).toBe('non-compliant');
    expect(verdict(namespacePodSecurityRule, { chart: 'argo-cd', namespace: 'argocd' })).toBe('not-applicable');
  });
  test('is a warning in dev, an error in staging and prod', () => {
    expect(['dev', 'staging', 'prod'].map((tier) => severityIn(namespacePodSecurityRule, tier as never))).toEqual(['warning', 'error', 'error']);
  });
});

describe('IDP-K8S-004 HA values for HA-capable charts', () => {
  const release = (chart: string, values: string, set: object[] = []) => ({ chart, repository: 'https://charts.example.com', version: '1.0.0', values: [values], set });
  test('compliant: replicated components, autoscaling floors, Redis HA, Vault raft HA', () => {
    expect(verdict(helmHaValuesRule, release('argo-cd', 'server:\n  replicas: 2\nrepoServer:\n  autoscaling:\n    enabled: true\n    minReplicas: 2\nredis-ha:\n  enabled: true\n'))).toBe('compliant');
    expect(verdict(helmHaValuesRule, release('vault', 'server:\n  ha:\n    enabled: true\n'))).toBe('compliant'); // ha.replicas defaults to 3
    expect(verdict(helmHaValuesRule, release('istiod', 'autoscaleMin: 2\n'))).toBe('compliant'); // autoscaling is on by default
    expect(verdict(helmHaValuesRule, release('gatekeeper', '{}'))).toBe('compliant'); // three replicas by default
    expect(verdict(helmHaValuesRule, release('cert-manager', 'replicaCount: 1\n', [{ name: 'replicaCount', value: '2' }, { name: 'webhook.replicaCount', value: '3' }]))).toBe('compliant');
  });
  test('non-compliant: chart defaults of one replica, an autoscaler that overrides a fixed count, Vault standalone', () => {
    expect(verdict(helmHaValuesRule, release('cert-manager', '{}'))).toBe('non-compliant');
    expect(verdict(helmHaValuesRule, release('istiod', 'replicaCount: 2\n'))).toBe('non-compliant'); // the HPA's floor stays 1
    expect(verdict(helmHaValuesRule, release('argo-cd', 'server:\n  replicas: 2\nrepoServer:\n  replicas: 2\n'))).toBe('non-compliant'); // no Redis HA
    expect(verdict(helmHaValuesRule, release('vault', 'server:\n  standalone:\n    enabled: true\n'))).toBe('non-compliant');
  });
  test('not applicable: charts without HA values in the table, and local charts', () => {
    expect(verdict(helmHaValuesRule, release('falco', '{}'))).toBe('not-applicable');
    for (const chart of ['__proto__', 'constructor', 'toString']) expect(verdict(helmHaValuesRule, release(chart, '{}'))).toBe('not-applicable');
    expect(verdict(helmHaValuesRule, { chart: './assets/issuers_chart/ABC' })).toBe('not-applicable');
  });
  test('is off in dev (one replica each), a warning in staging, an error in prod', () => {
    expect(['dev', 'staging', 'prod'].map((tier) => severityIn(helmHaValuesRule, tier as never))).toEqual(['off', 'warning', 'error']);
  });
});
