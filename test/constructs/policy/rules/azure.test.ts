import {
  AZURE_RULES,
  aksApiServerAccessRule,
  aksControlPlaneLoggingRule,
  aksHighAvailabilityRule,
  aksLocalAccountsRule,
  aksNetworkPolicyRule,
  aksSecretsEncryptionRule,
  aksWorkloadIdentityRule,
  containerRegistryCustomerKeyRule,
  containerRegistryNetworkRule,
  containerRegistryNoStaticCredentialsRule,
  federatedCredentialScopedRule,
  keyVaultKeyRotationRule,
  keyVaultNetworkRule,
  keyVaultPurgeProtectionRule,
  postgresBackupRetentionRule,
  postgresCustomerKeyRule,
  postgresGeoRedundantBackupRule,
  postgresHighAvailabilityRule,
  postgresPrivateRule,
  postgresTlsRule,
  stateBootstrapNetworkRule,
  storageAccountCustomerKeyRule,
  storageAccountNetworkRule,
  storageAccountNoPublicBlobsRule,
  storageAccountNoSharedKeysRule,
  storageAccountSecureTransportRule,
  vnetFlowLogsRule,
} from '../../../../constructs/policy/rules/azure';
import { verdict } from '../rule-helpers';

test('the Azure pack lists its rules in id order, ids numbered without gaps', () => {
  expect(AZURE_RULES.map((rule) => rule.id)).toEqual(AZURE_RULES.map((_rule, index) => `IDP-AZ-${String(index + 1).padStart(3, '0')}`));
});

describe('IDP-AZ-001 PostgreSQL flexible server not public', () => {
  test('compliant: public network access disabled', () => {
    expect(verdict(postgresPrivateRule, { public_network_access_enabled: false })).toBe('compliant');
  });
  test('non-compliant: enabled, or unset (azurerm 4 defaults to enabled)', () => {
    expect(verdict(postgresPrivateRule, { public_network_access_enabled: true })).toBe('non-compliant');
    expect(verdict(postgresPrivateRule, {})).toBe('non-compliant');
  });
});

describe('IDP-AZ-002 Key Vault purge protection', () => {
  test('compliant', () => expect(verdict(keyVaultPurgeProtectionRule, { purge_protection_enabled: true })).toBe('compliant'));
  test('non-compliant: off or unset', () => {
    expect(verdict(keyVaultPurgeProtectionRule, { purge_protection_enabled: false })).toBe('non-compliant');
    expect(verdict(keyVaultPurgeProtectionRule, {})).toBe('non-compliant');
  });
});

describe('IDP-AZ-003 AKS local accounts disabled', () => {
  test('compliant', () => expect(verdict(aksLocalAccountsRule, { local_account_disabled: true })).toBe('compliant'));
  test('non-compliant: local accounts on (the default)', () => {
    expect(verdict(aksLocalAccountsRule, {})).toBe('non-compliant');
    expect(verdict(aksLocalAccountsRule, { local_account_disabled: false })).toBe('non-compliant');
  });
});

describe('IDP-AZ-004 Key Vault key rotation', () => {
  test('compliant: automatic rotation after creation or before expiry, with an expiry', () => {
    expect(verdict(keyVaultKeyRotationRule, { rotation_policy: { automatic: { time_after_creation: 'P365D' }, expire_after: 'P730D' } })).toBe('compliant');
    expect(verdict(keyVaultKeyRotationRule, { rotation_policy: [{ automatic: [{ time_before_expiry: 'P30D' }], expire_after: 'P90D' }] })).toBe('compliant');
  });
  test('non-compliant: no policy, no automatic rotation, or no expiry', () => {
    expect(verdict(keyVaultKeyRotationRule, {})).toBe('non-compliant');
    expect(verdict(keyVaultKeyRotationRule, { rotation_policy: { expire_after: 'P730D', notify_before_expiry: 'P30D' } })).toBe('non-compliant');
    expect(verdict(keyVaultKeyRotationRule, { rotation_policy: { automatic: { time_after_creation: 'P365D' } } })).toBe('non-compliant');
  });
});

