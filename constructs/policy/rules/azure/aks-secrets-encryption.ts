import type { Rule } from '../../rule';
import { block } from '../../private/terraform-json';
import { isSet } from './shared';

/** IDP-AZ-010: an AKS cluster envelope-encrypts Kubernetes secrets in etcd with a Key Vault key (KMS). */
export const aksSecretsEncryptionRule: Rule = {
  id: 'IDP-AZ-010',
  severity: 'error',
  summary: 'AKS cluster encrypts Kubernetes secrets with a customer-managed Key Vault key (KMS)',
  fix: 'Add key_management_service { key_vault_key_id = <key id> } with a key allowing encrypt/decrypt and Key Vault Crypto User for the control-plane identity (AzureAksCluster secretsKey).',
  appliesTo: ['azurerm_kubernetes_cluster'],
  check(cluster) {
    return isSet(block(cluster.key_management_service)?.key_vault_key_id) ? 'compliant' : 'non-compliant';
  },
};
