import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { App } from '../../../constructs/core/cdktf';
import { CHARTS } from '../../../constructs/core/charts';
import { azureDev, azureProd, gcpDev, gcpProd, prod as prodEnvironment, staging } from '../../../environments';
import { validateEnvironments } from '../../../environments/types';
import { addPlatformStacks } from '../../../stacks/app';
import { clone, devConfig, onlyAddons, prodConfig, resources, synthEnvironment, TerraformJson } from '../../helpers';

/** Every capability add-on that needs no cloud identity, with the settings each needs. */
const CAPABILITIES = {
  certManager: { enabled: true },
  kubePrometheusStack: { enabled: true },
  metricsServer: { enabled: true },
  alloy: { enabled: true, loki: { url: 'http://loki-gateway.loki.svc/loki/api/v1/push' } },
  opencost: { enabled: true },
  falco: { enabled: true },
  trivyOperator: { enabled: true },
  istio: { enabled: true },
};

/** Replaces an environment's add-ons with the given ones. */
const withAddons = (addons: Record<string, unknown>) => (config: any) => {
  config.platform = onlyAddons(addons);
};

const platformJson = (config: unknown): TerraformJson => synthEnvironment(config).platform;

const releases = (json: TerraformJson) => Object.entries(json.resource.helm_release) as [string, any][];
const releaseNamed = (json: TerraformJson, name: string) => releases(json).find(([, r]) => r.name === name)!;
const valuesOf = (json: TerraformJson, name: string) => parse(releaseNamed(json, name)[1].values[0]);
const addressOf = (json: TerraformJson, name: string) => `helm_release.${releaseNamed(json, name)[0]}`;

