import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { IdpkitError, IdpkitErrorCode } from '../constructs/core/errors';
import { readTextFile } from '../constructs/core/text-files';
import { Environment, PolicyConfig, validateEnvironment, validatePolicy } from './types';

/** Parses a `.json`, `.yaml` or `.yml` file (UTF-8 or UTF-16: {@link readTextFile}); throws IdpkitError `code` naming the file when it cannot. */
function readConfigFile(path: string, code: IdpkitErrorCode, what: string): unknown {
  const extension = extname(path).toLowerCase();
  const text = readTextFile(path, code);
  try {
    if (extension === '.json') return JSON.parse(text);
    if (extension === '.yaml' || extension === '.yml') return parseYaml(text);
    throw new Error(`unsupported file type "${extension}" (use .json, .yaml or .yml)`);
  } catch (error) {
    throw new IdpkitError(code, [`${path}: cannot be read as ${what}: ${(error as Error).message}`]);
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
  const unknown = names.filter((name) => !all.some((env) => env.name === name));
  if (unknown.length > 0) {
    throw new IdpkitError('IDPKIT_UNKNOWN_ENVIRONMENT', [
      `${ENVIRONMENT_SELECTOR_VARIABLE}=${selection}: no environment named ${unknown.map((n) => `"${n}"`).join(', ')} (allowed: ${all.map((env) => env.name).join(', ')})`,
    ]);
  }
  return [...new Set(names)].map((name) => all.find((env) => env.name === name)!);
}

/** The environment variable that picks a named set of environments, e.g. `examples`. */
export const ENVIRONMENT_SET_VARIABLE = 'IDPKIT_ENVIRONMENT_SET';

/** The named set of environments (e.g. the value of IDPKIT_ENVIRONMENT_SET); `default` when unset or empty. */
export function chooseEnvironmentSet<T>(sets: Readonly<Record<string, readonly T[]>>, name: string | undefined): readonly T[] {
  const chosen = name?.trim() || 'default';
  const set = Object.hasOwn(sets, chosen) ? sets[chosen] : undefined;
  if (!set) {
    throw new IdpkitError('IDPKIT_UNKNOWN_ENVIRONMENT', [
      `${ENVIRONMENT_SET_VARIABLE}=${name}: no environment set named "${chosen}" (allowed: ${Object.keys(sets).join(', ')})`,
    ]);
  }
  return set;
}
