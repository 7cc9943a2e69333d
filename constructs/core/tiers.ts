/**
 * What an environment's tier changes. The one table of tier rules: stacks read it to pick
 * defaults, constructs read it for what their props leave out when their construct tree sets a
 * tier ({@link TIER_CONTEXT_KEY}), and the environment schema reads it to reject what a tier does
 * not allow.
 */
import type { IConstruct } from 'constructs';
import { IdpkitError, describeValue } from './errors';

export const TIERS = ['dev', 'staging', 'prod'] as const;

/** The tier of an environment: how much availability and protection it needs. */
export type Tier = (typeof TIERS)[number];

/** The rules one tier follows. */
export interface TierRules {
  /** Fewest availability zones the network may span. */
  readonly minAvailabilityZones: 2 | 3;
  /** NAT gateways when the environment does not choose: one per AZ survives an AZ outage. */
  readonly natGateways: 'single' | 'one-per-az';
  /** CloudWatch Logs retention for flow and control-plane logs when the environment does not choose. */
  readonly logRetentionDays: number;
  /** Whether a cluster's public endpoint may be open to the whole internet (0.0.0.0/0). */
  readonly allowOpenPublicEndpoint: boolean;
  /** Deletion protection on stateful resources (clusters, registries' force-delete off). */
  readonly deletionProtection: boolean;
  /** Waiting period before a scheduled KMS key deletion completes (7 to 30 days). */
  readonly keyDeletionWindowDays: number;
  /** Add-ons run replicated, with disruption budgets and persistent storage; otherwise one replica each. */
  readonly highAvailability: boolean;
  /** Managed databases run with a synchronous standby in another zone (Multi-AZ, zone-redundant, regional). */
  readonly databaseHighAvailability: boolean;
  /** Days of database backups (and point-in-time recovery) kept when the database does not choose. */
  readonly databaseBackupRetentionDays: number;
  /** Largest node a node group may use, in vCPUs: the reference's "limit-instance-sizes". */
  readonly maxNodeVcpus: number;
  /** Largest database instance, in vCPUs. */
  readonly maxDatabaseVcpus: number;
  /**
   * Key vaults are reached only privately: on Azure the environment's Key Vault has public network
   * access off and a private endpoint, and AKS reaches it for KMS through API Server VNet
   * Integration (`key_vault_network_access = "Private"`). Otherwise the vault stays public (every
   * call still needs Entra ID and RBAC), and Terraform can reach it from anywhere.
   */
  readonly privateKeyVault: boolean;
  /** Node groups scale to zero off-hours by default where the cloud can schedule it (AWS): "auto-shutdown-dev". */
  readonly offHoursScaleDown: boolean;
}

/** Tier rules, by tier. */
export const TIER_RULES: Readonly<Record<Tier, TierRules>> = {
  dev: {
    minAvailabilityZones: 2,
    natGateways: 'single',
    logRetentionDays: 30,
    allowOpenPublicEndpoint: true,
    deletionProtection: false,
    keyDeletionWindowDays: 7,
    highAvailability: false,
    databaseHighAvailability: false,
    databaseBackupRetentionDays: 7,
    maxNodeVcpus: 8,
    maxDatabaseVcpus: 2,
    privateKeyVault: false,
    offHoursScaleDown: true,
  },
  staging: {
    minAvailabilityZones: 3,
    natGateways: 'single',
    logRetentionDays: 90,
    allowOpenPublicEndpoint: true,
    deletionProtection: false,
    keyDeletionWindowDays: 30,
    highAvailability: true,
    databaseHighAvailability: true,
    databaseBackupRetentionDays: 14,
    maxNodeVcpus: 16,
    maxDatabaseVcpus: 4,
    privateKeyVault: false,
    offHoursScaleDown: false,
  },
  prod: {
    minAvailabilityZones: 3,
    natGateways: 'one-per-az',
    logRetentionDays: 365,
    allowOpenPublicEndpoint: false,
    deletionProtection: true,
    keyDeletionWindowDays: 30,
    highAvailability: true,
    databaseHighAvailability: true,
    databaseBackupRetentionDays: 30,
    maxNodeVcpus: 64,
    maxDatabaseVcpus: 16,
    privateKeyVault: true,
    offHoursScaleDown: false,
  },
};

/**
 * The construct-tree context key that gives idpkit constructs a tier. Set on an app
 * (`IdpkitApp` sets it from its environment; `new App({ context: { 'idpkit:tier': 'dev' } })` or
 * cdktf.json's `context` do too) or on a stack before its constructs ({@link setTier}), it makes
 * every idpkit construct below take the tier's defaults ({@link TIER_RULES}) for what its props
 * leave out. The nearest setting wins; explicit props always win.
 */
export const TIER_CONTEXT_KEY = 'idpkit:tier';

/**
 * Gives every idpkit construct created under `scope` from now on the tier's defaults. Context is
 * read where a construct is created, so set it before adding children (else an IdpkitError
 * `IDPKIT_INVALID_PROPS` says so).
 */
export function setTier(scope: IConstruct, tier: Tier): void {
  const problems: string[] = [];
  if (!(TIERS as readonly unknown[]).includes(tier)) problems.push(`${pathOf(scope)}: tier ${describeValue(tier)} is not a tier (allowed: ${TIERS.join(', ')})`);
  const children = scope.node.children.map((child) => child.node.id);
  if (children.length > 0) {
    problems.push(`${pathOf(scope)}: the tier is set after constructs were added (${children.join(', ')}), which would not get it: set it right after creating ${pathOf(scope)}`);
  }
  if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
  scope.node.setContext(TIER_CONTEXT_KEY, tier);
}

/**
 * The tier `scope`'s construct tree sets ({@link TIER_CONTEXT_KEY}, the nearest one), or
 * undefined. Throws an IdpkitError (`IDPKIT_INVALID_PROPS`) when the value set is not a tier.
 */
export function tierOfScope(scope: IConstruct): Tier | undefined {
  const value: unknown = scope.node.tryGetContext(TIER_CONTEXT_KEY);
  if (value === undefined || (TIERS as readonly unknown[]).includes(value)) return value as Tier | undefined;
  throw new IdpkitError('IDPKIT_INVALID_PROPS', [`${pathOf(scope)}: context "${TIER_CONTEXT_KEY}" ${describeValue(value)} is not a tier (allowed: ${TIERS.join(', ')}; set it in the app's context, cdktf.json "context", or with IdpkitApp)`]);
}

/**
 * The default of a construct prop that follows the tier: `rule` of the tier's rules when the
 * construct tree sets a tier ({@link TIER_CONTEXT_KEY}), else the construct's own default. Use it
 * as `props.x ?? tierDefault(this, (rules) => rules.y, OWN_DEFAULT)`, so an explicit prop wins.
 */
export function tierDefault<T>(scope: IConstruct, rule: (rules: TierRules) => T, otherwise: T): T {
  const tier = tierOfScope(scope);
  return tier === undefined ? otherwise : rule(TIER_RULES[tier]);
}

/** How a scope is named in messages: its construct path, or "the app". */
const pathOf = (scope: IConstruct): string => scope.node.path || 'the app';
