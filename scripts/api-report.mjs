#!/usr/bin/env node
// The public API reports: one API Extractor report per entry point of package.json "exports", in api/.
//   node scripts/api-report.mjs --write   (npm run api:report) rewrites the reports
//   node scripts/api-report.mjs --check   (npm run api:check)  fails when a report differs from the API
// Both compile the declarations first (tsc -p tsconfig.build.json --emitDeclarationOnly) into
// dist/api-declarations (outside node_modules, where API Extractor would take them for another package's;
// not in the package's "files"), so they never read a stale dist/. docs/library.md explains the process.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { CompilerState, ConsoleMessageId, Extractor, ExtractorConfig } = require('@microsoft/api-extractor');

/** API Extractor's console notices that the summary below replaces. */
const QUIET = new Set([ConsoleMessageId.Preamble, ConsoleMessageId.ApiReportNotCopied, ConsoleMessageId.ApiReportCopied, ConsoleMessageId.ApiReportCreated]);

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CONFIG_FILE = join(ROOT, 'api', 'api-extractor.json');
const CACHE = join(ROOT, 'node_modules', '.cache', 'idpkit-api');
const DECLARATIONS = join(ROOT, 'dist', 'api-declarations');
const PACKAGE_JSON = join(ROOT, 'package.json');
/** Lines of each report's diff that --check prints. */
const DIFF_LINES = 60;

