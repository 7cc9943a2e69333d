/**
 * `idpkit explain <size>`: one preset as the reference table reads it, for one cloud or all:
 * capability -> tool -> add-ons -> availability per tier, then the team, recovery objectives and
 * the tier rules an environment of the preset follows, and (for one cloud) the estimated monthly
 * cost of each tier's environment. Everything is read from the presets, the add-on catalog,
 * TIER_RULES and the cost model over the preset's synthesized stacks, never restated.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Argument, Command, Option } from 'commander';
import type { AssumptionUse, CostAssumptions, CostEstimate } from '../constructs/capabilities/cost/estimate';
import { COST_ASSUMPTION_FIELDS } from '../constructs/capabilities/cost/estimate/assumptions';
import { round2 } from '../constructs/capabilities/cost/estimate/prices';
import { ADDON_CATALOG } from '../constructs/addons/catalog';
import { CLOUDS, Cloud } from '../constructs/core/clouds';
import { TIERS, TIER_RULES, Tier } from '../constructs/core/tiers';
import { NODE_MACHINE_TYPES } from '../constructs/infrastructure/cluster/node-sizes';
import { CAPABILITIES, Capability, PRESETS, SIZES, Size, availabilityByTier } from '../constructs/presets';
import { CliIo, EXIT_OK, renderTable } from './io';
import { Format, formatOption } from './presets';

/** What `explain` needs to know of an add-on in the catalog (`ADDON_CATALOG` of constructs/addons/catalog.ts). */
export interface CatalogAddonFacts {
  /** Config key, e.g. `cilium`. */
  readonly key: string;
  /** Clouds it runs on. @default every cloud */
  readonly clouds?: readonly Cloud[];
}

/** An add-on a capability's choice names but the cloud does not run. */
export interface SkippedAddon {
  /** Catalog key. */
  readonly key: string;
  /** Why, e.g. "runs on aws only". */
  readonly reason: string;
}

/** One row of the explained preset. */
export interface ExplainedCapability {
  readonly capability: Capability;
  /** The tool(s), as the reference names them. */
  readonly tool: string;
  /** How it is provided outside the cluster (budgets, managed databases). @default - none */
  readonly provider?: string;
  /** Add-ons installed (on the cloud, when one is given), by catalog key. */
  readonly addons: readonly string[];
  /** Add-ons of the choice the cloud does not run. */
  readonly skipped: readonly SkippedAddon[];
  /** What differs on the cloud (or, for all clouds, each cloud's note prefixed with its name). */
  readonly notes: readonly string[];
  /** How available it is in each tier. */
  readonly availability: Readonly<Record<Tier, string>>;
}

/** What an environment of the preset gets, and may use, in one tier. */
export interface ExplainedTier {
  /** The preset's node group: abstract size, machine type on the cloud (when one is given), node counts. */
  readonly nodeGroup: { readonly size: string; readonly vcpus: number; readonly machineType?: string; readonly minSize: number; readonly maxSize: number };
  /** Largest node a node group may use, in vCPUs. */
  readonly maxNodeVcpus: number;
  /** The preset's managed PostgreSQL databases. */
  readonly databases: readonly { readonly name: string; readonly size: string; readonly storageGiB: number }[];
  /** Largest database instance, in vCPUs. */
  readonly maxDatabaseVcpus: number;
  /** Days of database backups and point-in-time recovery. */
  readonly databaseBackupRetentionDays: number;
  /** Databases run with a synchronous standby in another zone. */
  readonly databaseHighAvailability: boolean;
  /** Add-ons run replicated with disruption budgets. */
  readonly addonHighAvailability: boolean;
  /** Deletion protection on stateful resources. */
  readonly deletionProtection: boolean;
  /** Fewest availability zones. */
  readonly minAvailabilityZones: number;
  /** Node groups scale to zero off-hours: true, false, or why not on this cloud. */
  readonly offHoursScaleDown: boolean | string;
  /** Azure: the Key Vault is private (private endpoint, AKS KMS over API Server VNet Integration). */
  readonly privateKeyVault: boolean;
}

/** A preset explained for one cloud (or all). */
export interface PresetExplanation {
  readonly size: Size;
  /** The cloud the add-ons and notes are for. @default - every cloud */
  readonly cloud?: Cloud;
  readonly engineers: string;
  readonly platformTeam: string;
  readonly focus: string;
  /** Documented recovery objectives. */
  readonly recovery: { readonly rto: string; readonly rpo: string };
  /** The reference table's rows, in its order. */
  readonly capabilities: readonly ExplainedCapability[];
  /** Per tier: node group, databases and the rules that limit them. */
  readonly tiers: Readonly<Record<Tier, ExplainedTier>>;
  /** The estimated monthly cost per tier (for one cloud). @default - none: no cloud was given */
  readonly estimate?: PresetEstimate;
}

