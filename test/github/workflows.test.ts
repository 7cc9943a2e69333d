/**
 * The GitHub Actions workflows (.github/workflows) read as a specification: triggers, least
 * privilege, pinned actions and Terraform, plan jobs without and deploy jobs with a GitHub
 * environment, only scripts that exist, and the stack discovery they rely on (scripts/ci-stacks.mjs).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { defaultEnvironments } from '../../environments';
import { synthesizedSet } from '../support/synthesized-sets';
import { POLICY_REPORT_FILE } from '../../stacks/policy';

const root = join(__dirname, '..', '..');
const workflowDir = join(root, '.github', 'workflows');
const WORKFLOWS = ['ci.yml', 'plan.yml', 'deploy.yml', 'drift.yml'];
const CLOUD_LOGIN_ACTIONS = ['aws-actions/configure-aws-credentials', 'azure/login', 'google-github-actions/auth'];
const MIN_TERRAFORM = [1, 10];
const packageScripts: Record<string, string> = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;

const source = (file: string): string => readFileSync(join(workflowDir, file), 'utf8');
/** A value and everything in it made read-only, so no test can change what the next one reads. */
const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
};
const parsedWorkflows = new Map<string, any>();
/** A workflow file parsed (once per test file: the files do not change while tests run). */
const workflow = (file: string): any => {
  if (!parsedWorkflows.has(file)) parsedWorkflows.set(file, deepFreeze(parse(source(file))));
  return parsedWorkflows.get(file);
};
const jobsOf = (file: string): [string, any][] => Object.entries(workflow(file).jobs);
const allJobs = (): [string, string, any][] => WORKFLOWS.flatMap((file) => jobsOf(file).map(([id, job]) => [file, id, job] as [string, string, any]));
const actionOf = (step: any): string | undefined => (typeof step.uses === 'string' ? step.uses.split('@')[0] : undefined);
const logsIntoCloud = (job: any): boolean => (job.steps ?? []).some((step: any) => CLOUD_LOGIN_ACTIONS.includes(actionOf(step) ?? ''));
const runs = (job: any): string[] => (job.steps ?? []).map((step: any) => step.run).filter((run: unknown): run is string => typeof run === 'string');
/** The workflow's `on:` (YAML 1.2 keeps `on` a string key). */
const triggers = (file: string): Record<string, any> => {
  const on = workflow(file).on;
  return typeof on === 'string' ? { [on]: null } : Array.isArray(on) ? Object.fromEntries(on.map((t: string) => [t, null])) : on;
};

