// The Azure registry's default name, free of the azurerm provider (the golden paths need it).
import { alphanumeric, azureNameSuffix } from '../../integration/provider/azure-names';

/**
 * The default registry name of an environment: `acr`, the environment name's letters and digits
 * (at most 20), and 8 hex characters of SHA-256 over the subscription id and the name, e.g.
 * `acrprod3f1c2a9b`. Registry names are global DNS names (`<name>.azurecr.io`), so a suffix from the
 * subscription keeps two organisations' `prod` apart, and the same inputs always give the same name.
 */
export function azureRegistryName(environmentName: string, subscriptionId: string): string {
  return `acr${alphanumeric(environmentName).slice(0, 20)}${azureNameSuffix(subscriptionId, environmentName)}`;
}
