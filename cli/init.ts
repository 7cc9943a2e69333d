/**
 * `idpkit init`: starts a platform project. Writes one typed config per environment from a preset
 * (placeholders marked `// REPLACE`), the list of environments, and, when absent, the cdktf app
 * (`main.ts`, `cdktf.json`, `tsconfig.json`). Validates everything before writing anything.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { CLOUDS, Cloud } from '../constructs/core/clouds';
import { PRESETS, SIZES, Size } from '../constructs/presets';
import { CliIo, CliUsageError, EXIT_FAILURE, EXIT_OK, Prompter, inquirerPrompter } from './io';
import { recoverInterruptedWrites, writeLayoutAtomically } from './layout-writer';
import { EnvironmentTemplateOptions, environmentTemplate, templatePlaceholders, tierOf } from '../constructs/presets/template';

/** Environments `init` creates when `--envs` is not given. */
export const DEFAULT_ENVIRONMENT_NAMES = ['dev', 'staging', 'prod'] as const;

/** The second octet of the first environment's network (10.10.0.0/16); each next one adds {@link NETWORK_OCTET_STEP}. */
export const FIRST_NETWORK_OCTET = 10;

/** Distance between environments' second octets: 10.10, 10.20, 10.30, ... */
export const NETWORK_OCTET_STEP = 10;

/** Most environments one `init` writes: distinct /16 networks 10.10.0.0 to 10.250.0.0. */
export const MAX_ENVIRONMENTS = 25;

/**
 * How the generated cdktf.json runs the app: the TypeScript compiler type-checks and compiles it
 * (`tsconfig.json`: into dist/), then plain node runs the JavaScript. No ts-node: it needs the
 * TypeScript 5 compiler API, which TypeScript 7 (the native compiler, npm's `latest`) no longer has;
 * with `tsc` the same project builds on TypeScript 5.9 and 7. A young generation of 32 MiB per
 * semi-space (V8's default is 16) keeps synthesis's short-lived objects out of the old generation:
 * about a tenth less time and a third less peak memory (docs/benchmarks.md).
 */
export const APP_COMMAND = 'npx tsc && node --max-semi-space-size=32 dist/main.js';

/**
 * What a project installs beside idpkit to run the app `init` writes, as `npm install` arguments:
 * the peers it imports (cdktf, constructs; npm installs the Helm and Kubernetes providers as idpkit's
 * peers, the cloud's provider is {@link CLOUD_PROVIDER_PACKAGES}), then the
 * build tools. TypeScript is pinned to 5.9, the version idpkit is built and tested with (7 also
 * builds the project; tools that load the compiler API, like typescript-eslint, still need 5),
 * and the Node.js types to the oldest Node.js idpkit supports. The README's install commands and
 * `npm run test:pack` use the same lists.
 */
export const APP_DEPENDENCIES = ['cdktf@0.21', 'constructs@10'] as const;

/**
 * The provider package of each cloud, an optional peer of idpkit: the app installs its cloud's
 * (idpkit/platform loads a cloud's provider only when an environment on that cloud is built).
 */
export const CLOUD_PROVIDER_PACKAGES: Readonly<Record<Cloud, string>> = {
  aws: '@cdktf/provider-aws@21',
  azure: '@cdktf/provider-azurerm@14',
  gcp: '@cdktf/provider-google@16',
};

/** The tools that build and synthesize the app, installed with `--save-dev` (see {@link APP_DEPENDENCIES}). */
export const APP_DEV_DEPENDENCIES = ['cdktf-cli@0.21', 'typescript@~5.9', '@types/node@20'] as const;

/** Widest line of a generated config before objects are broken over several lines. */
const LINE_WIDTH = 100;

/** What `idpkit init` writes. */
export interface InitOptions {
  /** Company-size preset. */
  readonly size: Size;
  /** Cloud of every environment. */
  readonly cloud: Cloud;
  /** Environment names, each a DNS label; dev, staging and prod also name the tier (others are dev). @default ["dev", "staging", "prod"] */
  readonly environments?: readonly string[];
  /** GitHub repository CI deploys from. @default - acme/platform, a placeholder */
  readonly github?: { readonly owner: string; readonly repo: string };
}

