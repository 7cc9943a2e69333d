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
 * `limit`, else some number above `limit`: a row whose every entry is above the limit ends the
 * count. The loops read no globals such as `Math`: in a `vm` context (jest runs tests in one) each
 * global lookup is slow, and closeMatches measures a value against thousands of names.
 */
function editDistanceWithin(a: string, b: string, limit: number): number {
  // Strings whose lengths differ by more than the limit are further apart than it.
  if (a.length - b.length > limit || b.length - a.length > limit) return limit + 1;
  let previous: number[] = [];
  for (let j = 0; j <= b.length; j++) previous.push(j);
  let current: number[] = previous.slice();
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMinimum = i;
    const code = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const deletion = previous[j] + 1;
      const insertion = current[j - 1] + 1;
      const substitution = previous[j - 1] + (code === b.charCodeAt(j - 1) ? 0 : 1);
      const distance = deletion < insertion ? (deletion < substitution ? deletion : substitution) : insertion < substitution ? insertion : substitution;
      current[j] = distance;
      if (distance < rowMinimum) rowMinimum = distance;
    }
    if (rowMinimum > limit) return limit + 1;
    const done = previous;
    previous = current;
    current = done;
  }
  return previous[b.length];
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
  const limit = Math.max(2, Math.ceil(wanted.length / 3));
  return [...candidates]
    .map((candidate) => ({ candidate, distance: editDistanceWithin(wanted, candidate.toLowerCase(), limit) }))
    .filter(({ distance }) => distance <= limit)
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, count)
    .map(({ candidate }) => candidate);
}
