import { CLOUDS, Cloud } from '../core/clouds';
import { TIERS, Tier } from '../core/tiers';
import { SIZES, Size, presetDefaults } from '.';

/** What the catalog tells about an add-on, for merging a preset with an environment. */
export interface AddonFacts {
  /** Whether the add-on runs on the cloud. */
  runsOn(addonKey: string, cloud: Cloud): boolean;
  /** Add-ons it cannot run beside. */
  conflictsWith(addonKey: string): readonly string[];
}

/** An environment config with its preset filled in, and what came from the preset. */
export interface PresetMerge {
  /** The config: the preset's defaults with the environment's own fields over them. */
  readonly config: unknown;
  /** The preset applied, when `size` named one. */
  readonly size?: Size;
  /** Add-on keys the preset enabled that the environment does not mention. */
  readonly addonsFromPreset: readonly string[];
  /** Top-level fields taken whole from the preset (`databases`) or cluster fields (`cluster.nodeGroups`). */
  readonly fieldsFromPreset: readonly string[];
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `base` with `over` on top: objects merge key by key, anything else in `over` (lists too) wins when set. */
function mergeOver(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (!isObject(base) || !isObject(over)) return over;
  const merged: Json = { ...base };
  for (const [key, value] of Object.entries(over)) {
    // Defined, not assigned, and own keys only: a `__proto__` key stays a key (validation refuses it) and never replaces the prototype.
    Object.defineProperty(merged, key, { value: mergeOver(Object.hasOwn(base, key) ? base[key] : undefined, value), enumerable: true, writable: true, configurable: true });
  }
  return merged;
}

const oneOf = <T extends string>(values: readonly T[], value: unknown): value is T => typeof value === 'string' && (values as readonly string[]).includes(value);

/**
 * Fills an environment config in from its preset (`size`): the preset's add-ons, databases and
 * node group for the environment's tier and cloud, with every field the environment sets winning.
 * Enabling an add-on that conflicts with one the preset chose (Gatekeeper instead of Kyverno) swaps
 * them. A config without a valid size, cloud or tier is returned as it is, for the schema to report.
 */
export function applyPreset(config: unknown, facts: AddonFacts): PresetMerge {
  const unchanged: PresetMerge = { config, addonsFromPreset: [], fieldsFromPreset: [] };
  if (!isObject(config) || !oneOf(SIZES, config.size) || !oneOf(CLOUDS, config.cloud) || !oneOf(TIERS, config.tier)) return unchanged;
  const size = config.size;
  const cloud: Cloud = config.cloud;
  const tier: Tier = config.tier;
  const defaults = presetDefaults(size, { cloud, tier, runsOn: (key) => facts.runsOn(key, cloud) });

  const ownAddons = isObject(config.platform) && isObject(config.platform.addons) ? config.platform.addons : {};
  const enabledByEnvironment = Object.keys(ownAddons).filter((key) => isObject(ownAddons[key]) && ownAddons[key].enabled === true);
  const swappedOut = new Set(enabledByEnvironment.flatMap((key) => facts.conflictsWith(key)).filter((key) => !(key in ownAddons)));
  const presetAddons = Object.fromEntries(Object.entries(defaults.platform.addons).filter(([key]) => !swappedOut.has(key)));

  const cluster = isObject(config.cluster) ? config.cluster : undefined;
  const fieldsFromPreset = [
    ...(config.databases === undefined ? ['databases'] : []),
    ...(cluster && cluster.nodeGroups === undefined ? ['cluster.nodeGroups'] : []),
  ];
  const base = { databases: defaults.databases, cluster: cluster ? { nodeGroups: defaults.cluster.nodeGroups } : undefined, platform: { addons: presetAddons } };
  return {
    config: mergeOver(base, config),
    size,
    addonsFromPreset: Object.keys(presetAddons).filter((key) => !(key in ownAddons)),
    fieldsFromPreset,
  };
}

/** The sentence a validation problem gets when the field it is about came from the preset. */
export function presetHint(merge: PresetMerge, path: readonly PropertyKey[]): string | undefined {
  if (!merge.size) return undefined;
  const [first, second, third] = path.map(String);
  if (first === 'platform' && second === 'addons' && third && merge.addonsFromPreset.includes(third)) {
    return `(the ${merge.size} preset enables ${third}: set what it asks for, or turn it off with platform.addons.${third}.enabled: false)`;
  }
  const field = first === 'cluster' ? `cluster.${second}` : first;
  if (merge.fieldsFromPreset.includes(field)) return `(from the ${merge.size} preset: set ${field} to choose your own)`;
  return undefined;
}
