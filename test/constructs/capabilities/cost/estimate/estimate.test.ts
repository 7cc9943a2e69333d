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

/** The priced lines of an environment as [item, quantity, unit price, monthly USD], in output order. */
const pricedLines = (environment: string): [string, number, number, number][] =>
  estimate.stacks
    .filter((stack) => stack.environment === environment)
    .flatMap((stack) => stack.lines)
    .filter((line) => line.monthlyUsd !== undefined && line.price)
    .map((line) => [line.item, line.quantity, line.price!.usd, line.monthlyUsd!]);

const environmentTotal = (environment: string): number => estimate.environments.find((env) => env.environment === environment)!.monthlyUsd;
const linesOf = (environment: string): CostLine[] => estimate.stacks.filter((stack) => stack.environment === environment).flatMap((stack) => stack.lines);
const notPriced = (environment: string, sku: string): CostLine | undefined => linesOf(environment).find((line) => line.sku === sku && line.notPriced);

/** Each worked line, checked: quantity x unit price = monthly, to the cent. */
function expectArithmetic(lines: [string, number, number, number][]): void {
  for (const [, quantity, unitPrice, monthly] of lines) expect(Math.round(quantity * unitPrice * 100) / 100).toBe(monthly);
}

const KMS = 'KMS key';

describe('estimateCost over the shipped environments (IDPKIT_ENVIRONMENT_SET=all)', () => {
  it('prices AWS dev (eu-west-1): the EKS control plane and 7 KMS keys; EC2, RDS, NAT and the rest are not priced there', () => {
    const expected: [string, number, number, number][] = [
      ['EKS control plane (idp-dev, Kubernetes 1.35)', 730, 0.1, 73], // 1 cluster x 730 h x $0.10
      ...Array.from({ length: 7 }, (): [string, number, number, number] => [KMS, 1, 1, 1]), // 7 keys x 1 month x $1
    ];
    expect(pricedLines('dev')).toEqual(expected);
    expectArithmetic(expected);
    expect(environmentTotal('dev')).toBe(80); // 73 + 7
    expect(notPriced('dev', 'ec2/t3.large')?.notPriced).toMatch(/no price for ec2\/t3.large in eu-west-1/);
    expect(notPriced('dev', 'rds-postgres/db.t4g.medium')).toBeDefined();
    expect(notPriced('dev', 'vpc/nat-gateway')).toBeDefined();
    expect(notPriced('dev', 'elb/nlb')?.item).toBe('Istio ingress gateway: Network Load Balancer (AWS Load Balancer Controller)');
  });

  it('counts dev off-hours: the node group runs 65 of 168 hours a week (20:00 to 07:00 weekdays and the weekend off)', () => {
    const nodes = linesOf('dev').find((line) => line.sku === 'ec2/t3.large')!;
    expect(nodes.quantity).toBe(282.44); // 1 node x 730 h x 3900/10080
    expect(nodes.quantityBasis).toContain('x 3900/10080 (off-hours: up 65 of 168 h a week, "0 20 * * 1-5" to "0 7 * * 1-5")');
    expect(runningShareOfWeek('0 20 * * 1-5', '0 7 * * 1-5')).toEqual({ upMinutes: 3900, weekMinutes: 10080 });
  });

  it('prices AWS staging and prod (eu-west-1): the control plane and 10 KMS keys each; Multi-AZ databases count their standby', () => {
    for (const environment of ['staging', 'prod']) {
      const expected: [string, number, number, number][] = [
        [`EKS control plane (idp-${environment}, Kubernetes 1.35)`, 730, 0.1, 73],
        ...Array.from({ length: 10 }, (): [string, number, number, number] => [KMS, 1, 1, 1]),
      ];
      expect(pricedLines(environment)).toEqual(expected);
      expect(environmentTotal(environment)).toBe(83); // 73 + 10
    }
    const database = linesOf('prod').find((line) => line.sku === 'rds-postgres/db.m7g.xlarge')!;
    expect(database.quantity).toBe(1460); // 1 instance x 730 h x 2 (Multi-AZ standby)
    expect(database.notPriced).toBeDefined();
    expect(linesOf('prod').find((line) => line.sku === 'rds/gp3')?.quantity).toBe(128); // 64 GiB x 2
  });

  it('prices Azure dev (westeurope): the Free tier and its node pools from the Retail Prices API', () => {
    const expected: [string, number, number, number][] = [
      ['AKS control plane (idp-azure-dev, Free tier)', 730, 0, 0],
      ['node pool system: Standard_D4s_v5 on-demand', 1460, 0.23, 335.8], // 2 nodes x 730 h x $0.23
      ['node pool general: Standard_D2s_v5 on-demand', 730, 0.115, 83.95], // 1 node x 730 h x $0.115
    ];
    expect(pricedLines('azure-dev')).toEqual(expected);
    expectArithmetic(expected);
    expect(environmentTotal('azure-dev')).toBe(419.75); // 0 + 335.80 + 83.95
  });

  it('prices Azure prod (westeurope): two pools of 3 nodes; the Standard tier and the spot pool are not priced, an empty spot pool costs $0', () => {
    const expected: [string, number, number, number][] = [
      ['node pool system: Standard_D4s_v5 on-demand', 2190, 0.23, 503.7], // 3 x 730 h x $0.23
      ['node pool general: Standard_D4s_v5 on-demand', 2190, 0.23, 503.7],
    ];
    expect(pricedLines('azure-prod')).toEqual(expected);
    expect(environmentTotal('azure-prod')).toBe(1007.4);
    expect(notPriced('azure-prod', 'aks/cluster-standard')).toBeDefined();
    const spot = linesOf('azure-prod').find((line) => line.item === 'node pool batch: Standard_D8s_v5 spot')!;
    expect([spot.quantity, spot.monthlyUsd]).toEqual([0, 0]);
  });

  it('prices GCP dev and prod (europe-west1): the GKE management fee; the zonal cluster notes the free tier it does not deduct', () => {
    expect(pricedLines('gcp-dev')).toEqual([['GKE control plane (idp-dev, zonal)', 730, 0.1, 73]]);
    expect(pricedLines('gcp-prod')).toEqual([['GKE control plane (idp-prod, regional)', 730, 0.1, 73]]);
    expect(linesOf('gcp-dev').find((line) => line.sku === 'gke/cluster')?.note).toMatch(/free tier/);
    expect(notPriced('gcp-prod', 'gce/e2-standard-4')?.quantity).toBe(2190); // total minimum 3 x 730 h
    expect(notPriced('gcp-prod', 'cloud-sql/db-custom-4-16384')?.quantity).toBe(1460); // regional: x 2
  });

  it('adds environments and stacks up: the total is the sum of the environments, bootstrap stacks are their own', () => {
    const sum = estimate.environments.reduce((total, env) => total + env.monthlyUsd, 0);
    expect(estimate.monthlyUsd).toBe(Math.round(sum * 100) / 100);
    expect(estimate.environments.map((env) => env.environment)).toContain('bootstrap-idpkit-state-111111111111-eu-west-1');
    expect(estimate.stacks).toHaveLength(20);
    expect(estimate.hoursPerMonth).toBe(HOURS_PER_MONTH);
  });

  it('marks usage-based quantities with the assumption and its tier default, and never counts a line without a price', () => {
    const logs = linesOf('prod').find((line) => line.sku === 'cloudwatch/logs-ingestion')!;
    expect(logs.assumption).toEqual({ field: 'logIngestionGiB', value: DEFAULT_COST_ASSUMPTIONS.prod.logIngestionGiB, from: 'prod default' });
    expect(logs.monthlyUsd).toBeUndefined();
    expect(linesOf('dev').find((line) => line.sku === 'vpc/nat-data')?.assumption?.value).toBe(DEFAULT_COST_ASSUMPTIONS.dev.natDataProcessedGiB);
    for (const stack of estimate.stacks) {
      expect(stack.monthlyUsd).toBe(Math.round(stack.lines.reduce((sum, line) => sum + (line.monthlyUsd ?? 0), 0) * 100) / 100);
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
    const expected: [string, number, number, number][] = [
      ['EKS control plane (idp-dev, Kubernetes 1.35)', 730, 0.1, 73],
      ['node group general: t3.large on-demand', 282.44, 0.0832, 23.5], // 1 node x 730 h x 3900/10080 x $0.0832
      ...Array.from({ length: 7 }, (): [string, number, number, number] => [KMS, 1, 1, 1]),
    ];
    expect(moved.stacks[0].lines.filter((line) => line.price).map((line) => [line.item, line.quantity, line.price!.usd, line.monthlyUsd])).toEqual(expected);
    expectArithmetic(expected);
    expect(moved.monthlyUsd).toBe(103.5); // 73 + 23.50 + 7
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
    expect(priceOf('aws', 'eu-west-1', 'ec2/t3.large')).toBeUndefined();
  });
});
