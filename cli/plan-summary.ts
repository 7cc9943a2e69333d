/**
 * `idpkit plan-summary <plan.json>...`: Terraform plans (`terraform show -json <planfile>`, JSON
 * plan format 1.x) summarized for a pull request comment: counts by action, replacements and
 * deletions of stateful resources first, a table of changed resources grouped by action,
 * attribute-level changes (sensitive values masked, unknown values shown as known after apply),
 * output changes and drift, folded and cut to fit a GitHub comment. `--format json` gives scripts
 * the same facts.
 *
 * Exit codes: 0 nothing destructive, 3 a stateful resource is replaced or deleted, 1 a file is
 * missing, malformed or not a plan, 2 a usage error.
 *
 * @see https://developer.hashicorp.com/terraform/internals/json-format
 */
import { basename, dirname, resolve } from 'node:path';
import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import { z } from 'zod';
import { IdpkitError } from '../constructs/core/errors';
import { JsonPathStep, capProblems, formatJsonPath, parseJsonFile, schemaProblems, describeJsonValue } from '../constructs/core/json-input';
import { readTextFile } from '../constructs/core/text-files';
import { CliIo, EXIT_DESTRUCTIVE, EXIT_OK } from './io';
import { StatefulKind, statefulKindOf } from '../constructs/core/stateful';

/** Largest comment GitHub accepts, in characters: the default cap of the Markdown. */
export const GITHUB_COMMENT_MAX_CHARS = 65536;

/** Tables with more rows than this are folded in `<details>`. */
export const FOLD_ROWS = 15;

/** Longest value shown in an attribute change before it is shortened. */
export const MAX_VALUE_CHARS = 120;

/** What is shown instead of a sensitive value. */
export const SENSITIVE = '(sensitive)';

/** What is shown for a value known only after apply. */
export const UNKNOWN = '(known after apply)';

/** Output formats of `plan-summary`: Markdown for pull requests, JSON for scripts. */
export const PLAN_SUMMARY_FORMATS = ['markdown', 'json'] as const;

/** An output format of `plan-summary`. */
export type PlanSummaryFormat = (typeof PLAN_SUMMARY_FORMATS)[number];

/**
 * What a change does, one word per `change.actions` combination: `replace` is `["delete","create"]`,
 * `["create","delete"]` or `["create","forget"]`; `forget` removes an object from the state and
 * leaves it in the cloud.
 */
export type PlanAction = 'create' | 'update' | 'replace' | 'delete' | 'forget' | 'read' | 'no-op';

/** Every action, in the order the summary lists them (most destructive first). */
export const PLAN_ACTIONS: readonly PlanAction[] = ['delete', 'replace', 'update', 'create', 'forget', 'read', 'no-op'];

/** Resource changes by action, plus the imports and moves among them (which also count under their action). */
export type PlanCounts = Record<PlanAction | 'import' | 'move', number>;

/** One changed attribute of an updated, replaced or drifted resource, values already masked for display. */
export interface AttributeChange {
  /** Path into the object, e.g. `tags["team"]` or `set_sensitive[0].value`. */
  readonly path: string;
  /** The value before, as JSON text, or {@link SENSITIVE}. */
  readonly before: string;
  /** The value after, as JSON text, {@link SENSITIVE} or {@link UNKNOWN}. */
  readonly after: string;
  /** The change of this path is why the resource is replaced. @default false */
  readonly forcesReplacement?: boolean;
}

/** One resource instance (or deposed object) a plan changes. */
export interface ResourceChangeSummary {
  /** Absolute address, e.g. `module.db.aws_db_instance.main[0]`. */
  readonly address: string;
  readonly type: string;
  /** `managed` resource or `data` source. */
  readonly mode: 'managed' | 'data';
  readonly action: PlanAction;
  /** Terraform's actions, e.g. `["create","delete"]`. */
  readonly actions: readonly string[];
  /** What the resource holds, when losing it loses data. @default - not stateful */
  readonly stateful?: StatefulKind;
  /** A stateful resource is replaced or deleted. */
  readonly destructive: boolean;
  /** Address before a `moved` block. @default - not moved */
  readonly previousAddress?: string;
  /** Import ID, or `true` when imported by identity. @default - not imported */
  readonly importId?: string | true;
  /** Deposed object key: the change is to an object left over from a create-before-destroy. @default - the current object */
  readonly deposed?: string;
  /** Why Terraform chose the action, in words. @default - no reason given */
  readonly reason?: string;
  /** Attribute changes (updates, replacements and drift only). */
  readonly attributes: readonly AttributeChange[];
}

/** A root module output a plan changes. */
export interface OutputChangeSummary {
  readonly name: string;
  readonly action: PlanAction;
  /** Shown values, masked when the output is sensitive. */
  readonly before: string;
  readonly after: string;
}

