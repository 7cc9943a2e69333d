import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { App } from '../../../constructs/core/cdktf';
import { TIER_CONTEXT_KEY, TIER_RULES, Tier, setTier, tierDefault, tierOfScope } from '../../../constructs/core/tiers';

const appWith = (context: Record<string, unknown> = {}) => new App({ outdir: mkdtempSync(join(tmpdir(), 'idpkit-tiers-')), context });

describe('the tier of a construct tree', () => {
  test('is the nearest one set: a stack or construct below the app may set another', () => {
    const app = appWith({ [TIER_CONTEXT_KEY]: 'prod' });
    const team = new Construct(app, 'team');
    setTier(team, 'dev');
    const inTeam = new Construct(team, 'bucket');
    const beside = new Construct(app, 'other');
    expect([tierOfScope(inTeam), tierOfScope(beside)]).toEqual(['dev', 'prod']);
  });

  test("tierDefault gives the rule of the tier set, else the construct's own default", () => {
    const dev = new Construct(appWith({ [TIER_CONTEXT_KEY]: 'dev' }), 'c');
    const none = new Construct(appWith(), 'c');
    expect(tierDefault(dev, (rules) => rules.keyDeletionWindowDays, 30)).toBe(TIER_RULES.dev.keyDeletionWindowDays);
    expect(tierOfScope(none)).toBeUndefined();
    expect(tierDefault(none, (rules) => rules.keyDeletionWindowDays, 30)).toBe(30);
  });

  test('setTier refuses a value that is not a tier, naming the scope', () => {
    const scope = new Construct(appWith(), 'payments');
    expect(() => setTier(scope, 'production' as Tier)).toThrow('payments: tier "production" is not a tier (allowed: dev, staging, prod)');
  });
});
