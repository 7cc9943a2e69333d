import { Token } from '../../core/cdktf';
import type { IConstruct } from 'constructs';
import { describeValue } from '../../core/errors';
import { tierDefault } from '../../core/tiers';
import type { IdentityGrant } from '../../integration/identity';

/** Database sizes, smallest first. Each maps to one instance class per cloud in {@link DATABASE_INSTANCE_CLASSES}. */
export const DATABASE_SIZES = ['small', 'medium', 'large', 'xlarge'] as const;

/** A database size. */
export type DatabaseSize = (typeof DATABASE_SIZES)[number];

/** What one database size is on each cloud. */
export interface DatabaseInstanceClass {
  /** vCPUs of the instance (the same on every cloud): what tier size limits compare against. */
  readonly vcpus: number;
  /** Memory of the instance in GiB (the same on every cloud). */
  readonly memoryGiB: number;
  /** RDS DB instance class (Graviton). */
  readonly aws: string;
  /** Azure Database for PostgreSQL flexible server SKU (`<tier>_<vm size>`). */
  readonly azure: string;
  /** Cloud SQL (Enterprise edition) custom machine tier `db-custom-<vCPUs>-<memory MiB>`. */
  readonly gcp: string;
  /**
   * PostgreSQL's default `max_connections` on each cloud for this size, what the connections
   * alert compares against. AWS: `LEAST(DBInstanceClassMemory/9531392, 5000)` on the class's whole
   * memory (the real value is a few percent lower); Azure: the flexible server table by memory;
   * GCP: the Cloud SQL table by memory.
   */
  readonly defaultMaxConnections: { readonly aws: number; readonly azure: number; readonly gcp: number };
}

/**
 * Instance classes by size. `small` is burstable on AWS and Azure (fine for dev; Azure's Burstable
 * tier has no high availability), the others general purpose with 4 GiB per vCPU.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Summary.html
 * @see https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-compute
 * @see https://cloud.google.com/sql/docs/postgres/instance-settings#machine-type-2ndgen
 */
export const DATABASE_INSTANCE_CLASSES: Readonly<Record<DatabaseSize, DatabaseInstanceClass>> = {
  small: {
    vcpus: 2,
    memoryGiB: 4,
    aws: 'db.t4g.medium',
    azure: 'B_Standard_B2s',
    gcp: 'db-custom-2-4096',
    defaultMaxConnections: { aws: 450, azure: 429, gcp: 100 },
  },
  medium: {
    vcpus: 2,
    memoryGiB: 8,
    aws: 'db.m7g.large',
    azure: 'GP_Standard_D2ds_v5',
    gcp: 'db-custom-2-8192',
    defaultMaxConnections: { aws: 901, azure: 859, gcp: 400 },
  },
  large: {
    vcpus: 4,
    memoryGiB: 16,
    aws: 'db.m7g.xlarge',
    azure: 'GP_Standard_D4ds_v5',
    gcp: 'db-custom-4-16384',
    defaultMaxConnections: { aws: 1802, azure: 1718, gcp: 500 },
  },
  xlarge: {
    vcpus: 8,
    memoryGiB: 32,
    aws: 'db.m7g.2xlarge',
    azure: 'GP_Standard_D8ds_v5',
    gcp: 'db-custom-8-32768',
    defaultMaxConnections: { aws: 3604, azure: 3437, gcp: 600 },
  },
};

/** vCPUs of each database size, for per-tier size limits (`TierRules.maxDatabaseVcpus`). */
export const DATABASE_SIZE_VCPUS: Readonly<Record<DatabaseSize, number>> = Object.fromEntries(
  DATABASE_SIZES.map((size) => [size, DATABASE_INSTANCE_CLASSES[size].vcpus]),
) as Record<DatabaseSize, number>;

/**
 * PostgreSQL major versions every cloud offers: RDS (`engine_version` "16"/"17"), Azure flexible
 * server (`version` "16"/"17") and Cloud SQL (`POSTGRES_16`/`POSTGRES_17`).
 */
export const POSTGRES_VERSIONS = ['16', '17'] as const;

/** A PostgreSQL major version. */
export type PostgresVersion = (typeof POSTGRES_VERSIONS)[number];

/** The port PostgreSQL listens on, on every cloud. */
export const POSTGRES_PORT = 5432;

/**
 * Defaults of {@link DatabaseProps} when no tier is set: the production settings. Where the
 * construct tree sets a tier (`idpkit:tier`, e.g. an `IdpkitApp`), the tier's rules give them
 * instead ({@link resolveDatabaseProps}); props given win over both.
 */
export const DATABASE_DEFAULTS = {
  /** Days of backups and point-in-time recovery. */
  backupRetentionDays: 30,
  /** A synchronous standby in another zone. */
  highAvailability: true,
  /** Refuse deletion at the cloud API and in Terraform. */
  deletionProtection: true,
} as const;

/** Days of backups every cloud accepts (AWS 1-35, Azure 7-35, GCP any; the common range, Azure checks 7 itself). */
export const DATABASE_BACKUP_RETENTION_DAYS = { min: 1, max: 35 } as const;

