import type { ResourceOutput } from './types';

/**
 * Score placeholders, as the Score reference implementation (score-go) reads them: `${...}` is a
 * reference, `$${...}` a literal `${...}` and `$$` a literal `$`.
 *
 * @see https://github.com/score-spec/score-go/blob/main/framework/substitution.go
 */
const PLACEHOLDER = /\$((?:\$?\{([^}]*)\})|\$)/g;

/** A piece of a string: literal text, or the reference of a placeholder (`resources.db.host`). */
export type PlaceholderPiece = { readonly text: string } | { readonly ref: string };

/** A string split into literal text (escapes undone) and placeholder references. */
export function splitPlaceholders(source: string): PlaceholderPiece[] {
  const pieces: PlaceholderPiece[] = [];
  let text = '';
  let last = 0;
  for (const match of source.matchAll(PLACEHOLDER)) {
    text += source.slice(last, match.index);
    last = match.index + match[0].length;
    if (match[1].startsWith('$')) {
      text += match[0].slice(1);
    } else {
      if (text !== '') pieces.push({ text });
      text = '';
      pieces.push({ ref: match[2] });
    }
  }
  text += source.slice(last);
  if (text !== '') pieces.push({ text });
  return pieces;
}

/** The parts of a reference, split on `.` but not on `\.` (annotation keys with dots). */
export function referenceParts(ref: string): string[] {
  return ref
    .replace(/\\\./g, '\u0000')
    .split('.')
    .map((part) => part.replace(/\u0000/g, '.'));
}

/** The resources a value's placeholders name (`${resources.<name>...}`), in every string inside it. */
export function referencedResources(value: unknown): string[] {
  if (typeof value === 'string') {
    return splitPlaceholders(value).flatMap((piece) => {
      if (!('ref' in piece)) return [];
      const parts = referenceParts(piece.ref);
      return parts[0] === 'resources' && parts.length > 1 ? [parts[1]] : [];
    });
  }
  if (Array.isArray(value)) return value.flatMap(referencedResources);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(referencedResources);
  return [];
}

/** A resource as placeholders see it. */
export interface ScopeResource {
  readonly type: string;
  /** Its outputs. @default - none: it could not be provisioned (that problem is reported on its own) */
  readonly outputs?: Readonly<Record<string, ResourceOutput>>;
}

/** What placeholders of one workload resolve against. */
export interface PlaceholderScope {
  /** The workload's `metadata`. */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** The workload's resources by name. */
  readonly resources: Readonly<Record<string, ScopeResource>>;
}

/** A resolved piece: text, or a secret output (a key of a Secret; its value is never read). */
export type ResolvedPiece = { readonly text: string } | { readonly secret: { readonly name: string; readonly key: string }; readonly ref: string };

/** A string with its placeholders resolved. */
export interface Resolved {
  readonly pieces: readonly ResolvedPiece[];
  readonly problems: readonly string[];
  /** Some placeholder names a resource that could not be provisioned: the value is incomplete (no problem of its own). */
  readonly incomplete: boolean;
}

const list = (names: readonly string[]): string => (names.length > 0 ? names.join(', ') : 'none');

/**
 * Resolves the placeholders of one string. `at` names the field in messages (`<file>: <path>`);
 * `${resources.<name>}` alone is accepted only with `allowResourceName` (a volume's `source`)
 * and gives the resource's name.
 */
export function resolvePlaceholders(source: string, scope: PlaceholderScope, at: string, allowResourceName = false): Resolved {
  const pieces: ResolvedPiece[] = [];
  const problems: string[] = [];
  let incomplete = false;
  for (const piece of splitPlaceholders(source)) {
    if ('text' in piece) {
      pieces.push(piece);
      continue;
    }
    const parts = referenceParts(piece.ref);
    const placeholder = `\${${piece.ref}}`;
    if (parts[0] === 'metadata' && parts.length > 1) {
      const found = lookup(scope.metadata, parts.slice(1));
      if ('value' in found) pieces.push({ text: typeof found.value === 'string' ? found.value : JSON.stringify(found.value) });
      else problems.push(`${at}: placeholder ${placeholder} is unknown: ${found.problem}`);
      continue;
    }
    if (parts[0] !== 'resources' || parts.length < 2) {
      problems.push(
        `${at}: placeholder ${placeholder} is unknown (placeholders are \${metadata.<key>} and \${resources.<name>.<output>}; write $\${ for a literal "\${" and $$ for a literal "$")`,
      );
      continue;
    }
    const [, name, output, ...rest] = parts;
    const resource = scope.resources[name];
    if (!resource) {
      problems.push(`${at}: placeholder ${placeholder} names no resource of this workload (resources: ${list(Object.keys(scope.resources))})`);
      continue;
    }
    if (output === undefined && allowResourceName) {
      pieces.push({ text: name });
      continue;
    }
    if (!resource.outputs) {
      incomplete = true;
      continue;
    }
    const outputs = Object.keys(resource.outputs).sort();
    if (output === undefined) {
      problems.push(`${at}: placeholder ${placeholder} names a resource, not one of its outputs: write \${resources.${name}.<output>} (outputs of "${name}" (type ${resource.type}): ${list(outputs)})`);
      continue;
    }
    const value = resource.outputs[output];
    if (!value || rest.length > 0) {
      const why = value ? `output "${output}" has no fields` : `resource "${name}" (type ${resource.type}) has no output "${output}"`;
      problems.push(`${at}: placeholder ${placeholder} is unknown: ${why} (outputs: ${list(outputs)})`);
      continue;
    }
    pieces.push('value' in value ? { text: value.value } : { secret: value.secret, ref: piece.ref });
  }
  return { pieces, problems, incomplete };
}

