/**
 * Decoding the JSON files idpkit commands read (synthesized stacks, cdktf manifests, Terraform
 * plans): the text parsed, its nesting bounded so no walk over it overflows the stack, and its
 * shape checked by one zod schema per input. Each problem comes back naming the path, the bad
 * value and what is allowed (the schema's error texts say what is allowed).
 */
import type { z } from 'zod';
import { IdpkitError, IdpkitErrorCode, describeValue } from './errors';
import { tooDeepAt } from './plain-data';

/**
 * How deep a JSON file a command reads may nest: deeper than any stack or plan Terraform writes
 * (a CRD schema inside a plan nests about 40 levels), shallow enough that no recursive walk over
 * it overflows the stack.
 */
export const MAX_JSON_NESTING = 256;

/** Most problems listed for one file; the rest are counted ("and 3 more"). */
export const MAX_PROBLEMS_PER_FILE = 5;

/** One step of a path into a JSON document: an object key or a list index. */
export type JsonPathStep = string | number;

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** A path as written in Terraform and jq: `resource.aws_s3_bucket.logs`, `actions[0]`, `tags["a b"]`. */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  return path
    .map((step, index) => {
      if (typeof step === 'number') return `[${step}]`;
      const key = String(step);
      if (PLAIN_KEY.test(key)) return index === 0 ? key : `.${key}`;
      return `[${JSON.stringify(key)}]`;
    })
    .join('');
}

/**
 * Parses a JSON file's text. Throws an IdpkitError `code` naming the file when the text is not
 * JSON or nests deeper than {@link MAX_JSON_NESTING} levels.
 *
 * @param file named in the messages
 * @param expected what the file should hold, e.g. "expected the stack's Terraform JSON (cdk.tf.json)"
 */
export function parseJsonFile(text: string, file: string, code: IdpkitErrorCode, expected: string): unknown {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new IdpkitError(code, [`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)}); ${expected}`]);
  }
  const deep = tooDeepAt(data, MAX_JSON_NESTING);
  if (deep) throw new IdpkitError(code, [`${file}: ${formatJsonPath(deep)}... nests deeper than ${MAX_JSON_NESTING} levels; ${expected}`]);
  return data;
}

/** A place where a value does not match its schema. */
export interface SchemaProblem {
  /** Where, from the top of the document. */
  readonly path: readonly JsonPathStep[];
  /** What is wrong there, starting with a verb: `is null: expected ...`, `has unknown field(s) x: ...`. */
  readonly message: string;
}

/** The value at `path`, or undefined. */
function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let node = value;
  for (const step of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, step)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[step];
  }
  return node;
}

/** A value for a message: `missing`, or JSON shortened. */
export const describeJsonValue = (value: unknown): string => (value === undefined ? 'missing' : describeValue(value));

/**
 * Where `value` does not match `schema`, in document order. The schema's own messages say what is
 * allowed; each problem adds the bad value (`is null: expected an object of resource names`) or the
 * unknown keys (`has unknown field(s) x: allowed ...`).
 */
export function schemaProblems(schema: z.ZodType, value: unknown): SchemaProblem[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const path = issue.path.map((step) => (typeof step === 'symbol' ? String(step) : step));
    if (issue.code === 'unrecognized_keys') return { path, message: `has unknown field(s) ${issue.keys.join(', ')}: ${issue.message}` };
    return { path, message: `is ${describeJsonValue(valueAt(value, issue.path))}: ${issue.message}` };
  });
}

/** At most {@link MAX_PROBLEMS_PER_FILE} lines, the rest counted (`<file>: and 3 more problems`). */
export function capProblems(problems: readonly string[], file: string): string[] {
  if (problems.length <= MAX_PROBLEMS_PER_FILE) return [...problems];
  return [...problems.slice(0, MAX_PROBLEMS_PER_FILE), `${file}: and ${problems.length - MAX_PROBLEMS_PER_FILE} more problems`];
}
