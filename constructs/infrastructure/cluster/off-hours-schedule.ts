// The off-hours schedule as data, free of any cloud provider: environments validate it, the AWS
// scale-down (off-hours.ts) applies it.
import { CronExpressionParser } from 'cron-parser';
import type { Cloud } from '../../core/clouds';
import { closeMatches } from '../../core/names';

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

/** What a field of a five-field cron expression may hold besides digits, `*`, `,`, `-` and `/`: month and weekday names. */
const CRON_FIELDS: readonly { readonly name: string; readonly pattern: RegExp; readonly max: number }[] = [
  { name: 'minute', pattern: /^[\d*,/-]+$/, max: 59 },
  { name: 'hour', pattern: /^[\d*,/-]+$/, max: 23 },
  { name: 'day of month', pattern: /^[\d*,/-]+$/, max: 31 },
  { name: 'month', pattern: /^([\d*,/-]|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)+$/i, max: 12 },
  { name: 'day of week', pattern: /^([\d*,/-]|SUN|MON|TUE|WED|THU|FRI|SAT)+$/i, max: 7 },
];

/**
 * Why `expression` is not a Unix cron expression of five fields (minute hour day-of-month month
 * day-of-week), as Auto Scaling scheduled actions take it, or undefined when it is one: five
 * fields of digits, `*`, `,`, `-`, `/` (and month and weekday names), steps of 1 up to the field's
 * largest value, values in range (cron-parser), and a day that exists (`0 0 31 2 *` never runs).
 */
export function cronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  const problem = (detail: string) => `is not a cron expression with five fields (minute hour day-of-month month day-of-week, e.g. "0 20 * * 1-5"): ${detail}`;
  if (fields.length !== CRON_FIELDS.length) return problem(`it has ${fields.length}`);
  const odd = CRON_FIELDS.findIndex((field, index) => !field.pattern.test(fields[index]));
  if (odd >= 0) return problem(`its ${CRON_FIELDS[odd].name} "${fields[odd]}" holds what Unix cron does not read (digits, *, ",", "-", "/"${odd >= 3 ? ' and names' : ''})`);
  // A step beyond the field's values (`*/61`) never repeats: a typo, which cron-parser lets through.
  const stepped = CRON_FIELDS.findIndex((field, index) => [...fields[index].matchAll(/\/(\d+)/g)].some(([, step]) => Number(step) < 1 || Number(step) > field.max));
  if (stepped >= 0) return problem(`its ${CRON_FIELDS[stepped].name} "${fields[stepped]}" steps by less than 1 or more than ${CRON_FIELDS[stepped].max}`);
  try {
    CronExpressionParser.parse(fields.join(' '));
  } catch (error) {
    return problem((error as Error).message);
  }
  return undefined;
}

/** The IANA time zones this runtime knows (canonical names; aliases such as Etc/UTC are checked with Intl too). */
const TIME_ZONES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('timeZone'));

/** The shape of an IANA zone name: `UTC`, `Etc/...` or `Area/Location` in the database's capitalisation. */
const TIME_ZONE_NAME = /^(UTC|Etc\/[A-Za-z0-9+-]+|[A-Z][A-Za-z_]+(\/[A-Z][A-Za-z0-9_+-]*)+)$/;

/**
 * Why `timeZone` is not an IANA time zone (`Europe/Berlin`, `Etc/UTC`), or undefined when it is:
 * one of `Intl.supportedValuesOf('timeZone')`, or an alias of one that Intl resolves, in the
 * database's spelling. Names the closest zones when it is not.
 */
export function timeZoneProblem(timeZone: string): string | undefined {
  if (TIME_ZONES.has(timeZone)) return undefined;
  if (TIME_ZONE_NAME.test(timeZone)) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
      return undefined;
    } catch {
      // not a zone Intl knows: fall through to the error
    }
  }
  const near = closeMatches(timeZone, TIME_ZONES);
  return `is not an IANA time zone (e.g. Europe/Berlin, Etc/UTC${near.length > 0 ? `; closest: ${near.join(', ')}` : ''})`;
}

/** When node groups stop and start. */
export interface OffHoursSchedule {
  /** Cron (minute hour day month weekday) of the scale-down to zero. @default "0 20 * * 1-5" */
  readonly stopCron?: string;
  /** Cron of the scale-up back to the node group's sizes. @default "0 7 * * 1-5" */
  readonly startCron?: string;
  /** IANA time zone both crons are read in. @default "Etc/UTC" */
  readonly timeZone?: string;
}
