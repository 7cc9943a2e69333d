import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeSecretFinding, scanDirectoryForSecrets } from '../../constructs/policy/secrets';
import { environmentSets } from '../../environments';
import { synthesizePlatform } from '../../stacks/app';

describe.each(['all', 'presets'] as const)('synthesized output of the %s environment set', (set) => {
  const outdir = mkdtempSync(join(tmpdir(), 'idpkit-secrets-'));
  synthesizePlatform({ environments: environmentSets[set], outdir });

  test('covers infra and platform stacks', () => {
    const stacks = readdirSync(join(outdir, 'stacks'));
    expect(stacks.some((stack) => stack.endsWith('-platform'))).toBe(true);
    expect(stacks.some((stack) => stack.endsWith('-infra'))).toBe(true);
  });

  test('holds no literal secret (constructs/policy/secrets.ts)', () => {
    expect(scanDirectoryForSecrets(outdir).map(describeSecretFinding)).toEqual([]);
  });
});