const mode = process.argv[2];
if (mode !== '--write' && mode !== '--check') {
  console.error('usage: node scripts/api-report.mjs --write|--check');
  process.exit(2);
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** Each entry point of package.json "exports" with types: its specifier, its declaration file, its report. */
function entryPoints() {
  const pkg = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8'));
  return Object.entries(pkg.exports)
    .filter(([, target]) => typeof target === 'object' && target.types)
    .map(([subpath, target]) => {
      const suffix = subpath === '.' ? '' : subpath.slice(2).replace(/\//g, '-');
      return {
        specifier: subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`,
        declarations: join(DECLARATIONS, relative('dist', target.types)),
        reportName: suffix ? `${pkg.name}-${suffix}` : pkg.name,
      };
    });
}

/** The report as committed (--write: as just written) or, for --check, as API Extractor sees the API now. */
function reportPath(entry) {
  const committed = join(ROOT, 'api', `${entry.reportName}.api.md`);
  const current = join(CACHE, `${entry.reportName}.api.md`);
  return mode === '--check' && existsSync(current) ? current : committed;
}

/** The committed report against the API as it is now, as a unified diff (first lines only). */
function reportDiff(entry) {
  const committed = relative(ROOT, join(ROOT, 'api', `${entry.reportName}.api.md`));
  const current = relative(ROOT, join(CACHE, `${entry.reportName}.api.md`));
  const result = spawnSync('diff', ['-u', committed, current], { cwd: ROOT, encoding: 'utf8' });
  const lines = (result.stdout || `${committed} is missing`).split('\n');
  return lines.length > DIFF_LINES ? [...lines.slice(0, DIFF_LINES), `... (${lines.length - DIFF_LINES} more lines)`].join('\n') : lines.join('\n');
}

function compileDeclarations() {
  rmSync(DECLARATIONS, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--emitDeclarationOnly', '--outDir', DECLARATIONS],
    { cwd: ROOT, stdio: 'inherit' },
  );
}

function prepare(entry, allEntries) {
  const configObject = ExtractorConfig.loadFile(CONFIG_FILE);
  configObject.mainEntryPointFilePath = entry.declarations;
  configObject.apiReport.reportFileName = entry.reportName;
  // The program holds the compiled declarations only, not the sources tsconfig.build.json includes.
  configObject.compiler = {
    overrideTsconfig: {
      extends: join(ROOT, 'tsconfig.build.json'),
      compilerOptions: { rootDir: DECLARATIONS, outDir: join(CACHE, 'unused') },
      files: allEntries.map((each) => each.declarations),
      include: [],
      exclude: [],
    },
    skipLibCheck: true,
  };
  return ExtractorConfig.prepare({ configObject, configObjectFullPath: CONFIG_FILE, packageJsonFullPath: PACKAGE_JSON });
}

const started = performance.now();
compileDeclarations();
const compiled = performance.now();
console.log(`API Extractor ${Extractor.version}, TypeScript ${require('typescript').version}; declarations compiled in ${seconds(compiled - started)}`);
const entries = entryPoints();
const configs = entries.map((entry) => prepare(entry, entries));
const compilerState = CompilerState.create(configs[0], {
  additionalEntryPoints: configs.slice(1).map((config) => config.mainEntryPointFilePath),
});

const changed = [];
const failed = [];
for (const [index, entry] of entries.entries()) {
  const config = configs[index];
  const result = Extractor.invoke(config, {
    localBuild: mode === '--write',
    compilerState,
    messageCallback: (message) => {
      if (QUIET.has(message.messageId)) message.handled = true;
    },
  });
  if (result.errorCount > 0) failed.push(entry);
  if (result.apiReportChanged) changed.push(entry);
  const state = result.errorCount > 0 ? 'errors' : result.apiReportChanged ? (mode === '--write' ? 'rewritten' : 'CHANGED') : 'unchanged';
  console.log(`${entry.specifier.padEnd(16)} api/${entry.reportName}.api.md  ${state}`);
}

console.log(`${entries.length} reports in ${seconds(performance.now() - compiled)}`);

// A type an entry point's API uses but does not export is fine when another entry point exports it
// (the cloud constructs implement idpkit's interfaces); the ones no entry point exports are listed.
const reports = entries.map((entry) => ({ entry, text: readFileSync(reportPath(entry), 'utf8') }));
const exported = new Set(reports.flatMap(({ text }) => [...text.matchAll(/^export (?:declare )?(?:abstract )?(?:const|function|interface|type|class|enum|namespace) (\w+)/gm)].map((match) => match[1])));
for (const { entry, text } of reports) {
  const unexported = [...new Set([...text.matchAll(/The symbol "(\w+)" needs to be exported/g)].map((match) => match[1]))].filter((name) => !exported.has(name));
  if (unexported.length > 0) console.log(`note: ${entry.specifier} uses types no entry point exports: ${unexported.sort().join(', ')}`);
}

// A report whose entry point is gone: --write removes it, --check fails on it.
const stale = readdirSync(join(ROOT, 'api')).filter((file) => file.endsWith('.api.md') && !entries.some((entry) => `${entry.reportName}.api.md` === file));
for (const file of stale) {
  if (mode === '--write') rmSync(join(ROOT, 'api', file));
  console.log(`api/${file}  ${mode === '--write' ? 'removed' : 'STALE'}: no entry point of package.json "exports" has it`);
}

if (failed.length > 0) {
  console.error(`\nAPI Extractor reported errors for ${failed.map((entry) => entry.specifier).join(', ')} (above).`);
  process.exit(1);
}
if (mode === '--check' && (changed.length > 0 || stale.length > 0)) {
  for (const entry of changed) console.error(`\n${reportDiff(entry)}`);
  console.error(
    [
      '',
      `The public API changed without its report: ${[...changed.map((entry) => `${entry.specifier} (api/${entry.reportName}.api.md)`), ...stale.map((file) => `api/${file}`)].join(', ')}.`,
      'If the change is meant, run `npm run api:report` and commit the api/ files with it, so the API change is reviewed;',
      'if it is not, narrow the exports in the entry file again (docs/library.md, "The public API and its reports").',
      `The API as it is now: ${changed.map((entry) => relative(ROOT, join(CACHE, `${entry.reportName}.api.md`))).join(', ')}.`,
    ].join('\n'),
  );
  process.exit(1);
}
