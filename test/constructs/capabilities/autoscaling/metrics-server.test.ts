import { parse } from 'yaml';
import { MetricsServer, MetricsServerProps } from '../../../../constructs/capabilities/autoscaling/metrics-server';
import { CHARTS } from '../../../../constructs/core/charts';
import { resources, synthJson } from '../../../helpers';
import { helmStack } from '../../../helm-helpers';


function synth(props: MetricsServerProps = {}) {
  const stack = helmStack();
  new MetricsServer(stack, 'metrics-server', props);
  const json = synthJson(stack);
  const [release] = resources(json, 'helm_release');
  return { json, release, values: parse(release.values[0]) };
}

describe('MetricsServer', () => {
  test('installs the pinned chart in its own restricted namespace, not kube-system', () => {
    const { json, release } = synth();
    expect(release).toMatchObject({ ...CHARTS.metricsServer, name: 'metrics-server' });
    const [namespace] = resources(json, 'kubernetes_namespace_v1');
    expect(namespace.metadata).toMatchObject({ name: 'metrics-server', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } });
  });

  test('runs 2 replicas with a disruption budget in HA and one without', () => {
    expect(synth({ highAvailability: true }).values).toMatchObject({ replicas: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } });
    expect(synth({ highAvailability: false }).values).toMatchObject({ replicas: 1, podDisruptionBudget: { enabled: false } });
  });

  test('creates a ServiceMonitor only when asked', () => {
    expect(synth().values).toMatchObject({ metrics: { enabled: false }, serviceMonitor: { enabled: false } });
    expect(synth({ serviceMonitor: true }).values).toMatchObject({ metrics: { enabled: true }, serviceMonitor: { enabled: true } });
  });
});
