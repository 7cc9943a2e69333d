import { AwsEksCluster, AwsEksClusterProps } from '../../../../constructs/infrastructure/cluster/aws';
import { NodeGroupProps } from '../../../../constructs/infrastructure/cluster';
import { AwsNodeGroupOffHours, AwsNodeGroupOffHoursProps, addAwsClusterOffHours } from '../../../../constructs/infrastructure/cluster/off-hours';
import { OFF_HOURS_CLOUDS, OFF_HOURS_DEFAULTS, OFF_HOURS_NOT_NATIVE, cronProblem, timeZoneProblem } from '../../../../constructs/infrastructure/cluster/off-hours-schedule';
import { awsTestStack, resources } from '../../../helpers';

const general: NodeGroupProps = { name: 'general', instanceTypes: ['m6i.large'], minSize: 2, maxSize: 6, desiredSize: 3 };
const clusterProps: AwsEksClusterProps = {
  name: 'idp-test',
  kubernetesVersion: '1.35',
  subnetIds: ['subnet-a', 'subnet-b', 'subnet-c'],
  adminPrincipal: 'arn:aws:iam::111111111111:role/platform-admin',
  nodeGroups: [general, { name: 'batch', instanceTypes: ['c6i.large'], minSize: 0, maxSize: 4 }],
};
const synth = (props: Partial<AwsNodeGroupOffHoursProps> = {}) =>
  awsTestStack((stack) => new AwsNodeGroupOffHours(stack, 'off-hours', { nodeGroup: general, autoscalingGroupName: 'eks-general-asg', ...props }));
const scheduleNamed = (json: any, suffix: string) => resources(json, 'aws_autoscaling_schedule').find((s) => s.scheduled_action_name.endsWith(suffix));

describe('AwsNodeGroupOffHours', () => {
  test('scales the node group ASG to zero at the stop cron, on weekday evenings in UTC by default', () => {
    const stop = scheduleNamed(synth(), '-stop');
    expect(stop).toEqual({
      scheduled_action_name: 'general-off-hours-stop',
      autoscaling_group_name: 'eks-general-asg',
      recurrence: OFF_HOURS_DEFAULTS.stopCron,
      time_zone: 'Etc/UTC',
      min_size: 0,
      max_size: 0,
      desired_capacity: 0,
    });
    expect(OFF_HOURS_DEFAULTS).toEqual({ stopCron: '0 20 * * 1-5', startCron: '0 7 * * 1-5', timeZone: 'Etc/UTC' });
  });

  test('restores the node group min, max and desired sizes at the start cron', () => {
    const start = scheduleNamed(synth(), '-start');
    expect(start).toMatchObject({ scheduled_action_name: 'general-off-hours-start', recurrence: '0 7 * * 1-5', min_size: 2, max_size: 6, desired_capacity: 3 });
    const noDesired = scheduleNamed(synth({ nodeGroup: { ...general, desiredSize: undefined } }), '-start');
    expect(noDesired.desired_capacity).toBe(2);
  });

  test('takes its own crons and time zone', () => {
    const json = synth({ stopCron: '30 18 * * *', startCron: '0 8 * * 1-5', timeZone: 'Europe/Berlin' });
    expect(scheduleNamed(json, '-stop')).toMatchObject({ recurrence: '30 18 * * *', time_zone: 'Europe/Berlin' });
    expect(scheduleNamed(json, '-start')).toMatchObject({ recurrence: '0 8 * * 1-5', time_zone: 'Europe/Berlin' });
  });

  test('throws when a cron does not have five fields, both crons are equal, or the time zone is not IANA', () => {
    expect(() => synth({ stopCron: '0 20 * *' })).toThrow('stopCron "0 20 * *" is not a cron expression with five fields');
    expect(() => synth({ startCron: '0 20 * * 1-5' })).toThrow('stopCron and startCron are both "0 20 * * 1-5"');
    expect(() => synth({ timeZone: 'UTC+2' })).toThrow('timeZone "UTC+2" is not an IANA time zone');
  });

  test('throws when the node group never runs nodes', () => {
    expect(() => synth({ nodeGroup: { ...general, minSize: 0, maxSize: 0, desiredSize: 0 } })).toThrow('node group "general" has maxSize 0');
  });
});

