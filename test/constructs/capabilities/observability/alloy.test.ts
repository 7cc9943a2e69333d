import { parse } from 'yaml';
import { Alloy, AlloyProps, renderAlloyConfig } from '../../../../constructs/capabilities/observability/alloy';
import { CHARTS } from '../../../../constructs/core/charts';
import { resources, synthJson } from '../../../helpers';
import { helmStack } from '../../../helm-helpers';


const LOKI = 'http://loki-gateway.loki.svc/loki/api/v1/push';
const REMOTE_WRITE = 'http://mimir.mimir.svc/api/v1/push';

function synth(props: Partial<AlloyProps>) {
  const stack = helmStack();
  const alloy = new Alloy(stack, 'alloy', { clusterName: 'idp-test', ...props });
  const json = synthJson(stack);
  const [release] = resources(json, 'helm_release');
  return { json, release, alloy, values: parse(release.values[0]) };
}

describe('Alloy', () => {
  test('installs the pinned chart in alloy, which enforces the baseline Pod Security level', () => {
    const { json, release } = synth({ lokiUrl: LOKI });
    expect(release).toMatchObject({ ...CHARTS.alloy, name: 'alloy' });
    const [namespace] = resources(json, 'kubernetes_namespace_v1');
    expect(namespace.metadata).toMatchObject({ name: 'alloy', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } });
  });

  test('runs as a DaemonSet whose agents only tail the pods of their own node, through the API, with no host mounts', () => {
    const { values, alloy } = synth({ lokiUrl: LOKI });
    // on every node, spot and other tainted pools included
    expect(values.controller).toEqual({ type: 'daemonset', tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }] });
    expect(values.alloy.configMap).toEqual({ create: true, content: alloy.config });
    expect(values.alloy.mounts).toBeUndefined();
    expect(alloy.config).toContain('field = "spec.nodeName=" + sys.env("HOSTNAME")');
    expect(alloy.config).toContain('loki.source.kubernetes "pods"');
    expect(alloy.config).toContain(`url = "${LOKI}"`);
    expect(alloy.config).toContain('external_labels = { cluster = "idp-test" }');
    expect(alloy.config).not.toContain('prometheus.remote_write');
    expect(alloy.config).not.toContain('clustering');
  });

  test('renders the same configuration for the same settings, with only the enabled pipelines', () => {
    const settings = { clusterName: 'c', remoteWriteUrls: [REMOTE_WRITE], clustering: false };
    expect(renderAlloyConfig(settings)).toBe(renderAlloyConfig({ ...settings }));
    const config = renderAlloyConfig(settings);
    expect(config).toContain('prometheus.remote_write "default"');
    expect(config).toContain('action        = "keepequal"');
    expect(config).not.toContain('loki.write');
    expect(config).not.toContain('otelcol.exporter.loki');
    expect(config).not.toContain('otelcol.exporter.otlp ');
  });

  test('authenticates remote write (hosted Grafana) with credentials read from a Secret into the environment, never into the config', () => {
    const { values, alloy } = synth({ remoteWriteUrls: [REMOTE_WRITE], remoteWriteCredentialsSecret: 'grafana-cloud' });
    expect(alloy.config).toContain('username = sys.env("REMOTE_WRITE_USERNAME")');
    expect(alloy.config).toContain('password = sys.env("REMOTE_WRITE_PASSWORD")');
    expect(values.alloy.extraEnv).toEqual([
      { name: 'REMOTE_WRITE_USERNAME', valueFrom: { secretKeyRef: { name: 'grafana-cloud', key: 'username' } } },
      { name: 'REMOTE_WRITE_PASSWORD', valueFrom: { secretKeyRef: { name: 'grafana-cloud', key: 'password' } } },
    ]);
    expect(synth({ remoteWriteUrls: [REMOTE_WRITE] }).values.alloy.extraEnv).toBeUndefined();
  });

  test('receives OTLP on 4317 and 4318 and sends traces only to the trace endpoint', () => {
    const { values, alloy } = synth({ otlp: { endpoint: 'tempo.tempo.svc:4317', insecure: true } });
    expect(alloy.config).toContain('otelcol.receiver.otlp "default"');
    expect(alloy.config).toContain('endpoint = "tempo.tempo.svc:4317"');
    expect(alloy.config).toContain('insecure = true');
    expect(alloy.config).toMatch(/otelcol\.receiver\.otlp "default" \{[\s\S]*output \{\n {4}traces  = \[otelcol\.processor\.batch\.default\.input\]\n {2}\}/);
    expect(alloy.config).not.toMatch(/(metrics|logs) += \[otelcol\.exporter\.otlp/);
    expect(values.alloy.extraPorts.map((port: any) => port.port)).toEqual([4317, 4318]);
  });

  test('routes each OTLP signal to its own backend: metrics by remote write, logs to Loki, traces to the OTLP endpoint', () => {
    const { alloy } = synth({ remoteWriteUrls: [REMOTE_WRITE], lokiUrl: LOKI, otlp: { endpoint: 'tempo.tempo.svc:4317', insecure: true } });
    const component = (header: string) => {
      const start = alloy.config.indexOf(`${header} {`);
      expect([header, start]).toEqual([header, expect.any(Number)]);
      return alloy.config.slice(start, alloy.config.indexOf('\n}', start) + 2);
    };
    expect(component('otelcol.processor.batch "default"')).toBe(
      [
        'otelcol.processor.batch "default" {',
        '  output {',
        '    metrics = [otelcol.exporter.prometheus.default.input]',
        '    logs    = [otelcol.exporter.loki.default.input]',
        '    traces  = [otelcol.exporter.otlp.default.input]',
        '  }',
        '}',
      ].join('\n'),
    );
    expect(component('otelcol.exporter.prometheus "default"')).toContain('forward_to = [prometheus.remote_write.default.receiver]');
    expect(component('otelcol.exporter.loki "default"')).toContain('forward_to = [loki.write.default.receiver]');
    expect(component('otelcol.exporter.otlp "default"')).toContain('endpoint = "tempo.tempo.svc:4317"');
    expect(component('loki.write "default"')).toContain(`url = "${LOKI}"`);
    expect(component('prometheus.remote_write "default"')).toContain(`url = "${REMOTE_WRITE}"`);
  });

  test('writes every sample to each remote-write URL (each replica of an HA Prometheus pair)', () => {
    const urls = ['http://prometheus-0.example/api/v1/write', 'http://prometheus-1.example/api/v1/write'];
    const { alloy } = synth({ remoteWriteUrls: urls });
    expect(alloy.config.match(/endpoint \{\n {4}url = "http:\/\/prometheus-[01]\.example\/api\/v1\/write"\n {2}\}/g)).toHaveLength(2);
  });

  test('in statefulset mode with HA: 2 clustered replicas that share targets, with a disruption budget', () => {
    const { values, alloy } = synth({ mode: 'statefulset', highAvailability: true, lokiUrl: LOKI, remoteWriteUrls: [REMOTE_WRITE] });
    expect(values.controller).toEqual({ type: 'statefulset', replicas: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } });
    expect(values.alloy.clustering).toEqual({ enabled: true });
    expect(alloy.config.match(/clustering \{/g)).toHaveLength(2);
    expect(alloy.config).not.toContain('spec.nodeName');
  });

  test('in statefulset mode without HA: one replica, not clustered', () => {
    const { values } = synth({ mode: 'statefulset', highAvailability: false, lokiUrl: LOKI });
    expect(values.controller).toEqual({ type: 'statefulset', replicas: 1, podDisruptionBudget: { enabled: false } });
    expect(values.alloy.clustering).toEqual({ enabled: false });
  });

  test('throws when it has no destination', () => {
    expect(() => synth({})).toThrow(expect.objectContaining({ code: 'IDPKIT_INVALID_PROPS' }));
    expect(() => synth({})).toThrow('has no destination');
  });

  test('throws when a URL or the OTLP endpoint is malformed', () => {
    expect(() => synth({ lokiUrl: 'loki:3100' })).toThrow('lokiUrl "loki:3100" is not an http(s) URL');
    expect(() => synth({ remoteWriteUrls: ['prometheus:9090'] })).toThrow('remoteWriteUrls[0] "prometheus:9090" is not an http(s) URL');
    expect(() => synth({ otlp: { endpoint: 'http://tempo:4317' } })).toThrow('otlp.endpoint "http://tempo:4317" is not host:port');
  });
});
