/**
 * Writing a layout of files into a directory all or nothing, also when the process is killed
 * (`idpkit init`, `workload render`, `catalog`).
 *
 * Every file is first written into a staging directory beside the target directory (in its
 * parent, so on the same file system; inside the target when the target is a mount point). A
 * journal listing the units (a file, or a directory replaced whole) is written next; then each
 * unit is switched in by rename, the one it replaces moved aside into the staging directory;
 * renaming the journal to its committed name is the one step that makes the new layout final.
 * When the target directory does not exist yet the whole layout is one unit, switched in by one
 * rename.
 *
 * An error rolls the moved units back and removes the staging directory. A kill leaves the
 * staging directory behind: the next write into the same directory finds it (its process is
 * gone), rolls back what an uncommitted journal lists, and removes it. Nothing partial survives
 * either way. Filesystem errors come out as `cannot write <path>: <why> (<code>)`, naming the
 * path the user asked for, never the staging directory.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { withFileSystemErrors } from '../constructs/core/errors';

/** What {@link writeLayoutAtomically} replaced, relative to the output directory, sorted. */
export interface WrittenLayout {
  readonly directory: string;
  /** Directories replaced whole (e.g. one per workload). */
  readonly directories: readonly string[];
  /** Files replaced one by one. */
  readonly singleFiles: readonly string[];
  /** How many files were written. */
  readonly fileCount: number;
}

/** Marks a staging directory in its name, after the target's name (beside it) or first (inside it). */
const STAGING_MARK = 'idpkit-';

/** The journal of a staging directory before and after the commit. */
const JOURNAL = { pending: 'journal.json', committed: 'journal.committed.json' } as const;

/** One unit the journal lists: its path in the target directory ('' for the whole directory), and whether a previous one was there. */
interface JournalUnit {
  readonly unit: string;
  readonly hadPrevious: boolean;
}

/** Where a write stages: `new/` the fresh units, `previous/` the ones they replaced. */
interface Staging {
  readonly root: string;
  readonly fresh: string;
  readonly previous: string;
}

const stagingOf = (root: string): Staging => ({ root, fresh: join(root, 'new'), previous: join(root, 'previous') });

/** The rendered layout's paths checked before anything is written: relative, inside the output directory. */
function checkLayoutPaths(files: Readonly<Record<string, string>>): void {
  const outside = Object.keys(files).filter((path) => path === '' || isAbsolute(path) || path.split(/[\\/]/).some((step) => step === '..' || step === '' || step === '.'));
  if (outside.length > 0) throw new Error(`the renderer gave paths outside the output directory: ${outside.join(', ')}`);
}

