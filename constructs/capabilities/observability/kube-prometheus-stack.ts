import { Construct } from 'constructs';
import { CHARTS } from '../../core/charts';
import { IdpkitError } from '../../core/errors';
import { AddonProps, HelmAddon, HelmValues, podSecurityNamespace } from '../../core/helm-addon';
import { KubernetesObject, ManifestsRelease, dependencyOf } from '../../core/manifests';
import { tierDefault } from '../../core/tiers';

/** Props of {@link KubePrometheusStack}. */
export interface KubePrometheusStackProps extends AddonProps {
  /** Replicated Prometheus (2) and Alertmanager (3) with disruption budgets and persistent volumes. @default - the tier's `highAvailability` (off in dev); true without a tier */
  readonly highAvailability?: boolean;
  /** How long Prometheus keeps samples, a Prometheus duration such as "15d". @default "15d" in HA, "3d" otherwise */
  readonly retention?: string;
  /** Size of each Prometheus replica's volume (HA only; dev keeps data in an emptyDir). @default 50 */
  readonly prometheusStorageGiB?: number;
  /** Size of each Alertmanager replica's volume (HA only). @default 2 */
  readonly alertmanagerStorageGiB?: number;
  /** Size of Grafana's volume (HA only). @default 10 */
  readonly grafanaStorageGiB?: number;
  /** StorageClass of every volume. @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /**
   * An existing Secret in the `monitoring` namespace with Grafana's admin login under the keys
   * `admin-user` and `admin-password`, which the caller creates and keeps (before the release
   * installs: Grafana does not start without it).
   * @default - generated in the cluster: by External Secrets into `grafana-admin` when
   * `externalSecrets` is given, otherwise by the grafana chart into `kube-prometheus-stack-grafana`
   */
  readonly grafanaAdminSecret?: string;
  /**
   * External Secrets' releases: Grafana's admin password is generated once by a `Password`
   * generator into the Secret `grafana-admin` (user `admin`), applied before the release.
   * @default - none: the grafana chart generates the password into its own Secret (kept across upgrades)
   */
  readonly externalSecrets?: readonly HelmAddon[];
  /**
   * Accept samples pushed by Prometheus remote write (`--web.enable-remote-write-receiver`) at
   * each replica's `/api/v1/write` ({@link prometheusRemoteWriteUrls}): for agents such as Alloy.
   * @default false
   */
  readonly remoteWriteReceiver?: boolean;
}

/** Namespace of kube-prometheus-stack. */
export const KUBE_PROMETHEUS_STACK_NAMESPACE = 'monitoring';

/** Release name of kube-prometheus-stack: the chart's resource names derive from it. */
export const KUBE_PROMETHEUS_STACK_RELEASE = 'kube-prometheus-stack';

/**
 * The Prometheus Service the chart creates (`<fullname>-prometheus`; the fullname is the release
 * name because it contains the chart name): what other add-ons query.
 */
export const KUBE_PROMETHEUS_STACK_PROMETHEUS = {
  serviceName: `${KUBE_PROMETHEUS_STACK_RELEASE}-prometheus`,
  namespace: KUBE_PROMETHEUS_STACK_NAMESPACE,
  port: 9090,
} as const;

/** The Secret External Secrets generates Grafana's admin login into. */
export const GRAFANA_ADMIN_SECRET = 'grafana-admin';

/** The login name of Grafana's generated admin. */
const GRAFANA_ADMIN_USER = 'admin';

/** The ESO generator API of the pinned external-secrets chart (2.9.0). */
const ESO_GENERATORS_API = 'generators.external-secrets.io/v1alpha1';

/**
 * A `Password` generator and an ExternalSecret that writes its output once (`refreshPolicy:
 * CreatedOnce`: never regenerated, so Grafana's login stays) into the Secret {@link GRAFANA_ADMIN_SECRET}
 * with the keys the chart reads: `admin-user` and `admin-password`.
 */
export function grafanaAdminObjects(namespace: string): KubernetesObject[] {
  const name = GRAFANA_ADMIN_SECRET;
  return [
    {
      apiVersion: ESO_GENERATORS_API,
      kind: 'Password',
      metadata: { name, namespace },
      // 32 letters and digits (about 190 bits): no symbols to escape wherever the login is typed or sent.
      spec: { length: 32, digits: 8, symbols: 0, noUpper: false, allowRepeat: true, secretKeys: ['admin-password'] },
    },
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name, namespace },
      spec: {
        refreshPolicy: 'CreatedOnce',
        refreshInterval: '0s',
        target: { name, creationPolicy: 'Owner', template: { mergePolicy: 'Merge', data: { 'admin-user': GRAFANA_ADMIN_USER } } },
        dataFrom: [{ sourceRef: { generatorRef: { apiVersion: ESO_GENERATORS_API, kind: 'Password', name } } }],
      },
    },
  ];
}

