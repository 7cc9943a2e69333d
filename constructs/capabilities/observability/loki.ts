import { Construct } from 'constructs';
import { CHARTS } from '../../core/charts';
import { IdpkitError } from '../../core/errors';
import { AddonProps, HelmAddon } from '../../core/helm-addon';
import { NODE_MACHINE_TYPES, NodeAllocatable, nodeAllocatable } from '../../infrastructure/cluster/node-sizes';
import type { WorkloadIdentity } from '../../integration/identity';
import { tierDefault } from '../../core/tiers';

/** Namespace and service account of Loki. */
export const LOKI_NAMESPACE = 'loki';
export const LOKI_SERVICE_ACCOUNT = 'loki';

/** Where agents push logs: the chart's gateway Service (`<release>-gateway`, port 80) in front of Loki. */
export const LOKI_PUSH_URL = `http://loki-gateway.${LOKI_NAMESPACE}.svc/loki/api/v1/push`;

/** Where Loki keeps chunks and rules: the cloud's object storage, reached through workload identity (no keys). */
export type LokiStorage =
  | { readonly cloud: 'aws'; readonly region: string; readonly chunksBucket: string; readonly rulerBucket: string }
  | { readonly cloud: 'azure'; readonly storageAccountName: string; readonly chunksBucket: string; readonly rulerBucket: string }
  | { readonly cloud: 'gcp'; readonly chunksBucket: string; readonly rulerBucket: string };

/** Props of {@link Loki}. */
export interface LokiProps extends AddonProps {
  /** The cloud identity of Loki's service account (read-write on its buckets only). */
  readonly identity: WorkloadIdentity;
  /** The buckets. */
  readonly storage: LokiStorage;
  /** Days logs are kept (compactor retention). @default 30 */
  readonly retentionDays?: number;
  /** Three replicas with replication factor 3 and a disruption budget; otherwise one. @default - the tier's `highAvailability` (off in dev); true without a tier */
  readonly highAvailability?: boolean;
  /**
   * The largest node Loki's pods can land on: the chunks and results caches (HA only) are sized to
   * a share of it, so each cache pod fits a node with room to spare.
   * @default - a node of the smallest preset size on the storage's cloud (2 vCPUs, 8 GiB)
   */
  readonly largestNode?: NodeAllocatable;
}

/** The chart's own cache sizes (loki 18.11.0 `chunksCache.allocatedMemory`, `resultsCache.allocatedMemory`), MiB: the caches never grow past them. */
const CHART_CACHE_MIB = { chunks: 8192, results: 1024 } as const;

/** Share of the largest node's allocatable CPU and memory each cache's pod may request. */
const CACHE_NODE_SHARE = { chunks: 1 / 4, results: 1 / 16 } as const;

/** The chart requests (and limits) 1.2 x `allocatedMemory` for a memcached pod (templates/memcached/_memcached-statefulset.tpl). */
const MEMCACHED_REQUEST_FACTOR = 1.2;

/** The chart's memcached CPU (`allocatedCPU`), millicores: the caches never ask for more. */
const CHART_CACHE_MILLICORES = 500;

/**
 * Requests of Loki's other containers (the chart sets none), small enough for the smallest preset
 * node beside everything else: the Loki binary, the nginx gateway, the rules sidecar, the memcached
 * exporters and the canary DaemonSet.
 */
const REQUESTS = {
  singleBinary: { cpu: '250m', memory: '1Gi' },
  gateway: { cpu: '50m', memory: '64Mi' },
  sidecar: { cpu: '10m', memory: '64Mi' },
  memcachedExporter: { cpu: '10m', memory: '32Mi' },
  lokiCanary: { cpu: '10m', memory: '32Mi' },
} as const;

/**
 * One memcached cache's `allocatedMemory` and `allocatedCPU`: its share of the node (the pod
 * requests 1.2 x the memory), in whole 64 MiB steps, never more than the chart's own size.
 */
function cacheSize(cache: keyof typeof CHART_CACHE_MIB, node: NodeAllocatable): { allocatedMemory: number; allocatedCPU: string } {
  const memoryMiB = Math.floor((node.memoryMiB * CACHE_NODE_SHARE[cache]) / MEMCACHED_REQUEST_FACTOR / 64) * 64;
  return {
    allocatedMemory: Math.max(64, Math.min(CHART_CACHE_MIB[cache], memoryMiB)),
    allocatedCPU: `${Math.max(10, Math.min(CHART_CACHE_MILLICORES, Math.floor(node.cpuMillicores * CACHE_NODE_SHARE[cache])))}m`,
  };
}

