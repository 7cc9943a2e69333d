import { emailProblems } from '../../observability/alerts';

/**
 * An environment's monthly cost budget, whatever the cloud: an AWS Budgets cost budget on the
 * environment's tag, an Azure consumption budget on its resource group, or a Cloud Billing budget
 * on its project. Each alerts when actual or forecast spend passes percentages of the limit.
 */
export interface Budget {
  /** The budget's Terraform id. */
  readonly budgetId: string;
}

/** Props every cloud's budget takes. */
export interface BudgetProps {
  /** Budget name, e.g. `idp-prod-monthly` (1-60 letters, digits, "_", "-"). */
  readonly name: string;
  /** Monthly limit, in `currency`; more than 0. */
  readonly monthlyLimit: number;
  /** ISO 4217 currency of the limit; it must be the billing account's currency. @default "USD" */
  readonly currency?: string;
  /** Alert when actual spend passes these percentages of the limit (1 to 1000, ascending). @default [80, 100] */
  readonly actualThresholdsPercent?: readonly number[];
  /** Alert when forecast spend passes these percentages (1 to 1000, ascending; may be empty). @default [100] */
  readonly forecastThresholdsPercent?: readonly number[];
  /** Who receives the alerts (at least one address). */
  readonly emails: readonly string[];
}

/** Defaults of {@link BudgetProps}: warn at 80% of actual spend, again at 100%, and when the forecast passes the limit. */
export const BUDGET_DEFAULTS = {
  currency: 'USD',
  actualThresholdsPercent: [80, 100],
  forecastThresholdsPercent: [100],
} as const;

/** Budget names every cloud accepts: 1-60 letters, digits, "_" and "-" (GCP display names stop at 60). */
export const BUDGET_NAME = /^[A-Za-z0-9_-]{1,60}$/;

/** ISO 4217 currency codes: three uppercase letters. */
export const CURRENCY_CODE = /^[A-Z]{3}$/;

/** Lowest and highest alert threshold every cloud accepts, in percent of the limit. */
export const THRESHOLD_PERCENT_RANGE = { min: 1, max: 1000 } as const;

/** One alert of a budget: spend basis and percentage of the limit. */
export interface BudgetAlert {
  /** Actual spend so far, or the month's forecast. */
  readonly basis: 'actual' | 'forecast';
  /** Percentage of the limit. */
  readonly thresholdPercent: number;
}

/** Budget props with defaults applied. */
export interface ResolvedBudgetProps {
  readonly name: string;
  readonly monthlyLimit: number;
  readonly currency: string;
  readonly emails: readonly string[];
  /** Actual-spend alerts first, then forecast alerts, each ascending. */
  readonly alerts: readonly BudgetAlert[];
}

/** Limits of one cloud's budgets, for {@link resolveBudgetProps}. */
export interface BudgetLimits {
  /** Most alerts (notifications, threshold rules) one budget takes. */
  readonly maxAlerts: number;
  /** Most email addresses one alert takes. */
  readonly maxEmails: number;
  /** The cloud, for messages. */
  readonly cloud: string;
}

function thresholdProblems(path: string, field: string, thresholds: readonly number[]): string[] {
  const problems: string[] = [];
  const { min, max } = THRESHOLD_PERCENT_RANGE;
  thresholds.forEach((value) => {
    if (!Number.isInteger(value) || value < min || value > max) problems.push(`${path}: ${field} entry ${value} is not a whole percentage from ${min} to ${max}`);
  });
  if (thresholds.some((value, index) => index > 0 && value <= thresholds[index - 1])) {
    problems.push(`${path}: ${field} [${thresholds.join(', ')}] is not ascending without repeats (e.g. [80, 100])`);
  }
  return problems;
}

/**
 * Applies the defaults of budget props and checks them against the rules every cloud shares and
 * this cloud's limits; throws nothing, returns the problems for the construct to raise.
 */
export function resolveBudgetProps(path: string, props: BudgetProps, limits: BudgetLimits): { resolved: ResolvedBudgetProps; problems: string[] } {
  const actual = props.actualThresholdsPercent ?? BUDGET_DEFAULTS.actualThresholdsPercent;
  const forecast = props.forecastThresholdsPercent ?? BUDGET_DEFAULTS.forecastThresholdsPercent;
  const currency = props.currency ?? BUDGET_DEFAULTS.currency;
  const problems: string[] = [];
  if (!BUDGET_NAME.test(props.name)) problems.push(`${path}: name "${props.name}" is not a budget name (1-60 letters, digits, "_", "-")`);
  if (!Number.isFinite(props.monthlyLimit) || props.monthlyLimit <= 0) problems.push(`${path}: monthlyLimit ${props.monthlyLimit} is not an amount more than 0`);
  if (!CURRENCY_CODE.test(currency)) problems.push(`${path}: currency "${currency}" is not an ISO 4217 currency code (e.g. USD, EUR)`);
  if (actual.length === 0) problems.push(`${path}: actualThresholdsPercent is empty (give at least one threshold, e.g. [80, 100])`);
  problems.push(...thresholdProblems(path, 'actualThresholdsPercent', actual), ...thresholdProblems(path, 'forecastThresholdsPercent', forecast));
  if (actual.length + forecast.length > limits.maxAlerts) {
    problems.push(
      `${path}: ${actual.length} actual and ${forecast.length} forecast thresholds make ${actual.length + forecast.length} alerts; ${limits.cloud} budgets take at most ${limits.maxAlerts}`,
    );
  }
  problems.push(...emailProblems(path, props.emails));
  if (props.emails.length > limits.maxEmails) {
    problems.push(`${path}: emails lists ${props.emails.length} addresses; ${limits.cloud} budget alerts take at most ${limits.maxEmails} (send to a group address instead)`);
  }
  const alerts: BudgetAlert[] = [
    ...actual.map((thresholdPercent) => ({ basis: 'actual' as const, thresholdPercent })),
    ...forecast.map((thresholdPercent) => ({ basis: 'forecast' as const, thresholdPercent })),
  ];
  return { resolved: { name: props.name, monthlyLimit: props.monthlyLimit, currency, emails: [...props.emails], alerts }, problems };
}

/** Cloud Billing account ids: three groups of six uppercase hex digits. */
export const BILLING_ACCOUNT_ID = /^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$/;
