import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT_DESTRUCTIVE } from '../../cli/io';
import {
  GITHUB_COMMENT_MAX_CHARS,
  PlanSummary,
  PlanSummaryReport,
  SENSITIVE,
  UNKNOWN,
  classifyActions,
  parsePlan,
  planReport,
  planTitle,
  renderPlanMarkdown,
  summarizePlan,
} from '../../cli/plan-summary';
import { idpkit, tempDir } from './cli-helpers';

const root = join(__dirname, '../..');
const fixtures = join(root, 'test/fixtures/plans');
const fixture = (name: string): string => join('test/fixtures/plans', name);
const read = (name: string): string => readFileSync(join(fixtures, name), 'utf8');
const summary = (name: string): PlanSummary => summarizePlan(parsePlan(read(name), name), name);

/** Every fake secret in the fixtures: none may ever be printed. */
const SECRETS = /fixture-only-not-a-secret/;

/** Runs `idpkit plan-summary` from the repository root. */
const planSummary = (...args: string[]) => idpkit(['plan-summary', ...args], { cwd: root });

async function json(...files: string[]): Promise<PlanSummaryReport> {
  const { code, stdout, stderr } = await planSummary(...files, '--format', 'json');
  expect(stderr).toBe('');
  const report = JSON.parse(stdout) as PlanSummaryReport;
  expect(code).toBe(report.exitCode);
  return report;
}

/** The body rows of the Markdown table that follows `heading` (a `####` heading or a `<summary>` text). */
function tableAfter(markdown: string, heading: string): string[][] {
  const start = markdown.indexOf(heading);
  expect(start).toBeGreaterThanOrEqual(0);
  const lines = markdown.slice(start).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim()));
  }
  return rows;
}

