import { Construct } from 'constructs';
import { CHARTS } from '../../core/charts';
import { HelmAddon, HelmValues } from '../../core/helm-addon';

/** Props of {@link CertManager}. */
export interface CertManagerProps {
  /** Replicated controller, webhook and CA injector with disruption budgets. @default true */
  readonly highAvailability?: boolean;
  /** Create a Prometheus Operator ServiceMonitor (needs kube-prometheus-stack). @default false */
  readonly serviceMonitor?: boolean;
  /** Escape hatch: chart values merged over idpkit's. @default {} */
  readonly valueOverrides?: HelmValues;
}

/** Namespace of cert-manager. */
export const CERT_MANAGER_NAMESPACE = 'cert-manager';

/**
 * cert-manager from the jetstack OCI registry, CRDs installed and kept on uninstall, replicated
 * with disruption budgets in HA (the controller and CA injector elect a leader; the webhook serves
 * from every replica), Prometheus metrics on.
 *
 * @see https://cert-manager.io/docs/installation/helm/
 * @example
 * new CertManager(this, 'cert-manager', { highAvailability: true });
 */
export class CertManager extends Construct {
  /** The Helm release. */
  readonly addon: HelmAddon;

  constructor(scope: Construct, id: string, props: CertManagerProps = {}) {
    super(scope, id);
    const ha = props.highAvailability ?? true;
    const replicated = (replicas: number) => ({ replicaCount: ha ? replicas : 1, podDisruptionBudget: { enabled: ha } });
    this.addon = new HelmAddon(this, 'release', {
      chart: CHARTS.certManager,
      namespace: CERT_MANAGER_NAMESPACE,
      values: {
        crds: { enabled: true, keep: true },
        ...replicated(2),
        webhook: replicated(3),
        cainjector: replicated(2),
        prometheus: { enabled: true, servicemonitor: { enabled: props.serviceMonitor ?? false } },
      },
      valueOverrides: props.valueOverrides,
    });
  }
}
