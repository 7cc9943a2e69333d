import { parse } from 'yaml';
import { Falco, FalcoProps } from '../../../../constructs/capabilities/security/falco';
import { CHARTS } from '../../../../constructs/core/charts';
import { resources, synthJson } from '../../../helpers';
import { helmStack } from '../../../helm-helpers';


function synth(props: FalcoProps = {}) {
  const stack = helmStack();
  new Falco(stack, 'falco', props);
  const json = synthJson(stack);
  const [release] = resources(json, 'helm_release');
  return { json, release, values: parse(release.values[0]) };
}

describe('Falco', () => {
  const { json, release, values } = synth();

  test('installs the pinned chart in falco, which enforces the privileged Pod Security level the probe needs', () => {
    expect(release).toMatchObject({ ...CHARTS.falco, name: 'falco' });
    const [namespace] = resources(json, 'kubernetes_namespace_v1');
    expect(namespace.metadata).toMatchObject({ name: 'falco', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } });
  });

  test('uses the modern eBPF probe, Kubernetes metadata and JSON output', () => {
    expect(values.driver).toEqual({ enabled: true, kind: 'modern_ebpf' });
    expect(values.collectors).toEqual({ kubernetes: { enabled: true } });
    expect(values.falco).toEqual({ json_output: true });
  });

  test('watches every node, spot and other tainted pools included', () => {
    expect(values.tolerations).toEqual([{ operator: 'Exists', effect: 'NoSchedule' }]);
  });

  test('keeps metrics, the ServiceMonitor and Falcosidekick off by default', () => {
    expect(values.metrics).toEqual({ enabled: false });
    expect(values.serviceMonitor).toEqual({ create: false });
    expect(values.falcosidekick).toEqual({ enabled: false });
  });

  test('exposes metrics with a ServiceMonitor and installs Falcosidekick when asked', () => {
    const asked = synth({ serviceMonitor: true, falcosidekick: true }).values;
    expect(asked.metrics).toEqual({ enabled: true });
    expect(asked.serviceMonitor).toEqual({ create: true });
    expect(asked.falcosidekick).toEqual({ enabled: true });
  });
});
