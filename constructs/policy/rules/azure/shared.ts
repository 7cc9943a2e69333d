/** Helpers the Azure rules share: what a resource refers to, and the bootstrap (state) stacks. */
import type { RuleContext, TerraformJson } from '../../rule';
import { block, blocks, resourcesOf } from '../../private/terraform-json';

/**
 * Prefix of the stacks that create a state storage account (`bootstrap-<account>`): applied by an
 * administrator with local state, and read and written by CI runners over the internet.
 */
export const BOOTSTRAP_STACK_PREFIX = 'bootstrap-';

/** Whether the stack is a state bootstrap stack. */
export const isBootstrapStack = (context: RuleContext): boolean => context.stack.startsWith(BOOTSTRAP_STACK_PREFIX);

/** Whether a value is (or contains) a reference to an attribute of the resource `type.name`. */
export const refersTo = (value: unknown, type: string, name: string): boolean => typeof value === 'string' && value.includes(`\${${type}.${name}.`);

/** A string attribute that is set: a non-empty literal or a Terraform reference (which a rule cannot judge). */
export const isSet = (value: unknown): boolean => typeof value === 'string' && value.trim() !== '';

/** Whether a storage account, Key Vault or registry denies by default: its firewall's `default_action` is `Deny`. */
export const deniesByDefault = (acls: unknown): boolean => blocks(acls).some((rules) => rules.default_action === 'Deny');

/**
 * The names of the AKS clusters of the document whose KMS (`key_management_service`) uses a key
 * of the given Key Vault in `Public` network access mode (the default).
 */
export function publicKmsClustersOfVault(document: TerraformJson, vaultName: string): string[] {
  const keys = Object.entries(resourcesOf(document, 'azurerm_key_vault_key'))
    .filter(([, key]) => refersTo(key.key_vault_id, 'azurerm_key_vault', vaultName))
    .map(([name]) => name);
  return Object.entries(resourcesOf(document, 'azurerm_kubernetes_cluster'))
    .filter(([, cluster]) => {
      const kms = block(cluster.key_management_service);
      if (!kms || kms.key_vault_network_access === 'Private') return false;
      return keys.some((key) => refersTo(kms.key_vault_key_id, 'azurerm_key_vault_key', key));
    })
    .map(([name]) => name);
}
