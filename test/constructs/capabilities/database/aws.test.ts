import { AwsDatabase, AwsDatabaseProps } from '../../../../constructs/capabilities/database/aws';
import { DATABASE_SIZE_VCPUS } from '../../../../constructs/capabilities/database';
import { AwsKmsKey } from '../../../../constructs/infrastructure/keys/aws';
import { awsTestStack, onlyResource, resources } from '../../../helpers';

const TOPIC = 'arn:aws:sns:eu-west-1:111111111111:platform-alerts';

const prodLike: AwsDatabaseProps = {
  name: 'prod-platform',
  engineVersion: '17',
  size: 'large',
  storageGiB: 100,
  vpcId: 'vpc-123',
  subnetIds: ['subnet-a', 'subnet-b', 'subnet-c'],
  allowedCidrs: ['10.0.0.0/16'],
  allowedSecurityGroupIds: ['sg-nodes'],
  alarmTopicArn: TOPIC,
};

const devLike: AwsDatabaseProps = {
  ...prodLike,
  name: 'dev-platform',
  engineVersion: '16',
  size: 'small',
  storageGiB: 20,
  backupRetentionDays: 7,
  highAvailability: false,
  deletionProtection: false,
};

const synth = (props: AwsDatabaseProps) => awsTestStack((stack) => new AwsDatabase(stack, 'database', props));

/** The alarm whose metric is `metricName`. */
const alarmOf = (json: any, metricName: string) => resources(json, 'aws_cloudwatch_metric_alarm').find((a) => a.metric_name === metricName);