/** One plan file summarized. */
export interface PlanSummary {
  /** The stack (`<stack>/plan.json`) or the file name. */
  readonly title: string;
  /** The file as given on the command line. */
  readonly file: string;
  readonly formatVersion: string;
  /** @default - not in the file */
  readonly terraformVersion?: string;
  /** Terraform reported errors while planning: the plan is incomplete. */
  readonly errored: boolean;
  readonly counts: PlanCounts;
  /** Replaced or deleted stateful resources: what makes the exit code 3. */
  readonly destructive: readonly ResourceChangeSummary[];
  /** Every change but no-ops (moves and imports without other change are kept), grouped by action, by address within. */
  readonly changes: readonly ResourceChangeSummary[];
  readonly outputs: readonly OutputChangeSummary[];
  /** Objects changed outside Terraform since the last apply (`resource_drift`). */
  readonly drift: readonly ResourceChangeSummary[];
}

/** The summaries of every plan file given, and the exit code they call for. */
export interface PlanSummaryReport {
  /** Some plan replaces or deletes a stateful resource. */
  readonly destructive: boolean;
  /** {@link EXIT_DESTRUCTIVE} or 0. */
  readonly exitCode: number;
  readonly plans: readonly PlanSummary[];
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A JSON object. */
export type JsonObject = { [key: string]: Json };

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A change object of the JSON plan format (of a resource or an output), as far as the summary reads it. */
export interface TerraformChangeJson {
  readonly actions: string[];
  readonly before?: Json;
  readonly after?: Json;
  readonly after_unknown?: Json;
  readonly before_sensitive?: Json;
  readonly after_sensitive?: Json;
  readonly replace_paths?: Json[][];
  readonly importing?: JsonObject | null;
}

/** One entry of `resource_changes` or `resource_drift`, as far as the summary reads it. */
export interface TerraformResourceChangeJson {
  readonly address: string;
  readonly previous_address?: string;
  readonly mode?: string;
  readonly type?: string;
  readonly deposed?: string;
  readonly action_reason?: string;
  readonly change: TerraformChangeJson;
}

/** What `terraform show -json <planfile>` writes, checked just enough to summarize it. */
export interface TerraformPlanJson {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly errored?: boolean;
  readonly resource_changes?: TerraformResourceChangeJson[];
  readonly resource_drift?: TerraformResourceChangeJson[];
  readonly output_changes?: Record<string, TerraformChangeJson>;
}

const NOT_A_PLAN = 'expected the output of `terraform show -json <planfile>`: an object with format_version and planned_values or resource_changes';

/** What to do about a malformed plan. */
const WRITE_AGAIN = 'write the plan again with `terraform show -json <planfile>` (Terraform or OpenTofu 1.x)';

/**
 * Terraform's `change.actions` lists, joined with commas, and the one word each reads as: every
 * combination the JSON plan format documents. Any other list is an error, not a guess.
 */
export const PLAN_ACTION_LISTS: Readonly<Record<string, PlanAction>> = {
  'no-op': 'no-op',
  create: 'create',
  read: 'read',
  update: 'update',
  delete: 'delete',
  forget: 'forget',
  'delete,create': 'replace',
  'create,delete': 'replace',
  'create,forget': 'replace',
};

const ALLOWED_ACTION_LISTS = Object.keys(PLAN_ACTION_LISTS)
  .map((key) => JSON.stringify(key.split(',')))
  .join(', ');

/** A change object (of a resource or an output): its actions one of {@link PLAN_ACTION_LISTS}; the values any JSON. */
const changeSchema = z.object(
  {
    actions: z
      .array(z.string(), { error: `expected a list of actions (allowed: ${ALLOWED_ACTION_LISTS})` })
      .refine((actions) => Object.hasOwn(PLAN_ACTION_LISTS, actions.join(',')), { error: `expected one of the action lists Terraform plans (allowed: ${ALLOWED_ACTION_LISTS})` }),
    replace_paths: z.array(z.array(z.union([z.string(), z.number()])), { error: 'expected a list of attribute paths, each a list of keys and indexes' }).optional(),
    importing: z.object({ id: z.string({ error: 'expected the import ID' }).optional() }, { error: 'expected an object { id } or null' }).nullish(),
  },
  { error: 'expected a change object with actions, before and after' },
);

/** One entry of `resource_changes` or `resource_drift`, as far as the summary reads it. */
const resourceChangeSchema = z.object(
  {
    address: z.string({ error: 'expected the resource address, e.g. aws_s3_bucket.logs' }).min(1, { error: 'expected the resource address, e.g. aws_s3_bucket.logs' }),
    previous_address: z.string({ error: 'expected the resource address before a move' }).optional(),
    mode: z.enum(['managed', 'data'], { error: 'expected "managed" or "data"' }).optional(),
    type: z.string({ error: 'expected the resource type, e.g. aws_s3_bucket' }).optional(),
    deposed: z.string({ error: 'expected the deposed object key' }).optional(),
    action_reason: z.string({ error: 'expected a reason keyword such as replace_because_cannot_update' }).optional(),
    change: changeSchema,
  },
  { error: 'expected a resource change { address, change: { actions, ... } }' },
);

/** The parts of a plan the summary reads (other keys, present and future, are left alone). */
const planSchema = z.object({
  terraform_version: z.string({ error: 'expected the Terraform version, e.g. "1.9.8"' }).optional(),
  errored: z.boolean({ error: 'expected true or false' }).optional(),
  resource_changes: z.array(resourceChangeSchema, { error: 'expected a list of resource changes' }).nullish(),
  resource_drift: z.array(resourceChangeSchema, { error: 'expected a list of resource changes' }).nullish(),
  output_changes: z.record(z.string(), changeSchema, { error: 'expected an object of output changes by output name' }).nullish(),
});

/** Where a problem is: its path, and the resource address when it is inside a resource change. */
function problemPlace(plan: JsonObject, path: readonly JsonPathStep[]): string {
  const [list, index] = path;
  const entries = (list === 'resource_changes' || list === 'resource_drift') && typeof index === 'number' ? plan[list] : undefined;
  const entry = Array.isArray(entries) ? entries[index as number] : undefined;
  const address = isObject(entry) && typeof entry.address === 'string' && entry.address !== '' && path.length > 2 ? ` (${entry.address})` : '';
  return `${formatJsonPath(path)}${address}`;
}

/**
 * Checks that `text` is a Terraform JSON plan of a supported format version, and returns it.
 *
 * @param file named in the error messages
 * @throws IdpkitError `IDPKIT_INVALID_INPUT` naming the file and what is wrong with it: the path,
 *   the resource address, the bad value and what is allowed
 */
export function parsePlan(text: string, file: string): TerraformPlanJson {
  const data = parseJsonFile(text, file, 'IDPKIT_INVALID_INPUT', NOT_A_PLAN);
  if (!isObject(data)) throw new IdpkitError('IDPKIT_INVALID_INPUT', [`${file}: not a Terraform plan: the file holds ${describeJsonValue(data)}; ${NOT_A_PLAN}`]);
  const version = data.format_version;
  if (typeof version !== 'string') throw new IdpkitError('IDPKIT_INVALID_INPUT', [`${file}: not a Terraform plan: format_version is ${describeJsonValue(version)}; ${NOT_A_PLAN}`]);
  if (version.split('.')[0] !== '1') {
    throw new IdpkitError('IDPKIT_INVALID_INPUT', [`${file}: plan format_version "${version}" is not supported (expected 1.x, as written by Terraform 1.x and OpenTofu)`]);
  }
  if (!('planned_values' in data) && !('resource_changes' in data)) {
    const what = 'values' in data ? 'a Terraform state, not a plan (it has values but no planned_values)' : 'not a Terraform plan';
    throw new IdpkitError('IDPKIT_INVALID_INPUT', [`${file}: ${what}; ${NOT_A_PLAN}`]);
  }
  const problems = schemaProblems(planSchema, data).map((problem) => `${file}: ${problemPlace(data, problem.path)} ${problem.message}`);
  if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_INPUT', [...capProblems(problems, file), `${file}: ${WRITE_AGAIN}`]);
  return data as unknown as TerraformPlanJson;
}

// ---------------------------------------------------------------------------------------------
// Summarizing

/** The one-word action of an action list of {@link PLAN_ACTION_LISTS} (what {@link parsePlan} lets through). */
export function classifyActions(actions: readonly string[]): PlanAction {
  const key = actions.join(',');
  if (!Object.hasOwn(PLAN_ACTION_LISTS, key)) throw new IdpkitError('IDPKIT_INVALID_INPUT', [`actions ${JSON.stringify(actions)} are not a list of actions Terraform plans (allowed: ${ALLOWED_ACTION_LISTS})`]);
  return PLAN_ACTION_LISTS[key];
}

/** Terraform's `action_reason` keywords in words. */
const ACTION_REASONS: Readonly<Record<string, string>> = {
  replace_because_cannot_update: 'an argument that cannot be updated changed',
  replace_because_tainted: 'tainted',
  replace_by_request: 'replacement requested (-replace)',
  replace_by_triggers: 'replace_triggered_by',
  delete_because_no_resource_config: 'no longer in the configuration',
  delete_because_wrong_repetition: 'count/for_each use changed',
  delete_because_count_index: 'count index out of range',
  delete_because_each_key: 'for_each key removed',
  delete_because_no_module: 'module instance removed',
  delete_because_no_move_target: 'moved to an address that does not exist',
  read_because_config_unknown: 'configuration known only at apply',
  read_because_dependency_pending: 'a dependency has changes pending',
  read_because_check_nested: 'read by a check block',
};

/** A path step as written in Terraform addresses: `.name`, `["key.with.dots"]` or `[0]`. */
function pathStep(step: Json): string {
  if (typeof step === 'number') return `[${step}]`;
  const key = String(step);
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

const joinPath = (steps: readonly Json[]): string => steps.map(pathStep).join('').replace(/^\./, '');

function deepEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return (a ?? null) === (b ?? null);
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => deepEqual(a[key], b[key]));
  }
  return false;
}