/** A usage assumption a tier's estimate rests on, and what the lines resting on it add up to. */
export interface AssumptionFigure extends AssumptionUse {
  /** Sum of the priced lines that rest on it. @default - not priced: no line resting on it has a price */
  readonly monthlyUsd?: number;
}

/** The estimate of one tier's environment of the preset (its infra and platform stacks). */
export interface TierEstimate {
  /** The environment synthesized, `<size>-<cloud>-<tier>` as `IDPKIT_ENVIRONMENT_SET=presets` names it. */
  readonly environment: string;
  /** Its region. @default - not known at synthesis */
  readonly region?: string;
  /** Sum of the priced lines, USD a month. */
  readonly monthlyUsd: number;
  /** The part of it that rests on usage assumptions. */
  readonly assumptionBasedUsd: number;
  /** Lines of the estimate. */
  readonly lines: number;
  /** Lines without a price, in no total. */
  readonly notPricedLines: number;
  /** The usage assumptions the estimate used, in COST_ASSUMPTION_FIELDS order. */
  readonly assumptions: readonly AssumptionFigure[];
}

/** A stack outside the tiers' environments: a state bootstrap stack, shared by the tiers of one account. */
export interface SharedStackEstimate {
  readonly stack: string;
  readonly monthlyUsd: number;
  readonly notPricedLines: number;
}

/** The preset's estimate: each tier's environment, synthesized from the preset, costed offline. */
export interface PresetEstimate {
  readonly priceTableVersion: string;
  readonly hoursPerMonth: number;
  readonly tiers: Readonly<Record<Tier, TierEstimate>>;
  /** The state bootstrap stacks, in no tier. */
  readonly shared: readonly SharedStackEstimate[];
}

/** Clouds whose node pools can be scaled to zero on a schedule by idpkit (see TierRules.offHoursScaleDown). */
const OFF_HOURS_CLOUDS: readonly Cloud[] = ['aws'];

/** Why the catalog keeps an add-on off a cloud, or undefined when it runs there. */
function skipReason(key: string, cloud: Cloud, catalog: readonly CatalogAddonFacts[]): string | undefined {
  const addon = catalog.find((candidate) => candidate.key === key);
  if (!addon) return 'not in the add-on catalog of this idpkit version';
  if (addon.clouds && !addon.clouds.includes(cloud)) return `runs on ${addon.clouds.join(', ')} only`;
  return undefined;
}

function explainCapability(size: Size, capability: Capability, catalog: readonly CatalogAddonFacts[], cloud?: Cloud): ExplainedCapability {
  const choice = PRESETS[size].capabilities[capability];
  const keys = Object.keys(choice.addons ?? {});
  const cloudNotes = choice.cloudNotes ?? {};
  let addons = keys;
  let skipped: SkippedAddon[] = [];
  let notes: string[];
  if (cloud) {
    skipped = keys.flatMap((key) => {
      const reason = skipReason(key, cloud, catalog);
      return reason ? [{ key, reason }] : [];
    });
    addons = keys.filter((key) => !skipped.some((skip) => skip.key === key));
    notes = cloudNotes[cloud] ? [cloudNotes[cloud]] : [];
  } else {
    const limited = keys.flatMap((key) => {
      const clouds = catalog.find((addon) => addon.key === key)?.clouds;
      return clouds ? [`${key} runs on ${clouds.join(', ')} only`] : [];
    });
    notes = [...limited, ...CLOUDS.flatMap((each) => (cloudNotes[each] ? [`${each}: ${cloudNotes[each]}`] : []))];
  }
  return {
    capability,
    tool: choice.tool,
    ...(choice.provider ? { provider: choice.provider } : {}),
    addons,
    skipped,
    notes,
    availability: availabilityByTier(choice, capability),
  };
}