describe('idpkit plan-summary on a realistic idpkit stack (RDS replaced, Helm release updated with sensitive values, bucket deleted)', () => {
  const file = fixture('dev-infra/plan.json');

  test('titles the plan by its stack directory and exits 3 because stateful resources are replaced or deleted', async () => {
    const { code, stdout, stderr } = await planSummary(file);
    expect({ code, stderr }).toEqual({ code: EXIT_DESTRUCTIVE, stderr: '' });
    expect(stdout).toContain('### Plan: `dev-infra`');
    expect(stdout).toContain('<!-- idpkit-plan-summary: dev-infra -->');
  });

  test('calls out the stateful replacement and deletion at the top, before the counts and the changes', async () => {
    const { stdout } = await planSummary(file);
    const caution = stdout.indexOf('> [!CAUTION]');
    expect(caution).toBeGreaterThan(0);
    expect(caution).toBeLessThan(stdout.indexOf('| create | update |'));
    const warning = stdout.slice(caution, stdout.indexOf('| create | update |'));
    expect(warning).toContain('**2 stateful resources replaced or deleted**');
    expect(warning).toContain('`aws_db_instance.database_platform_instance_8A3C1D52` (database): **replaced** (destroy, then create); forced by `kms_key_id`');
    expect(warning).toContain('`aws_s3_bucket.artifacts_bucket_3D6A2F91` (bucket): **deleted**; no longer in the configuration');
    // Not stateful: deleted with the bucket, but not called out.
    expect(warning).not.toContain('aws_s3_bucket_versioning');
  });

  test('counts by action, the no-op included', async () => {
    const { stdout } = await planSummary(file);
    expect(stdout).toContain('| create | update | replace | delete | read | no-op | import | move |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n| 1 | 1 | 1 | 2 | 1 | 1 | 0 | 0 |');
  });

  test('lists changed resources grouped by action, most destructive first, without the no-op', async () => {
    const { stdout } = await planSummary(file);
    const rows = tableAfter(stdout, '#### Changes');
    expect(rows.map(([action, address]) => [action, address])).toEqual([
      ['🗑️ delete', '`aws_s3_bucket.artifacts_bucket_3D6A2F91`'],
      ['🗑️ delete', '`aws_s3_bucket_versioning.artifacts_versioning_0E4C8B37`'],
      ['♻️ replace', '`aws_db_instance.database_platform_instance_8A3C1D52`'],
      ['✏️ update', '`helm_release.argocd_release_1C9E7B44`'],
      ['➕ create', '`aws_kms_key.database_platform_key_4F2B9E10`'],
      ['📖 read', '`data.aws_iam_policy_document.database_platform_key-policy_77D1A0B3`'],
    ]);
    expect(rows[0][2]).toBe('**bucket: data at risk**; no longer in the configuration');
    expect(rows[5][2]).toBe('configuration known only at apply');
    expect(stdout).not.toContain('aws_vpc.network_vpc');
  });

  test('shows the Helm release attribute changes, the sensitive value masked and never printed', async () => {
    const { stdout } = await planSummary(file);
    const rows = tableAfter(stdout, 'Update <code>helm_release.argocd_release_1C9E7B44</code>: 4 attributes');
    expect(rows).toEqual([
      ['`metadata`', '`{"app_version":"v2.13.1","revision":4}`', `_${UNKNOWN}_`],
      ['`set_sensitive[0].value`', `_${SENSITIVE}_`, `_${SENSITIVE}_`],
      ['`values[0]`', '`"server:\\n  replicas: 1\\n"`', '`"server:\\n  replicas: 2\\n"`'],
      ['`version`', '`"7.7.0"`', '`"7.7.5"`'],
    ]);
    expect(stdout).not.toMatch(SECRETS);
  });

  test('shows why the database is replaced and which values are known only after apply', async () => {
    const { stdout } = await planSummary(file);
    const rows = tableAfter(stdout, 'Replace <code>aws_db_instance.database_platform_instance_8A3C1D52</code>');
    expect(rows).toContainEqual(['`kms_key_id` (forces replacement)', '`"arn:aws:kms:eu-west-1:111122223333:key/0b1c2d3e-old"`', `_${UNKNOWN}_`]);
    // The sensitive password is null on both sides: unchanged, so not listed.
    expect(rows.map(([path]) => path)).not.toContain('`password`');
    expect(rows.map(([path]) => path)).not.toContain('`engine`');
  });

  test('lists output changes, masking sensitive outputs, and reports drift apart', async () => {
    const { stdout } = await planSummary(file);
    expect(tableAfter(stdout, '#### Outputs')).toEqual([
      ['`database_endpoint`', 'update', '`"dev-platform.abc123xyz.eu-west-1.rds.amazonaws.com:5432"`', `_${UNKNOWN}_`],
      ['`database_master_user_secret_arn`', 'update', `_${SENSITIVE}_`, `_${UNKNOWN}_`],
    ]);
    expect(stdout).not.toContain('secret:rds!db-1"`');
    expect(tableAfter(stdout, 'Drift: 1 resource changed outside Terraform')).toEqual([
      ['changed', '`aws_eks_node_group.cluster_general-nodes_5E1F7A20`', '`scaling_config[0].desired_size`: `2` → `3`'],
    ]);
  });

  test('--format json gives scripts the counts, the destructive list and the changes', async () => {
    const report = await json(file);
    expect(report.destructive).toBe(true);
    expect(report.exitCode).toBe(EXIT_DESTRUCTIVE);
    const [plan] = report.plans;
    expect(plan).toMatchObject({ title: 'dev-infra', file, formatVersion: '1.2', terraformVersion: '1.10.5', errored: false });
    expect(plan.counts).toEqual({ create: 1, update: 1, replace: 1, delete: 2, forget: 0, read: 1, 'no-op': 1, import: 0, move: 0 });
    expect(plan.destructive.map((change) => [change.address, change.action, change.stateful])).toEqual([
      ['aws_s3_bucket.artifacts_bucket_3D6A2F91', 'delete', 'bucket'],
      ['aws_db_instance.database_platform_instance_8A3C1D52', 'replace', 'database'],
    ]);
    const helm = plan.changes.find((change) => change.type === 'helm_release')!;
    expect(helm).toMatchObject({ action: 'update', actions: ['update'], destructive: false, mode: 'managed' });
    expect(helm.attributes).toContainEqual({ path: 'set_sensitive[0].value', before: SENSITIVE, after: SENSITIVE });
    expect(plan.drift.map((change) => change.address)).toEqual(['aws_eks_node_group.cluster_general-nodes_5E1F7A20']);
    expect(JSON.stringify(report)).not.toMatch(SECRETS);
  });
});

