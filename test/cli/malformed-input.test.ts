/**
 * Malformed input through the real commands: synthesized stacks through `idpkit check` and
 * `idpkit diff` (as base and as head), Terraform plans through `idpkit plan-summary`. Each input
 * must give exit 1 and exactly the error it names, nothing on stdout, nothing written, never a
 * stack trace. The counts are in docs/reliability.md.
 */
import fs, { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MAX_JSON_NESTING } from '../../constructs/core/json-input';
import { EXIT_FAILURE } from '../../cli/io';
import { tree } from '../support/files';
import { idpkit, tempDir } from './cli-helpers';

/** V8's message for text that is not JSON, as the commands quote it. */
const jsonError = (text: string): string => {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${text} is JSON`);
};

/** `{"locals": {"a": [[[...]]]}}` nested `depth` levels below the top. */
const nested = (top: string, depth: number): string => `{"${top}": ${'['.repeat(depth)}${']'.repeat(depth)}}`;

const BLOCKS = '//, terraform, provider, resource, data, ephemeral, action, module, variable, output, locals, check, moved, removed, import';
const STACK_HINT = 'synthesize the stack again, or fix the file';
const NOT_A_STACK = "expected a stack's Terraform JSON (cdk.tf.json, as cdktf synth writes it)";

/** Bytes of a stack file, and what is wrong with it: the problem after `<file>: `. */
const MALFORMED_STACKS: readonly (readonly [string, string | Buffer, string])[] = [
  ['a null resource block', '{"resource": null}', `resource is null: expected an object of resource types, each an object of resource names; ${STACK_HINT}`],
  ['a list as the resource block', '{"resource": []}', `resource is []: expected an object of resource types, each an object of resource names; ${STACK_HINT}`],
  ['a string as the resource block', '{"resource": "x"}', `resource is "x": expected an object of resource types, each an object of resource names; ${STACK_HINT}`],
  ['a null resource type', '{"resource": {"aws_s3_bucket": null}}', `resource.aws_s3_bucket is null: expected an object of resource names, each the resource's arguments; ${STACK_HINT}`],
  ['a number as a resource type', '{"resource": {"aws_s3_bucket": 1}}', `resource.aws_s3_bucket is 1: expected an object of resource names, each the resource's arguments; ${STACK_HINT}`],
  ['a null resource', '{"resource": {"aws_s3_bucket": {"logs": null}}}', `resource.aws_s3_bucket.logs is null: expected the resource's arguments (an object); ${STACK_HINT}`],
  ['a list as a resource', '{"resource": {"aws_s3_bucket": {"logs": []}}}', `resource.aws_s3_bucket.logs is []: expected the resource's arguments (an object); ${STACK_HINT}`],
  ['a string as a resource', '{"resource": {"aws_s3_bucket": {"logs": "x"}}}', `resource.aws_s3_bucket.logs is "x": expected the resource's arguments (an object); ${STACK_HINT}`],
  ['a resource name that is not an identifier', '{"resource": {"aws_s3_bucket": {"my logs": null}}}', `resource.aws_s3_bucket["my logs"] is null: expected the resource's arguments (an object); ${STACK_HINT}`],
  ['a null data source', '{"data": {"aws_iam_policy_document": {"p": null}}}', `data.aws_iam_policy_document.p is null: expected the data source's arguments (an object); ${STACK_HINT}`],
  ['a null ephemeral resource type', '{"ephemeral": {"aws_secretsmanager_secret_version": null}}', `ephemeral.aws_secretsmanager_secret_version is null: expected an object of ephemeral resource names, each the ephemeral resource's arguments; ${STACK_HINT}`],
  ['an unknown block', '{"x": null}', `(the file) has unknown field(s) x: expected Terraform JSON: an object of blocks (allowed: ${BLOCKS}); ${STACK_HINT}`],
  ['a misspelt block', '{"resources": {}}', `(the file) has unknown field(s) resources: expected Terraform JSON: an object of blocks (allowed: ${BLOCKS}); ${STACK_HINT}`],
  ['a __proto__ block', '{"__proto__": {"resource": {}}}', `(the file) has unknown field(s) __proto__: expected Terraform JSON: an object of blocks (allowed: ${BLOCKS}); ${STACK_HINT}`],
  ['a constructor block', '{"constructor": {}}', `(the file) has unknown field(s) constructor: expected Terraform JSON: an object of blocks (allowed: ${BLOCKS}); ${STACK_HINT}`],
  ['null Terraform settings', '{"terraform": null}', `terraform is null: expected the Terraform settings: backend, required_providers, required_version (an object); ${STACK_HINT}`],
  ['a list of Terraform settings', '{"terraform": []}', `terraform is []: expected the Terraform settings: backend, required_providers, required_version (an object); ${STACK_HINT}`],
  ['a null provider block', '{"provider": null}', `provider is null: expected an object of provider names, each a configuration or a list of them; ${STACK_HINT}`],
  ['a null provider', '{"provider": {"aws": null}}', `provider.aws is null: expected a provider configuration (an object) or a list of them; ${STACK_HINT}`],
  ['a null provider configuration in the list', '{"provider": {"aws": [null]}}', `provider.aws is [null]: expected a provider configuration (an object) or a list of them; ${STACK_HINT}`],
  ['a null module', '{"module": {"network": null}}', `module.network is null: expected the module's arguments (an object); ${STACK_HINT}`],
  ['a number as an output', '{"output": {"url": 1}}', `output.url is 1: expected the output's settings (an object); ${STACK_HINT}`],
  ['a null variable', '{"variable": {"region": null}}', `variable.region is null: expected the variable's settings (an object); ${STACK_HINT}`],
  ['a list as locals', '{"locals": []}', `locals is []: expected the local values by name (an object); ${STACK_HINT}`],
  ['a null moved block', '{"moved": [null]}', `moved is [null]: expected a moved block { from, to } (an object) or a list of them; ${STACK_HINT}`],
  ['a number as removed', '{"removed": 5}', `removed is 5: expected a removed block { from, lifecycle } (an object) or a list of them; ${STACK_HINT}`],
  ['a string as import', '{"import": "x"}', `import is "x": expected an import block { to, id } (an object) or a list of them; ${STACK_HINT}`],
  ['a null check', '{"check": {"health": null}}', `check.health is null: expected the check's assertions (an object); ${STACK_HINT}`],
  ['a JSON list at the top', '[1, 2]', `(the file) is [1,2]: expected Terraform JSON: an object of blocks (allowed: ${BLOCKS}); ${STACK_HINT}`],
  ['an empty list at the top', '[]', `(the file) is []: expected Terraform JSON: an object of blocks (allowed: ${BLOCKS}); ${STACK_HINT}`],
  ['null at the top', 'null', `(the file) is null: expected Terraform JSON: an object of blocks (allowed: ${BLOCKS}); ${STACK_HINT}`],
  ['a string at the top', '"cdk.tf.json"', `(the file) is "cdk.tf.json": expected Terraform JSON: an object of blocks (allowed: ${BLOCKS}); ${STACK_HINT}`],
  ['a number at the top', '42', `(the file) is 42: expected Terraform JSON: an object of blocks (allowed: ${BLOCKS}); ${STACK_HINT}`],
  ['text that is not JSON', 'not json', `not valid JSON (${jsonError('not json')}); ${NOT_A_STACK}`],
  ['an empty file', '', `not valid JSON (${jsonError('')}); ${NOT_A_STACK}`],
  ['a cut file', '{"resource": ', `not valid JSON (${jsonError('{"resource": ')}); ${NOT_A_STACK}`],
  ['nesting deeper than the bound', nested('locals', MAX_JSON_NESTING + 10), `locals[0][0][0][0][0][0][0]... nests deeper than ${MAX_JSON_NESTING} levels; ${NOT_A_STACK}`],
  ['a UTF-32 file', Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x7b, 0x00, 0x00, 0x00, 0x7d, 0x00, 0x00, 0x00]), 'the file is encoded as UTF-32 LE, which idpkit does not read; save it as UTF-8 and try again'],
  ['a Latin-1 file', Buffer.from('{"locals": {"city": "Zürich"}}', 'latin1'), 'the file is not valid UTF-8 (it may be Latin-1 or another legacy encoding); save it as UTF-8 and try again'],
];

