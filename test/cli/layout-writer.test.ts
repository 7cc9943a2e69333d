import { spawn } from 'node:child_process';
import fs, { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InitFile, writeInitFiles } from '../../cli/init';
import { recoverInterruptedWrites, writeLayoutAtomically } from '../../cli/layout-writer';
import { IdpkitError } from '../../constructs/core/errors';
import { tree } from '../support/files';
import { injectFault } from '../support/fs-faults';
import { KILL_TEST_TIMEOUT_MS, bundleChild, runChildren } from '../support/kill-child';
import { tempDir } from './cli-helpers';

/** Init's files, as `idpkit init` writes them (environment files overwritten with --force, the app's files only when absent). */
const INIT_FILES: readonly InitFile[] = [
  { path: 'environments/dev.ts', content: 'export const dev = { name: "dev" };\n', onlyWhenAbsent: false },
  { path: 'environments/prod.ts', content: 'export const prod = { name: "prod" };\n', onlyWhenAbsent: false },
  { path: 'environments/index.ts', content: 'export * from "./dev";\nexport * from "./prod";\n', onlyWhenAbsent: false },
  { path: 'main.ts', content: 'main\n', onlyWhenAbsent: true },
  { path: 'cdktf.json', content: '{}\n', onlyWhenAbsent: true },
  { path: 'tsconfig.json', content: '{}\n', onlyWhenAbsent: true },
];
const NEW_LAYOUT = Object.fromEntries(INIT_FILES.map((file) => [file.path, file.content]));

/** A project init already ran in, with a file of the user's beside init's and one init does not know in environments/. */
const OLD_PROJECT = {
  'package.json': '{"name":"platform"}\n',
  'environments/dev.ts': 'old dev\n',
  'environments/index.ts': 'old index\n',
  'environments/qa.ts': 'the user\'s own\n',
  'main.ts': 'the user\'s main\n',
};
/** OLD_PROJECT after `init --force`: environment files replaced, main.ts kept, the rest added, the user's files untouched. */
const NEW_PROJECT = { ...OLD_PROJECT, ...NEW_LAYOUT, 'main.ts': OLD_PROJECT['main.ts'] };

function project(files: Readonly<Record<string, string>>): string {
  const dir = join(tempDir('idpkit-layout-'), 'platform');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Staging directories a write into `dir` left: beside it, and inside it. */
const leftovers = (dir: string): string[] => [
  ...readdirSync(dirname(dir)).filter((name) => name.startsWith(`.${basename(dir)}.idpkit-`)),
  ...(fs.existsSync(dir) ? readdirSync(dir).filter((name) => name.startsWith('.idpkit-')) : []),
];

/** A tree as one comparable string, whatever order the directory listed it in. */
const canonical = (files: Readonly<Record<string, string>>): string => JSON.stringify(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)));

