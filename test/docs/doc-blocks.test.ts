import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { ADDON_CATALOG } from '../../constructs/addons/catalog';
import { cachedFiles } from '../support/synthesized-sets';
import { DOC_SOURCES, DocBlock, DocError, collectDocBlocks, compileUnits, freeNames, markdownBlocks, sourceDocErrors, tsdocExamples, whereOf } from '../../scripts/doc-blocks';

const root = resolve(__dirname, '..', '..');

/** Every file under `path` (a file or a folder) ending with `suffix`, counted without the extractor. */
function files(path: string, suffix: string): string[] {
  const full = join(root, path);
  if (path.endsWith(suffix)) return [full];
  return readdirSync(full, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith(suffix) && !name.endsWith('.d.ts')).map((name) => join(full, name));
}
const linesMatching = (paths: string[], pattern: RegExp) => paths.flatMap((path) => readFileSync(path, 'utf8').split('\n').filter((line) => pattern.test(line)));

describe('scripts/doc-blocks.ts: the TypeScript blocks of the docs and the @examples of the TSDoc', () => {
  describe('Markdown', () => {
    test('finds ```ts and ```typescript blocks at the line of their first line of code, not other languages or blocks inside them', () => {
      const text = ['# Title', '```ts', 'const a = 1;', '```', '```sh', '```ts', 'not code', '```', '````md', '```ts', 'quoted', '```', '````', '```typescript', 'const b = 2;', 'const c = 3;', '```', ''].join('\n');
      expect(markdownBlocks('doc.md', text).map((block) => [whereOf(block), block.lines])).toEqual([
        ['doc.md:3', ['const a = 1;']],
        ['doc.md:15', ['const b = 2;', 'const c = 3;']],
      ]);
    });

    test('reads the marks: in:<Type>.<path>, fragment with its reason, test:pack', () => {
      const text = ['```ts in:EnvironmentConfig.platform.addons', 'kyverno: { enabled: true },', '```', '```ts fragment shows a call inside a method', 'x();', '```', '```ts test:pack', 'export {};', '```'].join('\n');
      const [context, fragment, pack] = markdownBlocks('doc.md', text);
      expect(context.context).toEqual({ type: 'EnvironmentConfig', path: ['platform', 'addons'] });
      expect(fragment.fragment).toBe('shows a call inside a method');
      expect(pack.marks).toEqual(['test:pack']);
    });

    test('throws on an unknown mark, a fragment without its reason and a block that is not closed', () => {
      expect(() => markdownBlocks('doc.md', '```ts in-EnvironmentConfig\n```\n')).toThrow('doc.md:1: unknown mark in-EnvironmentConfig');
      expect(() => markdownBlocks('doc.md', '```ts fragment\n```\n')).toThrow('doc.md:1: a block marked fragment says why');
      expect(() => markdownBlocks('doc.md', 'text\n```ts\nconst a = 1;\n')).toThrow('doc.md:2: the TypeScript block is not closed');
    });
  });

  describe('TSDoc', () => {
    const source = [
      '/**',
      ' * A network.',
      ' *',
      ' * @example',
      ' * declare const alerts: AwsAlertRecipients;',
      ' * new AwsNetwork(this, \'network\', {',
      ' *   name: \'prod\',',
      ' * });',
      ' * @see https://example.com',
      ' */',
      'export class AwsNetwork {}',
    ].join('\n');

    test('takes the lines after @example up to the next tag, without the comment margin, at their line', () => {
      const [block] = tsdocExamples('network.ts', source);
      expect(block).toMatchObject({ source: 'network.ts', line: 5, kind: 'example', lines: ['declare const alerts: AwsAlertRecipients;', "new AwsNetwork(this, 'network', {", "  name: 'prod',", '});'] });
    });

    test('throws on an @example with only a title', () => {
      expect(() => tsdocExamples('cost.ts', "/**\n * @example runningShareOfWeek('0 20 * * 1-5', '0 7 * * 1-5')\n */\nexport const a = 1;\n")).toThrow('cost.ts:2: the @example has no code');
    });

    test('an example gets imports for the names it uses and does not declare, and its body runs in a construct', () => {
      const file = ts.createSourceFile('example.ts', "declare const network: AwsNetwork;\nconst db = new AwsDatabase(this, 'db', { vpcId: network.networkId, identity, name: db2 });\nfor (const [path] of Object.entries(x)) join(path);", ts.ScriptTarget.ES2022, true);
      expect(freeNames(file)).toEqual(['AwsNetwork', 'AwsDatabase', 'identity', 'db2', 'Object', 'x', 'join']);
      const tables = {
        entries: new Map([['idpkit', new Set(['WorkloadIdentity'])], ['idpkit/aws', new Set(['AwsNetwork', 'AwsDatabase'])]]),
        files: new Map([['constructs/capabilities/database/aws.ts', new Set(['AwsDatabase', 'internalHelper'])]]),
        packages: new Map([['node:path', new Set(['join'])]]),
      };
      const block: DocBlock = { source: 'constructs/capabilities/database/aws.ts', line: 10, kind: 'example', marks: [], lines: ['declare const identity: WorkloadIdentity;', "new AwsDatabase(this, 'db', { identity, name: internalHelper() });"] };
      const [unit] = compileUnits([block], tables, (path) => `../dist/${path.replace(/\.ts$/, '')}`);
      expect(unit.text.split('\n')).toEqual([
        "import { WorkloadIdentity } from 'idpkit';",
        "import { AwsDatabase } from 'idpkit/aws';",
        "import { internalHelper } from '../dist/constructs/capabilities/database/aws';",
        'declare const identity: WorkloadIdentity;',
        "import { Construct as DocExampleScope } from 'constructs';",
        'export class DocExample extends DocExampleScope {',
        'constructor(scope: DocExampleScope, id: string) {',
        'super(scope, id);',
        "new AwsDatabase(this, 'db', { identity, name: internalHelper() });",
        '}',
        '}',
        'export {};',
        '',
      ]);
      // Each line of the unit maps to its doc line; the lines the check adds to none.
      expect(unit.lines).toEqual([0, 0, 0, 10, 0, 0, 0, 0, 11, 0, 0, 0]);
    });
  });

  describe('the repository', () => {
    const blocks = collectDocBlocks(root);
    const markdown = DOC_SOURCES.markdown.flatMap((path) => files(path, '.md'));
    const sources = DOC_SOURCES.tsdoc.flatMap((path) => files(path, '.ts'));

    test('finds every TypeScript block of README.md and docs/ and every @example of the shipped sources', () => {
      expect(blocks.filter((block) => block.kind === 'markdown')).toHaveLength(linesMatching(markdown, /^(```+|~~~+)\s*(ts|typescript)(\s|$)/).length);
      expect(blocks.filter((block) => block.kind === 'example')).toHaveLength(linesMatching(sources, /^\s*\*\s*@example\b/).length);
      expect(blocks.length).toBeGreaterThan(120);
    });

    test('leaves out only the blocks marked fragment, each with its reason', () => {
      const fragments = blocks.filter((block) => block.fragment);
      expect(fragments).toHaveLength(linesMatching(markdown, /^```+\s*(ts|typescript)\s.*\bfragment\b/).length);
      for (const block of fragments) expect(block.fragment).toMatch(/\w/);
    });

    test('every add-on setting a block shows passes its add-on\'s schema (EnvironmentConfig types platform.addons by key only)', () => {
      const problems: string[] = [];
      let checked = 0;
      for (const block of blocks.filter((candidate) => candidate.context?.type === 'EnvironmentConfig')) {
        const path = block.context?.path ?? [];
        const js = ts.transpileModule(`exports.excerpt = {${path.map((field) => `${field}: {`).join('')}\n${block.lines.join('\n')}\n${'}'.repeat(path.length)}};`, { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
        const exports: { excerpt?: { platform?: { addons?: Record<string, unknown> } } } = {};
        runInNewContext(js, { exports });
        for (const [key, config] of Object.entries(exports.excerpt?.platform?.addons ?? {})) {
          const addon = ADDON_CATALOG.find((candidate) => candidate.key === key);
          const result = addon?.configSchema.safeParse(config);
          checked++;
          if (!addon) problems.push(`${whereOf(block)}: no add-on ${key}`);
          else if (result && !result.success) problems.push(`${whereOf(block)}: ${result.error.issues.map((issue) => `${[key, ...issue.path].join('.')}: ${issue.message}`).join('; ')}`);
        }
      }
      expect(problems).toEqual([]);
      expect(checked).toBeGreaterThan(20);
    });

    test('every block and @example type-checks against the sources of the entry points (each in:<Type> exported by one)', () => {
      // A TypeScript program over the sources: its result depends only on them (and the lock file:
      // the synthesis cache's key), the blocks, the compiler settings, the entry points and this
      // checker, so it is kept until one of them changes (cachedFiles).
      const inputs = { blocks, checker: ['tsconfig.json', 'package.json', 'scripts/doc-blocks.ts'].map((file) => readFileSync(join(root, file), 'utf8')) };
      const { errors } = cachedFiles('doc-block-errors', inputs, () => ({ errors: JSON.stringify(sourceDocErrors(root, blocks)) }));
      expect((JSON.parse(errors) as DocError[]).map((error) => `${error.where}: ${error.message}`)).toEqual([]);
    });
  });
});
