import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { App, TerraformStack, Testing } from '../constructs/core/cdktf';
import { createAwsProvider } from '../constructs/integration/provider/aws';
import { dev } from '../environments/dev';
import { prod } from '../environments/prod';
import type { EnvironmentConfig } from '../environments/types';
import type * as EnvironmentTypes from '../environments/types';
import type * as StacksApp from '../stacks/app';
import type * as Presets from '../constructs/presets';
import { cachedFiles } from './support/synthesized-sets';

// The environment schema and the stacks load most of idpkit: only the test files that synthesize
// whole environments (or ask for onlyAddons) load them, on first use; construct tests stay light.
const environmentTypes = (): typeof EnvironmentTypes => jest.requireActual('../environments/types');
const stacksApp = (): typeof StacksApp => jest.requireActual('../stacks/app');
const presets = (): typeof Presets => jest.requireActual('../constructs/presets');

/** Synthesized Terraform JSON of one stack. */
export interface TerraformJson {
  readonly terraform: Record<string, any>;
  readonly provider?: Record<string, any[]>;
  readonly resource: Record<string, Record<string, any>>;
  readonly data?: Record<string, Record<string, any>>;
  readonly output?: Record<string, any>;
}

/** Synthesizes a stack (running validations) and parses its JSON. */
export function synthJson(stack: TerraformStack): TerraformJson {
  return JSON.parse(Testing.synth(stack, true));
}

/** The bodies of every resource of a type, in address order. */
export function resources(json: TerraformJson, type: string): any[] {
  return Object.values(json.resource[type] ?? {});
}

/** The one resource of a type; fails when there are none or several. */
export function onlyResource(json: TerraformJson, type: string): any {
  const all = resources(json, type);
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

/** A stack with an AWS provider, for testing one construct. */
export function awsTestStack(build: (stack: Construct) => void): TerraformJson {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  createAwsProvider(stack, 'aws', {
    region: 'eu-west-1',
    accountId: '111111111111',
    tags: { environment: 'test', owner: 'team', costCenter: 'cc' },
  });
  build(stack);
  return synthJson(stack);
}

/** Deep copy of a JSON-like value, so tests can change configs freely. */
export const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

/** A valid dev environment config with changes applied to a copy. */
export function devConfig(change: (config: any) => void = () => undefined): EnvironmentConfig {
  const config = clone(dev);
  change(config);
  return config;
}

/** A valid prod environment config with changes applied to a copy. */
export function prodConfig(change: (config: any) => void = () => undefined): EnvironmentConfig {
  const config = clone(prod);
  change(config);
  return config;
}

/**
 * An environment's stacks, synthesized by the app the way main.ts does, and read back. The same
 * config gives the same stacks while the sources do not change: they are synthesized once and
 * kept (test/support/synthesized-sets.ts, cachedFiles) for every test file and run that asks again.
 */
export function synthEnvironment(config: unknown): { infra: TerraformJson; platform: TerraformJson; bootstrap?: TerraformJson; text: string } {
  const { infra, platform, bootstrap } = cachedFiles('environments', config, () => {
    const outdir = mkdtempSync(join(tmpdir(), 'idpkit-env-'));
    try {
      const app = new App({ outdir });
      const { validateEnvironments, stateLocationOf } = environmentTypes();
      const [env] = validateEnvironments([config]);
      stacksApp().addPlatformStacks(app, [env]);
      app.synth();
      const raw = (stack: string) => readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8');
      const location = stateLocationOf(env);
      return { infra: raw(`${env.name}-infra`), platform: raw(`${env.name}-platform`), ...(location ? { bootstrap: raw(`bootstrap-${location.name}`) } : {}) };
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
  return { infra: JSON.parse(infra), platform: JSON.parse(platform), bootstrap: bootstrap === undefined ? undefined : JSON.parse(bootstrap), text: infra + platform };
}

/**
 * The releases every other release of a platform stack waits for when Karpenter provisions nodes
 * (its chart and its node pools), as `depends_on` lists them; none without Karpenter.
 */
export function nodeProvisioningOf(platform: TerraformJson): string[] {
  return Object.entries(platform.resource.helm_release ?? {})
    .filter(([, release]) => release.name === 'karpenter' || release.name === 'karpenter-node-pools')
    .sort(([, a], [, b]) => (a.name === 'karpenter' ? -1 : b.name === 'karpenter' ? 1 : 0))
    .map(([id]) => `helm_release.${id}`);
}

/**
 * A `platform` config with exactly these add-ons: every add-on a preset would turn on is turned
 * off unless listed, so a test controls what is installed.
 */
export function onlyAddons(addons: Record<string, unknown>): { addons: Record<string, unknown> } {
  const { PRESETS, presetAddons } = presets();
  const presetKeys = Object.values(PRESETS).flatMap((preset) => Object.keys(presetAddons(preset)));
  return { addons: { ...Object.fromEntries(presetKeys.map((key) => [key, { enabled: false }])), ...clone(addons) } };
}
