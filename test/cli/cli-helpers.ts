import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliIo, Prompter } from '../../cli/io';
import { run } from '../../cli/main';

/** What one in-process run of the CLI printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `idpkit <argv>` in-process with buffered output (not a terminal unless `io.interactive`). */
export async function idpkit(argv: readonly string[], io: Partial<CliIo> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    ...io,
  });
  return { code, stdout, stderr };
}

/** A fresh temporary directory. */
export const tempDir = (prefix = 'idpkit-cli-'): string => mkdtempSync(join(tmpdir(), prefix));

/** A prompter that answers from a script and records the questions it was asked. */
export function scriptedPrompter(answers: Record<string, string>): Prompter & { readonly asked: string[] } {
  const asked: string[] = [];
  const answer = (message: string, fallback?: string): string => {
    asked.push(message);
    const key = Object.keys(answers).find((prefix) => message.startsWith(prefix));
    const value = key === undefined ? fallback : answers[key];
    if (value === undefined) throw new Error(`no scripted answer for "${message}"`);
    return value;
  };
  return {
    asked,
    select: async (question) => answer(question.message, question.default) as never,
    input: async (question) => {
      const value = answer(question.message, question.default);
      const verdict = question.validate?.(value) ?? true;
      if (verdict !== true) throw new Error(`scripted answer "${value}" rejected: ${verdict}`);
      return value;
    },
  };
}
