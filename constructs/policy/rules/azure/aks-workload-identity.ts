import type { Rule } from '../../rule';

/** IDP-AZ-018: an AKS cluster has workload identity (and its OIDC issuer), so pods get Entra tokens instead of static secrets. */
export const aksWorkloadIdentityRule: Rule = {
  id: 'IDP-AZ-018',
  severity: { dev: 'warning', staging: 'error', prod: 'error' },
  summary: 'AKS cluster has the OIDC issuer and workload identity enabled',
  fix: 'Set oidc_issuer_enabled = true and workload_identity_enabled = true, and give pods user-assigned identities with federated credentials instead of secrets.',
  appliesTo: ['azurerm_kubernetes_cluster'],
  check(cluster) {
    return cluster.oidc_issuer_enabled === true && cluster.workload_identity_enabled === true ? 'compliant' : 'non-compliant';
  },
};
