import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import { describeValue, IdpkitError } from '../../core/errors';
import SCORE_SCHEMA from './score/score-v1b1.json';
import type { ScoreFile, ScoreWorkloadSpec } from './types';

/** The Score specification version idpkit reads. */
export const SCORE_API_VERSION = 'score.dev/v1b1';

/**
 * What each pattern of the Score schema allows, in words (the schema's own regular expressions are
 * the fallback for a pattern not listed).
 */
const PATTERN_TEXT: Readonly<Record<string, string>> = {
  '^score\\.dev/v1b1$': `"${SCORE_API_VERSION}", the Score version idpkit reads`,
  '^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$': 'a DNS label: 2 to 63 lowercase letters, digits and "-", starting and ending with a letter or digit (e.g. "web-api")',
  '^[A-Za-z0-9][A-Za-z0-9-]{0,61}[A-Za-z0-9]$': '2 to 63 letters, digits and "-", starting and ending with a letter or digit (e.g. "postgres")',
  '^[a-z0-9]+(?:-+[a-z0-9]+)*(?:\\.[a-z0-9]+(?:-+[a-z0-9]+)*)*$': 'lowercase letters, digits and "-" in labels separated by "." (e.g. "orders-db" or "shop.orders-db")',
  '^(([a-z0-9][a-z0-9-]{0,61}[a-z0-9])(\\.[a-z0-9][a-z0-9-]{0,61}[a-z0-9])*/)?[A-Za-z0-9][A-Za-z0-9._-]{0,61}[A-Za-z0-9]$':
    'an annotation key: an optional DNS name and "/", then 2 to 63 letters, digits, ".", "_" and "-" (e.g. "example.com/owner")',
  '^(0\\.\\d+|[1-9]\\d*(\\.\\d+)?)(K|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$': 'bytes with an optional unit of K, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei (e.g. "512Mi" or "1.5Gi")',
  '^\\d+(?:m|\\.\\d+)?$': 'whole or fractional CPUs, or millicores with "m" (e.g. "2", "0.5" or "250m")',
  '^0?[0-7]{3}$': 'an octal file mode of three digits, optionally after a 0 (e.g. "0600" or "644")',
  '^[A-Za-z0-9_-]+$': 'letters, digits, "_" and "-"',
  '^[^=]+$': 'any characters but "="',
};

/** Readable names of JSON types, for messages. */
const TYPE_TEXT: Readonly<Record<string, string>> = { array: 'a list', object: 'a map', string: 'a string', integer: 'a whole number', number: 'a number', boolean: 'true or false', null: 'null' };

let validator: ValidateFunction | undefined;

/** The compiled Score schema (compiled once, on first use: compiling takes tens of milliseconds). */
function scoreValidator(): ValidateFunction {
  validator ??= new Ajv2020({ allErrors: true, verbose: true }).compile(SCORE_SCHEMA);
  return validator;
}

/** One step of a path into a document: a map key or a list index. */
type PathStep = string | number;

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * A path into a Score document as users write it: `containers.web.image`, `args[0]`,
 * `files["/etc/app.conf"].mode` (keys that are not plain names are quoted).
 */
export function formatPath(steps: readonly PathStep[]): string {
  return steps
    .map((step, index) => {
      if (typeof step === 'number') return `[${step}]`;
      if (PLAIN_KEY.test(step)) return index === 0 ? step : `.${step}`;
      return `[${JSON.stringify(step)}]`;
    })
    .join('');
}

/** The steps of an ajv instance path (a JSON pointer), list indexes as numbers (known from the document). */
function pointerSteps(document: unknown, pointer: string): PathStep[] {
  if (pointer === '') return [];
  const steps: PathStep[] = [];
  let node = document;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const step = Array.isArray(node) ? Number(key) : key;
    steps.push(step);
    node = node !== null && typeof node === 'object' ? (node as Record<PathStep, unknown>)[step] : undefined;
  }
  return steps;
}

