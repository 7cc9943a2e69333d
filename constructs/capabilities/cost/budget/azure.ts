import { ConsumptionBudgetResourceGroup } from '@cdktf/provider-azurerm/lib/consumption-budget-resource-group';
import { Construct } from 'constructs';
import { Budget, BudgetProps, resolveBudgetProps } from '.';
import { Fn } from '../../../core/cdktf';
import { IdpkitError } from '../../../core/errors';

/** Azure consumption budget limits: 5 notifications per budget, 50 contact emails per notification. */
export const AZURE_BUDGET_LIMITS = { maxAlerts: 5, maxEmails: 50, cloud: 'Azure' } as const;

/**
 * Terraform `formatdate` layout of the start of a budget whose `startDate` is not given: the start
 * is `formatdate(<this>, timestamp())`, the first of the month in which Terraform creates the
 * budget. The synthesized text never changes, and the value is set once: later plans ignore it.
 */
export const CREATION_MONTH_START_FORMAT = "YYYY-MM-01'T'00:00:00Z";

/** Props of {@link AzureBudget}. Azure budgets are in the billing account's currency, so there is no `currency`. */
export interface AzureBudgetProps extends Omit<BudgetProps, 'currency'> {
  /** Resource id of the environment's resource group: only its costs count. */
  readonly resourceGroupId: string;
  /** Action group that also receives every alert (e.g. `AzureAlertRecipients.actionGroupId`). @default - email only */
  readonly actionGroupId?: string;
  /**
   * First month of the budget, `YYYY-MM-01`. Azure requires the first of a month, no earlier than
   * the current month and at most twelve months ahead when the budget is created, and never lets
   * it change afterwards (changing it here replaces the budget).
   * @default - the month Terraform creates the budget in ({@link CREATION_MONTH_START_FORMAT}), ignored on later plans
   */
  readonly startDate?: string;
}

/**
 * A monthly Azure consumption budget on an environment's resource group, with one notification per
 * actual and forecast threshold (percentage of the limit) to the emails and, when given, an action
 * group. The budget runs until Azure's default end (ten years after the start).
 *
 * @see https://learn.microsoft.com/azure/cost-management-billing/costs/tutorial-acm-create-budgets
 * @see https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/consumption_budget_resource_group
 * @example
 * new AzureBudget(this, 'budget', { name: 'idp-prod-monthly', resourceGroupId, monthlyLimit: 10000, emails: ['finops@example.com'], actionGroupId: alerts.actionGroupId });
 */
export class AzureBudget extends Construct implements Budget {
  readonly budgetId: string;

  constructor(scope: Construct, id: string, props: AzureBudgetProps) {
    super(scope, id);
    const { resolved, problems } = resolveBudgetProps(this.node.path, props, AZURE_BUDGET_LIMITS);
    if (props.startDate !== undefined && !isFirstOfMonth(props.startDate)) {
      problems.push(`${this.node.path}: startDate "${props.startDate}" is not the first of a month as YYYY-MM-01 (e.g. 2026-01-01); Azure budgets start on the first`);
    }
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
    const budget = new ConsumptionBudgetResourceGroup(this, 'budget', {
      name: resolved.name,
      resourceGroupId: props.resourceGroupId,
      amount: resolved.monthlyLimit,
      timeGrain: 'Monthly',
      timePeriod: { startDate: props.startDate ? `${props.startDate}T00:00:00Z` : Fn.formatdate(CREATION_MONTH_START_FORMAT, Fn.timestamp()) },
      notification: resolved.alerts.map((alert) => ({
        enabled: true,
        thresholdType: alert.basis === 'actual' ? 'Actual' : 'Forecasted',
        operator: 'GreaterThan',
        threshold: alert.thresholdPercent,
        contactEmails: [...resolved.emails],
        contactGroups: props.actionGroupId ? [props.actionGroupId] : undefined,
      })),
      lifecycle: props.startDate ? undefined : { ignoreChanges: ['time_period[0].start_date'] },
    });
    this.budgetId = budget.id;
  }
}

/** Whether a date is `YYYY-MM-01` with a real month, from June 2017 (the earliest Azure takes). */
function isFirstOfMonth(date: string): boolean {
  const match = /^(\d{4})-(\d{2})-01$/.exec(date);
  if (!match) return false;
  const [year, month] = [Number(match[1]), Number(match[2])];
  return month >= 1 && month <= 12 && year * 12 + month >= 2017 * 12 + 6;
}
