import type { Rule } from '../../rule';
import { referencingResources } from '../../private/terraform-json';
import { deniesByDefault, isBootstrapStack } from './shared';

/**
 * IDP-AZ-008: a storage account is not open to every network: public network access off, or
 * network rules that deny by default (inline `network_rules` or an
 * `azurerm_storage_account_network_rules` of the account), letting in listed subnets (service
 * endpoints), IP ranges, private endpoints and trusted Azure services. A warning in dev and
 * staging, an error in prod. The Terraform state account of a `bootstrap-*` stack is checked by
 * IDP-AZ-009 instead.
 */
export const storageAccountNetworkRule: Rule = {
  id: 'IDP-AZ-008',
  severity: { dev: 'warning', staging: 'warning', prod: 'error' },
  summary: 'Storage account denies public network access (public access off, or network rules default_action Deny)',
  fix: 'Set network_rules { default_action = "Deny", bypass = ["AzureServices"], virtual_network_subnet_ids = [<node subnet>] } (a Microsoft.Storage service endpoint on the subnet), or public_network_access_enabled = false with a private endpoint.',
  appliesTo: ['azurerm_storage_account'],
  check(account, context) {
    if (isBootstrapStack(context)) return 'not-applicable';
    if (account.public_network_access_enabled === false || deniesByDefault(account.network_rules)) return 'compliant';
    const separate = referencingResources(context.document, 'azurerm_storage_account_network_rules', `azurerm_storage_account.${context.name}`);
    return separate.some((rules) => rules.default_action === 'Deny') ? 'compliant' : 'non-compliant';
  },
};
