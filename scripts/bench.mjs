#!/usr/bin/env node
// Synth benchmark (`npm run bench [-- --runs N] [--no-cdktf-init]`): synthesizes every environment
// (the default AWS ones and the Azure and GCP examples: IDPKIT_ENVIRONMENT_SET=all) three ways,
// in turn run after run, and prints wall time, CPU time and peak RSS of each, and their ratios.
//   idpkit      what cdktf.json's `app` runs (swc-transpiled TypeScript, deep provider imports)
//   floor       the same app bundled by esbuild into one file and run with plain node: what the
//               synthesis itself costs, without resolving and transpiling modules at start
//   cdktf init  how `cdktf init --template=typescript` runs an app: type-checking ts-node with the
//               template's tsconfig, provider classes imported from the package root. Built from
//               a temp copy of the sources whose deep provider imports are rewritten to the root.
//               `--no-cdktf-init` leaves it out (it takes about 50 s a run).
// The floor must write the same files as idpkit, byte for byte (the SARIF report names the output
// directory, which differs), and cdktf init the same stacks and resources, or the benchmark fails.
// Ratios are medians of the ratios run by run, so a comparison holds when the machine's speed
// drifts. CPU time and peak RSS are the child's own `process.resourceUsage()`, reported by a
// preloaded hook (ts-node type-checks in the same process, so that is the whole cost).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['main.ts', 'constructs', 'stacks', 'environments', 'charts', 'golden-paths'];
/** Against cdktf init: at least this much faster and leaner; against the floor: at most this much slower. */
const TARGETS = { speed: 20, memory: 5, floor: 1.5 };
const withCdktfInit = !process.argv.includes('--no-cdktf-init');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 1;
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs wants a positive whole number');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'idpkit-bench-'));
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));

// Preloaded into each measured process: writes its resource usage (CPU µs, peak RSS KiB) when it exits.
const usageHook = path.join(work, 'report-usage.cjs');
fs.writeFileSync(usageHook, `process.on('exit', () => require('node:fs').writeFileSync(process.env.BENCH_USAGE_FILE, JSON.stringify(process.resourceUsage())));\n`);

