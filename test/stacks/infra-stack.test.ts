import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformOutput, TerraformStack } from '../../constructs/core/cdktf';
import { createAwsProvider } from '../../constructs/integration/provider/aws';
import { dev, prod, staging } from '../../environments';
import { validateEnvironments } from '../../environments/types';
import { InfraStack } from '../../stacks/infra-stack';
import { TerraformJson, onlyResource, resources, synthJson } from '../helpers';

const [devEnv, stagingEnv, prodEnv] = validateEnvironments([dev, staging, prod]);
const synthInfra = (environment = devEnv) => synthJson(new InfraStack(new App({ outdir: mkdtempSync(join(tmpdir(), 'idpkit-')) }), { environment }));
const devJson = synthInfra(devEnv);
const prodJson = synthInfra(prodEnv);

describe('InfraStack', () => {
  test('is named <env>-infra and keeps its state in the environment bucket under its own key', () => {
    expect(devJson.terraform.backend.s3).toMatchObject({ bucket: dev.state.bucket, key: 'idpkit/dev-infra/terraform.tfstate', encrypt: true, use_lockfile: true });
    expect(prodJson.terraform.backend.s3).toMatchObject({ bucket: prod.state.bucket, key: 'idpkit/prod-infra/terraform.tfstate' });
  });

  test("uses the environment's account, region and tags", () => {
    expect(prodJson.provider!.aws[0]).toMatchObject({
      region: 'eu-west-1',
      allowed_account_ids: ['222222222222'],
      default_tags: [{ tags: { environment: 'prod', owner: 'platform-team', 'cost-center': 'platform', 'managed-by': 'idpkit' } }],
    });
  });

  test('prod: NAT per zone, private API endpoint, deletion protection, year-long logs, no force-delete of images', () => {
    expect(resources(prodJson, 'aws_nat_gateway')).toHaveLength(3);
    const cluster = onlyResource(prodJson, 'aws_eks_cluster');
    expect(cluster.vpc_config.endpoint_public_access).toBe(false);
    expect(cluster.deletion_protection).toBe(true);
    expect(resources(prodJson, 'aws_cloudwatch_log_group').map((g) => g.retention_in_days)).toEqual([365, 365, 365, 365]); // flow logs, control plane, the database's two exports
    expect(resources(prodJson, 'aws_ecr_repository').every((r) => r.force_delete === false)).toBe(true);
    expect(resources(prodJson, 'aws_kms_key').every((k) => k.deletion_window_in_days === 30)).toBe(true);
  });

  test('dev: one NAT over two zones, endpoint open to the listed CIDRs only, no deletion protection, short retention', () => {
    expect(resources(devJson, 'aws_nat_gateway')).toHaveLength(1);
    expect(resources(devJson, 'aws_subnet')).toHaveLength(4);
    const cluster = onlyResource(devJson, 'aws_eks_cluster');
    expect(cluster.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] });
    expect(cluster.deletion_protection).toBe(false);
    expect(resources(devJson, 'aws_cloudwatch_log_group').map((g) => g.retention_in_days)).toEqual([30, 30, 30, 30]);
    expect(resources(devJson, 'aws_kms_key').every((k) => k.deletion_window_in_days === 7)).toBe(true);
  });

  test('node counts come from the environment', () => {
    expect(onlyResource(devJson, 'aws_eks_node_group').scaling_config).toEqual({ min_size: 1, max_size: 3, desired_size: 1 });
    expect(onlyResource(prodJson, 'aws_eks_node_group').scaling_config).toEqual({ min_size: 3, max_size: 12, desired_size: 3 });
  });

  test('staging follows the environment overrides over tier defaults', () => {
    const json = synthInfra({ ...stagingEnv, network: { ...stagingEnv.network, natGateways: 'one-per-az', flowLogRetentionDays: 180 } });
    expect(resources(json, 'aws_nat_gateway')).toHaveLength(3);
    expect(resources(json, 'aws_cloudwatch_log_group').find((g) => g.name.includes('flow-logs')).retention_in_days).toBe(180);
  });

  test('an abstract node size maps to the cloud machine type of the size table', () => {
    const json = synthInfra({ ...devEnv, cluster: { ...devEnv.cluster, nodeGroups: [{ name: 'general', size: 'medium', minSize: 1, maxSize: 2 }] } } as typeof devEnv);
    expect(onlyResource(json, 'aws_eks_node_group').instance_types).toEqual(['m6i.xlarge']);
  });

  test('terraformOverrides reach the cluster resource as given (escape hatch)', () => {
    const json = synthInfra({ ...devEnv, cluster: { ...devEnv.cluster, terraformOverrides: { 'upgrade_policy.support_type': 'EXTENDED' } } } as typeof devEnv);
    expect(onlyResource(json, 'aws_eks_cluster').upgrade_policy).toEqual({ support_type: 'EXTENDED' });
  });

  test('flow and control-plane logs share one logs key that names both log groups', () => {
    const logsKey = resources(prodJson, 'aws_kms_key').find((k) => k.description === 'Flow and control-plane logs of prod');
    const groups = JSON.parse(logsKey.policy).Statement[1].Condition.ArnEquals['kms:EncryptionContext:aws:logs:arn'];
    expect(groups).toEqual([expect.stringMatching(/log-group:\/aws\/eks\/idp-prod\/cluster$/), expect.stringMatching(/log-group:\/aws\/vpc\/prod\/flow-logs$/)]);
  });

  test("the environment's secrets in Secrets Manager get their own rotating customer key", () => {
    const key = Object.entries(prodJson.resource.aws_kms_alias).find(([, alias]: [string, any]) => alias.name === 'alias/idpkit/prod/secrets') as [string, any];
    expect(key).toBeDefined();
    const keyAddress = key[1].target_key_id.match(/^\$\{(aws_kms_key\.[^.]+)\.key_id\}$/)[1];
    expect(prodJson.resource.aws_kms_key[keyAddress.split('.')[1]]).toMatchObject({ enable_key_rotation: true });
    expect(prodJson.output!.secrets_key_arn.value).toBe(`\${${keyAddress}.arn}`);
  });

  test("the budget notifies the alerts topic only (its subscriptions are the environment's alert emails)", () => {
    const topic = Object.keys(prodJson.resource.aws_sns_topic);
    expect(topic).toHaveLength(1);
    const notifications = onlyResource(prodJson, 'aws_budgets_budget').notification;
    expect(notifications.length).toBeGreaterThan(0);
    notifications.forEach((n: any) => {
      expect(n.subscriber_sns_topic_arns).toEqual([`\${aws_sns_topic.${topic[0]}.arn}`]);
      expect(n.subscriber_email_addresses).toBeUndefined();
    });
    expect(resources(prodJson, 'aws_sns_topic_subscription').map((s) => s.endpoint).sort()).toEqual([...prodEnv.alerts.emails].sort());
  });

  test('outputs what later stacks and people need', () => {
    expect(Object.keys(prodJson.output!).sort()).toEqual([
      'alerts_topic_arn',
      'cluster_certificate_authority_data',
      'cluster_endpoint',
      'cluster_name',
      'cluster_oidc_issuer_url',
      'cluster_oidc_provider_arn',
      'network_id',
      'private_subnet_ids',
      'public_subnet_ids',
      'registry_urls',
      'secrets_key_arn',
    ]);
    expect(prodJson.output!.cluster_endpoint.value).toMatch(/^\$\{aws_eks_cluster\..+\.endpoint\}$/);
  });

  test('a later stack reads cluster attributes through a cdktf cross-stack reference to the S3 state', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'idpkit-xstack-'));
    const app = new App({ outdir });
    const infra = { dev: new InfraStack(app, { environment: devEnv }) };
    const consumer = new TerraformStack(app, 'dev-consumer');
    createAwsProvider(consumer, 'aws', { region: 'eu-west-1', accountId: dev.aws.accountId, tags: { environment: 'dev', owner: 'o', costCenter: 'c' } });
    new TerraformOutput(consumer, 'endpoint', { value: infra.dev.cluster.endpoint });
    new TerraformOutput(consumer, 'issuer', { value: infra.dev.cluster.oidcIssuerUrl });
    app.synth();
    const read = (stack: string): TerraformJson => JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));

    const remoteStates = Object.values(read('dev-consumer').data!.terraform_remote_state);
    expect(remoteStates).toEqual([
      expect.objectContaining({ backend: 's3', config: expect.objectContaining({ bucket: dev.state.bucket, key: 'idpkit/dev-infra/terraform.tfstate', region: 'eu-west-1' }) }),
    ]);
    const crossStackOutputs = Object.entries(read('dev-infra').output!).filter(([name]) => name.startsWith('cross-stack-output-'));
    expect(crossStackOutputs.map(([, output]) => output.value).sort()).toEqual([
      expect.stringMatching(/^\$\{aws_eks_cluster\..+\.endpoint\}$/),
      expect.stringMatching(/^\$\{aws_eks_cluster\..+\.identity\[0\]\.oidc\[0\]\.issuer\}$/),
    ]);
  });
});
