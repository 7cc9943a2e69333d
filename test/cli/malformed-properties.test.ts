/**
 * Property-based tests (fast-check) of the commands that read synthesized stacks and plans: any
 * value at any path of a real stack or plan, and any cut or BOM of its text, gives a result or an
 * `idpkit:` error, never an unexpected error; a plan is summarized only when every action list is
 * one Terraform plans. The counts are in docs/reliability.md.
 */
import fc from 'fast-check';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLAN_ACTION_LISTS, PlanSummaryReport } from '../../cli/plan-summary';
import { idpkit, tempDir } from './cli-helpers';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const RUNS = { numRuns: 120 };
const STACKS_DIR = join(__dirname, '../fixtures/noncompliant-out/stacks');
const STACKS: Readonly<Record<string, Json>> = Object.fromEntries(readdirSync(STACKS_DIR).map((name) => [name, JSON.parse(readFileSync(join(STACKS_DIR, name, 'cdk.tf.json'), 'utf8')) as Json]));
const PLANS_DIR = join(__dirname, '../fixtures/plans');
const PLANS: readonly string[] = ['create-only.json', 'delete-only.json', 'lifecycle.json', 'no-op.json', 'replace.json'].map((file) => readFileSync(join(PLANS_DIR, file), 'utf8'));

/** A change at a path: `steps` pick a key (modulo the keys there) at each level; the value replaces what is there, or undefined removes it. */
const mutation = fc.record({
  steps: fc.array(fc.nat(), { minLength: 1, maxLength: 10 }),
  value: fc.oneof(fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>, fc.constantFrom<Json | undefined>(null, [], {}, '', 0, undefined, ['explode'], ['create', 'update'], '__proto__')),
});

function mutate(document: Json, { steps, value }: { readonly steps: readonly number[]; readonly value: Json | undefined }): Json {
  const copy = structuredClone(document);
  let node: Json = copy;
  for (const [index, step] of steps.entries()) {
    if (node === null || typeof node !== 'object') break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[step % keys.length];
    const child: Json = (node as Record<string, Json>)[key];
    if (index === steps.length - 1 || child === null || typeof child !== 'object') {
      if (value === undefined) delete (node as Record<string, Json>)[key];
      else (node as Record<string, Json>)[key] = value;
      break;
    }
    node = child;
  }
  return copy;
}

/** A text change: cut at a point, a byte order mark, a UTF-16 save, or a character inserted. */
const textChange = fc.oneof(
  fc.double({ min: 0, max: 1, noNaN: true }).map((at) => (text: string) => Buffer.from(text.slice(0, Math.floor(text.length * at)))),
  fc.constant((text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])),
  fc.constant((text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', '\u0000', 'null')).map(
    ([at, inserted]) =>
      (text: string) =>
        Buffer.from(`${text.slice(0, Math.floor(text.length * at))}${inserted}${text.slice(Math.floor(text.length * at))}`),
  ),
);

/** A cdktf.out of the fixture stacks with one stack's file replaced. */
function outWith(stack: string, content: string | Buffer): string {
  const dir = join(tempDir('idpkit-properties-'), 'cdktf.out');
  for (const [name, document] of Object.entries(STACKS)) {
    mkdirSync(join(dir, 'stacks', name), { recursive: true });
    writeFileSync(join(dir, 'stacks', name, 'cdk.tf.json'), name === stack ? content : JSON.stringify(document));
  }
  return dir;
}

const BASE_OUT = outWith('', '');

/** A run is a result (its command's exit codes) or an `idpkit:` error of bad input (exit 1), never an unexpected one. */
function expectHandled(result: { readonly code: number; readonly stderr: string }, codes: readonly number[]): void {
  expect(result.stderr).not.toContain('unexpected error');
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect([...codes, 1]).toContain(result.code);
  if (result.code === 1) expect(result.stderr).toMatch(/^idpkit: IDPKIT_(INVALID_INPUT|FILESYSTEM)\n/);
}

const stackName = fc.constantFrom(...Object.keys(STACKS));

describe('synthesized stacks: check and diff never crash', () => {
  test('any value at any path of a stack', async () => {
    await fc.assert(
      fc.asyncProperty(stackName, mutation, async (stack, change) => {
        const dir = outWith(stack, JSON.stringify(mutate(STACKS[stack], change)));
        expectHandled(await idpkit(['check', dir, '--format', 'json']), [0, 4]);
        expectHandled(await idpkit(['diff', BASE_OUT, dir, '--format', 'json']), [0, 3]);
      }),
      RUNS,
    );
  });

  test('a stack file cut, with a byte order mark, saved as UTF-16 or with a character inserted', async () => {
    await fc.assert(
      fc.asyncProperty(stackName, textChange, async (stack, change) => {
        const dir = outWith(stack, change(JSON.stringify(STACKS[stack], null, 2)));
        expectHandled(await idpkit(['check', dir, '--format', 'json']), [0, 4]);
        expectHandled(await idpkit(['diff', dir, BASE_OUT, '--format', 'json']), [0, 3]);
      }),
      RUNS,
    );
  });
});

describe('Terraform plans: plan-summary never crashes, and summarizes only the action lists Terraform plans', () => {
  const planIndex = fc.nat({ max: PLANS.length - 1 });
  const summarize = async (content: string | Buffer) => {
    const dir = tempDir('idpkit-properties-plan-');
    writeFileSync(join(dir, 'plan.json'), content);
    const result = await idpkit(['plan-summary', join(dir, 'plan.json'), '--format', 'json']);
    expectHandled(result, [0, 3]);
    if (result.code !== 1) {
      const report = JSON.parse(result.stdout) as PlanSummaryReport;
      const lists = report.plans.flatMap((each) => [...each.changes, ...each.drift].map((change) => change.actions.join(',')));
      expect(lists.filter((list) => !Object.hasOwn(PLAN_ACTION_LISTS, list))).toEqual([]);
    }
  };

  test('any value at any path of a plan', async () => {
    await fc.assert(
      fc.asyncProperty(planIndex, mutation, async (index, change) => summarize(JSON.stringify(mutate(JSON.parse(PLANS[index]) as Json, change)))),
      RUNS,
    );
  });

  test('a plan file cut, with a byte order mark, saved as UTF-16 or with a character inserted', async () => {
    await fc.assert(
      fc.asyncProperty(planIndex, textChange, async (index, change) => summarize(change(PLANS[index]))),
      RUNS,
    );
  });
});