describe('AwsDatabase', () => {
  describe('prod-like (HA, deletion protection, 30-day backups by default)', () => {
    const json = synth(prodLike);
    const instance = onlyResource(json, 'aws_db_instance');
    const keyArn = expect.stringMatching(/^\$\{aws_kms_key\.database_key_[A-F0-9]+\.arn\}$/);

    test('runs the size\'s instance class and version with gp3 storage that autoscales', () => {
      expect(instance).toMatchObject({
        identifier: 'prod-platform',
        engine: 'postgres',
        engine_version: '17',
        instance_class: 'db.m7g.xlarge',
        storage_type: 'gp3',
        allocated_storage: 100,
        max_allocated_storage: 400,
        db_name: 'prod_platform',
        port: 5432,
      });
      expect(DATABASE_SIZE_VCPUS.large).toBe(4);
    });

    test('encrypts storage, Performance Insights and the master secret with its own rotating KMS key', () => {
      expect(instance).toMatchObject({
        storage_encrypted: true,
        kms_key_id: keyArn,
        performance_insights_enabled: true,
        performance_insights_kms_key_id: keyArn,
        master_user_secret_kms_key_id: keyArn,
      });
      expect(onlyResource(json, 'aws_kms_key').enable_key_rotation).toBe(true);
    });

    test('has no password: RDS manages the master password in Secrets Manager', () => {
      expect(instance.manage_master_user_password).toBe(true);
      expect(instance.password).toBeUndefined();
      expect(JSON.stringify(json)).not.toMatch(/"password(_wo)?"\s*:/);
      expect(json.output ?? {}).toEqual({});
    });

    test('is private only: not publicly accessible, private subnets, 5432 only from the allowed sources', () => {
      expect(instance.publicly_accessible).toBe(false);
      expect(onlyResource(json, 'aws_db_subnet_group').subnet_ids).toEqual(['subnet-a', 'subnet-b', 'subnet-c']);
      const rules = resources(json, 'aws_vpc_security_group_ingress_rule');
      expect(rules).toHaveLength(2);
      expect(rules.map((r) => [r.from_port, r.to_port, r.cidr_ipv4 ?? r.referenced_security_group_id])).toEqual([
        [5432, 5432, '10.0.0.0/16'],
        [5432, 5432, 'sg-nodes'],
      ]);
      const sg = onlyResource(json, 'aws_security_group');
      expect(sg.ingress).toBeUndefined();
      expect(instance.vpc_security_group_ids).toEqual([expect.stringMatching(/^\$\{aws_security_group\..+\.id\}$/)]);
    });

    test('enforces TLS and logs connections, lock waits and slow statements', () => {
      const group = onlyResource(json, 'aws_db_parameter_group');
      expect(group.family).toBe('postgres17');
      expect(group.parameter).toEqual(
        expect.arrayContaining([
          { name: 'rds.force_ssl', value: '1' },
          { name: 'ssl_min_protocol_version', value: 'TLSv1.2' },
          { name: 'log_connections', value: '1' },
          { name: 'log_min_duration_statement', value: '1000' },
        ]),
      );
      expect(group.lifecycle).toEqual({ create_before_destroy: true });
      expect(instance.parameter_group_name).toMatch(/aws_db_parameter_group\..+\.name/);
    });

    test('is Multi-AZ with 30 days of backups (point-in-time recovery) and IAM database auth', () => {
      expect(instance).toMatchObject({ multi_az: true, backup_retention_period: 30, iam_database_authentication_enabled: true, copy_tags_to_snapshot: true });
      expect(instance.auto_minor_version_upgrade).toBe(true);
    });

    test('is deletion protected, kept from destroy, with a deterministic final snapshot', () => {
      expect(instance).toMatchObject({
        deletion_protection: true,
        skip_final_snapshot: false,
        final_snapshot_identifier: 'prod-platform-final',
        delete_automated_backups: false,
        lifecycle: { prevent_destroy: true },
      });
    });

    test('keeps its key and connection secret from destroy too', () => {
      expect(onlyResource(json, 'aws_kms_key').lifecycle).toEqual({ prevent_destroy: true });
      expect(onlyResource(json, 'aws_secretsmanager_secret').lifecycle).toEqual({ prevent_destroy: true });
    });

    test('exports postgresql and upgrade logs to encrypted log groups, and has enhanced monitoring', () => {
      expect(instance.enabled_cloudwatch_logs_exports).toEqual(['postgresql', 'upgrade']);
      const groups = resources(json, 'aws_cloudwatch_log_group');
      expect(groups.map((g) => g.name)).toEqual(['/aws/rds/instance/prod-platform/postgresql', '/aws/rds/instance/prod-platform/upgrade']);
      groups.forEach((g) => expect(g.kms_key_id).toEqual(keyArn));
      const policy = JSON.parse(onlyResource(json, 'aws_kms_key').policy);
      expect(JSON.stringify(policy)).toContain('log-group:/aws/rds/instance/prod-platform/postgresql');
      expect(instance.monitoring_interval).toBe(60);
      expect(instance.monitoring_role_arn).toMatch(/aws_iam_role\..+\.arn/);
    });

    test('writes connection details (no password) to a Secrets Manager secret encrypted with the key', () => {
      const secret = onlyResource(json, 'aws_secretsmanager_secret');
      expect(secret).toMatchObject({ name: 'prod-platform-postgres-connection', kms_key_id: keyArn, recovery_window_in_days: 30 });
      const value: string = onlyResource(json, 'aws_secretsmanager_secret_version').secret_string;
      expect(value).toContain('aws_db_instance.database_instance_');
      expect(value).toContain('.address');
      expect(value).toContain('master_user_secret[0].secret_arn');
      expect(value).toContain('"dbname" = "prod_platform"');
      expect(value).not.toMatch(/password"/i);
    });

    test('alarms on CPU, connections, latency, storage, replication and transaction IDs to the topic', () => {
      const alarms = resources(json, 'aws_cloudwatch_metric_alarm');
      expect(alarms.map((a) => a.metric_name).sort()).toEqual(
        ['CPUUtilization', 'DatabaseConnections', 'FreeStorageSpace', 'MaximumUsedTransactionIDs', 'OldestReplicationSlotLag', 'ReadLatency', 'WriteLatency'].sort(),
      );
      alarms.forEach((a) => {
        expect(a.alarm_actions).toEqual([TOPIC]);
        expect(a.namespace).toBe('AWS/RDS');
        expect(a.dimensions.DBInstanceIdentifier).toMatch(/aws_db_instance\..+\.identifier/);
      });
      expect(alarmOf(json, 'DatabaseConnections').threshold).toBe(1441); // 80% of 1802 for db.m7g.xlarge
      expect(alarmOf(json, 'ReadLatency').threshold).toBe(0.02);
      expect(alarmOf(json, 'FreeStorageSpace')).toMatchObject({ comparison_operator: 'LessThanThreshold', threshold: 5 * 1024 ** 3 });
    });

    test('subscribes the topic to backup, failure and failover events', () => {
      const events = onlyResource(json, 'aws_db_event_subscription');
      expect(events).toMatchObject({ sns_topic: TOPIC, source_type: 'db-instance' });
      expect(events.event_categories).toEqual(expect.arrayContaining(['backup', 'failure', 'failover']));
      expect(events.source_ids).toEqual([expect.stringMatching(/aws_db_instance\..+\.identifier/)]);
    });
  });

  describe('dev-like (no HA, 7 days, no deletion protection)', () => {
    const json = synth(devLike);
    const instance = onlyResource(json, 'aws_db_instance');

    test('is single-AZ on a burstable class with 7 days of backups', () => {
      expect(instance).toMatchObject({ instance_class: 'db.t4g.medium', multi_az: false, backup_retention_period: 7, engine_version: '16' });
    });

    test('can be destroyed without a final snapshot', () => {
      expect(instance).toMatchObject({ deletion_protection: false, skip_final_snapshot: true });
      expect(instance.final_snapshot_identifier).toBeUndefined();
      expect(instance.lifecycle).toBeUndefined();
      expect(onlyResource(json, 'aws_kms_key').lifecycle).toBeUndefined();
      expect(onlyResource(json, 'aws_secretsmanager_secret').recovery_window_in_days).toBe(7);
      expect(onlyResource(json, 'aws_secretsmanager_secret').lifecycle).toBeUndefined();
    });

    test('alarms on connections derived from the smaller class', () => {
      expect(alarmOf(json, 'DatabaseConnections').threshold).toBe(360);
    });
  });

  test('uses a given key instead of creating one', () => {
    const json = awsTestStack((stack) => {
      const key = new AwsKmsKey(stack, 'shared-key', { alias: 'idpkit/shared', description: 'shared' });
      new AwsDatabase(stack, 'database', { ...devLike, key });
    });
    expect(resources(json, 'aws_kms_key')).toHaveLength(1);
    expect(onlyResource(json, 'aws_db_instance').kms_key_id).toMatch(/aws_kms_key\.shared-key_/);
  });

  test('throws when the name, version, size, storage or retention are invalid', () => {
    expect(() => synth({ ...devLike, name: 'Bad_Name' })).toThrow(/name "Bad_Name" is not a database name/);
    expect(() => synth({ ...devLike, engineVersion: '15' as any })).toThrow(/engineVersion "15" is not supported \(one of 16, 17\)/);
    expect(() => synth({ ...devLike, size: 'huge' as any })).toThrow(/size "huge" is not a database size/);
    expect(() => synth({ ...devLike, storageGiB: 10 })).toThrow(/storageGiB 10 is outside what every cloud accepts \(whole GiB, 20 to 65536\)/);
    expect(() => synth({ ...devLike, backupRetentionDays: 0 })).toThrow(/backupRetentionDays 0 is outside/);
    expect(() => synth({ ...devLike, backupRetentionDays: 36 })).toThrow(/backupRetentionDays 36 is outside/);
  });

  test('throws when the network would not be private or reachable', () => {
    expect(() => synth({ ...devLike, subnetIds: ['subnet-a'] })).toThrow(/at least two availability zones/);
    expect(() => synth({ ...devLike, allowedCidrs: [], allowedSecurityGroupIds: [] })).toThrow(/give allowedCidrs or allowedSecurityGroupIds/);
    expect(() => synth({ ...devLike, allowedCidrs: ['0.0.0.0/0'] })).toThrow(/"0.0.0.0\/0" is not a private IPv4 CIDR/);
    expect(() => synth({ ...devLike, maxStorageGiB: 10 })).toThrow(/maxStorageGiB 10 must be/);
  });
});