/** One file `init` writes, relative to the project directory. */
export interface InitFile {
  /** Path relative to the project directory, with "/" separators. */
  readonly path: string;
  readonly content: string;
  /** Written only when the file does not exist yet (the app's entry and settings are the user's). */
  readonly onlyWhenAbsent: boolean;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

const RESERVED_WORDS = new Set(
  (
    'await break case catch class const continue debugger default delete do else enum export extends false finally for function if ' +
    'implements import in instanceof interface let new null package private protected public return static super switch this throw ' +
    'true try typeof var void while with yield'
  ).split(' '),
);

/** The TypeScript constant an environment's config is exported as: `eu-prod` -> `euProd`. */
export function environmentIdentifier(name: string): string {
  const camel = name.replace(/[-.]+([a-zA-Z0-9])/g, (_match, next: string) => next.toUpperCase()).replace(/[^\w$]/g, '');
  const identifier = /^[0-9]/.test(camel) ? `env${camel}` : camel;
  return RESERVED_WORDS.has(identifier) ? `${identifier}Env` : identifier;
}

/** Parses `--envs dev,staging,prod`: names in order, without blanks; a usage error for an empty, duplicated or reserved name. */
export function parseEnvironmentNames(list: string): string[] {
  const names = list.split(',').map((name) => name.trim());
  if (names.length === 0 || names.some((name) => name === '')) {
    throw new CliUsageError(`--envs ${JSON.stringify(list)} has an empty name (expected names separated by commas, e.g. dev,staging,prod)`);
  }
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) throw new CliUsageError(`--envs lists "${duplicate}" twice (environment names must be unique)`);
  if (names.includes('index')) throw new CliUsageError('--envs: "index" cannot name an environment (environments/index.ts lists them all)');
  if (names.length > MAX_ENVIRONMENTS) {
    throw new CliUsageError(`--envs lists ${names.length} environments; at most ${MAX_ENVIRONMENTS} get distinct 10.x.0.0/16 networks`);
  }
  const identifiers = names.map(environmentIdentifier);
  const clash = identifiers.findIndex((identifier, index) => identifiers.indexOf(identifier) !== index);
  if (clash >= 0) {
    const first = names[identifiers.indexOf(identifiers[clash])];
    throw new CliUsageError(`--envs: "${first}" and "${names[clash]}" would both be exported as ${identifiers[clash]} (rename one)`);
  }
  return names;
}

const GITHUB_REPOSITORY = /^([A-Za-z0-9](?:-?[A-Za-z0-9]){0,38})\/([A-Za-z0-9._-]{1,100})$/;

/** Parses `--github owner/repo`, or a usage error saying the expected form. */
export function parseGithubRepository(value: string): { owner: string; repo: string } {
  const match = GITHUB_REPOSITORY.exec(value.trim());
  if (!match) throw new CliUsageError(`--github ${JSON.stringify(value)} is not a GitHub repository (expected owner/repo, e.g. acme/platform)`);
  return { owner: match[1], repo: match[2] };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const quote = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;

const propertyKey = (key: string): string => (IDENTIFIER.test(key) ? key : quote(key));

const childPath = (path: string, key: string | number): string => (path === '' ? String(key) : `${path}.${key}`);

/** A JSON-like value on one line: `{ owner: 'acme', repo: 'platform' }`. */
function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (isObject(value)) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([key, item]) => `${propertyKey(key)}: ${inline(item)}`).join(', ')} }`;
  }
  return typeof value === 'string' ? quote(value) : JSON.stringify(value);
}

/**
 * A JSON-like value as TypeScript source: unquoted keys where valid, single quotes, objects on one
 * line when they fit and hold no placeholder deeper down, and `// REPLACE` after each placeholder. Deterministic: keys keep their order.
 *
 * @param placeholders hints by dotted path (`aws.accountId`), as {@link templatePlaceholders} returns
 */
export function toTypeScript(value: unknown, placeholders: Readonly<Record<string, string>> = {}): string {
  const holdsPlaceholder = (path: string) => Object.keys(placeholders).some((placeholder) => path === '' || placeholder.startsWith(`${path}.`));
  const print = (item: unknown, path: string, indent: string, prefixLength: number): string => {
    if (!Array.isArray(item) && !isObject(item)) return inline(item);
    const oneLine = inline(item);
    if (path !== '' && !holdsPlaceholder(path) && prefixLength + oneLine.length + 1 <= LINE_WIDTH) return oneLine;
    const inner = `${indent}  `;
    const entries: [string | number, unknown][] = Array.isArray(item) ? item.map((element, index) => [index, element]) : Object.entries(item).filter(([, v]) => v !== undefined);
    const lines = entries.map(([key, element]) => {
      const prefix = typeof key === 'number' ? inner : `${inner}${propertyKey(key)}: `;
      const at = childPath(path, key);
      const [first, ...rest] = `${prefix}${print(element, at, inner, prefix.length)},`.split('\n');
      return [at in placeholders ? `${first} // REPLACE` : first, ...rest].join('\n');
    });
    const [open, close] = Array.isArray(item) ? ['[', ']'] : ['{', '}'];
    return `${open}\n${lines.join('\n')}\n${indent}${close}`;
  };
  return print(value, '', '', 0);
}

