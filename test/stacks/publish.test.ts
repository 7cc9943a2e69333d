import fs from 'node:fs';
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { types } from 'node:util';
import { IdpkitError } from '../../constructs/core/errors';
import { OUTPUT_LOCK_DEFAULTS, checkOutputDirectory, openOutput } from '../../stacks/publish';
import { injectFault } from '../support/fs-faults';
import { tree } from '../support/files';
import { KILL_TEST_TIMEOUT_MS, atEachStep, bundleChild, runChild } from '../support/kill-child';
import { mergedDirectories, publishLayout } from '../support/publish-layout';

const root = resolve(__dirname, '../..');
const tempDir = () => mkdtempSync(join(tmpdir(), 'idpkit-publish-'));
const OLD = {
  'manifest.json': '{"version":1}',
  'stacks/dev-infra/cdk.tf.json': 'old dev',
  'stacks/prod-infra/cdk.tf.json': 'old prod',
  'catalog/all.yaml': 'old catalog',
  'catalog/environments/prod.yaml': 'old prod entities',
};
/** What Terraform writes into a stack's directory after a synth: local state and its working directory. */
const TERRAFORM_FILES = {
  'stacks/dev-infra/terraform.dev-infra.tfstate': '{"serial": 7}',
  'stacks/dev-infra/.terraform/providers/aws.bin': 'provider',
  'stacks/dev-infra/.terraform.lock.hcl': 'lock',
};
const NEW = {
  'manifest.json': '{"version":2}',
  'stacks/dev-infra/cdk.tf.json': 'new dev',
  'stacks/staging-infra/cdk.tf.json': 'new staging',
  'catalog/all.yaml': 'new catalog',
  'idpkit-policy.sarif': 'sarif',
};
/** The output after NEW is published over OLD plus Terraform's files: the new files, what the synth did not write kept, `catalog/` replaced whole. */
const NEW_OVER_OLD = {
  ...NEW,
  ...TERRAFORM_FILES,
  'stacks/prod-infra/cdk.tf.json': 'old prod',
};

/** A child process publishing the layout in the JSON file `layout` into `outdir`, killed at step `killAt` (0: never). */
const killedAt = async (outdir: string, killAt: number, layout: string) => runChild(await bundleChild('test/support/publish-kill-child.ts'), [outdir, String(killAt), layout]);

/** An output directory's lock (a directory), held while a synth writes. */
const lockOf = (outdir: string) => join(outdir, '.idpkit', 'lock');
/** The record of who holds an output directory's lock, written just after the lock is made. */
const holderOf = (outdir: string) => join(outdir, '.idpkit', 'lock-holder.json');
/** Whether an output directory's lock is held and nobody recorded holding it: a synth was killed in between. */
const lockUnrecorded = (outdir: string) => fs.existsSync(lockOf(outdir)) && !fs.existsSync(holderOf(outdir));

/** Makes an output's lock `ageMs` old, as if made then (its mtime), instead of waiting for it to age. */
function ageLock(outdir: string, ageMs: number): void {
  const madeAt = new Date(Date.now() - ageMs);
  utimesSync(lockOf(outdir), madeAt, madeAt);
}

/** An output directory holding OLD as published, with Terraform's files written through the links. */
function oldOutput(): string {
  const outdir = join(tempDir(), 'cdktf.out');
  publishLayout(outdir, OLD);
  for (const [path, text] of Object.entries(TERRAFORM_FILES)) {
    mkdirSync(dirname(join(outdir, path)), { recursive: true });
    writeFileSync(join(outdir, path), text);
  }
  return outdir;
}

/** What a killed or failed synth may have left that the next run has to remove: anything of .idpkit but the current generation, and older idpkit's staging beside the output. */
function leftovers(outdir: string): string[] {
  const state = join(outdir, '.idpkit');
  const current = fs.readlinkSync(join(state, 'current'));
  return [
    ...readdirSync(state).filter((name) => !['current', 'generations'].includes(name)),
    ...readdirSync(join(state, 'generations'))
      .map((name) => `generations/${name}`)
      .filter((name) => name !== current),
    ...readdirSync(dirname(outdir)).filter((name) => name.startsWith('.cdktf.out.')),
  ];
}

