import { TIER_RULES } from '../../../core/tiers';
import type { Rule } from '../../rule';
import { deniesByDefault, isBootstrapStack, publicKmsClustersOfVault } from './shared';

/**
 * IDP-AZ-005: a Key Vault is not open to every network: public network access off, or a firewall
 * that denies by default (`network_acls.default_action = "Deny"`, with trusted services, listed
 * IP ranges, subnets or private endpoints let in). A warning in dev and staging, an error in prod.
 *
 * Two documented exceptions are not applicable here:
 * - in a tier that keeps vaults public (`TierRules.privateKeyVault` false: dev and staging), a vault
 *   holding the key of an AKS cluster's KMS in `Public` network access mode: AKS does not support
 *   KMS with a firewalled vault (only a private vault with API Server VNet Integration and
 *   `key_vault_network_access = "Private"`), so a firewall would break the cluster. In prod the
 *   vault is private, so a public KMS vault there is an error like any other;
 * - a vault in a state bootstrap stack (`bootstrap-*`), which IDP-AZ-009 checks as a warning.
 */
export const keyVaultNetworkRule: Rule = {
  id: 'IDP-AZ-005',
  severity: { dev: 'warning', staging: 'warning', prod: 'error' },
  summary: 'Key Vault denies public network access (public access off, or firewall default_action Deny)',
  fix: 'Set public_network_access_enabled = false (reach the vault through a private endpoint, AzureKeyVault privateEndpoint; AKS KMS then needs apiServerSubnetId), or network_acls { default_action = "Deny", bypass = "AzureServices", ip_rules = [...] } (AzureKeyVault allowedIpRanges).',
  appliesTo: ['azurerm_key_vault'],
  check(vault, context) {
    if (isBootstrapStack(context)) return 'not-applicable';
    if (vault.public_network_access_enabled === false || deniesByDefault(vault.network_acls)) return 'compliant';
    const publicKmsExcused = !TIER_RULES[context.tier].privateKeyVault && publicKmsClustersOfVault(context.document, context.name).length > 0;
    return publicKmsExcused ? 'not-applicable' : 'non-compliant';
  },
};
