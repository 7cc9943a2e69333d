import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { App, TerraformStack, Testing } from '../constructs/core/cdktf';
import { createAwsProvider } from '../constructs/integration/provider/aws';
import { dev } from '../environments/dev';
import { prod } from '../environments/prod';
import { EnvironmentConfig, validateEnvironments } from '../environments/types';
import { addPlatformStacks } from '../stacks/app';

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

/** An environment's infra and platform stacks, synthesized by the app the way main.ts does, and read back. */
export function synthEnvironment(config: unknown): { infra: TerraformJson; platform: TerraformJson; text: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'idpkit-env-'));
  const app = new App({ outdir });
  const [env] = validateEnvironments([config]);
  addPlatformStacks(app, [env]);
  app.synth();
  const raw = (stack: string) => readFileSync(join(outdir, 'stacks', `${env.name}-${stack}`, 'cdk.tf.json'), 'utf8');
  return { infra: JSON.parse(raw('infra')), platform: JSON.parse(raw('platform')), text: raw('infra') + raw('platform') };
}
