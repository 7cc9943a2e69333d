import { AzureBudget, AzureBudgetProps } from '../../../../../constructs/capabilities/cost/budget/azure';
import { AzureAlertRecipients } from '../../../../../constructs/capabilities/observability/alerts/azure';
import { Testing } from '../../../../../constructs/core/cdktf';
import { onlyResource } from '../../../../helpers';
import { TEST_SUBSCRIPTION, azureTestStack, refTo } from '../../../../azure-helpers';

const resourceGroupNames = ['rg-test', 'MC_rg-test_aks-test_westeurope'];
const baseProps: AzureBudgetProps = { name: 'idp-test-monthly', subscriptionId: TEST_SUBSCRIPTION, resourceGroupNames, monthlyLimit: 2000, emails: ['finops@example.com'] };
const synth = (props: Partial<AzureBudgetProps> = {}) => azureTestStack((stack) => new AzureBudget(stack, 'budget', { ...baseProps, ...props }));
const budgetOf = (props: Partial<AzureBudgetProps> = {}) => onlyResource(synth(props), 'azurerm_consumption_budget_subscription');

describe('AzureBudget', () => {
  test('is a monthly consumption budget made on the subscription', () => {
    expect(budgetOf()).toMatchObject({ name: 'idp-test-monthly', subscription_id: `/subscriptions/${TEST_SUBSCRIPTION}`, amount: 2000, time_grain: 'Monthly' });
  });

  test("counts only the costs of the given resource groups (the environment's and AKS's node group)", () => {
    expect(budgetOf().filter).toEqual({ dimension: [{ name: 'ResourceGroupName', operator: 'In', values: resourceGroupNames }] });
  });

  test('starts in the month Terraform creates it, through an expression that synthesizes the same every run', () => {
    const budget = budgetOf();
    expect(budget.time_period.start_date).toBe(`\${formatdate("YYYY-MM-01'T'00:00:00Z", timestamp())}`);
    expect(budget.lifecycle).toEqual({ ignore_changes: ['time_period[0].start_date'] });
    expect(Testing.synthScope((scope) => new AzureBudget(scope, 'budget', baseProps))).toBe(Testing.synthScope((scope) => new AzureBudget(scope, 'budget', baseProps)));
  });

  test('takes a fixed first-of-month start date, which is not ignored', () => {
    const budget = budgetOf({ startDate: '2026-01-01' });
    expect(budget.time_period.start_date).toBe('2026-01-01T00:00:00Z');
    expect(budget.lifecycle).toBeUndefined();
  });

  test('alerts on actual and forecast spend through the action group only, so its members are not emailed twice', () => {
    const json = azureTestStack((stack) => {
      const alerts = new AzureAlertRecipients(stack, 'alerts', { name: 'idp-test-alerts', emails: baseProps.emails, resourceGroupName: 'rg-test' });
      new AzureBudget(stack, 'budget', { ...baseProps, actionGroupId: alerts.actionGroupId });
    });
    const notifications = onlyResource(json, 'azurerm_consumption_budget_subscription').notification;
    expect(notifications.map((n: any) => [n.threshold_type, n.threshold])).toEqual([
      ['Actual', 80],
      ['Actual', 100],
      ['Forecasted', 100],
    ]);
    notifications.forEach((n: any) => {
      expect(n).toMatchObject({ enabled: true, operator: 'GreaterThan', contact_groups: [refTo(json, 'azurerm_monitor_action_group', 'id')] });
      expect(n.contact_emails).toBeUndefined();
    });
  });

  test('sends to the emails directly when no action group is given', () => {
    budgetOf().notification.forEach((n: any) => {
      expect(n.contact_emails).toEqual(baseProps.emails);
      expect(n.contact_groups).toBeUndefined();
    });
  });

  test('takes more emails than a notification holds when an action group sends them', () => {
    const many = Array.from({ length: 51 }, (_, i) => `person${i}@example.com`);
    expect(() => synth({ emails: many })).toThrow('emails lists 51 addresses; Azure budget alerts take at most 50');
    expect(() => synth({ emails: many, actionGroupId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Insights/actionGroups/platform' })).not.toThrow();
  });

  test('throws when the subscription or a resource group name is invalid, or there is no resource group', () => {
    expect(() => synth({ subscriptionId: '/subscriptions/x' })).toThrow('subscriptionId "/subscriptions/x" is not a subscription id (a GUID');
    expect(() => synth({ resourceGroupNames: [] })).toThrow('resourceGroupNames is empty');
    expect(() => synth({ resourceGroupNames: ['rg-test', 'bad/name'] })).toThrow('resourceGroupNames entry "bad/name" is not a resource group name');
  });

  test('throws when the start date is not the first of a month', () => {
    expect(() => synth({ startDate: '2026-01-15' })).toThrow('startDate "2026-01-15" is not the first of a month as YYYY-MM-01');
    expect(() => synth({ startDate: '2026-13-01' })).toThrow('startDate "2026-13-01"');
    expect(() => synth({ startDate: '2016-01-01' })).toThrow('startDate "2016-01-01"');
  });

  test('throws when there are more than 5 notifications, or bad thresholds or limit', () => {
    expect(() => synth({ actualThresholdsPercent: [50, 80, 100, 120], forecastThresholdsPercent: [100, 120] })).toThrow(
      '4 actual and 2 forecast thresholds make 6 alerts; Azure budgets take at most 5',
    );
    expect(() => synth({ actualThresholdsPercent: [100, 50] })).toThrow('is not ascending without repeats');
    expect(() => synth({ monthlyLimit: 0 })).toThrow('monthlyLimit 0 is not an amount more than 0');
    expect(() => synth({ emails: [] })).toThrow('emails is empty');
  });
});
