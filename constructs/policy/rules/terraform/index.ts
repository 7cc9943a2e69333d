/** The Terraform pack: state backends, budgets and tier size limits, for every cloud. */
import type { Rule } from '../../engine';
import { budgetRule } from './budget';
import { instanceSizesRule } from './instance-sizes';
import { stateBackendRule } from './state-backend';

export { budgetRule, instanceSizesRule, stateBackendRule };
export { BUDGET_RESOURCE_TYPES } from './budget';

/** The rules of the Terraform pack. */
export const TERRAFORM_RULES: readonly Rule[] = [stateBackendRule, budgetRule, instanceSizesRule];
