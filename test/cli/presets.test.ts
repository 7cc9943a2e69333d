import { PRESETS, SIZES } from '../../constructs/presets';
import { idpkit } from './cli-helpers';

/** The cells of a cli-table3 table's body rows, trimmed. */
const tableRows = (text: string): string[][] =>
  text
    .split('\n')
    .filter((line) => line.startsWith('│'))
    .map((line) => line.split('│').slice(1, -1).map((cell) => cell.trim()));

describe('idpkit presets', () => {
  test('lists every preset, smallest first, with its engineers, platform team and focus', async () => {
    const { code, stdout, stderr } = await idpkit(['presets']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const [head, ...rows] = tableRows(stdout);
    expect(head).toEqual(['size', 'engineers', 'platform team', 'focus']);
    expect(rows).toEqual(SIZES.map((size) => [size, PRESETS[size].engineers, PRESETS[size].platformTeam, PRESETS[size].focus]));
    expect(rows.map((row) => row[1])).toEqual(['< 50', '50-200', '200+']);
    expect(stdout).toContain('idpkit explain <size>');
  });

  test('--format json prints the same rows for scripts', async () => {
    const { code, stdout } = await idpkit(['presets', '--format', 'json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([
      { size: 'small', engineers: '< 50', platformTeam: PRESETS.small.platformTeam, focus: 'reduce toil, standard templates' },
      { size: 'medium', engineers: '50-200', platformTeam: PRESETS.medium.platformTeam, focus: 'self-service, golden paths' },
      { size: 'large', engineers: '200+', platformTeam: PRESETS.large.platformTeam, focus: 'product platform, multi-tenancy' },
    ]);
  });

  test('exits 2 when --format is not table or json, naming the allowed ones', async () => {
    const { code, stdout, stderr } = await idpkit(['presets', '--format', 'yaml']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/'yaml' is invalid.*Allowed choices are table, json/);
  });
});