describe('IDP-AZ-005 Key Vault network access', () => {
  const kmsStack = (access?: string) => ({
    resource: {
      azurerm_key_vault: { kv: {} },
      azurerm_key_vault_key: { secrets: { key_vault_id: '${azurerm_key_vault.kv.id}' } },
      azurerm_kubernetes_cluster: {
        aks: { key_management_service: { key_vault_key_id: '${azurerm_key_vault_key.secrets.id}', ...(access ? { key_vault_network_access: access } : {}) } },
      },
    },
  });
  test('compliant: public access off, or a firewall that denies by default', () => {
    expect(verdict(keyVaultNetworkRule, { public_network_access_enabled: false })).toBe('compliant');
    expect(verdict(keyVaultNetworkRule, { public_network_access_enabled: true, network_acls: { default_action: 'Deny', bypass: 'AzureServices', ip_rules: ['203.0.113.0/24'] } })).toBe('compliant');
  });
  test('non-compliant: open to every network (error in prod, warning below)', () => {
    expect(verdict(keyVaultNetworkRule, { network_acls: { default_action: 'Allow', bypass: 'AzureServices' } })).toBe('non-compliant');
    expect(verdict(keyVaultNetworkRule, {})).toBe('non-compliant');
    expect(keyVaultNetworkRule.severity).toEqual({ dev: 'warning', staging: 'warning', prod: 'error' });
  });
  test('not applicable: in dev and staging, the vault of an AKS KMS key in Public mode (AKS cannot use a firewalled vault); bootstrap stacks (IDP-AZ-009)', () => {
    for (const tier of ['dev', 'staging'] as const) {
      expect(verdict(keyVaultNetworkRule, {}, { tier, name: 'kv', document: kmsStack() })).toBe('not-applicable');
      expect(verdict(keyVaultNetworkRule, {}, { tier, name: 'kv', document: kmsStack('Public') })).toBe('not-applicable');
    }
    expect(verdict(keyVaultNetworkRule, {}, { stack: 'bootstrap-idpkitstate0001' })).toBe('not-applicable');
  });
  test('non-compliant in prod: a public KMS vault is not excused there (prod uses a private vault with API Server VNet Integration)', () => {
    expect(verdict(keyVaultNetworkRule, {}, { tier: 'prod', name: 'kv', document: kmsStack() })).toBe('non-compliant');
    expect(verdict(keyVaultNetworkRule, {}, { tier: 'prod', name: 'kv', document: kmsStack('Public') })).toBe('non-compliant');
    expect(verdict(keyVaultNetworkRule, { public_network_access_enabled: false }, { tier: 'prod', name: 'kv', document: kmsStack('Private') })).toBe('compliant');
  });
  test('non-compliant: a private-mode KMS vault, or another vault, is not excused', () => {
    expect(verdict(keyVaultNetworkRule, {}, { name: 'kv', document: kmsStack('Private') })).toBe('non-compliant');
    expect(verdict(keyVaultNetworkRule, {}, { name: 'other', document: kmsStack() })).toBe('non-compliant');
  });
});

describe('IDP-AZ-006 container registry network access', () => {
  test('compliant: no public access (private endpoint), or network rules that deny by default', () => {
    expect(verdict(containerRegistryNetworkRule, { sku: 'Premium', public_network_access_enabled: false })).toBe('compliant');
    expect(verdict(containerRegistryNetworkRule, { sku: 'Premium', network_rule_set: [{ default_action: 'Deny', ip_rule: [] }] })).toBe('compliant');
  });
  test('non-compliant: public (the default); a warning outside prod', () => {
    expect(verdict(containerRegistryNetworkRule, { sku: 'Standard', public_network_access_enabled: true })).toBe('non-compliant');
    expect(verdict(containerRegistryNetworkRule, { sku: 'Standard' })).toBe('non-compliant');
    expect(containerRegistryNetworkRule.severity).toEqual({ dev: 'warning', staging: 'warning', prod: 'error' });
  });
});