/** Loki's name of each cloud's object store (`loki.storage.type`, `object_store` of the schema). */
const OBJECT_STORE = { aws: 's3', azure: 'azure', gcp: 'gcs' } as const;

/** The `loki.storage` values of each cloud: bucket names, and credentials from the workload identity. */
function storageValues(storage: LokiStorage): Record<string, unknown> {
  const bucketNames = { chunks: storage.chunksBucket, ruler: storage.rulerBucket };
  switch (storage.cloud) {
    case 'aws':
      return { type: 's3', bucketNames, s3: { region: storage.region } };
    case 'azure':
      return { type: 'azure', bucketNames, azure: { accountName: storage.storageAccountName, useFederatedToken: true } };
    case 'gcp':
      return { type: 'gcs', bucketNames };
  }
}

/**
 * Grafana Loki (grafana-community chart) in Monolithic mode, which scales to several replicas on
 * object storage: chunks and rules in the cloud's buckets through workload identity (no access
 * keys), TSDB schema v13, compactor retention, replication factor 3 in HA. Single tenant
 * (`auth_enabled: false`): in-cluster agents push without an org id.
 *
 * Every container requests resources. In HA the memcached chunks and results caches run, sized to a
 * quarter and a sixteenth of the largest node's allocatable memory (at most the chart's 8 GiB and
 * 1 GiB): the chart's 8 GiB chunks cache requests 9.6 GiB, more than an 8 GiB node offers.
 *
 * @see https://grafana.com/docs/loki/latest/setup/install/helm/
 * @example
 * declare const identity: WorkloadIdentity;
 * new Loki(this, 'loki', { identity, storage: { cloud: 'gcp', chunksBucket: 'p-prod-loki-chunks', rulerBucket: 'p-prod-loki-ruler' } });
 */
export class Loki extends Construct {
  /** The Helm release. */
  readonly addon: HelmAddon;

  constructor(scope: Construct, id: string, props: LokiProps) {
    super(scope, id);
    const ha = props.highAvailability ?? tierDefault(this, (rules) => rules.highAvailability, true);
    const retentionDays = props.retentionDays ?? 30;
    if (!Number.isInteger(retentionDays) || retentionDays < 1) {
      throw new IdpkitError('IDPKIT_INVALID_PROPS', [`${this.node.path}: retentionDays ${retentionDays} is not a whole number of days, at least 1`]);
    }
    const replicas = ha ? 3 : 1;
    const objectStore = OBJECT_STORE[props.storage.cloud];
    const node = props.largestNode ?? nodeAllocatable(props.storage.cloud, NODE_MACHINE_TYPES.small[props.storage.cloud])!;
    this.addon = new HelmAddon(this, 'release', {
      chart: CHARTS.loki,
      namespace: LOKI_NAMESPACE,
      podSecurity: 'baseline',
      values: {
        deploymentMode: 'Monolithic',
        loki: {
          auth_enabled: false,
          commonConfig: { replication_factor: replicas },
          storage: storageValues(props.storage),
          schemaConfig: {
            configs: [{ from: '2024-04-01', store: 'tsdb', object_store: objectStore, schema: 'v13', index: { prefix: 'index_', period: '24h' } }],
          },
          limits_config: { retention_period: `${retentionDays * 24}h` },
          compactor: { retention_enabled: true, delete_request_store: objectStore },
        },
        singleBinary: {
          replicas,
          persistence: { enabled: true },
          podDisruptionBudget: { enabled: ha },
          podLabels: { ...props.identity.podLabels },
          resources: { requests: REQUESTS.singleBinary },
        },
        read: { replicas: 0 },
        write: { replicas: 0 },
        backend: { replicas: 0 },
        gateway: { resources: { requests: REQUESTS.gateway } },
        sidecar: { resources: { requests: REQUESTS.sidecar } },
        lokiCanary: { resources: { requests: REQUESTS.lokiCanary } },
        memcachedExporter: { resources: { requests: REQUESTS.memcachedExporter } },
        chunksCache: { enabled: ha, ...(ha ? cacheSize('chunks', node) : {}) },
        resultsCache: { enabled: ha, ...(ha ? cacheSize('results', node) : {}) },
        minio: { enabled: false },
        serviceAccount: { create: true, name: LOKI_SERVICE_ACCOUNT, annotations: { ...props.identity.serviceAccountAnnotations } },
      },
      valueOverrides: props.valueOverrides,
      dependsOn: props.dependsOn,
    });
  }
}