describe('idpkit plan-summary on every kind of change', () => {
  test('a no-op plan says there are no changes and exits 0', async () => {
    const { code, stdout } = await planSummary(fixture('no-op.json'));
    expect(code).toBe(0);
    expect(stdout).toContain('**No changes.** The infrastructure matches the configuration.');
    expect(stdout).not.toContain('[!CAUTION]');
    expect(stdout).not.toContain('#### Changes');
    expect((await json(fixture('no-op.json'))).plans[0].counts).toMatchObject({ 'no-op': 2, create: 0, delete: 0 });
  });

  test('a plan without resource_changes (a stack with nothing in it) is a valid no-op', async () => {
    const report = await json(fixture('empty.json'));
    expect(report).toMatchObject({ destructive: false, exitCode: 0 });
    expect(report.plans[0]).toMatchObject({ title: 'empty.json', changes: [], outputs: [], drift: [] });
  });

  test('a create-only plan: module addresses, count and for_each indexes, unknown values; exits 0', async () => {
    const { code, stdout } = await planSummary(fixture('create-only.json'));
    expect(code).toBe(0);
    expect(tableAfter(stdout, '#### Changes').map(([action, address]) => [action, address])).toEqual([
      ['➕ create', '`google_storage_bucket.buckets["logs"]`'],
      ['➕ create', '`module.network.aws_subnet.private[0]`'],
      ['➕ create', '`module.network.aws_subnet.private[1]`'],
      ['➕ create', '`random_password.admin`'],
    ]);
    expect(tableAfter(stdout, '#### Outputs')).toEqual([['`subnet_ids`', 'create', '_(none)_', '`["(known after apply)","(known after apply)"]`']]);
    const plan = (await json(fixture('create-only.json'))).plans[0];
    expect(plan.changes.find((change) => change.address.endsWith('private[0]'))).toMatchObject({ type: 'aws_subnet', attributes: [] });
  });

  test('a delete-only plan: stateful deletions are destructive whatever the reason, other deletions are not', async () => {
    const { code, stdout } = await planSummary(fixture('delete-only.json'));
    expect(code).toBe(EXIT_DESTRUCTIVE);
    expect(stdout).toContain('`azurerm_storage_account.this["archive"]` (bucket): **deleted**; for_each key removed');
    expect(stdout).toContain('`module.cluster.aws_eks_cluster.this` (cluster): **deleted**; module instance removed');
    expect(stdout).not.toMatch(SECRETS);
    const plan = (await json(fixture('delete-only.json'))).plans[0];
    expect(plan.counts).toMatchObject({ delete: 3, create: 0 });
    expect(plan.changes.find((change) => change.address === 'aws_iam_role.ci[2]')).toMatchObject({ destructive: false, reason: 'count index out of range' });
    expect(plan.outputs).toEqual([{ name: 'cluster_name', action: 'delete', before: '"dev"', after: '(none)' }]);
  });

  test('replacements in both orders: stateful ones are destructive, the rest are warned about', async () => {
    const { code, stdout } = await planSummary(fixture('replace.json'));
    expect(code).toBe(EXIT_DESTRUCTIVE);
    const caution = stdout.slice(stdout.indexOf('[!CAUTION]'), stdout.indexOf('[!WARNING]'));
    expect(caution).toContain('`azurerm_postgresql_flexible_server.platform` (database): **replaced** (destroy, then create); forced by `location`');
    expect(caution).toContain('`google_container_node_pool.general` (cluster): **replaced** (create, then destroy); forced by `node_config[0].machine_type`');
    expect(caution).toContain('`aws_db_instance.legacy` (database): **deleted**; deposed object `00000001`');
    const warning = stdout.slice(stdout.indexOf('[!WARNING]'), stdout.indexOf('| create |'));
    expect(warning).toContain('**2 resources replaced** (destroyed and created again): `aws_instance.bastion`, `aws_launch_template.nodes`');
    const plan = (await json(fixture('replace.json'))).plans[0];
    expect(plan.counts).toMatchObject({ replace: 4, delete: 1 });
    expect(plan.changes.find((change) => change.address === 'aws_instance.bastion')).toMatchObject({ actions: ['delete', 'create'], reason: 'tainted', destructive: false });
    expect(plan.changes.find((change) => change.address === 'aws_launch_template.nodes')!.attributes).toContainEqual({
      path: 'image_id',
      before: '"ami-0old"',
      after: '"ami-0new"',
      forcesReplacement: true,
    });
    expect(stdout).not.toMatch(SECRETS);
  });

  test('reads of data sources, imports, moves, module addresses, forget and drift', async () => {
    const { code, stdout } = await planSummary(fixture('lifecycle.json'));
    expect(code).toBe(0);
    const rows = tableAfter(stdout, '#### Changes');
    expect(rows).toEqual([
      ['✏️ update', '`aws_route53_zone.main`', 'imported from `Z123`'],
      ['✏️ update', '`module.platform.aws_iam_role.irsa["external-dns"]`', 'moved from `aws_iam_role.irsa["external-dns"]`'],
      ['👋 forget', '`aws_cloudwatch_log_group.old`', 'removed from the state, left in the cloud'],
      ['📖 read', '`data.aws_eks_cluster_auth.this`', 'a dependency has changes pending'],
      ['📖 read', '`data.aws_s3_bucket.shared`', 'configuration known only at apply'],
      ['↪️ move/import', '`aws_ecr_repository.app`', 'imported from `app`'],
      ['↪️ move/import', '`module.platform.aws_kms_key.secrets`', 'moved from `aws_kms_key.secrets`'],
    ]);
    expect(stdout).toContain('| create | update | replace | delete | forget | read | no-op | import | move |');
    expect(stdout).toContain('| 0 | 2 | 0 | 0 | 1 | 2 | 2 | 2 | 2 |');
    // Map keys that are not identifiers are quoted, as in Terraform addresses.
    expect(tableAfter(stdout, 'module.platform.aws_iam_role.irsa[&quot;external-dns&quot;]</code>: 2 attributes')).toEqual([
      ['`max_session_duration`', '`3600`', '`7200`'],
      ['`tags["a.b/c"]`', '`"1"`', '`"2"`'],
    ]);
    expect(tableAfter(stdout, '#### Outputs')).toEqual([
      ['`db_password`', 'update', `_${SENSITIVE}_`, `_${SENSITIVE}_`],
      ['`token`', 'create', '_(none)_', `_${UNKNOWN}_`],
      ['`zone_comment`', 'update', '`""`', '`"managed by idpkit"`'],
    ]);
    expect(tableAfter(stdout, 'Drift: 2 resources changed outside Terraform')).toEqual([
      ['changed', '`aws_security_group.cluster`', '`tags["touched-by"]`: `null` → `"console"`'],
      ['deleted', '`aws_sqs_queue.events`', ''],
    ]);
    expect(stdout).not.toMatch(SECRETS);
  });

  test('a data source of a stateful type is never destructive', () => {
    const plan = summary('lifecycle.json');
    expect(plan.changes.find((change) => change.address === 'data.aws_s3_bucket.shared')).toMatchObject({ mode: 'data', action: 'read', destructive: false });
    expect(plan.changes.find((change) => change.address === 'data.aws_s3_bucket.shared')!.stateful).toBeUndefined();
  });
});

