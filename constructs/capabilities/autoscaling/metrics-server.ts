import { Construct } from 'constructs';
import { CHARTS } from '../../core/charts';
import { AddonProps, HelmAddon } from '../../core/helm-addon';
import { tierDefault } from '../../core/tiers';

/** Props of {@link MetricsServer}. */
export interface MetricsServerProps extends AddonProps {
  /** Two replicas with a disruption budget. @default - the tier's `highAvailability` (off in dev); true without a tier */
  readonly highAvailability?: boolean;
  /** Create a ServiceMonitor for metrics-server's own metrics (needs kube-prometheus-stack). @default false */
  readonly serviceMonitor?: boolean;
}

/**
 * Namespace of metrics-server. Not kube-system: idpkit creates and labels the namespaces of its
 * add-ons, and must not take over kube-system. The chart still binds its auth-reader role in kube-system.
 */
export const METRICS_SERVER_NAMESPACE = 'metrics-server';

/**
 * metrics-server, the resource metrics API (`kubectl top`, HorizontalPodAutoscaler), for EKS, which
 * does not install it; AKS and GKE run their own.
 *
 * - Two replicas with a disruption budget in HA (the metrics API stays up during node drains), one otherwise.
 * - The namespace enforces the **restricted** Pod Security level: the chart runs it non-root,
 *   read-only, without capabilities and with the RuntimeDefault seccomp profile.
 *
 * @see https://github.com/kubernetes-sigs/metrics-server/tree/master/charts/metrics-server
 * @example
 * new MetricsServer(this, 'metrics-server', { highAvailability: true });
 */
export class MetricsServer extends Construct {
  /** The Helm release. */
  readonly addon: HelmAddon;

  constructor(scope: Construct, id: string, props: MetricsServerProps = {}) {
    super(scope, id);
    const ha = props.highAvailability ?? tierDefault(this, (rules) => rules.highAvailability, true);
    const monitored = props.serviceMonitor ?? false;
    this.addon = new HelmAddon(this, 'release', {
      chart: CHARTS.metricsServer,
      namespace: METRICS_SERVER_NAMESPACE,
      values: {
        replicas: ha ? 2 : 1,
        podDisruptionBudget: { enabled: ha, ...(ha ? { minAvailable: 1 } : {}) },
        metrics: { enabled: monitored },
        serviceMonitor: { enabled: monitored },
      },
      valueOverrides: props.valueOverrides,
      dependsOn: props.dependsOn,
    });
  }
}
