import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SECRET_RULES, assertNoSecrets, scanDirectoryForSecrets, scanForSecrets } from '../../../constructs/policy/secrets';

const scan = (json: object) => scanForSecrets(json, 'stacks/dev-infra/cdk.tf.json', 'dev-infra');
const rules = (json: object) => scan(json).map((finding) => finding.rule);
const resource = (type: string, body: object) => ({ resource: { [type]: { this: body } } });
const helm = (body: object) => resource('helm_release', { name: 'x', chart: 'x', ...body });

describe('scanForSecrets', () => {
  test('catches a literal password, with file, stack, resource and JSON path', () => {
    expect(scan(resource('aws_db_instance', { password: 'hunter2hunter2' }))).toEqual([
      expect.objectContaining({
        rule: 'IDP-SECRET-001',
        severity: 'error',
        stack: 'dev-infra',
        file: 'stacks/dev-infra/cdk.tf.json',
        resource: 'aws_db_instance.this',
        path: 'resource.aws_db_instance.this.password',
      }),
    ]);
  });

  test('does not repeat the secret in the finding', () => {
    expect(JSON.stringify(scan(resource('aws_db_instance', { password: 'hunter2hunter2' })))).not.toContain('hunter2');
  });

  test.each([
    ['a random_password result', '${random_password.x.result}'],
    ['a secret store reference', '${aws_secretsmanager_secret_version.db.secret_string}'],
    ['an empty string', ''],
  ])('accepts %s', (_name, value) => {
    expect(scan(resource('aws_db_instance', { password: value, master_password: value }))).toEqual([]);
  });

  test.each(['adminPassword', 'client_secret', 'clientSecret', 'apiKey', 'api_key', 'token', 'auth_token', 'secret'])('catches a literal in a key named %s', (key) => {
    expect(rules({ locals: { [key]: 'abcdef123456' } })).toEqual(['IDP-SECRET-001']);
  });

  test.each(['secret_name', 'existingSecret', 'token_ttl', 'password_length', 'secretArn', 'kms_key_id'])('accepts a literal in %s, which names a secret', (key) => {
    expect(rules({ locals: { [key]: 'vault-root' } })).toEqual([]);
  });

  test.each([
    ['aws_secretsmanager_secret_version', 'secret_string'],
    ['google_secret_manager_secret_version', 'secret_data'],
    ['azurerm_key_vault_secret', 'value'],
  ])('catches a literal %s.%s', (type, attribute) => {
    expect(rules(resource(type, { [attribute]: 's3cr3t-value' }))).toEqual(['IDP-SECRET-001']);
    expect(rules(resource(type, { [attribute]: '${random_password.x.result}' }))).toEqual([]);
  });

  test('catches literal kubernetes Secret data, whatever the key', () => {
    expect(scan(resource('kubernetes_secret_v1', { data: { 'config.json': 'xyz' } })).map((f) => f.path)).toEqual(['resource.kubernetes_secret_v1.this.data["config.json"]']);
  });

  describe('Helm releases', () => {
    test('catches a password in a values string (YAML inside JSON)', () => {
      const findings = scan(helm({ values: ['server:\n  auth:\n    adminPassword: changeme\n'] }));
      expect(findings.map((f) => [f.rule, f.path])).toEqual([['IDP-SECRET-001', 'resource.helm_release.this.values[0]#server.auth.adminPassword']]);
    });

    test('accepts references and secret names in values', () => {
      expect(scan(helm({ values: ['auth:\n  password: ${random_password.x.result}\n  existingSecret: grafana-admin\n'] }))).toEqual([]);
    });

    test('every document of a values string with several, skipping one that does not parse', () => {
      const findings = scan(helm({ values: ['a: 1\n---\ntoken: abcdef\n---\nb: [1\n'] }));
      expect(findings.map((f) => [f.rule, f.path])).toEqual([['IDP-SECRET-001', 'resource.helm_release.this.values[0]#token']]);
    });

    test('catches a literal set entry with a secret name, and any literal set_sensitive entry', () => {
      const findings = scan(helm({ set: [{ name: 'auth.password', value: 'pw123456' }, { name: 'replicas', value: '3' }], set_sensitive: [{ name: 'license', value: 'ABC' }] }));
      expect(findings.map((f) => f.path)).toEqual(['resource.helm_release.this.set[0].value', 'resource.helm_release.this.set_sensitive[0].value']);
    });

    test('accepts set_sensitive entries that are references', () => {
      expect(scan(helm({ set_sensitive: [{ name: 'auth.password', value: '${random_password.x.result}' }] }))).toEqual([]);
    });
  });

  test.each([
    ['IDP-SECRET-002', '-----BEGIN RSA PRIVATE KEY-----\nMIIE...'],
    ['IDP-SECRET-002', '-----BEGIN PRIVATE KEY-----'],
    ['IDP-SECRET-003', 'AKIAIOSFODNN7EXAMPLE'],
    ['IDP-SECRET-003', 'ASIAIOSFODNN7EXAMPLE'],
    ['IDP-SECRET-004', `ghp_${'a'.repeat(36)}`],
    ['IDP-SECRET-004', `github_pat_${'A1'.repeat(20)}`],
    ['IDP-SECRET-005', 'xoxb-1234567890-abcdefghij'],
    ['IDP-SECRET-005', 'https://hooks.slack.com/services/T0000/B0000/XXXXXXXX'],
    ['IDP-SECRET-006', `AIza${'b'.repeat(35)}`],
    ['IDP-SECRET-007', `$2b$12$${'c'.repeat(53)}`],
    ['IDP-SECRET-008', 'postgres://admin:hunter2@db.internal:5432/app'],
  ])('%s catches %s anywhere, including inside Helm values', (rule, literal) => {
    expect(rules({ locals: { description: `x ${literal} y` } })).toEqual([rule]);
    expect(rules(helm({ values: [`config:\n  endpoint: "${literal.replace(/\n/g, ' ')}"\n`] }))).toEqual([rule]);
  });

  test.each([
    ['a public key', '-----BEGIN PUBLIC KEY-----'],
    ['a URL with a referenced password', 'postgres://admin:${random_password.x.result}@db:5432/app'],
    ['a URL with a user only', 'https://user@example.com/'],
    ['an ARN', 'arn:aws:iam::111111111111:role/idpkit-dev'],
  ])('accepts %s', (_name, value) => {
    expect(rules({ locals: { description: value } })).toEqual([]);
  });

  test('reads text that is not JSON with the value patterns', () => {
    expect(scanForSecrets('key: AKIAIOSFODNN7EXAMPLE', 'stacks/x/assets/a.yaml', 'x').map((f) => f.rule)).toEqual(['IDP-SECRET-003']);
  });

  test('rule ids are unique and stable', () => {
    expect(SECRET_RULES.map((rule) => rule.id)).toEqual(['IDP-SECRET-001', 'IDP-SECRET-002', 'IDP-SECRET-003', 'IDP-SECRET-004', 'IDP-SECRET-005', 'IDP-SECRET-006', 'IDP-SECRET-007', 'IDP-SECRET-008']);
  });
});

describe('scanDirectoryForSecrets / assertNoSecrets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'idpkit-scan-'));
  mkdirSync(join(dir, 'stacks', 'dev-platform'), { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), '{}');
  writeFileSync(join(dir, 'stacks', 'dev-platform', 'cdk.tf.json'), JSON.stringify(helm({ values: ['token: abcdef'] })));

  test('names the stack and file relative to the directory', () => {
    expect(scanDirectoryForSecrets(dir)).toEqual([expect.objectContaining({ stack: 'dev-platform', file: 'stacks/dev-platform/cdk.tf.json', path: 'resource.helm_release.this.values[0]#token' })]);
  });

  test('throws IDPKIT_SECRET_IN_OUTPUT with the file, path and rule', () => {
    expect(() => assertNoSecrets(dir)).toThrow(expect.objectContaining({ code: 'IDPKIT_SECRET_IN_OUTPUT', message: expect.stringContaining('stacks/dev-platform/cdk.tf.json resource.helm_release.this.values[0]#token') }));
    expect(() => assertNoSecrets(dir)).toThrow(/IDP-SECRET-001/);
  });
});