/** Whether a process with this id runs (a staging directory it owns is in use). */
function isRunning(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The staging directories of earlier writes into `directory` whose process is gone: beside it, and inside it. */
function leftoverStagings(directory: string): string[] {
  const places = [
    { dir: dirname(directory), prefix: `.${basename(directory)}.${STAGING_MARK}` },
    { dir: directory, prefix: `.${STAGING_MARK}` },
  ];
  return places.flatMap(({ dir, prefix }) => {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
    return readdirSync(dir)
      .filter((name) => name.startsWith(prefix) && !isRunning(Number(name.slice(prefix.length).split('-')[0])))
      .map((name) => join(dir, name));
  });
}

/** Puts back what a write had switched in, from its journal (idempotent: a rollback cut short runs again). */
function rollBack(directory: string, staging: Staging, units: readonly JournalUnit[]): void {
  for (const { unit, hadPrevious } of [...units].reverse()) {
    const target = join(directory, unit);
    const previous = join(staging.previous, unit);
    if (existsSync(previous)) {
      rmSync(target, { recursive: true, force: true });
      mkdirSync(dirname(target), { recursive: true });
      renameSync(previous, target);
    } else if (!hadPrevious && !existsSync(join(staging.fresh, unit))) {
      rmSync(target, { recursive: true, force: true });
    }
  }
}

/** Undoes what killed writes into `directory` left: uncommitted switches rolled back, staging directories removed. */
export function recoverInterruptedWrites(directory: string): void {
  for (const root of leftoverStagings(directory)) {
    const staging = stagingOf(root);
    const journal = join(root, JOURNAL.pending);
    withFileSystemErrors('write', directory, () => {
      if (existsSync(journal)) rollBack(directory, staging, JSON.parse(readFileSync(journal, 'utf8')) as JournalUnit[]);
      rmSync(root, { recursive: true, force: true });
    });
  }
}

/** Removes a staging directory whose work is done or undone; one that cannot be removed now is removed by the next write. */
function removeQuietly(root: string): void {
  try {
    rmSync(root, { recursive: true, force: true });
  } catch {
    // Left for recoverInterruptedWrites: its journal is committed or its switches rolled back.
  }
}

/** Whether `directory` is a mount point (its parent is on another file system): then staging goes inside it. */
const isMountPoint = (directory: string): boolean => statSync(directory).dev !== statSync(dirname(directory)).dev;

/**
 * Writes a layout (path relative to `directory` -> content) all or nothing, kill-safe (see the
 * module comment). `unitOfPath` says which unit a file belongs to: the file itself, or a directory
 * replaced whole (units must not nest).
 *
 * @throws IdpkitError `IDPKIT_FILESYSTEM` (`cannot write <path>: ...`) when a file or directory cannot be written; nothing was changed
 */
export function writeLayoutAtomically(directory: string, files: Readonly<Record<string, string>>, unitOfPath: (path: string) => string = (path) => path): WrittenLayout {
  checkLayoutPaths(files);
  recoverInterruptedWrites(directory);
  const paths = Object.keys(files).sort();
  const units = [...new Set(paths.map(unitOfPath))].sort();
  const exists = existsSync(directory);
  const created = exists ? undefined : withFileSystemErrors('write', dirname(directory), () => mkdirSync(dirname(directory), { recursive: true }));
  const stagingParent = exists && isMountPoint(directory) ? directory : dirname(directory);
  const prefix = stagingParent === directory ? `.${STAGING_MARK}` : `.${basename(directory)}.${STAGING_MARK}`;
  const staging = stagingOf(withFileSystemErrors('write', directory, () => mkdtempSync(join(stagingParent, `${prefix}${process.pid}-`))));
  // A new directory is one unit, switched in by one rename.
  const journal: JournalUnit[] = exists ? units.map((unit) => ({ unit, hadPrevious: existsSync(join(directory, unit)) })) : [{ unit: '', hadPrevious: false }];
  let switching = false;
  let removeStaging = true;
  try {
    for (const path of paths) {
      withFileSystemErrors('write', join(directory, path), () => {
        mkdirSync(dirname(join(staging.fresh, path)), { recursive: true });
        writeFileSync(join(staging.fresh, path), files[path]);
      });
    }
    withFileSystemErrors('write', directory, () => writeFileSync(join(staging.root, JOURNAL.pending), JSON.stringify(journal)));
    switching = true;
    for (const { unit, hadPrevious } of journal) {
      const target = join(directory, unit);
      withFileSystemErrors('write', target, () => {
        if (hadPrevious) {
          mkdirSync(dirname(join(staging.previous, unit)), { recursive: true });
          renameSync(target, join(staging.previous, unit));
        } else {
          mkdirSync(dirname(target), { recursive: true });
        }
        renameSync(join(staging.fresh, unit), target);
      });
    }
    withFileSystemErrors('write', directory, () => renameSync(join(staging.root, JOURNAL.pending), join(staging.root, JOURNAL.committed)));
    return { directory, directories: units.filter((unit) => !Object.hasOwn(files, unit)), singleFiles: units.filter((unit) => Object.hasOwn(files, unit)), fileCount: paths.length };
  } catch (error) {
    try {
      if (switching) rollBack(directory, staging, journal);
      if (created) rmSync(created, { recursive: true, force: true });
    } catch {
      // The journal stays: the next write into the directory rolls back what this one could not.
      removeStaging = false;
    }
    throw error;
  } finally {
    if (removeStaging) removeQuietly(staging.root);
  }
}
