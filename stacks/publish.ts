/**
 * Publishing a synthesized output directory all or nothing.
 *
 * The output directory (`cdktf.out`) keeps its content in generations under `.idpkit/`:
 *
 * ```
 * cdktf.out/
 *   stacks -> .idpkit/current/stacks          one fixed link per top-level entry
 *   manifest.json -> .idpkit/current/manifest.json
 *   .idpkit/current -> generations/<id>       the one link a publish switches
 *   .idpkit/generations/<id>/                 the published output
 *   .idpkit/generations/<id2>/                a synth being staged (or leaked by a killed one)
 *   .idpkit/lock                              held while a synth writes (proper-lockfile)
 * ```
 *
 * A synth stages into a new generation inside the output directory (so on its file system, even
 * when the directory is a mount point), carries over by hard link what it does not write (local
 * state, `.terraform`, other environments' stacks) and switches `current` with one rename: a
 * reader, and a synth killed at any moment, sees the old output or the new one. Paths stay
 * `cdktf.out/stacks/<stack>/cdk.tf.json` for cdktf and Terraform.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { basename, dirname, join, parse, relative, resolve, sep } from 'node:path';
import { lockSync } from 'proper-lockfile';
import { IdpkitError, fileSystemError, isFileSystemError } from '../constructs/core/errors';
import { OUTPUT_STATE_DIRECTORY } from '../constructs/core/output-state';

/** The directory inside an output directory that holds its generations, the `current` link and the lock. */
const PUBLISH_DIRECTORY = OUTPUT_STATE_DIRECTORY;

/** Names inside {@link PUBLISH_DIRECTORY}. */
const GENERATIONS = 'generations';
const CURRENT = 'current';
const LOCK = 'lock';
const LOCK_HOLDER = 'lock-holder.json';
/** Prefixes of the short-lived entries of {@link PUBLISH_DIRECTORY}: links being renamed into place, entries moved aside. */
const LINK_PREFIX = 'link-';
const REPLACED_PREFIX = 'replaced-';

/** How long a synth waits for another one's lock, and when a lock nobody refreshed counts as abandoned. */
export const OUTPUT_LOCK_DEFAULTS = {
  /** Wait this long for another synth to finish before failing. */
  waitMs: 10_000,
  /** Poll the lock this often while waiting. */
  pollMs: 200,
  /** A lock without a holder record older than this was left by a synth killed between making the lock and recording itself. */
  unrecordedMs: 2_000,
  /** A lock older than this is taken over (a holder on another host that died); a dead holder on this host is noticed at once. */
  staleMs: 30 * 60_000,
} as const;

/** Options of {@link openOutput}. */
export interface OpenOutputOptions {
  /**
   * Directories of a generation (relative, `/`-separated; `''` is the top) whose entries a synth
   * replaces one by one: what it did not write there is carried over from the published
   * generation. Every other entry the synth wrote replaces the old one whole.
   * @default - only the top level
   */
  readonly mergedDirectories?: (path: string) => boolean;
  /** @default OUTPUT_LOCK_DEFAULTS.waitMs */
  readonly lockWaitMs?: number;
  /** Directory an output path must not be, nor contain. @default process.cwd() */
  readonly projectRoot?: string;
}

/** An output directory opened for one synth: write into `staging`, then {@link OpenOutput.publish} or {@link OpenOutput.close}. */
export interface OpenOutput {
  /** The output directory, absolute. */
  readonly outdir: string;
  /** An empty directory (a new generation) to write the whole new output into. */
  readonly staging: string;
  /** Makes `staging` the output, in one atomic step (see the module's comment). */
  publish(): void;
  /** Releases the lock; removes `staging` unless published, and the output directory when this synth created it and published nothing. */
  close(): void;
}

/**
 * Refuses an output path whose publish would clobber what is not output: empty, a file-system
 * root, the home directory, or the project root or a directory above it.
 */
