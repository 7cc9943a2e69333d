import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRICE_TABLE_VERSION, estimateCost, round2 } from '../../constructs/capabilities/cost/estimate';
import type { TerraformDocument } from '../../constructs/core/synthesized-output';
import { App } from '../../constructs/core/cdktf';
import { EXIT_DESTRUCTIVE } from '../../cli/io';
import {
  MASKED_VALUE,
  MAX_VALUE_LENGTH,
  OutputDiff,
  REPLACEMENT_ATTRIBUTES,
  diffSynthesizedOutputs,
  readSynthesizedOutput,
} from '../../cli/diff';
import { STATEFUL_RESOURCE_TYPES } from '../../constructs/core/stateful';
import { azureDev } from '../../environments/examples';
import { validateEnvironments } from '../../environments/types';
import { addPlatformStacks } from '../../stacks/app';
import { devConfig } from '../helpers';
import { idpkit, tempDir } from './cli-helpers';

/** Writes a cdktf.out directory with these stacks: with a manifest, as cdktf does, unless told otherwise. */
function writeOut(stacks: Record<string, any>, options: { manifest?: boolean } = {}): string {
  const dir = tempDir('idpkit-diff-');
  const manifest: Record<string, any> = { version: '0.21.0', stacks: {} };
  for (const [name, json] of Object.entries(stacks)) {
    mkdirSync(join(dir, 'stacks', name), { recursive: true });
    writeFileSync(join(dir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(json, null, 2));
    manifest.stacks[name] = { name, synthesizedStackPath: `stacks/${name}/cdk.tf.json`, workingDirectory: `stacks/${name}`, dependencies: [] };
  }
  if (options.manifest ?? true) writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

/** A small stack: a backend, an AWS provider, a database and a role, as cdktf writes them (with `//` metadata). */
function stack(change: (json: any) => void = () => undefined): any {
  const json: any = {
    '//': { metadata: { stackName: 'dev-infra', version: '0.21.0' } },
    terraform: {
      backend: { s3: { bucket: 'state', key: 'idpkit/dev-infra/terraform.tfstate', region: 'eu-west-1', use_lockfile: true } },
      required_providers: { aws: { source: 'aws', version: '6.25.0' } },
      required_version: '>= 1.10.0',
    },
    provider: { aws: [{ region: 'eu-west-1', allowed_account_ids: ['111111111111'] }] },
    resource: {
      aws_db_instance: {
        db: {
          '//': { metadata: { path: 'dev-infra/db/instance', uniqueId: 'db' } },
          identifier: 'dev-orders',
          engine: 'postgres',
          instance_class: 'db.t4g.medium',
          kms_key_id: '${aws_kms_key.key.arn}',
          storage_encrypted: true,
          tags: { 'kubernetes.io/role': 'db', team: 'orders' },
        },
      },
      aws_kms_key: { key: { description: 'orders', enable_key_rotation: true } },
      aws_iam_role: { role: { name: 'dev-orders-monitoring', assume_role_policy: '{}' } },
    },
    data: { aws_region: { current: {} } },
    output: { db_endpoint: { value: '${aws_db_instance.db.endpoint}' } },
  };
  change(json);
  return json;
}

async function diff(base: string, head: string): Promise<{ code: number; stdout: string; stderr: string; json: OutputDiff }> {
  const markdown = await idpkit(['diff', base, head]);
  const json = await idpkit(['diff', base, head, '--format', 'json']);
  expect(json.code).toBe(markdown.code);
  return { ...markdown, json: JSON.parse(json.stdout) };
}

const usd = (value: number): string => `$${value.toFixed(2)}`;

const stackDiff = (result: OutputDiff, name: string) => result.stacksChanged.find((entry) => entry.stack === name)!;

describe('idpkit diff: reading cdktf.out', () => {
  test('reads the stacks the manifest lists, or stacks/*/cdk.tf.json without a manifest', () => {
    const withManifest = readSynthesizedOutput(writeOut({ b: stack(), a: stack() }));
    expect(Object.keys(withManifest.stacks)).toEqual(['a', 'b']);
    const withoutManifest = readSynthesizedOutput(writeOut({ 'dev-infra': stack() }, { manifest: false }));
    expect(Object.keys(withoutManifest.stacks)).toEqual(['dev-infra']);
    expect((withoutManifest.stacks['dev-infra'] as any).resource.aws_db_instance.db.identifier).toBe('dev-orders');
  });

  test('relative paths are resolved against the working directory', async () => {
    const dir = writeOut({ 'dev-infra': stack() });
    const { code, stdout } = await idpkit(['diff', '.', dir], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toContain('No differences in 1 stack.');
  });

  test('throws when a directory is missing: exit 1 naming it, no stack trace', async () => {
    const head = writeOut({ 'dev-infra': stack() });
    const { code, stdout, stderr } = await idpkit(['diff', '/nonexistent/cdktf.out', head]);
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toContain('IDPKIT_INVALID_INPUT');
    expect(stderr).toContain('/nonexistent/cdktf.out: no such directory (expected a synthesized cdktf.out directory');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  test('throws when a directory is not a cdktf.out, or a stack file is not JSON: exit 1', async () => {
    const good = writeOut({ 'dev-infra': stack() });
    const empty = tempDir();
    const notOut = await idpkit(['diff', empty, good]);
    expect(notOut.code).toBe(1);
    expect(notOut.stderr).toContain(`${empty}: not a cdktf.out directory (expected manifest.json or stacks/<stack>/cdk.tf.json)`);

    const broken = writeOut({ 'dev-infra': stack() });
    writeFileSync(join(broken, 'stacks', 'dev-infra', 'cdk.tf.json'), '{ "resource": ');
    const notJson = await idpkit(['diff', good, broken]);
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toContain(`${join(broken, 'stacks', 'dev-infra', 'cdk.tf.json')}: not valid JSON (`);
    expect(notJson.stderr).not.toMatch(/\n\s+at /);

    const badManifest = writeOut({ 'dev-infra': stack() });
    writeFileSync(join(badManifest, 'manifest.json'), '{"version": "0.21.0"}');
    const notManifest = await idpkit(['diff', good, badManifest]);
    expect(notManifest.code).toBe(1);
    expect(notManifest.stderr).toContain(`${join(badManifest, 'manifest.json')}: stacks is missing: expected an object of stacks by name; synthesize again`);
  });

  test('a missing argument or an unknown format is a usage error: exit 2', async () => {
    const dir = writeOut({ 'dev-infra': stack() });
    const missing = await idpkit(['diff', dir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required argument 'head-out'");
    const format = await idpkit(['diff', dir, dir, '--format', 'yaml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('Allowed choices are markdown, json');
  });
});

describe('idpkit diff: comparing', () => {
  test('identical outputs: no differences, exit 0', async () => {
    const { code, stdout, json } = await diff(writeOut({ 'dev-infra': stack() }), writeOut({ 'dev-infra': stack() }));
    expect(code).toBe(0);
    expect(stdout).toContain('No differences in 1 stack.');
    expect(json).toMatchObject({ destructive: false, warnings: [], stacksAdded: [], stacksRemoved: [], stacksChanged: [], stacksUnchanged: ['dev-infra'] });
  });

  test('cdktf metadata (`//`) and key order are not changes', async () => {
    const head = stack((json) => {
      json.resource.aws_db_instance.db['//'].metadata.path = 'dev-infra/elsewhere';
      json.resource.aws_db_instance.db.tags = { team: 'orders', 'kubernetes.io/role': 'db' };
    });
    const { code, json } = await diff(writeOut({ 'dev-infra': stack() }), writeOut({ 'dev-infra': head }));
    expect(code).toBe(0);
    expect(json.stacksChanged).toEqual([]);
  });

  test('stacks added and removed, with their resource counts; a removed stack is a caution, not destructive', async () => {
    const { code, stdout, json } = await diff(writeOut({ 'dev-infra': stack(), 'old-stack': stack() }), writeOut({ 'dev-infra': stack(), 'new-stack': stack() }));
    expect(code).toBe(0);
    expect(json.stacksAdded).toEqual([{ stack: 'new-stack', resources: 3 }]);
    expect(json.stacksRemoved).toEqual([{ stack: 'old-stack', resources: 3 }]);
    expect(json.warnings).toEqual([expect.objectContaining({ severity: 'caution', stack: 'old-stack', message: expect.stringContaining('the stack is removed') })]);
    expect(stdout).toContain('Stacks: added `new-stack` (3 resources); removed `old-stack` (3 resources); unchanged `dev-infra`.');
  });

  test('resources added, removed and changed by address, with each changed attribute path before and after', async () => {
    const head = stack((json) => {
      json.resource.aws_db_instance.db.instance_class = 'db.m7g.large';
      json.resource.aws_db_instance.db.tags['kubernetes.io/role'] = 'database';
      delete json.resource.aws_db_instance.db.tags.team;
      delete json.resource.aws_iam_role;
      json.resource.aws_sns_topic = { alerts: { name: 'dev-alerts' } };
      json.data.aws_caller_identity = { current: {} };
    });
    const { code, stdout, json } = await diff(writeOut({ 'dev-infra': stack() }), writeOut({ 'dev-infra': head }));
    expect(code).toBe(0);
    const infra = stackDiff(json, 'dev-infra');
    expect(infra.added).toEqual([
      { address: 'aws_sns_topic.alerts', type: 'aws_sns_topic' },
      { address: 'data.aws_caller_identity.current', type: 'aws_caller_identity' },
    ]);
    expect(infra.removed).toEqual([{ address: 'aws_iam_role.role', type: 'aws_iam_role' }]);
    expect(infra.changed).toEqual([
      {
        address: 'aws_db_instance.db',
        type: 'aws_db_instance',
        stateful: 'database',
        replacedBy: [],
        changes: [
          { path: 'instance_class', before: '"db.t4g.medium"', after: '"db.m7g.large"' },
          { path: 'tags["kubernetes.io/role"]', before: '"db"', after: '"database"' },
          { path: 'tags.team', before: '"orders"' },
        ],
      },
    ]);
    expect(json.warnings).toEqual([]);
    expect(stdout).toContain('Resources: 2 added, 1 removed, 1 changed.');
    expect(stdout).toContain('| `instance_class` | `"db.t4g.medium"` | `"db.m7g.large"` |');
    expect(stdout).toContain('| `tags.team` | `"orders"` | (absent) |');
  });

  test('lists of blocks are compared item by item, lists of plain values as one value', async () => {
    const base = stack((json) => (json.resource.aws_iam_role.role.inline_policy = [{ name: 'a', policy: '{}' }, { name: 'b', policy: '{}' }]));
    const head = stack((json) => {
      json.resource.aws_iam_role.role.inline_policy = [{ name: 'a', policy: '{"Statement":[]}' }, { name: 'b', policy: '{}' }];
      json.provider.aws[0].allowed_account_ids = ['111111111111', '222222222222'];
    });
    const { json } = await diff(writeOut({ s: base }), writeOut({ s: head }));
    expect(stackDiff(json, 's').changed[0].changes).toEqual([{ path: 'inline_policy[0].policy', before: '"{}"', after: '"{\\"Statement\\":[]}"' }]);
    expect(stackDiff(json, 's').providers).toEqual([
      { name: 'aws', change: 'changed', changes: [{ path: 'allowed_account_ids', before: '["111111111111"]', after: '["111111111111","222222222222"]' }] },
    ]);
  });

  test('values longer than the limit are cut around their first difference', async () => {
    const long = (marker: string) => `${'a'.repeat(500)}${marker}${'z'.repeat(500)}`;
    const base = stack((json) => (json.resource.aws_iam_role.role.assume_role_policy = long('BEFORE')));
    const head = stack((json) => (json.resource.aws_iam_role.role.assume_role_policy = long('AFTER')));
    const { json } = await diff(writeOut({ s: base }), writeOut({ s: head }));
    const [change] = stackDiff(json, 's').changed[0].changes;
    for (const [value, marker] of [
      [change.before!, 'BEFORE'],
      [change.after!, 'AFTER'],
    ]) {
      expect(value).toContain(marker);
      expect(value.length).toBeLessThanOrEqual(MAX_VALUE_LENGTH + 2);
      expect(value).toMatch(/^….*…$/);
    }
  });
});

describe('idpkit diff: destructive changes', () => {
  test('a removed stateful resource is destructive: warned at the top, exit 3', async () => {
    const head = stack((json) => {
      delete json.resource.aws_db_instance;
      delete json.resource.aws_iam_role;
    });
    const { code, stdout, json } = await diff(writeOut({ 'dev-infra': stack() }), writeOut({ 'dev-infra': head }));
    expect(code).toBe(EXIT_DESTRUCTIVE);
    expect(json.destructive).toBe(true);
    // The role is not stateful: removed, but not warned about.
    expect(json.warnings).toEqual([
      { severity: 'destructive', stack: 'dev-infra', address: 'aws_db_instance.db', message: '`aws_db_instance.db` (database) is removed: Terraform destroys it and what it holds' },
    ]);
    expect(stdout.indexOf('[!CAUTION]')).toBeGreaterThan(0);
    expect(stdout.indexOf('[!CAUTION]')).toBeLessThan(stdout.indexOf('### `dev-infra`'));
    expect(stdout).toContain('**1 destructive change**');
  });

  test.each([
    ['kms_key_id', '${aws_kms_key.other.arn}'],
    ['storage_encrypted', false],
    ['identifier', 'dev-orders-2'],
    ['engine', 'mysql'],
  ])('changing %s of a database replaces it: destructive, exit 3', async (attribute, value) => {
    const head = stack((json) => (json.resource.aws_db_instance.db[attribute] = value));
    const { code, stdout, json } = await diff(writeOut({ s: stack() }), writeOut({ s: head }));
    expect(code).toBe(EXIT_DESTRUCTIVE);
    expect(stackDiff(json, 's').changed[0].replacedBy).toEqual([attribute]);
    expect(json.warnings).toEqual([expect.objectContaining({ severity: 'destructive', address: 'aws_db_instance.db', message: expect.stringContaining(`is replaced: \`${attribute}\``) })]);
    expect(stdout).toContain('**Changed** `aws_db_instance.db` (database) — **replaced**');
  });

  test('replacement-forcing attributes match nested blocks with list indexes (google_container_cluster ip_allocation_policy)', async () => {
    const cluster = (range: string) => ({ resource: { google_container_cluster: { gke: { name: 'idp', location: 'europe-west1', ip_allocation_policy: [{ cluster_secondary_range_name: range }] } } } });
    const { code, json } = await diff(writeOut({ s: cluster('pods') }), writeOut({ s: cluster('pods-2') }));
    expect(code).toBe(EXIT_DESTRUCTIVE);
    expect(stackDiff(json, 's').changed[0]).toMatchObject({ replacedBy: ['ip_allocation_policy'], changes: [{ path: 'ip_allocation_policy[0].cluster_secondary_range_name' }] });
  });

  test('the replacement table only names stateful resource types', () => {
    for (const type of Object.keys(REPLACEMENT_ATTRIBUTES)) expect(STATEFUL_RESOURCE_TYPES[type]).toBeDefined();
  });

  test('a stateful resource under a new address with the same name, without a moved block, is a rename that replaces it', async () => {
    const head = stack((json) => {
      json.resource.aws_db_instance = { 'orders-db': json.resource.aws_db_instance.db };
      json.resource.aws_iam_role = { 'monitoring-role': json.resource.aws_iam_role.role };
    });
    const { code, stdout, json } = await diff(writeOut({ s: stack() }), writeOut({ s: head }));
    expect(code).toBe(EXIT_DESTRUCTIVE);
    const renamed = stackDiff(json, 's').renamed;
    expect(renamed).toEqual([
      { from: 'aws_db_instance.db', to: 'aws_db_instance.orders-db', type: 'aws_db_instance', stateful: 'database', sameName: 'identifier = "dev-orders"', changes: [] },
      { from: 'aws_iam_role.role', to: 'aws_iam_role.monitoring-role', type: 'aws_iam_role', sameName: 'name = "dev-orders-monitoring"', changes: [] },
    ]);
    expect(stackDiff(json, 's')).toMatchObject({ added: [], removed: [] });
    expect(json.warnings.map((warning) => [warning.severity, warning.address])).toEqual([
      ['destructive', 'aws_db_instance.db'],
      ['caution', 'aws_iam_role.role'],
    ]);
    expect(json.warnings[0].message).toContain('add a moved block from `aws_db_instance.db` to `aws_db_instance.orders-db`');
    expect(stdout).toContain('**Renamed without a `moved` block (destroyed and created again)**');
  });

  test('a moved block covering the address change keeps the resource: not destructive, exit 0', async () => {
    const head = stack((json) => {
      json.resource.aws_db_instance = { 'orders-db': { ...json.resource.aws_db_instance.db, instance_class: 'db.m7g.large' } };
      json.moved = [{ from: 'aws_db_instance.db', to: 'aws_db_instance.orders-db' }];
    });
    const { code, stdout, json } = await diff(writeOut({ s: stack() }), writeOut({ s: head }));
    expect(code).toBe(0);
    expect(stackDiff(json, 's')).toMatchObject({
      added: [],
      removed: [],
      renamed: [],
      moved: [{ from: 'aws_db_instance.db', to: 'aws_db_instance.orders-db', changes: [{ path: 'instance_class', before: '"db.t4g.medium"', after: '"db.m7g.large"' }] }],
    });
    expect(json.warnings).toEqual([]);
    expect(stdout).toContain('**Moved (`moved` block)**');
  });

  test('a removed block with destroy = false takes a resource out of the state without destroying it: exit 0', async () => {
    const head = stack((json) => {
      delete json.resource.aws_db_instance;
      json.removed = [{ from: 'aws_db_instance.db', lifecycle: { destroy: false } }];
    });
    const { code, json } = await diff(writeOut({ s: stack() }), writeOut({ s: head }));
    expect(code).toBe(0);
    expect(stackDiff(json, 's')).toMatchObject({ removed: [], forgotten: [{ address: 'aws_db_instance.db', stateful: 'database' }] });
  });
});

describe('idpkit diff: providers, backend, settings, variables and outputs', () => {
  test('provider, backend and required provider changes; a backend change is a caution', async () => {
    const head = stack((json) => {
      json.terraform.backend.s3.key = 'idpkit/dev/infra.tfstate';
      json.terraform.required_providers.aws.version = '6.30.0';
      json.provider.aws[0].region = 'eu-central-1';
      json.provider.aws.push({ alias: 'us_east_1', region: 'us-east-1' });
    });
    const { code, stdout, json } = await diff(writeOut({ s: stack() }), writeOut({ s: head }));
    expect(code).toBe(0);
    const changes = stackDiff(json, 's');
    expect(changes.backend).toEqual([{ path: 's3.key', before: '"idpkit/dev-infra/terraform.tfstate"', after: '"idpkit/dev/infra.tfstate"' }]);
    expect(changes.terraform).toEqual([{ path: 'required_providers.aws.version', before: '"6.25.0"', after: '"6.30.0"' }]);
    expect(changes.providers).toEqual([
      { name: 'aws', change: 'changed', changes: [{ path: 'region', before: '"eu-west-1"', after: '"eu-central-1"' }] },
      { name: 'aws.us_east_1', change: 'added', changes: [] },
    ]);
    expect(json.warnings).toEqual([expect.objectContaining({ severity: 'caution', stack: 's', message: expect.stringContaining('terraform init -migrate-state') })]);
    expect(stdout).toContain('**Backend changed** (`terraform.backend`)');
    expect(stdout).toContain('**Provider added**: `aws.us_east_1`');
  });

  test('outputs added, removed and changed', async () => {
    const head = stack((json) => {
      json.output.db_endpoint.value = '${aws_db_instance.db.address}';
      json.output.key_arn = { value: '${aws_kms_key.key.arn}' };
    });
    const base = stack((json) => (json.output.old = { value: 'x' }));
    const { json } = await diff(writeOut({ s: base }), writeOut({ s: head }));
    expect(stackDiff(json, 's').outputs).toEqual([
      { name: 'db_endpoint', change: 'changed', changes: [{ path: 'value', before: '"${aws_db_instance.db.endpoint}"', after: '"${aws_db_instance.db.address}"' }] },
      { name: 'key_arn', change: 'added', changes: [] },
      { name: 'old', change: 'removed', changes: [] },
    ]);
  });

  test('secret values are masked everywhere: secret-looking attributes, set_sensitive, Kubernetes secret data, sensitive variables and outputs', async () => {
    const secrets = (n: number) => (json: any) => {
      json.resource.aws_db_instance.db.password = `hunter${n}`;
      json.resource.aws_db_instance.db.manage_master_user_password = n === 1;
      json.resource.helm_release = { app: { name: 'app', set_sensitive: [{ name: 'apiKey', value: `sk-${n}` }] } };
      json.resource.kubernetes_secret_v1 = { creds: { metadata: { name: 'creds' }, data: { user: `user-${n}` } } };
      json.provider.aws[0].token = `session-token-${n}`;
      json.variable = { admin: { type: 'string', sensitive: true, default: `var-secret-${n}` } };
      json.output.conn = { value: `conn-secret-${n}`, sensitive: true };
    };
    const { stdout, json } = await diff(writeOut({ s: stack(secrets(1)) }), writeOut({ s: stack(secrets(2)) }));
    const text = `${stdout}\n${JSON.stringify(json)}`;
    for (const secret of ['hunter', 'sk-', 'user-', 'session-token-', 'var-secret-', 'conn-secret-']) expect(text).not.toContain(secret);
    const changes = stackDiff(json, 's');
    const byAddress = Object.fromEntries(changes.changed.map((change) => [change.address, change.changes]));
    expect(byAddress['aws_db_instance.db']).toEqual([
      // A flag is not a secret: it stays readable.
      { path: 'manage_master_user_password', before: 'true', after: 'false' },
      { path: 'password', before: MASKED_VALUE, after: MASKED_VALUE },
    ]);
    expect(byAddress['helm_release.app']).toEqual([{ path: 'set_sensitive[0].value', before: MASKED_VALUE, after: MASKED_VALUE }]);
    expect(byAddress['kubernetes_secret_v1.creds']).toEqual([{ path: 'data.user', before: MASKED_VALUE, after: MASKED_VALUE }]);
    expect(changes.providers[0].changes).toEqual([{ path: 'token', before: MASKED_VALUE, after: MASKED_VALUE }]);
    expect(changes.variables[0].changes).toEqual([{ path: 'default', before: MASKED_VALUE, after: MASKED_VALUE }]);
    expect(changes.outputs.find((output) => output.name === 'conn')!.changes).toEqual([{ path: 'value', before: MASKED_VALUE, after: MASKED_VALUE }]);
  });

  test('the output is deterministic and sorted, whatever order the JSON was written in', async () => {
    const reversed = (json: any) => {
      const reverse = (record: Record<string, any>) => Object.fromEntries(Object.entries(record).reverse());
      json.resource = reverse(json.resource);
      json.resource.aws_sns_topic = reverse({ a: { name: 'a' }, b: { name: 'b' }, c: { name: 'c' } });
    };
    const base = writeOut({ 'z-stack': stack(), 'a-stack': stack() });
    const head = writeOut({ 'a-stack': stack(reversed), 'z-stack': stack(reversed) });
    const first = await idpkit(['diff', base, head]);
    const second = await idpkit(['diff', base, head]);
    expect(first.stdout).toBe(second.stdout);
    const parsed = diffSynthesizedOutputs(readSynthesizedOutput(base), readSynthesizedOutput(head));
    expect(parsed.stacksChanged.map((entry) => entry.stack)).toEqual(['a-stack', 'z-stack']);
    expect(parsed.stacksChanged[0].added.map((resource) => resource.address)).toEqual(['aws_sns_topic.a', 'aws_sns_topic.b', 'aws_sns_topic.c']);
    expect(first.stdout.indexOf('### `a-stack`')).toBeLessThan(first.stdout.indexOf('### `z-stack`'));
  });
});

describe('idpkit diff: the estimated monthly cost', () => {
  const withKey = (name: string) => stack((json) => (json.resource.aws_kms_key[name] = { description: name, enable_key_rotation: true }));

  test('per stack on both sides with the delta: a KMS key added is +$1.00 (eu-west-1, $1 a month), a new stack has no base figure, a removed one no head figure', async () => {
    const base = writeOut({ 'dev-infra': stack(), 'old-stack': stack() });
    const head = writeOut({ 'dev-infra': withKey('second'), 'new-stack': stack() });
    const { code, stdout, json } = await diff(base, head);
    expect(code).toBe(0);
    // stack(): one KMS key ($1.00) and a db.t4g.medium instance (its lines priced as far as the eu-west-1 table goes).
    const { beforeUsd: one, notPricedBefore: unpriced } = json.cost!.stacks[0];
    expect(one).toBe(estimateCost({ dir: 'base', stacks: { 'dev-infra': stack() as unknown as TerraformDocument } }).monthlyUsd);
    const plus = (usd: number, delta: number) => Math.round((usd + delta) * 100) / 100;
    expect(json.cost).toEqual({
      priceTableVersion: PRICE_TABLE_VERSION,
      hoursPerMonth: 730,
      stacks: [
        { stack: 'dev-infra', environment: 'dev', beforeUsd: one, afterUsd: plus(one!, 1), deltaUsd: 1, notPricedBefore: unpriced, notPricedAfter: unpriced },
        { stack: 'new-stack', environment: 'new-stack', afterUsd: one, deltaUsd: one, notPricedAfter: unpriced },
        { stack: 'old-stack', environment: 'old-stack', beforeUsd: one, deltaUsd: -one!, notPricedBefore: unpriced },
      ],
      beforeUsd: plus(one!, one!),
      afterUsd: plus(plus(one!, one!), 1),
      deltaUsd: 1,
      notPricedBefore: 2 * unpriced!,
      notPricedAfter: 2 * unpriced!,
    });
    expect(json.costNotEstimated).toBeUndefined();
    expect(stdout).toContain('### Estimated monthly cost');
    expect(stdout).toContain(`both sides priced with price table ${PRICE_TABLE_VERSION}. Priced lines only: lines not priced`);
    expect(stdout).toContain(`| \`dev-infra\` | ${usd(one!)} | ${usd(plus(one!, 1))} | +$1.00 | ${unpriced} |`);
    expect(stdout).toContain(`| \`new-stack\` | - | ${usd(one!)} | +${usd(one!)} | ${unpriced} (new) |`);
    expect(stdout).toContain(`| \`old-stack\` | ${usd(one!)} | - | -${usd(one!)} | ${unpriced} (removed) |`);
    expect(stdout).toContain(`| **total** | **${usd(plus(one!, one!))}** | **${usd(plus(plus(one!, one!), 1))}** | **+$1.00** | ${2 * unpriced!} |`);
    // The cost table comes before the per-stack changes.
    expect(stdout.indexOf('### Estimated monthly cost')).toBeLessThan(stdout.indexOf('### `dev-infra`'));
  });

  test('identical outputs still show each stack\'s estimate, with a zero delta', async () => {
    const { stdout, json } = await diff(writeOut({ 'dev-infra': stack() }), writeOut({ 'dev-infra': stack() }));
    const [only] = json.cost!.stacks;
    expect(only).toEqual(expect.objectContaining({ stack: 'dev-infra', afterUsd: only.beforeUsd, deltaUsd: 0 }));
    expect(stdout).toMatch(/No differences in 1 stack\.\n\n### Estimated monthly cost/);
    expect(stdout).toContain(`| \`dev-infra\` | ${usd(only.beforeUsd!)} | ${usd(only.beforeUsd!)} | $0.00 |`);
  });

  test('a side the cost model refuses (a region AWS does not have) leaves the diff and its exit code alone and says why there is no estimate', async () => {
    const head = stack((json) => (json.provider.aws[0].region = 'eu-middle-9'));
    const { code, stdout, json } = await diff(writeOut({ 'dev-infra': stack() }), writeOut({ 'dev-infra': head }));
    expect(code).toBe(0);
    expect(json.cost).toBeUndefined();
    expect(json.costNotEstimated).toEqual([expect.stringMatching(/^stack "dev-infra": region "eu-middle-9" is not a known aws region/)]);
    expect(stdout).toContain('### Estimated monthly cost\n\nNot estimated:\n\n- stack "dev-infra": region "eu-middle-9" is not a known aws region');
    expect(stackDiff(json, 'dev-infra').providers).toHaveLength(1);
  });
});

describe('idpkit diff: end to end', () => {
  /** Synthesizes one environment with the app, as main.ts does, into a fresh cdktf.out. */
  function synthesize(config: unknown): string {
    const outdir = tempDir('idpkit-diff-synth-');
    const app = new App({ outdir });
    addPlatformStacks(app, validateEnvironments([config]));
    app.synth();
    return outdir;
  }

  test('dev with a database resized, one removed and an add-on turned off: the instance class, the helm release, and the destroyed database warned', async () => {
    const base = synthesize(
      devConfig((config) => {
        config.databases = [
          { name: 'platform', size: 'small', storageGiB: 64 },
          { name: 'orders', size: 'small', storageGiB: 32 },
        ];
      }),
    );
    const head = synthesize(
      devConfig((config) => {
        config.databases = [{ name: 'platform', size: 'medium', storageGiB: 64 }];
        config.platform.addons.kubecost = { enabled: false };
      }),
    );
    const { code, stdout, json } = await diff(base, head);
    expect(code).toBe(EXIT_DESTRUCTIVE);
    expect(json.stacksAdded).toEqual([]);
    expect(json.stacksRemoved).toEqual([]);

    const infra = stackDiff(json, 'dev-infra');
    const platformDb = infra.changed.find((change) => change.type === 'aws_db_instance')!;
    expect(platformDb.address).toMatch(/^aws_db_instance\.database-platform_instance_/);
    expect(platformDb.changes).toContainEqual({ path: 'instance_class', before: '"db.t4g.medium"', after: '"db.m7g.large"' });
    expect(platformDb.replacedBy).toEqual([]);
    const removedDb = infra.removed.find((resource) => resource.type === 'aws_db_instance')!;
    expect(removedDb).toMatchObject({ address: expect.stringMatching(/^aws_db_instance\.database-orders_instance_/), stateful: 'database' });

    const platform = stackDiff(json, 'dev-platform');
    expect(platform.removed).toContainEqual({ address: expect.stringMatching(/^helm_release\.kubecost_release_/), type: 'helm_release', stateful: 'state' });

    expect(json.warnings[0]).toMatchObject({ severity: 'destructive', stack: 'dev-infra', address: removedDb.address });
    expect(json.warnings.filter((warning) => warning.severity === 'destructive').map((warning) => warning.address)).toContain(
      platform.removed.find((resource) => resource.type === 'helm_release')!.address,
    );
    expect(stdout).toMatch(/> - `dev-infra`: `aws_db_instance\.database-orders_instance_\w+` \(database\) is removed: Terraform destroys it/);
    expect(stdout).toContain('| `instance_class` | `"db.t4g.medium"` | `"db.m7g.large"` |');
    expect(stdout).toMatch(/- `helm_release\.kubecost_release_\w+` \(state\)/);
    // The same inputs give the same report.
    expect((await idpkit(['diff', base, head])).stdout).toBe(stdout);
  });

  test('the Azure example with its general node pool grown from 1 x small to 2 x medium: +$263.07 a month on azure-dev-infra', async () => {
    const grown = { ...azureDev, cluster: { ...azureDev.cluster, nodeGroups: [{ name: 'general', size: 'medium', minSize: 2, maxSize: 3 }] } };
    const { json, stdout } = await diff(synthesize(azureDev), synthesize(grown));
    const infra = json.cost!.stacks.find((entry) => entry.stack === 'azure-dev-infra')!;
    // westeurope: Standard_D2s_v5 $0.115/hour, Standard_D4s_v5 $0.23/hour, 730 h a month; a P6 OS disk per node, $11.2272 a month.
    const before = round2(1 * 730 * 0.115) + round2(1 * 11.2272); // 83.95 + 11.23
    const after = round2(2 * 730 * 0.23) + round2(2 * 11.2272); // 335.80 + 22.45
    expect(infra.deltaUsd).toBe(round2(after - before));
    expect(infra.deltaUsd).toBe(263.07);
    expect(infra.notPricedAfter).toBe(infra.notPricedBefore);
    expect(json.cost!.stacks.find((entry) => entry.stack === 'azure-dev-platform')!.deltaUsd).toBe(0);
    expect(json.cost!.deltaUsd).toBe(263.07);
    expect(stdout).toContain(`| \`azure-dev-infra\` | ${usd(infra.beforeUsd!)} | ${usd(infra.afterUsd!)} | +$263.07 |`);
  });
});
