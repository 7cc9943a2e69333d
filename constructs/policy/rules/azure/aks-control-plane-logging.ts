import type { Rule } from '../../rule';
import { blocks, referencingResources } from '../../private/terraform-json';
import { refersTo } from './shared';

/** Diagnostic log categories (or category groups) that include the Kubernetes audit log. */
export const AKS_AUDIT_LOG_CATEGORIES = ['kube-audit', 'kube-audit-admin'] as const;
const AUDIT_CATEGORY_GROUPS = ['audit', 'allLogs'];

/**
 * IDP-AZ-020: an AKS cluster sends its Kubernetes audit log somewhere: an
 * `azurerm_monitor_diagnostic_setting` targeting the cluster with `kube-audit` or
 * `kube-audit-admin` (or the `audit` / `allLogs` category group) enabled.
 */
export const aksControlPlaneLoggingRule: Rule = {
  id: 'IDP-AZ-020',
  severity: { dev: 'warning', staging: 'error', prod: 'error' },
  summary: `AKS control-plane audit logs are collected (a diagnostic setting with ${AKS_AUDIT_LOG_CATEGORIES.join(' or ')})`,
  fix: 'Add an azurerm_monitor_diagnostic_setting with target_resource_id = the cluster id and enabled_log { category = "kube-audit-admin" } (plus kube-apiserver, guard, ...) to Log Analytics or storage.',
  appliesTo: ['azurerm_kubernetes_cluster'],
  check(_cluster, context) {
    const settings = referencingResources(context.document, 'azurerm_monitor_diagnostic_setting', `azurerm_kubernetes_cluster.${context.name}`).filter((setting) =>
      refersTo(setting.target_resource_id, 'azurerm_kubernetes_cluster', context.name),
    );
    const audited = settings.some((setting) =>
      blocks(setting.enabled_log).some(
        (log) =>
          (AKS_AUDIT_LOG_CATEGORIES as readonly unknown[]).includes(log.category) || AUDIT_CATEGORY_GROUPS.includes(log.category_group as string),
      ),
    );
    return audited ? 'compliant' : 'non-compliant';
  },
};
