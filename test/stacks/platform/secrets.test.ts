import { parse } from 'yaml';
import { azureProd, gcpProd, prod, staging } from '../../../environments';
import { TerraformJson, nodeProvisioningOf, resources, synthEnvironment } from '../../helpers';

const synth = synthEnvironment;

const release = (json: TerraformJson, name: string) => resources(json, 'helm_release').find((r) => r.name === name);
const valuesOf = (json: TerraformJson, name: string) => parse(release(json, name).values[0]);

describe('External Secrets on AWS', () => {
  const { infra, platform } = synth(prod);

  test('the controller gets an EKS Pod Identity role, bound to its namespace and service account only', () => {
    expect(resources(infra, 'aws_eks_pod_identity_association').find((a) => a.namespace === 'external-secrets')).toMatchObject({ namespace: 'external-secrets', service_account: 'external-secrets' });
    const role = resources(infra, 'aws_iam_role').find((r) => r.name === 'idp-prod-external-secrets');
    const trust = JSON.parse(role.assume_role_policy).Statement[0];
    expect(trust).toMatchObject({ Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'], Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' } } });
  });

  test("it may read only the environment's secrets, and decrypt their customer keys only through Secrets Manager", () => {
    const policy = resources(infra, 'aws_iam_role_policy').find((p) => p.name === 'idp-prod-external-secrets');
    expect(JSON.parse(policy.policy).Statement.slice(0, 2)).toEqual([
      { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: 'arn:aws:secretsmanager:eu-west-1:222222222222:secret:prod-*' },
      {
        Sid: 'DecryptSecretsUnderPrefix',
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: 'arn:aws:kms:eu-west-1:222222222222:key/*',
        Condition: {
          StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' },
          StringLike: { 'kms:EncryptionContext:SecretARN': 'arn:aws:secretsmanager:eu-west-1:222222222222:secret:prod-*' },
        },
      },
    ]);
  });

  test("it may read the master user secret RDS manages for each database (named rds!db-…, outside the prefix) and decrypt it through Secrets Manager only", () => {
    const statements = JSON.parse(resources(infra, 'aws_iam_role_policy').find((p) => p.name === 'idp-prod-external-secrets').policy).Statement;
    const instance = Object.keys(infra.resource.aws_db_instance)[0];
    const secretArn = `\${aws_db_instance.${instance}.master_user_secret[0].secret_arn}`;
    expect(statements.slice(2)).toEqual([
      { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: [secretArn] },
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: [expect.stringMatching(/^\$\{aws_kms_key\.database-platform_key_.*\.arn\}$/)],
        Condition: { StringEquals: { 'kms:ViaService': expect.stringMatching(/^secretsmanager\.\$\{data\.aws_region\..*\}\.amazonaws\.com$/), 'kms:EncryptionContext:SecretARN': secretArn } },
      },
    ]);
    // The key that encrypts the RDS-managed secret is the one the grant decrypts.
    const key = Object.keys(infra.resource.aws_kms_key).find((id) => id.startsWith('database-platform_key_'));
    expect(infra.resource.aws_db_instance[instance].master_user_secret_kms_key_id).toBe(`\${aws_kms_key.${key}.arn}`);
    // Identities that may not read the environment's secrets get nothing of the database.
    const loki = resources(infra, 'aws_iam_role_policy').find((p) => p.name === 'idp-prod-loki').policy;
    expect(loki).not.toMatch(/master_user_secret/);
  });

  test("a database's connection details (in Secrets Manager under the environment's prefix) reach its namespace through an ExternalSecret", () => {
    const { infra, platform } = synth(staging);
    const connection = resources(infra, 'aws_secretsmanager_secret').find((secret) => secret.name === 'staging-db-platform');
    expect(connection.kms_key_id).toMatch(/^\$\{aws_kms_key\.database-platform/);
    const sync = release(platform, 'database-connections');
    expect(sync.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^helm_release\.external-secrets_release/)]));
    expect(parse(sync.values[0]).manifests).toEqual([
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'platform-db-connection', namespace: 'backstage' },
        spec: {
          refreshInterval: '1h',
          secretStoreRef: { kind: 'ClusterSecretStore', name: 'cloud-secrets' },
          target: { name: 'platform-db-connection', creationPolicy: 'Owner' },
          dataFrom: [{ extract: { key: 'staging-db-platform' } }],
        },
      },
    ]);
  });

  test('the cloud-secrets ClusterSecretStore reads Secrets Manager in the region, after the operator is installed', () => {
    const stores = release(platform, 'cluster-secret-stores');
    expect(parse(stores.values[0]).manifests).toEqual([
      { apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', metadata: { name: 'cloud-secrets' }, spec: { provider: { aws: { service: 'SecretsManager', region: 'eu-west-1' } } } },
    ]);
    expect(stores.depends_on).toEqual([expect.stringMatching(/^helm_release\.external-secrets_release_[0-9A-F]+$/), ...nodeProvisioningOf(platform)]);
  });

  test('runs replicated with leader election and disruption budgets in prod', () => {
    expect(valuesOf(platform, 'external-secrets')).toMatchObject({
      installCRDs: true,
      replicaCount: 2,
      leaderElect: true,
      podDisruptionBudget: { enabled: true },
      webhook: { replicaCount: 2 },
      certController: { replicaCount: 2 },
      serviceAccount: { create: true, name: 'external-secrets' },
    });
  });
});

