import { ComputeGlobalAddress } from '@cdktf/provider-google/lib/compute-global-address';
import {
  MonitoringAlertPolicy,
  MonitoringAlertPolicyConditions,
  MonitoringAlertPolicyConditionsConditionThreshold,
  MonitoringAlertPolicyConfig,
} from '@cdktf/provider-google/lib/monitoring-alert-policy';
import { SecretManagerSecret } from '@cdktf/provider-google/lib/secret-manager-secret';
import { SecretManagerSecretVersion } from '@cdktf/provider-google/lib/secret-manager-secret-version';
import { ServiceNetworkingConnection } from '@cdktf/provider-google/lib/service-networking-connection';
import { SqlDatabase } from '@cdktf/provider-google/lib/sql-database';
import { SqlDatabaseInstance } from '@cdktf/provider-google/lib/sql-database-instance';
import { SqlUser } from '@cdktf/provider-google/lib/sql-user';
import { Construct } from 'constructs';
import {
  DATABASE_ALERT_THRESHOLDS,
  DATABASE_INSTANCE_CLASSES,
  Database,
  DatabaseProps,
  POSTGRES_LOG_SETTINGS,
  POSTGRES_PORT,
  connectionsAlertThreshold,
  databasePropsProblems,
  resolveDatabaseProps,
} from '.';
import { Fn, Token } from '../../core/cdktf';
import { IdpkitError, describeValue } from '../../core/errors';
import { GcpKmsKey } from '../../infrastructure/keys/gcp';
import { gcpLabels } from '../../integration/provider/gcp';
import { GCP_SERVICES, gcpServiceAgent, requireServices } from '../../integration/services/gcp';

/** Prefix length of the private services access range when none is given: a /20 holds many Cloud SQL instances. */
export const DEFAULT_PRIVATE_SERVICE_ACCESS_PREFIX_LENGTH = 20;

/** Days of transaction logs (point-in-time recovery) Cloud SQL Enterprise edition keeps at most. */
export const CLOUD_SQL_ENTERPRISE_MAX_LOG_RETENTION_DAYS = 7;

/** Props of {@link GcpPrivateServiceAccess}. */
export interface GcpPrivateServiceAccessProps {
  /** Self link (or id) of the VPC network, e.g. `projects/p/global/networks/prod`. */
  readonly networkSelfLink: string;
  /** Name of the reserved range (unique in the project). */
  readonly rangeName: string;
  /** Prefix length of the reserved range, 8 to 24. @default 20 */
  readonly prefixLength?: number;
  /** First address of the reserved range, e.g. `10.100.0.0`. @default - Google picks a free range */
  readonly address?: string;
}

/**
 * Private services access for one VPC: a reserved internal range and the VPC peering with
 * Google's service producer network (`servicenetworking.googleapis.com`), which gives Cloud SQL
 * (and other Google services) private IPs in the VPC. There is one per VPC, shared by every
 * database on it. The peering is abandoned rather than deleted on destroy: Google refuses to delete
 * it while producer resources (even deleted Cloud SQL instances, for a while) still use it.
 *
 * @see https://cloud.google.com/vpc/docs/configure-private-services-access
 * @see https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/service_networking_connection
 * @example
 * declare const network: GcpNetwork;
 * const psa = new GcpPrivateServiceAccess(this, 'private-service-access', { networkSelfLink: network.networkSelfLink, rangeName: 'prod-google-services' });
 */
export class GcpPrivateServiceAccess extends Construct {
  /** The VPC's self link. */
  readonly networkSelfLink: string;
  /** Name of the reserved range (what `allocated_ip_range` takes). */
  readonly rangeName: string;
  /** The peering; resources with private IPs depend on it. */
  readonly connection: ServiceNetworkingConnection;

