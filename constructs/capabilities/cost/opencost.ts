import { Construct } from 'constructs';
import { CHARTS } from '../../core/charts';
import { IdpkitError } from '../../core/errors';
import { AddonProps, HelmAddon } from '../../core/helm-addon';

/** A Prometheus Service inside the cluster. */
export interface InClusterPrometheus {
  /** Service name, e.g. "kube-prometheus-stack-prometheus". */
  readonly serviceName: string;
  /** Namespace of the Service. */
  readonly namespace: string;
  /** Service port. */
  readonly port: number;
}

/** Props of {@link OpenCost}. */
export interface OpenCostProps extends AddonProps {
  /** Cluster name shown in OpenCost and set as its cluster id. */
  readonly clusterName: string;
  /** The Prometheus OpenCost queries, inside the cluster (e.g. kube-prometheus-stack's). Give this or `prometheusUrl`. @default - none */
  readonly prometheus?: InClusterPrometheus;
  /** URL of a Prometheus-compatible query endpoint outside the cluster. Give this or `prometheus`. @default - none */
  readonly prometheusUrl?: string;
  /**
   * Exporter replicas. Each replica's cost metrics are scraped, so more than one duplicates every
   * series; keep 1 unless queries deduplicate. @default 1
   */
  readonly exporterReplicas?: number;
  /** Serve the OpenCost web UI. @default true */
  readonly ui?: boolean;
  /** Create a ServiceMonitor so Prometheus scrapes OpenCost's cost metrics (needs kube-prometheus-stack). @default false */
  readonly serviceMonitor?: boolean;
}

/** Namespace of OpenCost. */
export const OPENCOST_NAMESPACE = 'opencost';

/**
 * OpenCost in the `opencost` namespace: Kubernetes cost allocation computed from Prometheus metrics
 * and the cloud's public list prices (no cloud billing integration, so no cloud identity).
 *
 * - Queries an in-cluster Prometheus (kube-prometheus-stack when installed) or an external URL, and
 *   is scraped back through a ServiceMonitor: OpenCost's allocation needs its own metrics in Prometheus.
 * - The namespace enforces the **baseline** Pod Security level: the chart sets no security context
 *   for the exporter and UI containers (restricted needs one explicitly).
 *
 * @see https://opencost.io/docs/installation/helm
 * @example
 * new OpenCost(this, 'opencost', { clusterName: 'idp-prod', prometheus: KUBE_PROMETHEUS_STACK_PROMETHEUS });
 */
export class OpenCost extends Construct {
  /** The Helm release. */
  readonly addon: HelmAddon;

  constructor(scope: Construct, id: string, props: OpenCostProps) {
    super(scope, id);
    const replicas = props.exporterReplicas ?? 1;
    const problems: string[] = [];
    if ((props.prometheus === undefined) === (props.prometheusUrl === undefined)) {
      problems.push('needs prometheus (an in-cluster Service, e.g. kube-prometheus-stack) or prometheusUrl, but not both');
    }
    if (props.prometheusUrl !== undefined && !/^https?:\/\/\S+$/.test(props.prometheusUrl)) {
      problems.push(`prometheusUrl "${props.prometheusUrl}" is not an http(s) URL`);
    }
    if (!Number.isInteger(replicas) || replicas < 1) problems.push(`exporterReplicas ${replicas} is not a whole number >= 1`);
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems.map((problem) => `${this.node.path}: ${problem}`));

    const prometheus = props.prometheus
      ? {
          internal: {
            enabled: true,
            serviceName: props.prometheus.serviceName,
            namespaceName: props.prometheus.namespace,
            port: props.prometheus.port,
          },
          external: { enabled: false },
        }
      : { internal: { enabled: false }, external: { enabled: true, url: props.prometheusUrl } };
    this.addon = new HelmAddon(this, 'release', {
      chart: CHARTS.opencost,
      namespace: OPENCOST_NAMESPACE,
      podSecurity: 'baseline',
      values: {
        clusterName: props.clusterName,
        opencost: {
          exporter: { defaultClusterId: props.clusterName, replicas },
          prometheus,
          ui: { enabled: props.ui ?? true },
          metrics: { serviceMonitor: { enabled: props.serviceMonitor ?? false } },
        },
      },
      valueOverrides: props.valueOverrides,
      dependsOn: props.dependsOn,
    });
  }
}