/** Whether a sensitivity or unknown-ness marker marks anything at or under this point. */
const marksAny = (marker: Json | undefined): boolean =>
  marker === true || (Array.isArray(marker) ? marker.some(marksAny) : isObject(marker) ? Object.values(marker).some(marksAny) : false);

const child = (marker: Json | undefined, step: string | number): Json | undefined => {
  if (Array.isArray(marker) && typeof step === 'number') return marker[step];
  if (isObject(marker) && typeof step === 'string') return marker[step];
  return undefined;
};

/** The value with every sensitive part replaced by {@link SENSITIVE} and every unknown part by {@link UNKNOWN}. */
function masked(value: Json | undefined, sensitive: Json | undefined, unknown?: Json): Json {
  if (sensitive === true) return SENSITIVE;
  if (unknown === true) return UNKNOWN;
  if (Array.isArray(value)) return value.map((item, index) => masked(item, child(sensitive, index), child(unknown, index)));
  if (isObject(value) || isObject(unknown)) {
    const object = isObject(value) ? value : {};
    const keys = [...new Set([...Object.keys(object), ...(isObject(unknown) ? Object.keys(unknown) : [])])].sort();
    return Object.fromEntries(keys.map((key) => [key, masked(object[key], child(sensitive, key), child(unknown, key))]));
  }
  return value ?? null;
}

