import { parse } from 'yaml';
import { KUBE_PROMETHEUS_STACK_PROMETHEUS, KubePrometheusStack } from '../../../../constructs/capabilities/observability/kube-prometheus-stack';
import { OpenCost, OpenCostProps } from '../../../../constructs/capabilities/cost/opencost';
import { CHARTS } from '../../../../constructs/core/charts';
import { resources, synthJson } from '../../../helpers';
import { helmStack } from '../../../helm-helpers';


function synth(props: Partial<OpenCostProps>, withPrometheusStack = false) {
  const stack = helmStack();
  const dependsOn = withPrometheusStack ? [new KubePrometheusStack(stack, 'kube-prometheus-stack').addon] : [];
  new OpenCost(stack, 'opencost', { clusterName: 'idp-test', dependsOn, ...props });
  const json = synthJson(stack);
  const entries = Object.entries(json.resource.helm_release) as [string, any][];
  const [, release] = entries.find(([, r]) => r.chart === 'opencost')!;
  return { json, release, entries, values: parse(release.values[0]) };
}

describe('OpenCost', () => {
  test('installs the pinned chart in opencost, which enforces the baseline Pod Security level', () => {
    const { json, release } = synth({ prometheusUrl: 'https://prometheus.example.com' });
    expect(release).toMatchObject({ ...CHARTS.opencost, name: 'opencost' });
    const [namespace] = resources(json, 'kubernetes_namespace_v1');
    expect(namespace.metadata).toMatchObject({ name: 'opencost', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } });
  });

  test("queries kube-prometheus-stack's Prometheus inside the cluster, after it is installed", () => {
    const { values, release, entries } = synth({ prometheus: KUBE_PROMETHEUS_STACK_PROMETHEUS, serviceMonitor: true }, true);
    expect(values.opencost.prometheus).toEqual({
      internal: { enabled: true, serviceName: 'kube-prometheus-stack-prometheus', namespaceName: 'monitoring', port: 9090 },
      external: { enabled: false },
    });
    expect(values.opencost.metrics.serviceMonitor).toEqual({ enabled: true });
    const [stackAddress] = entries.find(([, r]) => r.chart === 'kube-prometheus-stack')!;
    expect(release.depends_on).toEqual([`helm_release.${stackAddress}`]);
  });

  test('names the cluster, runs one exporter and the UI by default', () => {
    const { values } = synth({ prometheusUrl: 'https://prometheus.example.com' });
    expect(values.clusterName).toBe('idp-test');
    expect(values.opencost.exporter).toEqual({ defaultClusterId: 'idp-test', replicas: 1 });
    expect(values.opencost.ui).toEqual({ enabled: true });
    expect(values.opencost.prometheus).toEqual({ internal: { enabled: false }, external: { enabled: true, url: 'https://prometheus.example.com' } });
    expect(values.opencost.metrics.serviceMonitor).toEqual({ enabled: false });
  });

  test('throws when it has no Prometheus, or two', () => {
    expect(() => synth({})).toThrow(expect.objectContaining({ code: 'IDPKIT_INVALID_PROPS' }));
    expect(() => synth({})).toThrow('needs prometheus (an in-cluster Service, e.g. kube-prometheus-stack) or prometheusUrl, but not both');
    expect(() => synth({ prometheus: KUBE_PROMETHEUS_STACK_PROMETHEUS, prometheusUrl: 'https://p.example.com' })).toThrow('but not both');
  });

  test('throws when exporterReplicas is not a positive whole number', () => {
    expect(() => synth({ prometheusUrl: 'https://p.example.com', exporterReplicas: 0 })).toThrow('exporterReplicas 0 is not a whole number >= 1');
  });
});
