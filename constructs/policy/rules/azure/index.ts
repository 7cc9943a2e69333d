/** The Azure pack: PostgreSQL flexible servers, Key Vault and AKS. */
import type { Rule } from '../../engine';
import { aksLocalAccountsRule } from './aks-local-accounts';
import { keyVaultPurgeProtectionRule } from './key-vault-purge-protection';
import { postgresPrivateRule } from './postgres-private';

export { aksLocalAccountsRule, keyVaultPurgeProtectionRule, postgresPrivateRule };

/** The rules of the Azure pack, in id order. */
export const AZURE_RULES: readonly Rule[] = [postgresPrivateRule, keyVaultPurgeProtectionRule, aksLocalAccountsRule];
