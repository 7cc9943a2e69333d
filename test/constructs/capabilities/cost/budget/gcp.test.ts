import { GcpBudget, GcpBudgetProps } from '../../../../../constructs/capabilities/cost/budget/gcp';
import { GcpAlertRecipients } from '../../../../../constructs/capabilities/observability/alerts/gcp';
import { onlyResource, resources } from '../../../../helpers';
import { addressOf, gcpTestStack, ref, serviceAddresses } from '../../../../gcp-helpers';

const baseProps: GcpBudgetProps = { name: 'idp-test-monthly', billingAccountId: '012345-6789AB-CDEF01', monthlyLimit: 2000, emails: ['finops@example.com', 'platform@example.com'] };
const synth = (props: Partial<GcpBudgetProps> = {}) => gcpTestStack((stack) => new GcpBudget(stack, 'budget', { ...baseProps, ...props }));
const budgetOf = (props: Partial<GcpBudgetProps> = {}) => onlyResource(synth(props), 'google_billing_budget');

describe('GcpBudget', () => {
  test('lives in the billing account and counts the stack project, monthly', () => {
    const json = synth();
    const budget = onlyResource(json, 'google_billing_budget');
    expect(budget).toMatchObject({ billing_account: '012345-6789AB-CDEF01', display_name: 'idp-test-monthly' });
    expect(budget.budget_filter.calendar_period).toBe('MONTH');
    expect(budget.budget_filter.projects).toEqual([expect.stringMatching(/^projects\/\$\{data\.google_project\..+\.number\}$/)]);
    expect(budget.budget_filter.labels).toBeUndefined();
    expect(budget.depends_on).toEqual(serviceAddresses(json, ['billingbudgets.googleapis.com']));
  });

  test('takes a project number and an environment label filter', () => {
    const filter = budgetOf({ projectNumber: '123456789012', environmentLabel: 'Test' }).budget_filter;
    expect(filter.projects).toEqual(['projects/123456789012']);
    expect(filter.labels).toEqual({ environment: 'test' });
  });

  test('states the limit as whole units and nanos in the currency', () => {
    expect(budgetOf().amount.specified_amount).toEqual({ currency_code: 'USD', units: '2000' });
    expect(budgetOf({ monthlyLimit: 1500.25, currency: 'EUR' }).amount.specified_amount).toEqual({ currency_code: 'EUR', units: '1500', nanos: 250000000 });
  });

  test('has threshold rules on current and forecast spend as fractions of the limit', () => {
    expect(budgetOf().threshold_rules).toEqual([
      { spend_basis: 'CURRENT_SPEND', threshold_percent: 0.8 },
      { spend_basis: 'CURRENT_SPEND', threshold_percent: 1 },
      { spend_basis: 'FORECASTED_SPEND', threshold_percent: 1 },
    ]);
  });

  test('sends every update to an email channel per address by default, billing admins included', () => {
    const json = synth();
    expect(resources(json, 'google_monitoring_notification_channel')).toHaveLength(2);
    const rule = onlyResource(json, 'google_billing_budget').all_updates_rule;
    expect(rule.disable_default_iam_recipients).toBe(false);
    const channelOf = (email: string) => ref(addressOf(json, 'google_monitoring_notification_channel', (c) => c.labels.email_address === email), 'name');
    expect(rule.monitoring_notification_channels).toEqual(baseProps.emails.map(channelOf));
  });

  test('uses given notification channels instead of making its own', () => {
    const json = gcpTestStack((stack) => {
      const alerts = new GcpAlertRecipients(stack, 'alerts', { name: 'idp-test-alerts', emails: baseProps.emails });
      new GcpBudget(stack, 'budget', { ...baseProps, notificationChannelIds: alerts.notificationChannelIds });
    });
    expect(resources(json, 'google_monitoring_notification_channel')).toHaveLength(2);
    const channels = onlyResource(json, 'google_billing_budget').all_updates_rule.monitoring_notification_channels;
    channels.forEach((c: string) => expect(c).toMatch(/^\$\{google_monitoring_notification_channel\.alerts_.+\.name\}$/));
  });

  test('throws when the billing account id is malformed', () => {
    expect(() => synth({ billingAccountId: 'billingAccounts/012345-6789AB-CDEF01' })).toThrow('billingAccountId "billingAccounts/012345-6789AB-CDEF01" is not a billing account id');
  });

  test('throws when more than 5 channels would be notified', () => {
    const six = Array.from({ length: 6 }, (_, i) => `person${i}@example.com`);
    expect(() => synth({ emails: six })).toThrow('emails lists 6 addresses; GCP budget alerts take at most 5');
    expect(() => synth({ notificationChannelIds: six })).toThrow('notificationChannelIds lists 6 channels (allowed: 1 to 5)');
  });

  test('throws when the limit or thresholds are invalid', () => {
    expect(() => synth({ monthlyLimit: 0 })).toThrow('monthlyLimit 0 is not an amount more than 0');
    expect(() => synth({ forecastThresholdsPercent: [100, 100] })).toThrow('forecastThresholdsPercent [100, 100] is not ascending without repeats');
    expect(() => synth({ actualThresholdsPercent: [2.5] })).toThrow('actualThresholdsPercent entry 2.5 is not a whole percentage');
  });
});
