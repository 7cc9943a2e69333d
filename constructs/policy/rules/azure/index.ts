/** The Azure pack: Key Vault, container registries, storage accounts, AKS, PostgreSQL flexible servers, identities and networks. */
import type { Rule } from '../../rule';
import { aksApiServerAccessRule } from './aks-api-server-access';
import { aksControlPlaneLoggingRule } from './aks-control-plane-logging';
import { aksHighAvailabilityRule } from './aks-high-availability';
import { aksLocalAccountsRule } from './aks-local-accounts';
import { aksNetworkPolicyRule } from './aks-network-policy';
import { aksSecretsEncryptionRule } from './aks-secrets-encryption';
import { aksWorkloadIdentityRule } from './aks-workload-identity';
import { containerRegistryCustomerKeyRule } from './container-registry-customer-key';
import { containerRegistryNetworkRule } from './container-registry-network';
import { containerRegistryNoStaticCredentialsRule } from './container-registry-no-static-credentials';
import { federatedCredentialScopedRule } from './federated-credential-scoped';
import { keyVaultKeyRotationRule } from './key-vault-key-rotation';
import { keyVaultNetworkRule } from './key-vault-network';
import { keyVaultPurgeProtectionRule } from './key-vault-purge-protection';
import { postgresBackupRetentionRule } from './postgres-backup-retention';
import { postgresCustomerKeyRule } from './postgres-customer-key';
import { postgresGeoRedundantBackupRule } from './postgres-geo-redundant-backup';
import { postgresHighAvailabilityRule } from './postgres-high-availability';
import { postgresPrivateRule } from './postgres-private';
import { postgresTlsRule } from './postgres-tls';
import { stateBootstrapNetworkRule } from './state-bootstrap-network';
import { storageAccountCustomerKeyRule } from './storage-account-customer-key';
import { storageAccountNetworkRule } from './storage-account-network';
import { storageAccountNoPublicBlobsRule } from './storage-account-no-public-blobs';
import { storageAccountNoSharedKeysRule } from './storage-account-no-shared-keys';
import { storageAccountSecureTransportRule } from './storage-account-secure-transport';
import { vnetFlowLogsRule } from './vnet-flow-logs';

export {
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
};

/** The rules of the Azure pack, in id order. */
export const AZURE_RULES: readonly Rule[] = [
  postgresPrivateRule,
  keyVaultPurgeProtectionRule,
  aksLocalAccountsRule,
  keyVaultKeyRotationRule,
  keyVaultNetworkRule,
  containerRegistryNetworkRule,
  containerRegistryNoStaticCredentialsRule,
  storageAccountNetworkRule,
  stateBootstrapNetworkRule,
  aksSecretsEncryptionRule,
  storageAccountCustomerKeyRule,
  containerRegistryCustomerKeyRule,
  postgresCustomerKeyRule,
  storageAccountSecureTransportRule,
  storageAccountNoPublicBlobsRule,
  storageAccountNoSharedKeysRule,
  aksNetworkPolicyRule,
  aksWorkloadIdentityRule,
  aksApiServerAccessRule,
  aksControlPlaneLoggingRule,
  aksHighAvailabilityRule,
  postgresBackupRetentionRule,
  postgresGeoRedundantBackupRule,
  postgresHighAvailabilityRule,
  postgresTlsRule,
  federatedCredentialScopedRule,
  vnetFlowLogsRule,
];