describe('the workflow files', () => {
  it('are the four workflows (and release.yml, test/github/release.test.ts), and each parses to jobs with steps', () => {
    expect(readdirSync(workflowDir).sort()).toEqual([...WORKFLOWS, 'release.yml'].sort());
    for (const file of WORKFLOWS) {
      const parsed = workflow(file);
      expect(typeof parsed.name).toBe('string');
      for (const [id, job] of Object.entries<any>(parsed.jobs)) {
        expect({ id, runsOn: job['runs-on'] }).toEqual({ id, runsOn: 'ubuntu-latest' });
        expect(Array.isArray(job.steps) && job.steps.length > 0).toBe(true);
        expect(typeof job['timeout-minutes']).toBe('number');
      }
    }
  });

  it('run on the events the issue asks for', () => {
    expect(Object.keys(triggers('ci.yml')).sort()).toEqual(['pull_request', 'push']);
    expect(triggers('ci.yml').push.branches).toEqual(['main']);
    expect(Object.keys(triggers('plan.yml'))).toEqual(['pull_request']);
    expect(Object.keys(triggers('deploy.yml')).sort()).toEqual(['push', 'workflow_dispatch']);
    expect(triggers('deploy.yml').push.branches).toEqual(['main']);
    expect(Object.keys(triggers('drift.yml')).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(triggers('drift.yml').schedule[0].cron).toMatch(/^(\S+ ){4}\S+$/);
  });

  it('call only npm scripts and repository scripts that exist', () => {
    const npmRuns = new Set<string>();
    const files = new Set<string>();
    for (const [, , job] of allJobs()) {
      for (const run of runs(job)) {
        for (const m of run.matchAll(/npm run(?:\s+(?:-s|--silent))?\s+([\w:.-]+)/g)) npmRuns.add(m[1]);
        if (/\bnpm test\b/.test(run)) npmRuns.add('test');
        for (const m of run.matchAll(/(?:bash|node)(?:\s+--require)?\s+(\.\/)?(scripts\/[\w./-]+)/g)) files.add(m[2]);
        for (const m of run.matchAll(/--require\s+\.\/(scripts\/[\w./-]+)/g)) files.add(m[1]);
      }
    }
    expect([...npmRuns].sort()).toEqual(['idpkit', 'lint', 'synth', 'test', 'test:pack', 'typecheck']);
    for (const script of npmRuns) expect({ script, exists: script in packageScripts }).toEqual({ script, exists: true });
    expect([...files].sort()).toEqual(['scripts/ci-stacks.mjs', 'scripts/register-ts.js', 'scripts/terraform-validate.sh']);
    for (const file of files) expect({ file, exists: existsSync(join(root, file)) }).toEqual({ file, exists: true });
  });

  it('call idpkit plan-summary and idpkit diff through the checkout (npm run -s idpkit --)', () => {
    const all = WORKFLOWS.map(source).join('\n');
    expect(all).toContain('npm run -s idpkit -- diff .idpkit-base/cdktf.out cdktf.out');
    expect(source('plan.yml')).toContain('npm run -s idpkit -- cost cdktf.out --format markdown');
    for (const file of ['plan.yml', 'deploy.yml', 'drift.yml']) expect(source(file)).toContain('npm run -s idpkit -- plan-summary');
    expect(all).not.toMatch(/npx idpkit/);
  });

  it('hard-code no stack: plan, deploy and drift discover them from the synthesized output', () => {
    for (const file of ['plan.yml', 'deploy.yml', 'drift.yml']) {
      expect(source(file)).toContain('node scripts/ci-stacks.mjs list cdktf.out');
      expect(source(file)).not.toMatch(/\b(dev|staging|prod)-(infra|platform)\b|bootstrap-idpkit/);
    }
  });
});

describe('the scripts inside the workflows', () => {
  const expressions = /\$\{\{[\s\S]*?\}\}/g;

  it('are valid bash (every run: block, expressions replaced by a word)', () => {
    for (const [file, id, job] of allJobs()) {
      for (const run of runs(job)) {
        const checked = spawnSync('bash', ['-n'], { input: run.replace(expressions, 'x'), encoding: 'utf8' });
        expect({ file, id, run: run.slice(0, 60), stderr: checked.stderr }).toEqual({ file, id, run: run.slice(0, 60), stderr: '' });
      }
    }
  });

  it('are valid JavaScript (every actions/github-script body)', () => {
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor;
    const scripts = allJobs().flatMap(([, , job]) => job.steps.filter((s: any) => actionOf(s) === 'actions/github-script').map((s: any) => s.with.script));
    expect(scripts.length).toBe(3);
    for (const script of scripts) expect(() => new AsyncFunction('github', 'context', 'core', 'require', script)).not.toThrow();
  });
});

describe('the github-script steps, run against a fake API', () => {
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor;
  const scriptOf = (file: string, job: string): any => workflow(file).jobs[job].steps.find((s: any) => actionOf(s) === 'actions/github-script');
  const context = { repo: { owner: 'acme', repo: 'platform' }, issue: { number: 7 }, serverUrl: 'https://github.com', runId: 42, sha: 'abcdef1234567' };

  function fakeGithub(comments: any[], issues: any[] = [], labelExists = true) {
    const calls: [string, any][] = [];
    const record = (name: string, result: any = {}) => async (args: any) => {
      calls.push([name, args]);
      if (name === 'getLabel' && !labelExists) throw Object.assign(new Error('Not Found'), { status: 404 });
      return { data: result };
    };
    const rest = {
      issues: {
        listComments: 'listComments', listForRepo: 'listForRepo',
        updateComment: record('updateComment'), createComment: record('createComment'),
        create: record('create', { number: 99 }), update: record('update'),
        getLabel: record('getLabel'), createLabel: record('createLabel'),
      },
    };
    const paginate = async (method: string) => (method === 'listComments' ? comments : issues);
    return { github: { rest, paginate }, calls };
  }
  const core = { info: () => undefined, summary: { addRaw: () => ({ write: async () => undefined }) } };

  async function runScript(step: any, github: any, env: Record<string, string>, cwd = process.cwd()) {
    const saved = { ...process.env };
    const savedCwd = process.cwd();
    Object.assign(process.env, env);
    process.chdir(cwd);
    try {
      await new AsyncFunction('github', 'context', 'core', 'require', step.with.script)(github, context, core, require);
    } finally {
      process.chdir(savedCwd);
      process.env = saved;
    }
  }

  it('the stack comment is updated in place when the marker is found, created otherwise', async () => {
    const step = scriptOf('plan.yml', 'plan');
    const dir = mkdtempSync(join(tmpdir(), 'idpkit-comment-'));
    writeFileSync(join(dir, 'comment.md'), '<!-- idpkit-plan:dev-infra -->\nplan');
    const env = { MARKER: '<!-- idpkit-plan:dev-infra -->', BODY_FILE: join(dir, 'comment.md') };
    const existing = fakeGithub([
      { id: 1, user: { type: 'User' }, body: '<!-- idpkit-plan:dev-infra --> quoted by a person' },
      { id: 2, user: { type: 'Bot' }, body: '<!-- idpkit-plan:dev-platform -->\nother stack' },
      { id: 3, user: { type: 'Bot' }, body: '<!-- idpkit-plan:dev-infra -->\nold plan' },
    ]);
    await runScript(step, existing.github, env);
    expect(existing.calls).toEqual([['updateComment', { owner: 'acme', repo: 'platform', issue_number: 7, comment_id: 3, body: '<!-- idpkit-plan:dev-infra -->\nplan' }]]);
    const fresh = fakeGithub([{ id: 2, user: { type: 'Bot' }, body: '<!-- idpkit-plan:dev-platform -->' }]);
    await runScript(step, fresh.github, env);
    expect(fresh.calls.map(([name]) => name)).toEqual(['createComment']);
  });

  it('the drift report opens, updates and closes issues by stack', async () => {
    const step = scriptOf('drift.yml', 'report');
    const cwd = mkdtempSync(join(tmpdir(), 'idpkit-drift-'));
    const result = (stack: string, status: string, summary?: string) => {
      mkdirSync(join(cwd, 'results', `drift-result-${stack}`), { recursive: true });
      writeFileSync(join(cwd, 'results', `drift-result-${stack}`, 'result.json'), JSON.stringify({ stack, environment: 'dev', cloud: 'aws', status }));
      if (summary) writeFileSync(join(cwd, 'results', `drift-result-${stack}`, 'summary.md'), summary);
    };
    result('dev-infra', 'drift', '1 to change');
    result('dev-platform', 'drift', '2 to change');
    result('prod-infra', 'in-sync');
    result('prod-platform', 'not-deployed');
    const { github, calls } = fakeGithub([], [
      { number: 5, title: 'Drift: dev-platform' },
      { number: 6, title: 'Drift: prod-infra' },
    ], false);
    await runScript(step, github, { LABEL: 'drift' }, cwd);
    const byName = (name: string) => calls.filter(([n]) => n === name).map(([, args]) => args);
    expect(byName('createLabel')).toEqual([expect.objectContaining({ name: 'drift' })]);
    expect(byName('create')).toEqual([expect.objectContaining({ title: 'Drift: dev-infra', labels: ['drift'], body: expect.stringContaining('1 to change') })]);
    expect(byName('update')).toEqual([
      expect.objectContaining({ issue_number: 5, body: expect.stringContaining('2 to change') }),
      expect.objectContaining({ issue_number: 6, state: 'closed' }),
    ]);
    expect(byName('createComment')).toEqual([expect.objectContaining({ issue_number: 6 })]);
  });
});

describe('permissions', () => {
  it('are minimal at workflow level: none, or contents: read for ci', () => {
    expect(workflow('ci.yml').permissions).toEqual({ contents: 'read' });
    for (const file of ['plan.yml', 'deploy.yml', 'drift.yml']) expect(workflow(file).permissions).toEqual({});
  });

  it('are declared on every job', () => {
    for (const [file, id, job] of allJobs()) expect({ file, id, declared: typeof job.permissions === 'object' }).toEqual({ file, id, declared: true });
  });

  it('grant id-token: write to exactly the jobs that log into a cloud', () => {
    const withToken = allJobs().filter(([, , job]) => job.permissions['id-token'] === 'write').map(([file, id]) => `${file}:${id}`);
    const loggingIn = allJobs().filter(([, , job]) => logsIntoCloud(job)).map(([file, id]) => `${file}:${id}`);
    expect(withToken).toEqual(loggingIn);
    expect(loggingIn.sort()).toEqual(['deploy.yml:dev', 'deploy.yml:prod', 'deploy.yml:staging', 'drift.yml:drift', 'plan.yml:plan']);
  });

  it('grant pull-requests: write only to jobs that comment, and issues: write only to the drift report', () => {
    const prWriters = allJobs().filter(([, , job]) => job.permissions['pull-requests'] === 'write');
    expect(prWriters.map(([file, id]) => `${file}:${id}`)).toEqual(['plan.yml:synth', 'plan.yml:plan']);
    for (const [, , job] of prWriters) {
      expect(job.steps.some((step: any) => actionOf(step) === 'actions/github-script' && /createComment/.test(step.with.script))).toBe(true);
    }
    const issueWriters = allJobs().filter(([, , job]) => job.permissions.issues === 'write');
    expect(issueWriters.map(([file, id]) => `${file}:${id}`)).toEqual(['drift.yml:report']);
  });

  it('grant security-events: write only to the job that uploads SARIF to code scanning', () => {
    const writers = allJobs().filter(([, , job]) => job.permissions['security-events'] === 'write');
    expect(writers.map(([file, id]) => `${file}:${id}`)).toEqual(['ci.yml:code-scanning']);
    for (const [, , job] of writers) expect(job.steps.some((step: any) => actionOf(step) === 'github/codeql-action/upload-sarif')).toBe(true);
  });

  it('never grant write access to contents, and read one secret only: the GitOps App key, into the token action of the catalog job', () => {
    for (const [file, id, job] of allJobs()) {
      expect({ file, id, contents: job.permissions.contents ?? 'none' }).not.toEqual({ file, id, contents: 'write' });
      expect(Object.values(job.permissions).filter((v) => v === 'write-all' || v === 'read-all')).toEqual([]);
    }
    const secretReads = WORKFLOWS.flatMap((file) => [...source(file).matchAll(/\$\{\{[^}]*\bsecrets\b[^}]*\}\}/g)].map((m) => `${file}: ${m[0]}`));
    expect(secretReads).toEqual(['deploy.yml: ${{ secrets.IDPKIT_GITOPS_APP_PRIVATE_KEY }}']);
    const token = workflow('deploy.yml').jobs.catalog.steps.find((step: any) => actionOf(step) === 'actions/create-github-app-token');
    expect(token.with['private-key']).toBe('${{ secrets.IDPKIT_GITOPS_APP_PRIVATE_KEY }}');
  });
});

