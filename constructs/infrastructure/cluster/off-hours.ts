import { AutoscalingSchedule } from '@cdktf/provider-aws/lib/autoscaling-schedule';
import { Construct } from 'constructs';
import { NodeGroupProps } from '.';
import { IdpkitError } from '../../core/errors';
import type { AwsEksCluster } from './aws';
import { OFF_HOURS_DEFAULTS, OffHoursSchedule, cronProblem, timeZoneProblem } from './off-hours-schedule';

/** Props of {@link AwsNodeGroupOffHours}. */
export interface AwsNodeGroupOffHoursProps extends OffHoursSchedule {
  /** The node group: its name names the scheduled actions, its sizes are restored at `startCron`. */
  readonly nodeGroup: NodeGroupProps;
  /** Auto Scaling group of the EKS managed node group (`AwsEksCluster.nodeGroupAutoscalingGroupNames`). */
  readonly autoscalingGroupName: string;
}

/**
 * Off-hours scale-down of an EKS managed node group (the reference's "auto-shutdown-dev"): two
 * Auto Scaling scheduled actions on the group's ASG, one setting min, max and desired to 0 at
 * `stopCron`, one restoring the node group's min, max and desired sizes at `startCron`, both in
 * `timeZone`. The node group ignores `desired_size` drift, so Terraform leaves the schedule's work
 * alone. Nodes that Karpenter launched are not in the ASG and are not stopped by this.
 *
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-scheduled-scaling.html
 * @example
 * declare const cluster: AwsEksCluster;
 * declare const nodeGroup: NodeGroupProps;  // one of the cluster's node groups
 * new AwsNodeGroupOffHours(this, 'general-off-hours', {
 *   nodeGroup, autoscalingGroupName: cluster.nodeGroupAutoscalingGroupNames[nodeGroup.name], timeZone: 'Europe/Berlin',
 * });
 */
export class AwsNodeGroupOffHours extends Construct {
  /** Names of the two scheduled actions. */
  readonly scheduledActionNames: { readonly stop: string; readonly start: string };

  constructor(scope: Construct, id: string, props: AwsNodeGroupOffHoursProps) {
    super(scope, id);
    const stopCron = props.stopCron ?? OFF_HOURS_DEFAULTS.stopCron;
    const startCron = props.startCron ?? OFF_HOURS_DEFAULTS.startCron;
    const timeZone = props.timeZone ?? OFF_HOURS_DEFAULTS.timeZone;
    const problems: string[] = [];
    for (const [field, value] of [['stopCron', stopCron], ['startCron', startCron]] as const) {
      const problem = cronProblem(value);
      if (problem) problems.push(`${this.node.path}: ${field} "${value}" ${problem}`);
    }
    if (stopCron.trim() === startCron.trim()) problems.push(`${this.node.path}: stopCron and startCron are both "${stopCron}" (the group would stop and start at once)`);
    const timeZoneIssue = timeZoneProblem(timeZone);
    if (timeZoneIssue) problems.push(`${this.node.path}: timeZone "${timeZone}" ${timeZoneIssue}`);
    const { name, minSize, maxSize } = props.nodeGroup;
    const desiredSize = props.nodeGroup.desiredSize ?? minSize;
    if (maxSize < 1) problems.push(`${this.node.path}: node group "${name}" has maxSize ${maxSize}; off-hours needs a group that runs nodes (maxSize at least 1)`);
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
    this.scheduledActionNames = { stop: `${name}-off-hours-stop`, start: `${name}-off-hours-start` };
    new AutoscalingSchedule(this, 'stop', {
      scheduledActionName: this.scheduledActionNames.stop,
      autoscalingGroupName: props.autoscalingGroupName,
      recurrence: stopCron.trim(),
      timeZone,
      minSize: 0,
      maxSize: 0,
      desiredCapacity: 0,
    });
    new AutoscalingSchedule(this, 'start', {
      scheduledActionName: this.scheduledActionNames.start,
      autoscalingGroupName: props.autoscalingGroupName,
      recurrence: startCron.trim(),
      timeZone,
      minSize,
      maxSize,
      desiredCapacity: desiredSize,
    });
  }
}

/**
 * Off-hours scale-down of every managed node group of an EKS cluster: one
 * {@link AwsNodeGroupOffHours} per group, with id `<group>-off-hours` under `scope`.
 *
 * @example
 * declare const cluster: AwsEksCluster;
 * declare const nodeGroups: readonly NodeGroupProps[];  // the cluster's node groups
 * addAwsClusterOffHours(this, cluster, nodeGroups, { timeZone: 'Europe/Berlin' });
 */
export function addAwsClusterOffHours(
  scope: Construct,
  cluster: AwsEksCluster,
  nodeGroups: readonly NodeGroupProps[],
  schedule: OffHoursSchedule = {},
): AwsNodeGroupOffHours[] {
  return nodeGroups.map((nodeGroup) => {
    const autoscalingGroupName = cluster.nodeGroupAutoscalingGroupNames[nodeGroup.name];
    if (autoscalingGroupName === undefined) {
      throw new IdpkitError('IDPKIT_INVALID_PROPS', [
        `${scope.node.path}: node group "${nodeGroup.name}" is not a node group of cluster ${cluster.node.path} (its groups: ${Object.keys(cluster.nodeGroupAutoscalingGroupNames).join(', ')})`,
      ]);
    }
    return new AwsNodeGroupOffHours(scope, `${nodeGroup.name}-off-hours`, { ...schedule, nodeGroup, autoscalingGroupName });
  });
}
