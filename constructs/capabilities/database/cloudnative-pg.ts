import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { Construct } from 'constructs';
import { CHARTS } from '../../core/charts';
import { IdpkitError, describeValue } from '../../core/errors';
import { AddonProps, HelmAddon, podSecurityNamespace } from '../../core/helm-addon';
import { KubernetesObject, ManifestsRelease } from '../../core/manifests';
import { tierDefault } from '../../core/tiers';

/** PostgreSQL major versions idpkit offers for CloudNativePG clusters (CloudNativePG 1.30 operand images). */
export const CNPG_POSTGRES_VERSIONS = ['15', '16', '17', '18'] as const;

/** A PostgreSQL major version of {@link CNPG_POSTGRES_VERSIONS}. */
export type CnpgPostgresVersion = (typeof CNPG_POSTGRES_VERSIONS)[number];

/** Defaults of a CloudNativePG cluster. */
export const CNPG_CLUSTER_DEFAULTS = {
  /** PostgreSQL major version. */
  postgresVersion: '17' as CnpgPostgresVersion,
  /** Namespace of clusters that name none. */
  namespace: 'databases',
  /** Instances (one primary, the rest hot standbys) in HA tiers. */
  instancesHighAvailability: 3,
  /** Instances in dev. */
  instancesDev: 1,
  /** Application database (and its owner) created at bootstrap. */
  database: 'app',
} as const;

/** Namespace of the CloudNativePG operator. */
export const CLOUDNATIVE_PG_NAMESPACE = 'cnpg-system';

/** The operator's release name (also its pods' `app.kubernetes.io/instance` label). */
const OPERATOR_RELEASE = 'cloudnative-pg';

/** Where CloudNativePG publishes its PostgreSQL operand images, one tag per major version. */
export const CNPG_POSTGRES_IMAGE = 'ghcr.io/cloudnative-pg/postgresql';

const DNS_1123_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** CloudNativePG derives Service and Secret names (`<name>-rw`, `<name>-app`) from the cluster name. */
const MAX_CLUSTER_NAME = 50;

/** One PostgreSQL cluster run by CloudNativePG. */
export interface CnpgClusterProps {
  /** Cluster name (DNS label, at most 50 characters): its Services are `<name>-rw`, `-ro`, `-r`, its credentials `<name>-app`. */
  readonly name: string;
  /** Namespace of the cluster; created with the `restricted` Pod Security level. @default "databases" */
  readonly namespace?: string;
  /** PostgreSQL instances: one primary and hot standbys. @default 3 in HA, 1 otherwise */
  readonly instances?: number;
  /** Data volume per instance, GiB. */
  readonly storageGiB: number;
  /** Separate WAL volume per instance, GiB. @default - WAL on the data volume */
  readonly walStorageGiB?: number;
  /** PostgreSQL major version. @default "17" */
  readonly postgresVersion?: CnpgPostgresVersion;
  /** Application database and owner created at bootstrap. @default "app" */
  readonly database?: string;
}

/** Props of {@link CloudNativePg}. */
export interface CloudNativePgProps extends AddonProps {
  /**
   * Two operator replicas (one leader) spread over zones with a disruption budget; clusters
   * default to 3 instances spread over zones with synchronous replication. @default - the tier's `highAvailability` (off in dev); true without a tier
   */
  readonly highAvailability?: boolean;
  /** PodMonitors for the operator and every cluster (needs kube-prometheus-stack). @default false */
  readonly serviceMonitor?: boolean;
  /** PostgreSQL clusters to run. @default [] */
  readonly clusters?: readonly CnpgClusterProps[];
}

