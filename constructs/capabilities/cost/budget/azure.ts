import { ConsumptionBudgetSubscription } from '@cdktf/provider-azurerm/lib/consumption-budget-subscription';
import { Construct } from 'constructs';
import { Budget, BudgetProps, resolveBudgetProps } from '.';
import { Fn, Token } from '../../../core/cdktf';
import { IdpkitError, describeValue } from '../../../core/errors';

/** Azure consumption budget limits: 5 notifications per budget, 50 contact emails per notification. */
export const AZURE_BUDGET_LIMITS = { maxAlerts: 5, maxEmails: 50, cloud: 'Azure' } as const;

/** Azure subscription ids: a GUID. */
const SUBSCRIPTION_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Resource group names: 1-90 letters, digits, "_", "-", ".", "(", ")", not ending with ".". */
const RESOURCE_GROUP_NAME = /^[-\w.()]{0,89}[-\w()]$/;

/** The cost dimension the budget filters on: the resource group a cost belongs to. */
export const RESOURCE_GROUP_DIMENSION = 'ResourceGroupName';

/**
 * Terraform `formatdate` layout of the start of a budget whose `startDate` is not given: the start
 * is `formatdate(<this>, timestamp())`, the first of the month in which Terraform creates the
 * budget. The synthesized text never changes, and the value is set once: later plans ignore it.
 */
export const CREATION_MONTH_START_FORMAT = "YYYY-MM-01'T'00:00:00Z";

/** Props of {@link AzureBudget}. Azure budgets are in the billing account's currency, so there is no `currency`. */
export interface AzureBudgetProps extends Omit<BudgetProps, 'currency'> {
  /** Subscription (GUID) the budget is made in, whose resource groups it counts. */
  readonly subscriptionId: string;
  /**
   * Resource groups whose costs count: the environment's group and AKS's node resource group
   * (`MC_...`, where node VMs, disks and load balancers are billed). At least one.
   */
  readonly resourceGroupNames: readonly string[];
  /**
   * Action group that receives every alert (e.g. `AzureAlertRecipients.actionGroupId`). When
   * given, alerts go only to it and `emails` are only checked: the action group decides who is
   * notified, so nobody gets an alert twice.
   * @default - alerts go straight to `emails`
   */
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
 * A monthly Azure consumption budget for an environment: made at subscription scope and filtered on
 * the environment's resource groups (cost dimension `ResourceGroupName`), so that AKS's node
 * resource group, which Azure creates outside the environment's group, counts too. One
 * notification per actual and forecast threshold (percentage of the limit), sent to the action
 * group when one is given, otherwise straight to the emails. The budget runs until Azure's default
 * end (ten years after the start).
 *
 * Creating it needs Cost Management Contributor (or Contributor) on the subscription.
 *
 * @see https://learn.microsoft.com/azure/cost-management-billing/costs/tutorial-acm-create-budgets
 * @see https://registry.terraform.io/providers/hashicorp/azurerm/4.55.0/docs/resources/consumption_budget_subscription
 * @example
 * declare const cluster: AzureAksCluster;
 * declare const alerts: AzureAlertRecipients;
 * new AzureBudget(this, 'budget', {
 *   name: 'idp-prod-monthly', subscriptionId: '00000000-0000-0000-0000-000000000001', resourceGroupNames: ['rg-idp-prod', cluster.nodeResourceGroupName],
 *   monthlyLimit: 10000, emails: ['finops@example.com'], actionGroupId: alerts.actionGroupId,
 * });
 */
export class AzureBudget extends Construct implements Budget {
  readonly budgetId: string;

  constructor(scope: Construct, id: string, props: AzureBudgetProps) {
    super(scope, id);
    const { resolved, problems } = resolveBudgetProps(this.node.path, props, {
      ...AZURE_BUDGET_LIMITS,
      maxEmails: props.actionGroupId ? Number.POSITIVE_INFINITY : AZURE_BUDGET_LIMITS.maxEmails,
    });
    if (!Token.isUnresolved(props.subscriptionId) && !SUBSCRIPTION_ID.test(props.subscriptionId)) {
      problems.push(`${this.node.path}: subscriptionId ${describeValue(props.subscriptionId)} is not a subscription id (a GUID, e.g. 00000000-0000-0000-0000-000000000001)`);
    }
    if (props.resourceGroupNames.length === 0) {
      problems.push(`${this.node.path}: resourceGroupNames is empty (name at least the environment's resource group)`);
    }
    props.resourceGroupNames.forEach((group) => {
      if (!Token.isUnresolved(group) && !RESOURCE_GROUP_NAME.test(group)) {
        problems.push(`${this.node.path}: resourceGroupNames entry ${describeValue(group)} is not a resource group name (1-90 letters, digits, "_", "-", ".", "(", ")", not ending with ".")`);
      }
    });
    if (props.startDate !== undefined && !isFirstOfMonth(props.startDate)) {
      problems.push(`${this.node.path}: startDate "${props.startDate}" is not the first of a month as YYYY-MM-01 (e.g. 2026-01-01); Azure budgets start on the first`);
    }
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
    const budget = new ConsumptionBudgetSubscription(this, 'budget', {
      name: resolved.name,
      subscriptionId: `/subscriptions/${props.subscriptionId}`,
      amount: resolved.monthlyLimit,
      filter: { dimension: [{ name: RESOURCE_GROUP_DIMENSION, operator: 'In', values: [...props.resourceGroupNames] }] },
      timeGrain: 'Monthly',
      timePeriod: { startDate: props.startDate ? `${props.startDate}T00:00:00Z` : Fn.formatdate(CREATION_MONTH_START_FORMAT, Fn.timestamp()) },
      notification: resolved.alerts.map((alert) => ({
        enabled: true,
        thresholdType: alert.basis === 'actual' ? 'Actual' : 'Forecasted',
        operator: 'GreaterThan',
        threshold: alert.thresholdPercent,
        ...(props.actionGroupId ? { contactGroups: [props.actionGroupId] } : { contactEmails: [...resolved.emails] }),
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