/** A masked value as shown: the markers bare, anything else as JSON text, shortened. */
function display(value: Json): string {
  if (value === SENSITIVE || value === UNKNOWN) return value;
  const text = JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 3)}...` : text;
}

const isBlank = (value: Json | undefined): boolean => value === undefined || value === null;

interface DiffContext {
  readonly before?: Json;
  readonly after?: Json;
  readonly afterUnknown?: Json;
  readonly beforeSensitive?: Json;
  readonly afterSensitive?: Json;
}

/** The attribute paths whose values differ between before and after, masked (never a sensitive value). */
function attributeChanges(root: DiffContext, replacePaths: readonly string[]): AttributeChange[] {
  const changes: AttributeChange[] = [];
  const walk = (steps: Json[], node: DiffContext): void => {
    const { before, after, afterUnknown, beforeSensitive, afterSensitive } = node;
    const record = (shownBefore: string, shownAfter: string): void => {
      const path = joinPath(steps);
      const forces = replacePaths.some((forced) => path === forced || path.startsWith(`${forced}.`) || path.startsWith(`${forced}[`));
      changes.push({ path: path || '(whole object)', before: shownBefore, after: shownAfter, ...(forces ? { forcesReplacement: true } : {}) });
    };
    if (beforeSensitive === true || afterSensitive === true) {
      // Compared, never shown: a side is named only when it is empty.
      if (afterUnknown === true) record(isBlank(before) ? 'null' : SENSITIVE, UNKNOWN);
      else if (!deepEqual(before, after)) record(isBlank(before) ? 'null' : SENSITIVE, isBlank(after) ? 'null' : SENSITIVE);
      return;
    }
    if (afterUnknown === true) {
      record(display(masked(before, beforeSensitive)), UNKNOWN);
      return;
    }
    const step = (key: string | number): DiffContext => ({
      before: child(before, key),
      after: child(after, key),
      afterUnknown: child(afterUnknown, key),
      beforeSensitive: child(beforeSensitive, key),
      afterSensitive: child(afterSensitive, key),
    });
    if (isObject(before) && (isObject(after) || (after === undefined && isObject(afterUnknown)))) {
      const keys = new Set([...Object.keys(before), ...Object.keys(after ?? {}), ...(isObject(afterUnknown) ? Object.keys(afterUnknown) : [])]);
      for (const key of [...keys].sort()) walk([...steps, key], step(key));
      return;
    }
    if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
      before.forEach((_, index) => walk([...steps, index], step(index)));
      return;
    }
    if (marksAny(afterUnknown) || !deepEqual(before, after)) {
      record(display(masked(before, beforeSensitive)), display(masked(after, afterSensitive, afterUnknown)));
    }
  };
  walk([], root);
  return changes;
}

function summarizeResourceChange(raw: TerraformResourceChangeJson, withAttributes: (action: PlanAction) => boolean): ResourceChangeSummary {
  const { change } = raw;
  const action = classifyActions(change.actions);
  const mode = raw.mode === 'data' ? 'data' : 'managed';
  const type = raw.type ?? raw.address.replace(/^(?:module\.[^.]+(?:\[[^\]]*\])?\.)*(?:data\.)?/, '').split('.')[0];
  const stateful = mode === 'managed' ? statefulKindOf(type) : undefined;
  const destructive = Boolean(stateful) && change.actions.includes('delete');
  const replacePaths = (Array.isArray(change.replace_paths) ? change.replace_paths : []).filter(Array.isArray).map((path) => joinPath(path));
  const importing = change.importing;
  const importId = isObject(importing) ? (typeof importing.id === 'string' && importing.id !== '' ? importing.id : true) : undefined;
  const moved = typeof raw.previous_address === 'string' && raw.previous_address !== '' && raw.previous_address !== raw.address;
  const attributes = withAttributes(action)
    ? attributeChanges(
        { before: change.before, after: change.after, afterUnknown: change.after_unknown, beforeSensitive: change.before_sensitive, afterSensitive: change.after_sensitive },
        replacePaths,
      )
    : [];
  const reason = raw.action_reason ? (Object.hasOwn(ACTION_REASONS, raw.action_reason) ? ACTION_REASONS[raw.action_reason] : raw.action_reason) : undefined;
  return {
    address: raw.address,
    type,
    mode,
    action,
    actions: [...change.actions],
    ...(stateful ? { stateful } : {}),
    destructive,
    ...(moved ? { previousAddress: raw.previous_address } : {}),
    ...(importId !== undefined ? { importId } : {}),
    ...(raw.deposed ? { deposed: raw.deposed } : {}),
    ...(reason ? { reason } : {}),
    attributes,
  };
}

const byAddress = (a: { readonly address: string }, b: { readonly address: string }): number => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0);

/** Most destructive action first, then by address (plain code-unit order: the same on every machine). */
function byActionThenAddress(a: ResourceChangeSummary, b: ResourceChangeSummary): number {
  const deposed = (a.deposed ?? '') < (b.deposed ?? '') ? -1 : (a.deposed ?? '') > (b.deposed ?? '') ? 1 : 0;
  return PLAN_ACTIONS.indexOf(a.action) - PLAN_ACTIONS.indexOf(b.action) || byAddress(a, b) || deposed;
}

/** What an output is absent as: before a create, after a delete. */
const NONE = '(none)';

function summarizeOutput(name: string, change: TerraformChangeJson): OutputChangeSummary {
  // Outputs are sensitive as a whole: before_sensitive and after_sensitive are one boolean.
  const sensitive = change.before_sensitive === true || change.after_sensitive === true;
  const action = classifyActions(change.actions);
  const before = action === 'create' ? NONE : sensitive && !isBlank(change.before) ? SENSITIVE : display(masked(change.before, undefined));
  let after: string;
  if (action === 'delete') after = NONE;
  else if (change.after_unknown === true) after = UNKNOWN;
  else if (sensitive && !isBlank(change.after)) after = SENSITIVE;
  else after = display(masked(change.after, undefined, change.after_unknown));
  return { name, action, before, after };
}

/** The title of a plan file: the stack for `<stack>/plan.json`, else the file name. */
export function planTitle(file: string): string {
  const name = basename(file);
  const parent = basename(dirname(resolve('/', file)));
  return name === 'plan.json' && parent !== '' ? parent : name;
}

/** One parsed plan summarized. */
export function summarizePlan(plan: TerraformPlanJson, file: string, title: string = planTitle(file)): PlanSummary {
  const all = (plan.resource_changes ?? []).map((raw) => summarizeResourceChange(raw, (action) => action === 'update' || action === 'replace'));
  const counts = Object.fromEntries([...PLAN_ACTIONS, 'import', 'move'].map((key) => [key, 0])) as PlanCounts;
  for (const change of all) {
    counts[change.action] += 1;
    if (change.importId !== undefined) counts.import += 1;
    if (change.previousAddress) counts.move += 1;
  }
  const changes = all.filter((change) => change.action !== 'no-op' || change.importId !== undefined || change.previousAddress).sort(byActionThenAddress);
  const outputs = Object.entries(plan.output_changes ?? {})
    .map(([name, change]) => summarizeOutput(name, change))
    .filter((output) => output.action !== 'no-op')
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const drift = (plan.resource_drift ?? []).map((raw) => ({ ...summarizeResourceChange(raw, (action) => action === 'update'), destructive: false })).sort(byAddress);
  return {
    title,
    file,
    formatVersion: plan.format_version,
    ...(plan.terraform_version ? { terraformVersion: plan.terraform_version } : {}),
    errored: plan.errored === true,
    counts,
    destructive: changes.filter((change) => change.destructive),
    changes,
    outputs,
    drift,
  };
}

/** The report of several summaries: destructive when any plan is. */
export function planReport(plans: readonly PlanSummary[]): PlanSummaryReport {
  const destructive = plans.some((plan) => plan.destructive.length > 0);
  return { destructive, exitCode: destructive ? EXIT_DESTRUCTIVE : EXIT_OK, plans };
}

// ---------------------------------------------------------------------------------------------
// Markdown

/** A piece of Markdown: fixed text, or a table that may lose rows to fit. */
interface Block {
  readonly head: string;
  readonly rows: readonly string[];
  readonly tail: string;
}

/** A plan's Markdown: what is always kept (heading, warnings, counts) and what may be cut. */
interface Section {
  readonly essential: string;
  readonly blocks: readonly Block[];
}

/** A code span that survives backticks and pipes in the text (in a table cell). */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const padded = text.startsWith('`') || text.endsWith('`') ? ` ${text} ` : text;
  return `${fence}${padded}${fence}`.replace(/\|/g, '\\|');
}

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const shownValue = (value: string): string => (value === SENSITIVE || value === UNKNOWN || value === NONE ? `_${value}_` : code(value));
const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;

/** How each action reads in the changes table. */
const ACTION_LABELS: Readonly<Record<PlanAction, string>> = {
  delete: '🗑️ delete',
  replace: '♻️ replace',
  update: '✏️ update',
  create: '➕ create',
  forget: '👋 forget',
  read: '📖 read',
  'no-op': '↪️ move/import',
};

function replaceOrder(change: ResourceChangeSummary): string | undefined {
  const key = change.actions.join(',');
  if (key === 'delete,create') return 'destroy, then create';
  if (key === 'create,delete') return 'create, then destroy';
  if (key === 'create,forget') return 'create, then forget the old object';
  return undefined;
}

function notes(change: ResourceChangeSummary): string {
  const parts: string[] = [];
  if (change.destructive) parts.push(`**${change.stateful}: data at risk**`);
  const order = replaceOrder(change);
  if (order) parts.push(order);
  const forced = change.attributes.filter((attribute) => attribute.forcesReplacement).map((attribute) => code(attribute.path));
  if (forced.length > 0) parts.push(`forced by ${forced.join(', ')}`);
  if (change.reason) parts.push(cell(change.reason));
  if (change.action === 'forget') parts.push('removed from the state, left in the cloud');
  if (change.previousAddress) parts.push(`moved from ${code(change.previousAddress)}`);
  if (change.importId !== undefined) parts.push(change.importId === true ? 'imported' : `imported from ${code(change.importId)}`);
  if (change.deposed) parts.push(`deposed object ${code(change.deposed)}`);
  return parts.join('; ');
}

function fold(summary: string, open: boolean, block: Block): Block {
  return { head: `<details${open ? ' open' : ''}><summary>${summary}</summary>\n\n${block.head}`, rows: block.rows, tail: `${block.tail}\n</details>\n` };
}

function changesBlock(changes: readonly ResourceChangeSummary[]): Block {
  const block: Block = {
    head: '| action | resource | notes |\n| --- | --- | --- |\n',
    rows: changes.map((change) => `| ${ACTION_LABELS[change.action]} | ${code(change.address)} | ${notes(change)} |\n`),
    tail: '',
  };
  return changes.length > FOLD_ROWS ? fold(`${plural(changes.length, 'changed resource')}`, false, block) : { ...block, head: `#### Changes\n\n${block.head}` };
}

