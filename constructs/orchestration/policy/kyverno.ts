import { Construct } from 'constructs';
import { CHARTS } from '../../core/charts';
import { AddonProps, HelmAddon, HelmValues } from '../../core/helm-addon';
import { tierDefault } from '../../core/tiers';

/** What Kyverno does with a request that breaks a policy. */
export type ValidationFailureAction = 'Enforce' | 'Audit';

/** Pod Security Standards profile the bundled policies check. */
export type PodSecurityStandard = 'baseline' | 'restricted';

/** Props of {@link Kyverno}. */
export interface KyvernoProps extends AddonProps {
  /** Replicated admission (3), background, cleanup and reports controllers (2 each) with disruption budgets. @default - the tier's `highAvailability` (off in dev); true without a tier */
  readonly highAvailability?: boolean;
  /** Reject (`Enforce`) or only report (`Audit`) requests that break a policy. @default "Audit" */
  readonly validationFailureAction?: ValidationFailureAction;
  /** Pod Security Standards profile of the kyverno-policies chart. @default "restricted" */
  readonly podSecurityStandard?: PodSecurityStandard;
  /**
   * Namespaces the Pod Security policies skip, besides `kube-system`: those of add-ons that need
   * more than the profile allows (their namespace's Pod Security label already bounds them).
   * @default []
   */
  readonly excludeNamespaces?: readonly string[];
  /** Create Prometheus Operator ServiceMonitors for the controllers (needs kube-prometheus-stack). @default false */
  readonly serviceMonitor?: boolean;
  /** Escape hatch: values of the `kyverno-policies` release merged over idpkit's. @default {} */
  readonly policiesValueOverrides?: HelmValues;
}

/** Namespace of Kyverno and its policies. */
export const KYVERNO_NAMESPACE = 'kyverno';

/** Namespaces no Pod Security policy applies to. */
const ALWAYS_EXCLUDED = ['kube-system'];

/**
 * Kyverno and the kyverno-policies chart: the Pod Security Standards as cluster-wide
 * ValidatingPolicies (restricted profile by default), enforced or audited; controllers replicated
 * with disruption budgets in HA.
 *
 * @see https://kyverno.io/docs/installation/methods/#high-availability-installation
 * @see https://github.com/kyverno/kyverno/tree/main/charts/kyverno-policies
 * @example
 * new Kyverno(this, 'kyverno', { validationFailureAction: 'Enforce' });
 */
export class Kyverno extends Construct {
  /** The Kyverno release. */
  readonly addon: HelmAddon;
  /** The policies release, installed after Kyverno (it needs Kyverno's CRDs). */
  readonly policies: HelmAddon;

  constructor(scope: Construct, id: string, props: KyvernoProps = {}) {
    super(scope, id);
    const ha = props.highAvailability ?? tierDefault(this, (rules) => rules.highAvailability, true);
    const serviceMonitor = { serviceMonitor: { enabled: props.serviceMonitor ?? false } };
    const controller = (replicas: number) => ({ replicas: ha ? replicas : 1, podDisruptionBudget: { enabled: ha }, ...serviceMonitor });
    this.addon = new HelmAddon(this, 'release', {
      chart: CHARTS.kyverno,
      namespace: KYVERNO_NAMESPACE,
      values: {
        crds: { install: true },
        admissionController: controller(3),
        backgroundController: controller(2),
        cleanupController: controller(2),
        reportsController: controller(2),
      },
      valueOverrides: props.valueOverrides,
    });
    this.policies = new HelmAddon(this, 'policies', {
      chart: CHARTS.kyvernoPolicies,
      namespace: KYVERNO_NAMESPACE,
      values: {
        podSecurityStandard: props.podSecurityStandard ?? 'restricted',
        validationFailureAction: props.validationFailureAction ?? 'Audit',
        vpolExclude: { excludeNamespaces: [...new Set([...ALWAYS_EXCLUDED, ...(props.excludeNamespaces ?? [])])] },
      },
      valueOverrides: props.policiesValueOverrides,
      dependsOn: [this.addon],
    });
  }
}