describe('actions and tools', () => {
  it('pin every action to a version tag or a commit, never a branch', () => {
    const uses = allJobs().flatMap(([, , job]) => job.steps.map((step: any) => step.uses).filter(Boolean));
    expect(uses.length).toBeGreaterThan(20);
    for (const ref of uses) {
      expect(ref).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w.-]+)*@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/);
    }
  });

  it('pin Terraform to one version >= 1.10 (S3 native locking) without the output wrapper', () => {
    const setups = allJobs().flatMap(([, , job]) => job.steps.filter((step: any) => actionOf(step) === 'hashicorp/setup-terraform'));
    expect(setups.length).toBe(6); // ci, plan, deploy x3 (one alias), drift
    const versions = new Set(setups.map((step: any) => String(step.with.terraform_version)));
    expect(versions.size).toBe(1);
    const [version] = [...versions];
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    const [major, minor] = version.split('.').map(Number);
    expect(major > MIN_TERRAFORM[0] || (major === MIN_TERRAFORM[0] && minor >= MIN_TERRAFORM[1])).toBe(true);
    for (const step of setups) expect(step.with.terraform_wrapper).toBe(false);
  });

  it('set up Node 20 with the npm cache in every job that runs npm', () => {
    for (const [file, id, job] of allJobs()) {
      if (!runs(job).some((run) => /\bnpm\b/.test(run))) continue;
      const node = job.steps.find((step: any) => actionOf(step) === 'actions/setup-node');
      expect({ file, id, node: node?.with }).toEqual({ file, id, node: { 'node-version': 20, cache: 'npm' } });
    }
  });

  it('disable the checkpoint call and mark Terraform as automated in every workflow', () => {
    for (const file of WORKFLOWS) expect(workflow(file).env).toMatchObject({ CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' });
  });

  it('do not keep the checkout token on disk', () => {
    for (const [, , job] of allJobs()) {
      for (const step of job.steps.filter((s: any) => actionOf(s) === 'actions/checkout')) expect(step.with['persist-credentials']).toBe(false);
    }
  });
});

