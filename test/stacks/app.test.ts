import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultEnvironments, environmentSets } from '../../environments';
import { IdpkitError } from '../../constructs/core/errors';
import { SYNTHESIS_CHECKS, SynthesisCheck, synthesizePlatform } from '../../stacks/app';
import { TerraformJson, onlyResource } from '../helpers';
import { synthesizedPlatform, synthesizedSet } from '../support/synthesized-sets';

/** The checks list is readonly for users; a test appends a failing one. */
const SYNTHESIS_CHECKS_FOR_TEST = SYNTHESIS_CHECKS as SynthesisCheck[];
const tempDir = () => mkdtempSync(join(tmpdir(), 'idpkit-app-'));
const stackDirs = (outdir: string) => readdirSync(join(outdir, 'stacks')).sort();
const readStack = (outdir: string, stack: string): TerraformJson => JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
/** A file's bytes, one character per byte, so that `toBe` compares them at once (`toEqual` on Buffers walks them byte by byte). */
const bytesOf = (path: string): string => readFileSync(path, 'latin1');

describe('synthesizePlatform', () => {
  // What main.ts writes for the default set (`cdktf synth`), through synthesizePlatform.
  const outdir = synthesizedSet('default');

  test('writes an infra stack per environment and a bootstrap stack per state bucket', () => {
    expect(stackDirs(outdir)).toEqual([
      'bootstrap-idpkit-state-111111111111-eu-west-1',
      'bootstrap-idpkit-state-222222222222-eu-west-1',
      'dev-infra',
      'dev-platform',
      'prod-infra',
      'prod-platform',
      'staging-infra',
      'staging-platform',
    ]);
  });

  test('bootstrap stacks keep local state until state.bootstrap says remote (test/stacks/state-bootstrap-stack.test.ts), and tag which environments they serve', () => {
    const bootstrap = readStack(outdir, 'bootstrap-idpkit-state-111111111111-eu-west-1');
    expect(bootstrap.terraform.backend).toEqual({ local: { path: 'bootstrap-idpkit-state-111111111111-eu-west-1.tfstate' } });
    expect(onlyResource(bootstrap, 'aws_s3_bucket').bucket).toBe('idpkit-state-111111111111-eu-west-1');
    expect(bootstrap.provider!.aws[0].default_tags[0].tags.environment).toBe('dev+staging');
  });

  test('two syntheses of the same input give byte-identical Terraform JSON, on every cloud', () => {
    // The first is main.ts's, in another process; the second synthesizePlatform's in a jest worker.
    // Both are kept while the sources do not change (test/support/synthesized-sets.ts).
    const [first, second] = [synthesizedSet('all'), synthesizedPlatform(environmentSets.all)];
    expect(stackDirs(first)).toHaveLength(20);
    for (const stack of stackDirs(first)) {
      expect(bytesOf(join(second, 'stacks', stack, 'cdk.tf.json'))).toBe(bytesOf(join(first, 'stacks', stack, 'cdk.tf.json')));
    }
    expect(bytesOf(join(second, 'manifest.json'))).toBe(bytesOf(join(first, 'manifest.json')));
  });

  test('only: synthesizes the named environments, after validating them all', () => {
    const some = synthesizedPlatform(defaultEnvironments, ['prod']);
    expect(stackDirs(some)).toEqual(['bootstrap-idpkit-state-222222222222-eu-west-1', 'prod-infra', 'prod-platform']);
  });
});

