import { AwsBudget, AwsBudgetProps } from '../../../../../constructs/capabilities/cost/budget/aws';
import { AwsAlertRecipients } from '../../../../../constructs/capabilities/observability/alerts/aws';
import { awsTestStack, onlyResource } from '../../../../helpers';

const baseProps: AwsBudgetProps = { name: 'idp-test-monthly', environment: 'test', monthlyLimit: 2000, emails: ['finops@example.com', 'platform@example.com'] };
const synth = (props: Partial<AwsBudgetProps> = {}) => awsTestStack((stack) => new AwsBudget(stack, 'budget', { ...baseProps, ...props }));
const budgetOf = (props: Partial<AwsBudgetProps> = {}) => onlyResource(synth(props), 'aws_budgets_budget');

describe('AwsBudget', () => {
  test('is a monthly cost budget of the limit, in USD by default', () => {
    expect(budgetOf()).toMatchObject({ name: 'idp-test-monthly', budget_type: 'COST', time_unit: 'MONTHLY', limit_amount: '2000', limit_unit: 'USD' });
    expect(budgetOf({ currency: 'EUR', monthlyLimit: 99.5 })).toMatchObject({ limit_amount: '99.5', limit_unit: 'EUR' });
  });

  test('counts only costs tagged with the environment (user-defined cost allocation tag)', () => {
    expect(budgetOf().cost_filter).toEqual([{ name: 'TagKeyValue', values: ['user:environment$test'] }]);
  });

  test('alerts at 80% and 100% of actual spend and 100% of forecast by default, to every email', () => {
    const notifications = budgetOf().notification;
    expect(notifications.map((n: any) => [n.notification_type, n.threshold])).toEqual([
      ['ACTUAL', 80],
      ['ACTUAL', 100],
      ['FORECASTED', 100],
    ]);
    notifications.forEach((n: any) => {
      expect(n).toMatchObject({ comparison_operator: 'GREATER_THAN', threshold_type: 'PERCENTAGE', subscriber_email_addresses: baseProps.emails });
      expect(n.subscriber_sns_topic_arns).toBeUndefined();
    });
  });

  test('takes custom thresholds, and no forecast alert when the list is empty', () => {
    const notifications = budgetOf({ actualThresholdsPercent: [50, 90, 120], forecastThresholdsPercent: [] }).notification;
    expect(notifications.map((n: any) => [n.notification_type, n.threshold])).toEqual([
      ['ACTUAL', 50],
      ['ACTUAL', 90],
      ['ACTUAL', 120],
    ]);
  });

  test('notifies only the alerts topic when given, so its email subscribers are not emailed twice', () => {
    const json = awsTestStack((stack) => {
      const alerts = new AwsAlertRecipients(stack, 'alerts', { name: 'idp-test-alerts', emails: baseProps.emails });
      new AwsBudget(stack, 'budget', { ...baseProps, topicArn: alerts.topicArn });
    });
    const topic = Object.keys(json.resource.aws_sns_topic)[0];
    onlyResource(json, 'aws_budgets_budget').notification.forEach((n: any) => {
      expect(n.subscriber_sns_topic_arns).toEqual([`\${aws_sns_topic.${topic}.arn}`]);
      expect(n.subscriber_email_addresses).toBeUndefined();
    });
  });

  test('throws when the limit is not more than 0', () => {
    expect(() => synth({ monthlyLimit: 0 })).toThrow('monthlyLimit 0 is not an amount more than 0');
    expect(() => synth({ monthlyLimit: -5 })).toThrow('monthlyLimit -5 is not an amount more than 0');
  });

  test('throws when thresholds are outside 1 to 1000, unsorted or repeated', () => {
    expect(() => synth({ actualThresholdsPercent: [0, 100] })).toThrow('actualThresholdsPercent entry 0 is not a whole percentage from 1 to 1000');
    expect(() => synth({ forecastThresholdsPercent: [1001] })).toThrow('forecastThresholdsPercent entry 1001 is not a whole percentage from 1 to 1000');
    expect(() => synth({ actualThresholdsPercent: [100, 80] })).toThrow('actualThresholdsPercent [100, 80] is not ascending without repeats');
    expect(() => synth({ actualThresholdsPercent: [80, 80] })).toThrow('is not ascending without repeats');
    expect(() => synth({ actualThresholdsPercent: [] })).toThrow('actualThresholdsPercent is empty');
  });

  test('throws when there is no email, or more than AWS takes', () => {
    expect(() => synth({ emails: [] })).toThrow('emails is empty (name at least one recipient)');
    expect(() => synth({ emails: ['bad'] })).toThrow('emails entry "bad" is not an email address');
    const eleven = Array.from({ length: 11 }, (_, i) => `person${i}@example.com`);
    expect(() => synth({ emails: eleven })).toThrow('emails lists 11 addresses; AWS budget alerts take at most 10');
    expect(() => synth({ emails: eleven, topicArn: 'arn:aws:sns:eu-west-1:111111111111:alerts' })).not.toThrow(); // the topic's subscriptions send them
  });

  test('throws when there are more notifications than AWS takes, or the name or currency is invalid', () => {
    expect(() => synth({ actualThresholdsPercent: [10, 20, 30, 40, 50, 60, 70, 80, 90], forecastThresholdsPercent: [100, 110] })).toThrow(
      '9 actual and 2 forecast thresholds make 11 alerts; AWS budgets take at most 10',
    );
    expect(() => synth({ name: 'bad:name' })).toThrow('name "bad:name" is not a budget name');
    expect(() => synth({ currency: 'usd' })).toThrow('currency "usd" is not an ISO 4217 currency code');
    expect(() => synth({ environment: 'a${b}' })).toThrow('environment "a${b}" is not a tag value a budget filter takes');
  });
});