describe('IDP-AZ-007 container registry without static credentials', () => {
  test('compliant: admin user and anonymous pull off, or unset (both default to off)', () => {
    expect(verdict(containerRegistryNoStaticCredentialsRule, { admin_enabled: false, anonymous_pull_enabled: false })).toBe('compliant');
    expect(verdict(containerRegistryNoStaticCredentialsRule, {})).toBe('compliant');
  });
  test('non-compliant: admin user or anonymous pull on, in every tier', () => {
    expect(verdict(containerRegistryNoStaticCredentialsRule, { admin_enabled: true })).toBe('non-compliant');
    expect(verdict(containerRegistryNoStaticCredentialsRule, { anonymous_pull_enabled: true })).toBe('non-compliant');
    expect(containerRegistryNoStaticCredentialsRule.severity).toBe('error');
  });
});

describe('IDP-AZ-008 storage account network access', () => {
  const withRules = (action: string) => ({
    resource: {
      azurerm_storage_account: { st: {} },
      azurerm_storage_account_network_rules: { rules: { storage_account_id: '${azurerm_storage_account.st.id}', default_action: action } },
    },
  });
  test('compliant: public access off, inline network rules or a network rules resource that deny by default', () => {
    expect(verdict(storageAccountNetworkRule, { public_network_access_enabled: false })).toBe('compliant');
    expect(verdict(storageAccountNetworkRule, { network_rules: { default_action: 'Deny', virtual_network_subnet_ids: ['${azurerm_subnet.nodes.id}'] } })).toBe('compliant');
    expect(verdict(storageAccountNetworkRule, {}, { name: 'st', document: withRules('Deny') })).toBe('compliant');
  });
  test('non-compliant: open to every network (error in prod, warning below)', () => {
    expect(verdict(storageAccountNetworkRule, {})).toBe('non-compliant');
    expect(verdict(storageAccountNetworkRule, { network_rules: { default_action: 'Allow' } })).toBe('non-compliant');
    expect(verdict(storageAccountNetworkRule, {}, { name: 'st', document: withRules('Allow') })).toBe('non-compliant');
    expect(storageAccountNetworkRule.severity).toEqual({ dev: 'warning', staging: 'warning', prod: 'error' });
  });
  test('not applicable: the state account of a bootstrap stack (IDP-AZ-009 warns instead)', () => {
    expect(verdict(storageAccountNetworkRule, {}, { stack: 'bootstrap-idpkitstate0001' })).toBe('not-applicable');
  });
});

describe('IDP-AZ-009 state bootstrap network access (warning)', () => {
  const bootstrap = { stack: 'bootstrap-idpkitstate0001' };
  test('compliant: state account or vault closed to all but listed ranges', () => {
    expect(verdict(stateBootstrapNetworkRule, { account_replication_type: 'ZRS', network_rules: { default_action: 'Deny', ip_rules: ['203.0.113.0/24'] } }, bootstrap)).toBe('compliant');
    expect(verdict(stateBootstrapNetworkRule, { network_acls: { default_action: 'Deny' } }, bootstrap)).toBe('compliant');
  });
  test('non-compliant: open, which is only ever a warning (CI runners without fixed addresses reach state)', () => {
    expect(verdict(stateBootstrapNetworkRule, { account_replication_type: 'ZRS', public_network_access_enabled: true }, bootstrap)).toBe('non-compliant');
    expect(verdict(stateBootstrapNetworkRule, { network_acls: { default_action: 'Allow' } }, bootstrap)).toBe('non-compliant');
    expect(stateBootstrapNetworkRule.severity).toBe('warning');
  });
  test('not applicable outside bootstrap stacks (IDP-AZ-005 and IDP-AZ-008 apply there)', () => {
    expect(verdict(stateBootstrapNetworkRule, {}, { stack: 'prod-infra' })).toBe('not-applicable');
  });
});

