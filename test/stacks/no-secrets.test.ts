import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { environmentSets } from '../../environments';
import { synthesizePlatform } from '../../stacks/app';

/** What a secret literal looks like; Terraform references (`${...}`) and secret names are fine. */
const SECRET_PATTERNS: [string, RegExp][] = [
  ['private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['bcrypt hash', /\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}/],
  ['AWS access key id', /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['GitHub token', /\bgh[pousr]_[A-Za-z0-9]{36,}\b/],
  ['URL with credentials', /[a-z][a-z0-9+.-]*:\/\/[^/\s:@"]+:[^/\s@"$]+@/i],
  ['password value', /"(password|adminPassword|client_secret|clientSecret|token)"\s*:\s*"(?!\$\{)[^"]+"/i],
  ['password in values YAML', /\b(password|adminPassword|clientSecret|token):\s*(?!\$?\$\{)(?!["']?\s*$)\S+/i],
];

describe('synthesized output of every environment on every cloud', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'idpkit-secrets-'));
  synthesizePlatform({ environments: environmentSets.all, outdir });
  const files = readdirSync(join(outdir, 'stacks')).map((stack) => join(outdir, 'stacks', stack, 'cdk.tf.json'));

  test('covers infra and platform stacks', () => {
    expect(files.some((file) => file.includes('-platform'))).toBe(true);
    expect(files.some((file) => file.includes('-infra'))).toBe(true);
  });

  test.each(SECRET_PATTERNS)('holds no %s', (_name, pattern) => {
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect({ file, match: pattern.exec(text)?.[0] }).toEqual({ file, match: undefined });
    }
  });
});
