import { Construct } from 'constructs';
import { CHARTS } from '../../core/charts';
import { HelmAddon, HelmValues } from '../../core/helm-addon';
import { ManifestsRelease } from '../../core/manifests';

/** Mesh-wide mutual TLS mode. */
export type IstioMtlsMode = 'PERMISSIVE' | 'STRICT';

/** Props of {@link Istio}. */
export interface IstioProps {
  /** istiod autoscaled from 2 replicas and the gateway from 2, both with disruption budgets. @default true */
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
  /** Escape hatch: chart values merged over idpkit's, by release (`istio-base`, `istiod`, `istio-ingress`). @default {} */
  readonly valueOverrides?: Readonly<Record<string, HelmValues | undefined>>;
}

/** Namespace of the Istio control plane. */
export const ISTIO_NAMESPACE = 'istio-system';
/** Namespace of the ingress gateway. */
export const ISTIO_INGRESS_NAMESPACE = 'istio-ingress';

/**
 * Istio in sidecar mode: `base` (CRDs and cluster roles), then `istiod` (control plane and sidecar
 * injector), then an ingress `gateway`, each release after the one before.
 *
 * - istiod: autoscaled 2 to 5 replicas with a disruption budget in HA; one replica without a
 *   budget otherwise (a budget on one replica would block node drains). Access logs go to stdout
 *   as JSON; sidecars use mTLS with each other automatically.
 * - Gateway: autoscaled from 2 replicas with a disruption budget in HA, one replica otherwise.
 * - Pod Security: `istio-system` enforces **restricted** (istiod runs non-root, read-only, with the
 *   RuntimeDefault seccomp profile idpkit sets); `istio-ingress` enforces **baseline** because the
 *   gateway sets the `net.ipv4.ip_unprivileged_port_start` sysctl to bind ports 80 and 443 without root.
 *   Application namespaces with injected sidecars need NET_ADMIN for the init container (or Istio CNI,
 *   not installed here).
 *
 * @see https://istio.io/latest/docs/setup/install/helm/
 * @example
 * new Istio(this, 'istio', { highAvailability: true, gatewayServiceAnnotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' } });
 */
export class Istio extends Construct {
  /** `base`: CRDs and cluster-wide resources. */
  readonly base: HelmAddon;
  /** `istiod`: the control plane. */
  readonly istiod: HelmAddon;
  /** The ingress gateway, when installed. */
  readonly gateway?: HelmAddon;
  /** The mesh-wide PeerAuthentication. */
  readonly peerAuthentication: ManifestsRelease;

  constructor(scope: Construct, id: string, props: IstioProps = {}) {
    super(scope, id);
    const ha = props.highAvailability ?? true;
    const overrides = props.valueOverrides ?? {};
    this.base = new HelmAddon(this, 'base', {
      chart: CHARTS.istioBase,
      namespace: ISTIO_NAMESPACE,
      releaseName: 'istio-base',
      values: { defaultRevision: 'default' },
      valueOverrides: overrides['istio-base'],
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
        global: { defaultPodDisruptionBudget: { enabled: ha } },
        meshConfig: {
          accessLogFile: '/dev/stdout',
          accessLogEncoding: 'JSON',
          enableAutoMtls: true,
          enablePrometheusMerge: true,
        },
      },
      valueOverrides: overrides.istiod,
      dependsOn: [this.base],
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