/** What is wrong with a list of clusters, one message per problem; `field` names the list. */
export function cnpgClusterProblems(field: string, clusters: readonly CnpgClusterProps[], highAvailability: boolean): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  clusters.forEach((cluster, i) => {
    const at = `${field}[${i}]`;
    if (!DNS_1123_LABEL.test(cluster.name) || cluster.name.length > MAX_CLUSTER_NAME) {
      problems.push(`${at}.name ${describeValue(cluster.name)} is not a cluster name (lowercase letters, digits and "-", starting with a letter, at most ${MAX_CLUSTER_NAME} characters)`);
    }
    const namespace = cluster.namespace ?? CNPG_CLUSTER_DEFAULTS.namespace;
    const key = `${namespace}/${cluster.name}`;
    if (seen.has(key)) problems.push(`${at}.name ${describeValue(cluster.name)} is used twice in namespace "${namespace}" (give each cluster its own name)`);
    seen.add(key);
    if (cluster.instances !== undefined && highAvailability && cluster.instances < 2) {
      problems.push(`${at}.instances ${cluster.instances} leaves no standby in a high-availability tier (give at least 2, or leave it out for 3)`);
    }
    if (!Number.isInteger(cluster.storageGiB) || cluster.storageGiB < 1) {
      problems.push(`${at}.storageGiB ${describeValue(cluster.storageGiB)} is not a whole number of GiB of at least 1`);
    }
  });
  return problems;
}

/** The CloudNativePG `Cluster` object of one cluster. */
export function cnpgCluster(cluster: CnpgClusterProps, highAvailability: boolean): KubernetesObject {
  const instances = cluster.instances ?? (highAvailability ? CNPG_CLUSTER_DEFAULTS.instancesHighAvailability : CNPG_CLUSTER_DEFAULTS.instancesDev);
  const database = cluster.database ?? CNPG_CLUSTER_DEFAULTS.database;
  const replicated = instances > 1;
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name: cluster.name, namespace: cluster.namespace ?? CNPG_CLUSTER_DEFAULTS.namespace, labels: { 'app.kubernetes.io/managed-by': 'idpkit' } },
    spec: {
      instances,
      imageName: `${CNPG_POSTGRES_IMAGE}:${cluster.postgresVersion ?? CNPG_CLUSTER_DEFAULTS.postgresVersion}`,
      primaryUpdateStrategy: 'unsupervised',
      primaryUpdateMethod: 'switchover',
      // Applications connect as the database owner (Secret `<name>-app`); no superuser password exists.
      enableSuperuserAccess: false,
      bootstrap: { initdb: { database, owner: database } },
      storage: { size: `${cluster.storageGiB}Gi` },
      ...(cluster.walStorageGiB ? { walStorage: { size: `${cluster.walStorageGiB}Gi` } } : {}),
      // A single instance with a disruption budget would block every node drain.
      enablePDB: replicated,
      affinity: { enablePodAntiAffinity: true, topologyKey: 'topology.kubernetes.io/zone', podAntiAffinityType: 'preferred' },
      // A commit waits for one standby, so a failover loses no acknowledged transaction.
      ...(replicated ? { postgresql: { synchronous: { method: 'any', number: 1 } } } : {}),
    },
  };
}

/** A PodMonitor scraping every instance of a cluster on its `metrics` port. */
export function cnpgPodMonitor(cluster: CnpgClusterProps): KubernetesObject {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: { name: cluster.name, namespace: cluster.namespace ?? CNPG_CLUSTER_DEFAULTS.namespace },
    spec: {
      selector: { matchLabels: { 'cnpg.io/cluster': cluster.name, 'cnpg.io/podRole': 'instance' } },
      podMetricsEndpoints: [{ port: 'metrics' }],
    },
  };
}

