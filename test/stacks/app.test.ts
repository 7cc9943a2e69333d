import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultEnvironments, environmentSets } from '../../environments';
import { synthesizePlatform } from '../../stacks/app';
import { TerraformJson, onlyResource } from '../helpers';

const tempDir = () => mkdtempSync(join(tmpdir(), 'idpkit-app-'));
const stackDirs = (outdir: string) => readdirSync(join(outdir, 'stacks')).sort();
const readStack = (outdir: string, stack: string): TerraformJson => JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));

describe('synthesizePlatform', () => {
  const outdir = tempDir();
  synthesizePlatform({ environments: defaultEnvironments, outdir });

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

  test('bootstrap stacks keep local state, on purpose, and tag which environments they serve', () => {
    const bootstrap = readStack(outdir, 'bootstrap-idpkit-state-111111111111-eu-west-1');
    expect(bootstrap.terraform.backend).toEqual({ local: { path: 'bootstrap-idpkit-state-111111111111-eu-west-1.tfstate' } });
    expect(onlyResource(bootstrap, 'aws_s3_bucket').bucket).toBe('idpkit-state-111111111111-eu-west-1');
    expect(bootstrap.provider!.aws[0].default_tags[0].tags.environment).toBe('dev+staging');
  });

  test('two syntheses of the same input give byte-identical Terraform JSON, on every cloud', () => {
    const [first, second] = [tempDir(), tempDir()];
    synthesizePlatform({ environments: environmentSets.all, outdir: first });
    synthesizePlatform({ environments: environmentSets.all, outdir: second });
    expect(stackDirs(first)).toHaveLength(20);
    for (const stack of stackDirs(first)) {
      expect(readFileSync(join(second, 'stacks', stack, 'cdk.tf.json'))).toEqual(readFileSync(join(first, 'stacks', stack, 'cdk.tf.json')));
    }
    expect(readFileSync(join(second, 'manifest.json'), 'utf8')).toBe(readFileSync(join(first, 'manifest.json'), 'utf8'));
  });

  test('only: synthesizes the named environments, after validating them all', () => {
    const some = tempDir();
    synthesizePlatform({ environments: defaultEnvironments, outdir: some, only: ['prod'] });
    expect(stackDirs(some)).toEqual(['bootstrap-idpkit-state-222222222222-eu-west-1', 'prod-infra', 'prod-platform']);
  });
});

describe('main.ts (what `cdktf synth` runs)', () => {
  const root = resolve(__dirname, '../..');
  const runMain = (env: Record<string, string>) =>
    execFileSync(process.execPath, ['--require', './scripts/register-ts.js', 'main.ts'], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', stdio: 'pipe' });

  test('IDPKIT_ENVIRONMENTS limits synthesis to the listed environments', () => {
    const outdir = tempDir();
    runMain({ CDKTF_OUTDIR: outdir, IDPKIT_ENVIRONMENTS: 'dev' });
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
});