describe('addAwsClusterOffHours', () => {
  const json = awsTestStack((stack) => {
    const cluster = new AwsEksCluster(stack, 'cluster', clusterProps);
    addAwsClusterOffHours(stack, cluster, clusterProps.nodeGroups, { timeZone: 'Europe/Berlin' });
  });
  const nodeGroupAddress = (name: string) => {
    const [address] = Object.entries(json.resource.aws_eks_node_group).find(([, body]: [string, any]) => body.node_group_name === name)!;
    return `aws_eks_node_group.${address}`;
  };

  test('schedules the ASG behind each managed node group, found through the node group resources', () => {
    const schedules = resources(json, 'aws_autoscaling_schedule');
    expect(schedules.map((s) => s.scheduled_action_name).sort()).toEqual(['batch-off-hours-start', 'batch-off-hours-stop', 'general-off-hours-start', 'general-off-hours-stop']);
    for (const name of ['general', 'batch']) {
      schedules
        .filter((s) => s.scheduled_action_name.startsWith(`${name}-`))
        .forEach((s) => expect(s.autoscaling_group_name).toBe(`\${${nodeGroupAddress(name)}.resources[0].autoscaling_groups[0].name}`));
    }
    schedules.forEach((s) => expect(s.time_zone).toBe('Europe/Berlin'));
  });

  test('relies on the node groups ignoring desired size drift', () => {
    resources(json, 'aws_eks_node_group').forEach((group) => expect(group.lifecycle.ignore_changes).toContain('scaling_config[0].desired_size'));
  });

  test('throws when a node group is not one of the cluster', () => {
    expect(() =>
      awsTestStack((stack) => {
        const cluster = new AwsEksCluster(stack, 'cluster', clusterProps);
        addAwsClusterOffHours(stack, cluster, [{ ...general, name: 'gpu' }]);
      }),
    ).toThrow('node group "gpu" is not a node group of cluster test/cluster (its groups: general, batch)');
  });
});

describe('off-hours support by cloud', () => {
  test('only AWS schedules node groups natively; Azure and GCP say what to do instead', () => {
    expect(OFF_HOURS_CLOUDS).toEqual(['aws']);
    expect(OFF_HOURS_NOT_NATIVE.azure).toMatch(/no scheduled scaling.*az aks stop/);
    expect(OFF_HOURS_NOT_NATIVE.gcp).toMatch(/no scheduled scaling.*gcloud container clusters resize/);
  });
});

describe('cronProblem and timeZoneProblem', () => {
  test.each(['0 20 * * 1-5', '*/15 6-18 * * MON-FRI', '0 0 1,15 JAN,JUL *', '0 20 * * 7'])('%s is a Unix cron expression', (cron) => {
    expect(cronProblem(cron)).toBeUndefined();
  });

  test.each([
    ['99 99 * * *', 'Constraint error, got value 99 expected range 0-59'],
    ['0 20 * *', 'it has 4'],
    ['0 0 20 * * *', 'it has 6'],
    ['0 0 31 2 *', 'Invalid explicit day of month definition'],
    ['0 20 ? * MON', 'its day of month "?" holds what Unix cron does not read'],
    ['0 20 L * *', 'its day of month "L" holds what Unix cron does not read'],
    ['*/61 * * * *', 'its minute "*/61" steps by less than 1 or more than 59'],
    ['0 0 * * 0/0', 'its day of week "0/0" steps by less than 1 or more than 7'],
  ])('%s is not: %s', (cron, detail) => {
    expect(cronProblem(cron)).toContain(detail);
  });

  test('time zones are IANA names in the database\'s spelling, with the closest ones named', () => {
    for (const zone of ['Europe/Berlin', 'Etc/UTC', 'UTC', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5']) expect([zone, timeZoneProblem(zone)]).toEqual([zone, undefined]);
    expect(timeZoneProblem('Mars/Olympus_Mons')).toBe('is not an IANA time zone (e.g. Europe/Berlin, Etc/UTC)');
    expect(timeZoneProblem('europe/berlin')).toMatch(/^is not an IANA time zone \(e\.g\. Europe\/Berlin, Etc\/UTC; closest: Europe\/Berlin, /);
    expect(timeZoneProblem('Etc/GMT+99')).toContain('is not an IANA time zone');
  });
});
