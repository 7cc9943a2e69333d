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