describe('capability add-ons in an environment', () => {
  const prod = platformJson(prodConfig(withAddons(CAPABILITIES)));
  const dev = platformJson(devConfig(withAddons(CAPABILITIES)));

  test('install each pinned chart', () => {
    const charts = Object.fromEntries(releases(prod).map(([, r]) => [r.name, { repository: r.repository, chart: r.chart, version: r.version }]));
    expect(charts).toMatchObject({
      'kube-prometheus-stack': CHARTS.kubePrometheusStack,
      'metrics-server': CHARTS.metricsServer,
      alloy: CHARTS.alloy,
      opencost: CHARTS.opencost,
      falco: CHARTS.falco,
      'trivy-operator': CHARTS.trivyOperator,
      'istio-base': CHARTS.istioBase,
      istiod: CHARTS.istiod,
      'istio-ingress': CHARTS.istioGateway,
    });
  });

  test('each namespace enforces the Pod Security level its add-on needs, and no more', () => {
    const levels = Object.fromEntries(
      resources(prod, 'kubernetes_namespace_v1').map((ns) => [ns.metadata.name, ns.metadata.labels['pod-security.kubernetes.io/enforce']]),
    );
    expect(levels).toEqual({
      'cert-manager': 'restricted',
      monitoring: 'privileged',
      'metrics-server': 'restricted',
      alloy: 'baseline',
      opencost: 'baseline',
      falco: 'privileged',
      'trivy-system': 'privileged',
      'istio-system': 'restricted',
      'istio-cni': 'privileged',
      'istio-ingress': 'baseline',
    });
  });

  test('add-ons with ServiceMonitors and OpenCost install after kube-prometheus-stack, and their monitors are on', () => {
    const stack = addressOf(prod, 'kube-prometheus-stack');
    for (const name of ['metrics-server', 'alloy', 'opencost', 'falco', 'trivy-operator']) {
      expect(releaseNamed(prod, name)[1].depends_on).toEqual([stack]);
    }
    expect(valuesOf(prod, 'metrics-server').serviceMonitor).toEqual({ enabled: true });
    expect(valuesOf(prod, 'alloy').serviceMonitor).toEqual({ enabled: true });
    expect(valuesOf(prod, 'opencost').opencost.metrics.serviceMonitor).toEqual({ enabled: true });
    expect(valuesOf(prod, 'falco')).toMatchObject({ metrics: { enabled: true }, serviceMonitor: { create: true } });
    expect(valuesOf(prod, 'trivy-operator').serviceMonitor).toEqual({ enabled: true });
  });

  test('Istio installs base, then the CNI node agent, then istiod (with CNI on), then the gateway', () => {
    expect(releaseNamed(prod, 'istio-cni')[1].depends_on).toEqual([addressOf(prod, 'istio-base')]);
    expect(releaseNamed(prod, 'istiod')[1].depends_on).toEqual([addressOf(prod, 'istio-base'), addressOf(prod, 'istio-cni')]);
    expect(valuesOf(prod, 'istiod').cni).toEqual({ enabled: true });
    expect(releaseNamed(prod, 'istio-ingress')[1].depends_on).toEqual([addressOf(prod, 'istiod')]);
  });

  test("OpenCost queries kube-prometheus-stack's Prometheus and names the environment's cluster", () => {
    expect(valuesOf(prod, 'opencost')).toMatchObject({
      clusterName: 'idp-prod',
      opencost: { prometheus: { internal: { enabled: true, serviceName: 'kube-prometheus-stack-prometheus', namespaceName: 'monitoring', port: 9090 } } },
    });
  });

  test('replicate, keep budgets and persist in prod; run single replicas without volumes in dev', () => {
    expect(valuesOf(prod, 'kube-prometheus-stack').prometheus.prometheusSpec).toMatchObject({ replicas: 2, retention: '15d' });
    expect(valuesOf(dev, 'kube-prometheus-stack').prometheus.prometheusSpec).toMatchObject({ replicas: 1, retention: '3d', storageSpec: {} });
    expect(valuesOf(prod, 'kube-prometheus-stack').alertmanager.alertmanagerSpec.replicas).toBe(3);
    expect(valuesOf(prod, 'kube-prometheus-stack').grafana.persistence.enabled).toBe(true);
    expect(valuesOf(dev, 'kube-prometheus-stack').grafana.persistence.enabled).toBe(false);
    expect(valuesOf(prod, 'metrics-server')).toMatchObject({ replicas: 2, podDisruptionBudget: { enabled: true } });
    expect(valuesOf(dev, 'metrics-server')).toMatchObject({ replicas: 1, podDisruptionBudget: { enabled: false } });
    expect(valuesOf(prod, 'istiod')).toMatchObject({ autoscaleEnabled: true, autoscaleMin: 2 });
    expect(valuesOf(dev, 'istiod')).toMatchObject({ autoscaleEnabled: false, replicaCount: 1 });
    expect(valuesOf(prod, 'istio-ingress').autoscaling).toEqual({ enabled: true, minReplicas: 2, maxReplicas: 5 });
  });

  test('Grafana logs in with a password generated in the cluster; no password reaches values or state', () => {
    // Without External Secrets the grafana chart generates it: no existingSecret that nothing would create.
    expect(valuesOf(prod, 'kube-prometheus-stack').grafana.admin).toBeUndefined();
    // With External Secrets (installed first), a Password generator writes grafana-admin before the release.
    const withEso = platformJson(prodConfig(withAddons({ ...CAPABILITIES, externalSecrets: { enabled: true } })));
    expect(valuesOf(withEso, 'kube-prometheus-stack').grafana.admin.existingSecret).toBe('grafana-admin');
    const admin = valuesOf(withEso, 'grafana-admin').manifests;
    expect(admin.find((object: any) => object.kind === 'ExternalSecret').spec.target.name).toBe('grafana-admin');
    expect(releaseNamed(withEso, 'grafana-admin')[1].depends_on).toContain(addressOf(withEso, 'external-secrets'));
    expect(releaseNamed(withEso, 'kube-prometheus-stack')[1].depends_on).toContain(addressOf(withEso, 'grafana-admin'));
    const text = JSON.stringify([prod, withEso]);
    expect(text).not.toMatch(/adminPassword/);
    expect(text).not.toMatch(/\bpassword:\s*\S/i);
  });

  test('Falco uses the modern eBPF probe and keeps Falcosidekick off unless asked', () => {
    expect(valuesOf(prod, 'falco')).toMatchObject({ driver: { kind: 'modern_ebpf' }, falcosidekick: { enabled: false } });
    const asked = platformJson(devConfig(withAddons({ falco: { enabled: true, falcosidekick: true } })));
    expect(valuesOf(asked, 'falco').falcosidekick).toEqual({ enabled: true });
  });

  test('without kube-prometheus-stack, add-ons create no ServiceMonitors and wait for nothing', () => {
    const json = platformJson(devConfig(withAddons({ falco: { enabled: true }, trivyOperator: { enabled: true }, opencost: { enabled: true, prometheusUrl: 'https://prometheus.example.com' } })));
    expect(valuesOf(json, 'falco').serviceMonitor).toEqual({ create: false });
    expect(valuesOf(json, 'trivy-operator').serviceMonitor).toEqual({ enabled: false });
    expect(valuesOf(json, 'opencost').opencost.prometheus.external).toEqual({ enabled: true, url: 'https://prometheus.example.com' });
    for (const [, release] of releases(json)) expect(release.depends_on).toEqual([]);
  });

  test('take typed settings and chart values by release name', () => {
    const json = platformJson(
      devConfig(
        withAddons({
          kubePrometheusStack: { enabled: true, retention: '7d', grafanaAdminSecret: 'ops-grafana', values: { 'kube-prometheus-stack': { defaultRules: { create: false } } } },
          trivyOperator: { enabled: true, severities: ['CRITICAL'], ignoreUnfixed: true, scanJobsConcurrentLimit: 2 },
          istio: { enabled: true, mtlsMode: 'STRICT', gateway: { serviceAnnotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' } }, values: { istiod: { pilot: { env: { PILOT_TRACE_SAMPLING: '1' } } } } },
        }),
      ),
    );
    expect(valuesOf(json, 'kube-prometheus-stack')).toMatchObject({ defaultRules: { create: false }, prometheus: { prometheusSpec: { retention: '7d' } }, grafana: { admin: { existingSecret: 'ops-grafana' } } });
    expect(valuesOf(json, 'trivy-operator')).toMatchObject({ trivy: { severity: 'CRITICAL', ignoreUnfixed: true }, operator: { scanJobsConcurrentLimit: 2 } });
    expect(valuesOf(json, 'istio-ingress').service.annotations).toEqual({ 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' });
    expect(valuesOf(json, 'istiod').pilot).toEqual({ env: { PILOT_TRACE_SAMPLING: '1' } });
    expect(valuesOf(json, 'istio-mesh-policy').manifests[0].spec).toEqual({ mtls: { mode: 'STRICT' } });
  });

  test('Istio can leave the gateway out', () => {
    const json = platformJson(devConfig(withAddons({ istio: { enabled: true, gateway: { enabled: false } } })));
    expect(releases(json).map(([, r]) => r.name).sort()).toEqual(['istio-base', 'istio-cni', 'istio-mesh-policy', 'istiod']);
  });

  test.each([
    ['azure', azureDev],
    ['gcp', gcpDev],
  ])('install on %s, where the cluster ships metrics-server', (_cloud, config) => {
    const addons: Record<string, unknown> = clone(CAPABILITIES);
    delete addons.metricsServer;
    const json = platformJson({ ...clone(config), platform: onlyAddons(addons) });
    expect(releases(json).map(([, r]) => r.name)).toEqual(expect.arrayContaining(['kube-prometheus-stack', 'opencost', 'falco', 'istiod']));
  });
});

/** The body of one top-level component of an Alloy configuration, from its header to its closing brace. */
function alloyComponent(config: string, header: string): string | undefined {
  const start = config.indexOf(`\n${header} {`);
  return start < 0 ? undefined : config.slice(start + 1, config.indexOf('\n}', start + 1) + 2);
}

/** Where the synthesized Alloy config sends each OTLP signal, and the URLs of its Loki and remote-write endpoints. */
function alloyRoutes(json: TerraformJson) {
  const config: string = valuesOf(json, 'alloy').alloy.configMap.content;
  const batch = alloyComponent(config, 'otelcol.processor.batch "default"') ?? '';
  const route = (signal: string) => new RegExp(`${signal} += \\[([^\\]]*)\\]`).exec(batch)?.[1];
  const urls = (header: string) => [...(alloyComponent(config, header) ?? '').matchAll(/url = "([^"]+)"/g)].map((m) => m[1]);
  return {
    config,
    otlp: { metrics: route('metrics'), logs: route('logs'), traces: route('traces') },
    traceEndpoint: /endpoint = "([^"]+)"/.exec(alloyComponent(config, 'otelcol.exporter.otlp "default"') ?? '')?.[1],
    lokiUrls: urls('loki.write "default"'),
    remoteWriteUrls: urls('prometheus.remote_write "default"'),
  };
}

describe('Alloy sends each signal to its backend', () => {
  const PROMETHEUS_REPLICAS = [0, 1].map((i) => `http://prometheus-kube-prometheus-stack-prometheus-${i}.prometheus-operated.monitoring.svc:9090/api/v1/write`);

  test.each([
    ['staging', staging],
    ['prod', prodEnvironment],
  ])('%s (configured by hand with loki.url and otlp): traces to Tempo only, logs to Loki, metrics to each Prometheus replica', (_name, config) => {
    const platform = platformJson(config);
    const routes = alloyRoutes(platform);
    expect(routes.otlp).toEqual({ metrics: 'otelcol.exporter.prometheus.default.input', logs: 'otelcol.exporter.loki.default.input', traces: 'otelcol.exporter.otlp.default.input' });
    expect(routes.traceEndpoint).toBe('tempo.tempo.svc:4317');
    expect(routes.config.match(/otelcol\.exporter\.otlp\.default\.input/g)).toHaveLength(1);
    expect(alloyComponent(routes.config, 'otelcol.exporter.prometheus "default"')).toContain('forward_to = [prometheus.remote_write.default.receiver]');
    expect(alloyComponent(routes.config, 'otelcol.exporter.loki "default"')).toContain('forward_to = [loki.write.default.receiver]');
    expect(routes.lokiUrls).toEqual(['http://loki-gateway.loki.svc/loki/api/v1/push']);
    expect(routes.remoteWriteUrls).toEqual(PROMETHEUS_REPLICAS);
    expect(valuesOf(platform, 'kube-prometheus-stack').prometheus.prometheusSpec.enableRemoteWriteReceiver).toBe(true);
  });

  test('with no destinations set, Alloy defaults to the kube-prometheus-stack, Loki and Tempo of its environment', () => {
    const config = clone(prodEnvironment) as any;
    config.platform.addons.alloy = { enabled: true };
    const routes = alloyRoutes(platformJson(config));
    expect(routes.traceEndpoint).toBe('tempo.tempo.svc:4317');
    expect(routes.config).toContain('insecure = true');
    expect(routes.lokiUrls).toEqual(['http://loki-gateway.loki.svc/loki/api/v1/push']);
    expect(routes.remoteWriteUrls).toEqual(PROMETHEUS_REPLICAS);
  });

  test('a hosted remote-write URL replaces the in-cluster Prometheus, whose receiver then stays off; one Prometheus in dev', () => {
    const hosted = clone(prodEnvironment) as any;
    hosted.platform.addons.alloy.remoteWrite = { url: 'https://prometheus.grafana.example/api/prom/push' };
    const platform = platformJson(hosted);
    expect(alloyRoutes(platform).remoteWriteUrls).toEqual(['https://prometheus.grafana.example/api/prom/push']);
    expect(valuesOf(platform, 'kube-prometheus-stack').prometheus.prometheusSpec.enableRemoteWriteReceiver).toBe(false);
    const dev = platformJson(devConfig(withAddons({ kubePrometheusStack: { enabled: true }, alloy: { enabled: true } })));
    expect(alloyRoutes(dev).remoteWriteUrls).toEqual([PROMETHEUS_REPLICAS[0]]);
    expect(alloyRoutes(dev).otlp).toEqual({ metrics: 'otelcol.exporter.prometheus.default.input', logs: undefined, traces: undefined });
  });
});

describe('Istio beside restricted Pod Security policies', () => {
  test.each([
    ['aws', prodEnvironment, {}],
    ['azure', azureProd, {}],
    ['gcp', gcpProd, { global: { platform: 'gke' }, cniBinDir: '/home/kubernetes/bin' }],
  ])('on %s: sidecars come without istio-init; the CNI agent runs in its own privileged namespace, which Kyverno skips', (_cloud, config, platformValues) => {
    const platform = platformJson(config);
    expect(valuesOf(platform, 'istiod')).toMatchObject({ cni: { enabled: true }, global: { proxy: { seccompProfile: { type: 'RuntimeDefault' } } } });
    expect(valuesOf(platform, 'istio-cni')).toEqual({ chained: true, ...platformValues });
    expect(releaseNamed(platform, 'istiod')[1].depends_on).toContain(addressOf(platform, 'istio-cni'));
    const namespace = resources(platform, 'kubernetes_namespace_v1').find((ns) => ns.metadata.name === 'istio-cni');
    expect(namespace.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(valuesOf(platform, 'kyverno-policies').vpolExclude.excludeNamespaces).toContain('istio-cni');
    expect(valuesOf(platform, 'kyverno-policies').vpolExclude.excludeNamespaces).not.toContain('istio-system');
  });

  test('on EKS with Cilium chained onto the VPC CNI, the Istio CNI agent installs after Cilium, which leaves other CNI configurations alone', () => {
    const platform = platformJson(prodEnvironment);
    expect(releaseNamed(platform, 'istio-cni')[1].depends_on).toContain(addressOf(platform, 'cilium'));
    expect(valuesOf(platform, 'cilium').cni).toEqual({ chainingMode: 'aws-cni', exclusive: false });
  });
});

describe('capability add-on validation', () => {
  test('throws when metrics-server is enabled on azure or gcp', () => {
    for (const config of [azureDev, gcpDev]) {
      const cloud = (config as { cloud: string }).cloud;
      expect(() => validateEnvironments([{ ...clone(config), platform: onlyAddons({ metricsServer: { enabled: true } }) }])).toThrow(
        `platform.addons.metricsServer.enabled true is not available on ${cloud} (only on aws)`,
      );
    }
  });

  test('throws when Alloy has no destination and no backend is enabled beside it', () => {
    expect(() => validateEnvironments([devConfig(withAddons({ alloy: { enabled: true } }))])).toThrow(
      expect.objectContaining({ code: 'IDPKIT_INVALID_ENVIRONMENT', message: expect.stringContaining('platform.addons.alloy {"enabled":true} has no destination') }),
    );
    expect(validateEnvironments([devConfig(withAddons({ alloy: { enabled: true }, tempo: { enabled: true } }))])).toHaveLength(1);
  });

  test('throws when an Alloy URL or endpoint is malformed', () => {
    expect(() => validateEnvironments([devConfig(withAddons({ alloy: { enabled: true, loki: { url: 'loki:3100' } } }))])).toThrow(
      'platform.addons.alloy.loki.url "loki:3100" is not an http(s) URL',
    );
    expect(() => validateEnvironments([devConfig(withAddons({ alloy: { enabled: true, otlp: { endpoint: 'http://tempo' } } }))])).toThrow(
      'platform.addons.alloy.otlp.endpoint "http://tempo" is not host:port',
    );
  });

  test('throws when OpenCost has no Prometheus', () => {
    const [env] = validateEnvironments([devConfig(withAddons({ opencost: { enabled: true } }))]);
    expect(() => addPlatformStacks(new App({ outdir: mkdtempSync(join(tmpdir(), 'idpkit-capabilities-')) }), [env])).toThrow(
      'platform.addons.opencost needs Prometheus (enable platform.addons.kubePrometheusStack, or set platform.addons.opencost.prometheusUrl)',
    );
  });

  test('throws when kube-prometheus-stack settings are malformed', () => {
    expect(() => validateEnvironments([devConfig(withAddons({ kubePrometheusStack: { enabled: true, retention: '2 weeks' } }))])).toThrow(
      'platform.addons.kubePrometheusStack.retention "2 weeks" is not a Prometheus duration',
    );
    expect(() => validateEnvironments([devConfig(withAddons({ kubePrometheusStack: { enabled: true, grafanaAdminSecret: 'Admin' } }))])).toThrow(
      'platform.addons.kubePrometheusStack.grafanaAdminSecret "Admin" is not a Secret name',
    );
    expect(() => validateEnvironments([devConfig(withAddons({ kubePrometheusStack: { enabled: true, storageGiB: 0 } }))])).toThrow(
      'platform.addons.kubePrometheusStack.storageGiB 0 must be at least 1',
    );
  });

  test('throws when a Trivy severity or an Istio setting is unknown', () => {
    expect(() => validateEnvironments([devConfig(withAddons({ trivyOperator: { enabled: true, severities: ['SEVERE'] } }))])).toThrow(
      'platform.addons.trivyOperator.severities[0] "SEVERE" is not a Trivy severity',
    );
    expect(() => validateEnvironments([devConfig(withAddons({ istio: { enabled: true, mtlsMode: 'strict' } }))])).toThrow(
      'platform.addons.istio.mtlsMode "strict" is not an mTLS mode (allowed: PERMISSIVE, STRICT)',
    );
    expect(() => validateEnvironments([devConfig(withAddons({ istio: { enabled: true, gateway: { replicas: 3 } } }))])).toThrow(
      'platform.addons.istio.gateway {"replicas":3} has unknown field(s) replicas',
    );
  });
});