describe('IDP-AZ-010 AKS secrets encryption (KMS)', () => {
  test('compliant: a KMS key', () => {
    expect(verdict(aksSecretsEncryptionRule, { key_management_service: { key_vault_key_id: '${azurerm_key_vault_key.k.id}', key_vault_network_access: 'Public' } })).toBe('compliant');
  });
  test('non-compliant: no KMS, or no key', () => {
    expect(verdict(aksSecretsEncryptionRule, {})).toBe('non-compliant');
    expect(verdict(aksSecretsEncryptionRule, { key_management_service: { key_vault_key_id: '' } })).toBe('non-compliant');
  });
});

describe('IDP-AZ-011 storage account customer-managed key', () => {
  const separate = {
    resource: {
      azurerm_storage_account: { st: {} },
      azurerm_storage_account_customer_managed_key: { cmk: { storage_account_id: '${azurerm_storage_account.st.id}', key_vault_id: '${azurerm_key_vault.kv.id}', key_name: 'st' } },
    },
  };
  test('compliant: an inline customer_managed_key, or a customer-managed key resource of the account', () => {
    expect(verdict(storageAccountCustomerKeyRule, { customer_managed_key: { key_vault_key_id: '${azurerm_key_vault_key.k.versionless_id}', user_assigned_identity_id: '${azurerm_user_assigned_identity.i.id}' } })).toBe('compliant');
    expect(verdict(storageAccountCustomerKeyRule, {}, { name: 'st', document: separate })).toBe('compliant');
  });
  test('non-compliant: Microsoft-managed keys, or a key resource of another account', () => {
    expect(verdict(storageAccountCustomerKeyRule, { infrastructure_encryption_enabled: true })).toBe('non-compliant');
    expect(verdict(storageAccountCustomerKeyRule, {}, { name: 'other', document: separate })).toBe('non-compliant');
  });
});

describe('IDP-AZ-012 Premium container registry customer-managed key', () => {
  test('compliant: a Premium registry with an encryption key', () => {
    expect(verdict(containerRegistryCustomerKeyRule, { sku: 'Premium', encryption: [{ key_vault_key_id: '${azurerm_key_vault_key.acr.versionless_id}', identity_client_id: '${azurerm_user_assigned_identity.i.client_id}' }] })).toBe('compliant');
  });
  test('non-compliant: a Premium registry without one', () => {
    expect(verdict(containerRegistryCustomerKeyRule, { sku: 'Premium' })).toBe('non-compliant');
  });
  test('not applicable: Basic and Standard registries (customer keys are Premium only)', () => {
    expect(verdict(containerRegistryCustomerKeyRule, { sku: 'Standard' })).toBe('not-applicable');
  });
});

describe('IDP-AZ-013 PostgreSQL customer-managed key', () => {
  const key = { key_vault_key_id: '${azurerm_key_vault_key.pg.versionless_id}', primary_user_assigned_identity_id: '${azurerm_user_assigned_identity.pg.id}' };
  test('compliant: a customer key (and a geo-backup key with geo-redundant backups)', () => {
    expect(verdict(postgresCustomerKeyRule, { customer_managed_key: key })).toBe('compliant');
    expect(verdict(postgresCustomerKeyRule, { geo_redundant_backup_enabled: true, customer_managed_key: { ...key, geo_backup_key_vault_key_id: '${azurerm_key_vault_key.geo.versionless_id}' } })).toBe('compliant');
  });
  test('non-compliant: service-managed keys, or geo backups without their key', () => {
    expect(verdict(postgresCustomerKeyRule, {})).toBe('non-compliant');
    expect(verdict(postgresCustomerKeyRule, { geo_redundant_backup_enabled: true, customer_managed_key: key })).toBe('non-compliant');
  });
});