describe('ci.yml', () => {
  const steps = (): string[] => runs(workflow('ci.yml').jobs.check);

  it('installs, lints, type-checks, tests, synthesizes and validates, in that order', () => {
    const order = ['npm ci', 'npm run -s lint', 'npm run -s typecheck', 'npm test', 'npm run -s synth', 'bash scripts/terraform-validate.sh cdktf.out'];
    const positions = order.map((command) => steps().findIndex((run) => run.includes(command)));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('validates the examples and the presets too, checks the packed library, and uploads cdktf.out', () => {
    expect(steps().join('\n')).toMatch(/for set in examples presets/);
    expect(steps()).toContain('npm run -s test:pack');
    const upload = workflow('ci.yml').jobs.check.steps.find((step: any) => actionOf(step) === 'actions/upload-artifact');
    expect(upload.with).toMatchObject({ name: 'cdktf.out', path: 'cdktf.out', 'if-no-files-found': 'error' });
  });

  it('uploads the policy report synthesis wrote to code scanning, after the checks pass, skipping forks', () => {
    const job = workflow('ci.yml').jobs['code-scanning'];
    expect(job.needs).toBe('check');
    expect(job.if).toMatch(/head\.repo\.full_name == github\.repository/);
    const download = job.steps.find((step: any) => actionOf(step) === 'actions/download-artifact');
    expect(download.with).toEqual({ name: 'cdktf.out', path: 'cdktf.out' });
    const upload = job.steps.find((step: any) => actionOf(step) === 'github/codeql-action/upload-sarif');
    expect(upload.with.sarif_file).toBe(`cdktf.out/${POLICY_REPORT_FILE}`);
  });
});

describe('plan.yml', () => {
  const plan = (): any => workflow('plan.yml').jobs.plan;

  it('synthesizes the base branch beside the pull request and posts one idpkit diff comment', () => {
    const synth = workflow('plan.yml').jobs.synth;
    const base = synth.steps.find((step: any) => step.with?.path === '.idpkit-base');
    expect(base.with.ref).toBe('${{ github.event.pull_request.base.sha }}');
    const comment = synth.steps.find((step: any) => actionOf(step) === 'actions/github-script');
    expect(comment.env.MARKER).toBe('<!-- idpkit-diff -->');
    expect(comment.with.script).toMatch(/updateComment[\s\S]*createComment/);
    expect(synth.outputs.stacks).toBe('${{ steps.discover.outputs.stacks }}');
  });

  describe('the diff comment carries the estimated monthly cost (the step run with the real idpkit)', () => {
    const diffStep = (): any => workflow('plan.yml').jobs.synth.steps.find((step: any) => typeof step.run === 'string' && step.run.includes('idpkit -- diff'));

    /** A cdktf.out of one AWS stack in eu-west-1 with this many KMS keys ($1 a month each). */
    function out(dir: string, keys: number): void {
      const json = { provider: { aws: [{ region: 'eu-west-1' }] }, resource: { aws_kms_key: Object.fromEntries(Array.from({ length: keys }, (_, i) => [`key${i}`, { enable_key_rotation: true }])) } };
      mkdirSync(join(dir, 'stacks', 'dev-infra'), { recursive: true });
      writeFileSync(join(dir, 'stacks', 'dev-infra', 'cdk.tf.json'), JSON.stringify(json));
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ stacks: { 'dev-infra': { name: 'dev-infra', synthesizedStackPath: 'stacks/dev-infra/cdk.tf.json' } } }));
    }

    /** Runs the step's script in a workspace with the pull request's and (when given) the base's output; `npm run -s idpkit --` runs this checkout's CLI. */
    function runDiffStep(baseOutcome: string, baseKeys: number | undefined, headKeys: number): { status: number | null; body: string; summary: string; stderr: string } {
      const workspace = mkdtempSync(join(tmpdir(), 'idpkit-plan-diff-'));
      const temp = mkdtempSync(join(tmpdir(), 'idpkit-plan-runner-'));
      const bin = join(temp, 'bin');
      mkdirSync(bin);
      writeFileSync(
        join(bin, 'npm'),
        `#!/bin/sh\n[ "$1 $2 $3 $4" = "run -s idpkit --" ] || { echo "unexpected: npm $*" >&2; exit 99; }\nshift 4\nexec node --require ${join(root, 'scripts', 'register-ts.js')} ${join(root, 'cli', 'main.ts')} "$@"\n`,
        { mode: 0o755 },
      );
      out(join(workspace, 'cdktf.out'), headKeys);
      if (baseKeys !== undefined) out(join(workspace, '.idpkit-base', 'cdktf.out'), baseKeys);
      const summary = join(temp, 'summary.md');
      const run = spawnSync('bash', ['-e', '-c', diffStep().run], {
        cwd: workspace,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, RUNNER_TEMP: temp, GITHUB_STEP_SUMMARY: summary, BASE_OUTCOME: baseOutcome },
      });
      const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');
      return { status: run.status, body: read(join(temp, 'diff.md')), summary: read(summary), stderr: run.stderr };
    }

    it('with the base synthesized: each stack before and after and the delta, from idpkit diff', () => {
      const { status, body, summary, stderr } = runDiffStep('success', 2, 3);
      expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
      expect(body.startsWith('<!-- idpkit-diff -->\n')).toBe(true);
      expect(body).toContain('### Estimated monthly cost');
      expect(body).toContain('| `dev-infra` | $2.00 | $3.00 | +$1.00 | 0 |');
      expect(body).toContain('| **total** | **$2.00** | **$3.00** | **+$1.00** | 0 |');
      expect(summary).toBe(body);
    });

    it('without a base: the pull request\'s estimate per environment and stack, from idpkit cost', () => {
      const { status, body, stderr } = runDiffStep('failure', undefined, 3);
      expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
      expect(body).toContain("The base branch could not be synthesized, so there is nothing to compare with (see the job log). This pull request's estimate:");
      expect(body).toContain('## Estimated monthly cost');
      expect(body).toContain('| dev | $3.00 | $0.00 | 0 |');
      expect(body).not.toContain('idpkit cost failed');
    });
  });

  it('plans one job per discovered stack, without fail-fast and without a GitHub environment', () => {
    expect(plan().strategy).toEqual({ 'fail-fast': false, matrix: { include: '${{ fromJSON(needs.synth.outputs.stacks) }}' } });
    expect(plan().environment).toBeUndefined();
    expect(plan().if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
  });

  it("logs into the stack's cloud with the environment's plan identity", () => {
    const step = (action: string): any => plan().steps.find((s: any) => actionOf(s) === action);
    expect(step('aws-actions/configure-aws-credentials').with['role-to-assume']).toBe("${{ vars[format('IDPKIT_{0}_AWS_PLAN_ROLE_ARN', matrix.key)] }}");
    expect(step('aws-actions/configure-aws-credentials').with['aws-region']).toBe('${{ matrix.region }}');
    expect(step('azure/login').with).toEqual({
      'client-id': "${{ vars[format('IDPKIT_{0}_AZURE_PLAN_CLIENT_ID', matrix.key)] }}",
      'tenant-id': "${{ vars[format('IDPKIT_{0}_AZURE_TENANT_ID', matrix.key)] }}",
      'subscription-id': "${{ vars[format('IDPKIT_{0}_AZURE_SUBSCRIPTION_ID', matrix.key)] }}",
    });
    expect(step('google-github-actions/auth').with).toEqual({
      workload_identity_provider: "${{ vars[format('IDPKIT_{0}_GCP_WORKLOAD_IDENTITY_PROVIDER', matrix.key)] }}",
      service_account: "${{ vars[format('IDPKIT_{0}_GCP_PLAN_SERVICE_ACCOUNT', matrix.key)] }}",
    });
    for (const [action, cloud] of [['aws-actions/configure-aws-credentials', 'aws'], ['azure/login', 'azure'], ['google-github-actions/auth', 'gcp']]) {
      expect(step(action).if).toBe(`steps.vars.outputs.configured == 'true' && matrix.cloud == '${cloud}'`);
    }
    expect(source('plan.yml')).not.toMatch(/APPLY/);
  });

  it('runs init and plan -out in the stack directory, then plan-summary on terraform show -json', () => {
    const planStep = plan().steps.find((s: any) => s.id === 'plan');
    expect(planStep['working-directory']).toBe('cdktf.out/stacks/${{ matrix.stack }}');
    expect(planStep.run).toMatch(/terraform init -input=false/);
    expect(planStep.run).toMatch(/terraform plan .*-detailed-exitcode -out=plan\.tfplan/);
    const summary = plan().steps.find((s: any) => s.id === 'summary');
    expect(summary.run).toMatch(/terraform -chdir="cdktf\.out\/stacks\/\$STACK" show -json plan\.tfplan > "\$json"/);
    expect(summary.run).toMatch(/npm run -s idpkit -- plan-summary "\$json"/);
    expect(summary.run).toMatch(/rm -f "\$json"/);
  });

  it('reports a stack whose upstream is not deployed as waiting, not as a failure', () => {
    const planStep = plan().steps.find((s: any) => s.id === 'plan');
    expect(planStep.run).toContain('Unable to find remote state|No stored state was found');
    expect(planStep.run).toContain('status=waiting');
    const fail = plan().steps.find((s: any) => /^Fail/.test(s.name ?? ''));
    expect(fail.if).toContain("steps.comment.outputs.status == 'failed'");
    expect(source('plan.yml')).toContain('waiting for ${UPSTREAM:-an upstream stack}');
  });

  it('keeps one comment per stack, found by a hidden marker and updated in place', () => {
    const post = plan().steps.find((s: any) => actionOf(s) === 'actions/github-script');
    expect(post.env.MARKER).toBe('<!-- idpkit-plan:${{ matrix.stack }} -->');
    expect(post.with.script).toMatch(/paginate\(github\.rest\.issues\.listComments[\s\S]*updateComment[\s\S]*createComment/);
    expect(plan().steps.find((s: any) => s.id === 'comment').run).toContain('echo "<!-- idpkit-plan:$STACK -->"');
  });

  it('adds a combined summary of every stack', () => {
    const summary = workflow('plan.yml').jobs.summary;
    expect(summary.needs).toEqual(['synth', 'plan']);
    expect(summary.permissions).toEqual({});
    expect(runs(summary).join('\n')).toMatch(/GITHUB_STEP_SUMMARY/);
  });
});

