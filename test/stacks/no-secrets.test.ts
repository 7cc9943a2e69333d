import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describeSecretFinding, scanDirectoryForSecrets } from '../../constructs/policy/secrets';
import { synthesizedSet } from '../support/synthesized-sets';

describe.each(['all', 'presets'] as const)('synthesized output of the %s environment set', (set) => {
  const outdir = synthesizedSet(set);

  test('covers infra and platform stacks', () => {
    const stacks = readdirSync(join(outdir, 'stacks'));
    expect(stacks.some((stack) => stack.endsWith('-platform'))).toBe(true);
    expect(stacks.some((stack) => stack.endsWith('-infra'))).toBe(true);
  });

  test('holds no literal secret (constructs/policy/secrets.ts)', () => {
    expect(scanDirectoryForSecrets(outdir).map(describeSecretFinding)).toEqual([]);
  });
});
