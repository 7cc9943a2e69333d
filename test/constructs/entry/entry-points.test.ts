import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * What each entry point of package.json "exports" loads: one child process requires each entry's
 * source through scripts/register-ts.js (as the compiled dist/ file would be required), emptying
 * require.cache before each, and reports the files each one loaded.
 */
const ROOT = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; exports: Record<string, string | { types: string; default: string }> };

/** Each entry point's specifier and source file: `./dist/constructs/entry/aws.js` is `constructs/entry/aws.ts`. */
const ENTRY_SOURCES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(pkg.exports)
    .filter((entry): entry is [string, { types: string; default: string }] => typeof entry[1] === 'object')
    .map(([subpath, target]) => [subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`, target.default.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts')]),
);

const PROBE = `
const sources = JSON.parse(process.argv[1]);
const loaded = {};
for (const [specifier, source] of Object.entries(sources)) {
  for (const file of Object.keys(require.cache)) delete require.cache[file];
  require(require('node:path').resolve(source));
  loaded[specifier] = Object.keys(require.cache).filter((file) => !file.endsWith('register-ts.js'));
}
process.stdout.write(JSON.stringify(loaded));
`;

const loaded: Readonly<Record<string, readonly string[]>> = JSON.parse(
  execFileSync(process.execPath, ['--require', './scripts/register-ts.js', '-e', PROBE, JSON.stringify(ENTRY_SOURCES)], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }),
);

/** The npm package of a loaded file under node_modules (scoped or not), or undefined for idpkit's own files. */
function packageOf(file: string): string | undefined {
  const parts = file.split(/[\\/]node_modules[\\/]/);
  if (parts.length === 1) return undefined;
  const [first, second] = parts[parts.length - 1].split(/[\\/]/);
  return first.startsWith('@') ? `${first}/${second}` : first;
}

/** The files of `provider` an entry point loaded, as paths from the repository. */
const filesOf = (specifier: string, provider: string): string[] => loaded[specifier].filter((file) => packageOf(file) === provider).map((file) => relative(ROOT, file));

const CLOUD_PROVIDERS = ['@cdktf/provider-aws', '@cdktf/provider-azurerm', '@cdktf/provider-google'] as const;
type CloudProvider = (typeof CLOUD_PROVIDERS)[number];

/**
 * The cloud providers each entry point loads; every other cloud's provider it must not load.
 * idpkit/platform loads a cloud's only when an environment on it is built (test/stacks/clouds/loading.test.ts).
 */
const EXPECTED_CLOUD_PROVIDERS: Readonly<Record<string, readonly CloudProvider[]>> = {
  idpkit: [],
  'idpkit/aws': ['@cdktf/provider-aws'],
  'idpkit/azure': ['@cdktf/provider-azurerm'],
  'idpkit/gcp': ['@cdktf/provider-google'],
  'idpkit/policy': [],
  'idpkit/platform': [],
};

describe('entry points', () => {
  test('every entry point of package.json "exports" is in this table, and its source exists', () => {
    expect(Object.keys(ENTRY_SOURCES).sort()).toEqual(Object.keys(EXPECTED_CLOUD_PROVIDERS).sort());
    for (const specifier of Object.keys(ENTRY_SOURCES)) expect(loaded[specifier].length).toBeGreaterThan(0);
  });

  const pairs = Object.entries(EXPECTED_CLOUD_PROVIDERS).flatMap(([specifier, expected]) =>
    CLOUD_PROVIDERS.map((provider) => ({ specifier, provider, loads: expected.includes(provider) })),
  );
  test.each(pairs.filter((pair) => !pair.loads))('$specifier loads no $provider module', ({ specifier, provider }) => {
    expect(filesOf(specifier, provider)).toEqual([]);
  });
  test.each(pairs.filter((pair) => pair.loads))("$specifier loads $provider (its cloud's constructs)", ({ specifier, provider }) => {
    expect(filesOf(specifier, provider).length).toBeGreaterThan(0);
  });

  test('idpkit/policy loads no provider at all: the guardrails read synthesized JSON', () => {
    expect(loaded['idpkit/policy'].filter((file) => packageOf(file)?.startsWith('@cdktf/provider-')).map((file) => relative(ROOT, file))).toEqual([]);
  });

  test('idpkit loads only the providers of its Kubernetes and Helm add-ons (required peers), no cloud provider', () => {
    const providers = new Set(loaded.idpkit.map(packageOf).filter((name) => name?.startsWith('@cdktf/provider-')));
    expect([...providers].sort()).toEqual(['@cdktf/provider-helm', '@cdktf/provider-kubernetes']);
  });
});
