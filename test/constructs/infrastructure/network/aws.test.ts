import { AwsNetwork } from '../../../../constructs/infrastructure/network/aws';
import { awsTestStack, onlyResource, resources } from '../../../helpers';

const dev = awsTestStack((stack) => new AwsNetwork(stack, 'network', { name: 'dev', cidr: '10.10.0.0/16', availabilityZoneCount: 2, natGateways: 'single', flowLogRetentionDays: 30 }));
const prod = awsTestStack((stack) => new AwsNetwork(stack, 'network', { name: 'prod', cidr: '10.30.0.0/16' }));

const subnets = (json: typeof dev, role: 'elb' | 'internal-elb') =>
  resources(json, 'aws_subnet').filter((subnet) => subnet.tags[`kubernetes.io/role/${role}`] === '1');

describe('AwsNetwork', () => {
  test('spans three zones by default and two when asked, with a private and a public subnet per zone', () => {
    expect(subnets(prod, 'internal-elb').map((s) => s.cidr_block)).toEqual(['10.30.0.0/19', '10.30.32.0/19', '10.30.64.0/19']);
    expect(subnets(prod, 'elb').map((s) => s.cidr_block)).toEqual(['10.30.96.0/22', '10.30.100.0/22', '10.30.104.0/22']);
    expect(subnets(dev, 'internal-elb')).toHaveLength(2);
    expect(subnets(dev, 'elb')).toHaveLength(2);
  });

  test('places each subnet in a distinct available zone that needs no opt-in', () => {
    const zones = Object.keys(prod.data!.aws_availability_zones);
    expect(zones).toHaveLength(1);
    expect(prod.data!.aws_availability_zones[zones[0]]).toMatchObject({ state: 'available', filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }] });
    const privateZones = subnets(prod, 'internal-elb').map((s) => s.availability_zone);
    expect(privateZones).toEqual([0, 1, 2].map((i) => `\${element(data.aws_availability_zones.${zones[0]}.names, ${i})}`));
  });

  test('public subnets do not hand out public IPs; load balancers get them instead', () => {
    for (const subnet of subnets(prod, 'elb')) expect(subnet.map_public_ip_on_launch).toBe(false);
  });

  test('prod has a NAT gateway per zone, each private subnet routing through its own', () => {
    const nats = Object.keys(prod.resource.aws_nat_gateway);
    expect(nats).toHaveLength(3);
    const privateRoutes = resources(prod, 'aws_route_table').filter((table) => table.tags.Name.includes('private'));
    expect(privateRoutes.map((table) => table.route[0].nat_gateway_id)).toEqual(nats.map((nat) => `\${aws_nat_gateway.${nat}.id}`));
  });

  test('dev shares a single NAT gateway between its zones', () => {
    const [nat] = Object.keys(dev.resource.aws_nat_gateway);
    expect(Object.keys(dev.resource.aws_nat_gateway)).toHaveLength(1);
    const privateRoutes = resources(dev, 'aws_route_table').filter((table) => table.tags.Name.includes('private'));
    expect(privateRoutes.map((table) => table.route[0].nat_gateway_id)).toEqual([`\${aws_nat_gateway.${nat}.id}`, `\${aws_nat_gateway.${nat}.id}`]);
  });

  test('strips every rule from the default security group', () => {
    expect(onlyResource(prod, 'aws_default_security_group')).toMatchObject({ ingress: [], egress: [] });
  });

  test('sends all flow logs to a KMS-encrypted log group with retention, through a role scoped to it', () => {
    const logGroup = onlyResource(dev, 'aws_cloudwatch_log_group');
    expect(logGroup).toMatchObject({ name: '/aws/vpc/dev/flow-logs', retention_in_days: 30 });
    expect(logGroup.kms_key_id).toMatch(/^\$\{aws_kms_key\..+\.arn\}$/);
    expect(onlyResource(dev, 'aws_flow_log')).toMatchObject({ traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs' });
    const policy = JSON.parse(onlyResource(dev, 'aws_iam_role_policy').policy);
    expect(policy.Statement[0].Resource).toEqual([expect.stringMatching(/aws_cloudwatch_log_group\..+\.arn/), expect.stringMatching(/:\*$/)]);
    expect(JSON.parse(onlyResource(dev, 'aws_iam_role').assume_role_policy).Statement[0].Condition.StringEquals['aws:SourceAccount']).toBeDefined();
  });

  test('keeps the flow logs key it creates from destroy only when asked', () => {
    expect(onlyResource(prod, 'aws_kms_key').lifecycle).toBeUndefined();
    const kept = awsTestStack((stack) => new AwsNetwork(stack, 'network', { name: 'prod', cidr: '10.30.0.0/16', keyPreventDestroy: true }));
    expect(onlyResource(kept, 'aws_kms_key').lifecycle).toEqual({ prevent_destroy: true });
  });

  test('keeps S3 traffic private through a gateway endpoint on the private route tables', () => {
    const endpoint = onlyResource(prod, 'aws_vpc_endpoint');
    expect(endpoint.vpc_endpoint_type).toBe('Gateway');
    expect(endpoint.route_table_ids).toHaveLength(3);
  });

  test('prod defaults keep flow logs for a year', () => {
    expect(onlyResource(prod, 'aws_cloudwatch_log_group').retention_in_days).toBe(365);
  });

  test('throws when the CIDR is not /16 to /20 or the retention is not a CloudWatch period', () => {
    expect(() => awsTestStack((stack) => new AwsNetwork(stack, 'network', { name: 'x', cidr: '10.0.0.0/24', flowLogRetentionDays: 42 }))).toThrow(
      /cidr "10.0.0.0\/24" is not an IPv4 CIDR of \/16 to \/20[\s\S]*flowLogRetentionDays 42/,
    );
  });
});