function attributesBlock(change: ResourceChangeSummary, label: string): Block {
  return fold(`${label} <code>${escapeHtml(change.address)}</code>: ${plural(change.attributes.length, 'attribute')}`, false, {
    head: '| attribute | before | after |\n| --- | --- | --- |\n',
    rows: change.attributes.map((attribute) => {
      const forces = attribute.forcesReplacement ? ' (forces replacement)' : '';
      return `| ${code(attribute.path)}${forces} | ${shownValue(attribute.before)} | ${shownValue(attribute.after)} |\n`;
    }),
    tail: '',
  });
}

function outputsBlock(outputs: readonly OutputChangeSummary[]): Block {
  const block: Block = {
    head: '| output | action | before | after |\n| --- | --- | --- | --- |\n',
    rows: outputs.map((output) => `| ${code(output.name)} | ${output.action} | ${shownValue(output.before)} | ${shownValue(output.after)} |\n`),
    tail: '',
  };
  return outputs.length > FOLD_ROWS ? fold(plural(outputs.length, 'output change'), false, block) : { ...block, head: `#### Outputs\n\n${block.head}` };
}

function driftBlock(drift: readonly ResourceChangeSummary[]): Block {
  return fold(`Drift: ${plural(drift.length, 'resource')} changed outside Terraform since the last apply`, false, {
    head: '| drift | resource | changed attributes |\n| --- | --- | --- |\n',
    rows: drift.map((change) => {
      const attributes = change.attributes.map((attribute) => `${code(attribute.path)}: ${shownValue(attribute.before)} → ${shownValue(attribute.after)}`).join('<br>');
      return `| ${change.action === 'delete' ? 'deleted' : change.action === 'update' ? 'changed' : change.action} | ${code(change.address)} | ${attributes} |\n`;
    }),
    tail: '',
  });
}

