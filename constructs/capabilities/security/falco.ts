import { Construct } from 'constructs';
import { CHARTS } from '../../core/charts';
import { AddonProps, HelmAddon, NODE_AGENT_TOLERATIONS } from '../../core/helm-addon';

/** Props of {@link Falco}. */
export interface FalcoProps extends AddonProps {
  /** Expose Falco's metrics and create a ServiceMonitor (needs kube-prometheus-stack). @default false */
  readonly serviceMonitor?: boolean;
  /** Install Falcosidekick, which forwards alerts to chat, SIEMs and queues (configure its outputs through `valueOverrides`). @default false */
  readonly falcosidekick?: boolean;
}

/** Namespace of Falco. */
export const FALCO_NAMESPACE = 'falco';

/**
 * Falco, runtime threat detection from kernel events, as a DaemonSet in the `falco` namespace.
 *
 * - Uses the modern eBPF probe (`driver.kind: modern_ebpf`): CO-RE, built into Falco, no kernel
 *   module or driver download; Falco 0.44 removed the legacy eBPF probe.
 * - Enriches events with Kubernetes metadata through the k8s-metacollector and the k8smeta plugin.
 * - Writes alerts as JSON to stdout, ready for any log pipeline (Alloy ships them to Loki).
 * - The namespace enforces the **privileged** Pod Security level: the probe needs privileged
 *   containers (or BPF/PERFMON/SYS_RESOURCE capabilities) and host mounts of /proc, /sys and /etc.
 * - One pod per node by construction, so there is nothing to replicate in HA.
 *
 * @see https://falco.org/docs/setup/kubernetes/
 * @example
 * new Falco(this, 'falco', { serviceMonitor: true });
 */
export class Falco extends Construct {
  /** The Helm release. */
  readonly addon: HelmAddon;

  constructor(scope: Construct, id: string, props: FalcoProps = {}) {
    super(scope, id);
    const monitored = props.serviceMonitor ?? false;
    this.addon = new HelmAddon(this, 'release', {
      chart: CHARTS.falco,
      namespace: FALCO_NAMESPACE,
      podSecurity: 'privileged',
      values: {
        driver: { enabled: true, kind: 'modern_ebpf' },
        collectors: { kubernetes: { enabled: true } },
        falco: { json_output: true },
        metrics: { enabled: monitored },
        serviceMonitor: { create: monitored },
        falcosidekick: { enabled: props.falcosidekick ?? false },
        tolerations: [...NODE_AGENT_TOLERATIONS],
      },
      valueOverrides: props.valueOverrides,
      dependsOn: props.dependsOn,
    });
  }
}
