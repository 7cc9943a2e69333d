import { AzureBudget, AzureBudgetProps } from '../../../../../constructs/capabilities/cost/budget/azure';
import { AzureAlertRecipients } from '../../../../../constructs/capabilities/observability/alerts/azure';
import { Testing } from '../../../../../constructs/core/cdktf';
import { onlyResource } from '../../../../helpers';
import { azureTestStack, refTo } from '../../../../azure-helpers';

const resourceGroupId = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-test';
const baseProps: AzureBudgetProps = { name: 'idp-test-monthly', resourceGroupId, monthlyLimit: 2000, emails: ['finops@example.com'] };
const synth = (props: Partial<AzureBudgetProps> = {}) => azureTestStack((stack) => new AzureBudget(stack, 'budget', { ...baseProps, ...props }));
const budgetOf = (props: Partial<AzureBudgetProps> = {}) => onlyResource(synth(props), 'azurerm_consumption_budget_resource_group');

describe('AzureBudget', () => {
  test('is a monthly consumption budget on the environment resource group', () => {
    expect(budgetOf()).toMatchObject({ name: 'idp-test-monthly', resource_group_id: resourceGroupId, amount: 2000, time_grain: 'Monthly' });
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

  test('alerts on actual and forecast spend to the emails and the action group', () => {
    const json = azureTestStack((stack) => {
      const alerts = new AzureAlertRecipients(stack, 'alerts', { name: 'idp-test-alerts', emails: baseProps.emails, resourceGroupName: 'rg-test' });
      new AzureBudget(stack, 'budget', { ...baseProps, actionGroupId: alerts.actionGroupId });
    });
    const notifications = onlyResource(json, 'azurerm_consumption_budget_resource_group').notification;
    expect(notifications.map((n: any) => [n.threshold_type, n.threshold])).toEqual([
      ['Actual', 80],
      ['Actual', 100],
      ['Forecasted', 100],
    ]);
    notifications.forEach((n: any) =>
      expect(n).toMatchObject({
        enabled: true,
        operator: 'GreaterThan',
        contact_emails: baseProps.emails,
        contact_groups: [refTo(json, 'azurerm_monitor_action_group', 'id')],
      }),
    );
  });

  test('sends to emails only when no action group is given', () => {
    budgetOf().notification.forEach((n: any) => expect(n.contact_groups).toBeUndefined());
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