  constructor(scope: Construct, id: string, props: GcpPrivateServiceAccessProps) {
    super(scope, id);
    const prefixLength = props.prefixLength ?? DEFAULT_PRIVATE_SERVICE_ACCESS_PREFIX_LENGTH;
    const problems: string[] = [];
    if (!/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(props.rangeName)) {
      problems.push(`${this.node.path}: rangeName ${describeValue(props.rangeName)} is not a GCP resource name (a lowercase letter, then lowercase letters, digits and "-", at most 63)`);
    }
    if (!Number.isInteger(prefixLength) || prefixLength < 8 || prefixLength > 24) {
      problems.push(`${this.node.path}: prefixLength ${describeValue(prefixLength)} is outside what private services access takes (8 to 24)`);
    }
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
    const services = requireServices(this, [GCP_SERVICES.compute, GCP_SERVICES.servicenetworking]);
    const range = new ComputeGlobalAddress(this, 'range', {
      name: props.rangeName,
      description: 'Private services access (Cloud SQL private IPs)',
      purpose: 'VPC_PEERING',
      addressType: 'INTERNAL',
      prefixLength,
      address: props.address,
      network: props.networkSelfLink,
      dependsOn: services,
    });
    this.connection = new ServiceNetworkingConnection(this, 'connection', {
      network: props.networkSelfLink,
      service: 'servicenetworking.googleapis.com',
      reservedPeeringRanges: [range.name],
      deletionPolicy: 'ABANDON',
    });
    this.networkSelfLink = props.networkSelfLink;
    this.rangeName = range.name;
  }
}

/** Props of {@link GcpDatabase}. */
export interface GcpDatabaseProps extends DatabaseProps {
  /** Region of the instance (and of its key and secret replica), e.g. `europe-west1`. */
  readonly region: string;
  /** Private services access of the VPC the instance gets its private IP in. */
  readonly privateServiceAccess: GcpPrivateServiceAccess;
  /** Cloud KMS key (CMEK) of the instance and the connection secret, in `region`. @default - a new key `<name>-postgres` */
  readonly key?: GcpKmsKey;
  /** Days a scheduled destruction of a key this construct creates waits. @default - the tier's `keyDeletionWindowDays` (dev 7, staging and prod 30); 30 without a tier */
  readonly keyDeletionWindowDays?: number;
  /** Monitoring notification channels every alert policy notifies (`projects/<p>/notificationChannels/<id>`). */
  readonly notificationChannelIds: readonly string[];
  /**
   * Email of a Google service account that connects with IAM database authentication (e.g. the
   * workload's); it becomes a `CLOUD_IAM_SERVICE_ACCOUNT` user and the secret's `username`.
   * @default - no IAM user (create them later; the root user has no password)
   */
  readonly iamServiceAccountEmail?: string;
  /** Start of the daily backup window, UTC `HH:MM`. @default "02:00" */
  readonly backupStartTime?: string;
}

