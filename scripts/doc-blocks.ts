/**
 * Docs that compile: collects every TypeScript code block of README.md and of the Markdown files
 * under docs/ and every `@example` of the TSDoc in the shipped sources, each with its file and
 * line, into files a TypeScript compiler checks (docs/architecture.md, "Docs that compile").
 *
 *   node --require ./scripts/register-ts.js scripts/doc-blocks.ts list
 *   node --require ./scripts/register-ts.js scripts/doc-blocks.ts check-sources
 *   node --require ./scripts/register-ts.js scripts/doc-blocks.ts check <project>
 *   node --require ./scripts/register-ts.js scripts/doc-blocks.ts block <mark>
 *
 * `check-sources` type-checks them in-process against the entry points' sources (as
 * test/docs/doc-blocks.test.ts does).
 * `check` writes the blocks into `<project>/doc-blocks/` and runs that project's own `tsc` over
 * them against its installed idpkit (`npm run test:pack` runs it on the packed tarball), printing
 * each error at the doc's file and line. `block` prints the code of the README blocks marked
 * ```ts <mark>.
 *
 * A Markdown block is a whole module, imports included, compiled as written. Its info string may add:
 * - `in:<Type>[.<field>...]`: the block lists fields of a `<Type>` an entry point exports (at that
 *   path), e.g. ```ts in:EnvironmentConfig.platform.addons; it is compiled inside such an object,
 *   every field optional (the block shows some fields; what it shows must exist and be typed right);
 * - `fragment <reason>`: not compiled, reported with the reason (keep these rare);
 * - `test:pack`: `npm run test:pack` also compiles and synthesizes it.
 * An `@example` is the body of a construct's constructor (`this` is a Construct); its `import` and
 * `declare` lines (`declare const network: AwsNetwork;`) go first. Names it uses that the documented
 * file or an entry point of package.json exports, or `cdktf`, `constructs`, `node:fs` and
 * `node:path`, are imported for it; everything else it declares.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** Where the docs and the documented sources are, relative to the checkout. */
export const DOC_SOURCES = {
  markdown: ['README.md', 'docs'],
  tsdoc: ['constructs', 'stacks', 'environments'],
} as const;

/** The info-string words a TypeScript block may carry after `ts`. */
const MARKS = { context: 'in:', fragment: 'fragment', pack: 'test:pack' } as const;

/** One TypeScript code block of the docs, or one `@example`. */
export interface DocBlock {
  /** The file it is in, relative to the checkout. */
  readonly source: string;
  /** Line of its first line of code, from 1. */
  readonly line: number;
  readonly kind: 'markdown' | 'example';
  /** The code, one entry per line of the source. */
  readonly lines: readonly string[];
  /** A Markdown block's marks after `ts` (`test:pack`, ...). */
  readonly marks: readonly string[];
  /** `in:EnvironmentConfig.platform`: the type and path the block lists fields of. */
  readonly context?: { readonly type: string; readonly path: readonly string[] };
  /** Why it is not compiled (a block marked `fragment`). */
  readonly fragment?: string;
}

/** `README.md:44`. */
export const whereOf = (block: Pick<DocBlock, 'source' | 'line'>): string => `${block.source}:${block.line}`;

