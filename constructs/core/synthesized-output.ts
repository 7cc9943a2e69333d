/**
 * Reading a synthesized cdktf output directory (`cdktf.out`): the stacks its manifest lists, as
 * Terraform JSON. Shared by synthesis-time policy checks and the `idpkit` commands, and free of
 * CLI dependencies so synthesis loads only what it needs.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { IdpkitError } from './errors';

/**
 * The directory inside a cdktf.out where idpkit's publish keeps the output's generations, the
 * `current` link and the lock (stacks/publish.ts); the top-level entries link into it. Walkers of
 * a cdktf.out skip it and follow the links.
 */
export const OUTPUT_STATE_DIRECTORY = '.idpkit';

/** The synthesized Terraform JSON of one stack. */
export type TerraformDocument = Readonly<Record<string, unknown>>;

/** A synthesized cdktf output directory, read. */
export interface SynthesizedOutput {
  /** The directory, as given. */
  readonly dir: string;
  /** Each stack's Terraform JSON, by stack name. */
  readonly stacks: Readonly<Record<string, TerraformDocument>>;
}

/** Fails with the directory and what was expected. */
function invalidInput(message: string): IdpkitError {
  return new IdpkitError('IDPKIT_INVALID_INPUT', [message]);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Code-point order, the same in every locale. */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw invalidInput(`${file}: ${what} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/**
 * Reads a synthesized cdktf output directory: the stacks its `manifest.json` lists (their
 * `synthesizedStackPath`), or, without a manifest, every `stacks/<name>/cdk.tf.json`.
 * Throws an {@link IdpkitError} `IDPKIT_INVALID_INPUT` naming the path when the directory is
 * missing or is not a cdktf output.
 * @param dir the directory, absolute or relative to `cwd`
 * @param cwd where relative directories start (default: the process's working directory)
 */
export function readSynthesizedOutput(dir: string, cwd: string = process.cwd()): SynthesizedOutput {
  const root = resolve(cwd, dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw invalidInput(`${dir}: no such directory (expected a synthesized cdktf.out directory, e.g. from "npm run synth")`);
  }
  const manifestFile = join(root, 'manifest.json');
  const stacks: Record<string, TerraformDocument> = {};
  const readStack = (name: string, file: string) => {
    if (!existsSync(file)) throw invalidInput(`${dir}: stack "${name}" has no ${file} (expected the stack's cdk.tf.json; synthesize again)`);
    const json = readJson(file, `stack "${name}"`);
    if (!isObject(json)) throw invalidInput(`${file}: stack "${name}" is not a Terraform JSON object`);
    stacks[name] = json;
  };
  if (existsSync(manifestFile)) {
    const manifest = readJson(manifestFile, 'the cdktf manifest');
    if (!isObject(manifest) || !isObject(manifest.stacks)) {
      throw invalidInput(`${manifestFile}: not a cdktf manifest (expected an object with "stacks")`);
    }
    for (const [name, entry] of Object.entries(manifest.stacks)) {
      const stack = isObject(entry) ? entry : {};
      const path =
        typeof stack.synthesizedStackPath === 'string'
          ? stack.synthesizedStackPath
          : join(typeof stack.workingDirectory === 'string' ? stack.workingDirectory : join('stacks', name), 'cdk.tf.json');
      readStack(name, join(root, path));
    }
  } else {
    const stacksDir = join(root, 'stacks');
    const names = existsSync(stacksDir) ? readdirSync(stacksDir).filter((name) => existsSync(join(stacksDir, name, 'cdk.tf.json'))) : [];
    if (names.length === 0) {
      throw invalidInput(`${dir}: not a cdktf.out directory (expected manifest.json or stacks/<stack>/cdk.tf.json)`);
    }
    for (const name of names) readStack(name, join(stacksDir, name, 'cdk.tf.json'));
  }
  return { dir, stacks: Object.fromEntries(Object.keys(stacks).sort(byText).map((name) => [name, stacks[name]])) };
}
