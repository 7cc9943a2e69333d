import type { Rule } from '../../rule';
import { referencingResources } from '../../private/terraform-json';
import { deniesByDefault, isBootstrapStack } from './shared';

/**
 * IDP-AZ-009: the Terraform state storage account, and the Key Vault holding its key, in a state
 * bootstrap stack (`bootstrap-*`) restrict public network access. A warning only, by design: CI
 * runners (GitHub-hosted ones have no fixed addresses) and administrators reach state over the
 * internet, every request still needs an Entra ID token and a data role, and closing the network
 * before runners have fixed egress or run in a VNet would break every deploy. This is the
 * documented exception to IDP-AZ-005 and IDP-AZ-008.
 */
export const stateBootstrapNetworkRule: Rule = {
  id: 'IDP-AZ-009',
  severity: 'warning',
  summary: 'Terraform state storage account and its Key Vault (bootstrap stack) restrict public network access',
  fix: 'Once CI runners have fixed egress addresses or run in a VNet, set default_action = "Deny" with those ranges (AzureStateStorage allowedIpRanges), or suppress with the reason.',
  appliesTo: ['azurerm_storage_account', 'azurerm_key_vault'],
  check(resource, context) {
    if (!isBootstrapStack(context)) return 'not-applicable';
    if (resource.public_network_access_enabled === false || deniesByDefault(resource.network_acls) || deniesByDefault(resource.network_rules)) return 'compliant';
    const isAccount = resource.account_replication_type !== undefined; // required on storage accounts, absent on vaults
    const separate = isAccount ? referencingResources(context.document, 'azurerm_storage_account_network_rules', `azurerm_storage_account.${context.name}`) : [];
    return separate.some((rules) => rules.default_action === 'Deny') ? 'compliant' : 'non-compliant';
  },
};
