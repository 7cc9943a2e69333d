import type { Rule } from '../../rule';
import { deniesByDefault } from './shared';

/**
 * IDP-AZ-006: a container registry is not reachable from every network: public network access off
 * (a private endpoint), or a network rule set that denies by default (Premium). A warning in dev
 * and staging, where Standard registries have no private endpoints, and an error in prod.
 */
export const containerRegistryNetworkRule: Rule = {
  id: 'IDP-AZ-006',
  severity: { dev: 'warning', staging: 'warning', prod: 'error' },
  summary: 'Container registry denies public network access (private endpoint, or network rules default_action Deny)',
  fix: 'Use sku = "Premium" with public_network_access_enabled = false and a private endpoint (idpkit does in prod), or network_rule_set { default_action = "Deny" } with your CI ranges.',
  appliesTo: ['azurerm_container_registry'],
  check(registry) {
    return registry.public_network_access_enabled === false || deniesByDefault(registry.network_rule_set) ? 'compliant' : 'non-compliant';
  },
};