/** A valid stack, the other side of a diff. */
const GOOD_STACK = { terraform: { backend: { s3: { bucket: 'state', key: 'dev', region: 'eu-west-1', encrypt: true, use_lockfile: true } } }, resource: { aws_s3_bucket: { logs: { bucket: 'logs' } } } };

/** A cdktf.out without a manifest: stacks/<name>/cdk.tf.json for each file given. */
function writeOut(stacks: Readonly<Record<string, string | Buffer>>, files: Readonly<Record<string, string>> = {}): string {
  const dir = join(tempDir('idpkit-malformed-'), 'cdktf.out');
  for (const [name, content] of Object.entries(stacks)) {
    mkdirSync(join(dir, 'stacks', name), { recursive: true });
    writeFileSync(join(dir, 'stacks', name, 'cdk.tf.json'), content);
  }
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** Runs a command that must refuse its input: exit 1, exactly `stderr`, nothing on stdout, nothing written beside the inputs. */
async function refused(argv: readonly string[], roots: readonly string[], stderr: string): Promise<void> {
  const before = roots.map((root) => JSON.stringify(tree(root)));
  const result = await idpkit(argv);
  expect(result).toEqual({ code: EXIT_FAILURE, stdout: '', stderr });
  expect(roots.map((root) => JSON.stringify(tree(root)))).toEqual(before);
}

/** Makes `fs.readFileSync` of `file` fail with EACCES, as a file the user may not read; restore the returned spy. */
function denyReading(file: string): jest.SpyInstance {
  const original = fs.readFileSync;
  return jest.spyOn(fs, 'readFileSync').mockImplementation(((path: fs.PathOrFileDescriptor, options?: never) => {
    if (path === file) throw Object.assign(new Error(`EACCES: permission denied, open '${file}'`), { code: 'EACCES', syscall: 'open', path: file });
    return original(path, options);
  }) as typeof fs.readFileSync);
}

describe(`malformed synthesized stacks (${MALFORMED_STACKS.length}): check and diff (both sides) name the file and what is wrong`, () => {
  test.each(MALFORMED_STACKS)('%s', async (_, content, problem) => {
    const bad = writeOut({ dev: content });
    const good = writeOut({ dev: JSON.stringify(GOOD_STACK) });
    const expected = `idpkit: IDPKIT_INVALID_INPUT\n${join(bad, 'stacks', 'dev', 'cdk.tf.json')}: ${problem}\n`;
    await refused(['check', bad], [dirname(bad)], expected);
    await refused(['diff', good, bad], [dirname(good), dirname(bad)], expected);
    await refused(['diff', bad, good], [dirname(good), dirname(bad)], expected);
  });

  test('several problems in one file are listed, five at most, then counted', async () => {
    const bad = writeOut({ dev: JSON.stringify({ terraform: null, provider: null, resource: [], data: 1, module: 'x', output: null, variable: [] }) });
    const file = join(bad, 'stacks', 'dev', 'cdk.tf.json');
    const result = await idpkit(['check', bad]);
    expect(result.code).toBe(EXIT_FAILURE);
    expect(result.stderr.split('\n').slice(0, 2)).toEqual(['idpkit: IDPKIT_INVALID_INPUT', '6 problems:']);
    expect(result.stderr).toContain(`- ${file}: terraform is null: expected the Terraform settings`);
    expect(result.stderr).toContain(`- ${file}: and 2 more problems\n`);
  });

  test('a file saved with a byte order mark or as UTF-16 reads like UTF-8', async () => {
    const text = JSON.stringify(GOOD_STACK);
    const dir = writeOut({
      'with-bom': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
      'utf-16-le': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      'utf-16-be': Buffer.from(text, 'utf16le').swap16(),
    });
    const plain = writeOut({ 'with-bom': text, 'utf-16-le': text, 'utf-16-be': text });
    const check = await idpkit(['check', dir, '--format', 'json']);
    expect(check.stderr).toBe('');
    expect(JSON.parse(check.stdout).findings).toEqual(JSON.parse((await idpkit(['check', plain, '--format', 'json'])).stdout).findings);
    const diff = await idpkit(['diff', plain, dir]);
    expect({ code: diff.code, stderr: diff.stderr }).toEqual({ code: 0, stderr: '' });
    expect(diff.stdout).toContain('No differences in 3 stacks.');
  });
});

describe('malformed cdktf.out directories: check and diff name the path and what is wrong', () => {
  const cases: readonly (readonly [string, () => { dir: string; stderr: string }])[] = [
    [
      'a stack directory without cdk.tf.json',
      () => {
        const dir = writeOut({ dev: JSON.stringify(GOOD_STACK) }, { 'stacks/prod/plan.json': '{}' });
        return { dir, stderr: `${dir}: stack "prod" has no ${join(dir, 'stacks', 'prod', 'cdk.tf.json')} (expected the stack's cdk.tf.json; synthesize again)` };
      },
    ],
    [
      'a manifest listing a stack whose file is missing',
      () => {
        const dir = writeOut({}, { 'manifest.json': '{"stacks": {"dev": {"synthesizedStackPath": "stacks/dev/cdk.tf.json"}}}' });
        return { dir, stderr: `${dir}: stack "dev" has no ${join(dir, 'stacks', 'dev', 'cdk.tf.json')} (expected the stack's cdk.tf.json; synthesize again)` };
      },
    ],
    [
      'a manifest whose stack entry is null',
      () => {
        const dir = writeOut({}, { 'manifest.json': '{"stacks": {"dev": null}}' });
        return { dir, stderr: `${join(dir, 'manifest.json')}: stacks.dev is null: expected a stack entry { synthesizedStackPath, workingDirectory }; synthesize again, or remove the manifest to read stacks/<stack>/cdk.tf.json` };
      },
    ],
    [
      'a manifest whose stack path is a number',
      () => {
        const dir = writeOut({}, { 'manifest.json': '{"stacks": {"dev": {"synthesizedStackPath": 5}}}' });
        return { dir, stderr: `${join(dir, 'manifest.json')}: stacks.dev.synthesizedStackPath is 5: expected the path of the stack's cdk.tf.json; synthesize again, or remove the manifest to read stacks/<stack>/cdk.tf.json` };
      },
    ],
    [
      'a manifest that is a list',
      () => {
        const dir = writeOut({}, { 'manifest.json': '[]' });
        return { dir, stderr: `${join(dir, 'manifest.json')}: (the file) is []: expected a cdktf manifest: an object with "stacks"; synthesize again, or remove the manifest to read stacks/<stack>/cdk.tf.json` };
      },
    ],
    [
      'a manifest that is not JSON',
      () => {
        const dir = writeOut({}, { 'manifest.json': '{' });
        return { dir, stderr: `${join(dir, 'manifest.json')}: not valid JSON (${jsonError('{')}); expected a cdktf manifest (an object with "stacks")` };
      },
    ],
    [
      'a directory with neither a manifest nor stacks',
      () => {
        const dir = writeOut({}, { 'README.md': 'x' });
        return { dir, stderr: `${dir}: not a cdktf.out directory (expected manifest.json or stacks/<stack>/cdk.tf.json)` };
      },
    ],
    [
      'a file instead of a directory',
      () => {
        const dir = writeOut({}, { 'x': 'x' });
        return { dir: join(dir, 'x'), stderr: `${join(dir, 'x')}: is a file, not a directory (expected a synthesized cdktf.out directory, e.g. from "npm run synth")` };
      },
    ],
    [
      'a directory that does not exist',
      () => {
        const dir = join(tempDir('idpkit-malformed-'), 'missing');
        return { dir, stderr: `${dir}: no such directory (expected a synthesized cdktf.out directory, e.g. from "npm run synth")` };
      },
    ],
  ];

  test.each(cases)('%s', async (_, make) => {
    const { dir, stderr } = make();
    const good = writeOut({ dev: JSON.stringify(GOOD_STACK) });
    const expected = `idpkit: IDPKIT_INVALID_INPUT\n${stderr}\n`;
    const roots = [dirname(dir), dirname(good)];
    await refused(['check', dir], roots, expected);
    await refused(['diff', good, dir], roots, expected);
    await refused(['diff', dir, good], roots, expected);
  });

  test('a stack file that cannot be read is "cannot read <path>: permission denied (EACCES)"', async () => {
    const dir = writeOut({ dev: JSON.stringify(GOOD_STACK) });
    const file = join(dir, 'stacks', 'dev', 'cdk.tf.json');
    const read = denyReading(file);
    try {
      for (const argv of [['check', dir], ['diff', dir, dir]]) {
        expect(await idpkit(argv)).toEqual({ code: EXIT_FAILURE, stdout: '', stderr: `idpkit: IDPKIT_FILESYSTEM\ncannot read ${file}: permission denied (EACCES)\n` });
      }
    } finally {
      read.mockRestore();
    }
  });
});

const ALLOWED_ACTIONS = '["no-op"], ["create"], ["read"], ["update"], ["delete"], ["forget"], ["delete","create"], ["create","delete"], ["create","forget"]';
const NOT_A_PLAN = 'expected the output of `terraform show -json <planfile>`: an object with format_version and planned_values or resource_changes';
const WRITE_AGAIN = 'write the plan again with `terraform show -json <planfile>` (Terraform or OpenTofu 1.x)';

/** A plan of format 1.2 with these resource changes (and the other fields given). */
const plan = (resourceChanges: unknown, more: Record<string, unknown> = {}): string => JSON.stringify({ format_version: '1.2', resource_changes: resourceChanges, ...more });
/** One resource change of `aws_s3_bucket.logs` with this change object (and the other fields given). */
const bucket = (change: unknown, more: Record<string, unknown> = {}): string => plan([{ address: 'aws_s3_bucket.logs', type: 'aws_s3_bucket', mode: 'managed', change, ...more }]);
const actions = (list: unknown): string => bucket({ actions: list, before: null, after: {} });

/**
 * Bytes of a plan file, and the problem lines after `<file>: ` (a schema problem is followed by
 * {@link WRITE_AGAIN}).
 */
const MALFORMED_PLANS: readonly (readonly [string, string | Buffer, readonly string[]])[] = [
  ['resource_changes an object', plan({ a: 1 }), ['resource_changes is {"a":1}: expected a list of resource changes', WRITE_AGAIN]],
  ['resource_changes a string', plan('x'), ['resource_changes is "x": expected a list of resource changes', WRITE_AGAIN]],
  ['resource_changes a number', plan(5), ['resource_changes is 5: expected a list of resource changes', WRITE_AGAIN]],
  ['resource_drift an object', plan([], { resource_drift: {} }), ['resource_drift is {}: expected a list of resource changes', WRITE_AGAIN]],
  ['a change without actions', bucket({ before: null, after: {} }), [`resource_changes[0].change.actions (aws_s3_bucket.logs) is missing: expected a list of actions (allowed: ${ALLOWED_ACTIONS})`, WRITE_AGAIN]],
  ['a resource change without change', plan([{ address: 'aws_s3_bucket.logs' }]), ['resource_changes[0].change (aws_s3_bucket.logs) is missing: expected a change object with actions, before and after', WRITE_AGAIN]],
  ['a null change', bucket(null), ['resource_changes[0].change (aws_s3_bucket.logs) is null: expected a change object with actions, before and after', WRITE_AGAIN]],
  ['an unknown action', actions(['explode']), [`resource_changes[0].change.actions (aws_s3_bucket.logs) is ["explode"]: expected one of the action lists Terraform plans (allowed: ${ALLOWED_ACTIONS})`, WRITE_AGAIN]],
  ['no action', actions([]), [`resource_changes[0].change.actions (aws_s3_bucket.logs) is []: expected one of the action lists Terraform plans (allowed: ${ALLOWED_ACTIONS})`, WRITE_AGAIN]],
  ['create and update', actions(['create', 'update']), [`resource_changes[0].change.actions (aws_s3_bucket.logs) is ["create","update"]: expected one of the action lists Terraform plans (allowed: ${ALLOWED_ACTIONS})`, WRITE_AGAIN]],
  ['delete twice', actions(['delete', 'delete']), [`resource_changes[0].change.actions (aws_s3_bucket.logs) is ["delete","delete"]: expected one of the action lists Terraform plans (allowed: ${ALLOWED_ACTIONS})`, WRITE_AGAIN]],
  ['an upper-case action', actions(['Update']), [`resource_changes[0].change.actions (aws_s3_bucket.logs) is ["Update"]: expected one of the action lists Terraform plans (allowed: ${ALLOWED_ACTIONS})`, WRITE_AGAIN]],
  ['an Object.prototype name as an action', actions(['constructor']), [`resource_changes[0].change.actions (aws_s3_bucket.logs) is ["constructor"]: expected one of the action lists Terraform plans (allowed: ${ALLOWED_ACTIONS})`, WRITE_AGAIN]],
  ['__proto__ as an action', actions(['__proto__']), [`resource_changes[0].change.actions (aws_s3_bucket.logs) is ["__proto__"]: expected one of the action lists Terraform plans (allowed: ${ALLOWED_ACTIONS})`, WRITE_AGAIN]],
  ['actions a string', actions('update'), [`resource_changes[0].change.actions (aws_s3_bucket.logs) is "update": expected a list of actions (allowed: ${ALLOWED_ACTIONS})`, WRITE_AGAIN]],
  ['actions a number', actions([1]), [`resource_changes[0].change.actions[0] (aws_s3_bucket.logs) is 1: Invalid input: expected string, received number`, WRITE_AGAIN]],
  ['a null resource change', plan([null]), ['resource_changes[0] is null: expected a resource change { address, change: { actions, ... } }', WRITE_AGAIN]],
  ['a number as a resource change', plan([5]), ['resource_changes[0] is 5: expected a resource change { address, change: { actions, ... } }', WRITE_AGAIN]],
  ['a resource change without address', plan([{ change: { actions: ['create'] } }]), ['resource_changes[0].address is missing: expected the resource address, e.g. aws_s3_bucket.logs', WRITE_AGAIN]],
  ['an empty address', plan([{ address: '', change: { actions: ['create'] } }]), ['resource_changes[0].address is "": expected the resource address, e.g. aws_s3_bucket.logs', WRITE_AGAIN]],
  ['a number as the address', plan([{ address: 5, change: { actions: ['create'] } }]), ['resource_changes[0].address is 5: expected the resource address, e.g. aws_s3_bucket.logs', WRITE_AGAIN]],
  ['an unknown mode', bucket({ actions: ['create'] }, { mode: 'weird' }), ['resource_changes[0].mode (aws_s3_bucket.logs) is "weird": expected "managed" or "data"', WRITE_AGAIN]],
  ['a number as the type', bucket({ actions: ['create'] }, { type: 5 }), ['resource_changes[0].type (aws_s3_bucket.logs) is 5: expected the resource type, e.g. aws_s3_bucket', WRITE_AGAIN]],
  ['an object as the previous address', bucket({ actions: ['no-op'] }, { previous_address: {} }), ['resource_changes[0].previous_address (aws_s3_bucket.logs) is {}: expected the resource address before a move', WRITE_AGAIN]],
  ['a number as the deposed key', bucket({ actions: ['delete'] }, { deposed: 1 }), ['resource_changes[0].deposed (aws_s3_bucket.logs) is 1: expected the deposed object key', WRITE_AGAIN]],
  ['a list as the action reason', bucket({ actions: ['delete'] }, { action_reason: [] }), ['resource_changes[0].action_reason (aws_s3_bucket.logs) is []: expected a reason keyword such as replace_because_cannot_update', WRITE_AGAIN]],
  ['replace_paths a string', bucket({ actions: ['delete', 'create'], replace_paths: 'bucket' }), ['resource_changes[0].change.replace_paths (aws_s3_bucket.logs) is "bucket": expected a list of attribute paths, each a list of keys and indexes', WRITE_AGAIN]],
  ['importing a number', bucket({ actions: ['no-op'], importing: 5 }), ['resource_changes[0].change.importing (aws_s3_bucket.logs) is 5: expected an object { id } or null', WRITE_AGAIN]],
  ['output_changes a list', plan([], { output_changes: [] }), ['output_changes is []: expected an object of output changes by output name', WRITE_AGAIN]],
  ['an output change with an unknown action', plan([], { output_changes: { url: { actions: ['explode'] } } }), [`output_changes.url.actions is ["explode"]: expected one of the action lists Terraform plans (allowed: ${ALLOWED_ACTIONS})`, WRITE_AGAIN]],
  ['an output change null', plan([], { output_changes: { url: null } }), ['output_changes.url is null: expected a change object with actions, before and after', WRITE_AGAIN]],
  ['errored a string', plan([], { errored: 'yes' }), ['errored is "yes": expected true or false', WRITE_AGAIN]],
  ['terraform_version a number', plan([], { terraform_version: 1.9 }), ['terraform_version is 1.9: expected the Terraform version, e.g. "1.9.8"', WRITE_AGAIN]],
  ['no format_version', JSON.stringify({ resource_changes: [] }), [`not a Terraform plan: format_version is missing; ${NOT_A_PLAN}`]],
  ['a number as format_version', JSON.stringify({ format_version: 1, resource_changes: [] }), [`not a Terraform plan: format_version is 1; ${NOT_A_PLAN}`]],
  ['format_version 2', JSON.stringify({ format_version: '2.0', resource_changes: [] }), ['plan format_version "2.0" is not supported (expected 1.x, as written by Terraform 1.x and OpenTofu)']],
  ['a Terraform state', JSON.stringify({ format_version: '1.0', values: {} }), [`a Terraform state, not a plan (it has values but no planned_values); ${NOT_A_PLAN}`]],
  ['an object without plan fields', JSON.stringify({ format_version: '1.2' }), [`not a Terraform plan; ${NOT_A_PLAN}`]],
  ['a JSON list at the top', '[1, 2]', [`not a Terraform plan: the file holds [1,2]; ${NOT_A_PLAN}`]],
  ['null at the top', 'null', [`not a Terraform plan: the file holds null; ${NOT_A_PLAN}`]],
  ['a string at the top', '"plan"', [`not a Terraform plan: the file holds "plan"; ${NOT_A_PLAN}`]],
  ['text that is not JSON', 'Terraform will perform the following actions:', [`not valid JSON (${jsonError('Terraform will perform the following actions:')}); ${NOT_A_PLAN}`]],
  ['an empty file', '', [`not valid JSON (${jsonError('')}); ${NOT_A_PLAN}`]],
  ['nesting deeper than the bound', nested('planned_values', MAX_JSON_NESTING + 10), [`planned_values[0][0][0][0][0][0][0]... nests deeper than ${MAX_JSON_NESTING} levels; ${NOT_A_PLAN}`]],
  ['a UTF-32 file', Buffer.from([0x00, 0x00, 0xfe, 0xff, 0x00, 0x00, 0x00, 0x7b, 0x00, 0x00, 0x00, 0x7d]), ['the file is encoded as UTF-32 BE, which idpkit does not read; save it as UTF-8 and try again']],
  ['a Latin-1 file', Buffer.from('{"format_version": "1.2", "resource_changes": [], "x": "Zürich"}', 'latin1'), ['the file is not valid UTF-8 (it may be Latin-1 or another legacy encoding); save it as UTF-8 and try again']],
  ['an odd-length UTF-16 file', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{}', 'utf16le'), Buffer.from([0x0a])]), ['the file starts with a UTF-16 LE byte order mark but has an odd number of bytes; save it as UTF-8 and try again']],
];

describe(`malformed Terraform plans (${MALFORMED_PLANS.length}): plan-summary names the file, the path, the resource and what is allowed`, () => {
  test.each(MALFORMED_PLANS)('%s', async (_, content, problems) => {
    const dir = tempDir('idpkit-malformed-plan-');
    const file = join(dir, 'plan.json');
    writeFileSync(file, content);
    const lines = problems.map((problem) => `${file}: ${problem}`);
    const body = lines.length === 1 ? lines[0] : `${lines.length} problems:\n- ${lines.join('\n- ')}`;
    await refused(['plan-summary', file], [dir], `idpkit: IDPKIT_INVALID_INPUT\n${body}\n`);
  });

  test('every file is checked: the problems of each are listed, the good ones are not', async () => {
    const dir = tempDir('idpkit-malformed-plan-');
    writeFileSync(join(dir, 'a.json'), actions(['explode']));
    writeFileSync(join(dir, 'b.json'), plan([]));
    writeFileSync(join(dir, 'c.json'), plan({}));
    const result = await idpkit(['plan-summary', 'a.json', 'b.json', 'c.json', 'd.json'], { cwd: dir });
    expect(result).toEqual({
      code: EXIT_FAILURE,
      stdout: '',
      stderr: [
        'idpkit: IDPKIT_INVALID_INPUT',
        '5 problems:',
        `- a.json: resource_changes[0].change.actions (aws_s3_bucket.logs) is ["explode"]: expected one of the action lists Terraform plans (allowed: ${ALLOWED_ACTIONS})`,
        `- a.json: ${WRITE_AGAIN}`,
        '- c.json: resource_changes is {}: expected a list of resource changes',
        `- c.json: ${WRITE_AGAIN}`,
        '- cannot read d.json: it does not exist (or a directory on its path does not exist) (ENOENT); write one with `terraform show -json <planfile> > d.json`',
        '',
      ].join('\n'),
    });
  });

  test('a missing file, a directory, a path through a file and an unreadable file: cannot read <path> (IDPKIT_FILESYSTEM)', async () => {
    const dir = tempDir('idpkit-malformed-plan-');
    mkdirSync(join(dir, 'plans'));
    writeFileSync(join(dir, 'plan.txt'), 'x');
    const hint = (path: string) => `write one with \`terraform show -json <planfile> > ${path}\``;
    for (const [path, words] of [
      ['missing.json', 'it does not exist (or a directory on its path does not exist) (ENOENT)'],
      ['plans', 'it is a directory, not a file (EISDIR)'],
      ['plan.txt/plan.json', 'a part of the path is a file, not a directory (ENOTDIR)'],
    ]) {
      const result = await idpkit(['plan-summary', path], { cwd: dir });
      expect(result).toEqual({ code: EXIT_FAILURE, stdout: '', stderr: `idpkit: IDPKIT_FILESYSTEM\ncannot read ${path}: ${words}; ${hint(path)}\n` });
    }
    const file = join(dir, 'locked.json');
    writeFileSync(file, plan([]));
    const read = denyReading(file);
    try {
      const result = await idpkit(['plan-summary', 'locked.json'], { cwd: dir });
      expect(result).toEqual({ code: EXIT_FAILURE, stdout: '', stderr: `idpkit: IDPKIT_FILESYSTEM\ncannot read locked.json: permission denied (EACCES); ${hint('locked.json')}\n` });
    } finally {
      read.mockRestore();
    }
    expect(readdirSync(dir).sort()).toEqual(['locked.json', 'plan.txt', 'plans']);
  });

  test('a plan saved with a byte order mark or as UTF-16 (PowerShell `>`) summarizes like UTF-8', async () => {
    const dir = tempDir('idpkit-malformed-plan-');
    const text = bucket({ actions: ['delete', 'create'], before: { bucket: 'a' }, after: { bucket: 'b' }, replace_paths: [['bucket']] });
    writeFileSync(join(dir, 'utf8.json'), text);
    writeFileSync(join(dir, 'bom.json'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    writeFileSync(join(dir, 'powershell.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    writeFileSync(join(dir, 'utf16be.json'), Buffer.from(text, 'utf16le').swap16());
    const summaries = await Promise.all(['utf8.json', 'bom.json', 'powershell.json', 'utf16be.json'].map((file) => idpkit(['plan-summary', file, '--format', 'json'], { cwd: dir })));
    for (const summary of summaries) expect({ code: summary.code, stderr: summary.stderr }).toEqual({ code: 3, stderr: '' });
    const withoutFile = (stdout: string) => (JSON.parse(stdout) as { plans: { changes: unknown }[] }).plans.map((each) => each.changes);
    expect(new Set(summaries.map((summary) => JSON.stringify(withoutFile(summary.stdout)))).size).toBe(1);
  });
});