const COUNT_COLUMNS: readonly (keyof PlanCounts)[] = ['create', 'update', 'replace', 'delete', 'read', 'no-op', 'import', 'move'];

function countsTable(counts: PlanCounts): string {
  const columns = counts.forget > 0 ? [...COUNT_COLUMNS.slice(0, 4), 'forget' as const, ...COUNT_COLUMNS.slice(4)] : COUNT_COLUMNS;
  return `| ${columns.join(' | ')} |\n|${columns.map(() => ' ---: |').join('')}\n| ${columns.map((column) => String(counts[column])).join(' | ')} |\n`;
}

function warnings(plan: PlanSummary): string {
  const lines: string[] = [];
  if (plan.destructive.length > 0) {
    lines.push('> [!CAUTION]', `> **${plural(plan.destructive.length, 'stateful resource')} replaced or deleted**: the data ${plan.destructive.length === 1 ? 'it holds is' : 'they hold is'} lost unless backed up.`);
    for (const change of plan.destructive) {
      const what = change.action === 'replace' ? `**replaced** (${replaceOrder(change) ?? change.actions.join(', ')})` : '**deleted**';
      const forced = change.attributes.filter((attribute) => attribute.forcesReplacement).map((attribute) => code(attribute.path));
      const why = [forced.length > 0 ? `forced by ${forced.join(', ')}` : '', change.reason ?? '', change.deposed ? `deposed object ${code(change.deposed)}` : ''].filter(Boolean);
      lines.push(`> - ${code(change.address)} (${change.stateful}): ${what}${why.length > 0 ? `; ${why.join('; ')}` : ''}`);
    }
    lines.push('');
  }
  const otherReplacements = plan.changes.filter((change) => change.action === 'replace' && !change.destructive);
  if (otherReplacements.length > 0) {
    lines.push('> [!WARNING]', `> **${plural(otherReplacements.length, 'resource')} replaced** (destroyed and created again): ${otherReplacements.map((change) => code(change.address)).join(', ')}`, '');
  }
  if (plan.errored) lines.push('> [!WARNING]', '> Terraform reported errors while planning: this plan is incomplete.', '');
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

function section(plan: PlanSummary): Section {
  const version = plan.terraformVersion ? `, Terraform ${plan.terraformVersion}` : '';
  const heading = `<!-- idpkit-plan-summary: ${escapeHtml(plan.title)} -->\n### Plan: ${code(plan.title)}\n\n<sub>${escapeHtml(plan.file)} (format ${escapeHtml(plan.formatVersion)}${escapeHtml(version)})</sub>\n\n`;
  const nothing = plan.changes.length === 0 && plan.outputs.length === 0;
  const status = nothing ? '**No changes.** The infrastructure matches the configuration.\n\n' : countsTable(plan.counts) + '\n';
  const blocks: Block[] = [];
  if (plan.changes.length > 0) blocks.push(changesBlock(plan.changes));
  for (const change of plan.changes) {
    if (change.attributes.length > 0) blocks.push(attributesBlock(change, change.action === 'replace' ? 'Replace' : 'Update'));
  }
  if (plan.outputs.length > 0) blocks.push(outputsBlock(plan.outputs));
  if (plan.drift.length > 0) blocks.push(driftBlock(plan.drift));
  // A blank line after each block keeps the next one from running into it.
  return { essential: heading + warnings(plan) + status, blocks: blocks.map((block) => ({ ...block, tail: `${block.tail}\n` })) };
}

function overview(report: PlanSummaryReport): string {
  if (report.plans.length < 2) return '';
  const head = '## Terraform plans\n\n';
  const rows = report.plans.map((plan) => {
    const { counts } = plan;
    const flag = plan.destructive.length > 0 ? `⛔ ${plan.destructive.length}` : '-';
    return `| ${code(plan.title)} | ${counts.create} | ${counts.update} | ${counts.replace} | ${counts.delete} | ${flag} |`;
  });
  return `${head}| plan | create | update | replace | delete | stateful replaced/deleted |\n| --- | ---: | ---: | ---: | ---: | --- |\n${rows.join('\n')}\n\n`;
}

const renderBlock = (block: Block, rows: readonly string[] = block.rows, more = ''): string => `${block.head}${rows.join('')}${more}${block.tail}`;

function truncationNote(left: number, maxChars: number): string {
  return `\n> [!NOTE]\n> Cut to fit a GitHub comment (${maxChars} characters): ${plural(left, 'table row')} left out. The whole plan is in the job log (\`terraform show <planfile>\`).\n`;
}

/** Room kept for the truncation note. */
const NOTE_RESERVE = 240;

/**
 * The report as Markdown for a pull request comment: per plan a heading, warnings, counts, the
 * changes table and folded attribute changes, outputs and drift. Past `maxChars` the tables lose
 * rows (headings, warnings and counts are always kept) and a note says how many.
 */
export function renderPlanMarkdown(report: PlanSummaryReport, maxChars: number = GITHUB_COMMENT_MAX_CHARS): string {
  const sections = report.plans.map(section);
  const header = overview(report);
  const essentials = header.length + sections.reduce((total, each) => total + each.essential.length, 0);
  const whole = header + sections.map((each) => each.essential + each.blocks.map((block) => renderBlock(block)).join('')).join('');
  if (whole.length <= maxChars) return whole;
  if (essentials + NOTE_RESERVE > maxChars) {
    const note = truncationNote(sections.reduce((total, each) => total + each.blocks.reduce((rows, block) => rows + block.rows.length, 0), 0), maxChars);
    return `${whole.slice(0, Math.max(0, maxChars - note.length))}${note}`.slice(0, maxChars);
  }
  let budget = maxChars - essentials - NOTE_RESERVE;
  let left = 0;
  let cut = false;
  let text = header;
  for (const each of sections) {
    text += each.essential;
    for (const block of each.blocks) {
      if (cut) {
        left += block.rows.length;
        continue;
      }
      const full = renderBlock(block);
      if (full.length <= budget) {
        text += full;
        budget -= full.length;
        continue;
      }
      cut = true;
      const rows: string[] = [];
      const moreRow = (count: number): string => `| _… ${plural(count, 'more row')} left out_ |\n`;
      let size = block.head.length + block.tail.length + moreRow(block.rows.length).length;
      for (const row of block.rows) {
        if (size + row.length > budget) break;
        rows.push(row);
        size += row.length;
      }
      left += block.rows.length - rows.length;
      if (rows.length > 0) {
        const partial = renderBlock(block, rows, moreRow(block.rows.length - rows.length));
        text += partial;
        budget -= partial.length;
      }
    }
  }
  return text + truncationNote(left, maxChars);
}

/** The report as JSON for scripts (values masked as in the Markdown). */
export function renderPlanJson(report: PlanSummaryReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------
// Command

/**
 * Reads, checks and summarizes plan files; every file is checked before anything is printed.
 *
 * @param files paths as given, relative to `cwd`
 * @throws IdpkitError `IDPKIT_INVALID_INPUT` listing each file that is malformed or not a plan, and
 *   each that cannot be read (`cannot read <file>: ...`; `IDPKIT_FILESYSTEM` when no file could be read)
 */
export function summarizePlanFiles(files: readonly string[], cwd: string): PlanSummaryReport {
  const failures: IdpkitError[] = [];
  const plans: PlanSummary[] = [];
  for (const file of files) {
    try {
      const text = readTextFile(resolve(cwd, file), 'IDPKIT_INVALID_INPUT', file, `write one with \`terraform show -json <planfile> > ${file}\``);
      plans.push(summarizePlan(parsePlan(text, file), file));
    } catch (error) {
      if (!(error instanceof IdpkitError)) throw error;
      failures.push(error);
    }
  }
  if (failures.length > 0) {
    const code = failures.every((failure) => failure.code === 'IDPKIT_FILESYSTEM') ? 'IDPKIT_FILESYSTEM' : 'IDPKIT_INVALID_INPUT';
    throw new IdpkitError(code, failures.flatMap((failure) => failure.problems));
  }
  return planReport(plans);
}

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1000) throw new InvalidArgumentError(`"${value}" is not a whole number of at least 1000.`);
  return number;
}

