import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { App, TerraformStack } from '../../constructs/core/cdktf';
import { IdpkitError } from '../../constructs/core/errors';
import { TIER_CONTEXT_KEY, TIER_RULES, setTier } from '../../constructs/core/tiers';
import { AwsDatabase, AwsDatabaseProps } from '../../constructs/capabilities/database/aws';
import { configureS3State } from '../../constructs/capabilities/state/aws';
import { AwsObjectBucket, AwsObjectBucketProps } from '../../constructs/capabilities/storage/aws';
import { AwsContainerRegistry, AwsContainerRegistryProps } from '../../constructs/infrastructure/registry/aws';
import { createAwsProvider } from '../../constructs/integration/provider/aws';
import type { Finding } from '../../constructs/policy/findings';
import { dev, prod } from '../../environments';
import { validateEnvironment } from '../../environments/types';
import { IdpkitApp, IdpkitAppProps } from '../../stacks/idpkit-app';
import { POLICY_REPORT_FILE, formatFinding } from '../../stacks/policy';
import { TeamStack } from '../../stacks/team';
import { idpkit } from '../cli/cli-helpers';
import { TerraformJson, clone, devConfig, resources } from '../helpers';

const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

/** A team's own stack: an encrypted, locked S3 backend and the AWS provider of the environment's account. */
function teamStack(app: App, name = 'payments'): TerraformStack {
  const stack = new TerraformStack(app, name);
  configureS3State(stack, { backend: 's3', bucket: 'payments-state', region: 'eu-west-1', accountId: '111111111111' });
  createAwsProvider(stack, 'aws', { region: 'eu-west-1', accountId: '111111111111', tags: { environment: 'dev', owner: 'payments', costCenter: 'cc-1042' } });
  return stack;
}

/** Props a test gives on top of {@link teamConstructs}' own. */
interface TeamConstructProps {
  readonly bucket?: Partial<AwsObjectBucketProps>;
  readonly registry?: Partial<AwsContainerRegistryProps>;
  readonly database?: Partial<AwsDatabaseProps>;
}

/** What a team builds from idpkit's constructs; without `given` it says nothing about the tier. */
function teamConstructs(stack: TerraformStack, given: TeamConstructProps = {}): void {
  new AwsObjectBucket(stack, 'receipts', { bucketName: 'payments-receipts-111111111111', ...given.bucket });
  new AwsContainerRegistry(stack, 'registry', { name: 'payments', repositories: ['api'], ...given.registry });
  new AwsDatabase(stack, 'orders', {
    name: 'payments-orders',
    engineVersion: '17',
    size: 'small',
    storageGiB: 20,
    vpcId: 'vpc-0123456789abcdef0',
    subnetIds: ['subnet-a', 'subnet-b'],
    allowedCidrs: ['10.10.0.0/16'],
    alarmTopicArn: 'arn:aws:sns:eu-west-1:111111111111:alerts',
    ...given.database,
  });
}

