import { CLOUD_TITLES, type Cloud } from '../../core/clouds';
import { describeValue } from '../../core/errors';
import { platformTags } from '.';
import { gcpLabelKey, GCP_LABEL_KEY_PREFIX, GCP_LABEL_MAX_LENGTH } from './gcp-labels';

/** The tag keys idpkit sets on every resource itself (environment, owner, cost-center, managed-by). */
export const STANDARD_TAG_KEYS: readonly string[] = Object.keys(platformTags({ environment: '', owner: '', costCenter: '' }));

/** What a cloud accepts as a resource tag (a label on GCP). */
interface TagLimits {
  /** What the cloud calls them, for messages. */
  readonly what: string;
  /** Most tags one resource may carry. */
  readonly maxTags: number;
  /**
   * Tags idpkit and the cloud's services set on single resources besides the standard ones (AWS
   * `Name`, `karpenter.sh/discovery`, `kubernetes.io/role/...`, Azure `purpose`): kept free of
   * the environment's own so every resource stays under {@link maxTags}.
   */
  readonly perResourceHeadroom: number;
  /** Longest key, as the cloud stores it. */
  readonly maxKeyLength: number;
  /** Longest value, as the cloud stores it. */
  readonly maxValueLength: number;
  /** Characters a key or value may hold, and the rule in words. @default - any */
  readonly characters?: { readonly pattern: RegExp; readonly rule: string };
  /** Characters a key must not hold, and the rule in words. @default - none */
  readonly forbiddenKeyCharacters?: { readonly pattern: RegExp; readonly rule: string };
  /** Key prefixes the cloud reserves (compared ignoring case). */
  readonly reservedPrefixes: readonly string[];
  /** The key the cloud stores: GCP label keys are idpkit's sanitized form; Azure compares keys ignoring case. */
  readonly keyOf: (key: string) => string;
  /** Length of the key the cloud stores, before any cut (a GCP key is lowercased and gets the "x-" prefix when it does not start with a letter). */
  readonly keyLength: (key: string) => number;
  /** Length of the value the cloud stores, before any cut (a GCP value is lowercased, which may lengthen it). */
  readonly valueLength: (value: string) => number;
}

/**
 * Tag limits per cloud.
 *
 * @see https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html
 * @see https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations
 * @see https://cloud.google.com/resource-manager/docs/labels-overview#requirements
 */
export const TAG_LIMITS: Readonly<Record<Cloud, TagLimits>> = {
  aws: {
    what: 'AWS tag',
    maxTags: 50,
    perResourceHeadroom: 6,
    maxKeyLength: 128,
    maxValueLength: 256,
    characters: { pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, rule: 'letters, digits, spaces and _ . : / = + - @' },
    reservedPrefixes: ['aws:'],
    keyOf: (key) => key,
    keyLength: (key) => key.length,
    valueLength: (value) => value.length,
  },
  azure: {
    what: 'Azure tag',
    maxTags: 50,
    perResourceHeadroom: 2,
    maxKeyLength: 512,
    maxValueLength: 256,
    forbiddenKeyCharacters: { pattern: /[<>%&\\?/]/, rule: 'none of < > % & \\ ? /' },
    reservedPrefixes: [],
    keyOf: (key) => key.toLowerCase(),
    keyLength: (key) => key.length,
    valueLength: (value) => value.length,
  },
  gcp: {
    what: 'GCP label',
    maxTags: 64,
    perResourceHeadroom: 4,
    maxKeyLength: GCP_LABEL_MAX_LENGTH,
    maxValueLength: GCP_LABEL_MAX_LENGTH,
    reservedPrefixes: [],
    keyOf: gcpLabelKey,
    keyLength: (key) => (/^[a-z]/.test(key.toLowerCase()) ? 0 : GCP_LABEL_KEY_PREFIX.length) + key.toLowerCase().length,
    valueLength: (value) => value.toLowerCase().length,
  },
};

