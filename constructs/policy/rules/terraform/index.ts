/** The Terraform pack: state backends, budgets, tier size limits and prod deletion safety, for every cloud. */
import type { Rule } from '../../rule';
import { budgetRule } from './budget';
import { instanceSizesRule } from './instance-sizes';
import { preventDestroyRule } from './prevent-destroy';
import { stateBackendRule } from './state-backend';

export { budgetRule, instanceSizesRule, preventDestroyRule, stateBackendRule };
export { PREVENT_DESTROY_EXCEPTIONS } from './prevent-destroy';
export { BUDGET_RESOURCE_TYPES } from './budget';

/** The rules of the Terraform pack. */
export const TERRAFORM_RULES: readonly Rule[] = [stateBackendRule, budgetRule, instanceSizesRule, preventDestroyRule];
