import {
  noPublicIamRule,
  GCP_RULES,
  artifactRegistryCmekRule,
  artifactRegistryImmutableScannedRule,
  cloudSqlBackupsRule,
  cloudSqlCmekRule,
  cloudSqlDeletionProtectionRule,
  cloudSqlHaRule,
  cloudSqlPrivateRule,
  cloudSqlTlsRule,
  gkeControlPlaneAccessRule,
  gkeControlPlaneLoggingRule,
  gkeNetworkPolicyRule,
  gkePrivateNodesRule,
  gkeRegionalRule,
  gkeSecretsEncryptionRule,
  gkeWorkloadIdentityRule,
  cloudKmsKeyRotationRule,
  noServiceAccountKeysRule,
  secretManagerCmekRule,
  storageBucketAccessRule,
  storageBucketCmekRule,
  subnetFlowLogsRule,
  workloadIdentityProviderScopedRule,
} from '../../../../constructs/policy/rules/gcp';
import { checkStack } from '../../../../constructs/policy/engine';
import { verdict } from '../rule-helpers';

describe('IDP-GCP-001 Cloud SQL without public IP', () => {
  test('compliant: ipv4_enabled false', () => {
    expect(verdict(cloudSqlPrivateRule, { settings: { ip_configuration: { ipv4_enabled: false, private_network: '${google_compute_network.vpc.self_link}' } } })).toBe('compliant');
  });
  test('non-compliant: ipv4 on or unset (the provider default is on)', () => {
    expect(verdict(cloudSqlPrivateRule, { settings: { ip_configuration: { ipv4_enabled: true } } })).toBe('non-compliant');
    expect(verdict(cloudSqlPrivateRule, { settings: [{}] })).toBe('non-compliant');
  });
});

describe('IDP-GCP-002 Cloud SQL deletion protection (prod)', () => {
  test('compliant: left at the provider default (true) or set', () => {
    expect(verdict(cloudSqlDeletionProtectionRule, { deletion_protection: true, settings: { deletion_protection_enabled: true } })).toBe('compliant');
    expect(verdict(cloudSqlDeletionProtectionRule, { settings: {} })).toBe('compliant');
  });
  test('non-compliant: turned off', () => {
    expect(verdict(cloudSqlDeletionProtectionRule, { deletion_protection: false, settings: {} })).toBe('non-compliant');
    expect(verdict(cloudSqlDeletionProtectionRule, { settings: { deletion_protection_enabled: false } })).toBe('non-compliant');
  });
});

describe('IDP-GCP-003 GKE private nodes', () => {
  test('compliant', () => expect(verdict(gkePrivateNodesRule, { private_cluster_config: { enable_private_nodes: true } })).toBe('compliant'));
  test('non-compliant: public nodes', () => {
    expect(verdict(gkePrivateNodesRule, { private_cluster_config: { enable_private_nodes: false } })).toBe('non-compliant');
    expect(verdict(gkePrivateNodesRule, {})).toBe('non-compliant');
  });
});

describe('IDP-GCP-004 bucket uniform access and public access prevention', () => {
  test('compliant', () => expect(verdict(storageBucketAccessRule, { uniform_bucket_level_access: true, public_access_prevention: 'enforced' })).toBe('compliant'));
  test('non-compliant: ACLs allowed or prevention inherited', () => {
    expect(verdict(storageBucketAccessRule, { uniform_bucket_level_access: false, public_access_prevention: 'enforced' })).toBe('non-compliant');
    expect(verdict(storageBucketAccessRule, { uniform_bucket_level_access: true, public_access_prevention: 'inherited' })).toBe('non-compliant');
  });
});

describe('the GCP pack', () => {
  test('lists its rules in id order, ids unique and consecutive', () => {
    expect(GCP_RULES.map((rule) => rule.id)).toEqual(GCP_RULES.map((_, index) => `IDP-GCP-${String(index + 1).padStart(3, '0')}`));
  });
});

const KEY = 'projects/p/locations/europe-west1/keyRings/r/cryptoKeys/k';
const KEY_REF = '${google_kms_crypto_key.key.id}';