/** The JSON type of a value as the schema names it. */
function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Whether a value is of a schema type (`integer` is a `number` too). */
function isOfType(value: unknown, type: string): boolean {
  const actual = jsonType(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

/** The `required` property names of the branches of a `oneOf` or `anyOf`, when every branch is only that. */
function requiredAlternatives(branches: readonly Record<string, unknown>[]): string[] | undefined {
  if (!branches.every((branch) => Object.keys(branch).length === 1 && Array.isArray(branch.required) && branch.required.length === 1)) return undefined;
  return branches.map((branch) => (branch.required as string[])[0]);
}

const quoteAll = (names: readonly string[]): string => names.map((name) => `"${name}"`).join(', ');

/**
 * Readable messages for ajv's errors, one per problem: each names the file, the path, the bad
 * value and what the schema allows. Errors that only restate another (the `oneOf` of the list and
 * map forms when the value is one of them, lengths next to a pattern, `propertyNames` wrappers)
 * are dropped.
 */
function schemaMessages(source: string, document: unknown, errors: readonly ErrorObject[]): string[] {
  const dropped = new Set<ErrorObject>();
  const at = (error: ErrorObject) => `${error.instancePath}\u0000${error.propertyName ?? ''}`;
  for (const error of errors) {
    if (error.keyword === 'propertyNames') dropped.add(error);
    if (error.keyword !== 'oneOf' && error.keyword !== 'anyOf') continue;
    const branches = (error.parentSchema?.[error.keyword] ?? []) as Record<string, unknown>[];
    const sameSpot = errors.filter((other) => other !== error && at(other) === at(error));
    const alternatives = requiredAlternatives(branches);
    if (alternatives) {
      for (const other of sameSpot) if (other.keyword === 'required' && alternatives.includes(other.params.missingProperty)) dropped.add(other);
      continue;
    }
    const types = branches.map((branch) => branch.type).filter((type): type is string => typeof type === 'string');
    if (types.length !== branches.length) continue;
    for (const other of sameSpot) if (other.keyword === 'type' && types.includes(other.params.type)) dropped.add(other);
    // The value is a list or a map: the errors inside the matching form say what is wrong.
    if (types.some((type) => isOfType(error.data, type))) dropped.add(error);
  }
  const patterned = new Set(errors.filter((error) => error.keyword === 'pattern').map(at));
  for (const error of errors) if ((error.keyword === 'minLength' || error.keyword === 'maxLength') && patterned.has(at(error))) dropped.add(error);
  const messages = errors.filter((error) => !dropped.has(error)).map((error) => `${source}: ${schemaMessage(document, error)}`);
  return [...new Set(messages)];
}

/** One ajv error in words: `<path> <value> <what is wrong>; <what is allowed>`. */
function schemaMessage(document: unknown, error: ErrorObject): string {
  const steps = pointerSteps(document, error.instancePath);
  const where = (extra: readonly PathStep[] = []) => formatPath([...steps, ...extra]) || '(the document)';
  const value = describeValue(error.data);
  const schema = error.parentSchema ?? {};
  const params = error.params;
  if (error.propertyName !== undefined) {
    // A key of a map (a container, port or resource name, an annotation or variable name).
    return `${where()}: the name ${JSON.stringify(error.propertyName)} is not allowed: must be ${allowedText(error, schema)}`;
  }
  switch (error.keyword) {
    case 'required':
      return `${where([params.missingProperty])} is missing (required)`;
    case 'additionalProperties': {
      const allowed = Object.keys((schema.properties ?? {}) as object);
      return `${where([params.additionalProperty])} is not a field of Score ${SCORE_API_VERSION} here (allowed: ${allowed.join(', ')})`;
    }
    case 'type': {
      const expected = TYPE_TEXT[params.type] ?? params.type;
      // YAML reads `0600` as the number 600 and `yes` as true: only quotes keep the text.
      const quote = params.type === 'string' && ['integer', 'number', 'boolean'].includes(jsonType(error.data)) ? ' (write it in quotes)' : '';
      return `${where()} ${value} is ${TYPE_TEXT[jsonType(error.data)] ?? jsonType(error.data)}, expected ${expected}${quote}`;
    }
    case 'enum':
      return `${where()} ${value} is not allowed: must be one of ${(params.allowedValues as unknown[]).map((allowed) => JSON.stringify(allowed)).join(', ')}`;
    case 'minimum':
    case 'maximum':
      return `${where()} ${value} is out of range: must be ${schema.minimum ?? '-'} to ${schema.maximum ?? '-'}`;
    case 'minProperties':
      return `${where()} is empty (give at least ${params.limit})`;
    case 'oneOf':
    case 'anyOf':
      return alternativesMessage(where(), value, error);
    case 'not':
      return `${where(['target'])}: "target" belongs to the deprecated list form; in the map form the key is the target path (remove "target")`;
    default:
      return `${where()} ${value} is not allowed: must be ${allowedText(error, schema)}`;
  }
}

/** What a `pattern` or length allows, in words. */
function allowedText(error: ErrorObject, schema: Record<string, unknown>): string {
  if (error.keyword === 'pattern') return PATTERN_TEXT[error.params.pattern] ?? `a string matching /${error.params.pattern}/`;
  if (error.keyword === 'minLength') return error.params.limit === 1 ? 'not empty' : `at least ${error.params.limit} characters`;
  if (error.keyword === 'maxLength') return `at most ${error.params.limit} characters`;
  return `valid against the Score schema (${error.message ?? error.keyword}${schema.description ? `: ${schema.description}` : ''})`;
}

/** A value that matches none, or more than one, of the alternatives of a `oneOf` / `anyOf`. */
function alternativesMessage(where: string, value: string, error: ErrorObject): string {
  const branches = (error.parentSchema?.[error.keyword] ?? []) as Record<string, unknown>[];
  const alternatives = requiredAlternatives(branches);
  if (alternatives) {
    const present = alternatives.filter((name) => error.data !== null && typeof error.data === 'object' && name in error.data);
    if (error.keyword === 'anyOf') return `${where} has none of ${quoteAll(alternatives)} (give at least one)`;
    return present.length === 0
      ? `${where} has none of ${quoteAll(alternatives)} (give exactly one)`
      : `${where} has both ${present.map((name) => `"${name}"`).join(' and ')} (give exactly one of ${quoteAll(alternatives)})`;
  }
  const types = branches.map((branch) => TYPE_TEXT[String(branch.type)] ?? String(branch.type));
  return `${where} ${value} is ${TYPE_TEXT[jsonType(error.data)] ?? jsonType(error.data)}, expected ${types.join(' or ')}`;
}

/** The result of reading one Score file: the workload, or every problem found (then no workload). */
export interface ScoreReadResult {
  /** The validated workload, with `files` and `volumes` in the map form. @default - none: there are problems */
  readonly workload?: ScoreWorkloadSpec;
  /** What is wrong, one message per problem, each starting with the file. */
  readonly problems: readonly string[];
}

/** The document of a Score file: JSON for `.json`, YAML otherwise. */
function parseText(file: ScoreFile): { document?: unknown; problems: string[] } {
  if (extname(file.path).toLowerCase() === '.json') {
    try {
      return { document: JSON.parse(file.text), problems: [] };
    } catch (error) {
      return { problems: [`${file.path}: is not valid JSON: ${(error as Error).message}`] };
    }
  }
  const parsed = parseDocument(file.text, { prettyErrors: true });
  // The first syntax error only: the ones after it mostly follow from it.
  if (parsed.errors.length > 0) return { problems: [`${file.path}: is not valid YAML: ${parsed.errors[0].message.split('\n')[0].replace(/:$/, '')}`] };
  return { document: parsed.toJS({ maxAliasCount: 100 }), problems: [] };
}

/**
 * Reads one Score file without throwing: parses it (YAML, or JSON for `.json`), validates it
 * against the Score v1b1 JSON Schema and turns the deprecated list forms of `files` and `volumes`
 * into the map form.
 */
export function readScoreFile(file: ScoreFile): ScoreReadResult {
  const { document, problems } = parseText(file);
  if (problems.length > 0) return { problems };
  return checkScoreWorkload(document, file.path);
}

/** Validates a parsed Score document (see {@link readScoreFile}); `source` names it in messages. */
export function checkScoreWorkload(document: unknown, source: string): ScoreReadResult {
  if (document === null || document === undefined) return { problems: [`${source}: is empty (a Score workload has apiVersion: ${SCORE_API_VERSION}, metadata and containers)`] };
  if (typeof document !== 'object' || Array.isArray(document)) {
    return { problems: [`${source}: ${describeValue(document)} is not a Score workload (expected a map with apiVersion: ${SCORE_API_VERSION}, metadata and containers)`] };
  }
  const validate = scoreValidator();
  if (!validate(document)) return { problems: schemaMessages(source, document, validate.errors ?? []) };
  const problems: string[] = [];
  const workload = normalised(document as ScoreWorkloadSpec & { containers: Record<string, Record<string, unknown>> }, source, problems);
  return problems.length > 0 ? { problems } : { workload, problems: [] };
}

/**
 * Parses and validates one Score file (see {@link readScoreFile}).
 *
 * @throws IdpkitError `IDPKIT_INVALID_WORKLOAD` with every problem of the file
 * @example
 * const workload = parseScoreFile({ path: 'score.yaml', text: readFileSync('score.yaml', 'utf8') });
 */
export function parseScoreFile(file: ScoreFile): ScoreWorkloadSpec {
  const result = readScoreFile(file);
  if (!result.workload) throw new IdpkitError('IDPKIT_INVALID_WORKLOAD', result.problems);
  return result.workload;
}

/**
 * Validates a parsed Score document (see {@link readScoreFile}): for workloads given as data.
 *
 * @throws IdpkitError `IDPKIT_INVALID_WORKLOAD` with every problem, each naming `source`
 */
export function validateScoreWorkload(document: unknown, source: string): ScoreWorkloadSpec {
  const result = checkScoreWorkload(document, source);
  if (!result.workload) throw new IdpkitError('IDPKIT_INVALID_WORKLOAD', result.problems);
  return result.workload;
}

/** Fields of Score v1b1 idpkit does not implement, with why, by container field. */
const UNSUPPORTED_CONTAINER_FIELDS: Readonly<Record<string, string>> = {
  before:
    'is not supported by idpkit (start order between containers): run a one-off step as its own workload, or make the container wait for what it needs',
};

/** The workload with `files` and `volumes` in the map form; problems of the list form (a missing or repeated `target`) and unsupported fields are added to `problems`. */
function normalised(document: ScoreWorkloadSpec & { containers: Record<string, Record<string, unknown>> }, source: string, problems: string[]): ScoreWorkloadSpec {
  const containers = Object.fromEntries(
    Object.entries(document.containers).map(([name, container]) => {
      for (const [field, why] of Object.entries(UNSUPPORTED_CONTAINER_FIELDS)) {
        if (field in container) problems.push(`${source}: ${formatPath(['containers', name, field])} ${why}`);
      }
      const at = ['containers', name];
      return [
        name,
        {
          ...container,
          ...(container.files === undefined ? {} : { files: mapForm(container.files, [...at, 'files'], source, problems) }),
          ...(container.volumes === undefined ? {} : { volumes: mapForm(container.volumes, [...at, 'volumes'], source, problems) }),
        },
      ];
    }),
  );
  return { ...document, containers } as ScoreWorkloadSpec;
}

/** A `files` or `volumes` value in the map form (target -> entry without `target`). */
function mapForm(value: unknown, at: readonly PathStep[], source: string, problems: string[]): Record<string, unknown> {
  if (!Array.isArray(value)) return value as Record<string, unknown>;
  const entries: Record<string, unknown> = {};
  const firstIndex = new Map<string, number>();
  value.forEach((item: Record<string, unknown>, index) => {
    const { target, ...entry } = item;
    if (typeof target !== 'string' || target === '') {
      problems.push(`${source}: ${formatPath([...at, index, 'target'])} is missing (the list form needs the target path of each entry; or write ${formatPath(at)} as a map of target path to entry)`);
      return;
    }
    const first = firstIndex.get(target);
    if (first !== undefined) {
      problems.push(`${source}: ${formatPath([...at, index, 'target'])} "${target}" is also the target of ${formatPath([...at, first])} (mount each path once)`);
      return;
    }
    firstIndex.set(target, index);
    entries[target] = entry;
  });
  return entries;
}