/**
 * Cloud SQL for PostgreSQL (Enterprise edition, custom machine tier) with production defaults:
 * private IP only (no public IPv4, private services access), encrypted connections only
 * (`ENCRYPTED_ONLY`), CMEK with a Cloud KMS key granted to the Cloud SQL service agent, SSD
 * storage that grows by itself, daily backups kept `backupRetentionDays` with point-in-time
 * recovery, a regional (HA) instance, deletion protection in the API and `prevent_destroy` (also
 * on the database, the connection secret and the key it creates), IAM
 * database authentication (`cloudsql.iam_authentication`), Query Insights, and no root password.
 *
 * The connection secret (Secret Manager, user-managed replica in `region` encrypted with the same
 * key; JSON: host, port, dbname, instanceConnectionName, username when an IAM user is given,
 * authentication, sslmode) is what External Secrets reads.
 *
 * Monitoring: alert policies on CPU, disk utilization, connections (`num_backends`, 80% of the
 * tier's default `max_connections`), the instance being down (`database/up`, which also shows
 * failovers) and failed automated backups (a log-match condition on the `automatedBackup` system
 * event whose `windowStatus` is not `STATUS_SUCCEEDED`), to the given channels. A regional
 * instance's standby shares a synchronously replicated regional disk and has no lag metric
 * (`replication/replica_lag` is for read replicas), so `database/up` stands in for it.
 *
 * The Cloud SQL and Secret Manager service agents exist only after first use, yet the key grants
 * need them before the instance and the secret: {@link gcpServiceAgent} has Google create them
 * first (and grants Cloud SQL's agent its project role).
 *
 * @see https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/sql_database_instance
 * @see https://cloud.google.com/sql/docs/postgres/cmek
 * @see https://cloud.google.com/sql/docs/postgres/backup-recovery/view-audit-logs-for-automated-backups
 * @example
 * declare const network: GcpNetwork;
 * declare const alerts: GcpAlertRecipients;
 * const psa = new GcpPrivateServiceAccess(this, 'private-service-access', { networkSelfLink: network.networkSelfLink, rangeName: 'prod-google-services' });
 * const db = new GcpDatabase(this, 'database', {
 *   name: 'prod-platform', engineVersion: '17', size: 'medium', storageGiB: 100,
 *   region: 'europe-west1', privateServiceAccess: psa, notificationChannelIds: alerts.notificationChannelIds,
 * });
 */
export class GcpDatabase extends Construct implements Database {
  readonly endpoint: string;
  readonly port: number = POSTGRES_PORT;
  readonly databaseName: string;
  readonly connectionSecretName: string;
  readonly connectionSecretId: string;
  readonly resourceId: string;
  readonly metricsResourceId: string;
  /** `<project>:<region>:<instance>`, what the Cloud SQL connectors and Auth Proxy take. */
  readonly connectionName: string;
  /** The instance's key. */
  readonly key: GcpKmsKey;

