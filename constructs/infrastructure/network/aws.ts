import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { Construct } from 'constructs';
import { NETWORK_DEFAULTS, NatGatewayLayout, Network, NetworkProps } from '.';
import { Fn } from '../../core/cdktf';
import { cidrSubnet, parseCidr } from '../../core/cidr';
import { IdpkitError } from '../../core/errors';
import { tierDefault } from '../../core/tiers';
import { AwsRole, serviceTrust } from '../../integration/identity/aws';
import { awsContext } from '../../integration/provider/aws';
import { AwsKmsKey } from '../keys/aws';
import { CLOUDWATCH_RETENTION_DAYS } from '../private/log-retention';

/** Props of {@link AwsNetwork}. */
export interface AwsNetworkProps extends NetworkProps {
  /** Availability zones to span. @default 3 */
  readonly availabilityZoneCount?: 2 | 3;
  /** NAT gateways for private egress. @default - the tier's `natGateways` (prod "one-per-az", else "single"); "one-per-az" without a tier */
  readonly natGateways?: NatGatewayLayout;
  /** Days flow logs are kept. @default - the tier's `logRetentionDays` (dev 30, staging 90, prod 365); 365 without a tier */
  readonly flowLogRetentionDays?: number;
  /** Key that encrypts the flow logs. @default - a new key is created */
  readonly logsKey?: AwsKmsKey;
  /** Days a scheduled deletion of a key this construct creates waits. @default - the tier's `keyDeletionWindowDays` (dev 7, staging and prod 30); 30 without a tier */
  readonly keyDeletionWindowDays?: number;
  /** Refuse `terraform destroy` of the key this construct creates (`lifecycle.prevent_destroy`). @default false */
  readonly keyPreventDestroy?: boolean;
  /** Extra tags on the private subnets, e.g. `karpenter.sh/discovery`. @default {} */
  readonly privateSubnetTags?: Readonly<Record<string, string>>;
}

/**
 * Subnet layout inside the VPC: private subnets take 1/8 of the range each (e.g. /19 of a /16),
 * public subnets 1/64 each (e.g. /22), carved after the private ones.
 */
const PRIVATE_SUBNET_NEW_BITS = 3;
const PUBLIC_SUBNET_NEW_BITS = 6;
const FIRST_PUBLIC_SUBNET = 3 * 2 ** (PUBLIC_SUBNET_NEW_BITS - PRIVATE_SUBNET_NEW_BITS);

/**
 * An AWS VPC for an EKS cluster: public and private subnets over 2 or 3 zones, tagged for Kubernetes
 * load balancers; NAT per zone or shared; an S3 gateway endpoint; KMS-encrypted flow logs; and the
 * default security group stripped of all rules.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html
 * @example
 * const network = new AwsNetwork(this, 'network', { name: 'prod', cidr: '10.30.0.0/16' });
 */
export class AwsNetwork extends Construct implements Network {
  readonly networkId: string;
  readonly privateSubnetIds: string[];
  /** Subnets for internet-facing load balancers and NAT, one per zone. */
  readonly publicSubnetIds: string[];

  constructor(scope: Construct, id: string, props: AwsNetworkProps) {
    super(scope, id);
    const azCount = props.availabilityZoneCount ?? NETWORK_DEFAULTS.availabilityZoneCount;
    const natGateways = props.natGateways ?? tierDefault(this, (rules) => rules.natGateways, NETWORK_DEFAULTS.natGateways);
    const retentionInDays = props.flowLogRetentionDays ?? tierDefault(this, (rules) => rules.logRetentionDays, NETWORK_DEFAULTS.flowLogRetentionDays);
    this.validate(props, retentionInDays);

    const zones = new DataAwsAvailabilityZones(this, 'zones', {
      state: 'available',
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
    });
    const vpc = new Vpc(this, 'vpc', {
      cidrBlock: props.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: props.name },
    });
    new DefaultSecurityGroup(this, 'default-security-group', { vpcId: vpc.id, ingress: [], egress: [] });
    const internetGateway = new InternetGateway(this, 'internet-gateway', { vpcId: vpc.id, tags: { Name: props.name } });