describe('External Secrets on Azure', () => {
  const { infra, platform } = synth(azureProd);

  test('the controller gets a user-assigned identity federated to its service account, with Key Vault Secrets User on the vault', () => {
    expect(resources(infra, 'azurerm_federated_identity_credential').find((c) => c.subject.includes(':external-secrets:'))).toMatchObject({
      subject: 'system:serviceaccount:external-secrets:external-secrets',
      audience: ['api://AzureADTokenExchange'],
      issuer: expect.stringMatching(/^\$\{azurerm_kubernetes_cluster\..+\.oidc_issuer_url\}$/),
    });
    const grant = resources(infra, 'azurerm_role_assignment').find((r) => r.role_definition_name === 'Key Vault Secrets User');
    expect(grant.scope).toMatch(/^\$\{azurerm_key_vault\..+\.id\}$/);
  });

  test('the service account carries the client id and the pods opt in to workload identity', () => {
    const values = valuesOf(platform, 'external-secrets');
    expect(values.serviceAccount.annotations['azure.workload.identity/client-id']).toMatch(/terraform_remote_state\..+client_id\}$/);
    expect(values.podLabels).toEqual({ 'azure.workload.identity/use': 'true' });
    expect(parse(release(platform, 'cluster-secret-stores').values[0]).manifests[0].spec.provider.azurekv).toMatchObject({ authType: 'WorkloadIdentity' });
  });
});

describe('External Secrets on GCP', () => {
  const { infra, platform } = synth(gcpProd);

  test('the controller gets a Google service account only its Kubernetes service account may use', () => {
    const binding = resources(infra, 'google_service_account_iam_member').find((m) => m.role === 'roles/iam.workloadIdentityUser' && m.member.includes('external-secrets'));
    // The pool is read from the cluster, so the binding waits for the cluster that creates it.
    expect(binding.member).toMatch(/^serviceAccount:\$\{google_container_cluster\.[^.]+\.workload_identity_config\[0\]\.workload_pool\}\[external-secrets\/external-secrets\]$/);
  });

  test("it may access only secrets named with the environment's prefix", () => {
    const grant = resources(infra, 'google_project_iam_member').find((m) => m.role === 'roles/secretmanager.secretAccessor');
    expect(grant.condition.expression).toMatch(/^resource\.name\.startsWith\("projects\/\$\{data\.google_project\..+\.number\}\/secrets\/gcp-prod-"\)$/);
  });

  test('the service account is annotated with the Google service account', () => {
    expect(valuesOf(platform, 'external-secrets').serviceAccount.annotations['iam.gke.io/gcp-service-account']).toMatch(/terraform_remote_state\..+email\}$/);
  });
});