/** Every ```ts / ```typescript block of one Markdown file. */
export function markdownBlocks(source: string, text: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  // The open block: its fence, and its info words and first line when it is TypeScript.
  let open: { readonly fence: string; readonly typescript?: { readonly info: string[]; readonly line: number } } | undefined;
  let code: string[] = [];
  text.split('\n').forEach((line, index) => {
    if (open) {
      if (line.trimEnd() !== open.fence) code.push(line);
      else {
        if (open.typescript) blocks.push(markdownBlock(source, open.typescript.line, code, open.typescript.info));
        open = undefined;
      }
      return;
    }
    const fence = /^(```+|~~~+)\s*(\S*)\s*(.*)$/.exec(line);
    if (!fence) return;
    const typescript = fence[2] === 'ts' || fence[2] === 'typescript';
    open = { fence: fence[1], ...(typescript ? { typescript: { info: fence[3].split(/\s+/).filter(Boolean), line: index + 2 } } : {}) };
    code = [];
  });
  if (open?.typescript) throw new Error(`${source}:${open.typescript.line - 1}: the TypeScript block is not closed`);
  return blocks;
}

function markdownBlock(source: string, line: number, lines: string[], info: string[]): DocBlock {
  const at = `${source}:${line - 1}`;
  const fragmentAt = info.indexOf(MARKS.fragment);
  if (fragmentAt >= 0) {
    const reason = info.slice(fragmentAt + 1).join(' ');
    if (!reason) throw new Error(`${at}: a block marked ${MARKS.fragment} says why: \`\`\`ts ${MARKS.fragment} <reason>`);
    return { source, line, kind: 'markdown', lines, marks: info.slice(0, fragmentAt), fragment: reason };
  }
  const unknown = info.filter((word) => !word.startsWith(MARKS.context) && word !== MARKS.pack);
  if (unknown.length > 0) {
    throw new Error(`${at}: unknown mark ${unknown.join(' ')} after \`\`\`ts (allowed: ${MARKS.context}<Type>.<field>, ${MARKS.fragment} <reason>, ${MARKS.pack})`);
  }
  const context = info.find((word) => word.startsWith(MARKS.context));
  const [type, ...path] = (context ?? '').slice(MARKS.context.length).split('.');
  return { source, line, kind: 'markdown', lines, marks: info, ...(context ? { context: { type, path } } : {}) };
}

/** A TypeScript source's `@example`s, with the file's exports named by each. */
export function tsdocExamples(source: string, text: string): DocBlock[] {
  const file = ts.createSourceFile(source, text, ts.ScriptTarget.ES2022, true);
  const seen = new Set<number>();
  const blocks: DocBlock[] = [];
  const visit = (node: ts.Node) => {
    for (const tag of ts.getJSDocTags(node)) {
      if (tag.tagName.text !== 'example' || seen.has(tag.pos)) continue;
      seen.add(tag.pos);
      blocks.push(exampleBlock(source, file, tag));
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return blocks.sort((a, b) => a.line - b.line);
}

/**
 * The code of one `@example`: the lines after the tag up to the next tag or the comment's end,
 * without their ` * ` margin (TSDoc: text on the tag's own line is a title). A fenced example
 * (```ts ... ```) is read like a Markdown block.
 */
function exampleBlock(source: string, file: ts.SourceFile, tag: ts.JSDocTag): DocBlock {
  const start = file.getLineAndCharacterOfPosition(tag.tagName.getStart(file)).line;
  const all = file.text.split('\n');
  const lines: string[] = [];
  for (let index = start + 1; index < all.length; index++) {
    const line = all[index];
    if (/^\s*\*\//.test(line)) break;
    const text = line.replace(/^\s*\* ?/, '').replace(/\s*\*\/\s*$/, '');
    if (/^@\w/.test(text)) break;
    lines.push(text);
    if (/\*\/\s*$/.test(line)) break;
  }
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.every((line) => line.trim() === '')) {
    throw new Error(`${source}:${start + 1}: the @example has no code: put it on the lines after @example (text on the tag's line is a title)`);
  }
  if (lines[0]?.startsWith('```')) {
    const [fenced] = markdownBlocks(source, `${lines.join('\n')}\n`);
    return { ...fenced, kind: 'example', line: fenced.line + start };
  }
  return { source, line: start + 2, kind: 'example', lines, marks: [] };
}

/** Files under `path` (relative to `root`, a file or a folder) whose names end with `suffix`, sorted. */
function filesUnder(root: string, path: string, suffix: string): string[] {
  if (!statSync(join(root, path)).isDirectory()) return [path];
  return readdirSync(join(root, path), { withFileTypes: true })
    .flatMap((entry) => {
      const child = `${path}/${entry.name}`;
      if (entry.isDirectory()) return filesUnder(root, child, suffix);
      return entry.name.endsWith(suffix) && !entry.name.endsWith('.d.ts') ? [child] : [];
    })
    .sort();
}

/** Every TypeScript block of the docs and every `@example` of the shipped sources, in a stable order. */
export function collectDocBlocks(root: string): DocBlock[] {
  const read = (path: string) => readFileSync(join(root, path), 'utf8');
  return [
    ...DOC_SOURCES.markdown.flatMap((dir) => filesUnder(root, dir, '.md')).flatMap((path) => markdownBlocks(path, read(path))),
    ...DOC_SOURCES.tsdoc.flatMap((dir) => filesUnder(root, dir, '.ts')).flatMap((path) => {
      const text = read(path);
      return text.includes('@example') ? tsdocExamples(path, text) : [];
    }),
  ];
}

/** Where a name an example uses comes from: an entry point or another package, or a file of idpkit. */
type ImportSource = { readonly module: string } | { readonly file: string };

/** The names each module exports, for the imports `@example`s get. */
export interface ExportTables {
  /** Entry point (`idpkit`, `idpkit/aws`, ...) -> its exported names, in package.json's order. */
  readonly entries: ReadonlyMap<string, ReadonlySet<string>>;
  /** Source file (`constructs/core/names.ts`) -> its exported names. */
  readonly files: ReadonlyMap<string, ReadonlySet<string>>;
  /** `cdktf`, `constructs`, `node:fs`, `node:path` -> their exported names. */
  readonly packages: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The names of Node's modules examples use without importing them. */
const NODE_NAMES = { 'node:fs': ['existsSync', 'mkdirSync', 'readFileSync', 'writeFileSync'], 'node:path': ['dirname', 'join'] } as const;

/** package.json's entry points, each with its source: `idpkit/aws` -> constructs/entry/aws.ts. */
export function entryPoints(root: string): Map<string, string> {
  const exports = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).exports as Record<string, { types?: string } | string>;
  const entries = new Map<string, string>();
  for (const [subpath, target] of Object.entries(exports)) {
    if (typeof target === 'string' || !target.types) continue;
    entries.set(subpath === '.' ? 'idpkit' : `idpkit/${subpath.slice(2)}`, target.types.replace(/^\.\/dist\//, '').replace(/\.d\.ts$/, '.ts'));
  }
  return entries;
}

/**
 * Compiler options of a program over the sources in which `idpkit` and `idpkit/*` resolve to the
 * entry points' sources (the repository's own settings otherwise).
 */
export function sourceCompilerOptions(root: string): ts.CompilerOptions {
  const { config } = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, root);
  const paths = Object.fromEntries([...entryPoints(root)].map(([name, file]) => [name, [join(root, file)]]));
  return { ...options, types: ['node'], incremental: false, tsBuildInfoFile: undefined, noEmit: true, noUnusedLocals: false, noUnusedParameters: false, paths };
}

/**
 * The export tables, read from a program over the sources (`program` when one is at hand), with
 * the exports of the `documented` files (those with `@example`s).
 */
export function exportTables(root: string, documented: ReadonlySet<string>, program = ts.createProgram([...entryPoints(root).values()].map((file) => join(root, file)), sourceCompilerOptions(root))): ExportTables {
  const checker = program.getTypeChecker();
  const namesOf = (file: ts.SourceFile | undefined) => {
    const symbol = file && checker.getSymbolAtLocation(file);
    return new Set(symbol ? checker.getExportsOfModule(symbol).map((exported) => exported.name) : []);
  };
  const entries = new Map([...entryPoints(root)].map(([name, file]) => [name, namesOf(program.getSourceFile(join(root, file)))]));
  const files = new Map<string, Set<string>>();
  for (const path of documented) files.set(path, namesOf(program.getSourceFile(join(root, path))));
  const packages = new Map<string, ReadonlySet<string>>(Object.entries(NODE_NAMES).map(([name, names]) => [name, new Set<string>(names)]));
  for (const name of ['cdktf', 'constructs']) {
    const resolved = ts.resolveModuleName(name, join(root, 'main.ts'), program.getCompilerOptions(), ts.sys).resolvedModule;
    packages.set(name, namesOf(resolved && program.getSourceFile(resolved.resolvedFileName)));
  }
  return { entries, files, packages };
}

/** The files whose `@example`s the blocks include. */
const documentedFiles = (blocks: readonly DocBlock[]) => new Set(blocks.filter((block) => block.kind === 'example').map((block) => block.source));

/** One file to compile: its text and, per line, the doc line it came from. */
export interface CompileUnit {
  readonly block: DocBlock;
  /** File name, e.g. `README.md-44.ts`. */
  readonly name: string;
  readonly text: string;
  /** Line (from 0) of `text` -> line of the doc (from 1); 0 for a line the checker added. */
  readonly lines: readonly number[];
}

/**
 * The files to compile for `blocks` (the fragments left out). `specifier` names a file of
 * idpkit for an import, from where the unit is written (the sources or the packed `dist/`).
 */
export function compileUnits(blocks: readonly DocBlock[], tables: ExportTables, specifier: (file: string) => string): CompileUnit[] {
  return blocks.filter((block) => !block.fragment).map((block) => {
    const out = new UnitText(block);
    if (block.kind === 'example') exampleUnit(block, tables, specifier, out);
    else if (block.context) contextUnit(block, block.context, tables, out);
    else out.code(block.lines, 0);
    out.added('export {};');
    return { block, name: `${block.source.replace(/[/.]/g, '_')}-${block.line}.ts`, text: out.text(), lines: out.lines };
  });
}

class UnitText {
  readonly lines: number[] = [];
  private readonly texts: string[] = [];
  constructor(private readonly block: DocBlock) {}
  added(...texts: string[]) {
    for (const text of texts) {
      this.texts.push(text);
      this.lines.push(0);
    }
  }
  code(lines: readonly string[], from: number) {
    lines.forEach((text, index) => {
      this.texts.push(text);
      this.lines.push(this.block.line + from + index);
    });
  }
  text() {
    return `${this.texts.join('\n')}\n`;
  }
}

/** Every field optional, at every depth: a block shows some fields of a config. */
const EXCERPT_TYPE = 'type DocExcerpt<T> = T extends readonly (infer E)[] ? readonly DocExcerpt<E>[] : T extends (...args: never[]) => unknown ? T : T extends object ? { [K in keyof T]?: DocExcerpt<T[K]> } : T;';

function contextUnit(block: DocBlock, context: NonNullable<DocBlock['context']>, tables: ExportTables, out: UnitText) {
  const entry = [...tables.entries].find(([, names]) => names.has(context.type))?.[0];
  if (!entry) throw new Error(`${whereOf(block)}: ${MARKS.context}${context.type}: no entry point of idpkit exports ${context.type}`);
  out.added(`import type { ${context.type} } from '${entry}';`, EXCERPT_TYPE, `export const excerpt: DocExcerpt<${context.type}> = {`, ...context.path.map((field) => `${field}: {`));
  out.code(block.lines, 0);
  out.added(`${'}'.repeat(context.path.length)}};`);
}

/** An `@example`: its imports and declarations first, the rest as the body of a construct's constructor. */
function exampleUnit(block: DocBlock, tables: ExportTables, specifier: (file: string) => string, out: UnitText) {
  const code = block.lines.join('\n');
  const file = ts.createSourceFile('example.ts', code, ts.ScriptTarget.ES2022, true);
  const first = file.statements.find((statement) => !ts.isImportDeclaration(statement) && !ts.getModifiers(statement as ts.HasModifiers)?.some((modifier) => modifier.kind === ts.SyntaxKind.DeclareKeyword));
  const split = first ? file.getLineAndCharacterOfPosition(first.getStart(file)).line : block.lines.length;
  const imports = new Map<string, string[]>();
  for (const name of freeNames(file)) {
    const from = importSourceOf(name, block.source, tables);
    if (!from) continue;
    const module = 'module' in from ? from.module : specifier(from.file);
    imports.set(module, [...(imports.get(module) ?? []), name]);
  }
  out.added(...[...imports].map(([module, names]) => `import { ${names.sort().join(', ')} } from '${module}';`));
  out.code(block.lines.slice(0, split), 0);
  out.added("import { Construct as DocExampleScope } from 'constructs';", 'export class DocExample extends DocExampleScope {', 'constructor(scope: DocExampleScope, id: string) {', 'super(scope, id);');
  out.code(block.lines.slice(split), split);
  out.added('}', '}');
}

/**
 * Where an example's free name comes from: the documented file's own export (through the entry
 * point that exports it, when one does), an entry point's, a package's; undefined for a name the
 * example must declare (or a global).
 */
function importSourceOf(name: string, documented: string, tables: ExportTables): ImportSource | undefined {
  const entry = [...tables.entries].find(([, names]) => names.has(name))?.[0];
  if (tables.files.get(documented)?.has(name)) return entry ? { module: entry } : { file: documented };
  if (entry) return { module: entry };
  const pack = [...tables.packages].find(([, names]) => names.has(name))?.[0];
  return pack ? { module: pack } : undefined;
}

/** Names a snippet uses and does not declare (values and types), in order of first use. */
export function freeNames(file: ts.SourceFile): string[] {
  const declared = new Set<string>();
  const used: string[] = [];
  const declare = (name: ts.BindingName | ts.Identifier | undefined) => {
    if (!name) return;
    if (ts.isIdentifier(name)) declared.add(name.text);
    else name.elements.forEach((element) => !ts.isOmittedExpression(element) && declare(element.name));
  };
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isBindingElement(node)) declare(node.name);
    else if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isEnumDeclaration(node)) && node.name) declare(node.name);
    else if (ts.isImportClause(node) || ts.isImportSpecifier(node) || ts.isNamespaceImport(node)) declare(node.name);
    else if (ts.isTypeParameterDeclaration(node)) declare(node.name);
    if (ts.isIdentifier(node) && isReference(node) && !used.includes(node.text)) used.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return used.filter((name) => !declared.has(name));
}

/** An identifier that names something in scope (not a property, key or declaration name). */
function isReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if ((ts.isPropertyAccessExpression(parent) || ts.isQualifiedName(parent)) && parent.getChildAt(2) === node) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isMethodSignature(parent) || ts.isEnumMember(parent) || ts.isGetAccessor(parent) || ts.isSetAccessor(parent)) && parent.name === node) return false;
  if (ts.isBindingElement(parent) && parent.propertyName === node) return false;
  if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent) || ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) return false;
  const declaration = parent as ts.Node & { name?: ts.Node };
  return !(declaration.name === node && (ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isFunctionDeclaration(parent) || ts.isClassDeclaration(parent) || ts.isInterfaceDeclaration(parent) || ts.isTypeAliasDeclaration(parent) || ts.isEnumDeclaration(parent) || ts.isTypeParameterDeclaration(parent) || ts.isBindingElement(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent)));
}

