import { Construct } from 'constructs';
import { CHARTS } from '../../core/charts';
import { AddonProps, HelmAddon } from '../../core/helm-addon';
import { tierDefault } from '../../core/tiers';

/** Props of {@link Tekton}. */
export interface TektonProps extends AddonProps {
  /** Two replicas of the operator (leader-elected) and of its webhook. @default - the tier's `highAvailability` (off in dev); true without a tier */
  readonly highAvailability?: boolean;
  /** Create a Prometheus Operator ServiceMonitor for the operator (needs kube-prometheus-stack). @default false */
  readonly serviceMonitor?: boolean;
}

/** Namespace of the Tekton operator. */
export const TEKTON_OPERATOR_NAMESPACE = 'tekton-operator';

/**
 * Tekton through the official Tekton operator chart (OCI, tektoncd/operator): CRDs installed,
 * operator and webhook replicated in HA, pods hardened to the Pod Security `restricted` level (the
 * chart sets no security context). The operator installs Tekton Pipelines, Triggers and the rest
 * of its default profile into `tekton-pipelines`.
 *
 * @see https://tekton.dev/docs/operator/install/
 * @example
 * new Tekton(this, 'tekton', { highAvailability: true });
 */
export class Tekton extends Construct {
  /** The Helm release. */
  readonly addon: HelmAddon;

  constructor(scope: Construct, id: string, props: TektonProps = {}) {
    super(scope, id);
    const replicas = (props.highAvailability ?? tierDefault(this, (rules) => rules.highAvailability, true)) ? 2 : 1;
    this.addon = new HelmAddon(this, 'release', {
      chart: CHARTS.tektonOperator,
      namespace: TEKTON_OPERATOR_NAMESPACE,
      values: {
        installCRDs: true,
        operator: { replicas },
        webhook: { replicas },
        service: { createServiceMonitor: props.serviceMonitor ?? false },
        podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      },
      valueOverrides: props.valueOverrides,
    });
  }
}