/** Runs one synthesis and returns its wall and CPU time, peak RSS and what it wrote. */
function measure(command, args, cwd) {
  const outdir = fs.mkdtempSync(path.join(work, 'out-'));
  const usageFile = path.join(work, 'usage.json');
  const env = { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1', IDPKIT_ENVIRONMENT_SET: 'all', BENCH_USAGE_FILE: usageFile, NODE_OPTIONS: `--require=${usageHook}` };
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
  const usage = JSON.parse(fs.readFileSync(usageFile, 'utf8'));
  const measured = { seconds, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, rssMiB: usage.maxRSS / 1024, stacks: resourceCounts(outdir), files: fileDigests(outdir) };
  fs.rmSync(outdir, { recursive: true, force: true });
  return measured;
}

/**
 * The files an output directory publishes (relative paths, sorted), read through its links into
 * the published generation; the generations themselves (`.idpkit/`, named at random) are left out.
 */
function publishedFiles(outdir, under = '') {
  return fs
    .readdirSync(path.join(outdir, under))
    .filter((name) => under !== '' || !name.startsWith('.'))
    .flatMap((name) => (fs.statSync(path.join(outdir, under, name)).isDirectory() ? publishedFiles(outdir, path.join(under, name)) : [path.join(under, name)]))
    .sort();
}

/**
 * A digest of every file synthesis published, by path. The SARIF report names the output
 * directory relative to the working directory, which differs per run: that name is replaced first.
 */
function fileDigests(outdir) {
  const named = path.relative(root, outdir);
  return Object.fromEntries(
    publishedFiles(outdir).map((file) => [file, createHash('sha256').update(fs.readFileSync(path.join(outdir, file), 'utf8').split(named).join('<outdir>')).digest('hex')]),
  );
}

/** Resources per synthesized stack. */
function resourceCounts(outdir) {
  const stacksDir = path.join(outdir, 'stacks');
  return Object.fromEntries(
    fs.readdirSync(stacksDir).sort().map((stack) => {
      const json = JSON.parse(fs.readFileSync(path.join(stacksDir, stack, 'cdk.tf.json'), 'utf8'));
      return [stack, Object.values(json.resource ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0)];
    }),
  );
}

/** cdktf.json's app command, split into words. */
const appCommand = () => JSON.parse(fs.readFileSync(path.join(root, 'cdktf.json'), 'utf8')).app.split(/\s+/);

/** The idpkit way: cdktf.json's app command, as the cdktf CLI runs it. */
function idpkitRun() {
  const [command, ...args] = appCommand();
  return { label: 'idpkit', shown: [command, ...args].join(' '), run: () => measure(command === 'node' ? process.execPath : command, args, root) };
}

/**
 * The floor: main.ts bundled by esbuild into one CommonJS file (every idpkit module, cdktf and the
 * provider classes it imports) and run with plain node, in the checkout. idpkit's own `__dirname`
 * lookups (the manifests chart, the golden paths) keep pointing at their source folders.
 */
async function floorRun() {
  const { build } = await import('esbuild');
  const bundle = path.join(work, 'floor', 'main.cjs');
  const keepDirname = {
    name: 'keep-dirname',
    setup(plugin) {
      plugin.onLoad({ filter: /\.ts$/ }, (args) => {
        const source = fs.readFileSync(args.path, 'utf8');
        const contents = source.includes('__dirname') ? `const __dirname = ${JSON.stringify(path.dirname(args.path))};\n${source}` : source;
        return { contents, loader: 'ts' };
      });
    },
  };
  const started = process.hrtime.bigint();
  await build({ entryPoints: [path.join(root, 'main.ts')], bundle: true, platform: 'node', target: `node${process.versions.node.split('.')[0]}`, format: 'cjs', outfile: bundle, logLevel: 'warning', plugins: [keepDirname] });
  const buildSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const size = fs.statSync(bundle).size;
  // The node options of cdktf.json's app command but its TypeScript hook (`--require <file>`) and
  // script, so that the two ways differ by module loading only.
  const nodeOptions = appCommand().slice(1, -1).filter((arg, index, args) => arg !== '--require' && args[index - 1] !== '--require');
  return { label: 'floor', shown: `node ${[...nodeOptions, path.basename(bundle)].join(' ')} (esbuild bundle, ${(size / 2 ** 20).toFixed(1)} MiB, built in ${buildSeconds.toFixed(1)} s)`, run: () => measure(process.execPath, [...nodeOptions, bundle], root) };
}

/** The cdktf-init way, on a rewritten copy of the sources. */
function baselineRun() {
  const dir = path.join(work, 'baseline');
  for (const source of SOURCES) fs.cpSync(path.join(root, source), path.join(dir, source), { recursive: true, dereference: true });
  const rewritten = listTs(dir).reduce((count, file) => count + rewriteToRootImports(file), 0);
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  // The template's tsconfig, except `lib` (its es2018 lacks what the sources use: Object.fromEntries)
  // and `esModuleInterop` (the Score schema is a JSON file's default import).
  const template = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/cdktf-cli/bundle/templates/typescript/tsconfig.json'), 'utf8'));
  template.compilerOptions.lib = ['es2022'];
  template.compilerOptions.esModuleInterop = true;
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(template));
  const tsNode = path.join(root, 'node_modules/.bin/ts-node');
  return { label: 'cdktf init', shown: `ts-node main.ts (type-checked; ${rewritten} imports moved to provider roots)`, run: () => measure(tsNode, ['main.ts'], dir) };
}

const listFiles = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? e.path, e.name)).sort();
const listTs = (dir) => listFiles(dir).filter((file) => file.endsWith('.ts'));

/**
 * `import { A, B } from '@cdktf/provider-aws/lib/eks-addon'` becomes a root import plus
 * `import A = root.eksAddon.A`, which serves both values and types, as a cdktf-init app would write.
 */