/** A compiler error at the doc line it belongs to. */
export interface DocError {
  /** The block's first line, `README.md:289`. */
  readonly block: string;
  /** `README.md:291:5`. */
  readonly where: string;
  /** `TS2304: Cannot find name 'network'.`, with the compiler's further lines. */
  readonly message: string;
}

/** The doc position of a line and column (both from 1) of a unit; its block's first line for a line the checker added. */
export function docPosition(unit: CompileUnit, line: number, column: number): string {
  const source = unit.lines[line - 1];
  return source ? `${unit.block.source}:${source}:${column}` : `${whereOf(unit.block)} (in what the check adds: the imports it found, the construct around an @example)`;
}

/** `tsc --pretty false` output over the units (named `<dir>/<unit.name>`) as errors at the docs' lines. */
export function docErrorsOf(output: string, units: readonly CompileUnit[]): DocError[] {
  const byName = new Map(units.map((unit) => [unit.name, unit]));
  const errors: { block: string; where: string; message: string }[] = [];
  for (const line of output.split('\n')) {
    const match = /^(.*?)\((\d+),(\d+)\): error (TS\d+: .*)$/.exec(line);
    if (match) {
      const unit = byName.get(match[1].split('/').pop() ?? '');
      errors.push({ block: unit ? whereOf(unit.block) : match[1], where: unit ? docPosition(unit, Number(match[2]), Number(match[3])) : `${match[1]}:${match[2]}:${match[3]}`, message: match[4] });
    } else if (/^\s+\S/.test(line) && errors.length > 0) {
      errors[errors.length - 1].message += `\n${line}`;
    } else if (/error TS\d+/.test(line)) {
      errors.push({ block: 'tsc', where: 'tsc', message: line });
    }
  }
  return errors;
}

