import { IdpkitError } from '../../../../../constructs/core/errors';
import { readSynthesizedOutput, SynthesizedOutput, TerraformDocument } from '../../../../../constructs/core/synthesized-output';
import {
  CostEstimate,
  CostLine,
  DEFAULT_COST_ASSUMPTIONS,
  HOURS_PER_MONTH,
  PRICES,
  PRICED_REGIONS,
  estimateCost,
  priceOf,
  runningShareOfWeek,
} from '../../../../../constructs/capabilities/cost/estimate';
import { dev, validateEnvironment } from '../../../../../environments';
import { synthesizedSet } from '../../../../support/synthesized-sets';

let output: SynthesizedOutput;
let estimate: CostEstimate;

beforeAll(() => {
  output = readSynthesizedOutput(synthesizedSet('all'));
  estimate = estimateCost(output);
});

/** A worked line: [item, how many such lines, quantity of each, unit price in USD, monthly USD of each]. */
type WorkedLine = [item: string, count: number, quantity: number, unitPrice: number, monthlyEach: number];

const linesOf = (environment: string): CostLine[] => estimate.stacks.filter((stack) => stack.environment === environment).flatMap((stack) => stack.lines);
const environmentTotal = (environment: string): number => estimate.environments.find((env) => env.environment === environment)!.monthlyUsd;
const notPriced = (environment: string, sku: string): CostLine | undefined => linesOf(environment).find((line) => line.sku === sku && line.notPriced);

/** Priced lines in output order, identical lines once with how many there are. */
function worked(lines: readonly CostLine[]): WorkedLine[] {
  const worked: WorkedLine[] = [];
  for (const line of lines) {
    if (line.monthlyUsd === undefined || !line.price) continue;
    const same = worked.find(([item, , quantity, unitPrice]) => item === line.item && quantity === line.quantity && unitPrice === line.price!.usd);
    if (same) same[1] += 1;
    else worked.push([line.item, 1, line.quantity, line.price.usd, line.monthlyUsd]);
  }
  return worked;
}

/**
 * The estimate of every shipped environment and bootstrap stack, worked out from the price table:
 * each line is quantity x unit price, rounded to the cent, and the total is the sum of the lines.
 * docs/cost.md shows the same figures.
 */
