import { Construct } from 'constructs';
import { CHARTS } from '../../core/charts';
import { AddonProps, HelmAddon } from '../../core/helm-addon';

/** Props of {@link Crossplane}. */
export interface CrossplaneProps extends AddonProps {
  /** Two replicas of Crossplane and of its RBAC manager, one leader each. @default true */
  readonly highAvailability?: boolean;
}

/** Namespace of Crossplane. */
export const CROSSPLANE_NAMESPACE = 'crossplane-system';

/** What the Pod Security `restricted` level asks of a pod and container beyond the chart's defaults. */
const RESTRICTED_POD = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
const RESTRICTED_CONTAINER = { runAsNonRoot: true, capabilities: { drop: ['ALL'] } };

/**
 * Crossplane, the control plane for infrastructure APIs: Crossplane and its RBAC manager
 * replicated with leader election in HA (the chart has no disruption budget), Prometheus metrics
 * on, and pods hardened to the Pod Security `restricted` level (the chart's defaults set a
 * non-root user but not `runAsNonRoot`, dropped capabilities or a seccomp profile).
 * Provider packages and their ProviderConfigs are not installed here.
 *
 * @see https://docs.crossplane.io/latest/get-started/install/
 * @example
 * new Crossplane(this, 'crossplane', { highAvailability: true });
 */
export class Crossplane extends Construct {
  /** The Helm release. */
  readonly addon: HelmAddon;

  constructor(scope: Construct, id: string, props: CrossplaneProps = {}) {
    super(scope, id);
    const replicas = props.highAvailability ?? true ? 2 : 1;
    this.addon = new HelmAddon(this, 'release', {
      chart: CHARTS.crossplane,
      namespace: CROSSPLANE_NAMESPACE,
      values: {
        replicas,
        leaderElection: true,
        rbacManager: { replicas, leaderElection: true },
        metrics: { enabled: true },
        podSecurityContextCrossplane: RESTRICTED_POD,
        securityContextCrossplane: RESTRICTED_CONTAINER,
        podSecurityContextRBACManager: RESTRICTED_POD,
        securityContextRBACManager: RESTRICTED_CONTAINER,
      },
      valueOverrides: props.valueOverrides,
    });
  }
}
