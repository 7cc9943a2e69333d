#!/usr/bin/env node
// Synth benchmark (`npm run bench [-- --runs N]`): synthesizes every environment (the default AWS
// ones and the Azure and GCP examples: IDPKIT_ENVIRONMENT_SET=all) two ways and prints wall time
// and peak RSS of each, and their ratios.
//   idpkit      what cdktf.json's `app` runs (swc-transpiled TypeScript, deep provider imports)
//   cdktf init  how `cdktf init --template=typescript` runs an app: type-checking ts-node with the
//               template's tsconfig, provider classes imported from the package root. Built from
//               a temp copy of the sources whose deep provider imports are rewritten to the root.
// Both must write the same stacks and resources, or the benchmark fails. Peak RSS is the child's
// own `process.resourceUsage().maxRSS`, reported by a preloaded hook (ts-node type-checks in the
// same process, so that is the whole cost).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['main.ts', 'constructs', 'stacks', 'environments', 'charts'];
const TARGETS = { speed: 15, memory: 5 };
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 1;
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs wants a positive whole number');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'idpkit-bench-'));
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));

// Preloaded into each measured process: writes its peak RSS (KiB) when it exits.
const rssHook = path.join(work, 'report-rss.cjs');
fs.writeFileSync(rssHook, `process.on('exit', () => require('node:fs').writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));\n`);

/** Runs one synthesis and returns its wall time, peak RSS and what it wrote. */
function measure(command, args, cwd) {
  const outdir = fs.mkdtempSync(path.join(work, 'out-'));
  const rssFile = path.join(work, 'rss');
  const env = { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1', IDPKIT_ENVIRONMENT_SET: 'all', BENCH_RSS_FILE: rssFile, NODE_OPTIONS: `--require=${rssHook}` };
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
  return { seconds, rssMiB: Number(fs.readFileSync(rssFile, 'utf8')) / 1024, stacks: resourceCounts(outdir) };
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

/** The idpkit way: cdktf.json's app command, as the cdktf CLI runs it. */
function idpkitRun() {
  const [command, ...args] = JSON.parse(fs.readFileSync(path.join(root, 'cdktf.json'), 'utf8')).app.split(/\s+/);
  return { label: 'idpkit', shown: [command, ...args].join(' '), run: () => measure(command === 'node' ? process.execPath : command, args, root) };
}

/** The cdktf-init way, on a rewritten copy of the sources. */
function baselineRun() {
  const dir = path.join(work, 'baseline');
  for (const source of SOURCES) fs.cpSync(path.join(root, source), path.join(dir, source), { recursive: true, dereference: true });
  const rewritten = listTs(dir).reduce((count, file) => count + rewriteToRootImports(file), 0);
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  // The template's tsconfig, except `lib`: its es2018 lacks what the sources use (Object.fromEntries).
  const template = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/cdktf-cli/bundle/templates/typescript/tsconfig.json'), 'utf8'));
  template.compilerOptions.lib = ['es2022'];
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(template));
  const tsNode = path.join(root, 'node_modules/.bin/ts-node');
  return { label: 'cdktf init', shown: `ts-node main.ts (type-checked; ${rewritten} imports moved to provider roots)`, run: () => measure(tsNode, ['main.ts'], dir) };
}

const listTs = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => path.join(e.parentPath ?? e.path, e.name));

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

const ways = [idpkitRun(), baselineRun()];
const results = ways.map((way) => {
  const samples = Array.from({ length: runs }, () => way.run());
  return { ...way, seconds: median(samples.map((s) => s.seconds)), rssMiB: median(samples.map((s) => s.rssMiB)), stacks: samples[0].stacks };
});
const [ours, baseline] = results;
if (JSON.stringify(ours.stacks) !== JSON.stringify(baseline.stacks)) {
  console.error('bench: the two ways synthesized different stacks:', ours.stacks, baseline.stacks);
  process.exit(1);
}

const resources = Object.values(ours.stacks).reduce((a, b) => a + b, 0);
console.log(`node ${process.version}, ${os.availableParallelism()} cores, ${Object.keys(ours.stacks).length} stacks, ${resources} resources, median of ${runs} run(s)\n`);
console.log('| way | command | wall s | peak RSS MiB |\n|---|---|---:|---:|');
for (const r of results) console.log(`| ${r.label} | \`${r.shown}\` | ${r.seconds.toFixed(2)} | ${r.rssMiB.toFixed(0)} |`);
const speed = baseline.seconds / ours.seconds;
const memory = baseline.rssMiB / ours.rssMiB;
console.log(`\nidpkit is ${speed.toFixed(1)}x faster (target ${TARGETS.speed}x: ${speed >= TARGETS.speed ? 'met' : 'NOT met'})` +
  ` and uses ${memory.toFixed(1)}x less memory (target ${TARGETS.memory}x: ${memory >= TARGETS.memory ? 'met' : 'NOT met'})`);
