import { AutoscalingSchedule } from '@cdktf/provider-aws/lib/autoscaling-schedule';
import { CronExpressionParser } from 'cron-parser';
import { Construct } from 'constructs';
import { NodeGroupProps } from '.';
import type { Cloud } from '../../core/clouds';
import { IdpkitError } from '../../core/errors';
import { closeMatches } from '../../core/names';
import type { AwsEksCluster } from './aws';

/** When node groups stop and start when no schedule is given: 20:00 to 07:00 on weekdays and all weekend, UTC. */
export const OFF_HOURS_DEFAULTS = {
  stopCron: '0 20 * * 1-5',
  startCron: '0 7 * * 1-5',
  timeZone: 'Etc/UTC',
} as const;

/** The clouds whose node groups idpkit can scale down on a schedule natively: AWS (Auto Scaling scheduled actions). */
export const OFF_HOURS_CLOUDS: readonly Cloud[] = ['aws'];

/**
 * Why the other clouds have no off-hours scale-down, and what to do there instead (for docs and
 * error messages): their node pools have no native schedule.
 */
export const OFF_HOURS_NOT_NATIVE: Readonly<Record<Exclude<Cloud, 'aws'>, string>> = {
  azure:
    'AKS node pools have no scheduled scaling: stop the whole cluster with `az aks stop` / `az aks start` from a scheduled pipeline, or scale a user node pool to 0 with `az aks nodepool scale`.',
  gcp: 'GKE node pools have no scheduled scaling: resize a node pool to 0 with `gcloud container clusters resize` from a scheduled pipeline or Cloud Scheduler job, and back afterwards.',
};

/** What a field of a five-field cron expression may hold besides digits, `*`, `,`, `-` and `/`: month and weekday names. */
const CRON_FIELDS: readonly { readonly name: string; readonly pattern: RegExp; readonly max: number }[] = [
  { name: 'minute', pattern: /^[\d*,/-]+$/, max: 59 },
  { name: 'hour', pattern: /^[\d*,/-]+$/, max: 23 },
  { name: 'day of month', pattern: /^[\d*,/-]+$/, max: 31 },
  { name: 'month', pattern: /^([\d*,/-]|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)+$/i, max: 12 },
  { name: 'day of week', pattern: /^([\d*,/-]|SUN|MON|TUE|WED|THU|FRI|SAT)+$/i, max: 7 },
];

/**
 * Why `expression` is not a Unix cron expression of five fields (minute hour day-of-month month
 * day-of-week), as Auto Scaling scheduled actions take it, or undefined when it is one: five
 * fields of digits, `*`, `,`, `-`, `/` (and month and weekday names), steps of 1 up to the field's
 * largest value, values in range (cron-parser), and a day that exists (`0 0 31 2 *` never runs).
 */
export function cronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  const problem = (detail: string) => `is not a cron expression with five fields (minute hour day-of-month month day-of-week, e.g. "0 20 * * 1-5"): ${detail}`;
  if (fields.length !== CRON_FIELDS.length) return problem(`it has ${fields.length}`);
  const odd = CRON_FIELDS.findIndex((field, index) => !field.pattern.test(fields[index]));
  if (odd >= 0) return problem(`its ${CRON_FIELDS[odd].name} "${fields[odd]}" holds what Unix cron does not read (digits, *, ",", "-", "/"${odd >= 3 ? ' and names' : ''})`);
  // A step beyond the field's values (`*/61`) never repeats: a typo, which cron-parser lets through.
  const stepped = CRON_FIELDS.findIndex((field, index) => [...fields[index].matchAll(/\/(\d+)/g)].some(([, step]) => Number(step) < 1 || Number(step) > field.max));
  if (stepped >= 0) return problem(`its ${CRON_FIELDS[stepped].name} "${fields[stepped]}" steps by less than 1 or more than ${CRON_FIELDS[stepped].max}`);
  try {
    CronExpressionParser.parse(fields.join(' '));
  } catch (error) {
    return problem((error as Error).message);
  }
  return undefined;
}

/** The IANA time zones this runtime knows (canonical names; aliases such as Etc/UTC are checked with Intl too). */
const TIME_ZONES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('timeZone'));

/** The shape of an IANA zone name: `UTC`, `Etc/...` or `Area/Location` in the database's capitalisation. */
const TIME_ZONE_NAME = /^(UTC|Etc\/[A-Za-z0-9+-]+|[A-Z][A-Za-z_]+(\/[A-Z][A-Za-z0-9_+-]*)+)$/;

/**
 * Why `timeZone` is not an IANA time zone (`Europe/Berlin`, `Etc/UTC`), or undefined when it is:
 * one of `Intl.supportedValuesOf('timeZone')`, or an alias of one that Intl resolves, in the
 * database's spelling. Names the closest zones when it is not.
 */
export function timeZoneProblem(timeZone: string): string | undefined {
  if (TIME_ZONES.has(timeZone)) return undefined;
  if (TIME_ZONE_NAME.test(timeZone)) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
      return undefined;
    } catch {
      // not a zone Intl knows: fall through to the error
    }
  }
  const near = closeMatches(timeZone, TIME_ZONES);
  return `is not an IANA time zone (e.g. Europe/Berlin, Etc/UTC${near.length > 0 ? `; closest: ${near.join(', ')}` : ''})`;
}

/** When node groups stop and start. */
export interface OffHoursSchedule {
  /** Cron (minute hour day month weekday) of the scale-down to zero. @default "0 20 * * 1-5" */
  readonly stopCron?: string;
  /** Cron of the scale-up back to the node group's sizes. @default "0 7 * * 1-5" */
  readonly startCron?: string;
  /** IANA time zone both crons are read in. @default "Etc/UTC" */
  readonly timeZone?: string;
}

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
