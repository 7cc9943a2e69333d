import { AddonDefinition } from './addon';

/** Add-ons of the interface layer: the developer portal. */
export const INTERFACE_ADDONS: readonly AddonDefinition[] = [];
