import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import { AlertRecipients, AlertRecipientsProps, alertRecipientsProblems, emailIds } from '.';
import { IdpkitError } from '../../../core/errors';
import { AwsKmsKey } from '../../../infrastructure/keys/aws';
import { PolicyStatement, policyDocument } from '../../../integration/identity/aws';
import { awsContext } from '../../../integration/provider/aws';

/**
 * The AWS services that publish to the alerts topic, by service principal: CloudWatch alarms,
 * EventBridge rules, RDS event subscriptions and AWS Budgets notifications.
 *
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
export const ALERT_PUBLISHERS = {
  budgets: 'budgets.amazonaws.com',
  cloudwatch: 'cloudwatch.amazonaws.com',
  eventbridge: 'events.amazonaws.com',
  rdsEvents: 'events.rds.amazonaws.com',
} as const;

/** Props of {@link AwsAlertRecipients}. */
export interface AwsAlertRecipientsProps extends AlertRecipientsProps {
  /** KMS key that encrypts the topic; the publishers are granted its use. @default - a new key, alias `idpkit/alerts/<name>` */
  readonly key?: AwsKmsKey;
  /** Waiting period of the created key's deletion (7 to 30 days). @default - the tier's `keyDeletionWindowDays` (dev 7, staging and prod 30); 30 without a tier */
  readonly keyDeletionWindowDays?: number;
  /** Refuse `terraform destroy` of the key this construct creates (`lifecycle.prevent_destroy`). @default false */
  readonly keyPreventDestroy?: boolean;
}

/**
 * An SNS topic for an environment's alarms and budget alerts: encrypted with a customer-managed
 * KMS key that CloudWatch, EventBridge, RDS events and AWS Budgets may use, a topic policy that lets
 * exactly those services publish on behalf of this account only (`aws:SourceAccount`; Budgets also
 * by `aws:SourceArn`), and one email subscription per address. Each address must confirm its
 * subscription from the email AWS sends before it receives anything.
 *
 * @see https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html
 * @example
 * const alerts = new AwsAlertRecipients(this, 'alerts', { name: 'idp-prod-alerts', emails: ['platform@example.com'] });
 * new AwsBudget(this, 'budget', { name: 'idp-prod-monthly', environment: 'prod', monthlyLimit: 10000, emails: ['finops@example.com'], topicArn: alerts.topicArn });
 */
export class AwsAlertRecipients extends Construct implements AlertRecipients {
  readonly emails: readonly string[];
  /** ARN of the topic, what alarms, event subscriptions and budgets notify. */
  readonly topicArn: string;
  /** The key that encrypts the topic. */
  readonly key: AwsKmsKey;

  constructor(scope: Construct, id: string, props: AwsAlertRecipientsProps) {
    super(scope, id);
    const problems = alertRecipientsProblems(this.node.path, props);
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
    const { accountId } = awsContext(this);
    const publishers = Object.values(ALERT_PUBLISHERS);
    this.key =
      props.key ??
      new AwsKmsKey(this, 'key', {
        alias: `idpkit/alerts/${props.name}`,
        description: `Alerts topic ${props.name}`,
        deletionWindowDays: props.keyDeletionWindowDays,
        preventDestroy: props.keyPreventDestroy,
      });
    this.key.grantTopicPublishers(publishers);
    const topic = new SnsTopic(this, 'topic', { name: props.name, kmsMasterKeyId: this.key.keyId });
    const sourceAccount = { StringEquals: { 'aws:SourceAccount': accountId } };
    const statements: PolicyStatement[] = [
      { Sid: 'CloudWatchAlarmsPublish', Effect: 'Allow', Principal: { Service: ALERT_PUBLISHERS.cloudwatch }, Action: 'sns:Publish', Resource: topic.arn, Condition: sourceAccount },
      { Sid: 'EventBridgeRulesPublish', Effect: 'Allow', Principal: { Service: ALERT_PUBLISHERS.eventbridge }, Action: 'sns:Publish', Resource: topic.arn, Condition: sourceAccount },
      { Sid: 'RdsEventsPublish', Effect: 'Allow', Principal: { Service: ALERT_PUBLISHERS.rdsEvents }, Action: 'sns:Publish', Resource: topic.arn, Condition: sourceAccount },
      {
        Sid: 'BudgetsPublish',
        Effect: 'Allow',
        Principal: { Service: ALERT_PUBLISHERS.budgets },
        Action: 'sns:Publish',
        Resource: topic.arn,
        Condition: { ...sourceAccount, ArnLike: { 'aws:SourceArn': `arn:aws:budgets::${accountId}:*` } },
      },
    ];
    new SnsTopicPolicy(this, 'policy', { arn: topic.arn, policy: policyDocument(statements) });
    // Ids from the address, so removing one recipient leaves the others' confirmed subscriptions alone.
    emailIds(props.emails).forEach(([subscriptionId, email]) => {
      new SnsTopicSubscription(this, subscriptionId, { topicArn: topic.arn, protocol: 'email', endpoint: email });
    });
    this.emails = [...props.emails];
    this.topicArn = topic.arn;
  }
}
