import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdpkitError } from '../../constructs/core/errors';
import { checkStack } from '../../constructs/policy/engine';
import { synthesizePlatform } from '../../stacks/app';
import { enforcePolicies, POLICY_REPORT_FILE, stacksOfEnvironment } from '../../stacks/policy';
import { validateEnvironments } from '../../environments/types';
import { devConfig, prodConfig } from '../helpers';
import { staging } from '../../environments/staging';
import { synthesizedPlatform } from '../support/synthesized-sets';

/** A fresh project's cdktf.out (in a directory of its own: synthesis looks beside the output for what old versions left). */
const outdir = () => join(mkdtempSync(join(tmpdir(), 'idpkit-enforce-')), 'cdktf.out');

/** Prod with local state: both of its stacks break IDP-TF-001 (an error in prod). */
const localProd = (change: (config: any) => void = () => undefined) =>
  prodConfig((config) => {
    config.state = { backend: 'local' };
    change(config);
  });

/** The error synthesizePlatform throws, or undefined. */
function synthError(environments: unknown[]): IdpkitError | undefined {
  try {
    synthesizePlatform({ environments, outdir: outdir() });
    return undefined;
  } catch (error) {
    if (error instanceof IdpkitError) return error;
    throw error;
  }
}

describe('policy enforcement at synthesis', () => {
  test('throws IDPKIT_POLICY listing each error finding with its stack, rule, resource and fix', () => {
    const error = synthError([localProd()]);
    expect(error?.code).toBe('IDPKIT_POLICY');
    expect(error?.problems).toEqual([
      expect.stringMatching(/^prod-infra: IDP-TF-001 prod-infra does not meet: Terraform state is stored in an encrypted, locked remote backend \(fix: /),
      expect.stringMatching(/^prod-platform: IDP-TF-001 /),
    ]);
  });

  test('uses the environment tier: the same finding is a printed warning in dev', () => {
    const env = validateEnvironments([devConfig((config) => (config.state = { backend: 'local' }))]);
    const dir = synthesizedPlatform([devConfig((config) => (config.state = { backend: 'local' }))]);
    const warnings: string[] = [];
    const report = enforcePolicies(dir, env, { warn: (text) => warnings.push(text) });
    expect(report.findings.map((f) => [f.stack, f.rule, f.severity])).toEqual([
      ['dev-infra', 'IDP-TF-001', 'warning'],
      ['dev-platform', 'IDP-TF-001', 'warning'],
    ]);
    expect(warnings[0]).toMatch(/^idpkit: warning: dev-infra: IDP-TF-001 /);
  });

  test('suppressions with a reason accept the findings they name', () => {
    const reason = 'throwaway load-test environment, state kept on the runner';
    const config = localProd((c) => (c.policy = { suppressions: ['prod-infra', 'prod-platform'].map((resource) => ({ rule: 'IDP-TF-001', resource, reason })) }));
    expect(synthError([config])).toBeUndefined();
  });

  test('throws when a suppression matches nothing', () => {
    const config = prodConfig((c) => (c.policy = { suppressions: [{ rule: 'IDP-AWS-005', resource: 'aws_db_instance.gone', reason: 'old' }] }));
    const error = synthError([config]);
    expect(error?.code).toBe('IDPKIT_POLICY');
    expect(error?.problems).toEqual([expect.stringContaining('policy.suppressions[0] (IDP-AWS-005 on aws_db_instance.gone) matches no finding')]);
  });

  test('throws when a suppression has no reason (schema)', () => {
    const config = prodConfig((c) => (c.policy = { suppressions: [{ rule: 'IDP-AWS-005', resource: 'aws_db_instance.x', reason: '' }] }));
    expect(() => validateEnvironments([config])).toThrow('policy.suppressions[0].reason "" is empty (say why the finding is accepted)');
  });

  test('every synthesis writes idpkit-policy.sarif: warnings and suppressed findings (with reasons) for code scanning', () => {
    const reason = 'a throwaway experiment';
    const config = devConfig((c) => {
      c.state = { backend: 'local' };
      c.policy = { suppressions: [{ rule: 'IDP-TF-001', resource: 'dev-platform', reason }] };
    });
    const dir = synthesizedPlatform([config]);
    const sarif = JSON.parse(readFileSync(join(dir, POLICY_REPORT_FILE), 'utf8'));
    const results = sarif.runs[0].results.filter((result: any) => result.ruleId === 'IDP-TF-001');
    expect(results.map((result: any) => [result.level, result.locations[0].physicalLocation.artifactLocation.uri, result.suppressions])).toEqual([
      ['warning', 'stacks/dev-infra/cdk.tf.json', undefined],
      ['warning', 'stacks/dev-platform/cdk.tf.json', [{ kind: 'external', status: 'accepted', justification: reason }]],
    ]);
    // Each stack had its environment's tier, so the rules carry no single default level.
    expect(sarif.runs[0].tool.driver.rules[0].defaultConfiguration).toBeUndefined();
  });

  test('environments sharing a bootstrap stack may each suppress the same finding there', () => {
    const configs = [devConfig(), JSON.parse(JSON.stringify(staging))];
    const dir = synthesizedPlatform(configs);
    // A hand-made non-compliant bucket in the shared bootstrap stack (both environments own it).
    const stack = 'bootstrap-idpkit-state-111111111111-eu-west-1';
    const file = join(dir, 'stacks', stack, 'cdk.tf.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    json.resource.aws_s3_bucket.extra = { bucket: 'extra' };
    writeFileSync(file, JSON.stringify(json));
    const rules = checkStack(json, { stack, tier: 'staging' }).filter((finding) => finding.resource === 'aws_s3_bucket.extra').map((finding) => finding.rule);
    expect(rules).toContain('IDP-AWS-001');
    const suppressions = rules.map((rule) => ({ rule, resource: 'aws_s3_bucket.extra', reason: 'a fixture bucket' }));
    const environments = validateEnvironments(configs.map((config) => ({ ...config, policy: { suppressions } })));
    expect(environments.map((env) => stacksOfEnvironment(env)[2])).toEqual([stack, stack]);
    const report = enforcePolicies(dir, environments, { warn: () => undefined });
    expect(report.suppressed.map((finding) => [finding.stack, finding.rule, finding.resource])).toContainEqual([stack, 'IDP-AWS-001', 'aws_s3_bucket.extra']);
    expect(report.findings.filter((finding) => finding.resource === 'aws_s3_bucket.extra' || finding.rule === 'IDP-POLICY-001')).toEqual([]);
  });

  test('an environment owns its infra, platform and state bootstrap stacks', () => {
    const [env] = validateEnvironments([prodConfig()]);
    expect(stacksOfEnvironment(env)).toEqual(['prod-infra', 'prod-platform', expect.stringMatching(/^bootstrap-/)]);
  });
});