describe('IDP-AZ-014..016 storage account hardening', () => {
  const hardened = { min_tls_version: 'TLS1_2', https_traffic_only_enabled: true, allow_nested_items_to_be_public: false, shared_access_key_enabled: false };
  test('compliant: TLS 1.2 and HTTPS only (or the azurerm 4 defaults), no public blobs, no shared keys', () => {
    for (const rule of [storageAccountSecureTransportRule, storageAccountNoPublicBlobsRule, storageAccountNoSharedKeysRule]) expect(verdict(rule, hardened)).toBe('compliant');
    expect(verdict(storageAccountSecureTransportRule, {})).toBe('compliant');
  });
  test('non-compliant: TLS 1.0/1.1 or plain HTTP allowed', () => {
    expect(verdict(storageAccountSecureTransportRule, { ...hardened, min_tls_version: 'TLS1_0' })).toBe('non-compliant');
    expect(verdict(storageAccountSecureTransportRule, { ...hardened, https_traffic_only_enabled: false })).toBe('non-compliant');
  });
  test('non-compliant: public blobs allowed, explicitly or by default', () => {
    expect(verdict(storageAccountNoPublicBlobsRule, { ...hardened, allow_nested_items_to_be_public: true })).toBe('non-compliant');
    expect(verdict(storageAccountNoPublicBlobsRule, {})).toBe('non-compliant');
  });
  test('non-compliant: shared keys on, explicitly or by default', () => {
    expect(verdict(storageAccountNoSharedKeysRule, { ...hardened, shared_access_key_enabled: true })).toBe('non-compliant');
    expect(verdict(storageAccountNoSharedKeysRule, {})).toBe('non-compliant');
  });
});

describe('IDP-AZ-017..021 AKS', () => {
  const cluster = {
    network_profile: { network_plugin: 'azure', network_plugin_mode: 'overlay', network_policy: 'cilium', network_data_plane: 'cilium' },
    oidc_issuer_enabled: true,
    workload_identity_enabled: true,
    private_cluster_enabled: true,
    sku_tier: 'Standard',
    default_node_pool: { name: 'system', zones: ['1', '2', '3'] },
  };
  const logs = (enabledLog: object[], target = '${azurerm_kubernetes_cluster.aks.id}') => ({
    resource: { azurerm_kubernetes_cluster: { aks: cluster }, azurerm_monitor_diagnostic_setting: { logs: { target_resource_id: target, enabled_log: enabledLog } } },
  });
  test('compliant: Cilium network policy, workload identity, private API server, audit logs, SLA tier across zones', () => {
    for (const rule of [aksNetworkPolicyRule, aksWorkloadIdentityRule, aksApiServerAccessRule, aksHighAvailabilityRule]) expect(verdict(rule, cluster)).toBe('compliant');
    expect(verdict(aksControlPlaneLoggingRule, cluster, { name: 'aks', document: logs([{ category: 'kube-apiserver' }, { category: 'kube-audit-admin' }]) })).toBe('compliant');
    expect(verdict(aksControlPlaneLoggingRule, cluster, { name: 'aks', document: logs([{ category_group: 'audit' }]) })).toBe('compliant');
  });
  test('IDP-AZ-017 non-compliant: no network policy engine', () => {
    expect(verdict(aksNetworkPolicyRule, { ...cluster, network_profile: { network_plugin: 'kubenet' } })).toBe('non-compliant');
    expect(verdict(aksNetworkPolicyRule, { ...cluster, network_profile: undefined })).toBe('non-compliant');
  });
  test('IDP-AZ-018 non-compliant: no OIDC issuer or no workload identity', () => {
    expect(verdict(aksWorkloadIdentityRule, { ...cluster, workload_identity_enabled: false })).toBe('non-compliant');
    expect(verdict(aksWorkloadIdentityRule, { ...cluster, oidc_issuer_enabled: undefined })).toBe('non-compliant');
  });
  test('IDP-AZ-019: authorized ranges are compliant; none, or 0.0.0.0/0, are not (error in prod only)', () => {
    const open = { ...cluster, private_cluster_enabled: false };
    expect(verdict(aksApiServerAccessRule, { ...open, api_server_access_profile: { authorized_ip_ranges: ['203.0.113.0/24'] } })).toBe('compliant');
    expect(verdict(aksApiServerAccessRule, open)).toBe('non-compliant');
    expect(verdict(aksApiServerAccessRule, { ...open, api_server_access_profile: { authorized_ip_ranges: ['0.0.0.0/0'] } })).toBe('non-compliant');
    expect(aksApiServerAccessRule.severity).toEqual({ dev: 'warning', staging: 'warning', prod: 'error' });
  });
  test('IDP-AZ-020 non-compliant: no diagnostic setting, one without audit logs, or one for another resource', () => {
    expect(verdict(aksControlPlaneLoggingRule, cluster, { name: 'aks', document: { resource: { azurerm_kubernetes_cluster: { aks: cluster } } } })).toBe('non-compliant');
    expect(verdict(aksControlPlaneLoggingRule, cluster, { name: 'aks', document: logs([{ category: 'kube-apiserver' }]) })).toBe('non-compliant');
    expect(verdict(aksControlPlaneLoggingRule, cluster, { name: 'aks', document: logs([{ category: 'kube-audit' }], '${azurerm_key_vault.kv.id}') })).toBe('non-compliant');
  });
  test('IDP-AZ-021 non-compliant: the Free tier, or one zone; off in dev', () => {
    expect(verdict(aksHighAvailabilityRule, { ...cluster, sku_tier: 'Free' })).toBe('non-compliant');
    expect(verdict(aksHighAvailabilityRule, { ...cluster, sku_tier: undefined })).toBe('non-compliant');
    expect(verdict(aksHighAvailabilityRule, { ...cluster, default_node_pool: { zones: ['1'] } })).toBe('non-compliant');
    expect(verdict(aksHighAvailabilityRule, { ...cluster, default_node_pool: {} })).toBe('non-compliant');
    expect(aksHighAvailabilityRule.severity).toEqual({ dev: 'off', staging: 'warning', prod: 'error' });
  });
});

