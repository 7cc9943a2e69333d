import type { Tier } from '../../core/tiers';
import { TENANT_CONTAINER_DEFAULTS } from '../tenancy/tenancy';

/** What a workload gets from its environment's tier when its Score file does not say. */
export interface WorkloadTierDefaults {
  /** Pods of the Deployment. */
  readonly replicas: number;
  /** Pods spread over zones (`topology.kubernetes.io/zone`, maxSkew 1, ScheduleAnyway). */
  readonly zoneSpread: boolean;
  /** A PodDisruptionBudget (maxUnavailable 1) keeps node drains from taking down more than one pod. */
  readonly disruptionBudget: boolean;
}

/** Workload defaults by tier; preview renders use `dev`. */
export const WORKLOAD_TIER_DEFAULTS: Readonly<Record<Tier, WorkloadTierDefaults>> = {
  dev: { replicas: 1, zoneSpread: false, disruptionBudget: false },
  staging: { replicas: 2, zoneSpread: false, disruptionBudget: false },
  prod: { replicas: 3, zoneSpread: true, disruptionBudget: true },
};

/**
 * Requests and memory limit of a container whose Score file sets none: the same as the tenant
 * namespaces' LimitRange, so a workload gets the same in every namespace.
 */
export const WORKLOAD_CONTAINER_DEFAULTS = TENANT_CONTAINER_DEFAULTS;

/** The node label pods spread over in tiers with {@link WorkloadTierDefaults.zoneSpread}. */
export const ZONE_TOPOLOGY_KEY = 'topology.kubernetes.io/zone';

/**
 * The pod's `fsGroup`: every container process gets this supplementary group, and volumes
 * (ConfigMap files, persistent volumes) are group-owned by it, so any non-root user the image
 * runs as can read its files and write its volumes. Any non-zero id works; this is the
 * distroless images' `nonroot` id.
 */
export const WORKLOAD_FS_GROUP = 65532;

/** Where every container gets a writable emptyDir (the root filesystem is read-only). */
export const WORKLOAD_TMP_PATH = '/tmp';
