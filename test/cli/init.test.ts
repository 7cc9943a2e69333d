import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLOUDS, Cloud } from '../../constructs/core/clouds';
import { APP_COMMAND, APP_DEPENDENCIES, APP_DEV_DEPENDENCIES, CLOUD_PROVIDER_PACKAGES, environmentIdentifier, toTypeScript } from '../../cli/init';
import { Size } from '../../constructs/presets';
import { validateEnvironments } from '../../environments/types';
import { synthesizePlatform } from '../../stacks/app';
import { idpkit, scriptedPrompter, tempDir } from './cli-helpers';

const read = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');

/**
 * A new directory for a project (or a synthesis), inside one directory of this file's: what init
 * and synthesis look for beside their directory (the staging an interrupted write left) is then
 * read from a few entries, not from the whole, shared, temporary directory.
 */
const scratch = tempDir('idpkit-init-');
const scratchDir = (): string => mkdtempSync(join(scratch, 'dir-'));

/** The environments a generated project exports, loaded as TypeScript (its only import of idpkit is type-only). */
function loadEnvironments(dir: string): any[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a generated file, loaded at run time
  return require(join(dir, 'environments', 'index.ts')).environments;
}

/** The files under a directory, relative, sorted. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

describe('idpkit init writes a project that validates and synthesizes', () => {
  test.each([
    ['small', 'aws'],
    ['medium', 'azure'],
    ['large', 'gcp'],
  ] as [Size, Cloud][])('%s on %s: three environments, their list, main.ts, cdktf.json and tsconfig.json', async (size, cloud) => {
    const dir = scratchDir();
    const { code, stdout, stderr } = await idpkit(['init', '--size', size, '--cloud', cloud, '--dir', dir]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(listFiles(dir)).toEqual(['cdktf.json', 'environments/dev.ts', 'environments/index.ts', 'environments/prod.ts', 'environments/staging.ts', 'main.ts', 'tsconfig.json']);

    const environments = loadEnvironments(dir);
    expect(environments.map((env) => [env.name, env.tier, env.size, env.cloud, env.network.cidr])).toEqual([
      ['dev', 'dev', size, cloud, '10.10.0.0/16'],
      ['staging', 'staging', size, cloud, '10.20.0.0/16'],
      ['prod', 'prod', size, cloud, '10.30.0.0/16'],
    ]);
    expect(validateEnvironments(environments).map((env) => env.name)).toEqual(['dev', 'staging', 'prod']);

    const outdir = scratchDir();
    const stacks = synthesizePlatform({ environments, only: ['prod'], outdir });
    expect(Object.keys(stacks.infra)).toEqual(['prod']);
    const platform = JSON.parse(read(outdir, 'stacks/prod-platform/cdk.tf.json'));
    expect(Object.values(platform.resource.helm_release).map((release: any) => release.chart)).toContain('backstage');

    expect(stdout).toContain('Next steps:');
    expect(stdout).toContain('Replace the placeholders marked REPLACE');
    expect(stdout).toContain('npx cdktf synth');
  });

  test('each environment file exports a typed, readable config with its placeholders listed in the header and marked REPLACE', async () => {
    const dir = scratchDir();
    await idpkit(['init', '--size', 'small', '--cloud', 'aws', '--envs', 'dev,prod', '--dir', dir]);
    const dev = read(dir, 'environments/dev.ts');
    expect(dev).toMatch(/^\/\*\*\n \* Environment "dev": dev tier, small preset \(< 50 engineers\), on aws\./);
    expect(dev).toContain(" * - aws.accountId: the 12-digit id of the environment's AWS account\n");
    expect(dev).toContain("\nimport type { EnvironmentConfig } from 'idpkit';\n\nexport const dev = {\n  name: 'dev',\n  tier: 'dev',\n");
    expect(dev).toContain("    accountId: '111111111111', // REPLACE\n    region: 'eu-west-1',\n");
    expect(dev).toContain("  network: { cidr: '10.10.0.0/16', availabilityZoneCount: 2 },\n");
    expect(dev).toMatch(/\n} satisfies EnvironmentConfig;\n$/);
    expect(dev.slice(dev.indexOf('export const'))).not.toMatch(/"\w+":/); // keys unquoted
    const prod = read(dir, 'environments/prod.ts');
    expect(prod).not.toContain('publicEndpointCidrs'); // prod keeps the API private
    expect(prod).toContain("accountId: '222222222222', // REPLACE");
    expect(read(dir, 'environments/index.ts')).toBe(
      "/** The environments main.ts validates together and synthesizes. Written by `idpkit init`. */\nimport { dev } from './dev';\nimport { prod } from './prod';\n\nexport const environments = [dev, prod];\n",
    );
  });

  test('main.ts synthesizes the environments with idpkit and exits 1 on an IdpkitError; cdktf.json compiles it with tsc and runs it with node', async () => {
    const dir = scratchDir();
    await idpkit(['init', '--size', 'medium', '--cloud', 'gcp', '--dir', dir]);
    const main = read(dir, 'main.ts');
    expect(main).toContain("import { ENVIRONMENT_SELECTOR_VARIABLE, IdpkitError, selectEnvironments } from 'idpkit';\nimport { synthesizePlatform } from 'idpkit/platform';");
    expect(main).toContain("import { environments } from './environments';");
    expect(main).toContain('synthesizePlatform({ environments, only });');
    expect(main).toContain('process.exit(1);');
    expect(JSON.parse(read(dir, 'cdktf.json'))).toMatchObject({ language: 'typescript', app: APP_COMMAND });
    expect(APP_COMMAND).toBe('npx tsc && node --max-semi-space-size=32 dist/main.js');
    const { compilerOptions, include } = JSON.parse(read(dir, 'tsconfig.json'));
    expect(compilerOptions).toMatchObject({ strict: true, module: 'nodenext', rootDir: '.', outDir: 'dist' });
    expect(include).toEqual(['main.ts', 'environments']);
  });

  test('tsconfig.json uses no option TypeScript 7 removed, so the project builds on TypeScript 5.9 and 7', async () => {
    const dir = scratchDir();
    await idpkit(['init', '--size', 'small', '--cloud', 'aws', '--envs', 'dev', '--dir', dir]);
    const { compilerOptions } = JSON.parse(read(dir, 'tsconfig.json'));
    const removedInTypeScript7 = ['baseUrl', 'outFile', 'downlevelIteration', 'importsNotUsedAsValues', 'preserveValueImports', 'charset', 'out'];
    expect(Object.keys(compilerOptions).filter((option) => removedInTypeScript7.includes(option))).toEqual([]);
    expect(compilerOptions.moduleResolution).toBeUndefined(); // node10 and classic are gone; nodenext comes with module
    expect(['es3', 'es5']).not.toContain(compilerOptions.target.toLowerCase());
    expect(['amd', 'umd', 'system', 'none']).not.toContain(compilerOptions.module);
    expect(compilerOptions.esModuleInterop).not.toBe(false);
  });

  test("the install commands init prints are the README's, which npm run test:pack runs", async () => {
    const dir = scratchDir();
    const { stdout } = await idpkit(['init', '--size', 'small', '--cloud', 'aws', '--envs', 'dev', '--dir', dir]);
    const dependencies = APP_DEPENDENCIES.join(' ');
    const devDependencies = `npm install --save-dev ${APP_DEV_DEPENDENCIES.join(' ')}`;
    expect(stdout).toContain(`npm install idpkit ${dependencies}`);
    expect(stdout).toContain(devDependencies);
    expect(stdout).toContain(APP_COMMAND);
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const tested = [...readme.matchAll(/^```sh test:pack\n([\s\S]*?)^```$/gm)].map((match) => match[1]).join('');
    expect(tested).toMatch(new RegExp(`^npm install \\S+idpkit-[\\d.]+\\.tgz ${dependencies}$`, 'm'));
    expect(tested).toContain(`\n${devDependencies}\n`);
    expect(tested).toContain(`npx cdktf synth   # cdktf.json runs: ${APP_COMMAND}`);
    // The cloud's provider, an optional peer: printed by init and installed by the README before synth.
    expect(stdout).toContain(`npm install ${CLOUD_PROVIDER_PACKAGES.aws}`);
    expect(tested).toMatch(new RegExp(`^npm install ${CLOUD_PROVIDER_PACKAGES.aws}\\s+#.*\\n(.*\\n)*?npx cdktf synth`, 'm'));
    for (const provider of Object.values(CLOUD_PROVIDER_PACKAGES)) expect(readme).toContain(provider);
    expect(readme).toContain(`npm install idpkit ${dependencies}\n${devDependencies}\n`); // after the first release
  });

  test('--github sets the CI repository of every environment, which is then no placeholder', async () => {
    const dir = scratchDir();
    await idpkit(['init', '--size', 'small', '--cloud', 'azure', '--envs', 'dev', '--github', 'example-org/platform-infra', '--dir', dir]);
    expect(loadEnvironments(dir)[0].ci).toEqual({ github: { owner: 'example-org', repo: 'platform-infra' } });
    expect(read(dir, 'environments/dev.ts')).not.toContain('ci.github:');
  });

  test('any names: each gets its own network octet and a camelCase export; names that are no tier get the dev tier', async () => {
    const dir = scratchDir();
    const { code } = await idpkit(['init', '--size', 'small', '--cloud', 'gcp', '--envs', 'dev,eu-qa,prod', '--dir', dir]);
    expect(code).toBe(0);
    expect(read(dir, 'environments/eu-qa.ts')).toContain('export const euQa = {');
    expect(loadEnvironments(dir).map((env) => [env.name, env.tier, env.network.cidr])).toEqual([
      ['dev', 'dev', '10.10.0.0/16'],
      ['eu-qa', 'dev', '10.20.0.0/16'],
      ['prod', 'prod', '10.30.0.0/16'],
    ]);
  });
});

