import { Construct } from 'constructs';
import { CHARTS } from '../../core/charts';
import type { Cloud } from '../../core/clouds';
import { HelmAddon, HelmValues } from '../../core/helm-addon';
import { ManifestsRelease } from '../../core/manifests';
import { tierDefault } from '../../core/tiers';

/** Mesh-wide mutual TLS mode. */
export type IstioMtlsMode = 'PERMISSIVE' | 'STRICT';

/** Props of {@link Istio}. */
export interface IstioProps {
  /** istiod autoscaled from 2 replicas and the gateway from 2, both with disruption budgets. @default - the tier's `highAvailability` (off in dev); true without a tier */
  readonly highAvailability?: boolean;
  /**
   * Mesh-wide mTLS (a PeerAuthentication `default` in istio-system): PERMISSIVE accepts plain text
   * from workloads outside the mesh while sidecars talk mTLS to each other; STRICT refuses plain text.
   * @default "PERMISSIVE"
   */
  readonly mtlsMode?: IstioMtlsMode;
  /** Install an ingress gateway (a LoadBalancer Service) in `istio-ingress`. @default true */
  readonly gateway?: boolean;
  /** Annotations of the gateway's Service, e.g. the cloud's load balancer type or internal scheme. @default {} */
  readonly gatewayServiceAnnotations?: Readonly<Record<string, string>>;
  /**
   * The cluster's cloud, for the CNI node agent's paths: GKE keeps CNI binaries in
   * `/home/kubernetes/bin` and admits `system-node-critical` pods only in namespaces with a quota.
   * @default - the standard paths (`/opt/cni/bin`, `/etc/cni/net.d`), as on EKS and AKS
   */
  readonly cloud?: Cloud;
  /** Add-ons the CNI node agent installs after, e.g. Cilium, whose CNI configuration it chains onto. @default [] */
  readonly dependsOn?: readonly HelmAddon[];
  /** Escape hatch: chart values merged over idpkit's, by release (`istio-base`, `istio-cni`, `istiod`, `istio-ingress`). @default {} */
  readonly valueOverrides?: Readonly<Record<string, HelmValues | undefined>>;
}

/** Namespace of the Istio control plane. */
export const ISTIO_NAMESPACE = 'istio-system';
/** Namespace of the ingress gateway. */
export const ISTIO_INGRESS_NAMESPACE = 'istio-ingress';
/** Namespace of the Istio CNI node agent: its own, privileged (the agent writes the node's CNI configuration). */
export const ISTIO_CNI_NAMESPACE = 'istio-cni';

/**
 * Values of the `cni` chart that differ by cloud. The agent chains its plugin onto the cluster's
 * own CNI configuration (VPC CNI, or Cilium chained onto it, on EKS; Azure CNI powered by Cilium on
 * AKS; Dataplane V2 on GKE). GKE's platform profile adds the ResourceQuota that lets its
 * `system-node-critical` pods run outside kube-system.
 */
const CNI_PLATFORM_VALUES: Readonly<Record<Cloud, HelmValues>> = {
  aws: {},
  azure: {},
  gcp: { global: { platform: 'gke' }, cniBinDir: '/home/kubernetes/bin' },
};

/**
 * Istio in sidecar mode: `base` (CRDs and cluster roles), then the `cni` node agent, then `istiod`
 * (control plane and sidecar injector), then an ingress `gateway`, each release after the one before.
 *
 * - Traffic redirection by the Istio CNI node agent (`istio-cni`, a DaemonSet chained onto the
 *   cluster's CNI), not by an `istio-init` container in every pod: `istio-init` needs NET_ADMIN and
 *   NET_RAW, which the restricted Pod Security level (namespace labels, Kyverno's policies) rejects.
 *   Injected pods get the `istio-validation` init container instead, which drops every capability,
 *   and both it and the `istio-proxy` sidecar run as UID 1337, non-root, read-only, without
 *   privilege escalation and with the RuntimeDefault seccomp profile: they meet restricted.
 *   The agent's own namespace `istio-cni` enforces **privileged** (it writes to the node's CNI
 *   directories and enters pod network namespaces).
 *
 * - istiod: autoscaled 2 to 5 replicas with a disruption budget in HA; one replica without a
 *   budget otherwise (a budget on one replica would block node drains). Access logs go to stdout
 *   as JSON; sidecars use mTLS with each other automatically.
 * - Gateway: autoscaled from 2 replicas with a disruption budget in HA, one replica otherwise.
 * - Pod Security: `istio-system` enforces **restricted** (istiod runs non-root, read-only, with the
 *   RuntimeDefault seccomp profile idpkit sets); `istio-ingress` enforces **baseline** because the
 *   gateway sets the `net.ipv4.ip_unprivileged_port_start` sysctl to bind ports 80 and 443 without root.
 *
 * @see https://istio.io/latest/docs/setup/install/helm/
 * @see https://istio.io/latest/docs/setup/additional-setup/cni/
 * @example
 * new Istio(this, 'istio', { highAvailability: true, gatewayServiceAnnotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' } });
 */