describe('publish', () => {
  test('keeps the paths cdktf and Terraform use: each top-level entry links into the current generation, relative, so a copy of the directory works', () => {
    const outdir = oldOutput();
    expect(readFileSync(join(outdir, 'stacks', 'dev-infra', 'cdk.tf.json'), 'utf8')).toBe('old dev');
    expect(lstatSync(join(outdir, 'stacks')).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(join(outdir, 'manifest.json'))).toBe('.idpkit/current/manifest.json');
    const copy = join(tempDir(), 'copy');
    cpSync(outdir, copy, { recursive: true, verbatimSymlinks: true });
    expect(tree(copy)).toEqual(tree(outdir));
  });

  test('replaces what the synth wrote and keeps what it did not: local state, .terraform, other stacks; unmerged directories (catalog/) are replaced whole', () => {
    const outdir = oldOutput();
    publishLayout(outdir, NEW);
    expect(tree(outdir)).toEqual(NEW_OVER_OLD);
    expect(leftovers(outdir)).toEqual([]);
  });

  test('turns an output directory of an older idpkit or of cdktf (real directories) into generations, keeping every file', () => {
    const outdir = join(tempDir(), 'cdktf.out');
    for (const [path, text] of Object.entries({ ...OLD, ...TERRAFORM_FILES })) {
      mkdirSync(dirname(join(outdir, path)), { recursive: true });
      writeFileSync(join(outdir, path), text);
    }
    publishLayout(outdir, NEW);
    expect(tree(outdir)).toEqual(NEW_OVER_OLD);
    expect(readdirSync(outdir).filter((name) => !lstatSync(join(outdir, name)).isSymbolicLink())).toEqual(['.idpkit']);
    expect(leftovers(outdir)).toEqual([]);
  });

  test('a failed synth leaves the output byte-identical, and removes the output directory it created', () => {
    const outdir = oldOutput();
    const before = tree(outdir);
    const output = openOutput(outdir, { mergedDirectories });
    writeFileSync(join(output.staging, 'manifest.json'), 'half-written');
    output.close();
    expect(tree(outdir)).toEqual(before);
    expect(leftovers(outdir)).toEqual([]);
    const fresh = join(tempDir(), 'never');
    openOutput(fresh).close();
    expect(fs.existsSync(fresh)).toBe(false);
  });

  test('removes what killed synths left: unpublished generations, temporary links, entries moved aside, and older idpkit staging beside the output', () => {
    const outdir = oldOutput();
    const before = tree(outdir);
    mkdirSync(join(outdir, '.idpkit', 'generations', 'g-killed', 'stacks'), { recursive: true });
    symlinkSync('generations/g-killed', join(outdir, '.idpkit', 'link-0a1b2c'));
    mkdirSync(join(outdir, '.idpkit', 'replaced-x1', 'stacks'), { recursive: true });
    mkdirSync(join(dirname(outdir), '.cdktf.out.synth-AbC123', 'stacks'), { recursive: true });
    openOutput(outdir).close();
    expect(leftovers(outdir)).toEqual([]);
    expect(tree(outdir)).toEqual(before);
  });

  test('works when the output directory is its own mount point: nothing is renamed across its boundary (EXDEV there)', () => {
    const outdir = oldOutput();
    const inside = (path: unknown) => resolve(String(path)).startsWith(outdir + sep);
    const realRename = fs.renameSync;
    const rename = jest.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      if (!inside(from) || !inside(to)) throw Object.assign(new Error(`EXDEV: cross-device link not permitted, rename '${String(from)}' -> '${String(to)}'`), { code: 'EXDEV', syscall: 'rename' });
      realRename(from, to);
    });
    try {
      publishLayout(outdir, NEW);
    } finally {
      rename.mockRestore();
    }
    expect(tree(outdir)).toEqual(NEW_OVER_OLD);
  });
});

describe('output directory checks', () => {
  test.each([
    ['', 'the output directory is empty (CDKTF_OUTDIR="")'],
    ['/', 'is the root of the file system'],
    [homedir(), 'is the home directory'],
    [root, 'is the project root'],
    [dirname(root), 'is the project root'],
  ])('refuses %j', (outdir, message) => {
    expect(() => checkOutputDirectory(outdir, root)).toThrow(message);
  });

  test('accepts a directory of its own, inside the project or elsewhere', () => {
    expect(() => checkOutputDirectory(join(root, 'cdktf.out'), root)).not.toThrow();
    expect(() => checkOutputDirectory(join(tmpdir(), 'out'), root)).not.toThrow();
  });
});

