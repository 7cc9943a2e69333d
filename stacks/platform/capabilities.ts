import { CiliumChaining } from '../../constructs/capabilities/mesh/cilium';
import { CertManager } from '../../constructs/capabilities/tls/cert-manager';
import { MetricsServer } from '../../constructs/capabilities/autoscaling/metrics-server';
import { OpenCost } from '../../constructs/capabilities/cost/opencost';
import { Istio } from '../../constructs/capabilities/mesh/istio';
import { Alloy } from '../../constructs/capabilities/observability/alloy';
import { KUBE_PROMETHEUS_STACK_PROMETHEUS, KubePrometheusStack, prometheusRemoteWriteUrls } from '../../constructs/capabilities/observability/kube-prometheus-stack';
import { LOKI_PUSH_URL } from '../../constructs/capabilities/observability/loki';
import { TEMPO_OTLP_GRPC_ENDPOINT } from '../../constructs/capabilities/observability/tempo';
import { Falco } from '../../constructs/capabilities/security/falco';
import { TRIVY_SEVERITIES, TrivyOperator } from '../../constructs/capabilities/security/trivy-operator';
import { IdpkitError } from '../../constructs/core/errors';
import { z } from 'zod';
import type { Environment } from '../../environments/types';
import { AddonDefinition, addonConfigSchema, defineAddon, enabledConfigOf, prometheusMonitoring } from './addon';

/** A DNS-1123 subdomain: what Secret and StorageClass names must be. */
const k8sName = (what: string) =>
  z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, `is not ${what} (lowercase letters, digits, "-" and ".")`);
const httpUrl = z.url({ protocol: /^https?$/, error: 'is not an http(s) URL' });
const positiveInt = z.number({ error: 'is not a number' }).int('is not a whole number').min(1, 'must be at least 1');

const alloyConfigSchema = addonConfigSchema({
  /** daemonset (one agent per node) or statefulset (clustered replicas in HA). @default "daemonset" */
  mode: z.enum(['daemonset', 'statefulset'], { error: 'is not an Alloy mode (allowed: daemonset, statefulset)' }).optional(),
  /**
   * Prometheus remote-write endpoint for metrics (scraped pods and OTLP metrics).
   * @default - each replica of kube-prometheus-stack's Prometheus when kubePrometheusStack is enabled (its remote-write receiver is turned on), otherwise no metrics
   */
  remoteWrite: z
    .strictObject({
      url: httpUrl,
      /** Existing Secret in the alloy namespace with keys username and password (hosted Grafana). @default - no auth */
      credentialsSecret: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'is not a Secret name').optional(),
    })
    .optional(),
  /** Loki push endpoint for pod logs and OTLP logs. @default - the environment's Loki gateway when loki is enabled, otherwise no logs */
  loki: z.strictObject({ url: httpUrl }).optional(),
  /** OTLP gRPC endpoint OTLP traces go to (traces only). @default - the environment's Tempo when tempo is enabled, otherwise no traces */
  otlp: z
    .strictObject({
      endpoint: z.string().regex(/^[A-Za-z0-9.-]+:[0-9]{1,5}$/, 'is not host:port (expected e.g. tempo.tempo.svc:4317)'),
      /** Plain-text gRPC, for in-cluster receivers. @default false */
      insecure: z.boolean({ error: 'is not true or false' }).optional(),
    })
    .optional(),
});
type AlloyConfig = z.infer<typeof alloyConfigSchema>;

/**
 * Where Alloy sends each signal: what the environment sets, otherwise the in-cluster backend the
 * environment enables (metrics to kube-prometheus-stack's Prometheus, logs to Loki, traces to
 * Tempo), otherwise nowhere.
 */
function alloyDestinations(env: Environment, config: AlloyConfig, highAvailability: boolean): { remoteWriteUrls?: string[]; lokiUrl?: string; otlp?: AlloyConfig['otlp'] } {
  const enabled = (key: string) => enabledConfigOf(env, key) !== undefined;
  return {
    remoteWriteUrls: config.remoteWrite ? [config.remoteWrite.url] : enabled('kubePrometheusStack') ? prometheusRemoteWriteUrls(highAvailability) : undefined,
    lokiUrl: config.loki?.url ?? (enabled('loki') ? LOKI_PUSH_URL : undefined),
    otlp: config.otlp ?? (enabled('tempo') ? { endpoint: TEMPO_OTLP_GRPC_ENDPOINT, insecure: true } : undefined),
  };
}

/** Whether Alloy writes metrics to kube-prometheus-stack's Prometheus, whose remote-write receiver must then be on. */
const alloyWritesToPrometheus = (env: Environment): boolean => {
  const alloy = enabledConfigOf<AlloyConfig>(env, 'alloy');
  return alloy !== undefined && alloy.remoteWrite === undefined;
};