describe('IDP-GCP-005 Cloud KMS key rotation (90 days at most)', () => {
  test('compliant: symmetric key rotating every 90 days or less, or by reference', () => {
    expect(verdict(cloudKmsKeyRotationRule, { purpose: 'ENCRYPT_DECRYPT', rotation_period: '7776000s' })).toBe('compliant');
    expect(verdict(cloudKmsKeyRotationRule, { rotation_period: '2592000s' })).toBe('compliant'); // purpose defaults to ENCRYPT_DECRYPT
    expect(verdict(cloudKmsKeyRotationRule, { rotation_period: '${var.rotation}' })).toBe('compliant');
  });
  test('non-compliant: no rotation, or longer than 90 days', () => {
    expect(verdict(cloudKmsKeyRotationRule, { purpose: 'ENCRYPT_DECRYPT' })).toBe('non-compliant');
    expect(verdict(cloudKmsKeyRotationRule, { rotation_period: '31536000s' })).toBe('non-compliant');
    expect(verdict(cloudKmsKeyRotationRule, { rotation_period: '7776000.5s' })).toBe('non-compliant');
  });
  test('not applicable: keys Cloud KMS cannot rotate automatically', () => {
    expect(verdict(cloudKmsKeyRotationRule, { purpose: 'ASYMMETRIC_SIGN' })).toBe('not-applicable');
    expect(verdict(cloudKmsKeyRotationRule, { purpose: 'MAC' })).toBe('not-applicable');
    expect(verdict(cloudKmsKeyRotationRule, { import_only: true })).toBe('not-applicable');
    expect(verdict(cloudKmsKeyRotationRule, { version_template: { algorithm: 'EXTERNAL_SYMMETRIC_ENCRYPTION', protection_level: 'EXTERNAL' } })).toBe('not-applicable');
  });
});

describe('IDP-GCP-006 Artifact Registry customer-managed key', () => {
  test('compliant: kms_key_name set', () => expect(verdict(artifactRegistryCmekRule, { format: 'DOCKER', kms_key_name: KEY_REF })).toBe('compliant'));
  test('non-compliant: Google-managed encryption', () => expect(verdict(artifactRegistryCmekRule, { format: 'DOCKER' })).toBe('non-compliant'));
  test('not applicable: virtual repositories store nothing', () =>
    expect(verdict(artifactRegistryCmekRule, { format: 'DOCKER', mode: 'VIRTUAL_REPOSITORY' })).toBe('not-applicable'));
});

describe('IDP-GCP-007 Artifact Registry Docker immutable tags and scanning', () => {
  test('compliant: immutable tags, scanning inherited or left at the default', () => {
    expect(verdict(artifactRegistryImmutableScannedRule, { format: 'DOCKER', docker_config: { immutable_tags: true }, vulnerability_scanning_config: { enablement_config: 'INHERITED' } })).toBe('compliant');
    expect(verdict(artifactRegistryImmutableScannedRule, { format: 'docker', mode: 'STANDARD_REPOSITORY', docker_config: [{ immutable_tags: true }] })).toBe('compliant');
  });
  test('non-compliant: mutable tags, or scanning disabled', () => {
    expect(verdict(artifactRegistryImmutableScannedRule, { format: 'DOCKER' })).toBe('non-compliant');
    expect(verdict(artifactRegistryImmutableScannedRule, { format: 'DOCKER', docker_config: { immutable_tags: false } })).toBe('non-compliant');
    expect(verdict(artifactRegistryImmutableScannedRule, { format: 'DOCKER', docker_config: { immutable_tags: true }, vulnerability_scanning_config: { enablement_config: 'DISABLED' } })).toBe('non-compliant');
  });
  test('not applicable: other formats, remote and virtual repositories', () => {
    expect(verdict(artifactRegistryImmutableScannedRule, { format: 'NPM' })).toBe('not-applicable');
    expect(verdict(artifactRegistryImmutableScannedRule, { format: 'DOCKER', mode: 'REMOTE_REPOSITORY' })).toBe('not-applicable');
  });
  test('is a warning in dev, an error in staging and prod', () => {
    expect(artifactRegistryImmutableScannedRule.severity).toEqual({ dev: 'warning', staging: 'error', prod: 'error' });
  });
});