/** Storage sizes (GiB) every cloud accepts: RDS gp3 starts at 20 GiB; 64 TiB is the largest RDS and Cloud SQL volume. */
export const DATABASE_STORAGE_GIB = { min: 20, max: 65536 } as const;

/** Database names: short DNS labels (they become parts of resource names on every cloud, with suffixes). */
export const DATABASE_NAME = /^[a-z](?!.*--)[a-z0-9-]{1,38}[a-z0-9]$/;

/** PostgreSQL database names idpkit accepts: what RDS `db_name` allows (a letter, then letters, digits, "_"; at most 63). */
export const POSTGRES_DATABASE_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/;

/**
 * Thresholds of the alerts every cloud's database creates, so the three clouds page on the same
 * conditions.
 */
export const DATABASE_ALERT_THRESHOLDS = {
  /** CPU busy, percent, averaged over {@link DATABASE_ALERT_THRESHOLDS.sustainedMinutes}. */
  cpuPercent: 80,
  /** Storage used, percent (Azure `storage_percent`, GCP disk utilization). */
  storageUsedPercent: 85,
  /** Connections in use, percent of the size's default `max_connections`. */
  connectionsPercent: 80,
  /** Read or write latency, milliseconds (AWS; the other clouds have no per-I/O latency metric). */
  ioLatencyMs: 20,
  /** Replication lag, seconds (read replicas, where the cloud measures it). */
  replicationLagSeconds: 60,
  /** How long a condition must hold before it alerts, minutes. */
  sustainedMinutes: 15,
} as const;

/**
 * Server log settings every cloud's database gets: connections, disconnections, lock waits,
 * checkpoints, every temporary file, and statements slower than one second (their text is logged,
 * so literals in slow queries reach the logs).
 */
export const POSTGRES_LOG_SETTINGS: Readonly<Record<string, string>> = {
  log_connections: 'on',
  log_disconnections: 'on',
  log_lock_waits: 'on',
  log_checkpoints: 'on',
  log_temp_files: '0',
  log_min_duration_statement: '1000',
};