describe('main.ts (what `cdktf synth` runs)', () => {
  const root = resolve(__dirname, '../..');
  const runMain = (env: Record<string, string>) =>
    execFileSync(process.execPath, ['--require', './scripts/register-ts.js', 'main.ts'], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', stdio: 'pipe' });

  test('IDPKIT_ENVIRONMENTS limits synthesis to the listed environments', () => {
    // main.ts run with IDPKIT_ENVIRONMENTS=dev, kept like the sets' syntheses while the sources do not change.
    const outdir = synthesizedSet('default', 'dev');
    expect(stackDirs(outdir)).toEqual(['bootstrap-idpkit-state-111111111111-eu-west-1', 'dev-infra', 'dev-platform']);
  });

  test('throws when IDPKIT_ENVIRONMENTS names an unknown environment: exit 1, a clear message, nothing written', () => {
    const outdir = join(tempDir(), 'out');
    let failure: { status: number; stderr: string } | undefined;
    try {
      runMain({ CDKTF_OUTDIR: outdir, IDPKIT_ENVIRONMENTS: 'qa' });
    } catch (error) {
      failure = error as { status: number; stderr: string };
    }
    expect(failure?.status).toBe(1);
    expect(failure?.stderr).toContain('IDPKIT_UNKNOWN_ENVIRONMENT');
    expect(failure?.stderr).toContain('no environment named "qa" (allowed: dev, staging, prod)');
    expect(() => readdirSync(outdir)).toThrow();
  });

  test('IDPKIT_ENVIRONMENT_SET=constructor (a name of Object.prototype) is an unknown set: exit 1, an idpkit message, no stack trace', () => {
    const outdir = join(tempDir(), 'out');
    let failure: { status: number; stderr: string } | undefined;
    try {
      runMain({ CDKTF_OUTDIR: outdir, IDPKIT_ENVIRONMENT_SET: 'constructor' });
    } catch (error) {
      failure = error as { status: number; stderr: string };
    }
    expect(failure?.status).toBe(1);
    expect(failure?.stderr).toBe('idpkit: IDPKIT_UNKNOWN_ENVIRONMENT\nIDPKIT_ENVIRONMENT_SET=constructor: no environment set named "constructor" (allowed: default, examples, all, presets)\n');
    expect(() => readdirSync(outdir)).toThrow();
  });
});

describe('synthesizePlatform is atomic', () => {
  const snapshot = (dir: string): Record<string, string> =>
    Object.fromEntries(
      readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => {
          const path = join(entry.parentPath, entry.name);
          return [path.slice(dir.length), readFileSync(path, 'base64')];
        }),
    );
  const failingCheck = () => {
    throw new IdpkitError('IDPKIT_SECRET_IN_OUTPUT', ['a check failed']);
  };
  /** An outdir a synthesis of the default environments published: a copy of main.ts's (links stay relative, into the copy). */
  const synthesizedOutdir = (parent: string): string => {
    const outdir = join(parent, 'cdktf.out');
    cpSync(synthesizedSet('default'), outdir, { recursive: true, verbatimSymlinks: true });
    return outdir;
  };

  test('throws when a check fails, leaving a pre-existing outdir byte-identical and no temporary directory', () => {
    const parent = tempDir();
    const outdir = synthesizedOutdir(parent);
    writeFileSync(join(outdir, 'stacks', 'dev-infra', 'terraform.dev-infra.tfstate'), '{"serial": 7}');
    const before = snapshot(outdir);
    SYNTHESIS_CHECKS_FOR_TEST.push(failingCheck);
    try {
      expect(() => synthesizePlatform({ environments: defaultEnvironments, outdir, only: ['dev'] })).toThrow(expect.objectContaining({ code: 'IDPKIT_SECRET_IN_OUTPUT' }));
    } finally {
      SYNTHESIS_CHECKS_FOR_TEST.pop();
    }
    expect(snapshot(outdir)).toEqual(before);
    expect(readdirSync(parent)).toEqual(['cdktf.out']);
  });

  test('replaces what it writes and keeps what it does not (local state, other stacks)', () => {
    const outdir = synthesizedOutdir(tempDir());
    writeFileSync(join(outdir, 'stacks', 'dev-infra', 'terraform.dev-infra.tfstate'), '{"serial": 7}');
    writeFileSync(join(outdir, 'stacks', 'dev-infra', 'cdk.tf.json'), 'stale');
    synthesizePlatform({ environments: defaultEnvironments, outdir, only: ['prod'] });
    synthesizePlatform({ environments: defaultEnvironments, outdir, only: ['dev'] });
    expect(readFileSync(join(outdir, 'stacks', 'dev-infra', 'terraform.dev-infra.tfstate'), 'utf8')).toBe('{"serial": 7}');
    expect(readStack(outdir, 'dev-infra').resource).toBeDefined();
    expect(stackDirs(outdir)).toContain('prod-infra');
    expect(Object.keys(JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')).stacks).sort()).toEqual(['bootstrap-idpkit-state-111111111111-eu-west-1', 'dev-infra', 'dev-platform']);
  });
});