describe('several plan files', () => {
  test('one section per file, an overview first, destructive when any plan is', async () => {
    const { code, stdout } = await planSummary(fixture('no-op.json'), fixture('dev-infra/plan.json'), fixture('create-only.json'));
    expect(code).toBe(EXIT_DESTRUCTIVE);
    expect(stdout.indexOf('## Terraform plans')).toBe(0);
    expect(tableAfter(stdout, '## Terraform plans')).toEqual([
      ['`no-op.json`', '0', '0', '0', '0', '-'],
      ['`dev-infra`', '1', '1', '1', '2', '⛔ 2'],
      ['`create-only.json`', '4', '0', '0', '0', '-'],
    ]);
    const sections = ['### Plan: `no-op.json`', '### Plan: `dev-infra`', '### Plan: `create-only.json`'].map((heading) => stdout.indexOf(heading));
    expect(sections.every((index, position) => index > 0 && (position === 0 || index > sections[position - 1]))).toBe(true);
  });

  test('the output is the same on every run', async () => {
    const files = readdirSync(fixtures).filter((name) => ['no-op.json', 'create-only.json', 'delete-only.json', 'replace.json', 'lifecycle.json'].includes(name)).sort();
    const first = await planSummary(...files.map(fixture));
    const second = await planSummary(...files.map(fixture));
    expect(second.stdout).toBe(first.stdout);
    expect(first.stdout.length).toBeGreaterThan(1000);
  });
});

