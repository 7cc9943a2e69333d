/**
 * `idpkit workload render <score.yaml...> --env <name|file> [--namespace <ns>] [--out <dir>]
 * [--image [<container>=]<ref>]... [--var KEY=VALUE]... [--preview]`: renders Score workloads into
 * the layout the environment's Argo CD reads (docs/workloads.md), with what the environment's
 * platform actually runs.
 *
 * Everything is read, rendered and checked in memory first; then the files are written all or
 * nothing, kill-safe (cli/layout-writer.ts), each workload's directory (and each shared file, each
 * `workloads-<namespace>.yaml`) replaced whole by a rename. On any error nothing is written and
 * the temporary directory is removed.
 *
 * Exit codes: 0 written, 1 invalid input (a Score file, the environment, a namespace; nothing was
 * written), 2 usage.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, relative, resolve } from 'node:path';
import { Argument, Command, Option } from 'commander';
import { parse as parseYaml } from 'yaml';
import { describeValue, IdpkitError } from '../constructs/core/errors';
import { renderWorkloads } from '../constructs/orchestration/workloads/render';
import type { RenderedWorkloads, RenderOptions, ScoreFile, WorkloadPlatform } from '../constructs/orchestration/workloads/types';
import { environmentSets } from '../environments';
import { loadEnvironmentFile } from '../environments/load';
import { Environment, validateEnvironment } from '../environments/types';
import { workloadLayoutDirectory, workloadPlatformOf } from '../stacks/workloads';
import { CliIo, CliUsageError, EXIT_OK, TABLE_WIDTH, renderTable } from './io';
import { WrittenLayout, writeLayoutAtomically } from './layout-writer';

/** The Score annotation that names a workload's namespace when `--namespace` is not given. */
export const NAMESPACE_ANNOTATION = 'idpkit.dev/namespace';

/** Extensions of environment files `--env` reads (anything else is an environment name). */
export const ENVIRONMENT_FILE_EXTENSIONS = ['.json', '.yaml', '.yml'] as const;

/** The `--image` key that stands for every container whose image is ".". */
export const ANY_CONTAINER = '*';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const VARIABLE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** The engine's render function (the real one by default; tests give their own). */
export type WorkloadRenderer = (files: readonly ScoreFile[], platform: WorkloadPlatform, options: RenderOptions) => RenderedWorkloads;

/** Parses one `--image`: `<container>=<ref>` for one container, or `<ref>` for every container whose image is ".". */
export function parseImage(value: string, images: Readonly<Record<string, string>> = {}): Record<string, string> {
  const separator = value.indexOf('=');
  const [container, ref] = separator > 0 && DNS_LABEL.test(value.slice(0, separator)) ? [value.slice(0, separator), value.slice(separator + 1)] : [ANY_CONTAINER, value];
  if (ref.trim() === '' || /\s/.test(ref)) {
    throw new CliUsageError(`--image ${JSON.stringify(value)} is not an image reference (expected <container>=<ref> or <ref>, e.g. web=ghcr.io/acme/web:1.4.2)`);
  }
  if (images[container] !== undefined) {
    throw new CliUsageError(`--image gives ${container === ANY_CONTAINER ? 'the image of every container' : `container "${container}"`} twice (${images[container]} and ${ref}); give it once`);
  }
  return { ...images, [container]: ref };
}

/** Parses one `--var KEY=VALUE` (a value of the `environment` resource type). */
export function parseVariable(value: string, variables: Readonly<Record<string, string>> = {}): Record<string, string> {
  const separator = value.indexOf('=');
  const key = separator < 0 ? value : value.slice(0, separator);
  if (separator < 0 || !VARIABLE_KEY.test(key)) {
    throw new CliUsageError(`--var ${JSON.stringify(value)} is not KEY=VALUE with a KEY of letters, digits, "_" and "-" starting with a letter or "_" (e.g. --var LOG_LEVEL=debug)`);
  }
  if (variables[key] !== undefined) throw new CliUsageError(`--var gives ${key} twice; give it once`);
  return { ...variables, [key]: value.slice(separator + 1) };
}

/** Environments `--env` finds by name: every shipped set's, each name once. */
function shippedEnvironments(): readonly { readonly name: string }[] {
  const all = Object.values(environmentSets).flat() as readonly { readonly name: string }[];
  return all.filter((env, index) => all.findIndex((other) => other.name === env.name) === index);
}

/**
 * The environment `--env` names: a `.json`/`.yaml`/`.yml` file (or any path with a directory),
 * validated like a TypeScript environment, or the name of a shipped environment.
 */
export function resolveEnvironment(value: string, cwd: string): Environment {
  const extension = extname(value).toLowerCase();
  if ((ENVIRONMENT_FILE_EXTENSIONS as readonly string[]).includes(extension) || value.includes('/') || value.includes('\\')) return loadEnvironmentFile(resolve(cwd, value));
  const shipped = shippedEnvironments();
  const config = shipped.find((env) => env.name === value);
  if (!config) {
    throw new CliUsageError(
      `--env ${JSON.stringify(value)} is neither an environment file (${ENVIRONMENT_FILE_EXTENSIONS.join(', ')}) nor a shipped environment (allowed: ${shipped.map((env) => env.name).join(', ')})`,
    );
  }
  return validateEnvironment(config);
}