const WORKED: Readonly<Record<string, { readonly total: number; readonly lines: readonly WorkedLine[] }>> = {
  'azure-dev': { total: 615.26, lines: [
    ['container registry (Standard)', 1, 1, 20.2758, 20.28],
    ['Key Vault key (RSA)', 3, 1, 0, 0],
    ['AKS control plane (idp-azure-dev, Free tier)', 1, 730, 0, 0],
    ['node pool system: Standard_D4s_v5 on-demand', 1, 1460, 0.23, 335.8],
    ['node pool system: OS disks', 1, 2, 11.2272, 22.45],
    ['node pool general: Standard_D2s_v5 on-demand', 1, 730, 0.115, 83.95],
    ['node pool general: OS disks', 1, 1, 11.2272, 11.23],
    ['Log Analytics: logs ingested', 1, 10, 3.2105, 32.11],
    ['metric alert rule', 4, 1, 0.1, 0.1],
    ['NAT gateway', 1, 730, 0.045, 32.85],
    ['PostgreSQL flexible server azure-dev-platform-370ad2f6: instance', 1, 730, 0.0796, 58.11],
    ['PostgreSQL flexible server azure-dev-platform-370ad2f6: storage', 1, 32, 0.1369, 4.38],
    ['private DNS zone', 1, 1, 0.5, 0.5],
    ['private endpoint', 1, 730, 0.01, 7.3],
    ['public IP (Standard, Static)', 1, 730, 0.005, 3.65],
    ['NAT: data processed', 1, 50, 0.045, 2.25],
  ] },
  'azure-prod': { total: 2324.71, lines: [
    ['container registry (Premium)', 1, 1, 50.6924, 50.69],
    ['Key Vault key (RSA-HSM)', 6, 1, 5, 5],
    ['AKS control plane (idp-azure-prod, Standard tier)', 1, 730, 0.1, 73],
    ['node pool system: Standard_D4s_v5 on-demand', 1, 2190, 0.23, 503.7],
    ['node pool system: OS disks', 1, 3, 11.2272, 33.68],
    ['node pool general: Standard_D4s_v5 on-demand', 1, 2190, 0.23, 503.7],
    ['node pool general: OS disks', 1, 3, 11.2272, 33.68],
    ['Log Analytics: logs ingested', 1, 100, 3.2105, 321.05],
    ['metric alert rule', 4, 1, 0.1, 0.1],
    ['NAT gateway', 1, 730, 0.045, 32.85],
    ['PostgreSQL flexible server azure-prod-platform-0b746d19: instance', 1, 1460, 0.424, 619.04],
    ['PostgreSQL flexible server azure-prod-platform-0b746d19: storage', 1, 128, 0.1369, 17.52],
    ['PostgreSQL flexible server azure-prod-platform-0b746d19: backups beyond the free allowance', 1, 100, 0.103, 10.3],
    ['private DNS zone', 3, 1, 0.5, 0.5],
    ['private endpoint', 3, 730, 0.01, 7.3],
    ['public IP (Standard, Static)', 1, 730, 0.005, 3.65],
    ['storage account (Standard ZRS): data stored', 1, 200, 0.024, 4.8],
    ['NAT: data processed', 1, 1000, 0.045, 45],
    ['Istio ingress gateway: Standard Load Balancer rules', 1, 730, 0.025, 18.25],
  ] },
  'bootstrap-acme-idp-dev-tfstate': { total: 4.06, lines: [
    ['Cloud KMS key (active version)', 1, 1, 0.06, 0.06],
    ['Cloud Storage bucket (STANDARD): objects stored', 1, 200, 0.02, 4],
  ] },
  'bootstrap-acme-idp-prod-tfstate': { total: 4.06, lines: [
    ['Cloud KMS key (active version)', 1, 1, 0.06, 0.06],
    ['Cloud Storage bucket (STANDARD): objects stored', 1, 200, 0.02, 4],
  ] },
  'bootstrap-idpkit-state-111111111111-eu-west-1': { total: 5.6, lines: [
    ['KMS key', 1, 1, 1, 1],
    ['S3 bucket: objects stored', 1, 200, 0.023, 4.6],
  ] },
  'bootstrap-idpkit-state-222222222222-eu-west-1': { total: 5.6, lines: [
    ['KMS key', 1, 1, 1, 1],
    ['S3 bucket: objects stored', 1, 200, 0.023, 4.6],
  ] },
  'bootstrap-idpkitstate000001': { total: 9.8, lines: [
    ['Key Vault key (RSA-HSM)', 1, 1, 5, 5],
    ['storage account (Standard ZRS): data stored', 1, 200, 0.024, 4.8],
  ] },
  'bootstrap-idpkitstate000002': { total: 9.8, lines: [
    ['Key Vault key (RSA-HSM)', 1, 1, 5, 5],
    ['storage account (Standard ZRS): data stored', 1, 200, 0.024, 4.8],
  ] },
  'dev': { total: 174.75, lines: [
    ['CloudWatch alarm', 7, 1, 0.1, 0.1],
    ['ECR repository: images stored', 2, 5, 0.1, 0.5],
    ['public IPv4 address', 1, 730, 0.005, 3.65],
    ['EKS control plane (idp-dev, Kubernetes 1.35)', 1, 730, 0.1, 73],
    ['node group general: t3.large on-demand', 1, 282.44, 0.0912, 25.76],
    ['node group general: root disks', 1, 19.35, 0.088, 1.7],
    ['KMS key', 7, 1, 1, 1],
    ['NAT gateway', 1, 730, 0.048, 35.04],
    ['Secrets Manager secret', 1, 1, 0.4, 0.4],
    ['NAT: data processed', 1, 50, 0.048, 2.4],
    ['logs ingested', 1, 10, 0.57, 5.7],
    ['Istio ingress gateway: Network Load Balancer (AWS Load Balancer Controller)', 1, 730, 0.0252, 18.4],
  ] },
  'gcp-dev': { total: 141.66, lines: [
    ['Artifact Registry: images stored', 1, 5, 0.1, 0.5],
    ['Cloud NAT gateway: VMs using it', 1, 730, 0.0014, 1.02],
    ['GKE control plane (idp-dev, zonal)', 1, 730, 0.1, 73],
    ['node pool general: e2-standard-2 on-demand', 1, 730, 0.07371546, 53.81],
    ['node pool general: root disks', 1, 50, 0.1, 5],
    ['Cloud KMS key (active version)', 7, 1, 0.06, 0.06],
    ['Secret Manager secret (one version)', 1, 1, 0.06, 0.06],
    ['Cloud Storage bucket (STANDARD): objects stored', 3, 10, 0.02, 0.2],
    ['NAT: data processed', 1, 50, 0.045, 2.25],
    ['logs ingested', 1, 10, 0.5, 5],
  ] },
  'gcp-prod': { total: 556.73, lines: [
    ['Artifact Registry: images stored', 1, 20, 0.1, 2],
    ['Cloud NAT gateway: VMs using it', 1, 2190, 0.0014, 3.07],
    ['GKE control plane (idp-prod, regional)', 1, 730, 0.1, 73],
    ['node pool general: e2-standard-4 on-demand', 1, 2190, 0.14743092, 322.87],
    ['node pool general: root disks', 1, 300, 0.1, 30],
    ['Cloud KMS key (active version)', 8, 1, 0.06, 0.06],
    ['Secret Manager secret (one version)', 1, 1, 0.06, 0.06],
    ['Cloud Storage bucket (STANDARD): objects stored', 3, 200, 0.02, 4],
    ['NAT: data processed', 1, 1000, 0.045, 45],
    ['logs ingested', 1, 100, 0.5, 50],
    ['Istio ingress gateway: passthrough Network Load Balancer forwarding rule', 1, 730, 0.025, 18.25],
  ] },
  'prod': { total: 832.73, lines: [
    ['CloudWatch alarm', 7, 1, 0.1, 0.1],
    ['PostgreSQL prod-platform: backups beyond the free allowance', 1, 100, 0.095, 9.5],
    ['ECR repository: images stored', 2, 20, 0.1, 2],
    ['public IPv4 address', 3, 730, 0.005, 3.65],
    ['EKS control plane (idp-prod, Kubernetes 1.35)', 1, 730, 0.1, 73],
    ['node group general: m6i.xlarge on-demand', 1, 2190, 0.214, 468.66],
    ['node group general: root disks', 1, 150, 0.088, 13.2],
    ['KMS key', 10, 1, 1, 1],
    ['NAT gateway', 3, 730, 0.048, 35.04],
    ['S3 bucket: objects stored', 3, 200, 0.023, 4.6],
    ['Secrets Manager secret', 1, 1, 0.4, 0.4],
    ['NAT: data processed', 1, 1000, 0.048, 48],
    ['logs ingested', 1, 100, 0.57, 57],
    ['Istio ingress gateway: Network Load Balancer (AWS Load Balancer Controller)', 1, 730, 0.0252, 18.4],
  ] },
  'staging': { total: 340.26, lines: [
    ['CloudWatch alarm', 7, 1, 0.1, 0.1],
    ['PostgreSQL staging-platform: backups beyond the free allowance', 1, 20, 0.095, 1.9],
    ['ECR repository: images stored', 2, 10, 0.1, 1],
    ['public IPv4 address', 1, 730, 0.005, 3.65],
    ['EKS control plane (idp-staging, Kubernetes 1.35)', 1, 730, 0.1, 73],
    ['node group general: m6i.large on-demand', 1, 1460, 0.107, 156.22],
    ['node group general: root disks', 1, 100, 0.088, 8.8],
    ['KMS key', 10, 1, 1, 1],
    ['NAT gateway', 1, 730, 0.048, 35.04],
    ['S3 bucket: objects stored', 3, 50, 0.023, 1.15],
    ['Secrets Manager secret', 1, 1, 0.4, 0.4],
    ['NAT: data processed', 1, 200, 0.048, 9.6],
    ['logs ingested', 1, 30, 0.57, 17.1],
    ['Istio ingress gateway: Network Load Balancer (AWS Load Balancer Controller)', 1, 730, 0.0252, 18.4],
  ] },
};