/** Prometheus replicas: a pair in HA (each scrapes everything), one otherwise. */
export const prometheusReplicas = (highAvailability: boolean): number => (highAvailability ? 2 : 1);

/**
 * The remote-write URL of each Prometheus replica, through the operator's headless Service
 * `prometheus-operated` (pods `prometheus-<Prometheus name>-<ordinal>`): an agent writes every
 * sample to each, so both replicas of an HA pair hold every series, as they would by scraping.
 * Writing through the load-balanced Service instead would split the series between them.
 */
export function prometheusRemoteWriteUrls(highAvailability: boolean): string[] {
  const { serviceName, namespace, port } = KUBE_PROMETHEUS_STACK_PROMETHEUS;
  return Array.from({ length: prometheusReplicas(highAvailability) }, (_, ordinal) => `http://prometheus-${serviceName}-${ordinal}.prometheus-operated.${namespace}.svc:${port}/api/v1/write`);
}

/** A Prometheus duration: a number and a unit (ms, s, m, h, d, w, y). */
const PROMETHEUS_DURATION = /^[0-9]+(ms|s|m|h|d|w|y)$/;
/** A DNS-1123 subdomain, what a Secret or StorageClass name must be. */
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A ReadWriteOnce volume claim of a size, in the given StorageClass or the default one. */
export function volumeClaimSpec(sizeGiB: number, storageClassName?: string): HelmValues {
  return {
    accessModes: ['ReadWriteOnce'],
    resources: { requests: { storage: `${sizeGiB}Gi` } },
    ...(storageClassName ? { storageClassName } : {}),
  };
}

/**
 * kube-prometheus-stack: the Prometheus Operator with Prometheus, Alertmanager, Grafana,
 * kube-state-metrics and node-exporter, in the `monitoring` namespace.
 *
 * - The namespace enforces the **privileged** Pod Security level: node-exporter needs the host's
 *   network, PID namespace and root filesystem (hostNetwork, hostPID, hostPath), which baseline forbids.
 * - Prometheus and Alertmanager select every ServiceMonitor, PodMonitor, Probe, ScrapeConfig and
 *   PrometheusRule in the cluster, not only this release's, so other add-ons' monitors are scraped.
 * - Control-plane components that managed clusters hide (etcd, controller manager, scheduler,
 *   kube-proxy) are not scraped: their targets would only ever be down.
 * - Grafana's admin login is generated in the cluster, never in values or state: by External
 *   Secrets (a `Password` generator, written once into `grafana-admin` before the release) when
 *   it is installed, otherwise by the grafana chart into its own Secret `kube-prometheus-stack-grafana`
 *   (the chart looks the Secret up on upgrades and keeps it); or it comes from the caller's Secret.
 * - In HA, Prometheus runs 2 replicas and Alertmanager 3, each with a disruption budget and a
 *   persistent volume, and Grafana keeps its database on a volume; otherwise one replica each with
 *   no volumes.
 *
 * @see https://github.com/prometheus-community/helm-charts/tree/main/charts/kube-prometheus-stack
 * @example
 * new KubePrometheusStack(this, 'kube-prometheus-stack', { highAvailability: true, retention: '30d' });
 */
export class KubePrometheusStack extends Construct {
  /** The Helm release. */
  readonly addon: HelmAddon;
  /** Grafana's admin login generator and its ExternalSecret, when External Secrets makes it. */
  readonly grafanaAdmin?: ManifestsRelease;