export class Istio extends Construct {
  /** `base`: CRDs and cluster-wide resources. */
  readonly base: HelmAddon;
  /** `cni`: the node agent that redirects injected pods' traffic. */
  readonly cni: HelmAddon;
  /** `istiod`: the control plane. */
  readonly istiod: HelmAddon;
  /** The ingress gateway, when installed. */
  readonly gateway?: HelmAddon;
  /** The mesh-wide PeerAuthentication. */
  readonly peerAuthentication: ManifestsRelease;

  constructor(scope: Construct, id: string, props: IstioProps = {}) {
    super(scope, id);
    const ha = props.highAvailability ?? tierDefault(this, (rules) => rules.highAvailability, true);
    const overrides = props.valueOverrides ?? {};
    this.base = new HelmAddon(this, 'base', {
      chart: CHARTS.istioBase,
      namespace: ISTIO_NAMESPACE,
      releaseName: 'istio-base',
      values: { defaultRevision: 'default' },
      valueOverrides: overrides['istio-base'],
    });
    this.cni = new HelmAddon(this, 'cni', {
      chart: CHARTS.istioCni,
      namespace: ISTIO_CNI_NAMESPACE,
      podSecurity: 'privileged',
      releaseName: 'istio-cni',
      values: { chained: true, ...CNI_PLATFORM_VALUES[props.cloud ?? 'aws'] },
      valueOverrides: overrides['istio-cni'],
      dependsOn: [this.base, ...(props.dependsOn ?? [])],
    });
    this.istiod = new HelmAddon(this, 'istiod', {
      chart: CHARTS.istiod,
      namespace: ISTIO_NAMESPACE,
      releaseName: 'istiod',
      values: {
        autoscaleEnabled: ha,
        autoscaleMin: ha ? 2 : 1,
        autoscaleMax: 5,
        replicaCount: ha ? 2 : 1,
        seccompProfile: { type: 'RuntimeDefault' },
        // Injected pods leave redirection to the CNI agent: istio-validation instead of istio-init.
        cni: { enabled: true },
        global: { defaultPodDisruptionBudget: { enabled: ha }, proxy: { seccompProfile: { type: 'RuntimeDefault' } } },
        meshConfig: {
          accessLogFile: '/dev/stdout',
          accessLogEncoding: 'JSON',
          enableAutoMtls: true,
          enablePrometheusMerge: true,
        },
      },
      valueOverrides: overrides.istiod,
      dependsOn: [this.base, this.cni],
    });
    this.peerAuthentication = new ManifestsRelease(this, 'peer-authentication', {
      releaseName: 'istio-mesh-policy',
      namespace: ISTIO_NAMESPACE,
      manifests: [
        {
          apiVersion: 'security.istio.io/v1',
          kind: 'PeerAuthentication',
          metadata: { name: 'default', namespace: ISTIO_NAMESPACE },
          spec: { mtls: { mode: props.mtlsMode ?? 'PERMISSIVE' } },
        },
      ],
      dependsOn: [this.istiod],
    });
    if (props.gateway ?? true) {
      this.gateway = new HelmAddon(this, 'gateway', {
        chart: CHARTS.istioGateway,
        namespace: ISTIO_INGRESS_NAMESPACE,
        podSecurity: 'baseline',
        releaseName: 'istio-ingress',
        // The gateway chart's schema is strict: only its own top-level keys.
        values: {
          ...(ha ? { autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 5 } } : { autoscaling: { enabled: false }, replicaCount: 1 }),
          podDisruptionBudget: ha ? { minAvailable: 1 } : {},
          service: { annotations: { ...(props.gatewayServiceAnnotations ?? {}) } },
        },
        valueOverrides: overrides['istio-ingress'],
        dependsOn: [this.istiod],
      });
    }
  }
}
