import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { Construct } from 'constructs';
import { IdpkitError, describeValue } from '../../core/errors';
import { fitName } from '../../core/names';
import { policyDocument } from '../../integration/identity/aws';

/** Props of {@link KarpenterInterruptionQueue}. */
export interface KarpenterInterruptionQueueProps {
  /** Queue name, as Karpenter's `settings.interruptionQueue` names it; also the prefix of the rules' names (`<queue>-<event>`). */
  readonly queueName: string;
}

/**
 * The EC2 events Karpenter drains nodes ahead of: spot interruption warnings, rebalance
 * recommendations, instance state changes, scheduled AWS Health events and capacity reservation
 * interruption warnings (the five rules of upstream's CloudFormation template).
 *
 * @see https://karpenter.sh/docs/concepts/disruption/#interruption
 */
export const KARPENTER_INTERRUPTION_EVENTS: Readonly<Record<string, { source: string[]; 'detail-type': string[] }>> = {
  'scheduled-change': { source: ['aws.health'], 'detail-type': ['AWS Health Event'] },
  'spot-interruption': { source: ['aws.ec2'], 'detail-type': ['EC2 Spot Instance Interruption Warning'] },
  rebalance: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance Rebalance Recommendation'] },
  'instance-state-change': { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] },
  'capacity-reservation': { source: ['aws.ec2'], 'detail-type': ['EC2 Capacity Reservation Instance Interruption Warning'] },
};

/** EventBridge rule names: at most 64 characters. */
const RULE_NAME_MAX_LENGTH = 64;

/** The longest queue name whose rule names (`<queue>-<event>`) EventBridge accepts. */
export const KARPENTER_QUEUE_NAME_MAX_LENGTH = RULE_NAME_MAX_LENGTH - Math.max(...Object.keys(KARPENTER_INTERRUPTION_EVENTS).map((event) => event.length + 1));

/**
 * The interruption queue of a cluster when its environment names none: `<cluster>-karpenter`,
 * fitted to {@link KARPENTER_QUEUE_NAME_MAX_LENGTH} characters with {@link fitName} (a cut cluster
 * name keeps a hash of the full one). SQS queue and EventBridge rule names are unique per account
 * and region, and cluster names are unique per account (they name IAM roles), so two environments
 * of one account never get the same default.
 *
 * @example
 * karpenterInterruptionQueueName('idp-prod'); // 'idp-prod-karpenter'
 */
export const karpenterInterruptionQueueName = (clusterName: string): string => fitName(clusterName, KARPENTER_QUEUE_NAME_MAX_LENGTH, '-karpenter');

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
        `${this.node.path}: queueName ${describeValue(props.queueName)} is longer than ${KARPENTER_QUEUE_NAME_MAX_LENGTH} characters: its EventBridge rule names (<queue>-<event>) would exceed ${RULE_NAME_MAX_LENGTH} (use a shorter name)`,
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
