import type { Environment } from '../../environments/types';
import { AddonConfig, AddonDefinition } from './addon';
import { CAPABILITY_ADDONS } from './capabilities';
import { CLOUD_INTEGRATION_ADDONS } from './cloud-integrations';
import { DATABASE_ADDONS } from './databases';
import { INTERFACE_ADDONS } from './interface';
import { ORCHESTRATION_ADDONS } from './orchestration';
import { SECRETS_ADDONS } from './secrets';
import { STATEFUL_ADDONS } from './stateful';
import { TENANCY_ADDONS } from './tenancy';

/** Every add-on the platform stack can install, in install order: capabilities first, the portal last. */
export const ADDONS: readonly AddonDefinition[] = [
  ...CAPABILITY_ADDONS,
  ...CLOUD_INTEGRATION_ADDONS,
  ...SECRETS_ADDONS,
  ...STATEFUL_ADDONS,
  ...DATABASE_ADDONS,
  ...ORCHESTRATION_ADDONS,
  ...TENANCY_ADDONS,
  ...INTERFACE_ADDONS,
];

/** The add-ons an environment enables, with their configs, in install order. */
export function enabledAddons(env: Environment): { addon: AddonDefinition; config: AddonConfig }[] {
  return ADDONS.flatMap((addon) => {
    const config = env.platform?.addons?.[addon.key] as AddonConfig | undefined;
    return config?.enabled ? [{ addon, config }] : [];
  });
}
