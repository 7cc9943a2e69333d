import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { Construct } from 'constructs';
import { IdpkitError, describeValue } from '../../core/errors';
import { policyDocument } from '../../integration/identity/aws';
import { EVENT_RULE_NAME_MAX_LENGTH, KARPENTER_INTERRUPTION_EVENTS, KARPENTER_QUEUE_NAME_MAX_LENGTH } from './karpenter-settings';

/** Props of {@link KarpenterInterruptionQueue}. */
export interface KarpenterInterruptionQueueProps {
  /** Queue name, as Karpenter's `settings.interruptionQueue` names it; also the prefix of the rules' names (`<queue>-<event>`). */
  readonly queueName: string;
}


/**
 * Karpenter's interruption queue: an SQS queue (SSE, 5-minute retention, TLS only, writable by
 * EventBridge alone) fed by one EventBridge rule per interruption event.
 *
 * @example
 * new KarpenterInterruptionQueue(this, 'interruptions', { queueName: 'idp-prod-karpenter' });
 */
export class KarpenterInterruptionQueue extends Construct {
  /** The queue's ARN. */
  readonly queueArn: string;

  constructor(scope: Construct, id: string, props: KarpenterInterruptionQueueProps) {
    super(scope, id);
    if (props.queueName.length > KARPENTER_QUEUE_NAME_MAX_LENGTH) {
      throw new IdpkitError('IDPKIT_INVALID_PROPS', [
        `${this.node.path}: queueName ${describeValue(props.queueName)} is longer than ${KARPENTER_QUEUE_NAME_MAX_LENGTH} characters: its EventBridge rule names (<queue>-<event>) would exceed ${EVENT_RULE_NAME_MAX_LENGTH} (use a shorter name)`,
      ]);
    }
    const queue = new SqsQueue(this, 'queue', { name: props.queueName, messageRetentionSeconds: 300, sqsManagedSseEnabled: true });
    new SqsQueuePolicy(this, 'policy', {
      queueUrl: queue.url,
      policy: policyDocument([
        { Sid: 'EventBridgeSends', Effect: 'Allow', Principal: { Service: ['events.amazonaws.com', 'sqs.amazonaws.com'] }, Action: 'sqs:SendMessage', Resource: queue.arn },
        { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: queue.arn, Condition: { Bool: { 'aws:SecureTransport': false } } },
      ]),
    });
    for (const [name, pattern] of Object.entries(KARPENTER_INTERRUPTION_EVENTS)) {
      const rule = new CloudwatchEventRule(this, `${name}-rule`, {
        name: `${props.queueName}-${name}`,
        description: `${pattern['detail-type'][0]} to Karpenter`,
        eventPattern: JSON.stringify(pattern),
      });
      new CloudwatchEventTarget(this, `${name}-target`, { rule: rule.name, arn: queue.arn, targetId: 'karpenter-interruption-queue' });
    }
    this.queueArn = queue.arn;
  }
}
