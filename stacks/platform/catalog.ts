import { AddonDefinition } from './addon';
import { CAPABILITY_ADDONS } from './capabilities';
import { INTERFACE_ADDONS } from './interface';
import { ORCHESTRATION_ADDONS } from './orchestration';

/** Every add-on the platform stack can install, in install order: capabilities first, the portal last. */
export const ADDONS: readonly AddonDefinition[] = [...CAPABILITY_ADDONS, ...ORCHESTRATION_ADDONS, ...INTERFACE_ADDONS];
