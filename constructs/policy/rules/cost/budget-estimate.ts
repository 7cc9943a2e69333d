import { estimateCost } from '../../../capabilities/cost/estimate';
import { IdpkitError } from '../../../core/errors';
import type { AppRule, AppViolation, TerraformJson } from '../../rule';
import { block, resourcesOf } from '../../private/terraform-json';

/** The currency the estimate is in: list prices in USD. */
const ESTIMATE_CURRENCY = 'USD';

/** A budget's monthly limit as its resource writes it, or undefined when it is not a plain number (a reference). */
interface BudgetLimit {
  readonly amount: number;
  /** ISO 4217 code. @default - not in the configuration: the billing account's currency (Azure) */
  readonly currency?: string;
  /** The attribute that holds the amount, as a path inside the resource. */
  readonly attribute: string;
}

const amountOf = (value: unknown): number | undefined => {
  const amount = typeof value === 'number' ? value : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : undefined;
  return amount !== undefined && Number.isFinite(amount) ? amount : undefined;
};

/** How each budget resource type writes its monthly limit. */
const BUDGET_LIMITS: Readonly<Record<string, (budget: TerraformJson) => BudgetLimit | undefined>> = {
  aws_budgets_budget: (budget) => {
    const amount = amountOf(budget.limit_amount);
    return amount === undefined || budget.time_unit !== 'MONTHLY' ? undefined : { amount, currency: String(budget.limit_unit ?? ESTIMATE_CURRENCY), attribute: 'limit_amount' };
  },
  azurerm_consumption_budget_subscription: (budget) => azureLimit(budget),
  azurerm_consumption_budget_resource_group: (budget) => azureLimit(budget),
  google_billing_budget: (budget) => {
    const specified = block(block(budget.amount)?.specified_amount);
    const amount = amountOf(specified?.units);
    return amount === undefined ? undefined : { amount, currency: String(specified?.currency_code ?? ESTIMATE_CURRENCY), attribute: 'amount.specified_amount.units' };
  },
};

function azureLimit(budget: TerraformJson): BudgetLimit | undefined {
  const amount = amountOf(budget.amount);
  return amount === undefined || (budget.time_grain ?? 'Monthly') !== 'Monthly' ? undefined : { amount, attribute: 'amount' };
}

const usd = (value: number): string => `$${value.toFixed(2)}`;

/**
 * IDP-COST-001: an environment's priced monthly estimate (`idpkit cost`, constructs/capabilities/cost/estimate)
 * stays within its budget's monthly limit (`budget.monthlyLimit`). Only the priced lines count, so
 * an environment whose figure is under the limit may still cost more; the warning says how many
 * lines were left out. A budget in another currency than USD is not compared (no exchange rates
 * offline); an Azure budget, in the billing account's currency, is compared as USD.
 */
export const budgetEstimateRule: AppRule = {
  id: 'IDP-COST-001',
  severity: 'warning',
  summary: "Environment's priced monthly estimate (idpkit cost; lines not priced are not included) stays within its budget's monthly limit",
  fix: 'Raise budget.monthlyLimit to what the environment is meant to cost, or make it cost less (fewer or smaller nodes, off-hours in dev); `idpkit cost <cdktf.out>` itemizes the estimate. Suppress with the reason when the limit is meant to be lower.',
  appliesTo: 'app',
  checkApp(stacks) {
    let estimate;
    try {
      estimate = estimateCost({ dir: '.', stacks });
    } catch (error) {
      if (!(error instanceof IdpkitError)) throw error;
      return error.problems.map((problem) => ({ stack: /^stack "([^"]+)"/.exec(problem)?.[1] ?? Object.keys(stacks)[0], problem: `the cost could not be estimated, so no budget was compared: ${problem}` }));
    }
    const violations: AppViolation[] = [];
    for (const environment of estimate.environments) {
      for (const stack of environment.stacks) {
        for (const [type, limitOf] of Object.entries(BUDGET_LIMITS)) {
          for (const [name, budget] of Object.entries(resourcesOf(stacks[stack], type))) {
            const limit = limitOf(budget);
            if (!limit || (limit.currency !== undefined && limit.currency !== ESTIMATE_CURRENCY) || environment.monthlyUsd <= limit.amount) continue;
            const currency = limit.currency ?? `the billing account's currency, compared as ${ESTIMATE_CURRENCY}`;
            violations.push({
              stack,
              resource: `${type}.${name}`,
              attribute: limit.attribute,
              problem:
                `environment "${environment.environment}" is estimated at ${usd(environment.monthlyUsd)} a month (stacks ${environment.stacks.join(', ')}), above its budget of ${limit.amount} (${currency}; budget.monthlyLimit)` +
                (environment.notPricedLines > 0 ? `; ${environment.notPricedLines} line(s) not priced are not included, so the bill is higher still` : ''),
            });
          }
        }
      }
    }
    return violations;
  },
};
