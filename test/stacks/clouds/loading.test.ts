import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
const PROVIDERS = ['aws', 'azurerm', 'google'] as const;

/**
 * Synthesizes one environment the way an app does (`synthesizePlatform`, every check included) in a
 * child Node, and returns the cloud providers whose modules it loaded.
 */
function providersLoadedBySynth(environment: string): string[] {
  const parent = mkdtempSync(join(tmpdir(), 'idpkit-cloud-loading-'));
  const outdir = join(parent, 'out');
  try {
    const script = `
      const { synthesizePlatform } = require('./stacks/app');
      const environments = require('./environments');
      synthesizePlatform({ environments: [environments.${environment}], outdir: process.argv[1] });
      const loaded = Object.keys(require.cache).map((path) => path.match(/@cdktf[\\\\/]provider-([a-z]+)[\\\\/]/)?.[1]).filter(Boolean);
      process.stdout.write(JSON.stringify([...new Set(loaded)].sort()));
    `;
    const stdout = execFileSync(process.execPath, ['--require', './scripts/register-ts.js', '-e', script, outdir], { cwd: ROOT, encoding: 'utf8' });
    return (JSON.parse(stdout) as string[]).filter((provider) => (PROVIDERS as readonly string[]).includes(provider));
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
}

/**
 * idpkit/platform builds every cloud, but loads a cloud's stack code (and its provider bindings)
 * only when an environment on that cloud is built: a one-cloud platform installs only its provider.
 */
describe.each([
  ['dev', 'aws'],
  ['azureDev', 'azurerm'],
  ['gcpDev', 'google'],
])('synthesizing %s', (environment, provider) => {
  test(`loads the ${provider} provider and no other cloud's`, () => {
    expect(providersLoadedBySynth(environment)).toEqual([provider]);
  });
});
