/**
 * Config schemas of the add-ons of stacks/platform/capabilities.ts, under `platform.addons.<key>`
 * of an environment: data of the add-on catalog (constructs/addons/catalog.ts).
 */
import { TRIVY_SEVERITIES } from '../capabilities/security/trivy-operator';
import { z } from 'zod';
import { addonConfigSchema } from './config';

/** A DNS-1123 subdomain: what Secret and StorageClass names must be. */
const k8sName = (what: string) =>
  z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, `is not ${what} (lowercase letters, digits, "-" and ".")`);
const httpUrl = z.url({ protocol: /^https?$/, error: 'is not an http(s) URL' });
const positiveInt = z.number({ error: 'is not a number' }).int('is not a whole number').min(1, 'must be at least 1');

/** The schema of `platform.addons.alloy`. */
export const alloyConfigSchema = addonConfigSchema({
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
/** The config of `platform.addons.alloy`. */
export type AlloyConfig = z.infer<typeof alloyConfigSchema>;

/** The schema of `platform.addons.certManager`. */
export const certManagerConfigSchema = addonConfigSchema({
  /** Let's Encrypt ClusterIssuer `letsencrypt`. @default - only the `selfsigned` issuer */
  acme: z
    .strictObject({
      email: z.email({ error: 'is not an e-mail address' }),
      ingressClassName: z.string().min(1, 'is empty (name the ingress class that serves HTTP-01 challenges)'),
      server: z.enum(['production', 'staging'], { error: 'is not an ACME server (allowed: production, staging)' }).optional(),
    })
    .optional(),
});
/** The config of `platform.addons.certManager`. */
export type CertManagerConfig = z.infer<typeof certManagerConfigSchema>;

/** The schema of `platform.addons.kubePrometheusStack`. */
export const kubePrometheusStackConfigSchema = addonConfigSchema({
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
});
/** The config of `platform.addons.kubePrometheusStack`. */
export type KubePrometheusStackConfig = z.infer<typeof kubePrometheusStackConfigSchema>;

/** The schema of `platform.addons.metricsServer`. */
export const metricsServerConfigSchema = addonConfigSchema({});
/** The config of `platform.addons.metricsServer`. */
export type MetricsServerConfig = z.infer<typeof metricsServerConfigSchema>;

/** The schema of `platform.addons.cilium`. */
export const ciliumConfigSchema = addonConfigSchema({});
/** The config of `platform.addons.cilium`. */
export type CiliumConfig = z.infer<typeof ciliumConfigSchema>;

/** The schema of `platform.addons.opencost`. */
export const opencostConfigSchema = addonConfigSchema({
  /** Prometheus query URL outside the cluster. @default - kube-prometheus-stack's Prometheus (which must then be enabled) */
  prometheusUrl: httpUrl.optional(),
  /** Exporter replicas (each is scraped: more than 1 duplicates cost series). @default 1 */
  exporterReplicas: positiveInt.optional(),
  /** Serve the web UI. @default true */
  ui: z.boolean({ error: 'is not true or false' }).optional(),
});
/** The config of `platform.addons.opencost`. */
export type OpencostConfig = z.infer<typeof opencostConfigSchema>;

/** The schema of `platform.addons.falco`. */
export const falcoConfigSchema = addonConfigSchema({
  /** Install Falcosidekick to forward alerts (outputs through values.falco.falcosidekick). @default false */
  falcosidekick: z.boolean({ error: 'is not true or false' }).optional(),
});
/** The config of `platform.addons.falco`. */
export type FalcoConfig = z.infer<typeof falcoConfigSchema>;

/** The schema of `platform.addons.trivyOperator`. */
export const trivyOperatorConfigSchema = addonConfigSchema({
  /** Severities reported. @default ["CRITICAL", "HIGH"] */
  severities: z
    .array(z.enum(TRIVY_SEVERITIES, { error: `is not a Trivy severity (allowed: ${TRIVY_SEVERITIES.join(', ')})` }))
    .min(1, 'is empty (list at least one severity)')
    .optional(),
  /** Leave out vulnerabilities without a fix. @default false */
  ignoreUnfixed: z.boolean({ error: 'is not true or false' }).optional(),
  /** Most scan jobs at once. @default 10 */
  scanJobsConcurrentLimit: positiveInt.optional(),
});
/** The config of `platform.addons.trivyOperator`. */
export type TrivyOperatorConfig = z.infer<typeof trivyOperatorConfigSchema>;

/** The schema of `platform.addons.istio`. */
export const istioConfigSchema = addonConfigSchema({
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
});
/** The config of `platform.addons.istio`. */
export type IstioConfig = z.infer<typeof istioConfigSchema>;
