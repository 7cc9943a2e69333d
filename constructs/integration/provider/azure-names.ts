// Azure's naming helpers, free of the azurerm provider: the environments, golden paths and team
// stacks name Azure resources without loading it.
import { createHash } from 'node:crypto';

/**
 * A short, stable suffix for names Azure wants globally unique (Key Vault, container registry):
 * the first `length` hex characters of SHA-256 over the subscription id and a name. The same
 * environment in the same subscription always gets the same suffix, so names never drift between
 * syntheses, and two subscriptions using the same environment name do not collide.
 *
 * @example
 * azureNameSuffix('00000000-0000-0000-0000-000000000001', 'prod'); // e.g. "3f1c2a9b"
 */
export function azureNameSuffix(subscriptionId: string, name: string, length = 8): string {
  return createHash('sha256').update(`${subscriptionId.toLowerCase()}/${name}`).digest('hex').slice(0, length);
}

/** Only the letters and digits of a name, lowercased: what Azure's strictest resource names allow. */
export const alphanumeric = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');