/** Where the in-process check puts the units: a folder beside the sources, never written. */
const SOURCE_UNITS_DIR = '.doc-blocks';

/**
 * The units type-checked in-process against the sources (`idpkit` and `idpkit/*` mapped to the
 * entry points' sources, the repository's compiler settings): the errors, at the docs' lines.
 */
export function sourceDocErrors(root: string, blocks: readonly DocBlock[]): DocError[] {
  const options = sourceCompilerOptions(root);
  const entries = [...entryPoints(root).values()].map((file) => join(root, file));
  // Both programs share each parsed (and bound) file of the sources.
  const host = ts.createCompilerHost(options);
  const parsed = new Map<string, ts.SourceFile | undefined>();
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, ...rest) => {
    if (!parsed.has(file)) parsed.set(file, getSourceFile(file, language, ...rest));
    return parsed.get(file);
  };
  const base = ts.createProgram(entries, options, host);
  const dir = join(root, SOURCE_UNITS_DIR);
  const units = compileUnits(blocks, exportTables(root, documentedFiles(blocks), base), (file) => relative(dir, join(root, file)).replace(/\.ts$/, ''));
  const texts = new Map(units.map((unit) => [join(dir, unit.name), unit]));
  const unitHost: ts.CompilerHost = {
    ...host,
    fileExists: (file) => texts.has(file) || host.fileExists(file),
    readFile: (file) => texts.get(file)?.text ?? host.readFile(file),
    getSourceFile: (file, language, ...rest) => {
      const unit = texts.get(file);
      return unit ? ts.createSourceFile(file, unit.text, language, true) : host.getSourceFile(file, language, ...rest);
    },
  };
  const program = ts.createProgram([...texts.keys()], options, unitHost);
  return units.flatMap((unit) => {
    const file = program.getSourceFile(join(dir, unit.name));
    if (!file) return [{ block: whereOf(unit.block), where: whereOf(unit.block), message: 'not compiled' }];
    return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)].map((diagnostic) => {
      const { line, character } = file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      return { block: whereOf(unit.block), where: docPosition(unit, line + 1, character + 1), message: `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n  ')}` };
    });
  });
}

