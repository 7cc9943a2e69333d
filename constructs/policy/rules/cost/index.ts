/**
 * The cost pack: what an environment is estimated to cost against what it may cost, read across
 * the whole app (an environment's estimate spans its infra and platform stacks).
 */
import type { AppRule } from '../../rule';
import { budgetEstimateRule } from './budget-estimate';

export { budgetEstimateRule };

/** The rules of the cost pack, in id order. */
export const COST_RULES: readonly AppRule[] = [budgetEstimateRule];