/** A value inside metadata, by keys; or why there is none. */
function lookup(root: unknown, keys: readonly string[]): { value: unknown } | { problem: string } {
  let node = root;
  const walked: string[] = ['metadata'];
  for (const key of keys) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return { problem: `${walked.join('.')} is not a map` };
    const map = node as Record<string, unknown>;
    if (!(key in map)) return { problem: `${walked.join('.')} has no key "${key}" (keys: ${list(Object.keys(map).sort())}; escape dots in keys as "\\.")` };
    node = map[key];
    walked.push(key);
  }
  return { value: node };
}

/**
 * A string with placeholders resolved to text, for a place that must not hold a secret (file
 * content, resource params, command and args): a secret output there is a problem naming `purpose`.
 */
export function substituteText(source: string, scope: PlaceholderScope, at: string, purpose: string): { text: string; problems: string[]; incomplete: boolean } {
  const resolved = resolvePlaceholders(source, scope, at);
  const problems = [...resolved.problems];
  let text = '';
  for (const piece of resolved.pieces) {
    if ('text' in piece) text += piece.text;
    else problems.push(`${at}: \${${piece.ref}} is a secret output and cannot go into ${purpose}: pass it to the container through a variable (containers.<name>.variables), which reads it from its Secret`);
  }
  return { text, problems, incomplete: resolved.incomplete };
}

/** Every string inside a value (resource params) with placeholders resolved to text; keys stay. */
export function substituteValue(value: unknown, scope: PlaceholderScope, at: string, purpose: string, problems: string[]): { value: unknown; incomplete: boolean } {
  let incomplete = false;
  const walk = (node: unknown, path: string): unknown => {
    if (typeof node === 'string') {
      const result = substituteText(node, scope, path, purpose);
      problems.push(...result.problems);
      incomplete ||= result.incomplete;
      return result.text;
    }
    if (Array.isArray(node)) return node.map((item, index) => walk(item, `${path}[${index}]`));
    if (node !== null && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item, `${path}.${key}`)]));
    return node;
  };
  return { value: walk(value, at), incomplete };
}

/**
 * Text as a Kubernetes `env` value, `command` or `args` item takes it literally: Kubernetes
 * expands `$(VAR)` there and reads `$$` as `$`, so every `$` before `$` or `(` is doubled.
 * `next` is the character that follows in the final value.
 *
 * @see https://kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables/
 */
export function kubernetesLiteral(text: string, next = ''): string {
  const escaped = text.replace(/\$(?=[$(])/g, '$$$$');
  return text.endsWith('$') && (next === '$' || next === '(') ? `${escaped}$` : escaped;
}

/** One Kubernetes container `env` entry: a value, or a key of a Secret. */
export interface EnvVar {
  readonly name: string;
  /** The value. @default - none: `valueFrom` gives it */
  readonly value?: string;
  /** The Secret key that holds the value. @default - none: `value` is the value */
  readonly valueFrom?: { readonly secretKeyRef: { readonly name: string; readonly key: string } };
}

/** The `env` name of the helper variable that holds one secret output, for a variable mixing text and secrets. */
export function secretHelperName(ref: string): string {
  const [, resource, output] = referenceParts(ref);
  return `IDPKIT_SECRET_${resource}_${output}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

/** A variable as `env` entries: the variable, and helper variables it expands (defined before it). */
export interface VariableEnv {
  readonly env: EnvVar;
  /** Helper variables of the secret outputs the value mixes with text, one per output. */
  readonly helpers: readonly EnvVar[];
  readonly problems: readonly string[];
  readonly incomplete: boolean;
}

/**
 * One Score variable as Kubernetes `env`: a value that is exactly one secret output becomes
 * `valueFrom.secretKeyRef`; a value mixing text and secret outputs reads each secret from a
 * helper variable ({@link secretHelperName}, `secretKeyRef`) through Kubernetes' `$(VAR)`
 * expansion; the rest is text, escaped so that Kubernetes takes it literally.
 */
export function variableEnv(name: string, source: string, scope: PlaceholderScope, at: string): VariableEnv {
  const { pieces, problems, incomplete } = resolvePlaceholders(source, scope, at);
  if (pieces.length === 1 && 'secret' in pieces[0]) {
    return { env: { name, valueFrom: { secretKeyRef: pieces[0].secret } }, helpers: [], problems, incomplete };
  }
  const helpers = new Map<string, EnvVar>();
  let value = '';
  pieces.forEach((piece, index) => {
    if ('secret' in piece) {
      const helper = secretHelperName(piece.ref);
      helpers.set(helper, { name: helper, valueFrom: { secretKeyRef: piece.secret } });
      value += `$(${helper})`;
    } else {
      const following = pieces[index + 1];
      value += kubernetesLiteral(piece.text, following && 'secret' in following ? '$' : '');
    }
  });
  return { env: { name, value }, helpers: [...helpers.values()], problems, incomplete };
}
