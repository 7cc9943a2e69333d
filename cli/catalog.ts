/**
 * `idpkit catalog [outdir] [--env <name|file>]...`: rewrites `<outdir>/catalog/` (the Backstage
 * catalog of the platform, docs/portal.md) from the environments and the stacks synthesized in
 * `<outdir>` (default cdktf.out), as synthesis writes it: `all.yaml`, `platform.yaml` and
 * `environments/<env>.yaml` of every environment given, and the golden paths' `templates/`.
 * Everything is read and checked first; then `all.yaml`, `platform.yaml`, the `environments/` and
 * `templates/` folders are each replaced whole by a rename. On any error nothing is written.
 *
 * Exit codes: 0 written, 1 invalid input (an environment, a missing or unreadable stack: nothing
 * was written), 2 usage.
 */
import { join, relative, resolve, isAbsolute } from 'node:path';
import { Argument, Command, Option } from 'commander';
import { ENVIRONMENT_SET_VARIABLE, chooseEnvironmentSet, environmentSets } from '../environments';
import { Environment, validateEnvironments } from '../environments/types';
import { CATALOG_DIRECTORY, platformCatalog, templateNamesOf } from '../stacks/catalog';
import { goldenPathFilesOf } from '../stacks/golden-paths';
import { CatalogDocuments, catalogDocuments, renderCatalogFiles } from '../constructs/interface/catalog/platform';
import { CliIo, CliUsageError, EXIT_OK, renderTable } from './io';
import { writeLayoutAtomically } from './layout-writer';
import { ENVIRONMENT_FILE_EXTENSIONS, resolveEnvironment } from './workload';

/** cdktf's output directory when none is given. */
export const DEFAULT_CATALOG_OUTDIR = 'cdktf.out';

/** What `idpkit catalog` was asked. */
export interface CatalogRequest {
  /** The synthesized directory. @default DEFAULT_CATALOG_OUTDIR */
  readonly outdir?: string;
  /** Environment files or shipped environments' names. @default - the set `cdktf synth` builds (IDPKIT_ENVIRONMENT_SET, default `default`) */
  readonly envs?: readonly string[];
}

/** What one `idpkit catalog` wrote. */
export interface CatalogReport {
  /** The catalog folder. */
  readonly directory: string;
  readonly environments: readonly string[];
  readonly documents: CatalogDocuments;
}

/** The environments of a request: those given with `--env` (each once), else the set `cdktf synth` builds. */
function environmentsOf(request: CatalogRequest, cwd: string): readonly Environment[] {
  if (!request.envs || request.envs.length === 0) return validateEnvironments(chooseEnvironmentSet(environmentSets, process.env[ENVIRONMENT_SET_VARIABLE]));
  const environments = request.envs.map((value) => resolveEnvironment(value, cwd));
  const names = environments.map((env) => env.name);
  const twice = names.filter((name, index) => names.indexOf(name) !== index);
  if (twice.length > 0) throw new CliUsageError(`--env names environment "${twice[0]}" twice; give each environment once`);
  return environments;
}

/** Builds the catalog and writes it into `<outdir>/catalog/`, all or nothing. Throws IdpkitError (nothing written) on bad input. */
export function writeCatalog(request: CatalogRequest, cwd: string): CatalogReport {
  const outdir = resolve(cwd, request.outdir ?? DEFAULT_CATALOG_OUTDIR);
  const environments = environmentsOf(request, cwd);
  const goldenPaths = goldenPathFilesOf(environments);
  const documents = catalogDocuments(platformCatalog({ environments, dir: outdir, templates: templateNamesOf(goldenPaths) }));
  const directory = join(outdir, CATALOG_DIRECTORY);
  // Units are the catalog folder's entries: all.yaml, platform.yaml, environments/ and templates/.
  writeLayoutAtomically(directory, { ...renderCatalogFiles(documents), ...goldenPaths }, (path) => path.split('/')[0]);
  return { directory, environments: environments.map((env) => env.name), documents };
}

/** A path for output: relative to the working directory when inside it. */
function shown(path: string, cwd: string): string {
  const relativePath = relative(cwd, path);
  return relativePath === '' ? '.' : relativePath.startsWith('..') || isAbsolute(relativePath) ? path : relativePath;
}

/** The kinds in the order the summary lists them. */
const SUMMARY_KINDS = ['Location', 'Domain', 'Group', 'System', 'Resource', 'Component'] as const;

/** What was written, for stdout: the folder, the environments, and the entities by kind. */
export function renderCatalogSummary(report: CatalogReport, cwd: string): string {
  const entities = Object.values(report.documents).flat();
  const rows = SUMMARY_KINDS.map((kind) => [kind, String(entities.filter((entity) => entity.kind === kind).length)]).filter(([, count]) => count !== '0');
  const files = Object.keys(report.documents).length;
  return `Wrote the catalog of ${report.environments.length} environment(s) (${report.environments.join(', ')}) to ${shown(report.directory, cwd)}: ${entities.length} entities in ${files} file(s).\n${renderTable(['Kind', 'Entities'], rows)}`;
}

/** Adds `idpkit catalog [outdir]` to the program. */
export function addCatalogCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('catalog')
    .description("rewrite <outdir>/catalog/, the platform's Backstage catalog, from the environments and the stacks synthesized there")
    .addArgument(new Argument('[outdir]', 'the synthesized output').default(DEFAULT_CATALOG_OUTDIR))
    .addOption(
      new Option('--env <name|file>', `an environment: a ${ENVIRONMENT_FILE_EXTENSIONS.join('/')} file, or a shipped environment's name (repeatable; default: the set cdktf synth builds, ${ENVIRONMENT_SET_VARIABLE})`)
        .argParser((value: string, previous: string[] = []) => [...previous, value]),
    )
    .addHelpText(
      'after',
      [
        '',
        'Reads <outdir>/stacks/<env>-infra, <env>-platform and the bootstrap stack of each environment\'s state:',
        'run cdktf synth first. all.yaml, platform.yaml, environments/ and templates/ are replaced whole.',
        '',
        'Exit codes: 0 written, 1 invalid input or a missing stack (nothing written), 2 usage.',
        '',
        'Examples:',
        '  idpkit catalog',
        '  idpkit catalog cdktf.out --env dev --env prod',
        '  idpkit catalog out --env platform/prod.yaml',
        '',
      ].join('\n'),
    )
    .action((outdir: string, flags: { env?: string[] }) => {
      const cwd = io.cwd ?? process.cwd();
      const report = writeCatalog({ outdir, envs: flags.env }, cwd);
      io.stdout.write(renderCatalogSummary(report, cwd));
      setExitCode(EXIT_OK);
    });
}