describe('IDP-GCP-008 GKE secrets encryption', () => {
  test('compliant: ENCRYPTED with a key', () => expect(verdict(gkeSecretsEncryptionRule, { database_encryption: { state: 'ENCRYPTED', key_name: KEY_REF } })).toBe('compliant'));
  test('non-compliant: decrypted, no key, or unset', () => {
    expect(verdict(gkeSecretsEncryptionRule, { database_encryption: { state: 'DECRYPTED' } })).toBe('non-compliant');
    expect(verdict(gkeSecretsEncryptionRule, { database_encryption: [{ state: 'ENCRYPTED' }] })).toBe('non-compliant');
    expect(verdict(gkeSecretsEncryptionRule, {})).toBe('non-compliant');
  });
});

describe('IDP-GCP-009 GKE Workload Identity', () => {
  test('compliant: a workload pool, or Autopilot', () => {
    expect(verdict(gkeWorkloadIdentityRule, { workload_identity_config: { workload_pool: 'p.svc.id.goog' } })).toBe('compliant');
    expect(verdict(gkeWorkloadIdentityRule, { enable_autopilot: true })).toBe('compliant');
  });
  test('non-compliant: no workload pool', () => {
    expect(verdict(gkeWorkloadIdentityRule, {})).toBe('non-compliant');
    expect(verdict(gkeWorkloadIdentityRule, { workload_identity_config: {} })).toBe('non-compliant');
  });
});

describe('IDP-GCP-010 GKE network policy engine', () => {
  test('compliant: Dataplane V2, Calico network policy, or Autopilot', () => {
    expect(verdict(gkeNetworkPolicyRule, { datapath_provider: 'ADVANCED_DATAPATH' })).toBe('compliant');
    expect(verdict(gkeNetworkPolicyRule, { network_policy: { enabled: true, provider: 'CALICO' } })).toBe('compliant');
    expect(verdict(gkeNetworkPolicyRule, { enable_autopilot: true })).toBe('compliant');
  });
  test('non-compliant: legacy datapath without network policy', () => {
    expect(verdict(gkeNetworkPolicyRule, {})).toBe('non-compliant');
    expect(verdict(gkeNetworkPolicyRule, { datapath_provider: 'LEGACY_DATAPATH', network_policy: { enabled: false } })).toBe('non-compliant');
  });
});

describe('IDP-GCP-011 GKE control plane not public', () => {
  test('compliant: private endpoint, IP endpoints off, or authorized networks only', () => {
    expect(verdict(gkeControlPlaneAccessRule, { private_cluster_config: { enable_private_nodes: true, enable_private_endpoint: true } })).toBe('compliant');
    expect(verdict(gkeControlPlaneAccessRule, { control_plane_endpoints_config: { ip_endpoints_config: { enabled: false } } })).toBe('compliant');
    expect(
      verdict(gkeControlPlaneAccessRule, {
        private_cluster_config: { enable_private_endpoint: false },
        master_authorized_networks_config: { cidr_blocks: [{ cidr_block: '203.0.113.0/24' }], gcp_public_cidrs_access_enabled: false },
      }),
    ).toBe('compliant');
  });
  test('non-compliant: public endpoint without authorized networks, open to 0.0.0.0/0 or to all of Google Cloud', () => {
    expect(verdict(gkeControlPlaneAccessRule, {})).toBe('non-compliant');
    expect(verdict(gkeControlPlaneAccessRule, { master_authorized_networks_config: { cidr_blocks: [{ cidr_block: '0.0.0.0/0' }] } })).toBe('non-compliant');
    expect(verdict(gkeControlPlaneAccessRule, { master_authorized_networks_config: { cidr_blocks: [], gcp_public_cidrs_access_enabled: true } })).toBe('non-compliant');
  });
  test('is a warning in dev only', () => expect(gkeControlPlaneAccessRule.severity).toEqual({ dev: 'warning', staging: 'error', prod: 'error' }));
});

