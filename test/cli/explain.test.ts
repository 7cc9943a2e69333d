import { CLOUDS, Cloud } from '../../constructs/core/clouds';
import { DEFAULT_COST_ASSUMPTIONS, PRICE_TABLE_VERSION } from '../../constructs/capabilities/cost/estimate';
import { TIERS, TIER_RULES } from '../../constructs/core/tiers';
import { PresetExplanation, explainPreset, presetEstimateOf } from '../../cli/explain';
import { CAPABILITIES, PRESETS, SIZES, Size } from '../../constructs/presets';
import { ADDON_CATALOG, addonRunsOn } from '../../constructs/addons/catalog';
import { idpkit } from './cli-helpers';

/** The body rows of every table in the output, each row's cells joined across wrapped lines. */
function tables(text: string): string[][][] {
  const result: string[][][] = [];
  let rows: string[][] = [];
  let row: string[] | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('┌')) rows = [];
    else if (line.startsWith('│')) {
      const cells = line.split('│').slice(1, -1).map((cell) => cell.trim());
      row = row ? row.map((cell, index) => [cell, cells[index]].filter(Boolean).join(' ')) : cells;
    } else if ((line.startsWith('├') || line.startsWith('└')) && row) {
      rows.push(row);
      row = undefined;
      if (line.startsWith('└')) result.push(rows);
    }
  }
  return result;
}

async function explainJson(size: Size, cloud?: Cloud): Promise<PresetExplanation> {
  const { code, stdout } = await idpkit(['explain', size, ...(cloud ? ['--cloud', cloud] : []), '--format', 'json']);
  expect(code).toBe(0);
  return JSON.parse(stdout);
}

