/**
 * What the `idpkit` commands share: where they write, how they ask, their exit codes and tables.
 * Commands take a {@link CliIo} instead of touching `process`, so tests run them in-process.
 */
import type Table from 'cli-table3';

/** The command succeeded. */
export const EXIT_OK = 0;
/** The command failed: invalid configuration, files in the way. */
export const EXIT_FAILURE = 1;
/** The command line was wrong: unknown command or option, missing or invalid value. */
export const EXIT_USAGE = 2;
/** `plan-summary` and `diff`: the change replaces or deletes a stateful resource (the report was written). */
export const EXIT_DESTRUCTIVE = 3;

/** A stream the CLI writes to. */
export interface CliOutput {
  write(text: string): unknown;
}

/** One choice of a {@link Prompter.select} question. */
export interface PromptChoice<T extends string> {
  readonly value: T;
  /** What the user sees. @default the value */
  readonly name?: string;
  /** A line shown under the choice when it is highlighted. @default - none */
  readonly description?: string;
}

/** Asks the user questions in a terminal (`@inquirer/prompts` by default; tests inject answers). */
export interface Prompter {
  /** One value from a list. */
  select<T extends string>(question: { readonly message: string; readonly choices: readonly PromptChoice<T>[]; readonly default?: T }): Promise<T>;
  /** Free text; `validate` returns true or what is wrong. */
  input(question: { readonly message: string; readonly default?: string; readonly validate?: (value: string) => true | string }): Promise<string>;
}

/** Where the CLI reads and writes: the process's streams in `main.ts`, buffers in tests. */
export interface CliIo {
  /** Results and help. */
  readonly stdout: CliOutput;
  /** Errors and warnings. */
  readonly stderr: CliOutput;
  /** Whether stdin and stdout are both terminals: only then does `init` ask for missing options. @default false */
  readonly interactive?: boolean;
  /** Asks the questions when `interactive`. @default - `@inquirer/prompts`, loaded when first needed */
  readonly prompter?: Prompter;
  /** Directory relative paths (`--dir`) are resolved against. @default process.cwd() */
  readonly cwd?: string;
}

/** A command-line mistake found after parsing (a bad `--envs` list, a missing option): exit code 2. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

/** The prompter used when none is injected: `@inquirer/prompts`, loaded on the first question. */
export const inquirerPrompter: Prompter = {
  async select(question) {
    const { select } = await import('@inquirer/prompts');
    return select({ message: question.message, default: question.default, choices: question.choices.map((choice) => ({ ...choice })) });
  },
  async input(question) {
    const { input } = await import('@inquirer/prompts');
    return input({ message: question.message, default: question.default, validate: question.validate });
  },
};

/** Column widths that keep a table within {@link TABLE_WIDTH} characters, wrapping long cells. */
export type ColumnWidths = readonly number[];

/** Widest table the CLI prints, so output reads the same in every terminal (and in tests). */
export const TABLE_WIDTH = 120;

/**
 * Renders rows as a plain table: no colours (output is the same in a terminal, a pipe and a test),
 * words wrapped when column widths are given.
 */
export function renderTable(head: readonly string[], rows: readonly (readonly string[])[], widths?: ColumnWidths): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only by commands that print tables
  const CliTable: typeof Table = require('cli-table3');
  const table = new CliTable({
    head: [...head],
    style: { head: [], border: [] },
    ...(widths ? { colWidths: [...widths], wordWrap: true, wrapOnWordBoundary: true } : {}),
  });
  table.push(...rows.map((row) => [...row]));
  return `${table.toString()}\n`;
}