describe('IDP-GCP-012 GKE control-plane logging', () => {
  test('compliant: API server logs on', () =>
    expect(verdict(gkeControlPlaneLoggingRule, { logging_config: { enable_components: ['SYSTEM_COMPONENTS', 'APISERVER', 'WORKLOADS'] } })).toBe('compliant'));
  test('non-compliant: defaults (system and workloads only), logging off', () => {
    expect(verdict(gkeControlPlaneLoggingRule, {})).toBe('non-compliant');
    expect(verdict(gkeControlPlaneLoggingRule, { logging_config: { enable_components: ['SYSTEM_COMPONENTS', 'WORKLOADS'] } })).toBe('non-compliant');
    expect(verdict(gkeControlPlaneLoggingRule, { logging_service: 'none', logging_config: { enable_components: ['APISERVER'] } })).toBe('non-compliant');
  });
});

describe('IDP-GCP-013 GKE regional cluster (prod)', () => {
  test('compliant: location is a region (or a reference)', () => {
    expect(verdict(gkeRegionalRule, { location: 'europe-west1' })).toBe('compliant');
    expect(verdict(gkeRegionalRule, { location: '${var.region}' })).toBe('compliant');
  });
  test('non-compliant: location is a zone', () => expect(verdict(gkeRegionalRule, { location: 'europe-west1-b' })).toBe('non-compliant'));
  test('is off in dev', () => expect(gkeRegionalRule.severity).toEqual({ dev: 'off', staging: 'warning', prod: 'error' }));
});

const backups = (backup: object, extra: object = {}) => ({ database_version: 'POSTGRES_17', settings: { backup_configuration: backup }, ...extra });

describe('IDP-GCP-014 Cloud SQL backups with point-in-time recovery', () => {
  test('compliant: backups, PITR and enough retained backups for the tier', () => {
    const prod = backups({ enabled: true, point_in_time_recovery_enabled: true, backup_retention_settings: { retained_backups: 30, retention_unit: 'COUNT' } });
    expect(verdict(cloudSqlBackupsRule, prod)).toBe('compliant');
    expect(verdict(cloudSqlBackupsRule, backups({ enabled: true, point_in_time_recovery_enabled: true }), { tier: 'dev' })).toBe('compliant'); // 7 by default
    expect(verdict(cloudSqlBackupsRule, { database_version: 'MYSQL_8_0', settings: { backup_configuration: { enabled: true, binary_log_enabled: true } } }, { tier: 'staging' })).toBe('compliant');
  });
  test('non-compliant: no backups, no PITR, or too few kept', () => {
    expect(verdict(cloudSqlBackupsRule, { settings: {} })).toBe('non-compliant');
    expect(verdict(cloudSqlBackupsRule, backups({ enabled: false, point_in_time_recovery_enabled: true }))).toBe('non-compliant');
    expect(verdict(cloudSqlBackupsRule, backups({ enabled: true }))).toBe('non-compliant');
    expect(verdict(cloudSqlBackupsRule, backups({ enabled: true, point_in_time_recovery_enabled: true }))).toBe('non-compliant'); // 7 < 30 in prod
    expect(verdict(cloudSqlBackupsRule, backups({ enabled: true, point_in_time_recovery_enabled: true, backup_retention_settings: { retained_backups: 3 } }), { tier: 'dev' })).toBe('non-compliant');
  });
  test('not applicable: read replicas', () => expect(verdict(cloudSqlBackupsRule, backups({}, { master_instance_name: 'primary' }))).toBe('not-applicable'));
});

describe('IDP-GCP-015 Cloud SQL TLS enforced', () => {
  test('compliant: encrypted only, or client certificates required', () => {
    expect(verdict(cloudSqlTlsRule, { settings: { ip_configuration: { ssl_mode: 'ENCRYPTED_ONLY' } } })).toBe('compliant');
    expect(verdict(cloudSqlTlsRule, { settings: [{ ip_configuration: [{ ssl_mode: 'TRUSTED_CLIENT_CERTIFICATE_REQUIRED' }] }] })).toBe('compliant');
  });
  test('non-compliant: unencrypted connections allowed (the default)', () => {
    expect(verdict(cloudSqlTlsRule, { settings: { ip_configuration: { ssl_mode: 'ALLOW_UNENCRYPTED_AND_ENCRYPTED' } } })).toBe('non-compliant');
    expect(verdict(cloudSqlTlsRule, { settings: { ip_configuration: { ipv4_enabled: false } } })).toBe('non-compliant');
  });
});