describe.each(SIZES)('idpkit explain %s', (size) => {
  const preset = PRESETS[size];

  test.each(CLOUDS)('--cloud %s: one row per capability with its tool, add-ons on the cloud and availability per tier', async (cloud) => {
    const { code, stdout, stderr } = await idpkit(['explain', size, '--cloud', cloud]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const [capabilities, tiers] = tables(stdout);
    expect(capabilities[0]).toEqual(['capability', 'tool', `add-ons on ${cloud}`, 'dev', 'staging', 'prod']);
    expect(capabilities.slice(1).map((row) => row[0])).toEqual([...CAPABILITIES]);
    for (const row of capabilities.slice(1)) {
      const choice = preset.capabilities[row[0] as (typeof CAPABILITIES)[number]];
      expect(row[1]).toContain(choice.tool);
      const runsHere = Object.keys(choice.addons ?? {}).filter((key) => addonRunsOn(key, cloud));
      for (const key of runsHere) expect(row[2]).toContain(key);
    }
    expect(stdout).toContain(`The ${size} preset on ${cloud}`);
    expect(stdout).toContain(`Reference team: ${preset.platformTeam}`);
    expect(stdout).toContain(`RTO ${preset.recovery.rto}; RPO ${preset.recovery.rpo}`);
    expect(tiers[0]).toEqual(['', 'dev', 'staging', 'prod']);
    expect(tiers.find((row) => row[0] === 'largest node allowed')).toEqual(['largest node allowed', '8 vCPUs', '16 vCPUs', '64 vCPUs']);
    expect(tiers.find((row) => row[0] === 'database backups')?.slice(1)).toEqual([
      `${TIER_RULES.dev.databaseBackupRetentionDays} days + point-in-time recovery`,
      `${TIER_RULES.staging.databaseBackupRetentionDays} days + point-in-time recovery`,
      `${TIER_RULES.prod.databaseBackupRetentionDays} days + point-in-time recovery`,
    ]);
  });

  test('on Azure (and without a cloud), the tier table says which tiers keep a private Key Vault (TierRules.privateKeyVault)', async () => {
    const privateRow = (stdout: string) => tables(stdout).flat().find((row) => row[0].startsWith('private Key Vault'));
    const azure = await idpkit(['explain', size, '--cloud', 'azure']);
    expect(privateRow(azure.stdout)).toEqual(['private Key Vault', 'no: public, Entra ID and RBAC', 'no: public, Entra ID and RBAC', 'yes: private endpoint, KMS over VNet integration']);
    expect(privateRow((await idpkit(['explain', size])).stdout)?.[0]).toBe('private Key Vault (Azure)');
    expect(privateRow((await idpkit(['explain', size, '--cloud', 'aws'])).stdout)).toBeUndefined();
  });

  test('the JSON has every capability, the recovery objectives and the tier rules', async () => {
    const explanation = await explainJson(size, 'aws');
    expect(explanation).toMatchObject({ size, cloud: 'aws', engineers: preset.engineers, platformTeam: preset.platformTeam, recovery: preset.recovery });
    expect(explanation.capabilities.map((row) => row.capability)).toEqual([...CAPABILITIES]);
    expect(explanation.capabilities.find((row) => row.capability === 'databases')?.availability).toEqual({
      dev: 'single zone, 7-day backups + PITR',
      staging: 'standby in another zone, 14-day backups + PITR',
      prod: 'standby in another zone, 30-day backups + PITR, deletion protection',
    });
    expect(explanation.tiers.prod).toMatchObject({ maxNodeVcpus: 64, maxDatabaseVcpus: 16, databaseHighAvailability: true, deletionProtection: true, offHoursScaleDown: false });
    expect(explanation.tiers.dev).toMatchObject({ maxNodeVcpus: 8, maxDatabaseVcpus: 2, databaseBackupRetentionDays: 7, offHoursScaleDown: true });
    expect(explanation.tiers.dev.nodeGroup).toEqual({ ...preset.nodeGroup.dev, vcpus: expect.any(Number), machineType: expect.stringMatching(/^m6i\./) });
    expect(explanation.tiers.prod.databases).toEqual(preset.databases.map((database) => ({ name: database.name, size: database.size.prod, storageGiB: database.storageGiB })));
  });
});

describe('what differs by cloud', () => {
  test('large on azure and gcp skips Cilium (an AWS-only add-on) and says why, with the cloud note; aws installs it', async () => {
    for (const cloud of ['azure', 'gcp'] as const) {
      const mesh = (await explainJson('large', cloud)).capabilities.find((row) => row.capability === 'service mesh')!;
      expect(mesh.addons).toEqual(['istio']);
      expect(mesh.skipped).toEqual([{ key: 'cilium', reason: 'runs on aws only' }]);
      expect(mesh.notes).toEqual([PRESETS.large.capabilities['service mesh'].cloudNotes![cloud]]);
    }
    const aws = (await explainJson('large', 'aws')).capabilities.find((row) => row.capability === 'service mesh')!;
    expect(aws).toMatchObject({ addons: ['istio', 'cilium'], skipped: [], notes: [] });
  });

  test('the table shows the skip and the note in the add-ons cell', async () => {
    const { stdout } = await idpkit(['explain', 'large', '--cloud', 'gcp']);
    const mesh = tables(stdout)[0].find((row) => row[0] === 'service mesh')!;
    expect(mesh[2]).toContain('(skipped: cilium, runs on aws only)');
    expect(mesh[2]).toContain('Dataplane V2');
  });

  test('off-hours scale-down is an AWS rule: dev on azure and gcp says their node pools have no schedule', async () => {
    expect((await explainJson('small', 'aws')).tiers.dev.offHoursScaleDown).toBe(true);
    expect((await explainJson('small', 'azure')).tiers.dev.offHoursScaleDown).toBe('no: azure node pools have no native schedule');
    expect((await explainJson('small', 'gcp')).tiers.dev.offHoursScaleDown).toBe('no: gcp node pools have no native schedule');
  });

  test('without --cloud every add-on is listed, with where the limited ones run and every cloud note', async () => {
    const explanation = await explainJson('large');
    expect(explanation.cloud).toBeUndefined();
    const mesh = explanation.capabilities.find((row) => row.capability === 'service mesh')!;
    expect(mesh.addons).toEqual(['istio', 'cilium']);
    expect(mesh.notes).toEqual(['cilium runs on aws only', `azure: ${PRESETS.large.capabilities['service mesh'].cloudNotes!.azure}`, `gcp: ${PRESETS.large.capabilities['service mesh'].cloudNotes!.gcp}`]);
    expect(explanation.tiers.dev.nodeGroup.machineType).toBeUndefined();
  });

  test('an add-on missing from the catalog is skipped, not hidden', () => {
    const catalog = ADDON_CATALOG.filter((addon) => addon.key !== 'istio');
    const mesh = explainPreset('medium', catalog, 'aws').capabilities.find((row) => row.capability === 'service mesh')!;
    expect(mesh).toMatchObject({ addons: [], skipped: [{ key: 'istio', reason: 'not in the add-on catalog of this idpkit version' }] });
  });
});

describe('the estimated monthly cost per tier (--cloud)', () => {
  // The totals per tier, from the price table (docs/cost.md, "Per preset"); the estimate test works the lines out for the shipped environments.
  const LARGE_AZURE = { dev: 909.96, staging: 2187.84, prod: 4472.38 };

  test('large on azure: each tier is its preset environment synthesized and costed, bigger pools and HA databases up the tiers', async () => {
    const { estimate } = await explainJson('large', 'azure');
    for (const tier of TIERS) {
      const { environment, region, monthlyUsd, notPricedLines, lines, assumptions } = estimate!.tiers[tier];
      expect({ environment, region, monthlyUsd }).toEqual({ environment: `large-azure-${tier}`, region: 'westeurope', monthlyUsd: LARGE_AZURE[tier] });
      expect(notPricedLines).toBe(0);
      expect(lines).toBeGreaterThan(20);
      expect(assumptions.find((figure) => figure.field === 'natDataProcessedGiB')).toMatchObject({ field: 'natDataProcessedGiB', value: DEFAULT_COST_ASSUMPTIONS[tier].natDataProcessedGiB, from: `${tier} default` });
    }
    expect(estimate!.shared).toEqual([
      { stack: 'bootstrap-idpkitstatenonprod', monthlyUsd: 9.8, notPricedLines: 0 }, // an HSM key $5 + 200 GiB of ZRS blobs x $0.024
      { stack: 'bootstrap-idpkitstateprod', monthlyUsd: 9.8, notPricedLines: 0 },
    ]);
    expect(estimate).toMatchObject({ priceTableVersion: PRICE_TABLE_VERSION, hoursPerMonth: 730 });
  });

  test('small on aws and gcp: each tier priced as far as the table goes, the state bootstrap stacks apart', async () => {
    const aws = (await explainJson('small', 'aws')).estimate!;
    expect(TIERS.map((tier) => aws.tiers[tier].monthlyUsd)).toEqual([159.31, 469.63, 794.53]);
    expect(aws.shared).toEqual([
      { stack: 'bootstrap-idpkit-state-111111111111-eu-west-1', monthlyUsd: 5.6, notPricedLines: 0 }, // the KMS key $1 + 200 GiB of S3 Standard x $0.023
      { stack: 'bootstrap-idpkit-state-222222222222-eu-west-1', monthlyUsd: 5.6, notPricedLines: 0 },
    ]);
    const gcp = (await explainJson('small', 'gcp')).estimate!;
    expect(TIERS.map((tier) => gcp.tiers[tier].monthlyUsd)).toEqual([140.88, 325.59, 511.24]);
    for (const tier of TIERS) expect(gcp.tiers[tier]).toMatchObject({ environment: `small-gcp-${tier}`, region: 'europe-west1' });
  });

  test('the table shows the priced estimate, the lines not priced and the usage assumed per tier, and says what is left out', async () => {
    const { code, stdout, stderr } = await idpkit(['explain', 'large', '--cloud', 'azure']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const estimate = tables(stdout)[2];
    expect(estimate[0]).toEqual(['', 'dev', 'staging', 'prod']);
    expect(estimate.find((row) => row[0] === 'priced estimate')).toEqual(['priced estimate', ...TIERS.map((tier) => `$${LARGE_AZURE[tier].toFixed(2)} a month`)]);
    expect(estimate.find((row) => row[0] === 'lines not priced')!.slice(1).every((cell) => /^\d+ of \d+$/.test(cell))).toBe(true);
    expect(estimate.find((row) => row[0].startsWith('usage assumed'))![3]).toContain('natDataProcessedGiB 1000: $45.00');
    expect(stdout).toContain(`Estimated monthly cost per tier (list prices in USD, 730 h a month, price table ${PRICE_TABLE_VERSION}`);
    expect(stdout).toContain('lines not priced (no price in the table for their SKU or region) count in no total');
    expect(stdout).toContain('State bootstrap stacks, shared by the tiers of an account, in no tier: bootstrap-idpkitstatenonprod $9.80');
  });

  test('without --cloud there is no estimate (nothing is synthesized)', async () => {
    expect((await explainJson('medium')).estimate).toBeUndefined();
    expect((await idpkit(['explain', 'medium'])).stdout).not.toContain('Estimated monthly cost');
  });

  test('presetEstimateOf sums assumption figures per field, priced or not', () => {
    const line = (monthlyUsd: number | undefined, field: 'logIngestionGiB' | 'bucketStorageGiB') => ({
      resource: 'r.x', item: 'x', sku: 'x', quantity: 1, unit: 'GiB' as const, quantityBasis: 'x', formula: 'x',
      ...(monthlyUsd === undefined ? { notPriced: 'no price' } : { monthlyUsd }),
      assumption: { field, value: 7, from: 'dev default' as const },
    });
    const stack = { stack: 'e-infra', environment: 'e', tier: 'dev' as const, lines: [line(1.25, 'logIngestionGiB'), line(2.5, 'logIngestionGiB'), line(undefined, 'bucketStorageGiB')], monthlyUsd: 3.75, assumptionBasedUsd: 3.75, notPricedLines: 1 };
    const environment = { environment: 'e', stacks: ['e-infra'], monthlyUsd: 3.75, assumptionBasedUsd: 3.75, notPricedLines: 1 };
    const estimate = presetEstimateOf(
      { dir: 'x', priceTableVersion: 'v', hoursPerMonth: 730, stacks: [stack], environments: [environment], monthlyUsd: 3.75, assumptionBasedUsd: 3.75, notPricedLines: 1 },
      { dev: 'e', staging: 'missing', prod: 'missing' },
    );
    expect(estimate.tiers.dev).toEqual({
      environment: 'e', monthlyUsd: 3.75, assumptionBasedUsd: 3.75, lines: 3, notPricedLines: 1,
      assumptions: [
        { field: 'logIngestionGiB', value: 7, from: 'dev default', monthlyUsd: 3.75 },
        { field: 'bucketStorageGiB', value: 7, from: 'dev default' },
      ],
    });
    expect(estimate.tiers.prod).toEqual({ environment: 'missing', monthlyUsd: 0, assumptionBasedUsd: 0, lines: 0, notPricedLines: 0, assumptions: [] });
  });
});

describe('usage errors exit 2 and list what is allowed', () => {
  test('an unknown size', async () => {
    const { code, stdout, stderr } = await idpkit(['explain', 'huge']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/'huge' is invalid for argument 'size'\. Allowed choices are small, medium, large\./);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  test('an unknown cloud', async () => {
    const { code, stderr } = await idpkit(['explain', 'small', '--cloud', 'oci']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/'oci' is invalid\. Allowed choices are aws, azure, gcp\./);
  });

  test('a missing size', async () => {
    const { code, stderr } = await idpkit(['explain']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/missing required argument 'size'/);
  });
});