describe('writeLayoutAtomically', () => {
  test('a directory that does not exist yet appears by one rename, with every file; nothing is left beside it', () => {
    const dir = join(tempDir('idpkit-layout-'), 'a', 'platform');
    const rename = jest.spyOn(fs, 'renameSync');
    try {
      const written = writeLayoutAtomically(dir, NEW_LAYOUT);
      expect(written).toEqual({ directory: dir, directories: [], singleFiles: Object.keys(NEW_LAYOUT).sort(), fileCount: 6 });
      expect(rename.mock.calls.filter(([, to]) => to === dir)).toHaveLength(1);
      expect(rename.mock.calls.filter(([, to]) => String(to).startsWith(`${dir}/`))).toEqual([]);
    } finally {
      rename.mockRestore();
    }
    expect(tree(dir)).toEqual(NEW_LAYOUT);
    expect(leftovers(dir)).toEqual([]);
  });

  test('in an existing directory, replaces the units and keeps every other file', () => {
    const dir = project(OLD_PROJECT);
    writeInitFiles(dir, INIT_FILES, true);
    expect(canonical(tree(dir))).toBe(canonical(NEW_PROJECT));
    expect(leftovers(dir)).toEqual([]);
  });

  test('an error at any filesystem step changes nothing and names the target path (never the staging directory); the next run finds no staging', () => {
    const steps = (() => {
      const counting = injectFault(0, () => {
        throw new Error('never');
      });
      try {
        writeInitFiles(project(OLD_PROJECT), INIT_FILES, true);
      } finally {
        counting.restore();
      }
      return counting.calls();
    })();
    expect(steps).toBeGreaterThan(10);
    const results = Array.from({ length: steps }, (_, index) => {
      const dir = project(OLD_PROJECT);
      const fault = injectFault(index + 1, (call) => {
        throw Object.assign(new Error(`EACCES: permission denied, ${call}`), { code: 'EACCES', syscall: 'open', path: '/somewhere/staging' });
      });
      let message = '';
      try {
        writeInitFiles(dir, INIT_FILES, true);
      } catch (error) {
        message = error instanceof IdpkitError && error.code === 'IDPKIT_FILESYSTEM' ? error.message : `not an IdpkitError: ${String(error)}`;
      } finally {
        fault.restore();
      }
      const view = canonical(tree(dir));
      // Failed: nothing changed, and the message names where the user asked to write. Succeeded (the fault hit the cleanup after the switch): all of it.
      const failedCleanly = message.startsWith(`cannot write ${dirname(dir)}`) && message.endsWith(': permission denied (EACCES)') && !message.includes('.platform.idpkit-') && view === canonical(OLD_PROJECT);
      const succeeded = message === '' && view === canonical(NEW_PROJECT);
      recoverInterruptedWrites(dir);
      return { step: index + 1, failedCleanly, succeeded, message, leftovers: leftovers(dir) };
    });
    expect(results.filter((result) => !(result.failedCleanly || result.succeeded) || result.leftovers.length > 0)).toEqual([]);
    // Only a fault after the switch (removing the staging directory, which the next run then removes) lets the write succeed.
    const firstSuccess = results.findIndex((result) => result.succeeded);
    expect(firstSuccess).toBeGreaterThan(0);
    expect(results.slice(firstSuccess).every((result) => result.succeeded)).toBe(true);
  });

  describe('a SIGKILL at each filesystem step', () => {
    const filesJson = join(tempDir('idpkit-layout-'), 'files.json');
    writeFileSync(filesJson, JSON.stringify(INIT_FILES));
    /** One child process per directory, writing init's files there and killed at step `killAt` (0: never). */
    const killedAt = async (runs: readonly { dir: string; killAt: number }[]) =>
      runChildren(await bundleChild('test/support/layout-kill-child.ts'), runs.map(({ dir, killAt }) => [dir, String(killAt), filesJson]));

    test.each([
      ['into a new directory', {}, NEW_LAYOUT],
      ['into an existing project (init --force)', OLD_PROJECT, NEW_PROJECT],
    ])('%s leaves the old files or the new ones once the next run has cleaned up, and no staging', async (_, before, after) => {
      const fresh = () => (Object.keys(before).length === 0 ? join(tempDir('idpkit-layout-'), 'platform') : project(before));
      const [dry] = await killedAt([{ dir: fresh(), killAt: 0 }]);
      expect(dry.stderr).toBe('');
      const steps = Number(dry.stdout.trim());
      expect(steps).toBeGreaterThan(5);
      const runs = Array.from({ length: steps }, (_unused, index) => ({ dir: fresh(), killAt: index + 1 }));
      const killed = await killedAt(runs);
      const results = runs.map(({ dir, killAt }, index) => {
        recoverInterruptedWrites(dir);
        const view = canonical(tree(dir));
        const oldOrNew = view === canonical(before) || view === canonical(after);
        const leftBehind = leftovers(dir);
        writeInitFiles(dir, INIT_FILES, true);
        return { step: killAt, signal: killed[index].signal, oldOrNew, leftBehind, rewritten: canonical(tree(dir)) === canonical(after) };
      });
      expect(results.filter((result) => result.signal !== 'SIGKILL' || !result.oldOrNew || result.leftBehind.length > 0 || !result.rewritten)).toEqual([]);
    }, KILL_TEST_TIMEOUT_MS);
  });

  test('leaves alone the staging directory of a write that is still running', async () => {
    const dir = project(OLD_PROJECT);
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const live = join(dirname(dir), `.platform.idpkit-${sleeper.pid}-abc123`);
      mkdirSync(join(live, 'new'), { recursive: true });
      const dead = join(dirname(dir), '.platform.idpkit-999999999-def456');
      mkdirSync(join(dead, 'new'), { recursive: true });
      recoverInterruptedWrites(dir);
      expect(leftovers(dir)).toEqual([basename(live)]);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });
});
