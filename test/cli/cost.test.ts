import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../../cli/io';
import type { CostEstimate } from '../../constructs/capabilities/cost/estimate';
import { idpkit, tempDir } from './cli-helpers';

/** Writes hand-written Terraform JSON stacks as a cdktf.out directory (stacks/<name>/cdk.tf.json, no manifest). */
function writeOut(stacks: Record<string, object>): string {
  const dir = tempDir('idpkit-cost-');
  for (const [name, json] of Object.entries(stacks)) {
    mkdirSync(join(dir, 'stacks', name), { recursive: true });
    writeFileSync(join(dir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(json));
  }
  return dir;
}

/** A small EKS environment in us-east-1: control plane, 2 m6i.large nodes and a spot group, one KMS key, one NAT gateway; and its platform stack with Istio's gateway. */
const stacks = {
  'shop-infra': {
    '//': { idpkit: { cost: { environment: 'shop', tier: 'staging', assumptions: { natDataProcessedGiB: 100 } } } },
    provider: { aws: [{ region: 'us-east-1' }] },
    resource: {
      aws_eks_cluster: { cluster: { name: 'shop', version: '1.35', upgrade_policy: { support_type: 'STANDARD' } } },
      aws_eks_node_group: {
        nodes: { node_group_name: 'general', instance_types: ['m6i.large'], capacity_type: 'ON_DEMAND', scaling_config: { desired_size: 2, min_size: 2, max_size: 4 } },
        spot: { node_group_name: 'batch', instance_types: ['m6i.large'], capacity_type: 'SPOT', scaling_config: { desired_size: 1, min_size: 1, max_size: 4 } },
      },
      aws_kms_key: { key: { description: 'secrets' } },
      aws_nat_gateway: { nat: {} },
    },
  },
  'shop-platform': {
    provider: { helm: [{}] },
    resource: { helm_release: { gateway: { chart: 'gateway', name: 'istio-ingress' }, alb: { chart: 'aws-load-balancer-controller', name: 'aws-load-balancer-controller' } } },
  },
};

describe('idpkit cost', () => {
  let dir: string;
  beforeAll(() => {
    dir = writeOut(stacks);
  });

  it('prints a table per stack with quantity x unit price, and the environment totals', async () => {
    const result = await idpkit(['cost', dir]);
    expect(result.code).toBe(EXIT_OK);
    // 73.00 control plane + 140.16 nodes (2 x 730 h x $0.096) + 1.00 key + 32.85 NAT (730 h x $0.045) + 4.50 NAT data (100 GiB x $0.045) = 251.51
    expect(result.stdout).toContain('shop-infra (environment shop, aws us-east-1, staging assumptions): $251.51 a month');
    // Long cells wrap in the table; the whole formula is in the JSON test below.
    expect(result.stdout).toMatch(/aws_eks_node_group\.nodes.*\$140\.16.*2 nodes \(desired size\)/);
    expect(result.stdout).toContain('not priced');
    expect(result.stdout).toContain('assumption: natDataProcessedGiB');
    expect(result.stdout).toMatch(/Total \$267\.94 a month \(\$4\.50 of it on usage assumptions\), 1 line\(s\) not priced; 730 h a month/);
    expect(result.stderr).toBe('');
  });

  it('writes JSON with every line, its price and source, and the totals', async () => {
    const result = await idpkit(['cost', dir, '--format', 'json']);
    expect(result.code).toBe(EXIT_OK);
    const estimate = JSON.parse(result.stdout) as CostEstimate;
    expect(estimate.monthlyUsd).toBe(267.94); // 251.51 + 16.43 for the Network Load Balancer of Istio's gateway (730 h x $0.0225)
    expect(estimate.environments).toEqual([expect.objectContaining({ environment: 'shop', stacks: ['shop-infra', 'shop-platform'], monthlyUsd: 267.94, notPricedLines: 1 })]);
    const nodes = estimate.stacks[0].lines.find((line) => line.sku === 'ec2/m6i.large')!;
    expect(nodes.formula).toBe('2 nodes (desired size) x 730 h = 1460 hour x $0.096/hour = $140.16');
    expect(estimate.stacks[0].lines.find((line) => line.sku === 'vpc/nat-data')?.assumption).toEqual({ field: 'natDataProcessedGiB', value: 100, from: 'environment' });
    expect(nodes.price?.source.of).toBe('https://aws.amazon.com/ec2/pricing/on-demand/');
    const gateway = estimate.stacks[1].lines[0];
    expect([gateway.sku, gateway.monthlyUsd, gateway.price?.source.of]).toEqual(['elb/nlb', 16.43, 'https://aws.amazon.com/elasticloadbalancing/pricing/']);
    const spot = estimate.stacks[0].lines.find((line) => line.item === 'node group batch: m6i.large spot')!;
    expect([spot.monthlyUsd, spot.notPriced]).toEqual([undefined, expect.stringContaining('spot capacity')]);
  });

  it('writes Markdown for a pull request comment: environments first, each stack collapsed', async () => {
    const result = await idpkit(['cost', dir, '--format', 'markdown']);
    expect(result.code).toBe(EXIT_OK);
    expect(result.stdout).toContain('## Estimated monthly cost');
    expect(result.stdout).toContain('| shop | $267.94 | $4.50 | 1 |');
    expect(result.stdout).toContain('<details><summary>shop-infra (environment shop, aws us-east-1, staging assumptions): $251.51 a month</summary>');
  });

  it('exits 1 naming the directory when it is not a cdktf.out', async () => {
    const result = await idpkit(['cost', join(dir, 'missing')]);
    expect(result.code).toBe(EXIT_FAILURE);
    expect(result.stderr).toContain('IDPKIT_INVALID_INPUT');
    expect(result.stderr).toContain('missing: no such directory');
  });

  it('exits 1 naming the stack when its region is not one the cloud has', async () => {
    const bad = writeOut({ 'x-infra': { provider: { aws: [{ region: 'eu-moon-1' }] }, resource: {} } });
    const result = await idpkit(['cost', bad]);
    expect(result.code).toBe(EXIT_FAILURE);
    expect(result.stderr).toContain('stack "x-infra": region "eu-moon-1" is not a known aws region');
  });

  it('exits 1 naming the field when the cost metadata is malformed', async () => {
    const bad = writeOut({ 'x-infra': { '//': { idpkit: { cost: { environment: 'x', tier: 'dev', assumptions: { bucketStorageGiB: 'lots' } } } }, provider: { aws: [{ region: 'us-east-1' }] } } });
    const result = await idpkit(['cost', bad]);
    expect(result.code).toBe(EXIT_FAILURE);
    expect(result.stderr).toContain('stack "x-infra": "//".idpkit.cost.assumptions.bucketStorageGiB "lots" is not a number of GiB');
  });

  it('exits 2 on an unknown format', async () => {
    const result = await idpkit(['cost', dir, '--format', 'csv']);
    expect(result.code).toBe(EXIT_USAGE);
    expect(result.stderr).toContain("argument 'csv' is invalid");
  });
});