describe('idpkit init never overwrites by surprise', () => {
  test('refuses, exit 1 and nothing written, when environment files exist; names them', async () => {
    const dir = scratchDir();
    await idpkit(['init', '--size', 'small', '--cloud', 'aws', '--envs', 'dev,prod', '--dir', dir]);
    writeFileSync(join(dir, 'environments/dev.ts'), '// mine\n');
    const { code, stdout, stderr } = await idpkit(['init', '--size', 'large', '--cloud', 'aws', '--envs', 'dev,staging,prod', '--dir', dir]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('environments/dev.ts, environments/prod.ts, environments/index.ts already exist');
    expect(stderr).toContain('--force');
    expect(read(dir, 'environments/dev.ts')).toBe('// mine\n');
    expect(existsSync(join(dir, 'environments/staging.ts'))).toBe(false);
  });

  test('--force overwrites the environment files but keeps an existing main.ts, cdktf.json and tsconfig.json', async () => {
    const dir = scratchDir();
    await idpkit(['init', '--size', 'small', '--cloud', 'aws', '--envs', 'dev', '--dir', dir]);
    writeFileSync(join(dir, 'main.ts'), '// my app\n');
    const { code, stdout } = await idpkit(['init', '--size', 'medium', '--cloud', 'aws', '--envs', 'dev', '--dir', dir, '--force']);
    expect(code).toBe(0);
    expect(loadEnvironments(dir)[0].size).toBe('medium');
    expect(read(dir, 'main.ts')).toBe('// my app\n');
    expect(stdout).toContain('Kept the existing main.ts, cdktf.json, tsconfig.json');
  });

  test('an invalid environment name fails validation before anything is written (exit 1, the schema says why)', async () => {
    const dir = join(scratchDir(), 'project');
    const { code, stderr } = await idpkit(['init', '--size', 'small', '--cloud', 'aws', '--envs', 'dev,Prod_1', '--dir', dir]);
    expect(code).toBe(1);
    expect(stderr).toContain('IDPKIT_INVALID_ENVIRONMENT');
    expect(stderr).toMatch(/name "Prod_1" is not a DNS-1123 label/);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('idpkit init options', () => {
  test('not in a terminal, missing --size and --cloud is a usage error (exit 2) naming them', async () => {
    const dir = scratchDir();
    const { code, stderr } = await idpkit(['init', '--dir', dir]);
    expect(code).toBe(2);
    expect(stderr).toContain('missing required options --size and --cloud');
    expect(listFiles(dir)).toEqual([]);
    expect((await idpkit(['init', '--size', 'small', '--dir', dir])).stderr).toContain('missing required option --cloud (not a terminal');
  });

  test('an unknown size is a usage error listing the allowed ones', async () => {
    const { code, stderr } = await idpkit(['init', '--size', 'tiny', '--cloud', 'aws']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/'tiny' is invalid\. Allowed choices are small, medium, large\./);
  });

  test.each([
    [['--envs', 'dev,,prod'], 'has an empty name'],
    [['--envs', 'dev,dev'], 'lists "dev" twice'],
    [['--envs', 'index'], '"index" cannot name an environment'],
    [['--envs', 'a-b,a--b'], '"a-b" and "a--b" would both be exported as aB'],
    [['--github', 'not a repo'], '--github "not a repo" is not a GitHub repository (expected owner/repo'],
  ])('%j is a usage error: %s', async (flags, message) => {
    const dir = scratchDir();
    const { code, stderr } = await idpkit(['init', '--size', 'small', '--cloud', 'aws', '--dir', dir, ...flags]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(listFiles(dir)).toEqual([]);
  });

  test('in a terminal, asks for what is missing (size, cloud, environments, GitHub repository) and nothing else', async () => {
    const dir = scratchDir();
    const prompter = scriptedPrompter({ 'Company size': 'large', Cloud: 'gcp', Environments: 'dev,prod', GitHub: 'acme/idp' });
    const { code } = await idpkit(['init', '--dir', dir], { interactive: true, prompter });
    expect(code).toBe(0);
    expect(prompter.asked.map((message) => message.split(' ')[0])).toEqual(['Company', 'Cloud', 'Environments', 'GitHub']);
    expect(loadEnvironments(dir).map((env) => [env.name, env.size, env.cloud, env.ci.github.repo])).toEqual([
      ['dev', 'large', 'gcp', 'idp'],
      ['prod', 'large', 'gcp', 'idp'],
    ]);

    const flagsGiven = scriptedPrompter({ GitHub: '' });
    const other = scratchDir();
    await idpkit(['init', '--size', 'small', '--cloud', 'aws', '--envs', 'dev', '--dir', other], { interactive: true, prompter: flagsGiven });
    expect(flagsGiven.asked.map((message) => message.split(' ')[0])).toEqual(['GitHub']);
    expect(read(other, 'environments/dev.ts')).toContain('ci.github: the GitHub repository'); // empty answer: the placeholder
  });

  test('never asks when not in a terminal, even with a prompter at hand', async () => {
    const prompter = scriptedPrompter({});
    const { code } = await idpkit(['init', '--size', 'small', '--cloud', 'aws', '--dir', scratchDir()], { interactive: false, prompter });
    expect(code).toBe(0);
    expect(prompter.asked).toEqual([]);
  });

  test('--help describes every option', async () => {
    const { code, stdout } = await idpkit(['init', '--help']);
    expect(code).toBe(0);
    for (const option of ['--size <size>', '--cloud <cloud>', '--envs <names>', '--dir <dir>', '--github <owner/repo>', '--force']) expect(stdout).toContain(option);
    expect(stdout).toMatch(/choices: "small", "medium",\s+"large"/);
  });
});

describe('the TypeScript printer', () => {
  test('quotes only keys that are no identifiers, escapes quotes, keeps short objects on one line', () => {
    expect(toTypeScript({ a: { 'b-c': "it's", d: [1, true, null] } })).toBe("{\n  a: { 'b-c': 'it\\'s', d: [1, true, null] },\n}");
  });

  test('breaks an object holding a placeholder so that each placeholder gets its own REPLACE line', () => {
    expect(toTypeScript({ aws: { accountId: '1', region: 'r' }, ci: { github: { owner: 'o', repo: 'r' } } }, { 'aws.accountId': 'x', 'ci.github': 'y' })).toBe(
      "{\n  aws: {\n    accountId: '1', // REPLACE\n    region: 'r',\n  },\n  ci: {\n    github: { owner: 'o', repo: 'r' }, // REPLACE\n  },\n}",
    );
  });

  test('breaks lines longer than 100 characters', () => {
    const printed = toTypeScript({ list: Array.from({ length: 20 }, (_, index) => `item-${index}`) });
    expect(printed.split('\n')).toEqual(['{', '  list: [', ...Array.from({ length: 20 }, (_, index) => `    'item-${index}',`), '  ],', '}']);
  });

  test.each([
    ['dev', 'dev'],
    ['eu-prod', 'euProd'],
    ['prod-2', 'prod2'],
    ['1st', 'env1st'],
    ['default', 'defaultEnv'],
  ])('exports environment %s as %s', (name, identifier) => {
    expect(environmentIdentifier(name)).toBe(identifier);
  });
});

test.each(CLOUDS)('the placeholder list names only fields the %s template has', async (cloud) => {
  const { environmentTemplate, templatePlaceholders } = await import('../../constructs/presets/template');
  for (const size of ['small', 'medium', 'large'] as const) {
    for (const name of ['dev', 'prod']) {
      const template = environmentTemplate({ size, cloud, name });
      for (const path of Object.keys(templatePlaceholders({ size, cloud, name }))) {
        const value = path.split('.').reduce<any>((node, key) => node?.[key], template);
        expect({ path, present: value !== undefined }).toEqual({ path, present: true });
      }
    }
  }
});