describe('deploy.yml', () => {
  const deployJobs = (): [string, any][] => jobsOf('deploy.yml').filter(([, job]) => logsIntoCloud(job));
  const environmentNames = defaultEnvironments.map((env) => env.name);

  it('applies dev, then staging, then prod, each after the previous one', () => {
    expect(deployJobs().map(([id]) => id)).toEqual(['dev', 'staging', 'prod']);
    expect(environmentNames).toEqual(['dev', 'staging', 'prod']);
    const jobs = workflow('deploy.yml').jobs;
    expect(jobs.dev.needs).toBe('synth');
    expect(jobs.staging.needs).toEqual(['synth', 'dev']);
    expect(jobs.prod.needs).toEqual(['synth', 'staging']);
    for (const [id, job] of deployJobs()) {
      expect(job.if).toBe(`\${{ !cancelled() && !failure() && contains(fromJSON(needs.synth.outputs.environments), '${id}') }}`);
    }
  });

  it('runs each job in its GitHub environment, in a concurrency group that never cancels an apply', () => {
    for (const [id, job] of deployJobs()) {
      expect(job.environment).toBe(id);
      expect(job.env.IDPKIT_ENVIRONMENT).toBe(id);
      expect(job.concurrency).toEqual({ group: `deploy-${id}`, 'cancel-in-progress': false });
    }
  });

  it('logs in with the apply identity and shows the fresh plan in the job summary before applying it', () => {
    for (const [, job] of deployJobs()) {
      const aws = job.steps.find((s: any) => actionOf(s) === 'aws-actions/configure-aws-credentials');
      expect(aws.with['role-to-assume']).toBe("${{ vars[format('IDPKIT_{0}_AWS_APPLY_ROLE_ARN', steps.target.outputs.key)] }}");
      const google = job.steps.find((s: any) => actionOf(s) === 'google-github-actions/auth');
      expect(google.with.service_account).toBe("${{ vars[format('IDPKIT_{0}_GCP_APPLY_SERVICE_ACCOUNT', steps.target.outputs.key)] }}");
      const apply = runs(job).find((run) => run.includes('terraform -chdir="$dir" apply'))!;
      const order = ['init', 'plan -input=false', 'show -json plan.tfplan', 'plan-summary', 'cat "$RUNNER_TEMP/summary.md"', 'apply -input=false -no-color -lock-timeout=10m plan.tfplan'];
      const positions = order.map((text) => apply.indexOf(text));
      expect(positions.every((p) => p >= 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      expect(apply).toMatch(/for stack in \$STACKS/);
    }
    expect(source('deploy.yml')).not.toMatch(/PLAN_ROLE|PLAN_CLIENT|PLAN_SERVICE/);
  });

  it('applies the stacks of an environment in dependency order, as discovered', () => {
    const target = workflow('deploy.yml').jobs.dev.steps.find((s: any) => s.id === 'target');
    expect(target.run).toContain(`map(select(.environment == $env))`);
    expect(target.run).toContain('map(.stack) | join(" ")');
  });
});

describe('deploy.yml: the catalog publish job', () => {
  const job = (): any => workflow('deploy.yml').jobs.catalog;
  const step = (name: RegExp): any => job().steps.find((s: any) => name.test(s.name ?? ''));

  it('runs on main after every environment is applied, only when IDPKIT_GITOPS_REPOSITORY names the GitOps repository', () => {
    expect(job().needs).toEqual(['synth', 'dev', 'staging', 'prod']);
    expect(job().if).toBe("${{ !cancelled() && !failure() && vars.IDPKIT_GITOPS_REPOSITORY != '' && github.ref == 'refs/heads/main' }}");
    expect(job().concurrency).toEqual({ group: 'publish-catalog', 'cancel-in-progress': false });
  });

  it("reads this repository's artifact only, and writes the GitOps repository with an App token scoped to it and its contents", () => {
    expect(job().permissions).toEqual({ contents: 'read' });
    expect(job().environment).toBe('gitops');
    expect(logsIntoCloud(job())).toBe(false);
    expect(job().steps.map((s: any) => actionOf(s)).filter(Boolean)).toEqual(['actions/download-artifact', 'actions/create-github-app-token']);
    expect(job().steps[0].with).toEqual({ name: 'deploy-cdktf-out', path: 'cdktf.out' });
    const token = job().steps.find((s: any) => actionOf(s) === 'actions/create-github-app-token');
    expect(token.with).toEqual({
      'app-id': '${{ vars.IDPKIT_GITOPS_APP_ID }}',
      'private-key': '${{ secrets.IDPKIT_GITOPS_APP_PRIVATE_KEY }}',
      owner: '${{ steps.gitops.outputs.owner }}',
      repositories: '${{ steps.gitops.outputs.repo }}',
      'permission-contents': 'write',
    });
    // The token reaches the script through the environment only, never an expression inside it.
    const publish = step(/^Copy the catalog/);
    expect(publish.env.GITOPS_TOKEN).toBe('${{ steps.app.outputs.token }}');
    for (const s of job().steps) expect(s.run ?? '').not.toContain('${{');
  });

  /** Runs a step's script in `cwd` with the environment a runner gives it; returns its exit code, output and summary. */
  function runStep(run: string, cwd: string, env: Record<string, string>) {
    const summary = join(cwd, 'summary.md');
    const output = join(cwd, 'output.txt');
    writeFileSync(summary, '');
    writeFileSync(output, '');
    const result = spawnSync('bash', ['-e', '-c', run], {
      cwd,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: cwd, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output, RUNNER_TEMP: join(cwd, 'runner-temp'), ...env },
    });
    return { status: result.status, stderr: result.stderr, stdout: result.stdout, summary: readFileSync(summary, 'utf8'), output: readFileSync(output, 'utf8') };
  }

  it('splits the variable into owner and repository, and refuses anything else', () => {
    const run = step(/^Name the GitOps repository/).run;
    const cwd = mkdtempSync(join(tmpdir(), 'idpkit-gitops-name-'));
    expect(runStep(run, cwd, { GITOPS_REPOSITORY: 'acme/platform-gitops' }).output).toBe('owner=acme\nrepo=platform-gitops\n');
    const url = runStep(run, cwd, { GITOPS_REPOSITORY: 'https://github.com/acme/platform-gitops.git' });
    expect(url.status).toBe(1);
    expect(url.stdout).toContain('::error::variable IDPKIT_GITOPS_REPOSITORY "https://github.com/acme/platform-gitops.git" is not <owner>/<repository> (e.g. acme/platform-gitops)');
  });

  describe('the publish script, against a local GitOps repository', () => {
    const git = (cwd: string, ...args: string[]) =>
      execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } }).trim();
    const write = (root: string, files: Record<string, string>) => {
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(join(root, path, '..'), { recursive: true });
        writeFileSync(join(root, path), text);
      }
    };

    let seeded: string | undefined;
    /** A bare GitOps repository `<server>/acme/platform-gitops.git` (default branch main) holding an environment and a stale catalog: a copy of one seeded once. */
    function gitopsServer(): string {
      seeded ??= seededServer();
      const server = mkdtempSync(join(tmpdir(), 'idpkit-gitops-server-'));
      cpSync(seeded, server, { recursive: true });
      return server;
    }

    /** The repository every server starts as: made with git once, then copied. */
    function seededServer(): string {
      const server = mkdtempSync(join(tmpdir(), 'idpkit-gitops-seeded-'));
      const bare = join(server, 'acme', 'platform-gitops.git');
      mkdirSync(bare, { recursive: true });
      git(bare, 'init', '--quiet', '--bare', '--initial-branch=main');
      const seed = mkdtempSync(join(tmpdir(), 'idpkit-gitops-seed-'));
      git(seed, 'clone', '--quiet', bare, '.');
      write(seed, { 'environments/dev/root.yaml': 'kind: Application\n', 'catalog/all.yaml': 'old\n', 'catalog/environments/retired.yaml': 'old\n' });
      git(seed, 'add', '--all');
      git(seed, 'commit', '--quiet', '-m', 'seed');
      git(seed, 'push', '--quiet', 'origin', 'HEAD');
      return server;
    }

    const CATALOG = { 'catalog/all.yaml': 'kind: Location\n', 'catalog/platform.yaml': 'kind: Domain\n', 'catalog/environments/dev.yaml': 'kind: System\n' };
    const run = () => step(/^Copy the catalog/).run;
    const publish = (server: string, workspace: string) =>
      runStep(run(), workspace, {
        GITHUB_SERVER_URL: `file://${server}`,
        GITOPS_REPOSITORY: 'acme/platform-gitops',
        GITOPS_TOKEN: 'unused-by-a-local-repository',
        APP_SLUG: 'acme-catalog',
        GITHUB_REPOSITORY: 'acme/platform',
        GITHUB_SHA: 'abcdef1234567890',
        GITHUB_RUN_ID: '42',
      });
    const treeOf = (server: string) => git(join(server, 'acme', 'platform-gitops.git'), 'ls-tree', '-r', '--name-only', 'main').split('\n');

    it('replaces catalog/ with the synthesized one, keeps the rest, commits as the App and pushes to the default branch', () => {
      const server = gitopsServer();
      const workspace = mkdtempSync(join(tmpdir(), 'idpkit-deploy-'));
      write(join(workspace, 'cdktf.out'), CATALOG);
      const result = publish(server, workspace);
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
      expect(treeOf(server)).toEqual(['catalog/all.yaml', 'catalog/environments/dev.yaml', 'catalog/platform.yaml', 'environments/dev/root.yaml']);
      const bare = join(server, 'acme', 'platform-gitops.git');
      expect(git(bare, 'show', 'main:catalog/all.yaml')).toBe('kind: Location');
      expect(git(bare, 'log', '-1', '--format=%an <%ae>%n%s%n%b', 'main')).toBe(
        'acme-catalog[bot] <acme-catalog[bot]@users.noreply.github.com>\ncatalog: publish from acme/platform@abcdef1\nfile://' + server + '/acme/platform/actions/runs/42',
      );
      expect(result.summary).toBe(`Published the catalog to acme/platform-gitops (${git(bare, 'rev-parse', '--short', 'main')}): 4 files changed, 3 insertions(+), 2 deletions(-)\n`);
    });

    it('pushes nothing when the catalog is unchanged', () => {
      const server = gitopsServer();
      const first = mkdtempSync(join(tmpdir(), 'idpkit-deploy-'));
      write(join(first, 'cdktf.out'), CATALOG);
      expect(publish(server, first).status).toBe(0);
      const bare = join(server, 'acme', 'platform-gitops.git');
      const head = git(bare, 'rev-parse', 'main');
      const again = mkdtempSync(join(tmpdir(), 'idpkit-deploy-'));
      write(join(again, 'cdktf.out'), CATALOG);
      const result = publish(server, again);
      expect(result.status).toBe(0);
      expect(result.summary).toBe('The catalog in acme/platform-gitops is up to date.\n');
      expect(git(bare, 'rev-parse', 'main')).toBe(head);
    });

    it('tries a rejected push again after rebasing, three times at most', () => {
      const rejecting = (times: number) => {
        const server = gitopsServer();
        const hook = join(server, 'acme', 'platform-gitops.git', 'hooks', 'pre-receive');
        const count = join(server, 'rejections');
        writeFileSync(hook, `#!/bin/sh\nn=$(cat '${count}' 2>/dev/null || echo 0)\nif [ "$n" -lt ${times} ]; then echo $((n + 1)) > '${count}'; echo 'rejected by the test' >&2; exit 1; fi\n`, { mode: 0o755 });
        const workspace = mkdtempSync(join(tmpdir(), 'idpkit-deploy-'));
        write(join(workspace, 'cdktf.out'), CATALOG);
        return { server, result: publish(server, workspace) };
      };
      const once = rejecting(1);
      expect(once.result.status).toBe(0);
      expect(once.result.stdout).toContain('::warning::push 1 to acme/platform-gitops was rejected; rebasing on its branch');
      expect(treeOf(once.server)).toContain('catalog/platform.yaml');
      const always = rejecting(99);
      expect(always.result.status).toBe(1);
      expect(always.result.stdout).toContain('::error::could not push the catalog to acme/platform-gitops');
      expect(treeOf(always.server)).toContain('catalog/environments/retired.yaml');
    });

    it('fails, changing nothing, when synthesis wrote no catalog', () => {
      const server = gitopsServer();
      const workspace = mkdtempSync(join(tmpdir(), 'idpkit-deploy-'));
      mkdirSync(join(workspace, 'cdktf.out'));
      const result = publish(server, workspace);
      expect(result.status).toBe(1);
      expect(result.stdout).toContain('::error::cdktf.out/catalog/all.yaml is missing');
      expect(treeOf(server)).toContain('catalog/environments/retired.yaml');
    });
  });
});

