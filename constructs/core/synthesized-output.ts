/**
 * Reading a synthesized cdktf output directory (`cdktf.out`): the stacks its manifest lists, as
 * Terraform JSON. Shared by synthesis-time policy checks and the `idpkit` commands, and free of
 * CLI dependencies so synthesis loads only what it needs.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { IdpkitError, fileSystemError, isFileSystemError, withFileSystemErrors } from './errors';
import { MAX_PROBLEMS_PER_FILE, capProblems, formatJsonPath, parseJsonFile, schemaProblems } from './json-input';
import { readTextFile } from './text-files';

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

/** Code-point order, the same in every locale. */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** An object of anything: a block's body (a resource's arguments, a provider's configuration). */
const body = (what: string) => z.record(z.string(), z.unknown(), { error: `expected ${what} (an object)` });
/** An object of labelled blocks: `{ "<label>": <inner> }`. */
const labelled = (inner: z.ZodType, what: string) => z.record(z.string(), inner, { error: `expected ${what}` });
/** A block written once or as a list (cdktf writes providers as lists). */
const oneOrList = (what: string) => z.union([body(what), z.array(body(what))], { error: `expected ${what} (an object) or a list of them` });
/** `resource`, `data`, `ephemeral`, `action`: type, then name, then the arguments. */
const typedBlocks = (what: string) => labelled(labelled(body(`the ${what}'s arguments`), `an object of ${what} names, each the ${what}'s arguments`), `an object of ${what} types, each an object of ${what} names`);

/**
 * The top-level blocks of Terraform's JSON configuration syntax, each with the shape idpkit reads
 * (the one cdktf writes), plus cdktf's `//` metadata. Terraform refuses any other block.
 *
 * @see https://developer.hashicorp.com/terraform/language/syntax/json
 */
export const TERRAFORM_DOCUMENT_BLOCKS = {
  '//': z.unknown(),
  terraform: body('the Terraform settings: backend, required_providers, required_version'),
  provider: labelled(oneOrList('a provider configuration'), 'an object of provider names, each a configuration or a list of them'),
  resource: typedBlocks('resource'),
  data: typedBlocks('data source'),
  ephemeral: typedBlocks('ephemeral resource'),
  action: typedBlocks('action'),
  module: labelled(body("the module's arguments"), 'an object of module names, each the module\'s arguments'),
  variable: labelled(body("the variable's settings"), 'an object of variable names, each its type, default, ...'),
  output: labelled(body("the output's settings"), 'an object of output names, each its value, ...'),
  locals: body('the local values by name'),
  check: labelled(body("the check's assertions"), 'an object of check names'),
  moved: oneOrList('a moved block { from, to }'),
  removed: oneOrList('a removed block { from, lifecycle }'),
  import: oneOrList('an import block { to, id }'),
} as const;

/** The Terraform JSON of one stack, as idpkit reads it: the blocks of {@link TERRAFORM_DOCUMENT_BLOCKS}, each optional, nothing else. */
const terraformDocumentSchema = z.strictObject(
  Object.fromEntries(Object.entries(TERRAFORM_DOCUMENT_BLOCKS).map(([name, schema]) => [name, schema.optional()])),
  { error: `expected Terraform JSON: an object of blocks (allowed: ${Object.keys(TERRAFORM_DOCUMENT_BLOCKS).join(', ')})` },
);

/** The part of a cdktf `manifest.json` idpkit reads: where each stack's Terraform JSON is. */
const manifestSchema = z.object(
  {
    stacks: z.record(
      z.string(),
      z.object(
        {
          synthesizedStackPath: z.string({ error: 'expected the path of the stack\'s cdk.tf.json' }).optional(),
          workingDirectory: z.string({ error: 'expected the stack\'s directory' }).optional(),
        },
        { error: 'expected a stack entry { synthesizedStackPath, workingDirectory }' },
      ),
      { error: 'expected an object of stacks by name' },
    ),
  },
  { error: 'expected a cdktf manifest: an object with "stacks"' },
);

/** What `schema` finds wrong in a file, each problem a line naming the file, the path and the value. */
function fileProblems(schema: z.ZodType, value: unknown, file: string, hint: string): string[] {
  return capProblems(
    schemaProblems(schema, value).map((problem) => `${file}: ${formatJsonPath(problem.path) || '(the file)'} ${problem.message}`),
    file,
  ).map((line, index) => (index < MAX_PROBLEMS_PER_FILE ? `${line}; ${hint}` : line));
}

/**
 * Decodes one stack's Terraform JSON: a JSON object of the blocks of {@link TERRAFORM_DOCUMENT_BLOCKS},
 * each of the shape cdktf writes (no null or non-object blocks). Throws an IdpkitError
 * `IDPKIT_INVALID_INPUT` naming the file, the block, the value and what is allowed.
 *
 * @param text the file's text
 * @param file named in the messages
 */
