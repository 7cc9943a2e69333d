import { Construct } from 'constructs';
import { CHARTS } from '../../core/charts';
import { IdpkitError } from '../../core/errors';
import { AddonProps, HelmAddon } from '../../core/helm-addon';
import type { WorkloadIdentity } from '../../integration/identity';

/** Namespace and service account of Loki. */
export const LOKI_NAMESPACE = 'loki';
export const LOKI_SERVICE_ACCOUNT = 'loki';

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
  /** Three replicas with replication factor 3 and a disruption budget; otherwise one. @default true */
  readonly highAvailability?: boolean;
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
 * @see https://grafana.com/docs/loki/latest/setup/install/helm/
 * @example
 * new Loki(this, 'loki', { identity, storage: { cloud: 'gcp', chunksBucket: 'p-prod-loki-chunks', rulerBucket: 'p-prod-loki-ruler' } });
 */
export class Loki extends Construct {
  /** The Helm release. */
  readonly addon: HelmAddon;

  constructor(scope: Construct, id: string, props: LokiProps) {
    super(scope, id);
    const ha = props.highAvailability ?? true;
    const retentionDays = props.retentionDays ?? 30;
    if (!Number.isInteger(retentionDays) || retentionDays < 1) {
      throw new IdpkitError('IDPKIT_INVALID_PROPS', [`${this.node.path}: retentionDays ${retentionDays} is not a whole number of days, at least 1`]);
    }
    const replicas = ha ? 3 : 1;
    const objectStore = OBJECT_STORE[props.storage.cloud];
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
        singleBinary: { replicas, persistence: { enabled: true }, podDisruptionBudget: { enabled: ha }, podLabels: { ...props.identity.podLabels } },
        read: { replicas: 0 },
        write: { replicas: 0 },
        backend: { replicas: 0 },
        chunksCache: { enabled: ha },
        resultsCache: { enabled: ha },
        minio: { enabled: false },
        serviceAccount: { create: true, name: LOKI_SERVICE_ACCOUNT, annotations: { ...props.identity.serviceAccountAnnotations } },
      },
      valueOverrides: props.valueOverrides,
      dependsOn: props.dependsOn,
    });
  }
}