  constructor(scope: Construct, id: string, props: KubePrometheusStackProps = {}) {
    super(scope, id);
    const ha = props.highAvailability ?? tierDefault(this, (rules) => rules.highAvailability, true);
    const retention = props.retention ?? (ha ? '15d' : '3d');
    const prometheusStorageGiB = props.prometheusStorageGiB ?? 50;
    const alertmanagerStorageGiB = props.alertmanagerStorageGiB ?? 2;
    const grafanaStorageGiB = props.grafanaStorageGiB ?? 10;
    const generatedByExternalSecrets = props.grafanaAdminSecret === undefined && (props.externalSecrets ?? []).length > 0;
    const grafanaAdminSecret = props.grafanaAdminSecret ?? (generatedByExternalSecrets ? GRAFANA_ADMIN_SECRET : undefined);
    const problems = [
      ...(PROMETHEUS_DURATION.test(retention) ? [] : [`retention "${retention}" is not a Prometheus duration (expected e.g. 15d, 12h)`]),
      ...Object.entries({ prometheusStorageGiB, alertmanagerStorageGiB, grafanaStorageGiB })
        .filter(([, size]) => !Number.isInteger(size) || size < 1)
        .map(([name, size]) => `${name} ${size} is not a whole number of GiB >= 1`),
      ...(grafanaAdminSecret === undefined || DNS_1123_SUBDOMAIN.test(grafanaAdminSecret)
        ? []
        : [`grafanaAdminSecret "${grafanaAdminSecret}" is not a Secret name (a DNS-1123 subdomain)`]),
      ...(props.storageClassName === undefined || DNS_1123_SUBDOMAIN.test(props.storageClassName)
        ? []
        : [`storageClassName "${props.storageClassName}" is not a StorageClass name (a DNS-1123 subdomain)`]),
    ];
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems.map((problem) => `${this.node.path}: ${problem}`));

    const selectAll = Object.fromEntries(
      ['serviceMonitor', 'podMonitor', 'rule', 'probe', 'scrapeConfig'].map((kind) => [`${kind}SelectorNilUsesHelmValues`, false]),
    );
    this.addon = new HelmAddon(this, 'release', {
      chart: CHARTS.kubePrometheusStack,
      namespace: KUBE_PROMETHEUS_STACK_NAMESPACE,
      podSecurity: 'privileged',
      releaseName: KUBE_PROMETHEUS_STACK_RELEASE,
      values: {
        crds: { enabled: true },
        kubeEtcd: { enabled: false },
        kubeControllerManager: { enabled: false },
        kubeScheduler: { enabled: false },
        kubeProxy: { enabled: false },
        prometheus: {
          podDisruptionBudget: { enabled: ha },
          prometheusSpec: {
            replicas: prometheusReplicas(ha),
            retention,
            enableRemoteWriteReceiver: props.remoteWriteReceiver ?? false,
            // Leave headroom on the volume: Prometheus deletes the oldest blocks past this size.
            ...(ha ? { retentionSize: `${Math.floor(prometheusStorageGiB * 0.85)}GB` } : {}),
            ...selectAll,
            storageSpec: ha ? { volumeClaimTemplate: { spec: volumeClaimSpec(prometheusStorageGiB, props.storageClassName) } } : {},
          },
        },
        alertmanager: {
          podDisruptionBudget: { enabled: ha },
          alertmanagerSpec: {
            replicas: ha ? 3 : 1,
            storage: ha ? { volumeClaimTemplate: { spec: volumeClaimSpec(alertmanagerStorageGiB, props.storageClassName) } } : {},
          },
        },
        grafana: {
          // Without an existing Secret the chart generates the password into one of its own (admin user "admin").
          ...(grafanaAdminSecret ? { admin: { existingSecret: grafanaAdminSecret, userKey: 'admin-user', passwordKey: 'admin-password' } } : {}),
          persistence: {
            enabled: ha,
            ...(ha ? { size: `${grafanaStorageGiB}Gi`, ...(props.storageClassName ? { storageClassName: props.storageClassName } : {}) } : {}),
          },
          // A ReadWriteOnce volume cannot attach to the new pod while the old one still holds it.
          ...(ha ? { deploymentStrategy: { type: 'Recreate' } } : {}),
        },
      },
      valueOverrides: props.valueOverrides,
      dependsOn: props.dependsOn,
    });

    if (generatedByExternalSecrets) {
      // Created first at the stack's level, so the generator's release goes in after it.
      podSecurityNamespace(this, KUBE_PROMETHEUS_STACK_NAMESPACE, 'privileged');
      this.grafanaAdmin = new ManifestsRelease(this, 'grafana-admin', {
        releaseName: 'grafana-admin',
        namespace: KUBE_PROMETHEUS_STACK_NAMESPACE,
        manifests: grafanaAdminObjects(KUBE_PROMETHEUS_STACK_NAMESPACE),
        dependsOn: props.externalSecrets!,
      });
      // Grafana starts only once its Secret exists.
      this.addon.release.dependsOn = [...(this.addon.release.dependsOn ?? []), dependencyOf(this.grafanaAdmin.release)];
    }
  }
}
