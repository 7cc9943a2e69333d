import { Construct } from 'constructs';
import { CHARTS } from '../../core/charts';
import { AddonProps, HelmAddon } from '../../core/helm-addon';
import { KubernetesObject, ManifestsRelease } from '../../core/manifests';
import { tierDefault } from '../../core/tiers';

/** Props of {@link CertManager}. */
export interface CertManagerProps extends AddonProps {
  /** Replicated controller, webhook and CA injector with disruption budgets. @default - the tier's `highAvailability` (off in dev); true without a tier */
  readonly highAvailability?: boolean;
  /** Create a Prometheus Operator ServiceMonitor (needs kube-prometheus-stack). @default false */
  readonly serviceMonitor?: boolean;
  /** An ACME (Let's Encrypt) ClusterIssuer named `letsencrypt`, solving HTTP-01 through an ingress class. @default - none */
  readonly acme?: AcmeIssuerProps;
}

/** An ACME ClusterIssuer. */
export interface AcmeIssuerProps {
  /** Account e-mail for expiry notices. */
  readonly email: string;
  /** Ingress class that serves HTTP-01 challenges. */
  readonly ingressClassName: string;
  /** Let's Encrypt production, or its staging endpoint for trials. @default "production" */
  readonly server?: 'production' | 'staging';
}

/** Let's Encrypt ACME directories. */
export const ACME_SERVERS = {
  production: 'https://acme-v02.api.letsencrypt.org/directory',
  staging: 'https://acme-staging-v02.api.letsencrypt.org/directory',
} as const;

/** Name of the ACME (Let's Encrypt) ClusterIssuer cert-manager gets with `acme`. */
export const ACME_CLUSTER_ISSUER = 'letsencrypt';

/** Namespace of cert-manager. */
export const CERT_MANAGER_NAMESPACE = 'cert-manager';

/**
 * cert-manager from the jetstack OCI registry with its ClusterIssuers, CRDs installed and kept on uninstall, replicated
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
  /** The ClusterIssuers: `selfsigned` always, `letsencrypt` with `acme`. */
  readonly issuers: ManifestsRelease;

  constructor(scope: Construct, id: string, props: CertManagerProps = {}) {
    super(scope, id);
    const ha = props.highAvailability ?? tierDefault(this, (rules) => rules.highAvailability, true);
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
    const issuers: KubernetesObject[] = [
      { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'selfsigned' }, spec: { selfSigned: {} } },
    ];
    if (props.acme) {
      issuers.push({
        apiVersion: 'cert-manager.io/v1',
        kind: 'ClusterIssuer',
        metadata: { name: ACME_CLUSTER_ISSUER },
        spec: {
          acme: {
            email: props.acme.email,
            server: ACME_SERVERS[props.acme.server ?? 'production'],
            privateKeySecretRef: { name: 'letsencrypt-account-key' },
            solvers: [{ http01: { ingress: { ingressClassName: props.acme.ingressClassName } } }],
          },
        },
      });
    }
    this.issuers = new ManifestsRelease(this, 'issuers', {
      releaseName: 'cluster-issuers',
      namespace: CERT_MANAGER_NAMESPACE,
      manifests: issuers,
      dependsOn: [this.addon],
    });
  }
}
