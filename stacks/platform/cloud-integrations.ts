import { AddonDefinition } from './addon';

/** Add-ons that drive cloud APIs for the cluster: load balancers, node provisioning, cost and billing. */
export const CLOUD_INTEGRATION_ADDONS: readonly AddonDefinition[] = [];
