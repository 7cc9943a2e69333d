import { AddonDefinition } from './addon';

/** Add-ons that keep data in the cloud: secrets (Vault), logs and traces (Loki, Tempo), DNS (external-dns). */
export const STATEFUL_ADDONS: readonly AddonDefinition[] = [];
