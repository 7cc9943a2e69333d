/**
 * Fault injection for code that writes files: counts the calls that change the file system and
 * runs a fault (throw an error, kill the process) at a chosen one. Works on code that imports
 * from `node:fs` by name, as swc's CommonJS output reads the module's property at each call.
 */
import fs from 'node:fs';

/** The `node:fs` calls that change the file system, each one a step a fault can hit. */
export const MUTATING_FS_CALLS = ['mkdirSync', 'mkdtempSync', 'chmodSync', 'symlinkSync', 'renameSync', 'linkSync', 'copyFileSync', 'rmSync', 'rmdirSync', 'unlinkSync', 'writeFileSync'] as const;

/** What {@link injectFault} installed. */
export interface FaultInjection {
  /** How many mutating calls ran (or were attempted) so far. */
  readonly calls: () => number;
  /** Puts the real functions back. */
  readonly restore: () => void;
}

/**
 * Wraps every {@link MUTATING_FS_CALLS} function: call number `at` (1-based) runs `fault` instead
 * of the call, once; `at` 0 only counts.
 */
export function injectFault(at: number, fault: (call: string, args: unknown[]) => never): FaultInjection {
  const module = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
  const originals = Object.fromEntries(MUTATING_FS_CALLS.map((name) => [name, module[name]]));
  let calls = 0;
  for (const name of MUTATING_FS_CALLS) {
    module[name] = (...args: unknown[]) => {
      calls += 1;
      if (calls === at) fault(name, args);
      return originals[name](...args);
    };
  }
  return {
    calls: () => calls,
    restore: () => {
      for (const name of MUTATING_FS_CALLS) module[name] = originals[name];
    },
  };
}
