/**
 * The monthly cost delta between two estimates (e.g. the base branch's synthesized output and a
 * pull request's), per stack and in total: what `idpkit diff` and the plan workflow's comment
 * show. Both estimates are priced with the same, running price table, so the delta is what the
 * change of configuration costs, not a change of prices.
 */
import type { CostEstimate, StackEstimate } from './index';
import { round2 } from './prices';

/** One stack's priced total before and after. */
export interface StackCostChange {
  readonly stack: string;
  /** The environment the stack belongs to (the after side's, for a stack on both). */
  readonly environment: string;
  /** Priced total before, USD a month. @default - the stack is new */
  readonly beforeUsd?: number;
  /** Priced total after, USD a month. @default - the stack is removed */
  readonly afterUsd?: number;
  /** after - before (a side without the stack counts as 0). */
  readonly deltaUsd: number;
  /** Lines not priced before. @default - the stack is new */
  readonly notPricedBefore?: number;
  /** Lines not priced after. @default - the stack is removed */
  readonly notPricedAfter?: number;
}

/** Two estimates compared. */
export interface CostComparison {
  /** The price table both sides were priced with. */
  readonly priceTableVersion: string;
  readonly hoursPerMonth: number;
  /** Every stack of either side, by name. */
  readonly stacks: readonly StackCostChange[];
  readonly beforeUsd: number;
  readonly afterUsd: number;
  readonly deltaUsd: number;
  readonly notPricedBefore: number;
  readonly notPricedAfter: number;
}

/** Code-point order, the same in every locale. */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Compares two estimates stack by stack. */
export function compareCostEstimates(before: CostEstimate, after: CostEstimate): CostComparison {
  const beforeByName = new Map<string, StackEstimate>(before.stacks.map((stack) => [stack.stack, stack]));
  const afterByName = new Map<string, StackEstimate>(after.stacks.map((stack) => [stack.stack, stack]));
  const names = [...new Set([...beforeByName.keys(), ...afterByName.keys()])].sort(byText);
  const stacks = names.map((name): StackCostChange => {
    const was = beforeByName.get(name);
    const is = afterByName.get(name);
    return {
      stack: name,
      environment: (is ?? was)!.environment,
      ...(was ? { beforeUsd: was.monthlyUsd, notPricedBefore: was.notPricedLines } : {}),
      ...(is ? { afterUsd: is.monthlyUsd, notPricedAfter: is.notPricedLines } : {}),
      deltaUsd: round2((is?.monthlyUsd ?? 0) - (was?.monthlyUsd ?? 0)),
    };
  });
  return {
    priceTableVersion: after.priceTableVersion,
    hoursPerMonth: after.hoursPerMonth,
    stacks,
    beforeUsd: before.monthlyUsd,
    afterUsd: after.monthlyUsd,
    deltaUsd: round2(after.monthlyUsd - before.monthlyUsd),
    notPricedBefore: before.notPricedLines,
    notPricedAfter: after.notPricedLines,
  };
}