function explainTier(size: Size, tier: Tier, cloud?: Cloud): ExplainedTier {
  const preset = PRESETS[size];
  const rules = TIER_RULES[tier];
  const group = preset.nodeGroup[tier];
  const machine = NODE_MACHINE_TYPES[group.size];
  const offHours = rules.offHoursScaleDown && cloud && !OFF_HOURS_CLOUDS.includes(cloud) ? `no: ${cloud} node pools have no native schedule` : rules.offHoursScaleDown;
  return {
    nodeGroup: { size: group.size, vcpus: machine.vcpus, ...(cloud ? { machineType: machine[cloud] } : {}), minSize: group.minSize, maxSize: group.maxSize },
    maxNodeVcpus: rules.maxNodeVcpus,
    databases: preset.databases.map((database) => ({ name: database.name, size: database.size[tier], storageGiB: database.storageGiB })),
    maxDatabaseVcpus: rules.maxDatabaseVcpus,
    databaseBackupRetentionDays: rules.databaseBackupRetentionDays,
    databaseHighAvailability: rules.databaseHighAvailability,
    addonHighAvailability: rules.highAvailability,
    deletionProtection: rules.deletionProtection,
    minAvailabilityZones: rules.minAvailabilityZones,
    offHoursScaleDown: offHours,
    privateKeyVault: rules.privateKeyVault,
  };
}

/**
 * A preset explained: every capability with its tool, the add-ons it installs on the cloud (the
 * ones the cloud does not run listed apart, with why), availability per tier, and what each tier
 * allows and protects.
 *
 * @param catalog the add-on catalog (`ADDON_CATALOG` of constructs/addons/catalog.ts): which clouds each add-on runs on
 * @param cloud the cloud to explain for @default - every cloud, restrictions noted
 */
export function explainPreset(size: Size, catalog: readonly CatalogAddonFacts[], cloud?: Cloud): PresetExplanation {
  const preset = PRESETS[size];
  return {
    size,
    ...(cloud ? { cloud } : {}),
    engineers: preset.engineers,
    platformTeam: preset.platformTeam,
    focus: preset.focus,
    recovery: preset.recovery,
    capabilities: CAPABILITIES.map((capability) => explainCapability(size, capability, catalog, cloud)),
    tiers: Object.fromEntries(TIERS.map((tier) => [tier, explainTier(size, tier, cloud)])) as Record<Tier, ExplainedTier>,
  };
}

/**
 * The preset's estimate per tier from the cost estimate of its synthesized environments.
 * @param environments the environment of each tier, by name
 */
export function presetEstimateOf(estimate: CostEstimate, environments: Readonly<Record<Tier, string>>): PresetEstimate {
  const tierOf = (name: string) => estimate.environments.find((environment) => environment.environment === name);
  const tiers = Object.fromEntries(
    TIERS.map((tier): [Tier, TierEstimate] => {
      const environment = tierOf(environments[tier]);
      const stacks = estimate.stacks.filter((stack) => stack.environment === environments[tier]);
      const lines = stacks.flatMap((stack) => stack.lines);
      const assumptions = new Map<keyof CostAssumptions, AssumptionFigure>();
      for (const line of lines) {
        if (!line.assumption) continue;
        const known = assumptions.get(line.assumption.field) ?? { ...line.assumption };
        const monthlyUsd = line.monthlyUsd === undefined ? known.monthlyUsd : (known.monthlyUsd ?? 0) + line.monthlyUsd;
        assumptions.set(line.assumption.field, { ...known, ...(monthlyUsd === undefined ? {} : { monthlyUsd: round2(monthlyUsd) }) });
      }
      const region = stacks.find((stack) => stack.region)?.region;
      return [
        tier,
        {
          environment: environments[tier],
          ...(region ? { region } : {}),
          monthlyUsd: environment?.monthlyUsd ?? 0,
          assumptionBasedUsd: environment?.assumptionBasedUsd ?? 0,
          lines: lines.length,
          notPricedLines: environment?.notPricedLines ?? 0,
          assumptions: COST_ASSUMPTION_FIELDS.flatMap((field) => assumptions.get(field) ?? []),
        },
      ];
    }),
  ) as Record<Tier, TierEstimate>;
  const named = new Set(Object.values(environments));
  return {
    priceTableVersion: estimate.priceTableVersion,
    hoursPerMonth: estimate.hoursPerMonth,
    tiers,
    shared: estimate.stacks.filter((stack) => !named.has(stack.environment)).map((stack) => ({ stack: stack.stack, monthlyUsd: stack.monthlyUsd, notPricedLines: stack.notPricedLines })),
  };
}

/** Estimates already made in this process, by `<size>/<cloud>`: the presets do not change while it runs. */
const PRESET_ESTIMATES = new Map<string, Promise<PresetEstimate>>();

/**
 * Synthesizes the preset's environments on a cloud (one per tier, as `IDPKIT_ENVIRONMENT_SET=presets`
 * builds them, placeholders included) into a temporary directory, without the policy checks,
 * and estimates their monthly cost. The directory is removed afterwards; the estimate is kept
 * for the rest of the process.
 */