describe('the output directory lock', () => {
  test('a second synth fails clearly, naming the holder, while the first holds the lock; then goes ahead', () => {
    const outdir = oldOutput();
    const first = openOutput(outdir);
    try {
      expect(() => openOutput(outdir, { lockWaitMs: 100 })).toThrow(
        expect.objectContaining({ code: 'IDPKIT_OUTPUT_LOCKED', message: expect.stringContaining(`is being written by another synth (process ${process.pid} on `) }),
      );
    } finally {
      first.close();
    }
    expect(() => openOutput(outdir, { lockWaitMs: 0 }).close()).not.toThrow();
  });

  test('the lock of a synth that was killed is taken over at once', async () => {
    const outdir = oldOutput();
    const layout = join(tempDir(), 'layout.json');
    writeFileSync(layout, JSON.stringify(NEW));
    // Step 4, after the lock is held and its holder recorded: making the staging generation. The holder's process is gone: taken over at once.
    expect((await killedAt(outdir, 4, layout)).signal).toBe('SIGKILL');
    expect(fs.existsSync(lockOf(outdir))).toBe(true);
    // Also when the lock was made just past a whole second: proper-lockfile sets its mtime to the next one plus 5 ms, up to 1004 ms after the record.
    const recordedAt = Date.parse((JSON.parse(readFileSync(holderOf(outdir), 'utf8')) as { since: string }).since);
    utimesSync(lockOf(outdir), new Date(recordedAt + 1_004), new Date(recordedAt + 1_004));
    expect(() => openOutput(outdir, { lockWaitMs: 0 }).close()).not.toThrow();
    // Step 4 again, and the killed synth's pid given since to a process that runs (this one, started at another time): still taken over at once.
    expect((await killedAt(outdir, 4, layout)).signal).toBe('SIGKILL');
    const holder = JSON.parse(readFileSync(holderOf(outdir), 'utf8'));
    expect(holder.started).toMatch(/^\d+$/);
    writeFileSync(holderOf(outdir), JSON.stringify({ ...holder, pid: process.pid }));
    expect(() => openOutput(outdir, { lockWaitMs: 0 }).close()).not.toThrow();
    // Step 3, between making the lock and recording the holder: taken over once the lock is older than OUTPUT_LOCK_DEFAULTS.unrecordedMs.
    expect((await killedAt(outdir, 3, layout)).signal).toBe('SIGKILL');
    expect(() => openOutput(outdir, { lockWaitMs: 0 }).close()).toThrow(expect.objectContaining({ code: 'IDPKIT_OUTPUT_LOCKED', message: expect.stringContaining('(another process)') }));
    // A tenth of a second short of that: a synth waiting for the lock takes it over once it is old enough.
    ageLock(outdir, OUTPUT_LOCK_DEFAULTS.unrecordedMs - 100);
    expect(() => openOutput(outdir, { lockWaitMs: 5_000 }).close()).not.toThrow();
  }, KILL_TEST_TIMEOUT_MS);
});

describe('fault injection: a synth failing or killed at any step of publish', () => {
  /** A tree as one comparable string, whatever order the directory listed it in. */
  const canonical = (files: Readonly<Record<string, string>>) => JSON.stringify(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)));
  const oldView = canonical(tree(oldOutput()));
  const newView = canonical(NEW_OVER_OLD);
  const isOldOrNew = (outdir: string) => [oldView, newView].includes(canonical(tree(outdir)));
  const steps = (() => {
    const outdir = oldOutput();
    const counting = injectFault(0, () => {
      throw new Error('never');
    });
    try {
      publishLayout(outdir, NEW);
    } finally {
      counting.restore();
    }
    return counting.calls();
  })();

  test(`an error at each of the ${steps} filesystem steps leaves the old output or the new one, and the next run leaves no staging`, () => {
    const results = Array.from({ length: steps }, (_, index) => {
      const outdir = oldOutput();
      const fault = injectFault(index + 1, (call) => {
        throw Object.assign(new Error(`ENOSPC: no space left on device, ${call}`), { code: 'ENOSPC', syscall: 'write', path: outdir });
      });
      try {
        publishLayout(outdir, NEW);
      } catch (error) {
        expect(types.isNativeError(error)).toBe(true);
      } finally {
        fault.restore();
      }
      const consistent = isOldOrNew(outdir);
      openOutput(outdir).close();
      return { step: index + 1, consistent, leftovers: leftovers(outdir), after: isOldOrNew(outdir) };
    });
    expect(results.filter((result) => !result.consistent || result.leftovers.length > 0 || !result.after)).toEqual([]);
  });

  test('a SIGKILL at each filesystem step leaves the old output or the new one, and the next run leaves no staging and publishes', async () => {
    const layout = join(tempDir(), 'layout.json');
    writeFileSync(layout, JSON.stringify(NEW));
    const dry = await killedAt(oldOutput(), 0, layout);
    expect(dry.status).toBe(0);
    const childSteps = Number(dry.stdout.trim());
    expect(childSteps).toBeGreaterThan(20);
    const results = await atEachStep(childSteps, async (step) => {
      const outdir = oldOutput();
      const killed = await killedAt(outdir, step, layout);
      const consistent = isOldOrNew(outdir);
      // The next run comes once a lock nobody recorded holding counts as abandoned (the lock test shows a run waiting for that); it takes over any lock at once.
      if (lockUnrecorded(outdir)) ageLock(outdir, OUTPUT_LOCK_DEFAULTS.unrecordedMs + 1_000);
      publishLayout(outdir, NEW, { lockWaitMs: 0 });
      return { step, signal: killed.signal, consistent, leftovers: leftovers(outdir), published: canonical(tree(outdir)) === newView };
    });
    expect(results.filter((result) => result.signal !== 'SIGKILL' || !result.consistent || result.leftovers.length > 0 || !result.published)).toEqual([]);
  }, KILL_TEST_TIMEOUT_MS);
});

test('IdpkitError is what a locked or refused output raises', () => {
  expect(() => checkOutputDirectory('/')).toThrow(IdpkitError);
});
