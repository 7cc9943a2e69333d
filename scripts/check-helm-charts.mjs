#!/usr/bin/env node
// Checks idpkit's Helm charts against the verified chart facts in ../shared/reference/helm (which
// users do not have, so this runs from .ci/run, not from the README test command):
//   1. every row of CHARTS names a repository and chart listed there, at a version that was released;
//   2. every helm_release in a synthesized directory sets values the chart accepts: they validate
//      against the chart's values.schema.json where it ships one, and otherwise every key path set
//      exists in the chart's default values.yaml (free-form maps and lists may hold anything).
// Usage: node scripts/check-helm-charts.mjs <cdktf.out> [<shared/reference/helm>]
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = process.argv[2] ?? path.join(root, 'cdktf.out');
const reference = process.argv[3] ?? path.join(root, '..', 'shared', 'reference', 'helm');
const problems = [];
const notes = [];

// The chart table, through the same transpile hook cdktf uses.
require(path.join(root, 'scripts', 'register-ts.js'));
const { CHARTS } = require(path.join(root, 'constructs', 'core', 'charts.ts'));

/** README main table: chart name -> repository URLs listed for it. */
function listedRepositories() {
  const listed = new Map();
  const byRowName = new Map();
  for (const line of fs.readFileSync(path.join(reference, 'README.md'), 'utf8').split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const sameAs = /^same as (.+)$/.exec(cells[2] ?? '')?.[1];
    if (cells.length < 5 || !(cells[2]?.includes('://') || sameAs)) continue;
    const urls = sameAs
      ? (byRowName.get(sameAs) ?? [])
      : [...cells[2].matchAll(/`((?:https|oci):\/\/[^`]+)`/g)].map((m) => m[1].replace(/\/$/, ''));
    byRowName.set(cells[1], urls);
    for (const chart of [...cells[3].matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1])) {
      listed.set(chart, [...(listed.get(chart) ?? []), ...urls]);
    }
  }
  return listed;
}

/**
 * Istio charts the main table does not list: helm-versions/istio.tsv says `cni` (and `ztunnel`)
 * are released from the same repository as base, istiod and gateway, at the same versions.
 */
const ISTIO_CHARTS = ['base', 'istiod', 'gateway', 'cni', 'ztunnel'];

/** The versions file of a chart from a repository. */
function versionsFile(repository, chart) {
  const dir = path.join(reference, 'helm-versions');
  const byRepo = repository.includes('grafana-community') ? `grafana-community-${chart}.tsv` : repository.includes('grafana.github.io') ? `${chart}-grafana-repo.tsv` : undefined;
  const candidates = [byRepo, `${chart}.tsv`, ISTIO_CHARTS.includes(chart) ? 'istio.tsv' : undefined, chart === 'cluster' ? 'cnpg-cluster.tsv' : undefined];
  return candidates.filter(Boolean).map((name) => path.join(dir, name)).find((file) => fs.existsSync(file));
}

const versionsIn = (file) => fs.readFileSync(file, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t')[0]);

// 1. The chart table.
const listed = listedRepositories();
for (const [name, ref] of Object.entries(CHARTS)) {
  const urls = listed.get(ref.chart) ?? (ISTIO_CHARTS.includes(ref.chart) ? (listed.get('base') ?? []) : []);
  const repository = ref.repository.replace(/\/$/, '');
  if (!urls.some((url) => url === repository || url === `${repository}/${ref.chart}`)) {
    problems.push(`CHARTS.${name}: repository ${ref.repository} is not listed for chart "${ref.chart}" (listed: ${urls.join(', ') || 'none'})`);
  }
  const file = versionsFile(repository, ref.chart);
  if (!file) problems.push(`CHARTS.${name}: no verified version list for chart "${ref.chart}"`);
  else if (!versionsIn(file).includes(ref.version)) problems.push(`CHARTS.${name}: version ${ref.version} of "${ref.chart}" is not a released version (${path.basename(file)})`);
}

// 2. The releases' values.
const schemaValidators = new Map();
function schemaValidator(file) {
  if (!schemaValidators.has(file)) {
    const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
    const draft2020 = JSON.stringify(schema).includes('draft/2020-12');
    delete schema.$schema;
    const Ajv = draft2020 ? require('ajv/dist/2020').default : require('ajv').default;
    schemaValidators.set(file, new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema));
  }
  return schemaValidators.get(file);
}

const isMap = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Value paths whose defaults list only some keys but that the chart takes free-form: maps rendered
 * with `toYaml`, ConfigMap data, and subcharts (checked by their own chart, not the parent's
 * defaults). Each entry cites why.
 */
const FREE_FORM_PATHS = {
  'argo-cd': ['configs.cm', 'configs.params', 'configs.rbac'], // data of argocd-cm, argocd-cmd-params-cm, argocd-rbac-cm
  'kube-prometheus-stack': ['grafana', 'kube-state-metrics', 'prometheus-node-exporter'], // subcharts
  crossplane: ['securityContextCrossplane', 'securityContextRBACManager'], // rendered as container securityContext
  istiod: ['meshConfig'], // Istio's MeshConfig API, passed through to the mesh configuration
  loki: ['loki.storage.bucketNames', 'loki.limits_config'], // commented-out keys in the defaults; schema: additionalProperties:true (README lists both paths)
  vault: ['server.readinessProbe.path'], // a commented-out key in the defaults ("# path: /v1/sys/health?standbyok=true"), read by templates/server-statefulset.yaml
};

/** The chart's defaults; Istio charts nest theirs under `_internal_defaults_do_not_set`. */
const effectiveDefaults = (defaults) => defaults?._internal_defaults_do_not_set ?? defaults ?? {};

/** Key paths set in `values` that the chart's defaults do not have. */
function unknownPaths(values, defaults, freeForm, prefix = '') {
  const unknown = [];
  for (const [key, value] of Object.entries(values)) {
    const here = prefix ? `${prefix}.${key}` : key;
    if (freeForm.includes(here)) continue;
    if (!(key in defaults)) unknown.push(here);
    else if (isMap(value) && isMap(defaults[key]) && Object.keys(defaults[key]).length > 0) unknown.push(...unknownPaths(value, defaults[key], freeForm, here));
  }
  return unknown;
}

let releases = 0;
for (const stack of fs.readdirSync(path.join(outdir, 'stacks')).sort()) {
  const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
  for (const [id, release] of Object.entries(json.resource?.helm_release ?? {})) {
    if (release.chart.startsWith('./')) continue; // idpkit's own manifests chart
    releases += 1;
    const where = `${stack}: helm_release.${id} (${release.chart} ${release.version})`;
    const known = Object.values(CHARTS).some((c) => c.repository === release.repository && c.chart === release.chart && c.version === release.version);
    if (!known) problems.push(`${where}: chart is not a row of CHARTS`);
    const values = Object.assign({}, ...(release.values ?? []).map((text) => parse(text) ?? {}));
    const schemaFile = path.join(reference, 'helm-schemas', `${release.chart}-${release.version}.values.schema.json`);
    const defaultsFile = path.join(reference, 'helm-values', `${release.chart}-${release.version}.values.yaml`);
    if (fs.existsSync(schemaFile)) {
      const validate = schemaValidator(schemaFile);
      if (!validate(values)) {
        for (const error of validate.errors) problems.push(`${where}: values${error.instancePath.replace(/\//g, '.')} ${error.message} ${error.params ? JSON.stringify(error.params) : ''}`);
      }
    }
    if (fs.existsSync(defaultsFile)) {
      const defaults = effectiveDefaults(parse(fs.readFileSync(defaultsFile, 'utf8')));
      for (const unknown of unknownPaths(values, defaults, FREE_FORM_PATHS[release.chart] ?? [])) {
        problems.push(`${where}: value path ${unknown} does not exist in the chart's default values`);
      }
    } else if (!fs.existsSync(schemaFile)) {
      notes.push(`${where}: no verified schema or default values for this version; values not checked`);
    }
  }
}

for (const note of notes) console.log(`note: ${note}`);
if (problems.length > 0) {
  console.error(`${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`charts ok: ${Object.keys(CHARTS).length} chart rows are verified releases; ${releases} helm releases have valid values`);