/**
 * CloudNativePG, the PostgreSQL operator, and the PostgreSQL clusters it runs.
 *
 * - The operator (chart `cloudnative-pg`, cluster-wide, CRDs included) runs two replicas in HA,
 *   one leader, spread over zones, with a disruption budget of its own (the chart has none).
 * - The namespace enforces the **restricted** Pod Security level: the chart runs the operator
 *   non-root, read-only, without capabilities and with the RuntimeDefault seccomp profile.
 * - Each cluster is a `Cluster` object applied by idpkit's manifests chart after the operator
 *   (release `cnpg-clusters`), in a restricted namespace idpkit creates: 3 instances spread over
 *   zones with synchronous replication and a disruption budget in HA, 1 in dev. The operator
 *   generates the application credentials (Secret `<name>-app`); no password is ever written here.
 * - With `serviceMonitor`, PodMonitors scrape the operator and each cluster's instances.
 * - Backups to object storage are not configured: CloudNativePG 1.26+ backs up through the
 *   barman-cloud plugin, which idpkit does not install yet (see docs/addons-databases.md).
 *
 * @see https://cloudnative-pg.io/documentation/current/
 * @see https://github.com/cloudnative-pg/charts/tree/main/charts/cloudnative-pg
 * @example
 * new CloudNativePg(this, 'cloudnative-pg', { highAvailability: true, clusters: [{ name: 'orders', storageGiB: 20 }] });
 */
export class CloudNativePg extends Construct {
  /** The operator's Helm release. */
  readonly addon: HelmAddon;
  /** The clusters (and their PodMonitors), when any are given. */
  readonly clusters?: ManifestsRelease;
  /** The operator's disruption budget, in HA. */
  readonly podDisruptionBudget?: PodDisruptionBudgetV1;

  constructor(scope: Construct, id: string, props: CloudNativePgProps = {}) {
    super(scope, id);
    const ha = props.highAvailability ?? tierDefault(this, (rules) => rules.highAvailability, true);
    const monitored = props.serviceMonitor ?? false;
    const clusters = props.clusters ?? [];
    const problems = cnpgClusterProblems(`${this.node.path}: clusters`, clusters, ha);
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);

    const selector = { 'app.kubernetes.io/name': CHARTS.cloudnativePg.chart, 'app.kubernetes.io/instance': OPERATOR_RELEASE };
    this.addon = new HelmAddon(this, 'release', {
      chart: CHARTS.cloudnativePg,
      releaseName: OPERATOR_RELEASE,
      namespace: CLOUDNATIVE_PG_NAMESPACE,
      values: {
        replicaCount: ha ? 2 : 1,
        crds: { create: true },
        config: { clusterWide: true },
        monitoring: { podMonitorEnabled: monitored },
        ...(ha
          ? { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } }] }
          : {}),
      },
      valueOverrides: props.valueOverrides,
      dependsOn: props.dependsOn,
    });

    if (ha) {
      const namespace = podSecurityNamespace(this, CLOUDNATIVE_PG_NAMESPACE, 'restricted');
      this.podDisruptionBudget = new PodDisruptionBudgetV1(this, 'pdb', {
        metadata: { name: OPERATOR_RELEASE, namespace: namespace.metadata.name },
        spec: { minAvailable: '1', selector: { matchLabels: selector } },
      });
    }

    if (clusters.length > 0) {
      // Objects name their namespace by reference: the namespaces (idpkit's, labelled for Pod
      // Security) exist before the release, and the release goes after them.
      const namespaceOf = (cluster: CnpgClusterProps) => podSecurityNamespace(this, cluster.namespace ?? CNPG_CLUSTER_DEFAULTS.namespace, 'restricted').metadata.name;
      const placed = clusters.map((cluster) => ({ ...cluster, namespace: namespaceOf(cluster) }));
      const manifests: KubernetesObject[] = [...placed.map((cluster) => cnpgCluster(cluster, ha)), ...(monitored ? placed.map(cnpgPodMonitor) : [])];
      this.clusters = new ManifestsRelease(this, 'clusters', {
        releaseName: 'cnpg-clusters',
        namespace: CLOUDNATIVE_PG_NAMESPACE,
        manifests,
        dependsOn: [this.addon, ...(props.dependsOn ?? [])],
      });
    }
  }
}