/** The numbered list of placeholders in a config's header comment. */
function placeholderList(placeholders: Readonly<Record<string, string>>): string[] {
  return Object.entries(placeholders).map(([path, hint]) => ` * - ${path}: ${hint}`);
}

function environmentFile(options: EnvironmentTemplateOptions, config: Record<string, unknown>): string {
  const placeholders = templatePlaceholders(options);
  const tier = tierOf(options);
  const identifier = environmentIdentifier(options.name);
  const network = (config.network as { cidr: string }).cidr;
  return [
    '/**',
    ` * Environment "${options.name}": ${tier} tier, ${options.size} preset (${PRESETS[options.size].engineers} engineers), on ${options.cloud}.`,
    ' * Written by `idpkit init`; yours to edit.',
    ' *',
    ' * It validates and synthesizes as it is, but the values marked REPLACE are placeholders: put',
    ' * your own in before `cdktf deploy`:',
    ...placeholderList(placeholders),
    ' *',
    ` * Review the rest too: region, owner, costCenter, budget and network.cidr (${network}, distinct per environment).`,
    ` * Add-ons, node group and databases come from the ${options.size} preset (\`idpkit explain ${options.size} --cloud ${options.cloud}\`);`,
    ' * any field set here overrides the preset, e.g. cluster.nodeGroups or platform.addons.<key>.enabled: false.',
    ' */',
    "import type { EnvironmentConfig } from 'idpkit';",
    '',
    `export const ${identifier} = ${toTypeScript(config, placeholders)} satisfies EnvironmentConfig;`,
    '',
  ].join('\n');
}

function indexFile(names: readonly string[]): string {
  const identifiers = names.map(environmentIdentifier);
  return [
    '/** The environments main.ts validates together and synthesizes. Written by `idpkit init`. */',
    ...names.map((name, index) => `import { ${identifiers[index]} } from './${name}';`),
    '',
    `export const environments = [${identifiers.join(', ')}];`,
    '',
  ].join('\n');
}

const MAIN_FILE = `/**
 * The cdktf app: \`cdktf synth\` runs it (see cdktf.json). It validates every environment in
 * environments/index.ts together and writes their stacks to cdktf.out/; IDPKIT_ENVIRONMENTS=dev,staging
 * synthesizes some of them. Written by \`idpkit init\`; yours to change.
 */
import { ENVIRONMENT_SELECTOR_VARIABLE, IdpkitError, selectEnvironments } from 'idpkit';
import { synthesizePlatform } from 'idpkit/platform';
import { environments } from './environments';

try {
  const only = selectEnvironments(environments, process.env[ENVIRONMENT_SELECTOR_VARIABLE]).map((env) => env.name);
  synthesizePlatform({ environments, only });
} catch (error) {
  if (!(error instanceof IdpkitError)) throw error;
  console.error(\`idpkit: \${error.code}\\n\${error.message}\`);
  process.exit(1);
}
`;

const CDKTF_JSON = {
  language: 'typescript',
  app: APP_COMMAND,
  projectId: 'idpkit-platform',
  sendCrashReports: 'false',
  terraformProviders: [],
  terraformModules: [],
  context: {},
};

/**
 * Compiler settings valid on TypeScript 5.9 and 7 (no `moduleResolution: node10`, which 7 removed):
 * Node's own module rules (`nodenext`: CommonJS, since the project's package.json has no
 * `"type": "module"`), compiled into dist/ for {@link APP_COMMAND}.
 */
const TSCONFIG_JSON = {
  compilerOptions: {
    target: 'ES2022',
    module: 'nodenext',
    lib: ['ES2022'],
    types: ['node'],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    rootDir: '.',
    outDir: 'dist',
  },
  include: ['main.ts', 'environments'],
};

/** The configs `init` writes, validated together (an {@link IdpkitError} when the flags make an invalid set). */
export function initEnvironments(options: InitOptions): { readonly template: EnvironmentTemplateOptions; readonly config: Record<string, unknown> }[] {
  const names = options.environments ?? DEFAULT_ENVIRONMENT_NAMES;
  return names.map((name, index) => {
    const template: EnvironmentTemplateOptions = {
      size: options.size,
      cloud: options.cloud,
      name,
      networkOctet: FIRST_NETWORK_OCTET + index * NETWORK_OCTET_STEP,
      ...(options.github ? { github: options.github } : {}),
    };
    return { template, config: environmentTemplate(template) };
  });
}

