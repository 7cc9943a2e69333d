import { AddonDefinition } from './addon';

/** Add-ons of the orchestration layer: GitOps, policy, infrastructure orchestration. */
export const ORCHESTRATION_ADDONS: readonly AddonDefinition[] = [];