describe('estimateCost over the shipped environments (IDPKIT_ENVIRONMENT_SET=all)', () => {
  it.each(Object.keys(WORKED))('prices %s line by line: quantity x unit price, summed', (environment) => {
    const { total, lines } = WORKED[environment];
    expect(worked(linesOf(environment))).toEqual(lines);
    for (const [, , quantity, unitPrice, monthlyEach] of lines) expect(Math.round(quantity * unitPrice * 100) / 100).toBe(monthlyEach);
    const sum = lines.reduce((all, [, count, , , monthlyEach]) => all + count * monthlyEach, 0);
    expect(total).toBe(Math.round(sum * 100) / 100);
    expect(environmentTotal(environment)).toBe(total);
  });

  it('covers every environment and bootstrap stack of the set', () => {
    expect(estimate.environments.map((env) => env.environment).sort()).toEqual(Object.keys(WORKED).sort());
  });

  it('says why a line is not priced: no price read for the SKU in the region, or a quantity Karpenter decides at run time', () => {
    expect(notPriced('dev', 'rds-postgres/db.t4g.medium')?.notPriced).toMatch(/no price for rds-postgres\/db.t4g.medium in eu-west-1/);
    expect(notPriced('dev', 'ec2/karpenter')?.notPriced).toMatch(/Karpenter picks instance types/);
  });

  it('counts dev off-hours: the node group runs 65 of 168 hours a week (20:00 to 07:00 weekdays and the weekend off)', () => {
    const nodes = linesOf('dev').find((line) => line.sku === 'ec2/t3.large')!;
    expect(nodes.quantity).toBe(282.44); // 1 node x 730 h x 3900/10080
    expect(nodes.quantityBasis).toContain('x 3900/10080 (off-hours: up 65 of 168 h a week, "0 20 * * 1-5" to "0 7 * * 1-5")');
    expect(runningShareOfWeek('0 20 * * 1-5', '0 7 * * 1-5')).toEqual({ upMinutes: 3900, weekMinutes: 10080 });
  });

  it('counts the standby of Multi-AZ, high-availability and regional databases: instance hours and storage x 2', () => {
    expect(linesOf('prod').find((line) => line.sku === 'rds-postgres/db.m7g.xlarge')?.quantity).toBe(1460); // 1 instance x 730 h x 2
    expect(linesOf('prod').find((line) => line.sku === 'rds/gp3')?.quantity).toBe(128); // 64 GiB x 2
    expect(linesOf('azure-prod').find((line) => line.sku === 'postgres-flexible/GP_Standard_D4ds_v5')?.quantity).toBe(1460);
    expect(linesOf('gcp-prod').find((line) => line.sku === 'cloud-sql/db-custom-4-16384')?.quantity).toBe(1460);
  });

  it('bills Azure OS disks per disk by size tier, GKE and Cloud NAT by the node pools\' minimum, an empty spot pool at $0', () => {
    expect(linesOf('azure-dev').find((line) => line.item === 'node pool system: OS disks')).toMatchObject({ sku: 'managed-disk/premium-p6', quantity: 2, unit: 'month' });
    expect(linesOf('gcp-prod').find((line) => line.sku === 'gce/e2-standard-4')?.quantity).toBe(2190); // total minimum 3 x 730 h
    expect(linesOf('gcp-prod').find((line) => line.sku === 'cloud-nat/vm')?.quantity).toBe(2190); // 3 VMs x 730 h
    const spot = linesOf('azure-prod').find((line) => line.item === 'node pool batch: Standard_D8s_v5 spot')!;
    expect([spot.quantity, spot.monthlyUsd]).toEqual([0, 0]);
    expect(linesOf('gcp-dev').find((line) => line.sku === 'gke/cluster')?.note).toMatch(/free tier/);
  });

  it('adds environments and stacks up: the total is the sum of the environments, bootstrap stacks are their own', () => {
    const sum = estimate.environments.reduce((total, env) => total + env.monthlyUsd, 0);
    expect(estimate.monthlyUsd).toBe(Math.round(sum * 100) / 100);
    expect(estimate.stacks).toHaveLength(20);
    expect(estimate.hoursPerMonth).toBe(HOURS_PER_MONTH);
  });

  it('marks usage-based quantities with the assumption and its tier default, and never counts a line without a price', () => {
    const logs = linesOf('prod').find((line) => line.sku === 'cloudwatch/logs-ingestion')!;
    expect(logs.assumption).toEqual({ field: 'logIngestionGiB', value: DEFAULT_COST_ASSUMPTIONS.prod.logIngestionGiB, from: 'prod default' });
    expect(linesOf('dev').find((line) => line.sku === 'vpc/nat-data')?.assumption?.value).toBe(DEFAULT_COST_ASSUMPTIONS.dev.natDataProcessedGiB);
    for (const stack of estimate.stacks) {
      expect(stack.monthlyUsd).toBe(Math.round(stack.lines.reduce((sum, line) => sum + (line.monthlyUsd ?? 0), 0) * 100) / 100);
      for (const line of stack.lines) expect(line.monthlyUsd === undefined).toBe(line.notPriced !== undefined);
    }
  });
});