/** Synthesizes an IdpkitApp into a fresh output directory; returns its stacks' JSON and the directory. */
function synthApp(props: Omit<IdpkitAppProps, 'outdir'>, build: (app: App) => void): { outdir: string; stack: (name: string) => TerraformJson } {
  const outdir = join(tempDir('idpkit-app-'), 'cdktf.out');
  const app = new IdpkitApp({ ...props, outdir });
  build(app);
  app.synth();
  return { outdir, stack: (name) => JSON.parse(readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')) };
}

/** The IdpkitError a synth throws. */
function synthError(app: IdpkitApp): IdpkitError {
  try {
    app.synth();
  } catch (error) {
    if (error instanceof IdpkitError) return error;
    throw error;
  }
  throw new Error('expected the synth to fail');
}

/** The tier-dependent attributes of the team's constructs. */
function tierAttributes(json: TerraformJson) {
  const [bucket] = resources(json, 'aws_s3_bucket');
  const [repository] = resources(json, 'aws_ecr_repository');
  const [database] = resources(json, 'aws_db_instance');
  return {
    bucket: { forceDestroy: bucket.force_destroy, preventDestroy: bucket.lifecycle?.prevent_destroy ?? false },
    repository: { forceDelete: repository.force_delete, preventDestroy: repository.lifecycle?.prevent_destroy ?? false },
    keyDeletionWindows: [...new Set(resources(json, 'aws_kms_key').map((key) => key.deletion_window_in_days))],
    database: {
      multiAz: database.multi_az,
      backupRetentionDays: database.backup_retention_period,
      deletionProtection: database.deletion_protection,
      skipFinalSnapshot: database.skip_final_snapshot,
    },
    logRetentionDays: [...new Set(resources(json, 'aws_cloudwatch_log_group').map((group) => group.retention_in_days))],
  };
}

describe('IdpkitApp: the environment tier reaches every idpkit construct in it', () => {
  /** What differs by tier: dev tears down freely, prod protects its data. */
  const BY_TIER = [
    { environment: dev, removable: true, highAvailability: false },
    { environment: prod, removable: false, highAvailability: true },
  ];
  test.each(BY_TIER)('in a $environment.tier app, a team bucket, registry and database get the $environment.tier defaults', ({ environment, removable, highAvailability }) => {
    const { stack } = synthApp({ environment }, (app) => teamConstructs(teamStack(app)));
    const rules = TIER_RULES[environment.tier];
    expect(tierAttributes(stack('payments'))).toEqual({
      bucket: { forceDestroy: removable, preventDestroy: !removable },
      repository: { forceDelete: removable, preventDestroy: !removable },
      keyDeletionWindows: [rules.keyDeletionWindowDays],
      database: { multiAz: highAvailability, backupRetentionDays: rules.databaseBackupRetentionDays, deletionProtection: !removable, skipFinalSnapshot: removable },
      logRetentionDays: [rules.logRetentionDays],
    });
  });

  test('props given win over the tier', () => {
    const { stack } = synthApp({ environment: dev }, (app) => {
      teamConstructs(teamStack(app), {
        bucket: { preventDestroy: true, forceDestroy: false, keyDeletionWindowDays: 30 },
        registry: { forceDelete: false },
        database: { highAvailability: true, backupRetentionDays: 21, deletionProtection: true, logRetentionDays: 90, keyDeletionWindowDays: 30 },
      });
    });
    expect(tierAttributes(stack('payments'))).toEqual({
      bucket: { forceDestroy: false, preventDestroy: true },
      repository: { forceDelete: false, preventDestroy: false },
      // The registry's own key was not given a window: the tier's.
      keyDeletionWindows: [30, TIER_RULES.dev.keyDeletionWindowDays],
      database: { multiAz: true, backupRetentionDays: 21, deletionProtection: true, skipFinalSnapshot: false },
      logRetentionDays: [90],
    });
  });

  test('a stack sets its own tier with setTier, before its constructs; afterwards it is refused', () => {
    const { stack } = synthApp({ environment: dev }, (app) => {
      const scope = new TerraformStack(app, 'payments');
      setTier(scope, 'prod');
      configureS3State(scope, { backend: 's3', bucket: 'payments-state', region: 'eu-west-1', accountId: '111111111111' });
      createAwsProvider(scope, 'aws', { region: 'eu-west-1', accountId: '111111111111', tags: { environment: 'dev', owner: 'payments', costCenter: 'cc-1042' } });
      teamConstructs(scope);
      expect(() => setTier(scope, 'dev')).toThrow(/payments: the tier is set after constructs were added \(.*\), which would not get it: set it right after creating payments/);
    });
    expect(tierAttributes(stack('payments')).database.deletionProtection).toBe(true);
  });

  test('without IdpkitApp, a plain App takes the tier from its context (as cdktf.json "context" gives it); a value that is no tier is refused', () => {
    const json = (context: Record<string, unknown>) => {
      const app = new App({ outdir: tempDir('idpkit-plain-'), context });
      const stack = teamStack(app);
      teamConstructs(stack);
      app.synth();
      return JSON.parse(readFileSync(join(app.outdir, 'stacks', 'payments', 'cdk.tf.json'), 'utf8')) as TerraformJson;
    };
    expect(tierAttributes(json({ [TIER_CONTEXT_KEY]: 'dev' })).bucket).toEqual({ forceDestroy: true, preventDestroy: false });
    // No tier at all: the constructs' own defaults, as before there were tiers.
    expect(tierAttributes(json({})).database).toEqual({ multiAz: true, backupRetentionDays: 30, deletionProtection: true, skipFinalSnapshot: false });
    expect(() => json({ [TIER_CONTEXT_KEY]: 'production' })).toThrow(
      'payments/receipts: context "idpkit:tier" "production" is not a tier (allowed: dev, staging, prod; set it in the app\'s context, cdktf.json "context", or with IdpkitApp)',
    );
  });

  test("a TeamStack's constructs take its environment's tier, also in a plain App", () => {
    const build = (environment: unknown) => {
      const app = new App({ outdir: tempDir('idpkit-team-') });
      const stack = new TeamStack(app, { config: { team: 'payments', owner: 'payments-team', environment: clone(environment) as never, members: { admin: 'payments-admins' } } });
      new AwsObjectBucket(stack, 'extra', { bucketName: 'payments-extra-111111111111' });
      app.synth();
      return JSON.parse(readFileSync(join(app.outdir, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8')) as TerraformJson;
    };
    expect(resources(build(dev), 'aws_s3_bucket')[0].force_destroy).toBe(true);
    expect(resources(build(prod), 'aws_s3_bucket')[0]).toMatchObject({ force_destroy: false, lifecycle: { prevent_destroy: true } });
  });
});

describe('IdpkitApp: the policy packs and the secret scan run at synth', () => {
  /** A team stack with a bucket made from the provider directly: no encryption, no public access block. */
  const rawBucket = (app: App) => new S3Bucket(teamStack(app), 'uploads', { bucket: 'payments-uploads-111111111111' });

  test('a team app that breaks a rule fails at synth with the error findings `idpkit check` reports for the same output', async () => {
    const app = new IdpkitApp({ environment: dev, outdir: join(tempDir('idpkit-app-'), 'cdktf.out') });
    rawBucket(app);
    const error = synthError(app);
    expect(error.code).toBe('IDPKIT_POLICY');

    // The same app, synthesized by a plain App with the same tier, checked by the CLI.
    const plain = new App({ outdir: tempDir('idpkit-plain-'), context: { [TIER_CONTEXT_KEY]: 'dev' } });
    rawBucket(plain);
    plain.synth();
    const check = await idpkit(['check', plain.outdir, '--tier', 'dev', '--format', 'json']);
    expect(check.code).toBe(4);
    const errors = (JSON.parse(check.stdout).findings as Finding[]).filter((finding) => finding.severity === 'error');
    expect(errors.map((finding) => finding.rule)).toEqual(['IDP-AWS-001', 'IDP-AWS-002', 'IDP-AWS-024']);
    expect(error.problems).toEqual(errors.map(formatFinding));
    expect(error.problems[0]).toMatch(/^payments: IDP-AWS-001 aws_s3_bucket\.uploads /);
    const table = await idpkit(['check', plain.outdir, '--tier', 'dev']);
    for (const finding of errors) expect(table.stdout).toContain(finding.rule);
  });

  test('a failed synth writes nothing: no output directory where there was none, and a published output stays as it was', () => {
    const outdir = join(tempDir('idpkit-app-'), 'cdktf.out');
    const failing = new IdpkitApp({ environment: dev, outdir });
    rawBucket(failing);
    synthError(failing);
    expect(existsSync(outdir)).toBe(false);

    const passing = new IdpkitApp({ environment: dev, outdir });
    teamConstructs(teamStack(passing));
    passing.synth();
    const before = readFileSync(join(outdir, 'stacks', 'payments', 'cdk.tf.json'), 'utf8');
    const again = new IdpkitApp({ environment: dev, outdir });
    rawBucket(again);
    synthError(again);
    expect(readFileSync(join(outdir, 'stacks', 'payments', 'cdk.tf.json'), 'utf8')).toBe(before);
    expect(readdirSync(join(outdir, '.idpkit', 'generations'))).toHaveLength(1);
  });

  test("a suppression in the environment's policy silences the finding, and the SARIF report beside the stacks carries its reason", () => {
    const reason = 'public assets, served through CloudFront with its own encryption';
    const environment = devConfig((config) => {
      config.policy = { suppressions: ['IDP-AWS-001', 'IDP-AWS-002', 'IDP-AWS-024'].map((rule) => ({ rule, resource: 'aws_s3_bucket.uploads', reason })) };
    });
    const { outdir } = synthApp({ environment }, rawBucket);
    const sarif = JSON.parse(readFileSync(join(outdir, POLICY_REPORT_FILE), 'utf8'));
    const suppressed = sarif.runs[0].results.filter((result: any) => result.suppressions);
    expect(suppressed.map((result: any) => [result.ruleId, result.suppressions[0].justification])).toEqual([
      ['IDP-AWS-001', reason],
      ['IDP-AWS-002', reason],
      ['IDP-AWS-024', reason],
    ]);
  });

  test('a suppression that matches nothing fails the synth, named by its place in the environment', () => {
    const environment = devConfig((config) => (config.policy = { suppressions: [{ rule: 'IDP-AWS-001', resource: 'aws_s3_bucket.gone', reason: 'removed bucket' }] }));
    const app = new IdpkitApp({ environment, outdir: join(tempDir('idpkit-app-'), 'cdktf.out') });
    teamConstructs(teamStack(app));
    expect(synthError(app).problems).toEqual([
      expect.stringMatching(/^environment "dev": IDP-POLICY-\d+ environment "dev": policy\.suppressions\[0\] \(IDP-AWS-001 on aws_s3_bucket\.gone\) matches no finding \(fix: /),
    ]);
  });

  test("the tier's severities apply: a local backend is a printed warning in dev and an error in prod", () => {
    const localStack = (app: App) => {
      const stack = new TerraformStack(app, 'payments');
      createAwsProvider(stack, 'aws', { region: 'eu-west-1', accountId: '111111111111', tags: { environment: 'dev', owner: 'payments', costCenter: 'cc-1042' } });
    };
    const warnings: string[] = [];
    synthApp({ environment: dev, warn: (text) => warnings.push(text) }, localStack);
    expect(warnings).toEqual([expect.stringMatching(/^idpkit: warning: payments: IDP-TF-001 payments does not meet: /)]);
    const app = new IdpkitApp({ environment: prod, outdir: join(tempDir('idpkit-app-'), 'cdktf.out') });
    localStack(app);
    expect(synthError(app).problems).toEqual([expect.stringMatching(/^payments: IDP-TF-001 /)]);
  });

  test('a literal secret in the output fails the synth (IDPKIT_SECRET_IN_OUTPUT) and writes nothing', () => {
    const outdir = join(tempDir('idpkit-app-'), 'cdktf.out');
    const app = new IdpkitApp({ environment: dev, outdir });
    new SecretsmanagerSecretVersion(teamStack(app), 'token', { secretId: 'payments-token', secretString: 'hunter2-but-longer' });
    expect(synthError(app).code).toBe('IDPKIT_SECRET_IN_OUTPUT');
    expect(existsSync(outdir)).toBe(false);
  });
});

describe('IdpkitApp: its environment', () => {
  test('is validated with the errors of the environment schema, naming the source', () => {
    const bad = devConfig((config) => (config.tier = 'production'));
    let expected: unknown;
    try {
      validateEnvironment(bad, 'environments/dev.json');
    } catch (error) {
      expected = error;
    }
    expect(expected).toBeInstanceOf(IdpkitError);
    expect(() => new IdpkitApp({ environment: bad, source: 'environments/dev.json' })).toThrow((expected as IdpkitError).message);
  });

  test('a TeamStack of another environment is refused at synth: one IdpkitApp per environment', () => {
    const app = new IdpkitApp({ environment: dev, outdir: join(tempDir('idpkit-app-'), 'cdktf.out') });
    new TeamStack(app, { config: { team: 'payments', owner: 'payments-team', environment: clone(prod) as never, members: { admin: 'payments-admins' } } });
    const error = synthError(app);
    expect(error.code).toBe('IDPKIT_INVALID_TEAM');
    expect(error.problems).toEqual([
      'team-payments-prod: is a team stack of environment "prod", in the IdpkitApp of environment "dev" (whose tier and policy suppressions apply at synth): make one IdpkitApp per environment',
    ]);
  });

  test('a TeamStack of its environment synthesizes and passes the policy packs', () => {
    const { stack } = synthApp({ environment: dev }, (app) => {
      new TeamStack(app, {
        config: {
          team: 'payments',
          owner: 'payments-team',
          environment: clone(dev) as never,
          members: { admin: 'payments-admins' },
          repositories: ['api'],
          buckets: [{ name: 'receipts', serviceAccounts: ['api'] }],
          databases: [{ name: 'orders' }],
        },
      });
    });
    expect(resources(stack('team-payments-dev'), 'aws_ecr_repository').map((repository) => repository.name)).toEqual(['dev/payments/api']);
  });
});
