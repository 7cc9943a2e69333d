/**
 * `idpkit bootstrap [outdir] [--check]`: where each bootstrap stack synthesized in `<outdir>`
 * (default cdktf.out) keeps its own state, and the next command of the bootstrap flow
 * (docs/stacks.md, "Bootstrap, once per state bucket"): deploy with local state, set
 * `state.bootstrap: 'remote'` and `terraform init -migrate-state`, remove the stale local copy.
 * It only reads; the environments' `state.bootstrap` switches the synthesized backend.
 *
 * Exit codes: 0 reported (with `--check`: every bootstrap stack keeps its state in the storage it
 * created, and no local copy is left), 1 with `--check` when one is not there yet, or no stacks
 * to read; 2 usage.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve, isAbsolute } from 'node:path';
import { Argument, Command } from 'commander';
import { IdpkitError } from '../constructs/core/errors';
import { CliIo, EXIT_FAILURE, EXIT_OK, renderTable } from './io';

/** cdktf's output directory when none is given. */
export const DEFAULT_BOOTSTRAP_OUTDIR = 'cdktf.out';

/** Prefix of the bootstrap stacks' names. */
const BOOTSTRAP_PREFIX = 'bootstrap-';

/** Where one bootstrap stack is in the flow. */
export type BootstrapStep = 'deploy' | 'migrate' | 'clean-up' | 'done';

/** One bootstrap stack as synthesized. */
export interface BootstrapStackStatus {
  /** Stack name, `bootstrap-<location>`. */
  readonly stack: string;
  /** The synthesized backend: `local`, `s3`, `azurerm`, `gcs`. */
  readonly backend: string;
  /** Where the state is (or goes): the local file, or `<bucket>/<key>`. */
  readonly location: string;
  /** The local state file of the first apply, when it is still in the stack's directory. */
  readonly localStateFile?: string;
  /** What to do next. */
  readonly next: BootstrapStep;
}

/** The location a backend block names. */
function locationOf(kind: string, backend: Record<string, unknown>): string {
  switch (kind) {
    case 'local':
      return String(backend.path ?? 'terraform.tfstate');
    case 's3':
      return `s3://${backend.bucket}/${backend.key}`;
    case 'azurerm':
      return `${backend.storage_account_name}/${backend.container_name}/${backend.key}`;
    case 'gcs':
      return `gs://${backend.bucket}/${backend.prefix}/default.tfstate`;
    default:
      return kind;
  }
}

/** The bootstrap stacks synthesized in `outdir`, each with its backend and next step. Throws IdpkitError when there are none to read. */
export function bootstrapStatus(outdir: string): BootstrapStackStatus[] {
  const stacksDir = join(outdir, 'stacks');
  const stacks = existsSync(stacksDir) ? readdirSync(stacksDir).filter((name) => name.startsWith(BOOTSTRAP_PREFIX)).sort() : [];
  if (stacks.length === 0) {
    throw new IdpkitError('IDPKIT_INVALID_INPUT', [`${stacksDir}: no ${BOOTSTRAP_PREFIX}* stacks to read (run cdktf synth first, or give the synthesized directory)`]);
  }
  return stacks.map((stack) => {
    const file = join(stacksDir, stack, 'cdk.tf.json');
    let json: { terraform?: { backend?: Record<string, Record<string, unknown>> } };
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new IdpkitError('IDPKIT_INVALID_INPUT', [`${file}: cannot be read as a synthesized stack: ${(error as Error).message}`]);
    }
    const [kind, backend] = Object.entries(json.terraform?.backend ?? { local: {} })[0];
    const localFile = join(stacksDir, stack, `${stack}.tfstate`);
    const localStateFile = existsSync(localFile) ? localFile : undefined;
    const next: BootstrapStep = kind === 'local' ? (localStateFile ? 'migrate' : 'deploy') : localStateFile ? 'clean-up' : 'done';
    return { stack, backend: kind, location: locationOf(kind, backend), localStateFile, next };
  });
}

/** What to run for each step, as the docs give it. */
function instructions(status: BootstrapStackStatus, outdir: string, cwd: string): string {
  const dir = shown(join(outdir, 'stacks', status.stack), cwd);
  switch (status.next) {
    case 'deploy':
      return `step 1: npx cdktf deploy ${status.stack}`;
    case 'migrate':
      return `step 2: set state.bootstrap: 'remote' in the environments of this state, synthesize, then cd ${dir} && terraform init -migrate-state`;
    case 'clean-up':
      return `cd ${dir} && terraform init -migrate-state (if not done yet), then remove ${status.stack}.tfstate and its .backup there`;
    case 'done':
      return 'done: state in the storage this stack created';
  }
}

/** A path for output: relative to the working directory when inside it. */
function shown(path: string, cwd: string): string {
  const relativePath = relative(cwd, path);
  return relativePath === '' ? '.' : relativePath.startsWith('..') || isAbsolute(relativePath) ? path : relativePath;
}

/** The report: one row per bootstrap stack. */
export function renderBootstrapStatus(statuses: readonly BootstrapStackStatus[], outdir: string, cwd: string): string {
  const rows = statuses.map((status) => [status.stack, status.backend, status.location, instructions(status, outdir, cwd)]);
  return renderTable(['Stack', 'Backend', 'State', 'Next'], rows);
}

/** Adds `idpkit bootstrap [outdir]` to the program. */
export function addBootstrapCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('bootstrap')
    .description('show where each bootstrap stack in <outdir> keeps its own state, and the next step of the bootstrap flow')
    .addArgument(new Argument('[outdir]', 'the synthesized output').default(DEFAULT_BOOTSTRAP_OUTDIR))
    .option('--check', "exit 1 unless every bootstrap stack keeps its state in the storage it created (state.bootstrap: 'remote', migrated, no local copy left)")
    .addHelpText(
      'after',
      [
        '',
        "The environments' state.bootstrap ('local' or 'remote') chooses the synthesized backend; this command",
        'reads it and the local state file next to each stack (docs/stacks.md, "Bootstrap, once per state bucket").',
        '',
        'Exit codes: 0 reported (with --check: all done), 1 with --check when a stack is not done, or no stacks, 2 usage.',
        '',
        'Examples:',
        '  idpkit bootstrap',
        '  idpkit bootstrap cdktf.out --check',
        '',
      ].join('\n'),
    )
    .action((outdir: string, flags: { check?: boolean }) => {
      const cwd = io.cwd ?? process.cwd();
      const dir = resolve(cwd, outdir);
      const statuses = bootstrapStatus(dir);
      io.stdout.write(renderBootstrapStatus(statuses, dir, cwd));
      const pending = statuses.filter((status) => status.next !== 'done');
      if (flags.check && pending.length > 0) {
        io.stderr.write(`idpkit: ${pending.length} bootstrap stack(s) still keep local state: ${pending.map((status) => status.stack).join(', ')}\n`);
        setExitCode(EXIT_FAILURE);
        return;
      }
      setExitCode(EXIT_OK);
    });
}
