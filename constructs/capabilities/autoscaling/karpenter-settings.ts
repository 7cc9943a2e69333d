// What environments, presets and the Karpenter constructs share about Karpenter on AWS, free of the
// AWS provider (so the cloud-neutral `idpkit` entry point loads none): the controller's replicas
// and the name of its interruption queue.
import { fitName } from '../../core/names';

/**
 * Controller replicas by availability: two with leader election in HA (the chart's default; its
 * required pod anti-affinity on `kubernetes.io/hostname` puts them on two nodes), one otherwise.
 */
export const KARPENTER_REPLICAS = { highAvailability: 2, single: 1 } as const;

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
export const EVENT_RULE_NAME_MAX_LENGTH = 64;

/** The longest queue name whose rule names (`<queue>-<event>`) EventBridge accepts. */
export const KARPENTER_QUEUE_NAME_MAX_LENGTH = EVENT_RULE_NAME_MAX_LENGTH - Math.max(...Object.keys(KARPENTER_INTERRUPTION_EVENTS).map((event) => event.length + 1));

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
