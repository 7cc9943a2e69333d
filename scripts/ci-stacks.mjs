#!/usr/bin/env node
// The stacks GitHub Actions plans, applies and checks for drift, discovered from a synthesized
// cdktf.out (never a hard-coded list), and the repository variables each job reads. Used by
// .github/workflows/{plan,deploy,drift}.yml; documented in docs/ci.md.
//
//   node scripts/ci-stacks.mjs list [cdktf.out]
//     One JSON line: [{ stack, environment, key, cloud, region, upstream }], in apply order
//     (dev, staging, prod, then other environments by name; within one, a stack after the stacks it
//     reads). Skipped, with a note on stderr: bootstrap-* stacks (local state, applied by an
//     administrator) and stacks with a local backend (no shared state CI could use).
//   node scripts/ci-stacks.mjs variables <aws|azure|gcp> <KEY> <plan|apply>
//     Checks that the variables a job of that kind needs are set. Reads every variable as JSON from
//     $IDPKIT_VARS (the workflow passes `toJSON(vars)`; they hold ids, never secrets). Prints
//     `configured=true|false` and `missing=<names>` lines for $GITHUB_OUTPUT, and a warning per
//     missing name on stderr; exits 0 either way (the workflow decides).
import fs from 'node:fs';
import path from 'node:path';

/** Cloud of each Terraform provider and backend type. */
const PROVIDER_CLOUDS = { aws: 'aws', azurerm: 'azure', google: 'gcp', 'google-beta': 'gcp' };
const BACKEND_CLOUDS = { s3: 'aws', azurerm: 'azure', gcs: 'gcp' };
/** Environments applied first, in this order; any other follows by name. */
const ENVIRONMENT_ORDER = ['dev', 'staging', 'prod'];

/**
 * The variables a job reads, per cloud and identity: `IDPKIT_<KEY>_<suffix>`, where KEY is the
 * environment name in upper case with every other character than A-Z and 0-9 as `_` (`dev` ->
 * DEV, `azure-dev` -> AZURE_DEV). `output` is the bootstrap stack output that gives the value.
 */
export const VARIABLES = {
  aws: {
    plan: [{ suffix: 'AWS_PLAN_ROLE_ARN', output: 'plan_role_arn' }],
    apply: [{ suffix: 'AWS_APPLY_ROLE_ARN', output: 'apply_role_arn' }],
  },
  azure: {
    plan: [
      { suffix: 'AZURE_PLAN_CLIENT_ID', output: 'plan_client_id' },
      { suffix: 'AZURE_TENANT_ID', output: 'tenant_id' },
      { suffix: 'AZURE_SUBSCRIPTION_ID', output: 'subscription_id' },
    ],
    apply: [
      { suffix: 'AZURE_APPLY_CLIENT_ID', output: 'apply_client_id' },
      { suffix: 'AZURE_TENANT_ID', output: 'tenant_id' },
      { suffix: 'AZURE_SUBSCRIPTION_ID', output: 'subscription_id' },
    ],
  },
  gcp: {
    plan: [
      { suffix: 'GCP_WORKLOAD_IDENTITY_PROVIDER', output: 'workload_identity_provider' },
      { suffix: 'GCP_PLAN_SERVICE_ACCOUNT', output: 'plan_service_account' },
    ],
    apply: [
      { suffix: 'GCP_WORKLOAD_IDENTITY_PROVIDER', output: 'workload_identity_provider' },
      { suffix: 'GCP_APPLY_SERVICE_ACCOUNT', output: 'apply_service_account' },
    ],
  },
};

/** `dev` -> `DEV`, `azure-dev` -> `AZURE_DEV`: the environment's part of a variable name. */
export const variableKey = (environment) => environment.toUpperCase().replace(/[^A-Z0-9]/g, '_');

class UsageError extends Error {}

const readJson = (file) => {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${error.message} (run \`npm run synth\` first)`);
  }
};

/** Clouds named by a stack's providers, else by its backend. */
function cloudsOf(json) {
  const fromProviders = Object.keys(json.provider ?? {}).map((name) => PROVIDER_CLOUDS[name]).filter(Boolean);
  if (fromProviders.length > 0) return [...new Set(fromProviders)];
  return Object.keys(json.terraform?.backend ?? {}).map((name) => BACKEND_CLOUDS[name]).filter(Boolean);
}

/** The AWS region of a stack: its provider's, else its S3 backend's. */
function regionOf(json) {
  const providers = json.provider?.aws;
  const region = (Array.isArray(providers) ? providers : [providers]).find((p) => p && !p.alias)?.region;
  return region ?? json.terraform?.backend?.s3?.region ?? '';
}

const environmentRank = (environment) => {
  const index = ENVIRONMENT_ORDER.indexOf(environment);
  return index === -1 ? ENVIRONMENT_ORDER.length : index;
};

