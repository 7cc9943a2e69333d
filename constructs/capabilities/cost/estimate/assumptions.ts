/**
 * Usage-dependent quantities of the cost estimate (GiB of logs, NAT traffic, stored objects): one
 * documented default per tier, which an environment overrides with `cost.assumptions`. The
 * environment's tier and overrides reach the synthesized output as metadata of its infra stack
 * (`"//": { "idpkit": { "cost": ... } }`, a Terraform JSON comment), so `idpkit cost` needs
 * nothing but `cdktf.out`.
 */
import type { Tier } from '../../../core/tiers';

/** The usage assumptions, per month. */
export interface CostAssumptions {
  /** GiB processed by the NAT gateways (AWS, Azure) or Cloud NAT (GCP), per environment. */
  readonly natDataProcessedGiB: number;
  /** GiB of control-plane, database and cluster logs ingested, per environment. */
  readonly logIngestionGiB: number;
  /** GiB of VPC (VNet, subnet) flow logs ingested, per environment. */
  readonly flowLogIngestionGiB: number;
  /** GiB stored, per bucket (S3, Cloud Storage, storage account). */
  readonly bucketStorageGiB: number;
  /** GiB of images stored, per registry repository (ECR) or registry (ACR, Artifact Registry). */
  readonly registryStorageGiB: number;
  /** GiB of database backups above the cloud's free backup allowance, per database. */
  readonly databaseBackupBeyondFreeGiB: number;
}

/** The assumption fields, in the order the output lists them. */
export const COST_ASSUMPTION_FIELDS = [
  'natDataProcessedGiB',
  'logIngestionGiB',
  'flowLogIngestionGiB',
  'bucketStorageGiB',
  'registryStorageGiB',
  'databaseBackupBeyondFreeGiB',
] as const satisfies readonly (keyof CostAssumptions)[];

/** Largest value an assumption may take (1 PiB), against typos with extra digits. */
export const MAX_ASSUMPTION_GIB = 1024 * 1024;

/**
 * The defaults per tier: a small team's dev, a staging that replays some traffic, a production
 * with real traffic. They are guesses about usage, not prices, and the output marks every figure
 * that rests on one; override them per environment with `cost.assumptions`.
 */
export const DEFAULT_COST_ASSUMPTIONS: Readonly<Record<Tier, CostAssumptions>> = {
  dev: { natDataProcessedGiB: 50, logIngestionGiB: 10, flowLogIngestionGiB: 5, bucketStorageGiB: 10, registryStorageGiB: 5, databaseBackupBeyondFreeGiB: 0 },
  staging: { natDataProcessedGiB: 200, logIngestionGiB: 30, flowLogIngestionGiB: 20, bucketStorageGiB: 50, registryStorageGiB: 10, databaseBackupBeyondFreeGiB: 20 },
  prod: { natDataProcessedGiB: 1000, logIngestionGiB: 100, flowLogIngestionGiB: 100, bucketStorageGiB: 200, registryStorageGiB: 20, databaseBackupBeyondFreeGiB: 100 },
};

/** The tier whose assumptions apply to a stack without idpkit's cost metadata (bootstrap stacks, other cdktf output). */
export const DEFAULT_ASSUMPTION_TIER: Tier = 'prod';

/** What an infra stack records for the estimate. */
export interface CostMetadata {
  /** The environment's name. */
  readonly environment: string;
  readonly tier: Tier;
  /** The environment's `cost.assumptions`, only the fields it sets. */
  readonly assumptions: Partial<CostAssumptions>;
}

/** Where the metadata sits in a stack's Terraform JSON: `"//"."idpkit"."cost"` (Terraform ignores `"//"` keys). */
export const COST_METADATA_PATH = '//.idpkit.cost';