describe('drift.yml', () => {
  it('plans every deployed stack with -detailed-exitcode and the plan identity, without an environment', () => {
    const drift = workflow('drift.yml').jobs.drift;
    expect(drift.environment).toBeUndefined();
    expect(drift.strategy['fail-fast']).toBe(false);
    const plan = drift.steps.find((s: any) => s.id === 'plan');
    expect(plan.run).toMatch(/terraform state list/);
    expect(plan.run).toMatch(/terraform plan .*-detailed-exitcode/);
    expect(plan.run).toMatch(/2\) echo "status=drift"/);
    const aws = drift.steps.find((s: any) => actionOf(s) === 'aws-actions/configure-aws-credentials');
    expect(aws.with['role-to-assume']).toContain('AWS_PLAN_ROLE_ARN');
  });

  it('opens or updates one issue per drifting stack, labelled drift, and closes it once in sync', () => {
    const report = workflow('drift.yml').jobs.report;
    expect(report.needs).toEqual(['synth', 'drift']);
    const script = report.steps.find((s: any) => actionOf(s) === 'actions/github-script');
    expect(script.env.LABEL).toBe('drift');
    expect(script.with.script).toContain('const title = `Drift: ${result.stack}`');
    expect(script.with.script).toMatch(/issues\.create\(\{ \.\.\.repo, title, body, labels: \[label\] \}\)/);
    expect(script.with.script).toMatch(/issues\.update\(\{ \.\.\.repo, issue_number: existing\.number, body \}\)/);
    expect(script.with.script).toMatch(/state: 'closed'/);
  });
});

