import { Construct } from 'constructs';
import { CHARTS } from '../../core/charts';
import { AddonProps, HelmAddon } from '../../core/helm-addon';
import { tierDefault } from '../../core/tiers';

/** Props of {@link CiliumChaining}. */
export interface CiliumChainingProps extends AddonProps {
  /** Two operator replicas and a replicated Hubble relay. @default - the tier's `highAvailability` (off in dev); true without a tier */
  readonly highAvailability?: boolean;
  /** Create ServiceMonitors for the agent, operator and Hubble (needs kube-prometheus-stack). @default false */
  readonly serviceMonitor?: boolean;
}

/** Namespace of Cilium: its own, privileged (the agent programs eBPF on every node). */
export const CILIUM_NAMESPACE = 'cilium';

/**
 * Cilium on EKS in chaining mode beside the Amazon VPC CNI: the VPC CNI keeps assigning VPC IPs to
 * pods, Cilium adds eBPF network policy (L3-L7), transparent encryption options and Hubble flow
 * visibility. Native routing, no masquerading (VPC routing already reaches pods). AKS (Azure CNI
 * powered by Cilium) and GKE (Dataplane V2) run Cilium-based dataplanes of their own, so idpkit
 * installs this on EKS only.
 *
 * The namespace enforces the **privileged** Pod Security level: the agent is a privileged
 * host-network DaemonSet.
 *
 * @see https://docs.cilium.io/en/stable/installation/cni-chaining-aws-cni/
 * @example
 * new CiliumChaining(this, 'cilium', { highAvailability: true });
 */
export class CiliumChaining extends Construct {
  /** The Helm release. */
  readonly addon: HelmAddon;

  constructor(scope: Construct, id: string, props: CiliumChainingProps = {}) {
    super(scope, id);
    const ha = props.highAvailability ?? tierDefault(this, (rules) => rules.highAvailability, true);
    const monitored = props.serviceMonitor ?? false;
    this.addon = new HelmAddon(this, 'release', {
      chart: CHARTS.cilium,
      namespace: CILIUM_NAMESPACE,
      podSecurity: 'privileged',
      values: {
        cni: { chainingMode: 'aws-cni', exclusive: false },
        enableIPv4Masquerade: false,
        routingMode: 'native',
        endpointRoutes: { enabled: true },
        operator: { replicas: ha ? 2 : 1, prometheus: { enabled: true, serviceMonitor: { enabled: monitored } } },
        prometheus: { enabled: true, serviceMonitor: { enabled: monitored } },
        hubble: { enabled: true, relay: { enabled: true, replicas: ha ? 2 : 1 }, metrics: { serviceMonitor: { enabled: monitored } } },
      },
      valueOverrides: props.valueOverrides,
      dependsOn: props.dependsOn,
    });
  }
}