/** `doc-blocks/` of a project: the units, a tsconfig extending the project's, against its installed idpkit. */
function writeProjectUnits(project: string, units: readonly CompileUnit[]): void {
  const dir = join(project, 'doc-blocks');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const unit of units) writeFileSync(join(dir, unit.name), unit.text);
  const tsconfig = { extends: '../tsconfig.json', compilerOptions: { noEmit: true, rootDir: '..', incremental: false }, include: ['*.ts'] };
  writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
}

/** `3 of 133 compiled blocks fail (41 errors)`. */
export const failuresOf = (errors: readonly DocError[], compiled: number): string => `${new Set(errors.map((error) => error.block)).size} of ${compiled} compiled blocks fail (${errors.length} errors)`;

/** How many blocks there are, compiled and left out (the fragments, with their reasons). */
export function countsOf(blocks: readonly DocBlock[]): string {
  const markdown = blocks.filter((block) => block.kind === 'markdown');
  const fragments = blocks.filter((block) => block.fragment);
  return [
    `${markdown.length} TypeScript blocks in the docs, ${blocks.length - markdown.length} @examples in the sources; ${blocks.length - fragments.length} compiled`,
    ...fragments.map((block) => `  not compiled: ${whereOf(block)}: ${block.fragment}`),
  ].join('\n');
}