  constructor(scope: Construct, id: string, props: GcpDatabaseProps) {
    super(scope, id);
    const resolved = resolveDatabaseProps(this, props);
    this.validate(props);
    const name = props.name;
    this.key =
      props.key ??
      new GcpKmsKey(this, 'key', {
        alias: `${name}-postgres`,
        description: `PostgreSQL ${name}`,
        location: props.region,
        deletionWindowDays: props.keyDeletionWindowDays,
        preventDestroy: resolved.deletionProtection,
      });
    const sqlKeyGrant = this.key.grantEncryptDecrypt(`cloud-sql-agent-${name}`, gcpServiceAgent(this, 'sqladmin'));
    const services = requireServices(this, [GCP_SERVICES.sqladmin, GCP_SERVICES.secretmanager, GCP_SERVICES.monitoring, GCP_SERVICES.logging]);
    const protect = resolved.deletionProtection ? { preventDestroy: true } : undefined;

    const instance = new SqlDatabaseInstance(this, 'instance', {
      name,
      region: props.region,
      databaseVersion: `POSTGRES_${props.engineVersion}`,
      encryptionKeyName: this.key.keyId,
      deletionProtection: resolved.deletionProtection,
      settings: {
        edition: 'ENTERPRISE',
        tier: DATABASE_INSTANCE_CLASSES[props.size].gcp,
        availabilityType: resolved.highAvailability ? 'REGIONAL' : 'ZONAL',
        diskType: 'PD_SSD',
        diskSize: props.storageGiB,
        diskAutoresize: true,
        diskAutoresizeLimit: 0,
        deletionProtectionEnabled: resolved.deletionProtection,
        retainBackupsOnDelete: resolved.deletionProtection,
        ipConfiguration: {
          ipv4Enabled: false,
          privateNetwork: props.privateServiceAccess.networkSelfLink,
          allocatedIpRange: props.privateServiceAccess.rangeName,
          sslMode: 'ENCRYPTED_ONLY',
          enablePrivatePathForGoogleCloudServices: false,
        },
        backupConfiguration: {
          enabled: true,
          startTime: props.backupStartTime ?? '02:00',
          pointInTimeRecoveryEnabled: true,
          transactionLogRetentionDays: Math.min(resolved.backupRetentionDays, CLOUD_SQL_ENTERPRISE_MAX_LOG_RETENTION_DAYS),
          backupRetentionSettings: { retainedBackups: resolved.backupRetentionDays, retentionUnit: 'COUNT' },
        },
        maintenanceWindow: { day: 7, hour: 3, updateTrack: 'stable' },
        databaseFlags: [
          { name: 'cloudsql.iam_authentication', value: 'on' },
          ...Object.entries(POSTGRES_LOG_SETTINGS).map(([flag, value]) => ({ name: flag, value })),
        ],
        insightsConfig: { queryInsightsEnabled: true, queryStringLength: 1024, recordApplicationTags: true, recordClientAddress: true },
        userLabels: gcpLabels(resolved.tags),
      },
      lifecycle: protect,
      dependsOn: [...services, sqlKeyGrant, props.privateServiceAccess.connection],
    });

    new SqlDatabase(this, 'database', {
      name: resolved.databaseName,
      instance: instance.name,
      // PostgreSQL refuses to drop a database others still own objects in; Terraform forgets it instead.
      deletionPolicy: 'ABANDON',
      lifecycle: protect,
    });
    let username: string | undefined;
    if (props.iamServiceAccountEmail) {
      username = props.iamServiceAccountEmail.replace(/\.gserviceaccount\.com$/, '');
      new SqlUser(this, 'iam-user', { instance: instance.name, name: username, type: 'CLOUD_IAM_SERVICE_ACCOUNT' });
    }

    const secretKeyGrant = this.key.grantEncryptDecrypt(`secret-manager-agent-${name}`, gcpServiceAgent(this, 'secretmanager'));
    const secret = new SecretManagerSecret(this, 'connection-secret', {
      secretId: resolved.connectionSecretName,
      replication: { userManaged: { replicas: [{ location: props.region, customerManagedEncryption: { kmsKeyName: this.key.keyId } }] } },
      labels: gcpLabels(resolved.tags),
      lifecycle: protect,
      dependsOn: [...services, secretKeyGrant],
    });
    new SecretManagerSecretVersion(this, 'connection-secret-version', {
      secret: secret.id,
      secretData: Fn.jsonencode({
        engine: 'postgres',
        host: instance.privateIpAddress,
        port: POSTGRES_PORT,
        dbname: resolved.databaseName,
        instanceConnectionName: instance.connectionName,
        ...(username ? { username } : {}),
        authentication: 'cloud-sql-iam',
        sslmode: 'require',
      }),
    });

    this.metricsResourceId = `${instance.project}:${instance.name}`;
    this.addMonitoring(props, instance);

    this.endpoint = instance.privateIpAddress;
    this.databaseName = resolved.databaseName;
    this.connectionSecretName = resolved.connectionSecretName;
    this.connectionSecretId = secret.id;
    this.resourceId = instance.id;
    this.connectionName = instance.connectionName;
  }