/** The deployable stacks of a synthesized directory, in apply order. */
export function listStacks(outdir, warn = (message) => process.stderr.write(`${message}\n`)) {
  const manifest = readJson(path.join(outdir, 'manifest.json'));
  const entries = Object.values(manifest.stacks ?? {});
  if (entries.length === 0) throw new UsageError(`${outdir}/manifest.json lists no stacks`);
  const stacks = new Map();
  for (const entry of entries) {
    const name = entry.name;
    if (name.startsWith('bootstrap-')) {
      warn(`${name}: skipped (bootstrap stack: local state, applied by an administrator)`);
      continue;
    }
    const json = readJson(path.join(outdir, entry.synthesizedStackPath ?? `stacks/${name}/cdk.tf.json`));
    if (json.terraform?.backend?.local) {
      warn(`${name}: skipped (local backend: CI has no shared state to plan against)`);
      continue;
    }
    const match = /^(.+)-([a-z0-9]+)$/.exec(name);
    if (!match) throw new UsageError(`stack "${name}": cannot tell its environment (expected <env>-infra, <env>-platform or bootstrap-<name>)`);
    stacks.set(name, { name, environment: match[1], clouds: cloudsOf(json), region: regionOf(json), dependencies: [...(entry.dependencies ?? [])].sort() });
  }
  // A stack with only Kubernetes/Helm providers and no backend cloud takes its upstream's cloud.
  const resolve = (stack, seen = new Set()) => {
    if (stack.clouds.length > 0 || seen.has(stack.name)) return stack;
    seen.add(stack.name);
    for (const dependency of stack.dependencies.map((d) => stacks.get(d)).filter(Boolean)) {
      const upstream = resolve(dependency, seen);
      if (upstream.clouds.length > 0) return { ...stack, clouds: upstream.clouds, region: stack.region || upstream.region };
    }
    return stack;
  };
  for (const [name, stack] of stacks) stacks.set(name, resolve(stack));

  const result = [];
  const done = new Set();
  const byOrder = (a, b) => environmentRank(a.environment) - environmentRank(b.environment) || a.environment.localeCompare(b.environment) || a.name.localeCompare(b.name);
  const pending = [...stacks.values()].sort(byOrder);
  while (pending.length > 0) {
    const index = pending.findIndex((stack) => stack.dependencies.every((d) => done.has(d) || !stacks.has(d)));
    if (index === -1) throw new UsageError(`stacks depend on each other in a cycle: ${pending.map((s) => s.name).join(', ')}`);
    const [stack] = pending.splice(index, 1);
    if (stack.clouds.length !== 1) {
      throw new UsageError(`stack "${stack.name}": expected one cloud (aws, azurerm or google provider, or an s3, azurerm or gcs backend), found ${stack.clouds.length === 0 ? 'none' : stack.clouds.join(', ')}`);
    }
    done.add(stack.name);
    result.push({
      stack: stack.name,
      environment: stack.environment,
      key: variableKey(stack.environment),
      cloud: stack.clouds[0],
      region: stack.clouds[0] === 'aws' ? stack.region : '',
      upstream: stack.dependencies.filter((d) => stacks.has(d)),
    });
  }
  return result;
}

/** The variables a job needs that are not set: `IDPKIT_<KEY>_<suffix>` names. */
export function missingVariables(cloud, key, purpose, vars) {
  const wanted = VARIABLES[cloud]?.[purpose];
  if (!wanted) throw new UsageError(`unknown cloud "${cloud}" or purpose "${purpose}" (expected aws, azure or gcp, and plan or apply)`);
  return wanted.map(({ suffix }) => `IDPKIT_${key}_${suffix}`).filter((name) => !String(vars[name] ?? '').trim());
}

function main(argv) {
  const [command, ...args] = argv;
  if (command === 'list') {
    process.stdout.write(`${JSON.stringify(listStacks(args[0] ?? 'cdktf.out'))}\n`);
  } else if (command === 'variables') {
    const [cloud, key, purpose] = args;
    if (!cloud || !key || !purpose) throw new UsageError('usage: ci-stacks.mjs variables <aws|azure|gcp> <KEY> <plan|apply>');
    let vars = {};
    try {
      vars = JSON.parse(process.env.IDPKIT_VARS || '{}');
    } catch {
      throw new UsageError('IDPKIT_VARS is not JSON (pass ${{ toJSON(vars) }})');
    }
    const missing = missingVariables(cloud, key, purpose, vars);
    for (const name of missing) process.stderr.write(`variable ${name} is not set (see docs/ci.md, "Repository and environment variables")\n`);
    process.stdout.write(`configured=${missing.length === 0}\nmissing=${missing.join(' ')}\n`);
  } else {
    throw new UsageError('usage: ci-stacks.mjs list [cdktf.out] | variables <aws|azure|gcp> <KEY> <plan|apply>');
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`ci-stacks: ${error.message}\n`);
    process.exit(1);
  }
}
