/**
 * How much of a week a scheduled node group runs, from its two Auto Scaling scheduled actions
 * (`<group>-off-hours-stop` and `-start`, constructs/infrastructure/cluster/off-hours.ts): the
 * minutes of a week between a start and the next stop, both cron expressions in one time zone.
 */

const MINUTES_PER_WEEK = 7 * 24 * 60;

/** The values of one cron field (`*`, `5`, `1-5`, `0,30`, `*\/15`), or undefined when it cannot be read. */
function cronValues(field: string, min: number, max: number): Set<number> | undefined {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) return undefined;
    const from = match[1] === '*' ? min : Number(match[2]);
    const to = match[1] === '*' ? max : match[3] !== undefined ? Number(match[3]) : match[4] !== undefined ? max : from;
    const step = match[4] !== undefined ? Number(match[4]) : 1;
    if (from < min || to > max || from > to || step < 1) return undefined;
    for (let value = from; value <= to; value += step) values.add(value === 7 && max === 7 ? 0 : value);
  }
  return values;
}

/** The minutes of a week (0 = Sunday 00:00) a weekly cron expression fires at, or undefined when it is not weekly (day of month or month set). */
function weeklyFirings(cron: string): Set<number> | undefined {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5 || fields[2] !== '*' || fields[3] !== '*') return undefined;
  const minutes = cronValues(fields[0], 0, 59);
  const hours = cronValues(fields[1], 0, 23);
  const days = cronValues(fields[4], 0, 7);
  if (!minutes || !hours || !days) return undefined;
  const firings = new Set<number>();
  for (const day of days) for (const hour of hours) for (const minute of minutes) firings.add(day * 1440 + hour * 60 + minute);
  return firings;
}

/**
 * The share of a week a node group is up when it scales down at `stop` and back at `start`, as
 * the whole minutes up over the minutes of a week, or undefined when either schedule is not a
 * weekly cron (then the group is counted as always up).
 *
 * @example
 * runningShareOfWeek('0 20 * * 1-5', '0 7 * * 1-5'); // { upMinutes: 3900, weekMinutes: 10080 } (65 of 168 hours)
 */
export function runningShareOfWeek(stop: string, start: string): { readonly upMinutes: number; readonly weekMinutes: number } | undefined {
  const stops = weeklyFirings(stop);
  const starts = weeklyFirings(start);
  if (!stops || !starts || stops.size === 0 || starts.size === 0) return undefined;
  // Two passes: the first settles the state at the start of the week, the second counts.
  let up = true;
  let upMinutes = 0;
  for (let pass = 0; pass < 2; pass += 1) {
    for (let minute = 0; minute < MINUTES_PER_WEEK; minute += 1) {
      if (stops.has(minute)) up = false;
      if (starts.has(minute)) up = true;
      if (pass === 1 && up) upMinutes += 1;
    }
  }
  return { upMinutes, weekMinutes: MINUTES_PER_WEEK };
}
