import { describeValue, IdpkitError } from '../../../core/errors';
import type { ProvisionRequest } from '../types';

/** One parameter a resource type accepts in `params`. */
export interface ParamSpec<T = unknown> {
  /** What it is, with an example, for messages and docs. */
  readonly description: string;
  /** Why the value is not acceptable (`is not ...`), or undefined when it is (then it is a `T`). */
  check(value: unknown): string | undefined;
  /** Never set: carries the value's type for {@link readParams}. @default - none */
  readonly type?: T;
}

type ParamValues<S extends Record<string, ParamSpec>> = { readonly [K in keyof S]?: S[K] extends ParamSpec<infer T> ? T : never };

/** A string parameter, optionally matching a pattern described by `description`. */
export function stringParam(description: string, pattern?: RegExp): ParamSpec<string> {
  return {
    description,
    check: (value) => (typeof value !== 'string' ? 'is not a string' : pattern && !pattern.test(value) ? `is not ${description}` : undefined),
  };
}

/** A whole-number parameter within a range. */
export function integerParam(description: string, minimum: number, maximum: number): ParamSpec<number> {
  return {
    description,
    check: (value) => (Number.isInteger(value) && (value as number) >= minimum && (value as number) <= maximum ? undefined : `is not ${description} (a whole number from ${minimum} to ${maximum})`),
  };
}

/** A parameter that is one of a few strings. */
export function choiceParam<T extends string>(description: string, choices: readonly T[]): ParamSpec<T> {
  return { description, check: (value) => (choices.includes(value as T) ? undefined : `is not one of ${choices.map((choice) => `"${choice}"`).join(', ')}`) };
}

/**
 * The params of a resource, checked against what its type accepts: every unknown key and bad
 * value is one message naming `<file>: resources.<name>.params.<key>`, the value and what is allowed.
 *
 * @throws IdpkitError `IDPKIT_INVALID_WORKLOAD` with every problem
 */
export function readParams<S extends Record<string, ParamSpec>>(request: ProvisionRequest, specs: S): ParamValues<S> {
  const params = request.resource.params ?? {};
  const problems: string[] = [];
  const known = Object.keys(specs);
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    const spec = specs[key];
    const at = `${request.at}.params.${key}`;
    if (!spec) {
      problems.push(`${at} is not a parameter of type "${request.resource.type}" (parameters: ${known.length > 0 ? known.join(', ') : 'none'})`);
      continue;
    }
    const problem = spec.check(value);
    if (problem) problems.push(`${at} ${describeValue(value)} ${problem}`);
    else values[key] = value;
  }
  if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_WORKLOAD', problems);
  return values as ParamValues<S>;
}