export function checkOutputDirectory(outdir: string, projectRoot: string = process.cwd()): void {
  if (outdir.trim() === '') {
    throw new IdpkitError('IDPKIT_INVALID_INPUT', ['the output directory is empty (CDKTF_OUTDIR=""): unset CDKTF_OUTDIR for cdktf.out, or set it to a directory of its own']);
  }
  const absolute = resolve(outdir);
  const root = resolve(projectRoot);
  const reasons: [boolean, string][] = [
    [absolute === parse(absolute).root, 'the root of the file system'],
    [absolute === resolve(homedir()), 'the home directory'],
    [absolute === root || root.startsWith(absolute.endsWith(sep) ? absolute : absolute + sep), `the project root ${root} or a directory above it`],
  ];
  const reason = reasons.find(([applies]) => applies);
  if (reason) throw new IdpkitError('IDPKIT_INVALID_INPUT', [`output directory ${absolute} is ${reason[1]}: give a directory of its own, such as cdktf.out`]);
}

/**
 * Opens an output directory for a synth: refuses a dangerous path ({@link checkOutputDirectory}),
 * takes its lock (waiting for another synth up to `lockWaitMs`), removes what killed synths left
 * (unpublished generations, links and entries moved aside, and the `.<outdir>.synth-*`
 * directories of idpkit before 0.2) and makes a staging generation.
 */
export function openOutput(outdir: string, options: OpenOutputOptions = {}): OpenOutput {
  checkOutputDirectory(outdir, options.projectRoot);
  const absolute = resolve(outdir);
  const state = join(absolute, PUBLISH_DIRECTORY);
  const createdOutdir = write(absolute, () => mkdirSync(absolute, { recursive: true }));
  const createdState = write(state, () => mkdirSync(join(state, GENERATIONS), { recursive: true }));
  const release = lockOutput(absolute, options.lockWaitMs ?? OUTPUT_LOCK_DEFAULTS.waitMs);
  let published = false;
  let staging: string | undefined;
  const close = () => {
    try {
      if (staging && !published) rmSync(staging, { recursive: true, force: true });
    } finally {
      release();
    }
    if (published) return;
    if (createdOutdir) rmSync(createdOutdir, { recursive: true, force: true });
    else if (createdState) rmSync(state, { recursive: true, force: true });
  };
  try {
    removeLeftovers(absolute);
    staging = write(state, () => newGeneration(absolute));
  } catch (error) {
    close();
    throw error;
  }
  const opened = staging;
  return {
    outdir: absolute,
    staging: opened,
    publish: () => {
      const replaced = write(absolute, () => publishGeneration(absolute, opened, options.mergedDirectories ?? ((path) => path === '')));
      published = true;
      try {
        if (replaced) rmSync(replaced, { recursive: true, force: true });
      } catch {
        // The output is published; a replaced generation that cannot be removed now is removed by the next run (removeLeftovers).
      }
    },
    close,
  };
}

/** Runs a write, turning a failed filesystem call into `cannot write <path>: ...`. */
function write<T>(path: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (isFileSystemError(error)) throw fileSystemError(error, error.syscall === 'rename' ? 'move' : 'write', error.path ?? path);
    throw error;
  }
}

/** A new, empty generation directory, with the output directory's permissions (mkdtemp makes it private). */
function newGeneration(outdir: string): string {
  const generation = mkdtempSync(join(outdir, PUBLISH_DIRECTORY, GENERATIONS, 'g-'));
  chmodSync(generation, statSync(outdir).mode & 0o7777);
  return generation;
}

