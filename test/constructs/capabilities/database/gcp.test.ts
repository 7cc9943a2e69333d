import { GcpDatabase, GcpDatabaseProps, GcpPrivateServiceAccess } from '../../../../constructs/capabilities/database/gcp';
import { GcpKmsKey } from '../../../../constructs/infrastructure/keys/gcp';
import { addressOf, at, gcpTestStack, ref, serviceAddresses } from '../../../gcp-helpers';
import { onlyResource, resources } from '../../../helpers';

const NETWORK = 'projects/acme-idp-test/global/networks/prod';
const CHANNELS = ['projects/acme-idp-test/notificationChannels/123'];

type Props = Omit<GcpDatabaseProps, 'privateServiceAccess'>;

const prodLike: Props = {
  name: 'prod-platform',
  engineVersion: '17',
  size: 'medium',
  storageGiB: 100,
  region: 'europe-west1',
  notificationChannelIds: CHANNELS,
  iamServiceAccountEmail: 'backstage@acme-idp-test.iam.gserviceaccount.com',
};

const devLike: Props = {
  name: 'dev-platform',
  engineVersion: '16',
  size: 'small',
  storageGiB: 20,
  region: 'europe-west1',
  notificationChannelIds: CHANNELS,
  backupRetentionDays: 7,
  highAvailability: false,
  deletionProtection: false,
};

const synth = (props: Props) =>
  gcpTestStack((stack) => {
    const privateServiceAccess = new GcpPrivateServiceAccess(stack, 'psa', { networkSelfLink: NETWORK, rangeName: 'prod-google-services' });
    new GcpDatabase(stack, 'database', { ...props, privateServiceAccess });
  });

const policyWith = (json: any, text: string) =>
  resources(json, 'google_monitoring_alert_policy').find((p) => JSON.stringify(p.conditions).includes(text));

describe('GcpPrivateServiceAccess', () => {
  const json = synth(devLike);

  test('reserves an internal /20 for VPC peering and peers it with service networking', () => {
    expect(onlyResource(json, 'google_compute_global_address')).toMatchObject({
      name: 'prod-google-services',
      purpose: 'VPC_PEERING',
      address_type: 'INTERNAL',
      prefix_length: 20,
      network: NETWORK,
    });
    expect(onlyResource(json, 'google_service_networking_connection')).toMatchObject({
      network: NETWORK,
      service: 'servicenetworking.googleapis.com',
      reserved_peering_ranges: [ref(addressOf(json, 'google_compute_global_address'), 'name')],
      deletion_policy: 'ABANDON',
    });
  });

  test('throws when the range is invalid', () => {
    expect(() => gcpTestStack((stack) => new GcpPrivateServiceAccess(stack, 'psa', { networkSelfLink: NETWORK, rangeName: 'Bad_Range' }))).toThrow(/rangeName "Bad_Range"/);
    expect(() => gcpTestStack((stack) => new GcpPrivateServiceAccess(stack, 'psa', { networkSelfLink: NETWORK, rangeName: 'r', prefixLength: 28 }))).toThrow(
      /prefixLength 28 is outside what private services access takes \(8 to 24\)/,
    );
  });
});

