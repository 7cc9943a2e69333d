import type { Rule } from '../../rule';

/** IDP-AZ-003: an AKS cluster has local accounts disabled (Entra ID only, no static admin kubeconfig). */
export const aksLocalAccountsRule: Rule = {
  id: 'IDP-AZ-003',
  severity: 'error',
  summary: 'AKS cluster has local accounts disabled (Entra ID authentication only)',
  fix: 'Set local_account_disabled = true with azure_active_directory_role_based_access_control configured.',
  appliesTo: ['azurerm_kubernetes_cluster'],
  check(cluster) {
    return cluster.local_account_disabled === true ? 'compliant' : 'non-compliant';
  },
};