    const publicRoutes = new RouteTable(this, 'public-routes', {
      vpcId: vpc.id,
      route: [{ cidrBlock: '0.0.0.0/0', gatewayId: internetGateway.id }],
      tags: { Name: `${props.name}-public` },
    });
    const zoneIndexes = [...Array(azCount).keys()];
    const publicSubnets = zoneIndexes.map((index) => {
      const subnet = new Subnet(this, `public-subnet-${index}`, {
        vpcId: vpc.id,
        availabilityZone: Fn.element(zones.names, index),
        cidrBlock: cidrSubnet(props.cidr, PUBLIC_SUBNET_NEW_BITS, FIRST_PUBLIC_SUBNET + index),
        mapPublicIpOnLaunch: false,
        tags: { Name: `${props.name}-public-${index}`, 'kubernetes.io/role/elb': '1' },
      });
      new RouteTableAssociation(this, `public-subnet-${index}-routes`, { subnetId: subnet.id, routeTableId: publicRoutes.id });
      return subnet;
    });

    const natCount = natGateways === 'one-per-az' ? azCount : 1;
    const nats = zoneIndexes.slice(0, natCount).map((index) => {
      const eip = new Eip(this, `nat-${index}-ip`, { domain: 'vpc', tags: { Name: `${props.name}-nat-${index}` } });
      return new NatGateway(this, `nat-${index}`, {
        allocationId: eip.allocationId,
        subnetId: publicSubnets[index].id,
        tags: { Name: `${props.name}-nat-${index}` },
        dependsOn: [internetGateway],
      });
    });

    const privateRouteTables: RouteTable[] = [];
    const privateSubnets = zoneIndexes.map((index) => {
      const subnet = new Subnet(this, `private-subnet-${index}`, {
        vpcId: vpc.id,
        availabilityZone: Fn.element(zones.names, index),
        cidrBlock: cidrSubnet(props.cidr, PRIVATE_SUBNET_NEW_BITS, index),
        tags: { ...props.privateSubnetTags, Name: `${props.name}-private-${index}`, 'kubernetes.io/role/internal-elb': '1' },
      });
      const routes = new RouteTable(this, `private-routes-${index}`, {
        vpcId: vpc.id,
        route: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nats[Math.min(index, nats.length - 1)].id }],
        tags: { Name: `${props.name}-private-${index}` },
      });
      privateRouteTables.push(routes);
      new RouteTableAssociation(this, `private-subnet-${index}-routes`, { subnetId: subnet.id, routeTableId: routes.id });
      return subnet;
    });

    const { region } = awsContext(this);
    new VpcEndpoint(this, 's3-endpoint', {
      vpcId: vpc.id,
      serviceName: `com.amazonaws.${region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: privateRouteTables.map((table) => table.id),
      tags: { Name: `${props.name}-s3` },
    });

    this.addFlowLogs(props, vpc, retentionInDays);
    this.networkId = vpc.id;
    this.privateSubnetIds = privateSubnets.map((subnet) => subnet.id);
    this.publicSubnetIds = publicSubnets.map((subnet) => subnet.id);
  }

  private addFlowLogs(props: AwsNetworkProps, vpc: Vpc, retentionInDays: number): void {
    const logGroupName = `/aws/vpc/${props.name}/flow-logs`;
    const key =
      props.logsKey ??
      new AwsKmsKey(this, 'flow-logs-key', {
        alias: `idpkit/${props.name}/flow-logs`,
        description: `VPC flow logs of ${props.name}`,
        deletionWindowDays: props.keyDeletionWindowDays,
        preventDestroy: props.keyPreventDestroy,
      });
    key.grantLogEncryption(logGroupName);
    const logGroup = new CloudwatchLogGroup(this, 'flow-logs', { name: logGroupName, retentionInDays, kmsKeyId: key.keyId });
    const { accountId } = awsContext(this);
    const role = new AwsRole(this, 'flow-logs-role', {
      name: `${props.name}-vpc-flow-logs`,
      description: `Lets VPC flow logs of ${props.name} write to ${logGroupName}`,
      trust: [{ ...serviceTrust('vpc-flow-logs.amazonaws.com'), Condition: { StringEquals: { 'aws:SourceAccount': accountId } } }],
      inlineStatements: [
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          Resource: [logGroup.arn, `${logGroup.arn}:*`],
        },
      ],
    });
    new FlowLog(this, 'flow-log', {
      vpcId: vpc.id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
    });
  }

  private validate(props: AwsNetworkProps, retentionInDays: number): void {
    const problems: string[] = [];
    const block = parseCidr(props.cidr);
    if (!block || block.prefix < 16 || block.prefix > 20) {
      problems.push(`${this.node.path}: cidr "${props.cidr}" is not an IPv4 CIDR of /16 to /20 (expected e.g. 10.0.0.0/16)`);
    }
    if (!(CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(retentionInDays)) {
      problems.push(`${this.node.path}: flowLogRetentionDays ${retentionInDays} is not a CloudWatch Logs retention period (allowed: ${CLOUDWATCH_RETENTION_DAYS.join(', ')})`);
    }
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
  }
}