/** The generation `current` points to (absolute), if any. */
function currentGeneration(outdir: string): string | undefined {
  try {
    return resolve(outdir, PUBLISH_DIRECTORY, readlinkSync(join(outdir, PUBLISH_DIRECTORY, CURRENT)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The target of the fixed link of a top-level entry: through `current`, relative so a copied output directory still works. */
const entryLinkTarget = (name: string) => `${PUBLISH_DIRECTORY}/${CURRENT}/${name}`;

/** Whether the output directory's top-level `name` is idpkit's link, a real file or directory (of a synth before 0.2, or of cdktf), or absent. */
function entryKind(outdir: string, name: string): 'link' | 'real' | 'absent' {
  try {
    const stat = lstatSync(join(outdir, name));
    return stat.isSymbolicLink() && readlinkSync(join(outdir, name)) === entryLinkTarget(name) ? 'link' : 'real';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw error;
  }
}

/** Points `path` at `target` in one step: a new link beside it renamed over it (a file or link; not a directory). */
function replaceWithLink(outdir: string, target: string, path: string): void {
  const temporary = join(outdir, PUBLISH_DIRECTORY, `${LINK_PREFIX}${randomBytes(6).toString('hex')}`);
  symlinkSync(target, temporary);
  renameSync(temporary, path);
}

/**
 * Publishes `staging`: carries over what the output has and the synth did not write, puts the
 * fixed top-level links in place, then switches `current`, the last step and the one that changes
 * what readers see. Returns the generation it replaced, for the caller to remove.
 */
function publishGeneration(outdir: string, staging: string, merged: (path: string) => boolean): string | undefined {
  const names = readdirSync(staging).sort();
  migrateRealEntries(outdir, names);
  const previous = currentGeneration(outdir);
  if (previous) carryOver(previous, staging, '', merged);
  for (const name of readdirSync(staging).sort()) {
    if (entryKind(outdir, name) === 'absent') symlinkSync(entryLinkTarget(name), join(outdir, name));
  }
  replaceWithLink(outdir, relative(join(outdir, PUBLISH_DIRECTORY), staging), join(outdir, PUBLISH_DIRECTORY, CURRENT));
  return previous;
}

/**
 * Turns the real top-level entries among `names` (an output directory written before 0.2, or by
 * cdktf itself) into generation links without changing what readers see: a generation made of
 * hard links to them (over the current one, if any) becomes current, then each entry is replaced
 * by its link. A file is replaced in one rename; a directory has to be moved aside first, the one
 * moment, once per output directory, when a reader can find it missing.
 */
function migrateRealEntries(outdir: string, names: readonly string[]): void {
  const real = names.filter((name) => entryKind(outdir, name) === 'real');
  if (real.length === 0) return;
  const state = join(outdir, PUBLISH_DIRECTORY);
  const previous = currentGeneration(outdir);
  const generation = newGeneration(outdir);
  for (const name of real) linkTree(join(outdir, name), join(generation, name));
  if (previous) carryOver(previous, generation, '', (path) => path === '');
  replaceWithLink(outdir, relative(state, generation), join(state, CURRENT));
  if (previous) rmSync(previous, { recursive: true, force: true });
  const aside = mkdtempSync(join(state, REPLACED_PREFIX));
  for (const name of [...real].sort((a, b) => Number(a === 'manifest.json') - Number(b === 'manifest.json'))) {
    if (lstatSync(join(outdir, name)).isDirectory()) renameSync(join(outdir, name), join(aside, name));
    replaceWithLink(outdir, entryLinkTarget(name), join(outdir, name));
  }
  rmSync(aside, { recursive: true, force: true });
}

/**
 * Copies into `to` what `from` has and `to` lacks, by hard link (the old generation stays
 * byte-identical; no data is copied): at the top and in directories `merged` names entry by entry,
 * elsewhere whole entries.
 */
function carryOver(from: string, to: string, at: string, merged: (path: string) => boolean): void {
  for (const entry of readdirSync(join(from, at))) {
    const path = at === '' ? entry : `${at}/${entry}`;
    const target = join(to, path);
    let existing;
    try {
      existing = lstatSync(target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      linkTree(join(from, path), target);
      continue;
    }
    if (existing.isDirectory() && merged(path) && lstatSync(join(from, path)).isDirectory()) carryOver(from, to, path, merged);
  }
}

/** Errors of `link` that mean the file system cannot hard-link this file: copy it instead. */
const HARD_LINK_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'EXDEV']);

/** Recreates a tree: directories made, symbolic links recreated, files hard-linked (copied where the file system cannot link). */
function linkTree(from: string, to: string): void {
  const stat = lstatSync(from);
  if (stat.isDirectory()) {
    mkdirSync(to, { mode: stat.mode });
    for (const entry of readdirSync(from)) linkTree(join(from, entry), join(to, entry));
  } else if (stat.isSymbolicLink()) {
    symlinkSync(readlinkSync(from), to);
  } else {
    try {
      linkSync(from, to);
    } catch (error) {
      if (!HARD_LINK_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
      copyFileSync(from, to);
    }
  }
}

/**
 * Removes what killed synths left, under the lock: generations that are not current, temporary
 * links, entries moved aside, and the `.<outdir>.synth-*` staging directories idpkit before 0.2
 * made beside the output directory.
 */
function removeLeftovers(outdir: string): void {
  const state = join(outdir, PUBLISH_DIRECTORY);
  const current = currentGeneration(outdir);
  for (const generation of readdirSync(join(state, GENERATIONS))) {
    if (join(state, GENERATIONS, generation) !== current) rmSync(join(state, GENERATIONS, generation), { recursive: true, force: true });
  }
  for (const entry of readdirSync(state).filter((name) => name.startsWith(LINK_PREFIX) || name.startsWith(REPLACED_PREFIX))) {
    rmSync(join(state, entry), { recursive: true, force: true });
  }
  const legacy = `.${basename(outdir)}.synth-`;
  for (const entry of readdirSync(dirname(outdir)).filter((name) => name.startsWith(legacy))) {
    rmSync(join(dirname(outdir), entry), { recursive: true, force: true });
  }
}

/** Who holds an output directory's lock, as written beside it. */
interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  /** When the process started, in clock ticks since boot (Linux's /proc/<pid>/stat): a later process given the same pid is not the holder. */
  readonly started?: string;
}

/** When a process of this host started (/proc/<pid>/stat, field 22), where the system tells. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** The lock holder's record, if readable. */
function readHolder(state: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(join(state, LOCK_HOLDER), 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

/** Whether the holder's process still runs on this host (not another process that was given its pid since). */
function isRunning(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return holder.started === undefined || processStart(holder.pid) === holder.started;
}

/**
 * How far ahead of the moment it was made a new lock's mtime can be: proper-lockfile sets it to the
 * next whole second plus 5 ms (probing the file system's precision).
 */
const LOCK_MTIME_LEAD_MS = 1_005;

/** Whether a holder record is of the lock now held, not left by an older holder (the record is written just after the lock is made). */
function recordsThisLock(holder: LockHolder, lockPath: string): boolean {
  try {
    return Date.parse(holder.since) >= statSync(lockPath).mtimeMs - LOCK_MTIME_LEAD_MS;
  } catch {
    return false;
  }
}

/** How long ago the lock was made or refreshed; 0 when it is gone. */
function lockAgeMs(lockPath: string): number {
  const stat = statSync(lockPath, { throwIfNoEntry: false });
  return stat ? Date.now() - stat.mtimeMs : 0;
}

/** Blocks the thread (synthesis is synchronous). */
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Takes the output directory's lock (proper-lockfile's `mkdir` lock, `.idpkit/lock`) and records
 * the holder: waits up to `waitMs` for another synth, takes over the lock of a holder of this
 * host that no longer runs, and otherwise fails naming the holder. Returns the release.
 */
function lockOutput(outdir: string, waitMs: number): () => void {
  const state = join(outdir, PUBLISH_DIRECTORY);
  const lockPath = join(state, LOCK);
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const release = lockSync(outdir, { lockfilePath: lockPath, realpath: false, stale: OUTPUT_LOCK_DEFAULTS.staleMs });
      try {
        writeFileSync(join(state, LOCK_HOLDER), `${JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString(), started: processStart(process.pid) } satisfies LockHolder)}\n`);
      } catch (error) {
        release();
        throw error;
      }
      // The record goes before the lock: a holder file seen under a lock always belongs to that lock
      // (or to a holder that was killed), never to one released moments ago. The lock goes even when
      // the record cannot be removed: a record under no lock is replaced by the next holder's.
      return () => {
        try {
          rmSync(join(state, LOCK_HOLDER), { force: true });
        } finally {
          release();
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    }
    const holder = readHolder(state);
    const abandoned = holder ? holder.host === hostname() && !isRunning(holder) && recordsThisLock(holder, lockPath) : lockAgeMs(lockPath) > OUTPUT_LOCK_DEFAULTS.unrecordedMs;
    if (abandoned) {
      rmSync(lockPath, { recursive: true, force: true });
      rmSync(join(state, LOCK_HOLDER), { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      const who = holder ? `process ${holder.pid} on ${holder.host}, since ${holder.since}` : 'another process';
      throw new IdpkitError('IDPKIT_OUTPUT_LOCKED', [
        `${outdir} is being written by another synth (${who}); waited ${Math.round(waitMs / 1000)} s. Run again when it has finished; if that process no longer runs, remove ${lockPath}`,
      ]);
    }
    sleep(Math.min(OUTPUT_LOCK_DEFAULTS.pollMs, deadline - Date.now()));
  }
}
