import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderRulesTable } from '../../../constructs/policy/docs';
import { EVERY_RULE } from '../../../constructs/policy/rules';
import { SECRET_RULES } from '../../../constructs/policy/secrets';

describe('docs/policy-rules.md', () => {
  const file = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'policy-rules.md'), 'utf8');

  test('is up to date with the rule packs (run `npm run docs:rules`)', () => {
    expect(file).toBe(renderRulesTable());
  });

  test('lists every rule with its severity and fix', () => {
    for (const rule of EVERY_RULE) expect(file).toContain(`| ${rule.id} |`);
    expect(file).toContain('| IDP-AWS-005 | dev: off, staging: off, prod: error |');
  });

  test("lists the secret scanner's rules", () => {
    for (const rule of SECRET_RULES) expect(file).toContain(`| ${rule.id} | ${rule.summary} |`);
  });
});