/** One problem with an environment's tags: the path of the field (`tags.<key>`, `owner`) and what is wrong. */
export interface TagProblem {
  /** `['tags', <key>]`, `['tags']` or the standard field (`['owner']`). */
  readonly path: readonly string[];
  /** What is wrong and what is allowed, after the value. */
  readonly message: string;
}

/**
 * Why the tags an environment puts on every resource would be refused by `cloud`: its extra
 * `tags` and the standard tags' values (`owner`, `costCenter`). Checks the key and value lengths
 * and characters, reserved prefixes, keys that clash with the standard tags or with each other
 * once the cloud stores them, and the number of tags per resource.
 */
export function tagProblems(cloud: Cloud, tags: Readonly<Record<string, string>>, standardValues: Readonly<Record<'owner' | 'costCenter', string>>): TagProblem[] {
  const limits = TAG_LIMITS[cloud];
  /** "an AWS tag", "an Azure tag", "a GCP label". */
  const one = `${/^[AEIOU]/.test(limits.what) ? 'an' : 'a'} ${limits.what}`;
  const problems: TagProblem[] = [];
  const valueProblem = (value: string): string | undefined => {
    // GCP: idpkit lowercases the value and replaces other characters by "-", so only the length can be wrong.
    if (limits.valueLength(value) > limits.maxValueLength) return `is longer than the ${limits.maxValueLength} characters of ${one} value (it is the value of a tag on every resource)`;
    if (limits.characters && !limits.characters.pattern.test(value)) return `holds characters ${one} value cannot (allowed: ${limits.characters.rule})`;
    return undefined;
  };
  for (const field of ['owner', 'costCenter'] as const) {
    const problem = valueProblem(standardValues[field]);
    if (problem) problems.push({ path: [field], message: problem });
  }
  const standard = new Map(STANDARD_TAG_KEYS.map((key) => [limits.keyOf(key), key]));
  const seen = new Map<string, string>();
  for (const [key, value] of Object.entries(tags)) {
    const at = ['tags', key];
    const stored = limits.keyOf(key);
    const keyProblems = [
      key.trim() === '' && 'has an empty key',
      limits.keyLength(key) > limits.maxKeyLength && `has a key longer than the ${limits.maxKeyLength} characters of ${one} key`,
      limits.characters && !limits.characters.pattern.test(key) && `has a key with characters ${one} key cannot hold (allowed: ${limits.characters.rule})`,
      limits.forbiddenKeyCharacters?.pattern.test(key) && `has a key with characters ${one} key cannot hold (${limits.forbiddenKeyCharacters.rule})`,
      limits.reservedPrefixes.some((prefix) => key.toLowerCase().startsWith(prefix)) &&
        `has a key starting with ${limits.reservedPrefixes.map((prefix) => `"${prefix}"`).join(', ')}, which ${CLOUD_TITLES[cloud]} reserves`,
      standard.has(stored) && `is the standard tag "${standard.get(stored)}" that idpkit sets itself (from name, owner and costCenter): remove it or set that field`,
      seen.has(stored) && `becomes the same ${limits.what} key "${stored}" as tag ${describeValue(seen.get(stored))}: rename one`,
    ].filter((problem): problem is string => typeof problem === 'string');
    const problem = valueProblem(value);
    for (const message of [...keyProblems, ...(problem ? [problem] : [])]) problems.push({ path: at, message });
    seen.set(stored, key);
  }
  const allowed = limits.maxTags - STANDARD_TAG_KEYS.length - limits.perResourceHeadroom;
  const count = Object.keys(tags).length;
  if (count > allowed) {
    problems.push({
      path: ['tags'],
      message: `has ${count} tags; a resource takes at most ${limits.maxTags} ${limits.what}s, of which idpkit needs ${STANDARD_TAG_KEYS.length + limits.perResourceHeadroom} (the standard tags and per-resource ones): allowed ${allowed}`,
    });
  }
  return problems;
}