/**
 * Every file `init` writes, after validating the environments together with `validateEnvironments`
 * (throws its {@link IdpkitError}; nothing is returned, so nothing is written).
 */
export async function initFiles(options: InitOptions): Promise<InitFile[]> {
  const environments = initEnvironments(options);
  // The schema loads the add-on catalog: only init needs it.
  const { validateEnvironments } = await import('../environments/types');
  validateEnvironments(environments.map(({ config }) => config));
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return [
    ...environments.map(({ template, config }) => ({ path: `environments/${template.name}.ts`, content: environmentFile(template, config), onlyWhenAbsent: false })),
    { path: 'environments/index.ts', content: indexFile(environments.map(({ template }) => template.name)), onlyWhenAbsent: false },
    { path: 'main.ts', content: MAIN_FILE, onlyWhenAbsent: true },
    { path: 'cdktf.json', content: json(CDKTF_JSON), onlyWhenAbsent: true },
    { path: 'tsconfig.json', content: json(TSCONFIG_JSON), onlyWhenAbsent: true },
  ];
}

/** What {@link writeInitFiles} did. */
export interface InitResult {
  /** Files written, relative to the directory. */
  readonly written: readonly string[];
  /** Existing files left as they were (the app's entry and settings). */
  readonly kept: readonly string[];
}

/**
 * Writes the files into `dir` (created when missing) all or nothing, kill-safe
 * ({@link writeLayoutAtomically}: a new `dir` appears by one rename; in an existing one each file
 * is switched in by rename and rolled back on an error, or by the next run after a kill). Refuses,
 * writing nothing, when a config would overwrite an existing file and `force` is not set.
 *
 * @throws IdpkitError `IDPKIT_FILESYSTEM` (`cannot write <path>: ...`) when a file cannot be written; nothing was changed
 */
export function writeInitFiles(dir: string, files: readonly InitFile[], force: boolean): InitResult {
  // What a killed init left is rolled back first, so it is neither "in the way" nor kept.
  recoverInterruptedWrites(dir);
  const exists = (file: InitFile) => existsSync(join(dir, file.path));
  const kept = files.filter((file) => file.onlyWhenAbsent && exists(file)).map((file) => file.path);
  const inTheWay = files.filter((file) => !file.onlyWhenAbsent && exists(file)).map((file) => file.path);
  if (inTheWay.length > 0 && !force) throw new FilesExistError(dir, inTheWay);
  const toWrite = files.filter((file) => !kept.includes(file.path));
  writeLayoutAtomically(dir, Object.fromEntries(toWrite.map((file) => [file.path, file.content])));
  return { written: toWrite.map((file) => file.path), kept };
}

/** `init` would overwrite files: exit code 1, naming them. */
export class FilesExistError extends Error {
  constructor(
    readonly dir: string,
    readonly files: readonly string[],
  ) {
    super(`${files.join(', ')} already exist${files.length === 1 ? 's' : ''} in ${dir}; nothing was written (use --force to overwrite them)`);
    this.name = 'FilesExistError';
  }
}

/** The options `init` parses, before questions fill the missing ones. */
interface InitFlags {
  readonly size?: Size;
  readonly cloud?: Cloud;
  readonly envs?: string;
  readonly dir: string;
  readonly github?: string;
  readonly force?: boolean;
}

const validated = <T>(parse: (value: string) => T) => (value: string): true | string => {
  try {
    parse(value);
    return true;
  } catch (error) {
    return (error as Error).message;
  }
};