/** Reads the Score files; a file that cannot be read is an error naming it. */
export function readScoreFiles(paths: readonly string[], cwd: string): ScoreFile[] {
  const problems: string[] = [];
  const files = paths.flatMap((path) => {
    try {
      return [{ path, text: readFileSync(resolve(cwd, path), 'utf8') }];
    } catch (error) {
      problems.push(`${path}: cannot be read: ${(error as Error).message}`);
      return [];
    }
  });
  const seen = new Set<string>();
  for (const path of paths) {
    if (seen.has(resolve(cwd, path))) problems.push(`${path}: is given twice (give each Score file once)`);
    seen.add(resolve(cwd, path));
  }
  if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_INPUT', problems);
  return files;
}

/** The `idpkit.dev/namespace` annotation of a Score file, when it parses and has one (the engine reports files that do not parse). */
function annotatedNamespace(file: ScoreFile): unknown {
  try {
    const document = parseYaml(file.text) as { metadata?: { annotations?: Record<string, unknown> } } | null;
    return document?.metadata?.annotations?.[NAMESPACE_ANNOTATION];
  } catch {
    return undefined;
  }
}

/**
 * The namespace the workloads render into: `--namespace`, else the Score files' annotation (all
 * the same); a DNS label, and one of the platform's tenant namespaces when it manages them.
 */
export function namespaceOf(files: readonly ScoreFile[], platform: WorkloadPlatform, given: string | undefined): string {
  const at = `metadata.annotations["${NAMESPACE_ANNOTATION}"]`;
  let namespace = given;
  let where = `--namespace ${describeValue(given)}`;
  if (namespace === undefined) {
    const annotated = files.map((file) => ({ file: file.path, value: annotatedNamespace(file) }));
    const missing = annotated.filter(({ value }) => value === undefined);
    if (missing.length > 0) {
      throw new IdpkitError(
        'IDPKIT_INVALID_WORKLOAD',
        missing.map(({ file }) => `${file}: ${at} is missing: give --namespace <namespace>, or annotate the workload with the namespace it runs in`),
      );
    }
    const values = [...new Set(annotated.map(({ value }) => JSON.stringify(value)))];
    if (values.length > 1) {
      throw new IdpkitError('IDPKIT_INVALID_WORKLOAD', [
        `${at} differs between the Score files (${annotated.map(({ file, value }) => `${file}: ${describeValue(value)}`).join(', ')}): one render writes one namespace; render them separately or give --namespace`,
      ]);
    }
    namespace = annotated[0].value as string;
    where = `${annotated[0].file}: ${at} ${describeValue(namespace)}`;
  }
  if (typeof namespace !== 'string' || !DNS_LABEL.test(namespace)) {
    throw new IdpkitError('IDPKIT_INVALID_WORKLOAD', [`${where} is not a namespace name (a DNS label: up to 63 lowercase letters, digits and "-", starting and ending with a letter or digit)`]);
  }
  if (platform.namespaces.length > 0 && !platform.namespaces.includes(namespace)) {
    throw new IdpkitError('IDPKIT_INVALID_WORKLOAD', [
      `${where} is not a tenant namespace of environment "${platform.environment}" (allowed: ${platform.namespaces.join(', ')}; the platform team adds teams in platform.addons.tenancy.teams)`,
    ]);
  }
  return namespace;
}

/** The workload layout's units: a workload's directory is replaced whole, a shared file or a top-level file alone. */
export function workloadUnitOf(path: string): string {
  const parent = dirname(path);
  return parent === '.' || basename(parent) === '_shared' ? path : parent;
}

/** What `idpkit workload render` was asked. */
export interface WorkloadRenderRequest {
  /** Score files, relative to `cwd`. */
  readonly scoreFiles: readonly string[];
  /** An environment file or a shipped environment's name. */
  readonly env: string;
  /** @default - the Score files' `idpkit.dev/namespace` annotation */
  readonly namespace?: string;
  /** @default - the environment's layout directory ({@link workloadLayoutDirectory}) */
  readonly out?: string;
  /** @default {} */
  readonly images?: Readonly<Record<string, string>>;
  /** @default {} */
  readonly variables?: Readonly<Record<string, string>>;
  /** @default false */
  readonly preview?: boolean;
}

/** What one render wrote. */
export interface WorkloadRenderReport {
  readonly environment: string;
  readonly namespace: string;
  readonly rendered: RenderedWorkloads;
  readonly written: WrittenLayout;
}

