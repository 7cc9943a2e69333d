import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageVersion } from '../../cli/main';
import { idpkit } from './cli-helpers';

const root = join(__dirname, '../..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('idpkit', () => {
  test('--version prints the version of package.json', async () => {
    expect(packageVersion()).toBe(manifest.version);
    expect(await idpkit(['--version'])).toEqual({ code: 0, stdout: `${manifest.version}\n`, stderr: '' });
  });

  test('--help lists the commands and exits 0', async () => {
    const { code, stdout } = await idpkit(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: idpkit \[options\] \[command\]/);
    for (const command of ['presets', 'explain [options] <size>', 'init [options]']) expect(stdout).toContain(command);
    expect((await idpkit(['help', 'explain'])).stdout).toContain('Usage: idpkit explain [options] <size>');
  });

  test('no command prints the help on stderr and exits 2', async () => {
    const { code, stdout, stderr } = await idpkit([]);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toContain('Usage: idpkit');
  });

  test('an unknown command or option exits 2 with a suggestion, without a stack trace', async () => {
    const unknownCommand = await idpkit(['preset']);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toContain("error: unknown command 'preset'");
    expect(unknownCommand.stderr).toContain('Did you mean presets?');
    const unknownOption = await idpkit(['presets', '--colour']);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("error: unknown option '--colour'");
    expect(unknownOption.stderr).not.toMatch(/\n\s+at /);
  });

  test('excess arguments are a usage error', async () => {
    expect((await idpkit(['explain', 'small', 'medium'])).code).toBe(2);
  });
});

describe('the real entry, run through scripts/register-ts.js as `npm run idpkit` does', () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['--require', './scripts/register-ts.js', 'cli/main.ts', ...args], { cwd: root, encoding: 'utf8', stdio: 'pipe' });

  test('explains a preset and exits 0', () => {
    const result = cli('explain', 'small', '--cloud', 'gcp');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('The small preset on gcp');
    expect(result.stdout).toContain('RTO 4 hours');
  });

  test('exits 2 on an unknown size, and on init without flags when stdin is not a terminal', () => {
    const unknown = cli('explain', 'huge');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('Allowed choices are small, medium, large.');
    const init = cli('init', '--dir', mkdtempSync(join(tmpdir(), 'idpkit-cli-')));
    expect(init.status).toBe(2);
    expect(init.stderr).toContain('missing required options --size and --cloud');
  });

  test('the entry starts with a shebang, for the installed bin', () => {
    expect(readFileSync(join(root, 'cli/main.ts'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(manifest.bin).toEqual({ idpkit: 'dist/cli/main.js' });
  });
});