/** A copy of a synthesized stack with changes. */
const withStack = (stack: string, change: (document: Record<string, unknown>) => void): SynthesizedOutput => {
  const document = JSON.parse(JSON.stringify(output.stacks[stack])) as Record<string, unknown>;
  change(document);
  return { dir: 'test', stacks: { [stack]: document as TerraformDocument } };
};

describe('estimateCost in other regions and with overrides', () => {
  it('prices AWS dev moved to us-east-1: control plane, keys and the off-hours t3.large from the AWS price list', () => {
    const moved = estimateCost(withStack('dev-infra', (document) => ((document.provider as { aws: { region: string }[] }).aws[0].region = 'us-east-1')));
    const expected: WorkedLine[] = [
      ['CloudWatch alarm', 7, 1, 0.1, 0.1],
      ['PostgreSQL dev-platform: storage', 1, 64, 0.115, 7.36],
      ['ECR repository: images stored', 2, 5, 0.1, 0.5],
      ['public IPv4 address', 1, 730, 0.005, 3.65],
      ['EKS control plane (idp-dev, Kubernetes 1.35)', 1, 730, 0.1, 73],
      ['node group general: t3.large on-demand', 1, 282.44, 0.0832, 23.5], // 1 node x 730 h x 3900/10080 x $0.0832
      ['node group general: root disks', 1, 19.35, 0.08, 1.55],
      ['KMS key', 7, 1, 1, 1],
      ['NAT gateway', 1, 730, 0.045, 32.85],
      ['Secrets Manager secret', 1, 1, 0.4, 0.4],
      ['NAT: data processed', 1, 50, 0.045, 2.25],
      ['logs ingested', 1, 10, 0.5, 5],
      ['flow logs ingested', 1, 5, 0.5, 2.5],
    ];
    expect(worked(moved.stacks[0].lines)).toEqual(expected);
    // 0.70 + 7.36 + 1.00 + 3.65 + 73 + 23.50 + 1.55 + 7 + 32.85 + 0.40 + 2.25 + 5 + 2.50; the instance (db.t4g.medium) is not priced
    expect(moved.monthlyUsd).toBe(160.76);
  });

  it('uses an environment\'s cost.assumptions from the stack metadata and says so', () => {
    const overridden = estimateCost(withStack('dev-infra', (document) => (((document['//'] as Record<string, Record<string, Record<string, unknown>>>).idpkit.cost.assumptions = { natDataProcessedGiB: 7 }))));
    const nat = overridden.stacks[0].lines.find((line) => line.sku === 'vpc/nat-data')!;
    expect(nat.assumption).toEqual({ field: 'natDataProcessedGiB', value: 7, from: 'environment' });
    expect(nat.quantity).toBe(7);
  });

  it('reports a known region without prices as not priced, naming the priced regions', () => {
    const moved = estimateCost(withStack('dev-infra', (document) => ((document.provider as { aws: { region: string }[] }).aws[0].region = 'eu-central-1')));
    const control = moved.stacks[0].lines.find((line) => line.sku === 'eks/cluster-standard')!;
    expect(control.notPriced).toBe(`region eu-central-1 is not in the price table (priced aws regions: ${PRICED_REGIONS.aws.join(', ')})`);
    expect(moved.monthlyUsd).toBe(0);
  });

  it('throws when the region is not one the cloud has', () => {
    const run = () => estimateCost(withStack('dev-infra', (document) => ((document.provider as { aws: { region: string }[] }).aws[0].region = 'mars-north-1')));
    expect(run).toThrow(IdpkitError);
    expect(run).toThrow('stack "dev-infra": region "mars-north-1" is not a known aws region');
  });

  it('throws when the cost metadata is malformed, naming the stack, field, value and what is allowed', () => {
    const run = () =>
      estimateCost(
        withStack('dev-infra', (document) => {
          const cost = (document['//'] as Record<string, Record<string, Record<string, unknown>>>).idpkit.cost;
          cost.tier = 'qa';
          cost.assumptions = { logIngestionGiB: -1, egressGiB: 3 };
        }),
      );
    expect(run).toThrow(/stack "dev-infra": "\/\/".idpkit.cost.tier "qa" is not a tier \(allowed: dev, staging, prod\)/);
    expect(run).toThrow(/assumptions.logIngestionGiB -1 is not a number of GiB from 0 to 1048576/);
    expect(run).toThrow(/assumptions.egressGiB is not an assumption field/);
  });
});