describe('variables and docs', () => {
  const referenced = (): string[] => {
    const names = new Set<string>();
    for (const file of WORKFLOWS) for (const m of source(file).matchAll(/vars\[format\('IDPKIT_\{0\}_([A-Z_]+)'/g)) names.add(m[1]);
    return [...names].sort();
  };

  it('every variable a workflow reads is one that the variable check knows and docs/ci.md documents', () => {
    expect(referenced()).toEqual([
      'AWS_APPLY_ROLE_ARN', 'AWS_PLAN_ROLE_ARN', 'AZURE_APPLY_CLIENT_ID', 'AZURE_PLAN_CLIENT_ID', 'AZURE_SUBSCRIPTION_ID',
      'AZURE_TENANT_ID', 'GCP_APPLY_SERVICE_ACCOUNT', 'GCP_PLAN_SERVICE_ACCOUNT', 'GCP_WORKLOAD_IDENTITY_PROVIDER',
    ]);
    const script = readFileSync(join(root, 'scripts', 'ci-stacks.mjs'), 'utf8');
    const docs = readFileSync(join(root, 'docs', 'ci.md'), 'utf8');
    for (const suffix of referenced()) {
      expect(script).toContain(`suffix: '${suffix}'`);
      expect(docs).toContain(`IDPKIT_<ENV>_${suffix}`);
    }
    expect(docs).toContain('## Workflows');
    expect(docs).toContain('## Repository and environment variables');
  });

  it('the catalog publish job reads the variables and the secret docs/ci.md documents', () => {
    const deploy = source('deploy.yml');
    const docs = readFileSync(join(root, 'docs', 'ci.md'), 'utf8');
    const names = [...new Set([...deploy.matchAll(/\b(?:vars|secrets)\.(IDPKIT_GITOPS_[A-Z_]+)/g)].map((m) => m[1]))].sort();
    expect(names).toEqual(['IDPKIT_GITOPS_APP_ID', 'IDPKIT_GITOPS_APP_PRIVATE_KEY', 'IDPKIT_GITOPS_REPOSITORY']);
    for (const name of names) expect(docs).toContain(`\`${name}\``);
    expect(docs).toContain('### The catalog publish job');
  });
});

describe('scripts/ci-stacks.mjs', () => {
  const script = join(root, 'scripts', 'ci-stacks.mjs');
  const list = (outdir: string): any[] => JSON.parse(execFileSync('node', [script, 'list', outdir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));

  /** A cdktf.out with the given stacks: name -> [dependencies, Terraform JSON]. */
  function fixture(stacks: Record<string, [string[], object]>): string {
    const outdir = mkdtempSync(join(tmpdir(), 'idpkit-ci-stacks-'));
    const manifest: Record<string, object> = {};
    for (const [name, [dependencies, json]] of Object.entries(stacks)) {
      mkdirSync(join(outdir, 'stacks', name), { recursive: true });
      writeFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(json));
      manifest[name] = { name, dependencies, synthesizedStackPath: `stacks/${name}/cdk.tf.json`, workingDirectory: `stacks/${name}` };
    }
    writeFileSync(join(outdir, 'manifest.json'), JSON.stringify({ stacks: manifest }));
    return outdir;
  }
  const s3 = { terraform: { backend: { s3: { region: 'eu-central-1' } } } };
  const aws = { ...s3, provider: { aws: [{ region: 'eu-west-1' }] } };

  it('lists the stacks of the default environments in apply order, without the bootstrap stacks', () => {
    const outdir = synthesizedSet('default');
    const stacks = list(outdir);
    expect(stacks.map((s) => s.stack)).toEqual(['dev-infra', 'dev-platform', 'staging-infra', 'staging-platform', 'prod-infra', 'prod-platform']);
    expect(stacks[1]).toEqual({ stack: 'dev-platform', environment: 'dev', key: 'DEV', cloud: 'aws', region: 'eu-west-1', upstream: ['dev-infra'] });
    for (const stack of stacks) expect(existsSync(join(outdir, 'stacks', stack.stack, 'cdk.tf.json'))).toBe(true);
  });

  it('takes the cloud from the providers, else the backend, else the upstream stack; the environment from the name', () => {
    const outdir = fixture({
      'zeta-apps': [['zeta-infra'], { terraform: { backend: { gcs: {} } }, provider: { kubernetes: [{}] } }],
      'zeta-infra': [[], { terraform: { backend: { gcs: {} } }, provider: { google: [{ project: 'p' }] } }],
      'azure-dev-platform': [['azure-dev-infra'], { provider: { helm: [{}] } }],
      'azure-dev-infra': [[], { terraform: { backend: { azurerm: {} } }, provider: { azurerm: [{}] } }],
      'prod-infra': [[], aws],
      'dev-platform': [['dev-infra'], s3],
      'dev-infra': [[], aws],
      'bootstrap-state': [[], { ...aws, terraform: { backend: { local: {} } } }],
      'lab-infra': [[], { ...aws, terraform: { backend: { local: {} } } }],
    });
    expect(list(outdir)).toEqual([
      { stack: 'dev-infra', environment: 'dev', key: 'DEV', cloud: 'aws', region: 'eu-west-1', upstream: [] },
      { stack: 'dev-platform', environment: 'dev', key: 'DEV', cloud: 'aws', region: 'eu-central-1', upstream: ['dev-infra'] },
      { stack: 'prod-infra', environment: 'prod', key: 'PROD', cloud: 'aws', region: 'eu-west-1', upstream: [] },
      { stack: 'azure-dev-infra', environment: 'azure-dev', key: 'AZURE_DEV', cloud: 'azure', region: '', upstream: [] },
      { stack: 'azure-dev-platform', environment: 'azure-dev', key: 'AZURE_DEV', cloud: 'azure', region: '', upstream: ['azure-dev-infra'] },
      { stack: 'zeta-infra', environment: 'zeta', key: 'ZETA', cloud: 'gcp', region: '', upstream: [] },
      { stack: 'zeta-apps', environment: 'zeta', key: 'ZETA', cloud: 'gcp', region: '', upstream: ['zeta-infra'] },
    ]);
  });

  it('fails with a clear message on a stack of no or several clouds, and on a missing manifest', () => {
    const none = spawnSync('node', [script, 'list', fixture({ 'dev-infra': [[], { provider: { random: [{}] } }] })], { encoding: 'utf8' });
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('stack "dev-infra": expected one cloud (aws, azurerm or google provider, or an s3, azurerm or gcs backend), found none');
    const two = spawnSync('node', [script, 'list', fixture({ 'dev-infra': [[], { provider: { aws: [{}], google: [{}] } }] })], { encoding: 'utf8' });
    expect(two.stderr).toContain('found aws, gcp');
    const missing = spawnSync('node', [script, 'list', join(tmpdir(), 'idpkit-no-such-dir')], { encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*manifest\.json: .* \(run `npm run synth` first\)/);
  });

  it('tells which variables of an identity are missing', () => {
    const check = (vars: object, ...args: string[]) =>
      spawnSync('node', [script, 'variables', ...args], { encoding: 'utf8', env: { ...process.env, IDPKIT_VARS: JSON.stringify(vars) } });
    const ok = check({ IDPKIT_DEV_AWS_PLAN_ROLE_ARN: 'arn:aws:iam::111111111111:role/idpkit-dev-plan' }, 'aws', 'DEV', 'plan');
    expect(ok.stdout).toBe('configured=true\nmissing=\n');
    const partial = check({ IDPKIT_PROD_GCP_WORKLOAD_IDENTITY_PROVIDER: 'projects/1/locations/global/workloadIdentityPools/idpkit-github/providers/github-actions' }, 'gcp', 'PROD', 'apply');
    expect(partial.status).toBe(0);
    expect(partial.stdout).toBe('configured=false\nmissing=IDPKIT_PROD_GCP_APPLY_SERVICE_ACCOUNT\n');
    expect(partial.stderr).toContain('variable IDPKIT_PROD_GCP_APPLY_SERVICE_ACCOUNT is not set');
    const azure = check({}, 'azure', 'AZURE_DEV', 'plan');
    expect(azure.stdout).toContain('missing=IDPKIT_AZURE_DEV_AZURE_PLAN_CLIENT_ID IDPKIT_AZURE_DEV_AZURE_TENANT_ID IDPKIT_AZURE_DEV_AZURE_SUBSCRIPTION_ID');
    const bad = check({}, 'oci', 'DEV', 'plan');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('unknown cloud "oci" or purpose "plan"');
  });
});