describe('GcpDatabase', () => {
  describe('prod-like (regional HA, deletion protection, 30-day backups by default)', () => {
    const json = synth(prodLike);
    const instance = onlyResource(json, 'google_sql_database_instance');
    const keyAddress = addressOf(json, 'google_kms_crypto_key');

    test('runs the size\'s custom tier on Enterprise edition, SSD that grows by itself', () => {
      expect(instance).toMatchObject({ name: 'prod-platform', region: 'europe-west1', database_version: 'POSTGRES_17' });
      expect(instance.settings).toMatchObject({ edition: 'ENTERPRISE', tier: 'db-custom-2-8192', disk_type: 'PD_SSD', disk_size: 100, disk_autoresize: true });
    });

    test('is encrypted with its Cloud KMS key, granted first to the Cloud SQL service agent that Terraform has Google create', () => {
      expect(instance.encryption_key_name).toBe(ref(keyAddress, 'id'));
      const agent = addressOf(json, 'google_project_service_identity', (i) => i.service === 'sqladmin.googleapis.com');
      expect(at(json, agent)).toMatchObject({ provider: 'google-beta', project: expect.stringMatching(/^\$\{data\.google_project\./) });
      expect(at(json, agent).depends_on).toEqual(serviceAddresses(json, ['sqladmin.googleapis.com']));
      // The grant names the agent by reference (it waits for it), and after its project role, which agents created on request lack.
      const role = addressOf(json, 'google_project_iam_member', (m) => m.role === 'roles/cloudsql.serviceAgent');
      expect(at(json, role).member).toBe(ref(agent, 'member'));
      const grant = addressOf(json, 'google_kms_crypto_key_iam_member', (m) => m.member === ref(agent, 'member'));
      expect(at(json, grant).depends_on).toEqual([role]);
      expect(instance.depends_on).toContain(grant);
      expect(json.terraform.required_providers['google-beta']).toEqual({ source: 'hashicorp/google-beta', version: '6.50.0' });
    });

    test('has a private IP only, in the VPC, after private services access exists', () => {
      expect(instance.settings.ip_configuration).toMatchObject({
        ipv4_enabled: false,
        private_network: NETWORK,
        allocated_ip_range: ref(addressOf(json, 'google_compute_global_address'), 'name'),
      });
      expect(instance.depends_on).toContain(addressOf(json, 'google_service_networking_connection'));
    });

    test('accepts encrypted connections only', () => {
      expect(instance.settings.ip_configuration.ssl_mode).toBe('ENCRYPTED_ONLY');
    });

    test('is regional (HA) with 30 retained daily backups and point-in-time recovery', () => {
      expect(instance.settings.availability_type).toBe('REGIONAL');
      expect(instance.settings.backup_configuration).toMatchObject({
        enabled: true,
        point_in_time_recovery_enabled: true,
        transaction_log_retention_days: 7,
        backup_retention_settings: { retained_backups: 30, retention_unit: 'COUNT' },
      });
    });

    test('is deletion protected in the API and in Terraform, and kept from destroy', () => {
      expect(instance.deletion_protection).toBe(true);
      expect(instance.settings).toMatchObject({ deletion_protection_enabled: true, retain_backups_on_delete: true });
      expect(instance.lifecycle).toEqual({ prevent_destroy: true });
    });

    test('keeps its database, connection secret and key from destroy as well', () => {
      for (const type of ['google_sql_database', 'google_secret_manager_secret', 'google_kms_crypto_key']) {
        expect(resources(json, type).map((resource) => resource.lifecycle)).toEqual([{ prevent_destroy: true }]);
      }
    });

    test('uses IAM database authentication, logs connections, has Query Insights, and no root password', () => {
      expect(instance.settings.database_flags).toEqual(
        expect.arrayContaining([
          { name: 'cloudsql.iam_authentication', value: 'on' },
          { name: 'log_connections', value: 'on' },
          { name: 'log_min_duration_statement', value: '1000' },
        ]),
      );
      expect(instance.settings.insights_config.query_insights_enabled).toBe(true);
      expect(instance.root_password).toBeUndefined();
      expect(JSON.stringify(json)).not.toMatch(/"(root_)?password(_wo)?"\s*:/);
      expect(onlyResource(json, 'google_sql_user')).toMatchObject({ name: 'backstage@acme-idp-test.iam', type: 'CLOUD_IAM_SERVICE_ACCOUNT' });
    });

    test('creates the logical database', () => {
      expect(onlyResource(json, 'google_sql_database')).toMatchObject({ name: 'prod_platform', instance: ref(addressOf(json, 'google_sql_database_instance'), 'name') });
    });

    test('writes connection details (no password) to a CMEK secret replicated in the region', () => {
      const secret = onlyResource(json, 'google_secret_manager_secret');
      expect(secret.secret_id).toBe('prod-platform-postgres-connection');
      expect(secret.replication.user_managed.replicas).toEqual([{ location: 'europe-west1', customer_managed_encryption: { kms_key_name: ref(keyAddress, 'id') } }]);
      const agent = addressOf(json, 'google_project_service_identity', (i) => i.service === 'secretmanager.googleapis.com');
      const agentGrant = addressOf(json, 'google_kms_crypto_key_iam_member', (m) => m.member === ref(agent, 'member'));
      expect(secret.depends_on).toContain(agentGrant);
      const data: string = onlyResource(json, 'google_secret_manager_secret_version').secret_data;
      expect(data).toContain('.private_ip_address');
      expect(data).toContain('.connection_name');
      expect(data).toContain('"username" = "backstage@acme-idp-test.iam"');
      expect(data).not.toMatch(/password/i);
    });

    test('alerts on CPU, disk, connections, the instance being down and failed backups, to the channels', () => {
      const policies = resources(json, 'google_monitoring_alert_policy');
      expect(policies).toHaveLength(5);
      policies.forEach((p) => {
        expect(p.notification_channels).toEqual(CHANNELS);
        expect(JSON.stringify(p.conditions)).toContain('resource.labels.database_id = \\"${google_sql_database_instance.');
      });
      expect(policyWith(json, 'database/cpu/utilization').conditions[0].condition_threshold).toMatchObject({ comparison: 'COMPARISON_GT', threshold_value: 0.8 });
      expect(policyWith(json, 'database/disk/utilization').conditions[0].condition_threshold.threshold_value).toBe(0.85);
      expect(policyWith(json, 'postgresql/num_backends').conditions[0].condition_threshold.threshold_value).toBe(320); // 80% of 400
      expect(policyWith(json, 'database/up').conditions[0].condition_threshold).toMatchObject({ comparison: 'COMPARISON_LT', threshold_value: 1 });
      const backup = policyWith(json, 'cloudsql.instances.automatedBackup');
      expect(backup.conditions[0].condition_matched_log.filter).toContain('protoPayload.metadata.windowStatus != \"STATUS_SUCCEEDED\"');
      expect(backup.alert_strategy.notification_rate_limit.period).toBe('3600s');
    });

    test('enables the Cloud SQL, Service Networking and Secret Manager APIs', () => {
      const services = resources(json, 'google_project_service').map((s) => s.service);
      expect(services).toEqual(expect.arrayContaining(['sqladmin.googleapis.com', 'servicenetworking.googleapis.com', 'secretmanager.googleapis.com']));
    });
  });

  describe('dev-like (no HA, 7 days, no deletion protection)', () => {
    const json = synth(devLike);
    const instance = onlyResource(json, 'google_sql_database_instance');

    test('is zonal on the small tier with 7 retained backups', () => {
      expect(instance.settings).toMatchObject({ tier: 'db-custom-2-4096', availability_type: 'ZONAL' });
      expect(instance.settings.backup_configuration).toMatchObject({ point_in_time_recovery_enabled: true, transaction_log_retention_days: 7, backup_retention_settings: { retained_backups: 7 } });
    });

    test('can be destroyed', () => {
      expect(instance.deletion_protection).toBe(false);
      expect(instance.settings.deletion_protection_enabled).toBe(false);
      expect(instance.lifecycle).toBeUndefined();
      for (const type of ['google_sql_database', 'google_secret_manager_secret', 'google_kms_crypto_key']) {
        expect(resources(json, type).map((resource) => resource.lifecycle)).toEqual([undefined]);
      }
    });

    test('creates no IAM user when none is given', () => {
      expect(resources(json, 'google_sql_user')).toHaveLength(0);
      expect(onlyResource(json, 'google_secret_manager_secret_version').secret_data).not.toContain('username');
    });
  });

  test('uses a given key in the region', () => {
    const json = gcpTestStack((stack) => {
      const privateServiceAccess = new GcpPrivateServiceAccess(stack, 'psa', { networkSelfLink: NETWORK, rangeName: 'r1' });
      const key = new GcpKmsKey(stack, 'shared-key', { alias: 'shared', description: 'shared', location: 'europe-west1' });
      new GcpDatabase(stack, 'database', { ...devLike, privateServiceAccess, key });
    });
    expect(resources(json, 'google_kms_crypto_key')).toHaveLength(1);
  });

  test('throws when props are invalid', () => {
    expect(() => synth({ ...devLike, name: 'x' })).toThrow(/name "x" is not a database name/);
    expect(() => synth({ ...devLike, backupRetentionDays: 40 })).toThrow(/backupRetentionDays 40 is outside what the clouds allow \(whole days, 1 to 35\)/);
    expect(() => synth({ ...devLike, storageGiB: 70000 })).toThrow(/storageGiB 70000/);
    expect(() => synth({ ...devLike, notificationChannelIds: [] })).toThrow(/alerts need at least one notification channel/);
    expect(() => synth({ ...devLike, iamServiceAccountEmail: 'someone@example.com' })).toThrow(/is not a service account email/);
    expect(() => synth({ ...devLike, backupStartTime: '2am' })).toThrow(/backupStartTime "2am" is not a whole hour/);
    expect(() =>
      gcpTestStack((stack) => {
        const privateServiceAccess = new GcpPrivateServiceAccess(stack, 'psa', { networkSelfLink: NETWORK, rangeName: 'r1' });
        const key = new GcpKmsKey(stack, 'key', { alias: 'k', description: 'k', location: 'us-east1' });
        new GcpDatabase(stack, 'database', { ...devLike, privateServiceAccess, key });
      }),
    ).toThrow(/key is in "us-east1" but the instance is in "europe-west1"/);
  });
});