function main(argv: readonly string[]): number {
  const root = resolve(__dirname, '..');
  const [command, argument] = argv;
  const blocks = collectDocBlocks(root);
  if (command === 'list') {
    for (const block of blocks) console.log(`${whereOf(block)} ${block.kind}${block.context ? ` in:${[block.context.type, ...block.context.path].join('.')}` : ''}${block.fragment ? ` fragment: ${block.fragment}` : ''}`);
    console.log(countsOf(blocks));
    return 0;
  }
  if (command === 'block' && argument) {
    const marked = blocks.filter((block) => block.source === 'README.md' && block.marks.includes(argument));
    if (marked.length === 0) throw new Error(`README.md has no \`\`\`ts ${argument} block`);
    process.stdout.write(marked.map((block) => `${block.lines.join('\n')}\n`).join(''));
    return 0;
  }
  if (command === 'check-sources') {
    const errors = sourceDocErrors(root, blocks);
    for (const error of errors) console.error(`${error.where}: ${error.message}`);
    console.log(`${countsOf(blocks)}\nagainst the sources: ${failuresOf(errors, blocks.filter((block) => !block.fragment).length)}`);
    return errors.length === 0 ? 0 : 1;
  }
  if (command === 'check' && argument) {
    const project = resolve(argument);
    const dist = join(project, 'node_modules', 'idpkit', 'dist');
    const dir = join(project, 'doc-blocks');
    const units = compileUnits(blocks, exportTables(root, documentedFiles(blocks)), (file) => relative(dir, join(dist, file)).replace(/\.ts$/, ''));
    writeProjectUnits(project, units);
    const tsc = spawnSync('npx', ['tsc', '-p', 'doc-blocks', '--pretty', 'false'], { cwd: project, encoding: 'utf8' });
    const errors = docErrorsOf(`${tsc.stdout}${tsc.stderr}`, units);
    console.log(countsOf(blocks));
    if (tsc.status === 0 && errors.length === 0) {
      console.log(`docs check passed: ${units.length} blocks and @examples type-check against the installed idpkit`);
      return 0;
    }
    console.error(`against the installed idpkit: ${failuresOf(errors, units.length)}:`);
    for (const error of errors) console.error(`${error.where}: ${error.message}`);
    if (errors.length === 0) console.error(`${tsc.stdout}${tsc.stderr}`);
    return 1;
  }
  console.error('usage: doc-blocks.ts list | check-sources | check <project> | block <mark>');
  return 2;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
