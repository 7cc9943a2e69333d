import type { StorageAccountConfig } from '@cdktf/provider-azurerm/lib/storage-account';

/**
 * The hardening every idpkit storage account has: StorageV2, TLS 1.2 and HTTPS only, Entra ID
 * auth only (no shared keys, no local users, OAuth by default), no public blobs, no cross-tenant
 * replication, infrastructure (double) encryption.
 */
export const HARDENED_STORAGE_ACCOUNT: Pick<
  StorageAccountConfig,
  | 'accountKind'
  | 'accountTier'
  | 'minTlsVersion'
  | 'httpsTrafficOnlyEnabled'
  | 'sharedAccessKeyEnabled'
  | 'defaultToOauthAuthentication'
  | 'allowNestedItemsToBePublic'
  | 'crossTenantReplicationEnabled'
  | 'localUserEnabled'
  | 'infrastructureEncryptionEnabled'
> = {
  accountKind: 'StorageV2',
  accountTier: 'Standard',
  minTlsVersion: 'TLS1_2',
  httpsTrafficOnlyEnabled: true,
  sharedAccessKeyEnabled: false,
  defaultToOauthAuthentication: true,
  allowNestedItemsToBePublic: false,
  crossTenantReplicationEnabled: false,
  localUserEnabled: false,
  infrastructureEncryptionEnabled: true,
};
