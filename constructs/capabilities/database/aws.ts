import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { DbEventSubscription } from '@cdktf/provider-aws/lib/db-event-subscription';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import {
  DATABASE_ALERT_THRESHOLDS,
  DATABASE_INSTANCE_CLASSES,
  DATABASE_STORAGE_GIB,
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
import { tierDefault } from '../../core/tiers';
import { AwsKmsKey } from '../../infrastructure/keys/aws';
import type { CloudGrant } from '../../integration/identity';
import { AwsRole, awsManagedPolicy, serviceTrust } from '../../integration/identity/aws';
import { awsContext } from '../../integration/provider/aws';

/** Seconds between enhanced monitoring samples (1, 5, 10, 15, 30 or 60). */
export const RDS_ENHANCED_MONITORING_INTERVAL_SECONDS = 60;

/** Days of Performance Insights history kept: 7 is the free tier (and what Database Insights standard mode keeps). */
export const RDS_PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7;

/** Logs RDS exports to CloudWatch Logs. */
export const RDS_LOG_EXPORTS = ['postgresql', 'upgrade'] as const;

/** Days the exported logs are kept when none is given. */
export const DEFAULT_RDS_LOG_RETENTION_DAYS = 30;

/** Storage autoscaling ceiling when none is given: this many times the initial storage (capped at 64 TiB). */
export const DEFAULT_MAX_STORAGE_FACTOR = 4;

/** Bytes of WAL the most lagging replication slot may hold back before it alerts (1 GiB). */
export const REPLICATION_SLOT_LAG_ALERT_BYTES = 1024 ** 3;

/** Free storage below this share of the initial allocation alerts: storage autoscaling (which acts at 10%) has not kept up. */
export const FREE_STORAGE_ALERT_FRACTION = 0.05;

/** RDS event categories sent to the alarm topic: backups, failures, failovers and what affects availability. */
export const RDS_EVENT_CATEGORIES = ['availability', 'backup', 'failover', 'failure', 'low storage', 'maintenance', 'recovery'] as const;

/** What {@link addPostgresSecurityGroup} opens. */
export interface PostgresSecurityGroupProps {
  /** Security group name. */
  readonly name: string;
  /** What it guards. */
  readonly description: string;
  /** The VPC. */
  readonly vpcId: string;
  /** Networks allowed to reach PostgreSQL. @default [] */
  readonly allowedCidrs?: readonly string[];
  /** Security groups allowed to reach PostgreSQL. @default [] */
  readonly allowedSecurityGroupIds?: readonly string[];
}

/**
 * A security group that lets PostgreSQL (5432) in from the given networks and groups only, and
 * nothing out: for RDS instances idpkit makes and for those Crossplane makes from claims.
 */
export function addPostgresSecurityGroup(scope: Construct, props: PostgresSecurityGroupProps): SecurityGroup {
  const securityGroup = new SecurityGroup(scope, 'security-group', {
    name: props.name,
    description: props.description,
    vpcId: props.vpcId,
    // No egress rules: Terraform removes the default allow-all rule and the database opens no connections.
  });
  (props.allowedCidrs ?? []).forEach((cidr, index) => {
    new VpcSecurityGroupIngressRule(scope, `ingress-cidr-${index}`, {
      securityGroupId: securityGroup.id,
      ipProtocol: 'tcp',
      fromPort: POSTGRES_PORT,
      toPort: POSTGRES_PORT,
      cidrIpv4: cidr,
      description: 'PostgreSQL from an allowed network',
    });
  });
  (props.allowedSecurityGroupIds ?? []).forEach((groupId, index) => {
    new VpcSecurityGroupIngressRule(scope, `ingress-sg-${index}`, {
      securityGroupId: securityGroup.id,
      ipProtocol: 'tcp',
      fromPort: POSTGRES_PORT,
      toPort: POSTGRES_PORT,
      referencedSecurityGroupId: groupId,
      description: 'PostgreSQL from an allowed security group',
    });
  });
  return securityGroup;
}

/** Props of {@link AwsDatabase}. */
export interface AwsDatabaseProps extends DatabaseProps {
  /** VPC of the database's security group. */
  readonly vpcId: string;
  /** Private subnets of the DB subnet group, in at least two availability zones. */
  readonly subnetIds: readonly string[];
  /** IPv4 CIDRs allowed to connect on 5432 (e.g. the cluster's private subnets). @default [] */
  readonly allowedCidrs?: readonly string[];
  /** Security groups allowed to connect on 5432 (e.g. the cluster's node security group). @default [] */
  readonly allowedSecurityGroupIds?: readonly string[];
  /** SNS topic every alarm and RDS event goes to (an encrypted topic's key must let `events.rds.amazonaws.com` and CloudWatch use it). */
  readonly alarmTopicArn: string;
  /** KMS key for storage, the master user secret, the connection secret, Performance Insights and logs. @default - a new key, alias `idpkit/database/<name>` */
  readonly key?: AwsKmsKey;
  /** Waiting period of the created key's deletion (7 to 30 days). @default - the tier's `keyDeletionWindowDays` (dev 7, staging and prod 30); 30 without a tier */
  readonly keyDeletionWindowDays?: number;
  /** Ceiling of storage autoscaling, GiB. @default - 4 times `storageGiB`, at most 65536 */
  readonly maxStorageGiB?: number;
  /** Days exported PostgreSQL and upgrade logs are kept. @default - the tier's `logRetentionDays` (dev 30, staging 90, prod 365); 30 without a tier */
  readonly logRetentionDays?: number;
  /** Daily backup window, UTC (`hh24:mi-hh24:mi`, at least 30 minutes). @default "02:00-03:00" */
  readonly backupWindow?: string;
  /** Weekly maintenance window, UTC (`ddd:hh24:mi-ddd:hh24:mi`, not overlapping the backup window). @default "sun:03:30-sun:04:30" */
  readonly maintenanceWindow?: string;
}

/**
 * RDS for PostgreSQL with production defaults: private only (DB subnet group over private subnets,
 * not publicly accessible, a security group that admits 5432 only from the given CIDRs and
 * security groups), TLS enforced (`rds.force_ssl`, TLS 1.2 minimum), storage, Performance Insights,
 * logs and secrets encrypted with a customer-managed KMS key, gp3 storage that autoscales, backups
 * with point-in-time recovery, Multi-AZ, deletion protection with a final snapshot and
 * `prevent_destroy` (on the instance, its key and its connection secret), IAM database authentication, and no password anywhere in the configuration:
 * RDS generates and rotates the master password in its own Secrets Manager secret.
 *
 * The connection secret (`<name>-postgres-connection`, JSON: host, port, dbname, username,
 * engine, sslmode, masterUserSecretArn) is what External Secrets reads; the password stays in the
 * RDS-managed secret it points to.
 *
 * Monitoring: CloudWatch alarms on CPU, connections (80% of the class's default `max_connections`),
 * read and write latency, free storage, `OldestReplicationSlotLag` and `MaximumUsedTransactionIDs`,
 * plus an RDS event subscription (backup, failure, failover, availability, low storage,
 * maintenance, recovery), all to one SNS topic. `ReplicaLag` is only emitted by read replicas: a
 * Multi-AZ standby replicates synchronously and has no lag metric, so the replication alarm
 * watches the most lagging replication slot (WAL held back for a replica or a logical consumer,
 * which fills storage when it stalls), and failovers come as `failover` events.
 *
 * A final snapshot named `<name>-final` is taken on destroy when deletion protected; destroying a
 * second database of the same name needs that snapshot deleted or renamed first.
 *
 * @see https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/resources/db_instance
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_BestPractices.html
 * @example
 * declare const network: AwsNetwork;
 * declare const alerts: AwsAlertRecipients;
 * const db = new AwsDatabase(this, 'database', {
 *   name: 'prod-platform', engineVersion: '17', size: 'medium', storageGiB: 100,
 *   vpcId: network.networkId, subnetIds: network.privateSubnetIds,
 *   allowedCidrs: ['10.30.0.0/16'], alarmTopicArn: alerts.topicArn,
 * });
 * db.connectionSecretName; // "prod-platform-postgres-connection"
 */
export class AwsDatabase extends Construct implements Database {
  readonly endpoint: string;
  readonly port: number = POSTGRES_PORT;
  readonly databaseName: string;
  readonly connectionSecretName: string;
  readonly connectionSecretId: string;
  readonly resourceId: string;
  readonly metricsResourceId: string;
  /** The KMS key of the database. */
  readonly key: AwsKmsKey;
  /** ARN of the RDS-managed Secrets Manager secret with the master user's password (rotated by RDS). */
  readonly masterUserSecretArn: string;
  /** The master user's name. */
  readonly masterUsername: string = 'idpkit_admin';
  /** The database's security group, for rules other constructs add. */
  readonly securityGroupId: string;
  /** RDS resource id (`db-...`), what IAM database authentication policies name. */
  readonly dbiResourceId: string;
  /**
   * Reading the master user's password: `GetSecretValue` on exactly the RDS-managed secret, and
   * `kms:Decrypt` of the database key (which encrypts that secret, `master_user_secret_kms_key_id`)
   * only through Secrets Manager and only for that secret.
   */
  readonly credentialsRead: CloudGrant;

  constructor(scope: Construct, id: string, props: AwsDatabaseProps) {
    super(scope, id);
    const resolved = resolveDatabaseProps(this, props);
    const allowedCidrs = [...(props.allowedCidrs ?? [])];
    const allowedSecurityGroupIds = [...(props.allowedSecurityGroupIds ?? [])];
    const maxStorageGiB = props.maxStorageGiB ?? Math.min(props.storageGiB * DEFAULT_MAX_STORAGE_FACTOR, DATABASE_STORAGE_GIB.max);
    this.validate(props, maxStorageGiB, allowedCidrs, allowedSecurityGroupIds);
    const instanceClass = DATABASE_INSTANCE_CLASSES[props.size];
    const name = props.name;

    this.key =
      props.key ??
      new AwsKmsKey(this, 'key', {
        alias: `idpkit/database/${name}`,
        description: `PostgreSQL ${name}: storage, secrets, logs`,
        deletionWindowDays: props.keyDeletionWindowDays,
        preventDestroy: resolved.deletionProtection,
      });

    const subnetGroup = new DbSubnetGroup(this, 'subnet-group', {
      name: `${name}-postgres`,
      description: `Private subnets of PostgreSQL ${name}`,
      subnetIds: [...props.subnetIds],
    });
    const securityGroup = addPostgresSecurityGroup(this, { name: `${name}-postgres`, description: `PostgreSQL ${name}: 5432 from allowed sources only`, vpcId: props.vpcId, allowedCidrs, allowedSecurityGroupIds });

    const parameterGroup = new DbParameterGroup(this, 'parameter-group', {
      // The family is part of the name so that a major upgrade creates the new group before the
      // instance moves to it (create_before_destroy).
      name: `${name}-postgres${props.engineVersion}`,
      family: `postgres${props.engineVersion}`,
      description: `PostgreSQL ${name}: TLS only, logging`,
      parameter: [
        { name: 'rds.force_ssl', value: '1' },
        { name: 'ssl_min_protocol_version', value: 'TLSv1.2' },
        ...Object.entries(POSTGRES_LOG_SETTINGS).map(([parameter, value]) => ({ name: parameter, value: rdsValue(value) })),
      ],
      lifecycle: { createBeforeDestroy: true },
    });

    const logGroups = RDS_LOG_EXPORTS.map((log) => {
      const logGroupName = `/aws/rds/instance/${name}/${log}`;
      this.key.grantLogEncryption(logGroupName);
      return new CloudwatchLogGroup(this, `log-group-${log}`, {
        name: logGroupName,
        retentionInDays: props.logRetentionDays ?? tierDefault(this, (rules) => rules.logRetentionDays, DEFAULT_RDS_LOG_RETENTION_DAYS),
        kmsKeyId: this.key.keyId,
      });
    });

    const monitoringRole = new AwsRole(this, 'monitoring-role', {
      name: `${name}-rds-monitoring`,
      description: `Enhanced monitoring of PostgreSQL ${name}`,
      trust: [serviceTrust('monitoring.rds.amazonaws.com')],
      managedPolicyArns: [awsManagedPolicy('service-role/AmazonRDSEnhancedMonitoringRole')],
    });

    const instance = new DbInstance(this, 'instance', {
      identifier: name,
      engine: 'postgres',
      engineVersion: props.engineVersion,
      engineLifecycleSupport: 'open-source-rds-extended-support-disabled',
      instanceClass: instanceClass.aws,
      dbName: resolved.databaseName,
      port: POSTGRES_PORT,
      username: this.masterUsername,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: this.key.keyId,
      iamDatabaseAuthenticationEnabled: true,
      storageType: 'gp3',
      allocatedStorage: props.storageGiB,
      maxAllocatedStorage: maxStorageGiB,
      storageEncrypted: true,
      kmsKeyId: this.key.keyId,
      multiAz: resolved.highAvailability,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [securityGroup.id],
      publiclyAccessible: false,
      networkType: 'IPV4',
      caCertIdentifier: 'rds-ca-rsa2048-g1',
      parameterGroupName: parameterGroup.name,
      backupRetentionPeriod: resolved.backupRetentionDays,
      backupWindow: props.backupWindow ?? '02:00-03:00',
      maintenanceWindow: props.maintenanceWindow ?? 'sun:03:30-sun:04:30',
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: !resolved.deletionProtection,
      deletionProtection: resolved.deletionProtection,
      skipFinalSnapshot: !resolved.deletionProtection,
      finalSnapshotIdentifier: resolved.deletionProtection ? `${name}-final` : undefined,
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: true,
      enabledCloudwatchLogsExports: [...RDS_LOG_EXPORTS],
      monitoringInterval: RDS_ENHANCED_MONITORING_INTERVAL_SECONDS,
      monitoringRoleArn: monitoringRole.arn,
      databaseInsightsMode: 'standard',
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: this.key.keyId,
      performanceInsightsRetentionPeriod: RDS_PERFORMANCE_INSIGHTS_RETENTION_DAYS,
      tags: { ...resolved.tags },
      lifecycle: resolved.deletionProtection ? { preventDestroy: true } : undefined,
      dependsOn: logGroups,
    });
    this.masterUserSecretArn = instance.masterUserSecret.get(0).secretArn;
    const { region } = awsContext(this);
    this.credentialsRead = {
      kind: 'cloud',
      aws: [
        { Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: [this.masterUserSecretArn] },
        {
          Action: ['kms:Decrypt'],
          Resource: [this.key.keyId],
          Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com`, 'kms:EncryptionContext:SecretARN': this.masterUserSecretArn } },
        },
      ],
    };

    const secret = new SecretsmanagerSecret(this, 'connection-secret', {
      name: resolved.connectionSecretName,
      description: `Connection details of PostgreSQL ${name} (the password is in the RDS-managed secret named by masterUserSecretArn)`,
      kmsKeyId: this.key.keyId,
      recoveryWindowInDays: resolved.deletionProtection ? 30 : 7,
      lifecycle: resolved.deletionProtection ? { preventDestroy: true } : undefined,
    });
    new SecretsmanagerSecretVersion(this, 'connection-secret-version', {
      secretId: secret.id,
      secretString: Fn.jsonencode({
        engine: 'postgres',
        host: instance.address,
        port: POSTGRES_PORT,
        dbname: resolved.databaseName,
        username: this.masterUsername,
        sslmode: 'verify-full',
        masterUserSecretArn: this.masterUserSecretArn,
      }),
    });

    this.addMonitoring(props, instance.identifier);

    this.endpoint = instance.address;
    this.databaseName = resolved.databaseName;
    this.connectionSecretName = resolved.connectionSecretName;
    this.connectionSecretId = secret.arn;
    this.resourceId = instance.arn;
    this.metricsResourceId = instance.identifier;
    this.securityGroupId = securityGroup.id;
    this.dbiResourceId = instance.resourceId;
  }

  /**
   * The ARN IAM policies name to let a principal log in as a database user with IAM authentication
   * (`rds-db:connect`). The user must exist in PostgreSQL and be granted `rds_iam`.
   *
   * @param dbUser PostgreSQL user name
   */
  iamConnectArn(dbUser: string): string {
    const { accountId, region } = awsContext(this);
    return `arn:aws:rds-db:${region}:${accountId}:dbuser:${this.dbiResourceId}/${dbUser}`;
  }

  private addMonitoring(props: AwsDatabaseProps, identifier: string): void {
    const actions = [props.alarmTopicArn];
    const { sustainedMinutes } = DATABASE_ALERT_THRESHOLDS;
    const periods = sustainedMinutes / 5;
    const alarm = (alarmId: string, metricName: string, comparisonOperator: string, threshold: number, description: string, statistic = 'Average') =>
      new CloudwatchMetricAlarm(this, `alarm-${alarmId}`, {
        alarmName: `${props.name}-postgres-${alarmId}`,
        alarmDescription: `PostgreSQL ${props.name}: ${description}`,
        namespace: 'AWS/RDS',
        metricName,
        dimensions: { DBInstanceIdentifier: identifier },
        statistic,
        period: 300,
        evaluationPeriods: periods,
        datapointsToAlarm: periods,
        comparisonOperator,
        threshold,
        treatMissingData: 'notBreaching',
        alarmActions: actions,
        okActions: actions,
      });
    alarm('cpu', 'CPUUtilization', 'GreaterThanThreshold', DATABASE_ALERT_THRESHOLDS.cpuPercent, `CPU above ${DATABASE_ALERT_THRESHOLDS.cpuPercent}%`);
    const connections = connectionsAlertThreshold(props.size, 'aws');
    alarm('connections', 'DatabaseConnections', 'GreaterThanThreshold', connections, `more than ${connections} connections (80% of the default max_connections)`);
    const latencySeconds = DATABASE_ALERT_THRESHOLDS.ioLatencyMs / 1000;
    alarm('read-latency', 'ReadLatency', 'GreaterThanThreshold', latencySeconds, `read latency above ${DATABASE_ALERT_THRESHOLDS.ioLatencyMs} ms`);
    alarm('write-latency', 'WriteLatency', 'GreaterThanThreshold', latencySeconds, `write latency above ${DATABASE_ALERT_THRESHOLDS.ioLatencyMs} ms`);
    const freeBytes = Math.floor(props.storageGiB * FREE_STORAGE_ALERT_FRACTION * 1024 ** 3);
    alarm('free-storage', 'FreeStorageSpace', 'LessThanThreshold', freeBytes, 'free storage below 5% of the initial allocation (autoscaling has not kept up)', 'Minimum');
    alarm('replication-slot-lag', 'OldestReplicationSlotLag', 'GreaterThanThreshold', REPLICATION_SLOT_LAG_ALERT_BYTES, 'a replication slot holds back more than 1 GiB of WAL', 'Maximum');
    alarm('transaction-ids', 'MaximumUsedTransactionIDs', 'GreaterThanThreshold', 1_000_000_000, 'transaction ID wraparound approaching (vacuum is not keeping up)', 'Maximum');
    new DbEventSubscription(this, 'events', {
      name: `${props.name}-postgres-events`,
      snsTopic: props.alarmTopicArn,
      sourceType: 'db-instance',
      sourceIds: [identifier],
      eventCategories: [...RDS_EVENT_CATEGORIES],
      enabled: true,
    });
  }

  private validate(props: AwsDatabaseProps, maxStorageGiB: number, allowedCidrs: string[], allowedSecurityGroupIds: string[]): void {
    const path = this.node.path;
    const problems = databasePropsProblems(this, props);
    if (!Token.isUnresolved(props.subnetIds) && props.subnetIds.length < 2) {
      problems.push(`${path}: subnetIds has ${props.subnetIds.length} subnet(s); an RDS subnet group needs private subnets in at least two availability zones`);
    }
    if (allowedCidrs.length === 0 && allowedSecurityGroupIds.length === 0) {
      problems.push(`${path}: nothing may connect; give allowedCidrs or allowedSecurityGroupIds (or both)`);
    }
    for (const cidr of allowedCidrs) {
      if (!Token.isUnresolved(cidr) && (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr) || cidr.endsWith('/0'))) {
        problems.push(`${path}: allowedCidrs entry ${describeValue(cidr)} is not a private IPv4 CIDR (e.g. 10.0.0.0/16; 0.0.0.0/0 is not allowed)`);
      }
    }
    if (!Number.isInteger(maxStorageGiB) || maxStorageGiB < props.storageGiB || maxStorageGiB > DATABASE_STORAGE_GIB.max) {
      problems.push(`${path}: maxStorageGiB ${describeValue(maxStorageGiB)} must be a whole number from storageGiB (${props.storageGiB}) to ${DATABASE_STORAGE_GIB.max}`);
    }
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
  }
}

/** An `on`/`off` setting as RDS parameter groups take booleans (`1`/`0`). */
const rdsValue = (value: string): string => (value === 'on' ? '1' : value === 'off' ? '0' : value);