describe('IDP-GCP-016 Cloud SQL high availability (prod)', () => {
  test('compliant: REGIONAL', () => expect(verdict(cloudSqlHaRule, { settings: { availability_type: 'REGIONAL' } })).toBe('compliant'));
  test('non-compliant: ZONAL or unset', () => {
    expect(verdict(cloudSqlHaRule, { settings: { availability_type: 'ZONAL' } })).toBe('non-compliant');
    expect(verdict(cloudSqlHaRule, { settings: {} })).toBe('non-compliant');
  });
  test('not applicable: read replicas', () => expect(verdict(cloudSqlHaRule, { master_instance_name: 'primary', settings: {} })).toBe('not-applicable'));
  test('is off in dev', () => expect(cloudSqlHaRule.severity).toEqual({ dev: 'off', staging: 'warning', prod: 'error' }));
});

describe('IDP-GCP-017 Cloud SQL customer-managed key', () => {
  test('compliant: encryption_key_name set', () => expect(verdict(cloudSqlCmekRule, { encryption_key_name: KEY })).toBe('compliant'));
  test('non-compliant: Google-managed encryption', () => expect(verdict(cloudSqlCmekRule, { settings: {} })).toBe('non-compliant'));
});

describe('IDP-GCP-018 subnet flow logs', () => {
  test('compliant: log_config present', () => expect(verdict(subnetFlowLogsRule, { log_config: { aggregation_interval: 'INTERVAL_1_MIN', flow_sampling: 0.5 } })).toBe('compliant'));
  test('non-compliant: no log_config', () => {
    expect(verdict(subnetFlowLogsRule, { ip_cidr_range: '10.0.0.0/20' })).toBe('non-compliant');
    expect(verdict(subnetFlowLogsRule, { purpose: 'PRIVATE' })).toBe('non-compliant');
  });
  test('not applicable: proxy-only and Private Service Connect subnets', () => {
    expect(verdict(subnetFlowLogsRule, { purpose: 'REGIONAL_MANAGED_PROXY', role: 'ACTIVE' })).toBe('not-applicable');
    expect(verdict(subnetFlowLogsRule, { purpose: 'PRIVATE_SERVICE_CONNECT' })).toBe('not-applicable');
  });
  test('is a warning in dev', () => expect(subnetFlowLogsRule.severity).toEqual({ dev: 'warning', staging: 'error', prod: 'error' }));
});

describe('IDP-GCP-019 Secret Manager customer-managed key', () => {
  test('compliant: every user-managed replica, or automatic replication, has a key', () => {
    expect(
      verdict(secretManagerCmekRule, { replication: { user_managed: { replicas: [{ location: 'europe-west1', customer_managed_encryption: { kms_key_name: KEY_REF } }] } } }),
    ).toBe('compliant');
    expect(verdict(secretManagerCmekRule, { replication: { auto: { customer_managed_encryption: { kms_key_name: KEY } } } })).toBe('compliant');
  });
  test('non-compliant: Google-managed encryption on any replica', () => {
    expect(verdict(secretManagerCmekRule, { replication: { auto: {} } })).toBe('non-compliant');
    expect(
      verdict(secretManagerCmekRule, {
        replication: {
          user_managed: {
            replicas: [
              { location: 'europe-west1', customer_managed_encryption: { kms_key_name: KEY } },
              { location: 'europe-west4' },
            ],
          },
        },
      }),
    ).toBe('non-compliant');
  });
});

describe('IDP-GCP-020 Cloud Storage customer-managed key', () => {
  test('compliant: default_kms_key_name set', () => expect(verdict(storageBucketCmekRule, { encryption: { default_kms_key_name: KEY_REF } })).toBe('compliant'));
  test('non-compliant: Google-managed encryption', () => {
    expect(verdict(storageBucketCmekRule, { name: 'logs' })).toBe('non-compliant');
    expect(verdict(storageBucketCmekRule, { encryption: {} })).toBe('non-compliant');
  });
});

const github = (attribute_condition?: string) => ({ attribute_condition, oidc: { issuer_uri: 'https://token.actions.githubusercontent.com' } });

