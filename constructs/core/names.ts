import { createHash } from 'node:crypto';

/** Hex digits of SHA-256 that {@link fitName} puts in a shortened name. */
const HASH_LENGTH = 6;

/**
 * A name that fits a cloud's length limit and stays unique: `<head><tail>` itself when it has at
 * most `maxLength` characters, else `head` cut (and stripped of trailing `-`), `-`, 6 hex of
 * SHA-256 over the full name, and `tail` kept whole, so the part that tells names apart (e.g. the
 * workload) stays readable. Deterministic; where a plain cut would make
 * `idp-staging-eu-external-secrets` and `idp-staging-eu-external-dns` one id, these still differ.
 * A `tail` too long to keep is cut with the head.
 *
 * @example
 * fitName('idp-large-gcp-staging', 30, '-external-secrets'); // 'idp-la-2df2f1-external-secrets'
 */
export function fitName(head: string, maxLength: number, tail = ''): string {
  const full = `${head}${tail}`;
  if (full.length <= maxLength) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, HASH_LENGTH);
  const keep = maxLength - HASH_LENGTH - 1 - tail.length;
  if (keep < 1) return `${full.slice(0, maxLength - HASH_LENGTH - 1).replace(/-+$/, '')}-${hash}`;
  return `${head.slice(0, keep).replace(/-+$/, '')}-${hash}${tail}`;
}

/**
 * Edit distance (insertions, deletions, substitutions) between two strings when it is at most
 * `limit`, else some number above `limit`. A common start and end change nothing, so only what
 * lies between is compared, and a row whose every entry is above the limit ends the count.
 */
function editDistanceWithin(a: string, b: string, limit: number): number {
  // Strings whose lengths differ by more than the limit are further apart than it.
  if (a.length - b.length > limit || b.length - a.length > limit) return limit + 1;
  let start = 0;
  while (start < a.length && start < b.length && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  const rows = endA - start;
  const columns = endB - start;
  let previous: number[] = [];
  for (let j = 0; j <= columns; j++) previous.push(j);
  let current: number[] = previous.slice();
  for (let i = 1; i <= rows; i++) {
    current[0] = i;
    let rowMinimum = i;
    const code = a.charCodeAt(start + i - 1);
    for (let j = 1; j <= columns; j++) {
      const deletion = previous[j] + 1;
      const insertion = current[j - 1] + 1;
      const substitution = previous[j - 1] + (code === b.charCodeAt(start + j - 1) ? 0 : 1);
      const distance = deletion < insertion ? (deletion < substitution ? deletion : substitution) : insertion < substitution ? insertion : substitution;
      current[j] = distance;
      if (distance < rowMinimum) rowMinimum = distance;
    }
    if (rowMinimum > limit) return limit + 1;
    const done = previous;
    previous = current;
    current = done;
  }
  return previous[columns];
}

/**
 * The `count` names of `candidates` closest to `value` (edit distance, ignoring case), nearest
 * first, for "did you mean" hints; only those within a third of the value's length (at least 2).
 *
 * @example
 * closeMatches('m7i.lage', ['m7i.large', 'm7i.xlarge', 't3.large']); // ['m7i.large', 'm7i.xlarge', 't3.large']
 */
export function closeMatches(value: string, candidates: Iterable<string>, count = 3): string[] {
  const wanted = value.toLowerCase().slice(0, 200);
  let within = Math.max(2, Math.ceil(wanted.length / 3));
  const close: { readonly candidate: string; readonly distance: number }[] = [];
  // The `count` smallest distances so far, ascending: a name further than all of them is not among the nearest.
  const nearest: number[] = [];
  for (const candidate of candidates) {
    const distance = editDistanceWithin(wanted, candidate.toLowerCase(), within);
    if (distance > within) continue;
    close.push({ candidate, distance });
    if (count < 1) continue;
    let at = nearest.length;
    while (at > 0 && nearest[at - 1] > distance) at--;
    nearest.splice(at, 0, distance);
    if (nearest.length > count) nearest.pop();
    if (nearest.length === count) within = nearest[count - 1];
  }
  return close
    .filter(({ distance }) => distance <= within)
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, count)
    .map(({ candidate }) => candidate);
}