/** Fills in missing options: by asking in a terminal, else a usage error naming them. */
async function resolveOptions(flags: InitFlags, io: CliIo): Promise<InitOptions> {
  const missing = [flags.size ? undefined : '--size', flags.cloud ? undefined : '--cloud'].filter((flag): flag is string => flag !== undefined);
  if (!io.interactive) {
    if (missing.length > 0) {
      throw new CliUsageError(
        `missing required option${missing.length > 1 ? 's' : ''} ${missing.join(' and ')} (not a terminal, so init cannot ask; e.g. idpkit init --size small --cloud aws)`,
      );
    }
    return {
      size: flags.size!,
      cloud: flags.cloud!,
      environments: flags.envs === undefined ? undefined : parseEnvironmentNames(flags.envs),
      github: flags.github === undefined ? undefined : parseGithubRepository(flags.github),
    };
  }
  const prompter: Prompter = io.prompter ?? inquirerPrompter;
  const size =
    flags.size ??
    (await prompter.select<Size>({
      message: 'Company size (preset)',
      choices: SIZES.map((value) => ({ value, name: `${value} (${PRESETS[value].engineers} engineers)`, description: PRESETS[value].focus })),
      default: 'small',
    }));
  const cloud = flags.cloud ?? (await prompter.select<Cloud>({ message: 'Cloud', choices: CLOUDS.map((value) => ({ value })), default: 'aws' }));
  const envs =
    flags.envs ??
    (await prompter.input({ message: 'Environments (comma-separated)', default: DEFAULT_ENVIRONMENT_NAMES.join(','), validate: validated(parseEnvironmentNames) }));
  const github =
    flags.github ??
    (await prompter.input({
      message: 'GitHub repository CI deploys from (owner/repo; empty for a placeholder)',
      default: '',
      validate: (value) => (value.trim() === '' ? true : validated(parseGithubRepository)(value)),
    }));
  return {
    size,
    cloud,
    environments: parseEnvironmentNames(envs),
    github: github.trim() === '' ? undefined : parseGithubRepository(github),
  };
}

function nextSteps(dir: string, result: InitResult, cwd: string, cloud: Cloud): string {
  const relativeDir = relative(cwd, dir);
  const where = relativeDir === '' ? undefined : relativeDir.startsWith('..') || isAbsolute(relativeDir) ? dir : relativeDir;
  return [
    `Wrote ${result.written.join(', ')} in ${dir}.`,
    ...(result.kept.length > 0 ? [`Kept the existing ${result.kept.join(', ')} (init writes them only when absent).`] : []),
    '',
    'Next steps:',
    "  1. Replace the placeholders marked REPLACE in environments/*.ts (each file's header comment lists them).",
    `  2. Install what the app imports and builds with, unless the project has them${where ? ` (in ${where})` : ''}:`,
    `       npm install idpkit ${APP_DEPENDENCIES.join(' ')}   (before idpkit's first npm release: its packed tarball, see "Install" in the idpkit README)`,
    `       npm install --save-dev ${APP_DEV_DEPENDENCIES.join(' ')}`,
    `       npm install ${CLOUD_PROVIDER_PACKAGES[cloud]}   (the ${cloud} provider; the stacks load no other cloud's)`,
    `  3. Synthesize: npx cdktf synth   (cdktf.json runs: ${APP_COMMAND}, which type-checks, compiles and synthesizes)`,
    '  4. Deploy each state bootstrap stack first, then <env>-infra and <env>-platform (see the idpkit README).',
    '',
  ].join('\n');
}

/** Adds `idpkit init` to the program. */
export function addInitCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('init')
    .description('write typed environment configs from a preset, and the cdktf app that synthesizes them')
    .addOption(new Option('--size <size>', 'company-size preset').choices(SIZES))
    .addOption(new Option('--cloud <cloud>', 'cloud of the environments').choices(CLOUDS))
    .option('--envs <names>', `environment names, comma-separated (default: ${DEFAULT_ENVIRONMENT_NAMES.join(',')})`)
    .option('--dir <dir>', 'project directory', '.')
    .option('--github <owner/repo>', 'GitHub repository whose Actions deploy the environments (default: a placeholder)')
    .option('--force', 'overwrite existing environment files')
    .addHelpText(
      'after',
      [
        '',
        'In a terminal, init asks for the options you leave out; elsewhere --size and --cloud are required.',
        'Each environment gets its own network (10.10.0.0/16, 10.20.0.0/16, ...); dev, staging and prod',
        'name their tier, other names are dev tier. main.ts, cdktf.json and tsconfig.json are written only',
        'when absent; environment files are never overwritten without --force.',
        '',
        'Examples:',
        '  idpkit init',
        '  idpkit init --size small --cloud aws',
        '  idpkit init --size medium --cloud gcp --envs dev,prod --dir platform --github acme/platform',
        '',
      ].join('\n'),
    )
    .action(async (flags: InitFlags) => {
      const options = await resolveOptions(flags, io);
      const cwd = io.cwd ?? process.cwd();
      const dir = resolve(cwd, flags.dir);
      const files = await initFiles(options);
      try {
        const result = writeInitFiles(dir, files, flags.force ?? false);
        io.stdout.write(nextSteps(dir, result, cwd, options.cloud));
        setExitCode(EXIT_OK);
      } catch (error) {
        if (!(error instanceof FilesExistError)) throw error;
        io.stderr.write(`idpkit: ${error.message}\n`);
        setExitCode(EXIT_FAILURE);
      }
    });
}
