/**
 * The synthesized output of a shipped environment set (`IDPKIT_ENVIRONMENT_SET=<set>`), built once
 * and shared by every test file that reads it, across jest workers and runs.
 *
 * The first test file that asks for a set runs main.ts for it (exactly what `cdktf synth` runs,
 * every synthesis check included) into a cache directory under the OS temp directory, keyed by a
 * hash of everything the synthesis reads: the sources, the charts and golden paths, the lock file
 * and the Node version. A lock directory keeps two workers from building the same set at once: the
 * second waits for the first. Any change to the sources gives a new key, so a stale output is never
 * read. Tests only read the directory; a test that writes into an outdir synthesizes its own.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Environment } from '../../environments/types';
import type * as StacksApp from '../../stacks/app';
import type * as StacksPolicy from '../../stacks/policy';
import type { TerraformJson } from '../helpers';

/** The environment sets main.ts synthesizes (environments/index.ts, `environmentSets`). */
export type EnvironmentSetName = 'default' | 'examples' | 'all' | 'presets';

const ROOT = resolve(__dirname, '../..');
/** What the synthesis reads: its output changes only when one of these does. */
const INPUTS = ['constructs', 'environments', 'stacks', 'charts', 'golden-paths', 'main.ts', 'cdktf.json', 'package-lock.json', 'scripts/register-ts.js'];
/** Where the shared syntheses are kept: the system's temporary directory, not the run's own (test/support/run-tmpdir-setup.js). */
const CACHE = process.env.IDPKIT_TEST_CACHE ?? join(tmpdir(), 'idpkit-test-synth');
/** A lock older than this belongs to a run that died: the next one takes it over. */
const STALE_LOCK_MS = 180_000;
const POLL_MS = 100;
const DAY_MS = 86_400_000;

/** Every file under the inputs, relative to the repository root, sorted. */
function inputFiles(): string[] {
  return INPUTS.flatMap((input) => {
    const path = join(ROOT, input);
    if (!existsSync(path)) return [];
    if (!statSync(path).isDirectory()) return [input];
    return readdirSync(path, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(ROOT.length + 1));
  }).sort();
}

let key: string | undefined;

/** The cache key: a hash of the names and contents of the inputs and the Node version (once per test file). */
function sourcesKey(): string {
  if (key) return key;
  const hash = createHash('sha256').update(process.version);
  for (const file of inputFiles()) hash.update(`\0${file}\0`).update(readFileSync(join(ROOT, file)));
  key = hash.digest('hex').slice(0, 16);
  return key;
}

/** This checkout's cache directory: one per hash of the sources (older ones, unused for a day, are removed). */
export function cacheDirectory(): string {
  const dir = join(CACHE, sourcesKey());
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    for (const other of readdirSync(CACHE)) {
      const path = join(CACHE, other);
      if (other !== sourcesKey() && Date.now() - statSync(path).mtimeMs > DAY_MS) rmSync(path, { recursive: true, force: true });
    }
  }
  return dir;
}

/**
 * A text form of a plain JSON-like value that tells apart everything a config can hold (undefined,
 * key order); undefined when it holds anything else (a function, NaN, a class instance), which is
 * then never cached.
 */
function exactKey(value: unknown): string | undefined {
  if (value === undefined) return 'u';
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0) ? String(value) : undefined;
  if (Array.isArray(value)) {
    const items = value.map(exactKey);
    return items.includes(undefined) ? undefined : `[${items.join(',')}]`;
  }
  if (typeof value !== 'object') return undefined;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== null && Object.getPrototypeOf(prototype) !== null) return undefined;
  const entries = Object.entries(value).map(([name, inner]) => [name, exactKey(inner)] as const);
  return entries.some(([, inner]) => inner === undefined) ? undefined : `{${entries.map(([name, inner]) => `${JSON.stringify(name)}:${inner}`).join(',')}}`;
}

/**
 * Files computed from the sources and `input` alone (e.g. the stacks synthesized for a config),
 * kept in the cache directory so that another test file, or the next run, reads them instead of
 * computing them again. A failed computation is not kept; an input that is not plain data is
 * computed every time.
 */
