#!/usr/bin/env node
// Workload render benchmark (`npm run bench:workloads [-- --runs N --workloads N --env NAME]`):
// generates Score workloads (default 100) of varied shape into a temp directory (service ports,
// variables with placeholders, postgres, redis, dns + route, shared resources, an environment
// resource, files from sources, volumes) and times `idpkit workload render` of all of them:
//   in-process  what the command does after it has loaded: read the files, render, check, write
//               atomically (renderWorkloadFiles); the first run pays the lazy one-time costs
//               (compiling the Score schema), so it is reported apart; later runs re-render into
//               the same directory, replacing every workload's folder.
//   process     one whole `node --require ./scripts/register-ts.js cli/main.ts
//               workload render ...` run: Node start, swc transpiling the sources, render, write.
// Prints min / median / max of the in-process runs, the first run and the process run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
require('./register-ts.js');

/** The render target of the issue: 100 workloads in under a second. */
const TARGET_MS = 1000;

const argument = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index > 0 ? process.argv[index + 1] : fallback;
};
const runs = Number(argument('--runs', '7'));
const count = Number(argument('--workloads', '100'));
// prod: the medium AWS example with external-dns and the AWS Load Balancer Controller (dns and route available).
const envName = argument('--env', 'prod');
for (const [name, value] of [['--runs', runs], ['--workloads', count]]) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} wants a positive whole number`);
}

const NAMESPACE = 'shop';

/** The Score file of workload `index`: every shape the engine handles, cycled so that the 100 differ. */
function scoreWorkload(index) {
  const name = `svc-${String(index).padStart(3, '0')}`;
  const port = 8000 + (index % 50);
  const resources = {
    env: { type: 'environment' },
    ...(index % 2 === 0 ? { db: { type: 'postgres' } } : {}),
    ...(index % 3 === 0 ? { cache: { type: 'redis' } } : {}),
    // Every fifth workload shares one Redis through its id.
    ...(index % 5 === 0 ? { sessions: { type: 'redis', id: 'sessions' } } : {}),
    ...(index % 4 === 0
      ? {
          dns: { type: 'dns' },
          route: { type: 'route', params: { host: '${resources.dns.host}', path: `/${name}`, port: 80 } },
        }
      : {}),
    ...(index > 0 && index % 7 === 0 ? { upstream: { type: 'service', params: { workload: `svc-${String(index - 1).padStart(3, '0')}` } } } : {}),
    ...(index % 6 === 0 ? { scratch: { type: 'volume' } } : {}),
  };
  const variables = {
    SERVICE_NAME: '${metadata.name}',
    LOG_LEVEL: '${resources.env.LOG_LEVEL}',
    ...(resources.db ? { DATABASE_HOST: '${resources.db.host}', DATABASE_PORT: '${resources.db.port}', DATABASE_USER: '${resources.db.username}', DATABASE_PASSWORD: '${resources.db.password}' } : {}),
    ...(resources.cache ? { REDIS_ADDRESS: '${resources.cache.host}:${resources.cache.port}', REDIS_PASSWORD: '${resources.cache.password}' } : {}),
    ...(resources.sessions ? { SESSIONS_HOST: '${resources.sessions.host}' } : {}),
    ...(resources.dns ? { PUBLIC_URL: 'https://${resources.dns.host}/' + name } : {}),
    ...(resources.upstream ? { UPSTREAM: 'http://${resources.upstream.host}:${resources.upstream.port}' } : {}),
  };
  const main = {
    image: '.',
    variables,
    resources: { requests: { cpu: `${100 + (index % 4) * 50}m`, memory: `${128 * (1 + (index % 3))}Mi` }, limits: { memory: `${512 * (1 + (index % 2))}Mi` } },
    livenessProbe: { httpGet: { path: '/healthz', port } },
    readinessProbe: { httpGet: { path: '/ready', port } },
    ...(index % 3 === 1 ? { files: { '/etc/app/app.conf': { source: 'app.conf', mode: '0644' }, '/etc/app/motd': { content: 'Hello from ${metadata.name}\n' } } } : {}),
    ...(resources.scratch ? { volumes: { '/var/cache/app': { source: '${resources.scratch}' } } } : {}),
  };
  const containers = { main, ...(index % 10 === 9 ? { sidecar: { image: 'ghcr.io/acme/log-shipper:2.1.0', args: ['--port', '9100'] } } : {}) };
  const ports = { http: { port: 80, targetPort: port }, ...(index % 8 === 0 ? { grpc: { port: 9090, protocol: 'TCP' } } : {}) };
  return {
    name,
    score: { apiVersion: 'score.dev/v1b1', metadata: { name, annotations: { 'idpkit.dev/namespace': NAMESPACE } }, service: { ports }, containers, resources },
  };
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'idpkit-bench-workloads-'));
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));

const { toYaml } = require('../constructs/core/yaml.ts');
const scoreFiles = Array.from({ length: count }, (_, index) => {
  const { name, score } = scoreWorkload(index);
  const file = path.join('apps', name, 'score.yaml');
  fs.mkdirSync(path.join(work, 'apps', name), { recursive: true });
  fs.writeFileSync(path.join(work, file), toYaml(score));
  fs.writeFileSync(path.join(work, 'apps', name, 'app.conf'), `name=${name}\nport=${8000 + (index % 50)}\n`);
  return file;
});

const request = { scoreFiles, env: envName, images: { '*': 'ghcr.io/acme/app:1.0.0' }, variables: { LOG_LEVEL: 'info' }, out: 'out' };
const { renderWorkloadFiles } = require('../cli/workload.ts');

/** One in-process render and write, in milliseconds, with what it wrote. */
function renderOnce() {
  const started = process.hrtime.bigint();
  const report = renderWorkloadFiles(request, work);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, report };
}

const first = renderOnce();
const samples = Array.from({ length: runs }, () => renderOnce().ms).sort((a, b) => a - b);
const median = samples[Math.floor(samples.length / 2)];

const processOut = path.join(work, 'out-process');
const cli = [
  '--require', path.join(root, 'scripts/register-ts.js'), path.join(root, 'cli/main.ts'),
  'workload', 'render', ...scoreFiles, '--env', envName, '--image', request.images['*'], '--var', `LOG_LEVEL=${request.variables.LOG_LEVEL}`, '--out', processOut,
];
const started = process.hrtime.bigint();
const spawned = spawnSync(process.execPath, cli, { cwd: work, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
const processMs = Number(process.hrtime.bigint() - started) / 1e6;
if (spawned.status !== 0) throw new Error(`idpkit workload render failed:\n${spawned.stderr}`);

const { rendered, written } = first.report;
const objects = rendered.workloads.reduce((sum, workload) => sum + workload.objects.length, 0) + rendered.shared.length;
const bytes = Object.values(rendered.files).reduce((sum, text) => sum + Buffer.byteLength(text), 0);
console.log(
  `node ${process.version}, ${os.availableParallelism()} cores; ${rendered.workloads.length} workloads of environment "${envName}" in namespace ${NAMESPACE}: ` +
    `${objects} objects, ${written.fileCount} files (${(bytes / 1024).toFixed(0)} KiB)\n`,
);
console.log('| render + write | ms |\n|---|---:|');
console.log(`| in-process, first run | ${first.ms.toFixed(0)} |`);
console.log(`| in-process, ${runs} more runs (replacing): min / median / max | ${samples[0].toFixed(0)} / ${median.toFixed(0)} / ${samples[samples.length - 1].toFixed(0)} |`);
console.log(`| whole \`idpkit workload render\` process (Node start, swc, render, write) | ${processMs.toFixed(0)} |`);
console.log(`\nin-process median ${median.toFixed(0)} ms, first run ${first.ms.toFixed(0)} ms (target under ${TARGET_MS} ms: ${Math.max(median, first.ms) < TARGET_MS ? 'met' : 'NOT met'})`);
