import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdpkitError } from '../../constructs/core/errors';
import { synthesizePlatform } from '../../stacks/app';
import { enforcePolicies, stacksOfEnvironment } from '../../stacks/policy';
import { validateEnvironments } from '../../environments/types';
import { devConfig, prodConfig } from '../helpers';

const outdir = () => mkdtempSync(join(tmpdir(), 'idpkit-enforce-'));

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
    const dir = outdir();
    synthesizePlatform({ environments: [devConfig((config) => (config.state = { backend: 'local' }))], outdir: dir });
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

  test('an environment owns its infra, platform and state bootstrap stacks', () => {
    const [env] = validateEnvironments([prodConfig()]);
    expect(stacksOfEnvironment(env)).toEqual(['prod-infra', 'prod-platform', expect.stringMatching(/^bootstrap-/)]);
  });
});