export function decodeTerraformDocument(text: string, file: string): TerraformDocument {
  const document = parseJsonFile(text, file, 'IDPKIT_INVALID_INPUT', "expected a stack's Terraform JSON (cdk.tf.json, as cdktf synth writes it)");
  const problems = fileProblems(terraformDocumentSchema, document, file, 'synthesize the stack again, or fix the file');
  if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_INPUT', problems);
  return document as TerraformDocument;
}

/** Reads a file of the output (UTF-8 or UTF-16: {@link readTextFile}); a filesystem error becomes `cannot read <file>: ...`. */
const readOutputFile = (file: string, shownAs: string): string => readTextFile(file, 'IDPKIT_INVALID_INPUT', shownAs);

/**
 * Reads a synthesized cdktf output directory: the stacks its `manifest.json` lists (their
 * `synthesizedStackPath`), or, without a manifest, every `stacks/<name>/cdk.tf.json`.
 * Every stack file is decoded ({@link decodeTerraformDocument}). Throws an {@link IdpkitError}
 * `IDPKIT_INVALID_INPUT` naming the path when the directory is missing or is not a cdktf output,
 * or a stack file is malformed; `IDPKIT_FILESYSTEM` (`cannot read <path>: ...`) when a file or
 * directory cannot be read.
 * @param dir the directory, absolute or relative to `cwd`
 * @param cwd where relative directories start (default: the process's working directory)
 */
export function readSynthesizedOutput(dir: string, cwd: string = process.cwd()): SynthesizedOutput {
  const root = resolve(cwd, dir);
  const expected = 'expected a synthesized cdktf.out directory, e.g. from "npm run synth"';
  const kind = pathKind(root, dir, expected);
  if (kind === 'missing') throw invalidInput(`${dir}: no such directory (${expected})`);
  if (kind === 'file') throw invalidInput(`${dir}: is a file, not a directory (${expected})`);
  const entries = withFileSystemErrors('read', dir, () => readdirSync(root));
  const stacks: Record<string, TerraformDocument> = {};
  const readStack = (name: string, path: string) => {
    const file = join(dir, path);
    const stackKind = pathKind(join(root, path), file, expected);
    if (stackKind !== 'file') throw invalidInput(`${dir}: stack "${name}" has no ${file} (expected the stack's cdk.tf.json; synthesize again)`);
    stacks[name] = decodeTerraformDocument(readOutputFile(join(root, path), file), file);
  };
  if (entries.includes('manifest.json')) {
    const manifestFile = join(dir, 'manifest.json');
    const manifest = parseJsonFile(readOutputFile(join(root, 'manifest.json'), manifestFile), manifestFile, 'IDPKIT_INVALID_INPUT', 'expected a cdktf manifest (an object with "stacks")');
    const problems = fileProblems(manifestSchema, manifest, manifestFile, 'synthesize again, or remove the manifest to read stacks/<stack>/cdk.tf.json');
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_INPUT', problems);
    for (const [name, stack] of Object.entries((manifest as z.output<typeof manifestSchema>).stacks)) {
      readStack(name, stack.synthesizedStackPath ?? join(stack.workingDirectory ?? join('stacks', name), 'cdk.tf.json'));
    }
  } else {
    const stacksDir = join(root, 'stacks');
    const names = entries.includes('stacks') && pathKind(stacksDir, join(dir, 'stacks'), expected) === 'directory' ? withFileSystemErrors('read', join(dir, 'stacks'), () => readdirSync(stacksDir)) : [];
    const stackDirs = names.filter((name) => !name.startsWith('.') && pathKind(join(stacksDir, name), join(dir, 'stacks', name), expected) === 'directory');
    if (stackDirs.length === 0) {
      throw invalidInput(`${dir}: not a cdktf.out directory (expected manifest.json or stacks/<stack>/cdk.tf.json)`);
    }
    for (const name of stackDirs) readStack(name, join('stacks', name, 'cdk.tf.json'));
  }
  return { dir, stacks: Object.fromEntries(Object.keys(stacks).sort(byText).map((name) => [name, stacks[name]])) };
}

/** What is at `path` (links followed): a missing path is no error, one that cannot be looked at is (`cannot read <shown>: ...`). */
function pathKind(path: string, shown: string, hint: string): 'missing' | 'file' | 'directory' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'file';
  } catch (error) {
    if (isFileSystemError(error) && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) return 'missing';
    if (isFileSystemError(error)) throw fileSystemError(error, 'read', shown, hint);
    throw error;
  }
}
