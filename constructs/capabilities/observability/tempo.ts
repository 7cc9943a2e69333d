import { Construct } from 'constructs';
import { CHARTS } from '../../core/charts';
import { IdpkitError } from '../../core/errors';
import { AddonProps, HelmAddon } from '../../core/helm-addon';
import { toYaml } from '../../core/yaml';
import type { WorkloadIdentity } from '../../integration/identity';
import { tierDefault } from '../../core/tiers';

/** Namespace and service account of Tempo. */
export const TEMPO_NAMESPACE = 'tempo';
export const TEMPO_SERVICE_ACCOUNT = 'tempo';

/** Tempo's OTLP gRPC receiver: the chart's Service (the release name, `tempo`) on the default port 4317, plain text in the cluster. */
export const TEMPO_OTLP_GRPC_ENDPOINT = `tempo.${TEMPO_NAMESPACE}.svc:4317`;

/** Where Tempo keeps traces: a bucket of the cloud's object storage, reached through workload identity. */
export type TempoStorage =
  | { readonly cloud: 'aws'; readonly region: string; readonly bucket: string }
  | { readonly cloud: 'azure'; readonly storageAccountName: string; readonly bucket: string }
  | { readonly cloud: 'gcp'; readonly bucket: string };

/** Props of {@link Tempo}. */
export interface TempoProps extends AddonProps {
  /** The cloud identity of Tempo's service account (read-write on its bucket only). */
  readonly identity: WorkloadIdentity;
  /** The trace bucket. */
  readonly storage: TempoStorage;
  /** Days traces are kept (compactor block retention). @default 14 */
  readonly retentionDays?: number;
  /** Persistent WAL volume (survives restarts). @default - the tier's `highAvailability` (off in dev); true without a tier */
  readonly highAvailability?: boolean;
}

/** Tempo's `storage.trace` block of each cloud: no keys, credentials from the workload identity. */
export function tempoTraceStorage(storage: TempoStorage): Record<string, unknown> {
  const common = { wal: { path: '/var/tempo/wal' } };
  switch (storage.cloud) {
    case 'aws':
      return { ...common, backend: 's3', s3: { bucket: storage.bucket, endpoint: `s3.${storage.region}.amazonaws.com`, region: storage.region } };
    case 'azure':
      return { ...common, backend: 'azure', azure: { container_name: storage.bucket, storage_account_name: storage.storageAccountName, use_federated_token: true } };
    case 'gcp':
      return { ...common, backend: 'gcs', gcs: { bucket_name: storage.bucket } };
  }
}

/**
 * Tempo's configuration: the chart's default `config` template (tempo 2.2.4 values.yaml) with the
 * storage block written by idpkit. The chart renders `tempo.storage` as it is, but its default
 * values only list the `local` backend, so the bucket backend goes into the template instead.
 */
function tempoConfig(storage: TempoStorage): string {
  const storageYaml = toYaml({ storage: { trace: tempoTraceStorage(storage) } })
    .trimEnd();
  return [
    'stream_over_http_enabled: {{ .Values.tempo.streamOverHttpEnabled }}',
    'memberlist:',
    '  cluster_label: "{{ .Release.Name }}.{{ .Release.Namespace }}"',
    'multitenancy_enabled: {{ .Values.tempo.multitenancyEnabled }}',
    'usage_report:',
    '  reporting_enabled: {{ .Values.tempo.reportingEnabled }}',
    'compactor:',
    '  compaction:',
    '    block_retention: {{ .Values.tempo.retention }}',
    'distributor:',
    '  receivers:',
    '    {{- toYaml .Values.tempo.receivers | nindent 8 }}',
    'ingester:',
    '  {{- toYaml .Values.tempo.ingester | nindent 6 }}',
    'server:',
    '  {{- toYaml .Values.tempo.server | nindent 6 }}',
    storageYaml,
    'querier:',
    '  {{- toYaml .Values.tempo.querier | nindent 6 }}',
    'query_frontend:',
    '  {{- toYaml .Values.tempo.queryFrontend | nindent 6 }}',
    'overrides:',
    '  {{- toYaml .Values.tempo.overrides | nindent 6 }}',
    '',
  ].join('\n');
}

/**
 * Grafana Tempo, monolithic chart (grafana-community): OTLP and Jaeger receivers, traces in the
 * cloud's bucket through workload identity (no keys), block retention, a persistent WAL volume.
 * The monolithic chart runs one replica; scale out with `tempo-distributed`.
 *
 * @see https://grafana.com/docs/tempo/latest/configuration/
 * @example
 * declare const identity: WorkloadIdentity;
 * new Tempo(this, 'tempo', { identity, storage: { cloud: 'aws', region: 'eu-west-1', bucket: 'idpkit-prod-tempo-traces-...' } });
 */
export class Tempo extends Construct {
  /** The Helm release. */
  readonly addon: HelmAddon;

  constructor(scope: Construct, id: string, props: TempoProps) {
    super(scope, id);
    const retentionDays = props.retentionDays ?? 14;
    if (!Number.isInteger(retentionDays) || retentionDays < 1) {
      throw new IdpkitError('IDPKIT_INVALID_PROPS', [`${this.node.path}: retentionDays ${retentionDays} is not a whole number of days, at least 1`]);
    }
    this.addon = new HelmAddon(this, 'release', {
      chart: CHARTS.tempo,
      namespace: TEMPO_NAMESPACE,
      podSecurity: 'baseline',
      values: {
        replicas: 1,
        tempo: { retention: `${retentionDays * 24}h`, reportingEnabled: false },
        config: tempoConfig(props.storage),
        persistence: { enabled: props.highAvailability ?? tierDefault(this, (rules) => rules.highAvailability, true) },
        serviceAccount: { create: true, name: TEMPO_SERVICE_ACCOUNT, annotations: { ...props.identity.serviceAccountAnnotations } },
        podLabels: { ...props.identity.podLabels },
      },
      valueOverrides: props.valueOverrides,
      dependsOn: props.dependsOn,
    });
  }
}
