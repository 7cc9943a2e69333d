import type { Rule } from '../../rule';
import { resourcesOf } from '../../private/terraform-json';
import { refersTo } from './shared';

/**
 * IDP-AZ-027: a virtual network has a VNet flow log (`azurerm_network_watcher_flow_log` with
 * `target_resource_id` = the VNet). Off in dev and a warning above, not an error: a flow log lives
 * in the region's Network Watcher, which Azure creates by itself (`NetworkWatcher_<location>` in
 * `NetworkWatcherRG`) when the first VNet of a subscription's region appears, asynchronously, and
 * only one may exist per region, so a stack cannot reliably create or reference it in the apply
 * that creates the VNet; it also needs a storage account for the logs.
 */
export const vnetFlowLogsRule: Rule = {
  id: 'IDP-AZ-027',
  severity: { dev: 'off', staging: 'warning', prod: 'warning' },
  summary: 'Virtual network has a VNet flow log',
  fix: 'Add an azurerm_network_watcher_flow_log with target_resource_id = the VNet id, the region\'s Network Watcher, a storage account and retention_policy (and traffic_analytics to Log Analytics), or suppress with the reason.',
  appliesTo: ['azurerm_virtual_network'],
  check(_network, context) {
    const logged = Object.values(resourcesOf(context.document, 'azurerm_network_watcher_flow_log')).some(
      (log) => log.enabled !== false && refersTo(log.target_resource_id, 'azurerm_virtual_network', context.name),
    );
    return logged ? 'compliant' : 'non-compliant';
  },
};
