/**
 * The address lock: every stateful resource's Terraform address per stack, for the environment
 * sets in {@link ADDRESS_LOCK_SETS}. A renamed construct id changes an address, and Terraform then
 * destroys the old resource and creates a new one; test/stacks/address-lock.test.ts compares a
 * fresh synthesis with the checked-in stacks/address-lock.json and fails on any difference.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { statefulKindOf } from '../constructs/core/stateful';
import { environmentSets } from '../environments';
import { synthesizePlatform } from './app';

/** The environment sets whose stateful addresses are locked. */
export const ADDRESS_LOCK_SETS = ['default', 'examples'] as const;

/** Stateful resource addresses (`type.name`, sorted) per stack, per environment set. */
export type AddressLock = Record<string, Record<string, string[]>>;

/** Where the lock is checked in, relative to the repository root. */
export const ADDRESS_LOCK_FILE = 'stacks/address-lock.json';

/** The stateful resources (`statefulKindOf`) of one synthesized directory: addresses per stack. */
export function statefulAddresses(outdir: string): Record<string, string[]> {
  const stacks = readdirSync(join(outdir, 'stacks')).sort();
  return Object.fromEntries(
    stacks.map((stack) => {
      const json = JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as { resource?: Record<string, Record<string, unknown>> };
      const addresses = Object.entries(json.resource ?? {})
        .filter(([type]) => statefulKindOf(type))
        .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));
      return [stack, addresses.sort()];
    }),
  );
}

/** Synthesizes every set of {@link ADDRESS_LOCK_SETS} into a temporary directory and collects its lock. */
export function computeAddressLock(): AddressLock {
  return Object.fromEntries(
    ADDRESS_LOCK_SETS.map((set) => {
      const outdir = mkdtempSync(join(tmpdir(), `idpkit-lock-${set}-`));
      try {
        synthesizePlatform({ environments: environmentSets[set], outdir });
        return [set, statefulAddresses(outdir)];
      } finally {
        rmSync(outdir, { recursive: true, force: true });
      }
    }),
  );
}
