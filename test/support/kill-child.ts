/**
 * Child processes for the kill tests (test/cli/layout-writer.test.ts, test/stacks/publish.test.ts):
 * a script that does one real write (init's files, a publish) and SIGKILLs itself at mutating
 * filesystem call number N (test/support/fs-faults.ts), run in a process of its own for every
 * step N.
 *
 * A kill test starts one process per step, so what starting one costs is paid dozens of times.
 * Under `node --require ./scripts/register-ts.js` a child costs about 0.3 s before it writes
 * anything: the TypeScript hook, then every module its imports reach (cli/init alone loads
 * commander, the presets, cdktf and zod). {@link bundleChild} instead bundles the script once per
 * test file with esbuild into one CommonJS file of the idpkit code the script uses: every module
 * is marked free of side effects, so one none of whose exports the script reaches is left out,
 * and packages are left to node's `require` (only the used ones are loaded). What runs is the same
 * idpkit code, bundled from the same sources, and `node:fs` stays the module fs-faults.ts wraps
 * (esbuild reads an imported function from the module at each call, as swc's CommonJS output
 * does). {@link runChildren} then starts the processes without `NODE_EXTRA_CA_CERTS` (see
 * {@link childEnvironment}), as many at a time as there are cores: a child costs little more than
 * starting node.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { Plugin, build, stop } from 'esbuild';

const root = resolve(__dirname, '../..');

/**
 * The timeout of a test that runs kill children: it is asynchronous, so jest's default of 5 s
 * applies, and a loaded machine can take longer than that to start dozens of processes.
 */
export const KILL_TEST_TIMEOUT_MS = 120_000;

/** How one child process ended. */
export interface ChildRun {
  /** The exit code, or null when a signal ended it. */
  readonly status: number | null;
  /** The signal that ended it, or null when it exited. */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Marks the plugin's own resolving of a file, which it leaves to esbuild. */
const RESOLVING_AGAIN = 'unused-modules-left-out';

/**
 * Marks every module free of side effects, so one none of whose exports the bundle uses is left
 * out. Packages stay outside the bundle (esbuild need not read them): the child requires the ones
 * it uses from the repository's node_modules.
 */
const unusedModulesLeftOut: Plugin = {
  name: 'unused-modules-left-out',
  setup(bundler) {
    bundler.onResolve({ filter: /^[^./]/ }, ({ path }) => ({ path, external: true, sideEffects: false }));
    bundler.onResolve({ filter: /^\./ }, async ({ path, kind, importer, resolveDir, pluginData }) => {
      if (pluginData === RESOLVING_AGAIN) return undefined;
      const resolved = await bundler.resolve(path, { kind, importer, resolveDir, pluginData: RESOLVING_AGAIN });
      return resolved.errors.length > 0 ? undefined : { ...resolved, sideEffects: false };
    });
  },
};

/** The bundles made so far in this test file, by script. */
const bundles = new Map<string, Promise<string>>();
/** The last bundle started: one builds after the other, as each stops esbuild's service when done. */
let lastBundle: Promise<unknown> = Promise.resolve();

/**
 * Bundles a child script (path relative to the repository root) into one plain JavaScript file in
 * a new temporary directory, once per test file; resolves to the file's path, for {@link runChildren}.
 */
export function bundleChild(script: string): Promise<string> {
  if (!bundles.has(script)) {
    const made = lastBundle.then(() => bundle(script));
    lastBundle = made.catch(() => undefined);
    bundles.set(script, made);
  }
  return bundles.get(script)!;
}

/** Builds the bundle of {@link bundleChild}. */
async function bundle(script: string): Promise<string> {
  const outfile = join(mkdtempSync(join(tmpdir(), 'idpkit-kill-child-')), `${basename(script, '.ts')}.js`);
  try {
    await build({ absWorkingDir: root, entryPoints: [join(root, script)], outfile, bundle: true, platform: 'node', format: 'cjs', logLevel: 'silent', plugins: [unusedModulesLeftOut] });
  } finally {
    // esbuild's service process would outlive the test file.
    await stop();
  }
  return outfile;
}

/**
 * The environment of a child: its packages found in the repository's node_modules, and no
 * `NODE_EXTRA_CA_CERTS`. Node reads and parses that bundle of certificates whenever it starts, not
 * when it first connects (about 50 ms where the variable names the system's bundle, most of what a
 * start costs); a child makes no connection.
 */
function childEnvironment(): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = { ...process.env, NODE_PATH: join(root, 'node_modules') };
  delete environment.NODE_EXTRA_CA_CERTS;
  return environment;
}

/** Runs a bundle with node and the given arguments, in the repository root. */
function runChild(bundled: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<ChildRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bundled, ...args], { cwd: root, env });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', fail);
    child.on('close', (status, signal) => done({ status, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }));
  });
}

/**
 * Runs a bundle of {@link bundleChild} once per argument list, as many processes at a time as
 * there are cores (each step writes into a directory of its own); the runs in the order of
 * `argLists`.
 */
export async function runChildren(bundled: string, argLists: readonly (readonly string[])[]): Promise<ChildRun[]> {
  const env = childEnvironment();
  const runs: ChildRun[] = new Array(argLists.length);
  let next = 0;
  const worker = async () => {
    while (next < argLists.length) {
      const index = next++;
      runs[index] = await runChild(bundled, argLists[index], env);
    }
  };
  await Promise.all(Array.from({ length: Math.min(availableParallelism(), argLists.length) }, worker));
  return runs;
}
