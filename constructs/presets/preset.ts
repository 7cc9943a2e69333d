/**
 * What a company-size preset is: its sizes, the capability rows of the reference's table and the
 * shape of a preset. The presets (small.ts, medium.ts, large.ts) are values of these types.
 */
import type { Cloud } from '../core/clouds';
import type { Tier } from '../core/tiers';
import type { NodeSize } from '../infrastructure/cluster/node-sizes';
import type { DatabaseSize } from '../capabilities/database';

/** Company sizes, smallest first. */
export const SIZES = ['small', 'medium', 'large'] as const;

/** A company-size preset's name. */
export type Size = (typeof SIZES)[number];

/** The rows of the reference's preset table, in its order. */
export const CAPABILITIES = [
  'developer portal',
  'orchestration',
  'CI/CD',
  'databases',
  'secrets',
  'monitoring',
  'service mesh',
  'cost',
  'security',
  'tenancy',
  'TLS',
  'cloud integration',
] as const;

/** One row of the preset table. */
export type Capability = (typeof CAPABILITIES)[number];

/** Settings of one add-on a preset turns on, beyond `enabled` (checked by the environment schema). */
export type PresetAddonSettings = Readonly<Record<string, unknown>>;

/** What a preset chooses for one capability. */
export interface CapabilityChoice {
  /** The tool(s), as the reference architecture names them, e.g. "Backstage, simplified". */
  readonly tool: string;
  /**
   * What makes the choice real: the add-ons it installs, by catalog key, with their settings. An
   * add-on a cloud does not run is skipped there (see `cloudNotes`). @default {} - nothing in the cluster
   */
  readonly addons?: Readonly<Record<string, PresetAddonSettings>>;
  /** How the capability is provided where it is not an add-on (budgets, CI identities, managed databases). @default - none */
  readonly provider?: string;
  /** What differs on a cloud, e.g. Cilium being the AKS and GKE dataplane already. @default {} */
  readonly cloudNotes?: Readonly<Partial<Record<Cloud, string>>>;
}

/** A node group a preset starts an environment with, per tier. */
export interface PresetNodeGroup {
  readonly size: NodeSize;
  readonly minSize: number;
  readonly maxSize: number;
}

/** One company-size preset: the reference architecture as data. */
export interface Preset {
  readonly size: Size;
  /** Engineers in the company the reference architecture is for. */
  readonly engineers: string;
  /** The platform team the reference expects to run it. */
  readonly platformTeam: string;
  /** What the platform team focuses on. */
  readonly focus: string;
  /** Documented recovery objectives: time to restore service, data that can be lost. */
  readonly recovery: { readonly rto: string; readonly rpo: string };
  /** The choice for every capability row. */
  readonly capabilities: Readonly<Record<Capability, CapabilityChoice>>;
  /** Managed PostgreSQL databases for shared services (the portal's own runs on CloudNativePG), with their abstract size per tier. */
  readonly databases: readonly { readonly name: string; readonly size: Readonly<Record<Tier, DatabaseSize>>; readonly storageGiB: number }[];
  /** The cluster's node group, per tier. */
  readonly nodeGroup: Readonly<Record<Tier, PresetNodeGroup>>;
}