describe('IDP-AZ-022..025 PostgreSQL flexible server', () => {
  const server = { backup_retention_days: 30, geo_redundant_backup_enabled: true, high_availability: { mode: 'ZoneRedundant' } };
  const settings = (entries: [string, string][]) => ({
    resource: {
      azurerm_postgresql_flexible_server: { pg: server },
      azurerm_postgresql_flexible_server_configuration: Object.fromEntries(
        entries.map(([name, value]) => [name, { server_id: '${azurerm_postgresql_flexible_server.pg.id}', name, value }]),
      ),
    },
  });
  test('compliant: 30 days of backups, geo-redundant, zone-redundant HA, TLS enforced', () => {
    for (const rule of [postgresBackupRetentionRule, postgresGeoRedundantBackupRule, postgresHighAvailabilityRule]) expect(verdict(rule, server)).toBe('compliant');
    expect(verdict(postgresTlsRule, server, { name: 'pg', document: settings([['require_secure_transport', 'on'], ['ssl_min_protocol_version', 'TLSv1.2']]) })).toBe('compliant');
    expect(verdict(postgresTlsRule, server, { name: 'pg', document: settings([]) })).toBe('compliant'); // the service defaults
  });
  test('IDP-AZ-022: 7 days (or the default) suffice in dev, not in prod', () => {
    expect(verdict(postgresBackupRetentionRule, { backup_retention_days: 7 }, { tier: 'dev' })).toBe('compliant');
    expect(verdict(postgresBackupRetentionRule, {}, { tier: 'dev' })).toBe('compliant');
    expect(verdict(postgresBackupRetentionRule, { backup_retention_days: 14 }, { tier: 'prod' })).toBe('non-compliant');
    expect(verdict(postgresBackupRetentionRule, {}, { tier: 'prod' })).toBe('non-compliant');
  });
  test('IDP-AZ-023 non-compliant: no geo-redundant backups (a prod warning only)', () => {
    expect(verdict(postgresGeoRedundantBackupRule, { ...server, geo_redundant_backup_enabled: false })).toBe('non-compliant');
    expect(postgresGeoRedundantBackupRule.severity).toEqual({ dev: 'off', staging: 'off', prod: 'warning' });
  });
  test('IDP-AZ-024 non-compliant: no standby; off in dev', () => {
    expect(verdict(postgresHighAvailabilityRule, { ...server, high_availability: undefined })).toBe('non-compliant');
    expect(postgresHighAvailabilityRule.severity).toEqual({ dev: 'off', staging: 'warning', prod: 'error' });
  });
  test('IDP-AZ-025 non-compliant: require_secure_transport off, or TLS below 1.2, on this server', () => {
    expect(verdict(postgresTlsRule, server, { name: 'pg', document: settings([['require_secure_transport', 'OFF']]) })).toBe('non-compliant');
    expect(verdict(postgresTlsRule, server, { name: 'pg', document: settings([['ssl_min_protocol_version', 'TLSv1.1']]) })).toBe('non-compliant');
    expect(verdict(postgresTlsRule, server, { name: 'other', document: settings([['require_secure_transport', 'off']]) })).toBe('compliant');
  });
  test('not applicable to read replicas: backups, geo backups and HA follow the primary', () => {
    for (const rule of [postgresBackupRetentionRule, postgresGeoRedundantBackupRule, postgresHighAvailabilityRule]) expect(verdict(rule, { create_mode: 'Replica' })).toBe('not-applicable');
  });
});

