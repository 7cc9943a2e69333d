#!/usr/bin/env node
/**
 * The `idpkit` command: `presets`, `explain <size>`, `init`, `plan-summary <plan.json...>` and
 * `diff <base-out> <head-out>`, `check <cdktf.out>`, `workload render <score.yaml...>`, `catalog [cdktf.out]`,
 * `bootstrap [cdktf.out]`. Exit codes: 0 ok, 1 failure (invalid configuration or input, files
 * in the way), 2 usage (unknown command or option, bad or missing value), 3 (`plan-summary`,
 * `diff`) a stateful resource would be replaced or deleted, 4 (`check`) a policy error was found. Errors go to stderr, without stack
 * traces for configuration, input and usage errors.
 *
 * Run from a checkout with `npm run idpkit -- explain medium`; installed, as `npx idpkit`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { userErrorOf } from '../constructs/core/errors';
import { CliIo, CliUsageError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './io';

/** idpkit's version, from the package.json above this file (in a checkout and in the installed package). */
export function packageVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const manifest = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'idpkit' && manifest.version) return manifest.version;
    }
    if (dirname(dir) === dir) return '0.0.0';
  }
}

/** Adds one command to the program, writing to `io`. */
type AddCommand = (program: Command, io: CliIo, setExitCode: (code: number) => void) => void;

/**
 * Each command by name, in the order help lists them, its module loaded only when needed: `idpkit
 * diff`, `cost` and `plan-summary` start without the construct library that `check`, `init` or
 * `explain` load (about half a second).
 */
const COMMANDS: Readonly<Record<string, () => Promise<AddCommand>>> = {
  presets: async () => (await import('./presets')).addPresetsCommand,
  explain: async () => (await import('./explain')).addExplainCommand,
  init: async () => (await import('./init')).addInitCommand,
  diff: async () => (await import('./diff')).addDiffCommand,
  'plan-summary': async () => (await import('./plan-summary')).addPlanSummaryCommand,
  check: async () => (await import('./check')).addCheckCommand,
  workload: async () => (await import('./workload')).addWorkloadCommand,
  catalog: async () => (await import('./catalog')).addCatalogCommand,
  cost: async () => (await import('./cost')).addCostCommand,
  bootstrap: async () => (await import('./bootstrap')).addBootstrapCommand,
};

/**
 * The program for `argv`, writing to `io`; `setExitCode` records what a command's action decided.
 * When `argv` starts with a command's name, only that command is added (its help and errors do not
 * depend on the others); otherwise (help, an option, an unknown name) every command is.
 */
async function program(argv: readonly string[], io: CliIo, setExitCode: (code: number) => void): Promise<Command> {
  const root = new Command('idpkit')
    .description('Internal Developer Platform presets and project setup for idpkit (AWS, Azure, GCP)')
    .version(packageVersion(), '-V, --version', 'print the idpkit version')
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', '\nExamples:\n  idpkit presets\n  idpkit explain medium --cloud azure\n  idpkit init --size small --cloud aws --envs dev,prod\n  idpkit diff base/cdktf.out cdktf.out\n  idpkit plan-summary cdktf.out/stacks/dev-infra/plan.json\n  idpkit workload render score.yaml --env dev --image ghcr.io/acme/web:1.4.2\n  idpkit catalog cdktf.out\n  idpkit bootstrap cdktf.out\n');
  const named = argv[0] !== undefined && Object.hasOwn(COMMANDS, argv[0]) ? [argv[0]] : Object.keys(COMMANDS);
  for (const add of await Promise.all(named.map((name) => COMMANDS[name]()))) add(root, io, setExitCode);
  return root;
}

/**
 * Runs the CLI on `argv` (the arguments after `idpkit`) and returns the exit code; nothing exits
 * the process, so tests run it in-process with buffers for stdout and stderr.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = EXIT_OK;
  try {
    await (await program(argv, io, (code) => (exitCode = code))).parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE; // commander printed help or the error
    if (error instanceof CliUsageError) {
      io.stderr.write(`error: ${error.message}\n(add --help for usage)\n`);
      return EXIT_USAGE;
    }
    const userError = userErrorOf(error);
    if (userError) {
      io.stderr.write(`idpkit: ${userError.code}\n${userError.message}\n`);
      return EXIT_FAILURE;
    }
    if (isPromptClosed(error)) {
      io.stderr.write('idpkit: cancelled, nothing was written\n');
      return EXIT_FAILURE;
    }
    io.stderr.write(`idpkit: unexpected error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_FAILURE;
  }
}

/** Ctrl-C at a question (`@inquirer/prompts` rejects with ExitPromptError). */
const isPromptClosed = (error: unknown): boolean => error instanceof Error && error.name === 'ExitPromptError';

/**
 * Where relative paths start: the working directory, except under this checkout's own
 * `npm run idpkit -- ...`, which npm runs in the package's directory: there, where npm was started.
 */
function startDirectory(): string {
  const env = process.env;
  const ownScript = env.npm_lifecycle_event === 'idpkit' && env.npm_package_name === 'idpkit';
  return (ownScript ? env.INIT_CWD : undefined) ?? process.cwd();
}

/** The process's streams; questions only when stdin and stdout are terminals. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    cwd: startDirectory(),
  };
}

if (require.main === module) {
  run(process.argv.slice(2), processIo()).then((code) => {
    process.exitCode = code;
  });
}