function rewriteToRootImports(file) {
  let count = 0;
  const roots = new Set();
  const text = fs.readFileSync(file, 'utf8').replace(
    /^import \{([^}]+)\} from '(@cdktf\/provider-[a-z0-9-]+)\/lib\/([a-z0-9-]+)';$/gm,
    (_, names, pkg, module) => {
      count += 1;
      roots.add(pkg);
      const namespace = module.replace(/-([a-z0-9])/g, (_m, c) => c.toUpperCase());
      return names
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean)
        .map((name) => name.split(/\s+as\s+/))
        .map(([name, local = name]) => `import ${local} = ${rootAlias(pkg)}.${namespace}.${name};`)
        .join('\n');
    },
  );
  if (count === 0) return 0;
  const header = [...roots].map((pkg) => `import * as ${rootAlias(pkg)} from '${pkg}';`).join('\n');
  fs.writeFileSync(file, `${header}\n${text}`);
  return count;
}
const rootAlias = (pkg) => pkg.replace(/\W/g, '_');

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const ways = [idpkitRun(), await floorRun(), ...(withCdktfInit ? [baselineRun()] : [])];
// Run by run, every way in turn, so each run's ratios compare figures taken side by side.
const samples = ways.map(() => []);
for (let run = 0; run < runs; run += 1) ways.forEach((way, index) => samples[index].push(way.run()));
const results = ways.map((way, index) => ({
  ...way,
  samples: samples[index],
  seconds: median(samples[index].map((s) => s.seconds)),
  cpuSeconds: median(samples[index].map((s) => s.cpuSeconds)),
  rssMiB: median(samples[index].map((s) => s.rssMiB)),
  stacks: samples[index][0].stacks,
}));
const [ours, floor, baseline] = results;
for (const sample of floor.samples) {
  const differing = [...new Set([...Object.keys(ours.samples[0].files), ...Object.keys(sample.files)])].filter((file) => ours.samples[0].files[file] !== sample.files[file]);
  if (differing.length > 0) {
    console.error('bench: the floor wrote other files than idpkit:', differing);
    process.exit(1);
  }
}
if (baseline && JSON.stringify(ours.stacks) !== JSON.stringify(baseline.stacks)) {
  console.error('bench: the two ways synthesized different stacks:', ours.stacks, baseline.stacks);
  process.exit(1);
}
/** The median of the run-by-run ratios of a figure, ours over another way's. */
const ratio = (other, figure) => median(ours.samples.map((sample, run) => sample[figure] / other.samples[run][figure]));

const resources = Object.values(ours.stacks).reduce((a, b) => a + b, 0);
console.log(`node ${process.version}, ${os.availableParallelism()} cores, ${Object.keys(ours.stacks).length} stacks, ${resources} resources, median of ${runs} run(s)\n`);
console.log('| way | command | wall s | CPU s | peak RSS MiB |\n|---|---|---:|---:|---:|');
for (const r of results) console.log(`| ${r.label} | \`${r.shown}\` | ${r.seconds.toFixed(2)} | ${r.cpuSeconds.toFixed(2)} | ${r.rssMiB.toFixed(0)} |`);
const toFloor = ratio(floor, 'seconds');
console.log(`\nidpkit takes ${toFloor.toFixed(2)}x the floor's wall time (CPU ${ratio(floor, 'cpuSeconds').toFixed(2)}x; target at most ${TARGETS.floor}x: ${toFloor <= TARGETS.floor ? 'met' : 'NOT met'})`);
if (baseline) {
  const speed = 1 / ratio(baseline, 'seconds');
  const memory = 1 / ratio(baseline, 'rssMiB');
  console.log(`idpkit is ${speed.toFixed(1)}x faster than cdktf init (target ${TARGETS.speed}x: ${speed >= TARGETS.speed ? 'met' : 'NOT met'})` +
    ` and uses ${memory.toFixed(1)}x less memory (target ${TARGETS.memory}x: ${memory >= TARGETS.memory ? 'met' : 'NOT met'})`);
}