describe('fitting a GitHub comment', () => {
  /** A plan updating `count` resources, each with a few attribute changes. */
  function bigPlan(count: number, destructive = true): string {
    const update = (index: number) => ({
      address: `aws_iam_role.role_${String(index).padStart(4, '0')}`,
      mode: 'managed',
      type: 'aws_iam_role',
      name: `role_${index}`,
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: {
        actions: ['update'],
        before: { description: 'x'.repeat(60), max_session_duration: 3600, tags: { team: 'a' } },
        after: { description: 'y'.repeat(60), max_session_duration: 7200, tags: { team: 'b' } },
        after_unknown: { tags: {} },
        before_sensitive: { tags: {} },
        after_sensitive: { tags: {} },
      },
    });
    const bucket = {
      address: 'aws_s3_bucket.logs',
      mode: 'managed',
      type: 'aws_s3_bucket',
      name: 'logs',
      change: { actions: ['delete'], before: { bucket: 'logs' }, after: null, after_unknown: {}, before_sensitive: {}, after_sensitive: false },
    };
    return JSON.stringify({ format_version: '1.2', planned_values: {}, resource_changes: [...(destructive ? [bucket] : []), ...Array.from({ length: count }, (_, index) => update(index))] });
  }

  test('folds a long changes table in <details>', () => {
    const report = planReport([summarizePlan(parsePlan(bigPlan(30), 'big.json'), 'big.json')]);
    const markdown = renderPlanMarkdown(report);
    expect(markdown).toContain('<details><summary>31 changed resources</summary>');
    expect(markdown).not.toContain('#### Changes');
    expect(markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_CHARS);
  });

  test('cuts a plan too long for a comment, keeping the heading, the warnings and the counts, with a note', () => {
    const report = planReport([summarizePlan(parsePlan(bigPlan(600), 'big.json'), 'big.json')]);
    const markdown = renderPlanMarkdown(report);
    expect(markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_CHARS);
    expect(markdown.length).toBeGreaterThan(GITHUB_COMMENT_MAX_CHARS - 2000);
    expect(markdown).toContain('### Plan: `big.json`');
    expect(markdown).toContain('`aws_s3_bucket.logs` (bucket): **deleted**');
    expect(markdown).toContain('| 0 | 600 | 0 | 1 | 0 | 0 | 0 | 0 |');
    expect(markdown).toMatch(/> Cut to fit a GitHub comment \(65536 characters\): \d+ table rows left out\./);
    // Every <details> opened is closed: nothing is cut in the middle of a block.
    expect(markdown.match(/<details/g)!.length).toBe(markdown.match(/<\/details>/g)!.length);
  });

  test('--max-chars sets a smaller cap; a cap below 1000 is a usage error', async () => {
    const dir = tempDir();
    const file = join(dir, 'big.json');
    writeFileSync(file, bigPlan(50, false));
    const { code, stdout } = await idpkit(['plan-summary', file, '--max-chars', '5000']);
    expect(code).toBe(0);
    expect(stdout.length).toBeLessThanOrEqual(5000);
    expect(stdout).toContain('Cut to fit a GitHub comment (5000 characters)');
    const bad = await idpkit(['plan-summary', file, '--max-chars', '10']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"10" is not a whole number of at least 1000.');
  });
});

describe('bad input', () => {
  test('exits 1 naming the file when it is not valid JSON, without a stack trace', async () => {
    const { code, stdout, stderr } = await planSummary(fixture('malformed.json'));
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toMatch(/^idpkit: IDPKIT_INVALID_INPUT\ntest\/fixtures\/plans\/malformed\.json: not valid JSON \(.+\); expected the output of `terraform show -json <planfile>`/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  test('exits 1 on a state file, an unsupported format version, bad actions and a missing file, listing every file', async () => {
    const { code, stdout, stderr } = await planSummary(fixture('state.json'), fixture('version-2.json'), fixture('bad-actions.json'), 'nope/plan.json', fixture('no-op.json'));
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toContain('test/fixtures/plans/state.json: a Terraform state, not a plan (it has values but no planned_values)');
    expect(stderr).toContain('test/fixtures/plans/version-2.json: plan format_version "2.0" is not supported (expected 1.x');
    expect(stderr).toContain('test/fixtures/plans/bad-actions.json: resource_changes[0].change.actions (aws_s3_bucket.a) is "delete": expected a list of actions (allowed: ["no-op"], ["create"], ["read"], ["update"], ["delete"], ["forget"], ["delete","create"], ["create","delete"], ["create","forget"])');
    expect(stderr).toContain('test/fixtures/plans/bad-actions.json: resource_changes[1].address is missing: expected the resource address, e.g. aws_s3_bucket.logs');
    expect(stderr).toContain('cannot read nope/plan.json: it does not exist (or a directory on its path does not exist) (ENOENT); write one with `terraform show -json <planfile> > nope/plan.json`');
    expect(stderr).not.toContain('no-op.json');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  test('exits 1 on JSON that is not an object or has no format_version', async () => {
    expect(() => parsePlan('[1, 2]', 'list.json')).toThrow('list.json: not a Terraform plan: the file holds [1,2]');
    expect(() => parsePlan('{"resource_changes": []}', 'x.json')).toThrow('x.json: not a Terraform plan: format_version is missing');
    expect(() => parsePlan('{"format_version": "1.2", "variables": {}}', 'y.json')).toThrow('y.json: not a Terraform plan; expected the output of');
  });

  test('exits 2 without a plan file', async () => {
    const { code, stderr } = await idpkit(['plan-summary']);
    expect(code).toBe(2);
    expect(stderr).toContain("error: missing required argument 'plan.json'");
  });
});

describe('helpers', () => {
  test('classifyActions names every documented action list', () => {
    expect(
      [['no-op'], ['create'], ['read'], ['update'], ['delete', 'create'], ['create', 'delete'], ['delete'], ['forget'], ['create', 'forget']].map((actions) => classifyActions(actions)),
    ).toEqual(['no-op', 'create', 'read', 'update', 'replace', 'replace', 'delete', 'forget', 'replace']);
  });

  test('planTitle: the stack for <stack>/plan.json, else the file name', () => {
    expect(planTitle('cdktf.out/stacks/prod-infra/plan.json')).toBe('prod-infra');
    expect(planTitle('plans/prod-infra.json')).toBe('prod-infra.json');
    expect(planTitle('plan.json')).toBe('plan.json');
  });

  test('a stack directory copied elsewhere keeps its title', async () => {
    const dir = join(tempDir(), 'staging-platform');
    mkdirSync(dir);
    copyFileSync(join(fixtures, 'no-op.json'), join(dir, 'plan.json'));
    const report = await json(join(dir, 'plan.json'));
    expect(report.plans[0].title).toBe('staging-platform');
  });
});