export function estimatePreset(size: Size, cloud: Cloud): Promise<PresetEstimate> {
  const key = `${size}/${cloud}`;
  if (!PRESET_ESTIMATES.has(key)) PRESET_ESTIMATES.set(key, synthesizeAndEstimate(size, cloud));
  return PRESET_ESTIMATES.get(key)!;
}

async function synthesizeAndEstimate(size: Size, cloud: Cloud): Promise<PresetEstimate> {
  // Synthesis loads the stacks and every provider binding: only `explain --cloud` needs them.
  const [{ presetEnvironments }, { validateEnvironments }, { addPlatformStacks }, { App, withoutCreationStacks }, { readSynthesizedOutput }, { estimateCost }] = await Promise.all([
    import('../environments/examples/presets'),
    import('../environments/types'),
    import('../stacks/app'),
    import('../constructs/core/cdktf'),
    import('../constructs/core/synthesized-output'),
    import('../constructs/capabilities/cost/estimate'),
  ]);
  const configs = presetEnvironments.filter((env) => env.size === size && env.cloud === cloud);
  const environments = Object.fromEntries(configs.map((env) => [env.tier, env.name])) as Record<Tier, string>;
  const dir = mkdtempSync(join(tmpdir(), 'idpkit-explain-'));
  try {
    const app = new App({ outdir: dir });
    // As synthesizePlatform builds them: no token records the call stack it was made at.
    withoutCreationStacks(() => {
      addPlatformStacks(app, validateEnvironments(configs));
      app.synth();
    });
    return presetEstimateOf(estimateCost(readSynthesizedOutput(dir)), environments);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Column widths of the capability table: capability, tool, add-ons, dev, staging, prod. */
const CAPABILITY_COLUMNS = [18, 26, 28, 15, 15, 15] as const;
/** Column widths of the tier table (and the estimate table): rule, dev, staging, prod. */
const TIER_COLUMNS = [26, 30, 30, 30] as const;

const usd = (value: number): string => `$${value.toFixed(2)}`;

const yesNo = (value: boolean): string => (value ? 'yes' : 'no');

function addonsCell(row: ExplainedCapability): string {
  const lines = [row.addons.length > 0 ? row.addons.join(', ') : '-'];
  for (const skip of row.skipped) lines.push(`(skipped: ${skip.key}, ${skip.reason})`);
  for (const note of row.notes) lines.push(`note: ${note}`);
  return lines.join('\n');
}

function tierRows(explanation: PresetExplanation): string[][] {
  const { tiers, cloud } = explanation;
  const row = (label: string, cell: (tier: ExplainedTier) => string): string[] => [label, ...TIERS.map((tier) => cell(tiers[tier]))];
  const rows = [
    row('node group (preset)', ({ nodeGroup: group }) => `${group.size} (${group.machineType ?? `${group.vcpus} vCPUs`}), ${group.minSize}-${group.maxSize} nodes`),
    row('largest node allowed', (tier) => `${tier.maxNodeVcpus} vCPUs`),
    row('databases (preset)', (tier) => tier.databases.map((database) => `${database.name}: ${database.size}, ${database.storageGiB} GiB`).join('\n') || '-'),
    row('largest database allowed', (tier) => `${tier.maxDatabaseVcpus} vCPUs`),
    row('database standby', (tier) => (tier.databaseHighAvailability ? 'yes, another zone' : 'no')),
    row('database backups', (tier) => `${tier.databaseBackupRetentionDays} days + point-in-time recovery`),
  ];
  rows.push(
    row('add-on replicas', (tier) => (tier.addonHighAvailability ? 'HA: replicas, disruption budgets' : 'one each')),
    row('deletion protection', (tier) => yesNo(tier.deletionProtection)),
    row('availability zones (min)', (tier) => String(tier.minAvailabilityZones)),
    row(cloud ? 'off-hours scale-down' : 'off-hours scale-down (AWS)', (tier) => (typeof tier.offHoursScaleDown === 'string' ? tier.offHoursScaleDown : yesNo(tier.offHoursScaleDown))),
  );
  if (cloud === undefined || cloud === 'azure') {
    rows.push(row(cloud ? 'private Key Vault' : 'private Key Vault (Azure)', (tier) => (tier.privateKeyVault ? 'yes: private endpoint, KMS over VNet integration' : 'no: public, Entra ID and RBAC')));
  }
  return rows;
}

/** The explanation as people read it: a heading, the capability table, recovery objectives and the tier table. */
export function renderExplanation(explanation: PresetExplanation, format: Format): string {
  if (format === 'json') return `${JSON.stringify(explanation, null, 2)}\n`;
  const where = explanation.cloud ? `on ${explanation.cloud}` : 'on every cloud (pick one with --cloud)';
  const heading = [
    `The ${explanation.size} preset ${where}`,
    `For: ${explanation.engineers} engineers; focus: ${explanation.focus}`,
    '',
  ].join('\n');
  const capabilities = renderTable(
    ['capability', 'tool', explanation.cloud ? `add-ons on ${explanation.cloud}` : 'add-ons', ...TIERS],
    explanation.capabilities.map((row) => [
      row.capability,
      row.provider ? `${row.tool}\n(${row.provider})` : row.tool,
      addonsCell(row),
      ...TIERS.map((tier) => row.availability[tier]),
    ]),
    CAPABILITY_COLUMNS,
  );
  const team = [
    '',
    `Reference team: ${explanation.platformTeam}`,
    `Recovery objectives: RTO ${explanation.recovery.rto}; RPO ${explanation.recovery.rpo}`,
    '',
    'Per tier (tier rules from TIER_RULES; an environment may override the preset, not the limits):',
  ].join('\n');
  const tiers = renderTable(['', ...TIERS], tierRows(explanation), TIER_COLUMNS);
  return `${heading}\n${capabilities}${team}\n${tiers}${explanation.estimate ? renderEstimate(explanation.estimate) : ''}`;
}

const assumptionText = (figure: AssumptionFigure): string =>
  `${figure.field} ${figure.value}${figure.from === 'environment' ? ' (set)' : ''}: ${figure.monthlyUsd === undefined ? 'not priced' : usd(figure.monthlyUsd)}`;

/** The estimate per tier: a table, then what it leaves out. */
function renderEstimate(estimate: PresetEstimate): string {
  const row = (label: string, cell: (tier: TierEstimate) => string): string[] => [label, ...TIERS.map((tier) => cell(estimate.tiers[tier]))];
  const table = renderTable(
    ['', ...TIERS],
    [
      row('environment', (tier) => `${tier.environment}${tier.region ? ` (${tier.region})` : ''}`),
      row('priced estimate', (tier) => `${usd(tier.monthlyUsd)} a month`),
      row('of it on usage assumptions', (tier) => usd(tier.assumptionBasedUsd)),
      row('lines not priced', (tier) => `${tier.notPricedLines} of ${tier.lines}`),
      row('usage assumed, GiB a month (tier defaults)', (tier) => tier.assumptions.map(assumptionText).join('\n') || '-'),
    ],
    TIER_COLUMNS,
  );
  const shared = estimate.shared.map((stack) => `${stack.stack} ${usd(stack.monthlyUsd)} (${stack.notPricedLines} not priced)`).join(', ');
  return [
    '',
    `Estimated monthly cost per tier (list prices in USD, ${estimate.hoursPerMonth} h a month, price table ${estimate.priceTableVersion}; docs/cost.md):`,
    table.trimEnd(),
    'Priced lines only: lines not priced (no price in the table for their SKU or region) count in no total, so the bill is higher.',
    ...(shared ? [`State bootstrap stacks, shared by the tiers of an account, in no tier: ${shared}.`] : []),
    'Every line, with quantity, unit price and formula: idpkit cost <cdktf.out> on the synthesized environments.',
    '',
  ].join('\n');
}

/** Adds `idpkit explain <size>` to the program. */
export function addExplainCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('explain')
    .description('explain a preset: capability, tool, add-ons on a cloud, availability per tier, team, RTO/RPO and tier rules')
    .addArgument(new Argument('<size>', 'company-size preset').choices(SIZES))
    .addOption(new Option('--cloud <cloud>', 'explain for one cloud (add-ons it does not run are skipped) with the estimated monthly cost per tier').choices(CLOUDS))
    .addOption(formatOption())
    .addHelpText(
      'after',
      '\nWith --cloud, the preset\'s environments are synthesized into a temporary directory and costed offline (docs/cost.md): the priced estimate per tier, the lines not priced and the usage assumptions.\n\nExamples:\n  idpkit explain medium\n  idpkit explain large --cloud azure\n  idpkit explain small --cloud gcp --format json\n',
    )
    .action(async (size: Size, options: { cloud?: Cloud; format: Format }) => {
      const explanation = explainPreset(size, ADDON_CATALOG, options.cloud);
      const estimate = options.cloud ? await estimatePreset(size, options.cloud) : undefined;
      io.stdout.write(renderExplanation(estimate ? { ...explanation, estimate } : explanation, options.format));
      setExitCode(EXIT_OK);
    });
}