  private addMonitoring(props: GcpDatabaseProps, instance: SqlDatabaseInstance): void {
    const database = `resource.type = "cloudsql_database" AND resource.labels.database_id = "${this.metricsResourceId}"`;
    const sustained = `${DATABASE_ALERT_THRESHOLDS.sustainedMinutes * 60}s`;
    const threshold = (metric: string, comparison: string, value: number, aligner: string, reducer?: string, duration = sustained): MonitoringAlertPolicyConditionsConditionThreshold => ({
      filter: `${database} AND metric.type = "cloudsql.googleapis.com/database/${metric}"`,
      comparison,
      thresholdValue: value,
      duration,
      aggregations: [
        { alignmentPeriod: '300s', perSeriesAligner: aligner, ...(reducer ? { crossSeriesReducer: reducer, groupByFields: ['resource.label.database_id'] } : {}) },
      ],
      trigger: { count: 1 },
    });
    const policy = (policyId: string, title: string, severity: string, conditions: MonitoringAlertPolicyConditions[], extra: Partial<MonitoringAlertPolicyConfig> = {}) =>
      new MonitoringAlertPolicy(this, `alert-${policyId}`, {
        displayName: `PostgreSQL ${props.name}: ${title}`,
        combiner: 'OR',
        severity,
        conditions,
        notificationChannels: [...props.notificationChannelIds],
        documentation: { content: `Cloud SQL instance ${props.name}: ${title}.`, mimeType: 'text/markdown' },
        userLabels: gcpLabels({ database: props.name }),
        ...extra,
        dependsOn: [instance],
      });
    const { cpuPercent, storageUsedPercent } = DATABASE_ALERT_THRESHOLDS;
    policy('cpu', `CPU above ${cpuPercent}%`, 'WARNING', [
      { displayName: 'CPU utilization', conditionThreshold: threshold('cpu/utilization', 'COMPARISON_GT', cpuPercent / 100, 'ALIGN_MEAN') },
    ]);
    policy('disk', `disk above ${storageUsedPercent}%`, 'WARNING', [
      { displayName: 'Disk utilization', conditionThreshold: threshold('disk/utilization', 'COMPARISON_GT', storageUsedPercent / 100, 'ALIGN_MAX') },
    ]);
    const connections = connectionsAlertThreshold(props.size, 'gcp');
    policy('connections', `more than ${connections} connections`, 'WARNING', [
      { displayName: 'Connections (num_backends)', conditionThreshold: threshold('postgresql/num_backends', 'COMPARISON_GT', connections, 'ALIGN_MAX', 'REDUCE_SUM') },
    ]);
    policy('down', 'instance down or failing over', 'CRITICAL', [
      { displayName: 'Instance up', conditionThreshold: threshold('up', 'COMPARISON_LT', 1, 'ALIGN_MIN', undefined, '300s') },
    ]);
    policy(
      'backup',
      'automated backup did not succeed',
      'ERROR',
      [
        {
          displayName: 'Automated backup not succeeded',
          conditionMatchedLog: {
            filter: [
              database,
              'log_id("cloudaudit.googleapis.com/system_event")',
              'protoPayload.methodName = "cloudsql.instances.automatedBackup"',
              'protoPayload.metadata.windowStatus != "STATUS_SUCCEEDED"',
            ].join(' AND '),
          },
        },
      ],
      { alertStrategy: { notificationRateLimit: { period: '3600s' }, autoClose: '86400s' } },
    );
  }

  private validate(props: GcpDatabaseProps): void {
    const path = this.node.path;
    const problems = databasePropsProblems(this, props);
    if (props.notificationChannelIds.length === 0) {
      problems.push(`${path}: notificationChannelIds is empty; alerts need at least one notification channel`);
    }
    if (props.iamServiceAccountEmail !== undefined && !Token.isUnresolved(props.iamServiceAccountEmail) && !/^[^@\s]+@[^@\s]+\.iam\.gserviceaccount\.com$/.test(props.iamServiceAccountEmail)) {
      problems.push(`${path}: iamServiceAccountEmail ${describeValue(props.iamServiceAccountEmail)} is not a service account email (<name>@<project>.iam.gserviceaccount.com)`);
    }
    if (props.backupStartTime !== undefined && !/^([01]\d|2[0-3]):00$/.test(props.backupStartTime)) {
      problems.push(`${path}: backupStartTime ${describeValue(props.backupStartTime)} is not a whole hour in UTC (HH:00)`);
    }
    if (props.key && !Token.isUnresolved(props.key.location) && props.key.location !== props.region) {
      problems.push(`${path}: key is in ${describeValue(props.key.location)} but the instance is in ${describeValue(props.region)}; CMEK keys must be in the instance's region`);
    }
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
  }
}