describe('environment cost.assumptions', () => {
  it('accepts overrides and records them in the infra stack', () => {
    expect(validateEnvironment({ ...dev, cost: { assumptions: { logIngestionGiB: 40 } } }).cost).toEqual({ assumptions: { logIngestionGiB: 40 } });
    expect((output.stacks['dev-infra']['//'] as Record<string, unknown>).idpkit).toEqual({ cost: { environment: 'dev', tier: 'dev', assumptions: {} } });
  });

  it('throws when an assumption is negative or unknown, naming environment, field and value', () => {
    const run = () => validateEnvironment({ ...dev, cost: { assumptions: { logIngestionGiB: -5, egressGiB: 1 } } });
    expect(run).toThrow('environment "dev": cost.assumptions.logIngestionGiB -5 is negative (allowed: 0 to 1048576 GiB)');
    expect(run).toThrow(/cost.assumptions .* has unknown field\(s\) egressGiB/);
  });
});

describe('the price table', () => {
  it('gives every price a unit, a positive-or-zero USD figure, a page and a read date, once per (cloud, region, SKU)', () => {
    const keys = PRICES.map((price) => `${price.cloud}|${price.region}|${price.sku}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const price of PRICES) {
      expect(price.usd).toBeGreaterThanOrEqual(0);
      expect(price.source.page).toMatch(/^(https:\/\/|github\.com\/)/);
      expect(price.source.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(PRICED_REGIONS[price.cloud]).toContain(price.region);
    }
    expect(priceOf('aws', 'eu-west-1', 'ec2/t3.large')?.usd).toBe(0.0912);
    expect(priceOf('aws', 'eu-west-1', 'ec2/x9z.nano')).toBeUndefined();
  });

  it('names, for a price read from a copy in a repository, the commit and the cloud pricing page it stands for', () => {
    for (const price of PRICES.filter((entry) => entry.source.page.startsWith('github.com/'))) {
      expect(price.source.page).toMatch(/ @[0-9a-f]{40} /);
      expect(price.source.of).toMatch(/^https:\/\/(aws\.amazon\.com|azure\.microsoft\.com|cloud\.google\.com)\//);
    }
  });
});
