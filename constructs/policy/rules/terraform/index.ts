/** The Terraform pack: state backends and budgets, for every cloud. */
import type { Rule } from '../../engine';
import { budgetRule } from './budget';
import { stateBackendRule } from './state-backend';

export { budgetRule, stateBackendRule };
export { BUDGET_RESOURCE_TYPES } from './budget';

/** The rules of the Terraform pack. */
export const TERRAFORM_RULES: readonly Rule[] = [stateBackendRule, budgetRule];
