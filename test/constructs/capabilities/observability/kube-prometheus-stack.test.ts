import { parse } from 'yaml';
import { KUBE_PROMETHEUS_STACK_PROMETHEUS, KubePrometheusStack, KubePrometheusStackProps } from '../../../../constructs/capabilities/observability/kube-prometheus-stack';
import { CHARTS } from '../../../../constructs/core/charts';
import { HelmAddon } from '../../../../constructs/core/helm-addon';
import { resources, synthJson } from '../../../helpers';
import { helmStack, release } from '../../../helm-helpers';


function synth(props: KubePrometheusStackProps = {}) {
  const stack = helmStack();
  new KubePrometheusStack(stack, 'kube-prometheus-stack', props);
  const json = synthJson(stack);
  const [release] = resources(json, 'helm_release');
  return { json, release, values: parse(release.values[0]) };
}

describe('KubePrometheusStack', () => {
  const prod = synth({ highAvailability: true });
  const dev = synth({ highAvailability: false });

  test('installs the pinned chart as release kube-prometheus-stack, whose Prometheus Service other add-ons query', () => {
    expect(prod.release).toMatchObject({ ...CHARTS.kubePrometheusStack, name: 'kube-prometheus-stack' });
    expect(KUBE_PROMETHEUS_STACK_PROMETHEUS).toEqual({ serviceName: 'kube-prometheus-stack-prometheus', namespace: 'monitoring', port: 9090 });
  });

  test('runs in monitoring, which enforces the privileged Pod Security level for node-exporter', () => {
    const [namespace] = resources(prod.json, 'kubernetes_namespace_v1');
    expect(namespace.metadata.name).toBe('monitoring');
    expect(namespace.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  test('installs CRDs, picks up every ServiceMonitor and skips control-plane targets managed clusters hide', () => {
    expect(prod.values.crds).toEqual({ enabled: true });
    expect(prod.values.prometheus.prometheusSpec).toMatchObject({
      serviceMonitorSelectorNilUsesHelmValues: false,
      podMonitorSelectorNilUsesHelmValues: false,
      ruleSelectorNilUsesHelmValues: false,
    });
    for (const component of ['kubeEtcd', 'kubeControllerManager', 'kubeScheduler', 'kubeProxy']) {
      expect(prod.values[component]).toEqual({ enabled: false });
    }
  });

  test('in HA: 2 Prometheus and 3 Alertmanager replicas with budgets and volumes, 15d retention, Grafana on a volume', () => {
    expect(prod.values.prometheus.podDisruptionBudget).toEqual({ enabled: true });
    expect(prod.values.prometheus.prometheusSpec).toMatchObject({
      replicas: 2,
      retention: '15d',
      retentionSize: '42GB',
      storageSpec: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } } } },
    });
    expect(prod.values.alertmanager).toMatchObject({
      podDisruptionBudget: { enabled: true },
      alertmanagerSpec: { replicas: 3, storage: { volumeClaimTemplate: { spec: { resources: { requests: { storage: '2Gi' } } } } } },
    });
    expect(prod.values.grafana.persistence).toEqual({ enabled: true, size: '10Gi' });
    expect(prod.values.grafana.deploymentStrategy).toEqual({ type: 'Recreate' });
  });

  test('without HA: single replicas, 3d retention, no volumes, no budgets', () => {
    expect(dev.values.prometheus).toEqual(
      expect.objectContaining({ podDisruptionBudget: { enabled: false }, prometheusSpec: expect.objectContaining({ replicas: 1, retention: '3d', storageSpec: {} }) }),
    );
    expect(dev.values.prometheus.prometheusSpec.retentionSize).toBeUndefined();
    expect(dev.values.alertmanager.alertmanagerSpec).toEqual({ replicas: 1, storage: {} });
    expect(dev.values.grafana.persistence).toEqual({ enabled: false });
  });

  test('without External Secrets or a given Secret, the grafana chart generates the admin password into a Secret of its own', () => {
    // admin.existingSecret would name a Secret nothing creates: Grafana's pod could not start and the atomic release would time out.
    expect(prod.values.grafana.admin).toBeUndefined();
    expect(prod.values.grafana.adminPassword).toBeUndefined();
    expect(resources(prod.json, 'helm_release')).toHaveLength(1);
  });

  test("with External Secrets, a Password generator writes Grafana's admin login once into grafana-admin, before the release", () => {
    const stack = helmStack();
    const externalSecrets = new HelmAddon(stack, 'external-secrets', { chart: CHARTS.externalSecrets, namespace: 'external-secrets', values: {} });
    const kps = new KubePrometheusStack(stack, 'kube-prometheus-stack', { externalSecrets: [externalSecrets] });
    const json = synthJson(stack);
    const stackRelease = release(json, 'kube-prometheus-stack');
    expect(stackRelease.values.grafana.admin).toEqual({ existingSecret: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' });
    const admin = release(json, 'grafana-admin');
    expect(admin.values.manifests).toEqual([
      {
        apiVersion: 'generators.external-secrets.io/v1alpha1',
        kind: 'Password',
        metadata: { name: 'grafana-admin', namespace: 'monitoring' },
        spec: { length: 32, digits: 8, symbols: 0, noUpper: false, allowRepeat: true, secretKeys: ['admin-password'] },
      },
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'grafana-admin', namespace: 'monitoring' },
        spec: {
          refreshPolicy: 'CreatedOnce',
          refreshInterval: '0s',
          target: { name: 'grafana-admin', creationPolicy: 'Owner', template: { mergePolicy: 'Merge', data: { 'admin-user': 'admin' } } },
          dataFrom: [{ sourceRef: { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'Password', name: 'grafana-admin' } } }],
        },
      },
    ]);
    // After External Secrets (its CRDs) and the namespace; Grafana's release after the Secret's.
    expect(admin.body.depends_on).toEqual([`helm_release.${Object.keys(json.resource.helm_release).find((id) => id.startsWith('external-secrets_'))}`, 'kubernetes_namespace_v1.namespace-monitoring']);
    expect(stackRelease.body.depends_on).toContain(admin.address);
    expect(kps.grafanaAdmin).toBeDefined();
  });

  test("a given Secret is the caller's: used as it is, nothing generated", () => {
    const stack = helmStack();
    const externalSecrets = new HelmAddon(stack, 'external-secrets', { chart: CHARTS.externalSecrets, namespace: 'external-secrets', values: {} });
    new KubePrometheusStack(stack, 'kube-prometheus-stack', { grafanaAdminSecret: 'monitoring-admin', externalSecrets: [externalSecrets] });
    const json = synthJson(stack);
    expect(release(json, 'kube-prometheus-stack').values.grafana.admin).toEqual({ existingSecret: 'monitoring-admin', userKey: 'admin-user', passwordKey: 'admin-password' });
    expect(() => release(json, 'grafana-admin')).toThrow();
    expect(release(json, 'kube-prometheus-stack').body.values[0]).not.toMatch(/adminPassword/);
  });

  test('uses the given retention, volume sizes and StorageClass', () => {
    const { values } = synth({ retention: '30d', prometheusStorageGiB: 200, storageClassName: 'gp3' });
    expect(values.prometheus.prometheusSpec).toMatchObject({
      retention: '30d',
      retentionSize: '170GB',
      storageSpec: { volumeClaimTemplate: { spec: { storageClassName: 'gp3', resources: { requests: { storage: '200Gi' } } } } },
    });
    expect(values.grafana.persistence.storageClassName).toBe('gp3');
  });

  test('merges valueOverrides over its values', () => {
    const { values } = synth({ valueOverrides: { grafana: { defaultDashboardsTimezone: 'utc' } } });
    expect(values.grafana).toMatchObject({ defaultDashboardsTimezone: 'utc', persistence: { enabled: true } });
  });

  test('throws when retention is not a Prometheus duration', () => {
    expect(() => synth({ retention: '2 weeks' })).toThrow(expect.objectContaining({ code: 'IDPKIT_INVALID_PROPS' }));
    expect(() => synth({ retention: '2 weeks' })).toThrow('retention "2 weeks" is not a Prometheus duration');
  });

  test('throws when a volume size or a name is malformed', () => {
    expect(() => synth({ prometheusStorageGiB: 0 })).toThrow('prometheusStorageGiB 0 is not a whole number of GiB >= 1');
    expect(() => synth({ grafanaAdminSecret: 'Grafana_Admin' })).toThrow('grafanaAdminSecret "Grafana_Admin" is not a Secret name');
  });
});