/** Add-ons of the capabilities layer: TLS, secrets, observability, cost, security, networking, mesh, CI/CD. */
export const CAPABILITY_ADDONS: readonly AddonDefinition[] = [
  defineAddon({
    key: 'certManager',
    description: 'cert-manager: X.509 certificates for ingress and workloads',
    configSchema: addonConfigSchema({
      /** Let's Encrypt ClusterIssuer `letsencrypt`. @default - only the `selfsigned` issuer */
      acme: z
        .strictObject({
          email: z.email({ error: 'is not an e-mail address' }),
          ingressClassName: z.string().min(1, 'is empty (name the ingress class that serves HTTP-01 challenges)'),
          server: z.enum(['production', 'staging'], { error: 'is not an ACME server (allowed: production, staging)' }).optional(),
        })
        .optional(),
    }),
    install: (scope, context, config) => [
      new CertManager(scope, 'cert-manager', {
        highAvailability: context.highAvailability,
        acme: config.acme,
        valueOverrides: config.values?.['cert-manager'],
      }).addon,
    ],
  }),
  defineAddon({
    key: 'kubePrometheusStack',
    description: 'kube-prometheus-stack: Prometheus, Alertmanager, Grafana, node-exporter and kube-state-metrics',
    configSchema: addonConfigSchema({
      /** How long Prometheus keeps samples. @default "15d" in HA tiers, "3d" in dev */
      retention: z
        .string()
        .regex(/^[0-9]+(ms|s|m|h|d|w|y)$/, 'is not a Prometheus duration (expected e.g. 15d, 12h)')
        .optional(),
      /** Size of each Prometheus replica's volume, HA tiers only. @default 50 */
      storageGiB: positiveInt.optional(),
      /** StorageClass of Prometheus, Alertmanager and Grafana volumes. @default - the cluster's default StorageClass */
      storageClassName: k8sName('a StorageClass name').optional(),
      /**
       * Your own Secret in `monitoring` with keys admin-user and admin-password, created before the
       * release (you create and keep it). @default - generated in the cluster: by External Secrets
       * into `grafana-admin` when it is enabled, else by the grafana chart into `kube-prometheus-stack-grafana`
       */
      grafanaAdminSecret: k8sName('a Secret name').optional(),
    }),
    install: (scope, context, config) => [
      new KubePrometheusStack(scope, 'kube-prometheus-stack', {
        highAvailability: context.highAvailability,
        retention: config.retention,
        prometheusStorageGiB: config.storageGiB,
        storageClassName: config.storageClassName,
        grafanaAdminSecret: config.grafanaAdminSecret,
        externalSecrets: context.installed.externalSecrets,
        remoteWriteReceiver: alloyWritesToPrometheus(context.env),
        valueOverrides: config.values?.['kube-prometheus-stack'],
      }).addon,
    ],
  }),
  defineAddon({
    key: 'metricsServer',
    description: 'metrics-server: the resource metrics API for kubectl top and autoscaling (EKS; AKS and GKE ship their own)',
    configSchema: addonConfigSchema({}),
    install: (scope, context, config) => [
      new MetricsServer(scope, 'metrics-server', {
        highAvailability: context.highAvailability,
        ...prometheusMonitoring(context),
        valueOverrides: config.values?.['metrics-server'],
      }).addon,
    ],
  }),
  defineAddon({
    key: 'cilium',
    description: 'Cilium in chaining mode beside the VPC CNI: eBPF network policy and Hubble flows (EKS; AKS and GKE run Cilium dataplanes of their own)',
    configSchema: addonConfigSchema({}),
    install: (scope, context, config) => [
      new CiliumChaining(scope, 'cilium', {
        highAvailability: context.highAvailability,
        ...prometheusMonitoring(context),
        valueOverrides: config.values?.cilium,
      }).addon,
    ],
  }),
  defineAddon({
    key: 'alloy',
    description: 'Grafana Alloy: pod logs and OTLP logs to Loki, annotated pod metrics and OTLP metrics by remote write, OTLP traces to Tempo',
    configSchema: alloyConfigSchema,
    problems: (env, config) => {
      const destinations = alloyDestinations(env, config, false);
      return destinations.remoteWriteUrls || destinations.lokiUrl || destinations.otlp
        ? []
        : [{ path: [], message: 'has no destination (set remoteWrite.url, loki.url or otlp.endpoint, enable kubePrometheusStack, loki or tempo beside it, or disable Alloy)' }];
    },
    install: (scope, context, config) => [
      new Alloy(scope, 'alloy', {
        highAvailability: context.highAvailability,
        mode: config.mode,
        clusterName: context.env.cluster.name,
        ...alloyDestinations(context.env, config, context.highAvailability),
        remoteWriteCredentialsSecret: config.remoteWrite?.credentialsSecret,
        ...prometheusMonitoring(context),
        valueOverrides: config.values?.alloy,
      }).addon,
    ],
  }),
  defineAddon({
    key: 'opencost',
    description: 'OpenCost: Kubernetes cost allocation from Prometheus metrics and public list prices',
    configSchema: addonConfigSchema({
      /** Prometheus query URL outside the cluster. @default - kube-prometheus-stack's Prometheus (which must then be enabled) */
      prometheusUrl: httpUrl.optional(),
      /** Exporter replicas (each is scraped: more than 1 duplicates cost series). @default 1 */
      exporterReplicas: positiveInt.optional(),
      /** Serve the web UI. @default true */
      ui: z.boolean({ error: 'is not true or false' }).optional(),
    }),
    install: (scope, context, config) => {
      const prometheusStack = prometheusMonitoring(context).dependsOn;
      if (!config.prometheusUrl && prometheusStack.length === 0) {
        throw new IdpkitError('IDPKIT_INVALID_ENVIRONMENT', [
          `environment "${context.env.name}": platform.addons.opencost needs Prometheus (enable platform.addons.kubePrometheusStack, or set platform.addons.opencost.prometheusUrl)`,
        ]);
      }
      return [
        new OpenCost(scope, 'opencost', {
          clusterName: context.env.cluster.name,
          ...(config.prometheusUrl ? { prometheusUrl: config.prometheusUrl } : { prometheus: KUBE_PROMETHEUS_STACK_PROMETHEUS }),
          exporterReplicas: config.exporterReplicas,
          ui: config.ui,
          serviceMonitor: prometheusStack.length > 0,
          dependsOn: prometheusStack,
          valueOverrides: config.values?.opencost,
        }).addon,
      ];
    },
  }),
  defineAddon({
    key: 'falco',
    description: 'Falco: runtime threat detection from kernel events (modern eBPF)',
    configSchema: addonConfigSchema({
      /** Install Falcosidekick to forward alerts (outputs through values.falco.falcosidekick). @default false */
      falcosidekick: z.boolean({ error: 'is not true or false' }).optional(),
    }),
    install: (scope, context, config) => [
      new Falco(scope, 'falco', {
        falcosidekick: config.falcosidekick,
        ...prometheusMonitoring(context),
        valueOverrides: config.values?.falco,
      }).addon,
    ],
  }),
  defineAddon({
    key: 'trivyOperator',
    description: 'Trivy operator: vulnerability, config, secret, RBAC and node scanning as Kubernetes reports',
    configSchema: addonConfigSchema({
      /** Severities reported. @default ["CRITICAL", "HIGH"] */
      severities: z
        .array(z.enum(TRIVY_SEVERITIES, { error: `is not a Trivy severity (allowed: ${TRIVY_SEVERITIES.join(', ')})` }))
        .min(1, 'is empty (list at least one severity)')
        .optional(),
      /** Leave out vulnerabilities without a fix. @default false */
      ignoreUnfixed: z.boolean({ error: 'is not true or false' }).optional(),
      /** Most scan jobs at once. @default 10 */
      scanJobsConcurrentLimit: positiveInt.optional(),
    }),
    install: (scope, context, config) => [
      new TrivyOperator(scope, 'trivy-operator', {
        severities: config.severities,
        ignoreUnfixed: config.ignoreUnfixed,
        scanJobsConcurrentLimit: config.scanJobsConcurrentLimit,
        ...prometheusMonitoring(context),
        valueOverrides: config.values?.['trivy-operator'],
      }).addon,
    ],
  }),
  defineAddon({
    key: 'istio',
    description: 'Istio service mesh (sidecar mode): base, the CNI node agent, istiod and an ingress gateway',
    configSchema: addonConfigSchema({
      /** Mesh-wide mTLS mode. @default "PERMISSIVE" */
      mtlsMode: z.enum(['PERMISSIVE', 'STRICT'], { error: 'is not an mTLS mode (allowed: PERMISSIVE, STRICT)' }).optional(),
      /** The ingress gateway in istio-ingress. @default - installed, no Service annotations */
      gateway: z
        .strictObject({
          /** Install the gateway. @default true */
          enabled: z.boolean({ error: 'is not true or false' }).optional(),
          /** Annotations of the gateway's LoadBalancer Service. @default {} */
          serviceAnnotations: z.record(z.string(), z.string({ error: 'is not a string' })).optional(),
        })
        .optional(),
    }),
    install: (scope, context, config) => {
      const istio = new Istio(scope, 'istio', {
        highAvailability: context.highAvailability,
        mtlsMode: config.mtlsMode,
        gateway: config.gateway?.enabled,
        gatewayServiceAnnotations: config.gateway?.serviceAnnotations,
        cloud: context.env.cloud,
        dependsOn: context.installed.cilium ?? [],
        valueOverrides: config.values,
      });
      return [istio.base, istio.cni, istio.istiod, ...(istio.gateway ? [istio.gateway] : [])];
    },
  }),
];
