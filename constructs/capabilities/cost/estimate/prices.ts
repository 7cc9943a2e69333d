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

const EKS_SOURCE: PriceSource = {
  page: 'https://aws.amazon.com/blogs/containers/amazon-eks-extended-support-for-kubernetes-versions-pricing/ (read from a stored copy of the page)',
  read: READ,
};
const KMS_SOURCE: PriceSource = { page: 'https://aws.amazon.com/kms/pricing/', read: READ };
const EC2_US_EAST_1_SOURCE: PriceSource = {
  page: 'github.com/aws/karpenter-provider-aws @1d927085dd81a9df9301e613f371dac5b4d16bfe pkg/providers/pricing/zz_generated.pricing_aws.go (the AWS Price List API, generated 2026-07-20 for us-east-1)',
  of: 'https://aws.amazon.com/ec2/pricing/on-demand/',
  read: READ,
};
const AZURE_VM_SOURCE: PriceSource = {
  page: 'github.com/Azure/karpenter-provider-azure @352646f599290c3a6d2f9710fb535a7b288f88ed pkg/providers/pricing/zz_generated.pricing.go (the Azure Retail Prices API, consumption, Linux, generated 2026-06-18)',
  of: 'https://azure.microsoft.com/pricing/details/virtual-machines/linux/',
  read: READ,
};
const AKS_FREE_SOURCE: PriceSource = {
  page: 'https://learn.microsoft.com/en-us/javascript/api/@azure/arm-containerservice/managedclusterskutier ("Free: The cluster management is free")',
  read: READ,
};
const GKE_SOURCE: PriceSource = {
  page: 'https://cloud.google.com/kubernetes-engine/pricing (read from a stored copy of the page)',
  read: READ,
};

const everyRegion = (cloud: Cloud, sku: string, unit: PriceUnit, usd: number, source: PriceSource, note?: string): Price[] =>
  PRICED_REGIONS[cloud].map((region) => ({ cloud, region, sku, unit, usd, source, ...(note ? { note } : {}) }));

const hourly = (cloud: Cloud, region: string, source: PriceSource, prices: Readonly<Record<string, number>>, prefix: string): Price[] =>
  Object.entries(prices).map(([type, usd]) => ({ cloud, region, sku: `${prefix}/${type}`, unit: 'hour', usd, source }));

/** The table. Sorted by cloud, region, SKU (see {@link priceOf}). */
export const PRICES: readonly Price[] = [
  ...everyRegion('aws', 'eks/cluster-standard', 'hour', 0.1, EKS_SOURCE, 'a cluster on a Kubernetes version in standard support; one price on the page, for every Region'),
  ...everyRegion('aws', 'eks/cluster-extended', 'hour', 0.6, EKS_SOURCE, 'a cluster on a version in extended support (total, not on top of standard); one price on the page, for every Region'),
  ...everyRegion('aws', 'kms/key', 'month', 1, KMS_SOURCE, 'each customer managed key; each rotated backing key adds $1/month (not counted: the estimate is of the first year)'),
  ...hourly('aws', 'us-east-1', EC2_US_EAST_1_SOURCE, {
    't3.large': 0.0832,
    'm6a.large': 0.0864,
    'm6a.xlarge': 0.1728,
    'm6i.large': 0.096,
    'm6i.xlarge': 0.192,
    'm6i.2xlarge': 0.384,
    'm6i.4xlarge': 0.768,
  }, 'ec2'),
  ...everyRegion('azure', 'aks/cluster-free', 'hour', 0, AKS_FREE_SOURCE, 'the Free tier: no cluster management charge'),
  ...hourly('azure', 'westeurope', AZURE_VM_SOURCE, { Standard_D2s_v5: 0.115, Standard_D4s_v5: 0.23, Standard_D8s_v5: 0.46, Standard_D16s_v5: 0.92 }, 'vm'),
  ...hourly('azure', 'eastus', AZURE_VM_SOURCE, { Standard_D2s_v5: 0.096, Standard_D4s_v5: 0.192, Standard_D8s_v5: 0.384, Standard_D16s_v5: 0.768 }, 'vm'),
  ...everyRegion('gcp', 'gke/cluster', 'hour', 0.1, GKE_SOURCE, 'the cluster management fee of every mode and topology; the free tier ($74.40 a month per billing account, one zonal or Autopilot cluster) is not deducted'),
];

const PRICE_INDEX = new Map(PRICES.map((price) => [`${price.cloud}|${price.region}|${price.sku}`, price]));

/** The price of a SKU in a region, or undefined when it was not read (the resource is then "not priced"). */
export function priceOf(cloud: Cloud, region: string, sku: string): Price | undefined {
  return PRICE_INDEX.get(`${cloud}|${region}|${sku}`);
}