/** Props every cloud's managed PostgreSQL takes. */
export interface DatabaseProps {
  /**
   * Name of the database server, a DNS label of 3-40 lowercase letters, digits and single hyphens
   * (e.g. `prod-platform`): the RDS identifier, the Cloud SQL instance name, the Azure server name
   * unless `AzureDatabaseProps.serverName` is given (Azure server names are global), and the stem of
   * every other resource name.
   */
  readonly name: string;
  /** PostgreSQL major version, one of {@link POSTGRES_VERSIONS}. */
  readonly engineVersion: PostgresVersion;
  /** Instance size, one of {@link DATABASE_SIZES} (see {@link DATABASE_INSTANCE_CLASSES}). */
  readonly size: DatabaseSize;
  /** Storage to start with, in GiB; storage grows by itself where the cloud offers it. */
  readonly storageGiB: number;
  /** Name of the logical database created in the server. @default - `name` with "-" replaced by "_" */
  readonly databaseName?: string;
  /** Days of backups and point-in-time recovery, 1 to 35 (Azure: 7 to 35). @default - the tier's `databaseBackupRetentionDays` (dev 7, staging 14, prod 30); 30 without a tier */
  readonly backupRetentionDays?: number;
  /** A synchronous standby in another zone with automatic failover. @default - the tier's `databaseHighAvailability` (off in dev); true without a tier */
  readonly highAvailability?: boolean;
  /**
   * Refuse deletion: the cloud's deletion protection, `lifecycle.prevent_destroy`, and on AWS a
   * final snapshot. @default - the tier's `deletionProtection` (prod only); true without a tier
   */
  readonly deletionProtection?: boolean;
  /**
   * Name of the secret that holds the connection details (host, port, database, user; never a
   * password), what External Secrets reads. @default `<name>-postgres-connection`
   */
  readonly connectionSecretName?: string;
  /** Extra tags (labels on GCP) on the database server; the provider adds the platform tags. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A managed PostgreSQL server, whatever the cloud: RDS for PostgreSQL, Azure Database for
 * PostgreSQL flexible server, or Cloud SQL for PostgreSQL. Reachable only on private networks,
 * TLS only, encrypted with a customer-managed key, with alerts created alongside.
 */
export interface Database {
  /** Host name clients connect to (private). */
  readonly endpoint: string;
  /** Port clients connect to. */
  readonly port: number;
  /** Name of the logical database. */
  readonly databaseName: string;
  /** Name of the secret holding the connection details in the cloud's secret manager. */
  readonly connectionSecretName: string;
  /** Id of that secret: ARN (AWS), versionless Key Vault secret id (Azure), `projects/<p>/secrets/<name>` (GCP). */
  readonly connectionSecretId: string;
  /** Cloud resource id of the server: RDS ARN, Azure resource id, Cloud SQL instance id. */
  readonly resourceId: string;
  /**
   * The value the cloud's metrics label this server with, for dashboards and extra alerts:
   * `DBInstanceIdentifier` (AWS), the server's resource id (Azure), `database_id` `<project>:<instance>` (GCP).
   */
  readonly metricsResourceId: string;
  /**
   * What reading the server's password takes, where the cloud keeps it in a secret of its own
   * outside the environment's prefix: RDS's master user secret (`rds!db-…`) and its key. A workload
   * that may read the environment's secrets (`secrets-read`) gets it too. Undefined where logins
   * take no password (Azure: Entra tokens; GCP: IAM).
   */
  readonly credentialsRead?: IdentityGrant;
}

/** Props with every default filled in. */
export interface ResolvedDatabaseProps {
  readonly databaseName: string;
  readonly backupRetentionDays: number;
  readonly highAvailability: boolean;
  readonly deletionProtection: boolean;
  readonly connectionSecretName: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** The props' defaults for a database created in `scope`, resolved once: the tier's where the construct tree sets one, else {@link DATABASE_DEFAULTS}. */
export function resolveDatabaseProps(scope: IConstruct, props: DatabaseProps): ResolvedDatabaseProps {
  return {
    databaseName: props.databaseName ?? props.name.replace(/-/g, '_'),
    backupRetentionDays: props.backupRetentionDays ?? tierDefault(scope, (rules) => rules.databaseBackupRetentionDays, DATABASE_DEFAULTS.backupRetentionDays),
    highAvailability: props.highAvailability ?? tierDefault(scope, (rules) => rules.databaseHighAvailability, DATABASE_DEFAULTS.highAvailability),
    deletionProtection: props.deletionProtection ?? tierDefault(scope, (rules) => rules.deletionProtection, DATABASE_DEFAULTS.deletionProtection),
    connectionSecretName: props.connectionSecretName ?? `${props.name}-postgres-connection`,
    tags: props.tags ?? {},
  };
}

/** Problems with the props every cloud shares of the database `scope`, each naming it, the field, the bad value and what is allowed. */
export function databasePropsProblems(scope: IConstruct, props: DatabaseProps): string[] {
  const problems: string[] = [];
  const path = scope.node.path;
  const resolved = resolveDatabaseProps(scope, props);
  if (!Token.isUnresolved(props.name) && !DATABASE_NAME.test(props.name)) {
    problems.push(
      `${path}: name ${describeValue(props.name)} is not a database name (3-40 lowercase letters, digits and single hyphens, starting with a letter, not ending with a hyphen)`,
    );
  }
  if (!(POSTGRES_VERSIONS as readonly string[]).includes(props.engineVersion)) {
    problems.push(`${path}: engineVersion ${describeValue(props.engineVersion)} is not supported (one of ${POSTGRES_VERSIONS.join(', ')})`);
  }
  if (!(DATABASE_SIZES as readonly string[]).includes(props.size)) {
    problems.push(`${path}: size ${describeValue(props.size)} is not a database size (one of ${DATABASE_SIZES.join(', ')})`);
  }
  const { min: minStorage, max: maxStorage } = DATABASE_STORAGE_GIB;
  if (!Number.isInteger(props.storageGiB) || props.storageGiB < minStorage || props.storageGiB > maxStorage) {
    problems.push(`${path}: storageGiB ${describeValue(props.storageGiB)} is outside what every cloud accepts (whole GiB, ${minStorage} to ${maxStorage})`);
  }
  const { min, max } = DATABASE_BACKUP_RETENTION_DAYS;
  const days = resolved.backupRetentionDays;
  if (!Number.isInteger(days) || days < min || days > max) {
    problems.push(`${path}: backupRetentionDays ${describeValue(days)} is outside what the clouds allow (whole days, ${min} to ${max})`);
  }
  if (!Token.isUnresolved(resolved.databaseName) && !POSTGRES_DATABASE_NAME.test(resolved.databaseName)) {
    problems.push(
      `${path}: databaseName ${describeValue(resolved.databaseName)} is not a PostgreSQL database name idpkit accepts (a letter, then letters, digits and "_", at most 63)`,
    );
  }
  if (!Token.isUnresolved(resolved.connectionSecretName) && !/^[a-zA-Z][a-zA-Z0-9-]{0,126}$/.test(resolved.connectionSecretName)) {
    problems.push(
      `${path}: connectionSecretName ${describeValue(resolved.connectionSecretName)} is not a secret name every cloud accepts (a letter, then letters, digits and "-", at most 127)`,
    );
  }
  return problems;
}

/** Connections that trigger the connections alert: {@link DATABASE_ALERT_THRESHOLDS.connectionsPercent} of the default maximum. */
export function connectionsAlertThreshold(size: DatabaseSize, cloud: 'aws' | 'azure' | 'gcp'): number {
  return Math.floor((DATABASE_INSTANCE_CLASSES[size].defaultMaxConnections[cloud] * DATABASE_ALERT_THRESHOLDS.connectionsPercent) / 100);
}