describe('IDP-GCP-021 workload identity provider scoped', () => {
  test('compliant: a GitHub provider pinned to repositories; another OIDC provider with a condition', () => {
    expect(verdict(workloadIdentityProviderScopedRule, github('assertion.repository == "acme/platform"'))).toBe('compliant');
    expect(verdict(workloadIdentityProviderScopedRule, github('assertion.repository_id == "123456" && assertion.ref == "refs/heads/main"'))).toBe('compliant');
    expect(verdict(workloadIdentityProviderScopedRule, github('attribute.repository in ["acme/platform", "acme/apps"]'))).toBe('compliant');
    expect(verdict(workloadIdentityProviderScopedRule, github('assertion.sub.startsWith("repo:acme/platform:")'))).toBe('compliant');
    expect(verdict(workloadIdentityProviderScopedRule, { attribute_condition: 'assertion.namespace_path == "acme"', oidc: { issuer_uri: 'https://gitlab.com' } })).toBe('compliant');
  });
  test('non-compliant: no condition, only the owner pinned, or an alternative that is not pinned', () => {
    expect(verdict(workloadIdentityProviderScopedRule, github())).toBe('non-compliant');
    expect(verdict(workloadIdentityProviderScopedRule, github(' '))).toBe('non-compliant');
    expect(verdict(workloadIdentityProviderScopedRule, github('assertion.repository_owner == "acme"'))).toBe('non-compliant');
    expect(verdict(workloadIdentityProviderScopedRule, github('assertion.repository.startsWith("acme/")'))).toBe('non-compliant');
    expect(verdict(workloadIdentityProviderScopedRule, github('assertion.repository == "acme/platform" || assertion.repository_owner == "acme"'))).toBe('non-compliant');
    expect(verdict(workloadIdentityProviderScopedRule, { oidc: { issuer_uri: 'https://gitlab.com' } })).toBe('non-compliant');
  });
  test('not applicable: AWS, SAML and X.509 providers', () => {
    expect(verdict(workloadIdentityProviderScopedRule, { aws: { account_id: '111111111111' } })).toBe('not-applicable');
    expect(verdict(workloadIdentityProviderScopedRule, { saml: { idp_metadata_xml: '<xml/>' } })).toBe('not-applicable');
  });
});

describe('IDP-GCP-022 no service account keys', () => {
  const check = (resource: object) => checkStack({ resource }, { stack: 'prod-infra', rules: [noServiceAccountKeysRule] }).map((finding) => finding.resource);
  test('non-compliant: any service account key or HMAC key', () => {
    expect(verdict(noServiceAccountKeysRule, { service_account_id: '${google_service_account.ci.name}' })).toBe('non-compliant');
    expect(check({ google_storage_hmac_key: { loki: { service_account_email: 'loki@p.iam.gserviceaccount.com' } } })).toEqual(['google_storage_hmac_key.loki']);
  });
  test('compliant: service accounts without keys (Workload Identity, federation)', () => {
    expect(check({ google_service_account: { ci: { account_id: 'ci' } }, google_service_account_iam_member: { wif: { role: 'roles/iam.workloadIdentityUser' } } })).toEqual([]);
  });
});

describe('IDP-GCP-023 no IAM grants to allUsers or allAuthenticatedUsers', () => {
  test('compliant: named members', () => {
    expect(verdict(noPublicIamRule, { role: 'roles/artifactregistry.reader', member: 'serviceAccount:nodes@p.iam.gserviceaccount.com' }, { type: 'google_artifact_registry_repository_iam_member' })).toBe('compliant');
    expect(verdict(noPublicIamRule, { role: 'roles/storage.objectViewer', members: ['group:platform@acme.example'] }, { type: 'google_storage_bucket_iam_binding' })).toBe('compliant');
  });
  test('non-compliant: allUsers or allAuthenticatedUsers, as a member or in a binding', () => {
    expect(verdict(noPublicIamRule, { role: 'roles/storage.objectViewer', member: 'allUsers' }, { type: 'google_storage_bucket_iam_member' })).toBe('non-compliant');
    expect(verdict(noPublicIamRule, { role: 'roles/secretmanager.secretAccessor', members: ['user:a@acme.example', 'allAuthenticatedUsers'] }, { type: 'google_secret_manager_secret_iam_binding' })).toBe('non-compliant');
  });
});
