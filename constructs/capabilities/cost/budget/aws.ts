import { BudgetsBudget } from '@cdktf/provider-aws/lib/budgets-budget';
import { Construct } from 'constructs';
import { Budget, BudgetProps, resolveBudgetProps } from '.';
import { IdpkitError } from '../../../core/errors';

/** The tag key whose value names a resource's environment (set by every stack's default tags). */
export const ENVIRONMENT_TAG_KEY = 'environment';

/** Environment names the tag filter takes: AWS tag value characters, without spaces or "$". */
const ENVIRONMENT_TAG_VALUE = /^[A-Za-z0-9_.:/=+@-]{1,256}$/;

/** AWS Budgets limits: 10 notifications per budget, 10 email subscribers (plus 1 SNS topic) per notification. */
export const AWS_BUDGET_LIMITS = { maxAlerts: 10, maxEmails: 10, cloud: 'AWS' } as const;

/** Props of {@link AwsBudget}. */
export interface AwsBudgetProps extends BudgetProps {
  /** The environment's name: only costs of resources tagged `environment=<this>` count. */
  readonly environment: string;
  /**
   * SNS topic that receives every alert (e.g. `AwsAlertRecipients.topicArn`). When given, alerts
   * go only to it and `emails` are only checked: the topic's subscriptions decide who is notified,
   * so nobody gets an alert twice.
   * @default - alerts go straight to `emails`
   */
  readonly topicArn?: string;
}

/**
 * A monthly AWS Budgets cost budget for one environment: costs are filtered on the `environment`
 * tag (`TagKeyValue` = `user:environment$<name>`), with one notification per actual and forecast
 * threshold (percentage of the limit), sent to the SNS topic when one is given, otherwise straight
 * to the emails (each email subscription of the topic must be confirmed before it receives them).
 *
 * The tag must be activated as a user-defined cost allocation tag in the payer account's Billing
 * console (it cannot be done from a member account); until then the filter matches nothing and
 * the budget stays at zero.
 *
 * @see https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-create-filters.html
 * @example
 * declare const alerts: AwsAlertRecipients;
 * new AwsBudget(this, 'budget', { name: 'idp-prod-monthly', environment: 'prod', monthlyLimit: 10000, emails: ['finops@example.com'], topicArn: alerts.topicArn });
 */
export class AwsBudget extends Construct implements Budget {
  readonly budgetId: string;

  constructor(scope: Construct, id: string, props: AwsBudgetProps) {
    super(scope, id);
    const { resolved, problems } = resolveBudgetProps(this.node.path, props, {
      ...AWS_BUDGET_LIMITS,
      maxEmails: props.topicArn ? Number.POSITIVE_INFINITY : AWS_BUDGET_LIMITS.maxEmails,
    });
    if (!ENVIRONMENT_TAG_VALUE.test(props.environment)) {
      problems.push(`${this.node.path}: environment "${props.environment}" is not a tag value a budget filter takes (letters, digits and _ . : / = + @ -)`);
    }
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
    const budget = new BudgetsBudget(this, 'budget', {
      name: resolved.name,
      budgetType: 'COST',
      timeUnit: 'MONTHLY',
      limitAmount: String(resolved.monthlyLimit),
      limitUnit: resolved.currency,
      costFilter: [{ name: 'TagKeyValue', values: [`user:${ENVIRONMENT_TAG_KEY}$${props.environment}`] }],
      notification: resolved.alerts.map((alert) => ({
        notificationType: alert.basis === 'actual' ? 'ACTUAL' : 'FORECASTED',
        comparisonOperator: 'GREATER_THAN',
        threshold: alert.thresholdPercent,
        thresholdType: 'PERCENTAGE',
        ...(props.topicArn ? { subscriberSnsTopicArns: [props.topicArn] } : { subscriberEmailAddresses: [...resolved.emails] }),
      })),
    });
    this.budgetId = budget.id;
  }
}
