// The off-hours schedule as data, free of any cloud provider: environments validate it, the AWS
// scale-down (off-hours.ts) applies it.
import type { Cloud } from '../../core/clouds';

/** When node groups stop and start when no schedule is given: 20:00 to 07:00 on weekdays and all weekend, UTC. */
export const OFF_HOURS_DEFAULTS = {
  stopCron: '0 20 * * 1-5',
  startCron: '0 7 * * 1-5',
  timeZone: 'Etc/UTC',
} as const;

/** The clouds whose node groups idpkit can scale down on a schedule natively: AWS (Auto Scaling scheduled actions). */
export const OFF_HOURS_CLOUDS: readonly Cloud[] = ['aws'];

/**
 * Why the other clouds have no off-hours scale-down, and what to do there instead (for docs and
 * error messages): their node pools have no native schedule.
 */
export const OFF_HOURS_NOT_NATIVE: Readonly<Record<Exclude<Cloud, 'aws'>, string>> = {
  azure:
    'AKS node pools have no scheduled scaling: stop the whole cluster with `az aks stop` / `az aks start` from a scheduled pipeline, or scale a user node pool to 0 with `az aks nodepool scale`.',
  gcp: 'GKE node pools have no scheduled scaling: resize a node pool to 0 with `gcloud container clusters resize` from a scheduled pipeline or Cloud Scheduler job, and back afterwards.',
};

/** A cron expression with five fields: minute hour day-of-month month day-of-week. */
export const CRON = /^\S+(\s+\S+){4}$/;

/** An IANA time zone name, e.g. `Europe/Berlin` or `Etc/UTC`. */
export const TIME_ZONE = /^[A-Za-z]+(\/[A-Za-z0-9_+-]+)*$/;

/** When node groups stop and start. */
export interface OffHoursSchedule {
  /** Cron (minute hour day month weekday) of the scale-down to zero. @default "0 20 * * 1-5" */
  readonly stopCron?: string;
  /** Cron of the scale-up back to the node group's sizes. @default "0 7 * * 1-5" */
  readonly startCron?: string;
  /** IANA time zone both crons are read in. @default "Etc/UTC" */
  readonly timeZone?: string;
}