export function cachedFiles(namespace: string, input: unknown, compute: () => Record<string, string>): Record<string, string> {
  const key = exactKey(input);
  if (key === undefined) return compute();
  const file = join(cacheDirectory(), namespace, `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const files = compute();
  mkdirSync(join(cacheDirectory(), namespace), { recursive: true });
  writeFileSync(`${file}.${process.pid}`, JSON.stringify(files));
  renameSync(`${file}.${process.pid}`, file);
  return files;
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Runs main.ts for a set into `outdir`, as `IDPKIT_ENVIRONMENT_SET=<set> CDKTF_OUTDIR=<outdir> cdktf
 * synth` does, with IDPKIT_ENVIRONMENTS=<selection> when one is given.
 */
function synthesize(set: EnvironmentSetName, outdir: string, selection: string | undefined): void {
  const env: NodeJS.ProcessEnv = { ...process.env, IDPKIT_ENVIRONMENT_SET: set, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' };
  if (selection === undefined) delete env.IDPKIT_ENVIRONMENTS;
  else env.IDPKIT_ENVIRONMENTS = selection;
  delete env.NODE_OPTIONS;
  // cdktf.json's app command (`node <options> --require ./scripts/register-ts.js main.ts`), run by this Node.
  const [, ...args] = (JSON.parse(readFileSync(join(ROOT, 'cdktf.json'), 'utf8')) as { app: string }).app.split(/\s+/);
  execFileSync(process.execPath, args, { cwd: ROOT, env, stdio: 'pipe' });
}

/**
 * The outdir of a set's synthesis (`<outdir>/stacks/<stack>/cdk.tf.json`, `manifest.json`, the
 * catalog, the policy report), built on first use; with `selection`, of main.ts run with
 * IDPKIT_ENVIRONMENTS=<selection> (e.g. `dev,prod`). Read it, never write into it.
 */
export function synthesizedSet(set: EnvironmentSetName, selection?: string): string {
  const dir = join(cacheDirectory(), selection === undefined ? set : `${set}+${createHash('sha256').update(selection).digest('hex').slice(0, 16)}`);
  const lock = `${dir}.lock`;
  for (;;) {
    if (existsSync(dir)) return dir;
    try {
      mkdirSync(lock);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      else sleep(POLL_MS);
      continue;
    }
    try {
      if (existsSync(dir)) return dir;
      const building = `${dir}.building-${process.pid}`;
      rmSync(building, { recursive: true, force: true });
      synthesize(set, building, selection);
      renameSync(building, dir);
      return dir;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/** The names of the stacks a set synthesizes, sorted. */
export function synthesizedStackNames(set: EnvironmentSetName): string[] {
  return readdirSync(join(synthesizedSet(set), 'stacks')).sort();
}

/** One stack of a set's synthesis, parsed. */
export function synthesizedStack(set: EnvironmentSetName, stack: string): TerraformJson {
  return JSON.parse(readFileSync(join(synthesizedSet(set), 'stacks', stack, 'cdk.tf.json'), 'utf8'));
}

/** Every stack of a set's synthesis, parsed, by name. */
export function synthesizedStacks(set: EnvironmentSetName): { name: string; json: TerraformJson }[] {
  return synthesizedStackNames(set).map((name) => ({ name, json: synthesizedStack(set, name) }));
}

/**
 * The stacks of some environments of a set (their infra, platform and state bootstrap stacks), by
 * name, from the set's synthesis: what synthesizing those environments alone writes for them.
 */
export function synthesizedStacksOf(set: EnvironmentSetName, environments: readonly Environment[]): Record<string, TerraformJson> {
  const names = new Set(synthesizedStackNames(set));
  // Loaded on first use: test/helpers.ts imports this file, and most test files need no stacks.
  const { stacksOfEnvironment }: typeof StacksPolicy = jest.requireActual('../../stacks/policy');
  const owned = [...new Set(environments.flatMap((env) => stacksOfEnvironment(env)))].filter((stack) => names.has(stack)).sort();
  return Object.fromEntries(owned.map((stack) => [stack, synthesizedStack(set, stack)]));
}

/**
 * The files a published output directory shows (relative paths, sorted), through its links into
 * the published generation; the generations themselves (`.idpkit/`) are left out.
 */
function publishedFiles(outdir: string, under = ''): string[] {
  return readdirSync(join(outdir, under))
    .filter((name) => under !== '' || !name.startsWith('.'))
    .flatMap((name) => (statSync(join(outdir, under, name)).isDirectory() ? publishedFiles(outdir, join(under, name)) : [join(under, name)]))
    .sort();
}

/**
 * What `synthesizePlatform` publishes for these environment configs (those named in `only`, when
 * given, after validating them all), every check included (the stacks, manifest.json, the
 * catalog, the policy report), written into a new directory on each call: synthesized once while the sources do not change and kept (cachedFiles) for every test
 * file and run that asks again. The directory holds the files only, not the generations and
 * links of a synthesized outdir (test/stacks/publish.test.ts covers those), and the policy
 * report's CDKTF_OUT base names the directory the files were first synthesized into. Write into
 * it freely.
 */
export function synthesizedPlatform(environments: readonly unknown[], only?: readonly string[]): string {
  const files = cachedFiles('platforms', only === undefined ? environments : { environments, only }, () => {
    const parent = mkdtempSync(join(tmpdir(), 'idpkit-platform-'));
    const outdir = join(parent, 'out');
    try {
      // Loaded on first use, like synthesizedStacksOf's.
      const { synthesizePlatform }: typeof StacksApp = jest.requireActual('../../stacks/app');
      synthesizePlatform({ environments, outdir, only });
      return Object.fromEntries(publishedFiles(outdir).map((path) => [path, readFileSync(join(outdir, path), 'base64')]));
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
  const dir = mkdtempSync(join(tmpdir(), 'idpkit-platform-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content, 'base64');
  }
  return dir;
}
