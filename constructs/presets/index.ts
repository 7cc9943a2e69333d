/**
 * Company-size presets: the reference architectures for small (< 50 engineers), medium (50-200)
 * and large (200+) companies as typed platform definitions. A preset is a default, never a cage:
 * an environment picks one with `size` and overrides any part of it (see docs/presets.md).
 */
import { addonRunsOn } from '../addons/catalog';
import type { Cloud } from '../core/clouds';
import { TIER_RULES, Tier } from '../core/tiers';
import type { NodeSize } from '../infrastructure/cluster/node-sizes';
import type { DatabaseSize } from '../capabilities/database';
import { large } from './large';
import { medium } from './medium';
import { CAPABILITIES, type Capability, type CapabilityChoice, type Preset, type PresetAddonSettings, type Size } from './preset';
import { small } from './small';

export * from './preset';

/** The presets, by size. */
export const PRESETS: Readonly<Record<Size, Preset>> = { small, medium, large };

/** The add-ons a preset enables on a cloud, with their settings (cloud-unavailable ones are dropped by the caller). */
export function presetAddons(preset: Preset): Readonly<Record<string, PresetAddonSettings>> {
  return Object.assign({}, ...CAPABILITIES.map((capability) => preset.capabilities[capability].addons ?? {}));
}

/** Ready-made `enabled: true` add-on configs for a preset, keyed by add-on. */
function enabledAddonConfigs(preset: Preset, runsOn: (addonKey: string) => boolean): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    Object.entries(presetAddons(preset))
      .filter(([key]) => runsOn(key))
      .map(([key, settings]) => [key, { enabled: true, ...structuredClone(settings) }]),
  );
}

/** The part of an environment's config a preset fills in; the environment's own config wins field by field. */
export interface PresetDefaults {
  readonly cluster: { readonly nodeGroups: readonly { name: string; size: NodeSize; minSize: number; maxSize: number }[] };
  readonly databases: readonly { name: string; size: DatabaseSize; storageGiB: number }[];
  readonly platform: { readonly addons: Readonly<Record<string, Record<string, unknown>>> };
}

/** Options of {@link presetDefaults}. */
export interface PresetDefaultsOptions {
  readonly cloud: Cloud;
  /** The environment's tier. @default "prod" */
  readonly tier?: Tier;
  /** Whether an add-on runs on the cloud. @default - what the add-on catalog says */
  readonly runsOn?: (addonKey: string) => boolean;
}

/**
 * What a preset puts into an environment of a tier on a cloud: add-ons, databases and node group.
 * Tier-dependent protections (HA, backups, deletion protection) come from TIER_RULES when stacks
 * are built, not from here.
 */
export function presetDefaults(size: Size, options: PresetDefaultsOptions): PresetDefaults {
  const preset = PRESETS[size];
  const tier = options.tier ?? 'prod';
  return {
    cluster: { nodeGroups: [{ name: 'general', ...preset.nodeGroup[tier] }] },
    databases: preset.databases.map((database) => ({ name: database.name, size: database.size[tier], storageGiB: database.storageGiB })),
    platform: { addons: enabledAddonConfigs(preset, options.runsOn ?? ((key) => addonRunsOn(key, options.cloud))) },
  };
}

/**
 * The presets as functions of the cloud, reading like the reference table:
 * `Presets.medium({ cloud: 'azure', tier: 'prod' })`.
 */
export const Presets: Readonly<Record<Size, (options: PresetDefaultsOptions) => PresetDefaults>> = {
  small: (options) => presetDefaults('small', options),
  medium: (options) => presetDefaults('medium', options),
  large: (options) => presetDefaults('large', options),
};

/** Capabilities whose add-ons only apply objects (namespaces, quotas) and run no pods to replicate. */
const CONFIGURATION_ONLY: readonly Capability[] = ['tenancy'];

/** How available a capability is in each tier, for `idpkit explain`: from TIER_RULES, never restated. */
export function availabilityByTier(choice: CapabilityChoice, capability: Capability): Readonly<Record<Tier, string>> {
  const of = (tier: Tier): string => {
    const rules = TIER_RULES[tier];
    if (capability === 'databases') {
      const standby = rules.databaseHighAvailability ? 'standby in another zone' : 'single zone';
      const protection = rules.deletionProtection ? ', deletion protection' : '';
      return `${standby}, ${rules.databaseBackupRetentionDays}-day backups + PITR${protection}`;
    }
    if (!choice.addons || Object.keys(choice.addons).length === 0 || CONFIGURATION_ONLY.includes(capability)) return '-';
    return rules.highAvailability ? 'HA: replicas, disruption budgets' : 'one replica';
  };
  return { dev: of('dev'), staging: of('staging'), prod: of('prod') };
}