describe('IDP-AZ-026 federated identity credential scoped', () => {
  const github = { issuer: 'https://token.actions.githubusercontent.com', audience: ['api://AzureADTokenExchange'], subject: 'repo:acme/platform:environment:prod' };
  test('compliant: an issuer and an exact subject (or a reference, e.g. a cluster issuer)', () => {
    expect(verdict(federatedCredentialScopedRule, github)).toBe('compliant');
    expect(verdict(federatedCredentialScopedRule, { issuer: '${azurerm_kubernetes_cluster.aks.oidc_issuer_url}', subject: 'system:serviceaccount:loki:loki' })).toBe('compliant');
    expect(verdict(federatedCredentialScopedRule, { ...github, subject: '${var.subject}' })).toBe('compliant');
  });
  test('non-compliant: a wildcard or empty subject, or no issuer', () => {
    expect(verdict(federatedCredentialScopedRule, { ...github, subject: 'repo:acme/*' })).toBe('non-compliant');
    expect(verdict(federatedCredentialScopedRule, { ...github, subject: '' })).toBe('non-compliant');
    expect(verdict(federatedCredentialScopedRule, { ...github, issuer: undefined })).toBe('non-compliant');
  });
  test('applies to azuread application credentials too', () => {
    expect(federatedCredentialScopedRule.appliesTo).toContain('azuread_application_federated_identity_credential');
  });
});

describe('IDP-AZ-027 VNet flow logs', () => {
  const stack = (log?: object) => ({ resource: { azurerm_virtual_network: { vnet: {} }, ...(log ? { azurerm_network_watcher_flow_log: { log } } : {}) } });
  const flowLog = { network_watcher_name: 'NetworkWatcher_westeurope', resource_group_name: 'NetworkWatcherRG', target_resource_id: '${azurerm_virtual_network.vnet.id}', enabled: true };
  test('compliant: an enabled flow log targets the VNet', () => {
    expect(verdict(vnetFlowLogsRule, {}, { name: 'vnet', document: stack(flowLog) })).toBe('compliant');
  });
  test('non-compliant: no flow log, a disabled one, or one of another VNet (off in dev, a warning above)', () => {
    expect(verdict(vnetFlowLogsRule, {}, { name: 'vnet', document: stack() })).toBe('non-compliant');
    expect(verdict(vnetFlowLogsRule, {}, { name: 'vnet', document: stack({ ...flowLog, enabled: false }) })).toBe('non-compliant');
    expect(verdict(vnetFlowLogsRule, {}, { name: 'other', document: stack(flowLog) })).toBe('non-compliant');
    expect(vnetFlowLogsRule.severity).toEqual({ dev: 'off', staging: 'warning', prod: 'warning' });
  });
});
