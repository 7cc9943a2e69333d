#!/usr/bin/env node
// Cost estimate benchmark (`node scripts/bench-cost.mjs [--runs N] [--out DIR]`): synthesizes
// IDPKIT_ENVIRONMENT_SET=all (20 stacks) once into a temp directory (or reads --out), then times
// `idpkit cost`'s work in-process: reading every stack's cdk.tf.json and estimating it
// (costOfSynthesizedOutput). The first run pays the one-time costs (JSON parsing caches, JIT), so
// it is reported apart. Prints figures only; the target is under 200 ms for all 20 stacks.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
require('./register-ts.js');

/** The target for costing all 20 stacks of IDPKIT_ENVIRONMENT_SET=all. */
const TARGET_MS = 200;

const argument = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index > 0 ? process.argv[index + 1] : fallback;
};
const runs = Number(argument('--runs', '9'));
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs wants a positive whole number');

let out = argument('--out', undefined);
let temp;
if (!out) {
  temp = fs.mkdtempSync(path.join(os.tmpdir(), 'idpkit-bench-cost-'));
  out = path.join(temp, 'cdktf.out');
  const synth = spawnSync(process.execPath, ['--require', './scripts/register-ts.js', 'main.ts'], {
    cwd: root,
    env: { ...process.env, IDPKIT_ENVIRONMENT_SET: 'all', CDKTF_OUTDIR: out },
    encoding: 'utf8',
  });
  if (synth.status !== 0) throw new Error(`synthesis failed:\n${synth.stderr}`);
}

const { costOfSynthesizedOutput } = require(path.join(root, 'cli/cost.ts'));
const time = () => {
  const start = process.hrtime.bigint();
  const estimate = costOfSynthesizedOutput(out);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, estimate };
};
const first = time();
const later = Array.from({ length: runs }, () => time().ms).sort((a, b) => a - b);
const fmt = (ms) => `${ms.toFixed(1)} ms`;
console.log(`idpkit cost over ${first.estimate.stacks.length} stacks (${first.estimate.stacks.reduce((n, s) => n + s.lines.length, 0)} lines), ${out}`);
console.log(`  first run        ${fmt(first.ms)}`);
console.log(`  next ${runs} runs    min ${fmt(later[0])}  median ${fmt(later[Math.floor(later.length / 2)])}  max ${fmt(later[later.length - 1])}`);
console.log(`  target           under ${TARGET_MS} ms: ${Math.max(first.ms, later[later.length - 1]) < TARGET_MS ? 'met' : 'NOT met'} (slowest run)`);
if (temp) fs.rmSync(temp, { recursive: true, force: true });
