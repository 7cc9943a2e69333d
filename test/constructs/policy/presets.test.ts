import { checkStack } from '../../../constructs/policy/engine';
import { environmentSets } from '../../../environments';
import { validateEnvironments } from '../../../environments/types';
import { stacksOfEnvironment } from '../../../stacks/policy';
import { synthesizedStacks } from '../../support/synthesized-sets';

/** The tier of the environment owning a stack (the strictest for shared bootstrap stacks). */
function tierOf(stack: string, environments: ReturnType<typeof validateEnvironments>) {
  const tiers = environments.filter((env) => stacksOfEnvironment(env).includes(stack)).map((env) => env.tier);
  return tiers.includes('prod') ? 'prod' : tiers.includes('staging') ? 'staging' : 'dev';
}

describe.each(['presets', 'all'] as const)('the shipped %s environments', (set) => {
  const environments = validateEnvironments(environmentSets[set]);
  const stacks = synthesizedStacks(set);

  test('cover every cloud and tier', () => {
    expect(new Set(environments.map((env) => env.cloud))).toEqual(new Set(['aws', 'azure', 'gcp']));
    if (set === 'presets') expect(new Set(environments.map((env) => env.tier))).toEqual(new Set(['dev', 'staging', 'prod']));
  });

  test('pass every rule pack with zero errors in every stack, at their own tier', () => {
    const errors = stacks.flatMap(({ name: stack, json }) =>
      checkStack({ ...json }, { stack, tier: tierOf(stack, environments) }).filter(
        (finding) => finding.severity === 'error',
      ),
    );
    expect(errors).toEqual([]);
  });
});
