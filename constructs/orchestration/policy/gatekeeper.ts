import { Construct } from 'constructs';
import { CHARTS } from '../../core/charts';
import { AddonProps, HelmAddon } from '../../core/helm-addon';
import { tierDefault } from '../../core/tiers';

/** Props of {@link Gatekeeper}. */
export interface GatekeeperProps extends AddonProps {
  /** Three webhook (controller manager) replicas with a disruption budget of one available. @default - the tier's `highAvailability` (off in dev); true without a tier */
  readonly highAvailability?: boolean;
}

/** Namespace of Gatekeeper. */
export const GATEKEEPER_NAMESPACE = 'gatekeeper-system';

/**
 * OPA Gatekeeper: the admission webhook replicated (3) with a disruption budget in HA, one replica
 * and no budget otherwise; the audit controller runs once by design. Denials are logged, metrics
 * go to Prometheus. Constraint templates and constraints are the environment's to add (GitOps).
 *
 * @see https://open-policy-agent.github.io/gatekeeper/website/docs/install
 * @example
 * new Gatekeeper(this, 'gatekeeper', { highAvailability: true });
 */
export class Gatekeeper extends Construct {
  /** The Helm release. */
  readonly addon: HelmAddon;

  constructor(scope: Construct, id: string, props: GatekeeperProps = {}) {
    super(scope, id);
    const ha = props.highAvailability ?? tierDefault(this, (rules) => rules.highAvailability, true);
    this.addon = new HelmAddon(this, 'release', {
      chart: CHARTS.gatekeeper,
      namespace: GATEKEEPER_NAMESPACE,
      values: {
        replicas: ha ? 3 : 1,
        pdb: { controllerManager: { minAvailable: ha ? 1 : 0 } },
        logDenies: true,
        metricsBackends: ['prometheus'],
      },
      valueOverrides: props.valueOverrides,
    });
  }
}
