import { CiliumChaining } from '../../constructs/capabilities/mesh/cilium';
import { CertManager } from '../../constructs/capabilities/tls/cert-manager';
import { MetricsServer } from '../../constructs/capabilities/autoscaling/metrics-server';
import { OpenCost } from '../../constructs/capabilities/cost/opencost';
import { Istio } from '../../constructs/capabilities/mesh/istio';
import { Alloy } from '../../constructs/capabilities/observability/alloy';
import { KUBE_PROMETHEUS_STACK_PROMETHEUS, KubePrometheusStack } from '../../constructs/capabilities/observability/kube-prometheus-stack';
import { Falco } from '../../constructs/capabilities/security/falco';
import { TrivyOperator } from '../../constructs/capabilities/security/trivy-operator';
import { IdpkitError } from '../../constructs/core/errors';
import type { Environment } from '../../environments/types';
import { AddonDefinition, defineAddon, enabledConfigOf, prometheusMonitoring } from './addon';
import type { CertManagerConfig, KubePrometheusStackConfig, MetricsServerConfig, CiliumConfig, AlloyConfig, OpencostConfig, FalcoConfig, TrivyOperatorConfig, IstioConfig } from '../../constructs/addons/capabilities';
import { alloyDestinations } from '../../environments/addons';

/** Whether Alloy writes metrics to kube-prometheus-stack's Prometheus, whose remote-write receiver must then be on. */
const alloyWritesToPrometheus = (env: Environment): boolean => {
  const alloy = enabledConfigOf<AlloyConfig>(env, 'alloy');
  return alloy !== undefined && alloy.remoteWrite === undefined;
};

/** Add-ons of the capabilities layer: TLS, secrets, observability, cost, security, networking, mesh, CI/CD. */
export const CAPABILITY_ADDONS: readonly AddonDefinition[] = [
  defineAddon<CertManagerConfig>({
    key: 'certManager',
    description: 'cert-manager: X.509 certificates for ingress and workloads',
    install: (scope, context, config) => [
      new CertManager(scope, 'cert-manager', {
        highAvailability: context.highAvailability,
        acme: config.acme,
        valueOverrides: config.values?.['cert-manager'],
      }).addon,
    ],
  }),
  defineAddon<KubePrometheusStackConfig>({
    key: 'kubePrometheusStack',
    description: 'kube-prometheus-stack: Prometheus, Alertmanager, Grafana, node-exporter and kube-state-metrics',
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
  defineAddon<MetricsServerConfig>({
    key: 'metricsServer',
    description: 'metrics-server: the resource metrics API for kubectl top and autoscaling (EKS; AKS and GKE ship their own)',
    install: (scope, context, config) => [
      new MetricsServer(scope, 'metrics-server', {
        highAvailability: context.highAvailability,
        ...prometheusMonitoring(context),
        valueOverrides: config.values?.['metrics-server'],
      }).addon,
    ],
  }),
  defineAddon<CiliumConfig>({
    key: 'cilium',
    description: 'Cilium in chaining mode beside the VPC CNI: eBPF network policy and Hubble flows (EKS; AKS and GKE run Cilium dataplanes of their own)',
    install: (scope, context, config) => [
      new CiliumChaining(scope, 'cilium', {
        highAvailability: context.highAvailability,
        ...prometheusMonitoring(context),
        valueOverrides: config.values?.cilium,
      }).addon,
    ],
  }),
  defineAddon<AlloyConfig>({
    key: 'alloy',
    description: 'Grafana Alloy: pod logs and OTLP logs to Loki, annotated pod metrics and OTLP metrics by remote write, OTLP traces to Tempo',
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
  defineAddon<OpencostConfig>({
    key: 'opencost',
    description: 'OpenCost: Kubernetes cost allocation from Prometheus metrics and public list prices',
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
  defineAddon<FalcoConfig>({
    key: 'falco',
    description: 'Falco: runtime threat detection from kernel events (modern eBPF)',
    install: (scope, context, config) => [
      new Falco(scope, 'falco', {
        falcosidekick: config.falcosidekick,
        ...prometheusMonitoring(context),
        valueOverrides: config.values?.falco,
      }).addon,
    ],
  }),
  defineAddon<TrivyOperatorConfig>({
    key: 'trivyOperator',
    description: 'Trivy operator: vulnerability, config, secret, RBAC and node scanning as Kubernetes reports',
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
  defineAddon<IstioConfig>({
    key: 'istio',
    description: 'Istio service mesh (sidecar mode): base, the CNI node agent, istiod and an ingress gateway',
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
