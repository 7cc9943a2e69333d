import { parse } from 'yaml';
import { KUBE_PROMETHEUS_STACK_PROMETHEUS, KubePrometheusStack, KubePrometheusStackProps } from '../../../../constructs/capabilities/observability/kube-prometheus-stack';
import { CHARTS } from '../../../../constructs/core/charts';
import { resources, synthJson } from '../../../helpers';
import { helmStack } from '../../../helm-helpers';


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

  test('takes the Grafana admin login from an existing Secret and never sets a password', () => {
    expect(prod.values.grafana.admin).toEqual({ existingSecret: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' });
    expect(synth({ grafanaAdminSecret: 'monitoring-admin' }).values.grafana.admin.existingSecret).toBe('monitoring-admin');
    expect(prod.release.values[0]).not.toMatch(/adminPassword/);
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
    expect(values.grafana).toMatchObject({ defaultDashboardsTimezone: 'utc', admin: { existingSecret: 'grafana-admin' } });
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
