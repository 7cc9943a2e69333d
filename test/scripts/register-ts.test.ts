import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');
const cache = join(root, 'node_modules', '.cache', 'idpkit-register-ts');

describe('scripts/register-ts.js, the require hook cdktf.json runs main.ts with', () => {
  const dir = mkdtempSync(join(tmpdir(), 'idpkit-register-ts-'));
  const file = join(dir, 'program.ts');
  const run = () => spawnSync(process.execPath, ['--require', join(root, 'scripts', 'register-ts.js'), file], { encoding: 'utf8' });
  const marker = `marker-${process.pid}-${Date.now()}`;
  /** The cache's entries of this test's program. */
  const kept = () => readdirSync(cache).filter((name) => name.endsWith('.js') && readFileSync(join(cache, name), 'utf8').includes(marker));
  afterAll(() => {
    for (const name of kept()) rmSync(join(cache, name));
    rmSync(dir, { recursive: true, force: true });
  });

  test('runs TypeScript, and keeps the transpiled file in the cache', () => {
    writeFileSync(file, `const greeting: string = '${marker}';\nconsole.log(greeting);\n`);
    expect(run()).toMatchObject({ status: 0, stdout: `${marker}\n` });
    expect(kept()).toHaveLength(1);
    expect(run()).toMatchObject({ status: 0, stdout: `${marker}\n` });
  });

  test('transpiles a file again once its text changes', () => {
    writeFileSync(file, `const greeting: string = '${marker}-edited';\nconsole.log(greeting);\n`);
    expect(run()).toMatchObject({ status: 0, stdout: `${marker}-edited\n` });
    expect(kept()).toHaveLength(2);
  });
});