/** Adds `idpkit plan-summary <plan.json>...` to the program. */
export function addPlanSummaryCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('plan-summary')
    .description('summarize `terraform show -json` plans for a pull request: counts, destructive changes first, attribute changes (sensitive values masked); exit 3 when a stateful resource is replaced or deleted')
    .addArgument(new Argument('<plan.json...>', 'plan files; <stack>/plan.json is titled by its stack, any other file by its name'))
    .addOption(new Option('--format <format>', 'output format').choices(PLAN_SUMMARY_FORMATS).default('markdown'))
    .addOption(new Option('--max-chars <n>', 'cap on the Markdown, in characters (tables lose rows to fit)').argParser(positiveInteger).default(GITHUB_COMMENT_MAX_CHARS))
    .addHelpText(
      'after',
      [
        '',
        'Exit codes: 0 nothing destructive, 3 a stateful resource (database, bucket, cluster, key, volume, ...) is replaced or deleted,',
        '1 a file is missing, malformed or not a plan, 2 a usage error.',
        '',
        'Examples:',
        '  terraform show -json plan.tfplan > cdktf.out/stacks/dev-infra/plan.json',
        '  idpkit plan-summary cdktf.out/stacks/dev-infra/plan.json > comment.md',
        '  idpkit plan-summary cdktf.out/stacks/*/plan.json --format json',
        '',
      ].join('\n'),
    )
    .action((files: string[], options: { format: PlanSummaryFormat; maxChars: number }) => {
      const report = summarizePlanFiles(files, io.cwd ?? process.cwd());
      io.stdout.write(options.format === 'json' ? renderPlanJson(report) : renderPlanMarkdown(report, options.maxChars));
      setExitCode(report.exitCode);
    });
}