/** Reads, renders and writes: the command without its command line. Throws IdpkitError (nothing written) on bad input. */
export function renderWorkloadFiles(request: WorkloadRenderRequest, cwd: string, render: WorkloadRenderer = renderWorkloads): WorkloadRenderReport {
  const env = resolveEnvironment(request.env, cwd);
  const preview = request.preview ?? false;
  const out = request.out ?? workloadLayoutDirectory(env, preview);
  if (out === undefined) {
    throw new IdpkitError('IDPKIT_INVALID_INPUT', [
      `environment "${env.name}" runs no Argo CD with a GitOps repository (platform.addons.argocd.gitops), so there is no layout directory to default to: give --out <dir>`,
    ]);
  }
  const files = readScoreFiles(request.scoreFiles, cwd);
  const platform = workloadPlatformOf(env);
  const namespace = namespaceOf(files, platform, request.namespace);
  const rendered = render(files, platform, {
    namespace,
    images: request.images ?? {},
    variables: request.variables ?? {},
    preview,
    readFile: (path) => readFileOrError(resolve(cwd, path), path),
  });
  const written = writeLayoutAtomically(resolve(cwd, out), rendered.files, workloadUnitOf);
  return { environment: env.name, namespace, rendered, written };
}

/** A `files.<target>.source` file's bytes, or an error naming it. */
function readFileOrError(path: string, shown: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new IdpkitError('IDPKIT_INVALID_INPUT', [`${shown}: cannot be read: ${(error as Error).message}`]);
  }
}

/** A path for output: relative to the working directory when inside it. */
function shown(path: string, cwd: string): string {
  const relativePath = relative(cwd, path);
  return relativePath === '' ? '.' : relativePath.startsWith('..') || isAbsolute(relativePath) ? path : relativePath;
}

/** What was written, for stdout: one row per workload, then the single files. */
export function renderWrittenTable(report: WorkloadRenderReport, cwd: string): string {
  const { written, rendered } = report;
  const rows = rendered.workloads.map((workload) => {
    const directory = written.directories.find((path) => path === workload.name || path.endsWith(`/${workload.name}`));
    return [workload.name, workload.source, String(workload.objects.length), directory ? `${directory}/` : '-'];
  });
  const summary = `Rendered ${rendered.workloads.length} workload(s) of environment "${report.environment}" into ${shown(written.directory, cwd)} (namespace ${report.namespace}): ${written.fileCount} file(s).\n`;
  const table = rows.length > 0 ? renderTable(['Workload', 'Score file', 'Objects', 'Directory'], rows, [24, 40, 9, TABLE_WIDTH - 24 - 40 - 9 - 5]) : '';
  const also = written.singleFiles.length > 0 ? `Also written:\n${written.singleFiles.map((path) => `  ${path}\n`).join('')}` : '';
  return `${summary}${table}${also}`;
}

/** The command-line options of `workload render`. */
interface RenderFlags {
  readonly env: string;
  readonly namespace?: string;
  readonly out?: string;
  readonly image: Record<string, string>;
  readonly var: Record<string, string>;
  readonly preview?: boolean;
}

/** Adds `idpkit workload render` to the program. */
export function addWorkloadCommand(program: Command, io: CliIo, setExitCode: (code: number) => void, render: WorkloadRenderer = renderWorkloads): void {
  const workload = program.command('workload').description('Score workloads: render them into the layout Argo CD deploys');
  workload
    .command('render')
    .description("render Score files into the environment's GitOps layout (or a pull request's preview), all files or none")
    .addArgument(new Argument('<score-files...>', 'Score files (score.dev/v1b1), YAML or JSON'))
    .requiredOption('--env <name|file>', `the environment: a ${ENVIRONMENT_FILE_EXTENSIONS.join('/')} file, or a shipped environment's name`)
    .option('--namespace <namespace>', `namespace of the workloads (default: the Score files' ${NAMESPACE_ANNOTATION} annotation)`)
    .option('--out <dir>', "output directory (default: the environment's gitops.path, e.g. environments/dev; deploy/preview with --preview)")
    .addOption(new Option('--image <[container=]ref>', 'image of containers whose image is "." (repeatable; without container=, every such container)').argParser(parseImage).default({}, 'none'))
    .addOption(new Option('--var <KEY=VALUE>', 'a value the environment resource type provides (repeatable)').argParser(parseVariable).default({}, 'none'))
    .option('--preview', "render for a pull request's preview namespace: no namespace on objects, no Argo CD Applications, dev tier")
    .addHelpText(
      'after',
      [
        '',
        'Everything is rendered and checked before anything is written; then each workload directory',
        '(workloads/<namespace>/<workload>/), shared file and workloads-<namespace>.yaml is replaced whole.',
        '',
        'Exit codes: 0 written, 1 invalid input (nothing written), 2 usage.',
        '',
        'Examples:',
        '  idpkit workload render score.yaml --env dev --image ghcr.io/acme/web:1.4.2',
        '  idpkit workload render services/*/score.yaml --env platform/prod.yaml --namespace shop',
        '  idpkit workload render score.yaml --env dev --preview --image web=ghcr.io/acme/web:pr-42',
        '',
      ].join('\n'),
    )
    .action((scoreFiles: string[], flags: RenderFlags) => {
      const cwd = io.cwd ?? process.cwd();
      const report = renderWorkloadFiles(
        { scoreFiles, env: flags.env, namespace: flags.namespace, out: flags.out, images: flags.image, variables: flags.var, preview: flags.preview ?? false },
        cwd,
        render,
      );
      io.stdout.write(renderWrittenTable(report, cwd));
      setExitCode(EXIT_OK);
    });
}
