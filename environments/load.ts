import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { IdpkitError, IdpkitErrorCode } from '../constructs/core/errors';
import { MAX_NESTING, nullPrototypeReviver } from '../constructs/core/plain-data';
import { readTextFile } from '../constructs/core/text-files';
import { Environment, PolicyConfig, validateEnvironment, validatePolicy } from './types';

/** Parses a `.json`, `.yaml` or `.yml` file (UTF-8 or UTF-16: {@link readTextFile}); throws IdpkitError `code` naming the file when it cannot. */
function readConfigFile(path: string, code: IdpkitErrorCode, what: string): unknown {
  const extension = extname(path).toLowerCase();
  const text = readTextFile(path, code);
  try {
    // Objects without a prototype: no key of the file (`__proto__`, `constructor`) reaches Object.prototype.
    if (extension === '.json') return JSON.parse(text, nullPrototypeReviver);
    if (extension === '.yaml' || extension === '.yml') return parseYaml(text, nullPrototypeReviver);
    throw new Error(`unsupported file type "${extension}" (use .json, .yaml or .yml)`);
  } catch (error) {
    const reason = error instanceof RangeError ? `it nests too deeply to read (at most ${MAX_NESTING} levels)` : (error as Error).message;
    throw new IdpkitError(code, [`${path}: cannot be read as ${what}: ${reason}`]);
  }
}

/**
 * Reads one environment from a `.json`, `.yaml` or `.yml` file and validates it with the same
 * schema and messages as a TypeScript environment.
 */
export function loadEnvironmentFile(path: string): Environment {
  return validateEnvironment(readConfigFile(path, 'IDPKIT_INVALID_ENVIRONMENT', 'an environment'), path);
}

/**
 * Reads a policy file (`{ suppressions: [{ rule, resource, reason }] }`, the format of an
 * environment's `policy` field) from `.json`, `.yaml` or `.yml`, for `idpkit check --suppressions`.
 */
export function loadPolicyFile(path: string): PolicyConfig {
  return validatePolicy(readConfigFile(path, 'IDPKIT_INVALID_POLICY', 'a policy file'), path);
}

/** The environment variable that limits synthesis to some environments, e.g. `dev,staging`. */
export const ENVIRONMENT_SELECTOR_VARIABLE = 'IDPKIT_ENVIRONMENTS';

/**
 * The environments named in a comma-separated selection (e.g. the value of IDPKIT_ENVIRONMENTS),
 * in the order given; all of them when the selection is empty or unset.
 */
export function selectEnvironments<T extends { readonly name: string }>(all: readonly T[], selection: string | undefined): T[] {
  const names = (selection ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) return [...all];
  // Entries are not validated yet (a module may export null): match on names that are there.
  const nameOf = (env: T | null | undefined): unknown => (typeof env === 'object' && env !== null ? env.name : undefined);
  const unknown = names.filter((name) => !all.some((env) => nameOf(env) === name));
  if (unknown.length > 0) {
    throw new IdpkitError('IDPKIT_UNKNOWN_ENVIRONMENT', [
      `${ENVIRONMENT_SELECTOR_VARIABLE}=${selection}: no environment named ${unknown.map((n) => `"${n}"`).join(', ')} (allowed: ${all.map(nameOf).filter((name) => typeof name === 'string').join(', ')})`,
    ]);
  }
  return [...new Set(names)].map((name) => all.find((env) => nameOf(env) === name)!);
}

/** The environment variable that picks a named set of environments, e.g. `examples`. */
export const ENVIRONMENT_SET_VARIABLE = 'IDPKIT_ENVIRONMENT_SET';

/** The named set of environments (e.g. the value of IDPKIT_ENVIRONMENT_SET); `default` when unset or empty. */
export function chooseEnvironmentSet<T>(sets: Readonly<Record<string, readonly T[]>>, name: string | undefined): readonly T[] {
  const chosen = name?.trim() || 'default';
  // Own keys only: `constructor` or `__proto__` name no set.
  const set = Object.hasOwn(sets, chosen) ? sets[chosen] : undefined;
  if (!Array.isArray(set)) {
    throw new IdpkitError('IDPKIT_UNKNOWN_ENVIRONMENT', [
      `${ENVIRONMENT_SET_VARIABLE}=${name}: no environment set named "${chosen}" (allowed: ${Object.keys(sets).join(', ')})`,
    ]);
  }
  return set;
}
