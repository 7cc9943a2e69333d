/**
 * Guards for configuration read from users (environment files, TypeScript environment objects)
 * before anything walks it recursively: a bound on nesting, no cycles, only plain objects and
 * lists, and none of the keys that reach an object's prototype.
 */

/** How deep configuration may nest; idpkit's own schema needs about 8 levels, escape hatches a few more. */
export const MAX_NESTING = 64;

/** Keys that reach or replace an object's prototype when merged or looked up; never valid fields. */
export const PROTOTYPE_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** A problem with the shape of some input: where (the path, cut to a readable length) and what. */
export interface StructureProblem {
  /** Where: the keys down to the problem, cut to the first few. */
  readonly path: readonly (string | number)[];
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/** How many keys of a path a problem names at most (deeper ones are where nesting is the problem). */
const SHOWN_PATH_KEYS = 8;

/**
 * Whether `value` is a plain object or list: its prototype is none, or `Object.prototype` or
 * `Array.prototype` of any realm (an environment built in a `vm` context or a jest test file is as
 * plain as one built here), never a class's or another object's.
 */
const isPlainPrototype = (value: object): boolean => {
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === null) return true;
  // A realm's Array.prototype is itself an array whose prototype is that realm's Object.prototype; a subclass's is not an array.
  if (Array.isArray(value)) return Array.isArray(prototype) && isObjectPrototype(Object.getPrototypeOf(prototype));
  return isObjectPrototype(prototype);
};

/** Whether `candidate` is some realm's `Object.prototype`: no prototype of its own, and `Object` as its constructor. */
function isObjectPrototype(candidate: unknown): boolean {
  if (typeof candidate !== 'object' || candidate === null || Object.getPrototypeOf(candidate) !== null) return false;
  const constructor: unknown = Object.getOwnPropertyDescriptor(candidate, 'constructor')?.value;
  return typeof constructor === 'function' && constructor.name === 'Object' && constructor.prototype === candidate;
}

/**
 * What in `value` no validation should walk into: nesting deeper than {@link MAX_NESTING}, a
 * cycle, an object that is not a plain object or list (a class instance, a `Map`, an object
 * literal with `__proto__: ...`), or a key of {@link PROTOTYPE_KEYS}. Walks at most
 * {@link MAX_NESTING} levels, so it cannot overflow the stack itself.
 */
export function structureProblems(value: unknown): StructureProblem[] {
  const problems: StructureProblem[] = [];
  const ancestors = new Set<object>();
  const shown = (path: readonly (string | number)[]) => path.slice(0, SHOWN_PATH_KEYS);
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (typeof node !== 'object' || node === null) return;
    if (ancestors.has(node)) {
      problems.push({ path: shown(path), message: 'refers to itself (a cycle): give plain data' });
      return;
    }
    if (path.length >= MAX_NESTING) {
      problems.push({ path: shown(path), message: `nests deeper than ${MAX_NESTING} levels (at ${path.length} levels here): flatten it` });
      return;
    }
    if (!isPlainPrototype(node)) {
      problems.push({ path: shown(path), message: 'is not a plain object or list (a class instance, or an object literal with "__proto__"): give plain data' });
      return;
    }
    ancestors.add(node);
    const keys = Object.keys(node);
    const reserved = keys.filter((key) => PROTOTYPE_KEYS.includes(key));
    if (reserved.length > 0) {
      problems.push({ path: shown(path), message: `has unknown field(s) ${reserved.join(', ')} (reserved: they reach the object's prototype; remove them)` });
    }
    const isList = Array.isArray(node);
    for (const key of keys.filter((k) => !PROTOTYPE_KEYS.includes(k))) {
      walk((node as Record<string, unknown>)[key], [...path, isList ? Number(key) : key]);
      if (problems.length >= MAX_NESTING) break;
    }
    ancestors.delete(node);
  };
  walk(value, []);
  return problems;
}

/**
 * The path to the first place where `value` nests deeper than `maxDepth` levels (or holds a
 * cycle), cut to its first levels; undefined when it does not. Walks at most `maxDepth` levels.
 */
export function tooDeepAt(value: unknown, maxDepth = MAX_NESTING): readonly (string | number)[] | undefined {
  // The path is built on the way back from the place found, last step first, so walking a document that is not too deep copies no paths.
  const walk = (node: unknown, depth: number): (string | number)[] | undefined => {
    if (typeof node !== 'object' || node === null) return undefined;
    if (depth >= maxDepth) return [];
    const isList = Array.isArray(node);
    for (const [key, child] of Object.entries(node)) {
      const found = walk(child, depth + 1);
      if (found) {
        found.push(isList ? Number(key) : key);
        return found;
      }
    }
    return undefined;
  };
  return walk(value, 0)?.reverse().slice(0, SHOWN_PATH_KEYS);
}

/**
 * A JSON.parse / YAML reviver that builds objects without a prototype, so no key of a parsed file
 * (`__proto__`, `constructor`) can reach `Object.prototype` when the data is merged or looked up.
 *
 * @example
 * JSON.parse(readFileSync('config.json', 'utf8'), nullPrototypeReviver);
 */
export function nullPrototypeReviver(_key: unknown, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.assign(Object.create(null) as object, value);
}
