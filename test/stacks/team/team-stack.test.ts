import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { App, Testing } from '../../../constructs/core/cdktf';
import { IdpkitError } from '../../../constructs/core/errors';
import type { KubernetesObject } from '../../../constructs/core/manifests';
import { DATABASE_CLAIM_DEFAULTS, postgresqlInstanceDefinition } from '../../../constructs/orchestration/crossplane/databases';
import { TENANT_QUOTA_DEFAULTS } from '../../../constructs/orchestration/tenancy/tenancy';
import type { CloudResourceRequest, RenderedWorkloads } from '../../../constructs/orchestration/workloads/types';
import { dev } from '../../../environments';
import { azureDev, azureProd, gcpDev, gcpProd } from '../../../environments/examples';
import { validateEnvironments } from '../../../environments/types';
import { InfraStack } from '../../../stacks/infra-stack';
import { INFRA_OUTPUTS, TeamConfig, TeamStack, TeamStackProps, teamStackName } from '../../../stacks/team';
import { schemaViolations } from '../../support/kubernetes-schemas';
import { TerraformJson, clone, onlyResource, resources, synthJson } from '../../helpers';

const AZURE_GROUP = '00000000-0000-0000-0000-0000000000b1';
const ADMINS = { aws: 'payments-admins', azure: AZURE_GROUP, gcp: 'payments-admins@acme.example' } as const;

const configFor = (environment: any, change: (config: any) => void = () => undefined): TeamConfig => {
  const config: any = {
    team: 'payments',
    owner: 'payments-team',
    costCenter: 'cc-1042',
    environment: clone(environment),
    members: { admin: ADMINS[environment.cloud as keyof typeof ADMINS], ...(environment.cloud === 'aws' ? { edit: ['payments-devs'], view: ['auditors'] } : {}) },
    quota: { cpu: '6' },
    repositories: ['api', 'tools/migrate'],
    buckets: [{ name: 'receipts', serviceAccounts: ['api', 'worker'], versioning: environment.cloud !== 'azure' }],
  };
  change(config);
  return config;
};

const newStack = (props: TeamStackProps) => new TeamStack(new App({ outdir: mkdtempSync(join(tmpdir(), 'idpkit-team-')) }), props);
const synthTeam = (props: TeamStackProps): TerraformJson => synthJson(newStack(props));

const release = (json: TerraformJson, name: string) => Object.values(json.resource.helm_release ?? {}).find((r: any) => r.name === name) as any;
const manifestsOf = (json: TerraformJson, name: string): KubernetesObject[] => parse(release(json, name).values[0]).manifests;
const kinds = (objects: readonly KubernetesObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);
const remoteState = (json: TerraformJson) => Object.values(json.data!.terraform_remote_state) as any[];
const REMOTE = /^\$\{data\.terraform_remote_state\.platform-infra_state_[0-9A-F]+\.outputs\.([a-z_]+)\}$/;
const remoteOutput = (value: string) => REMOTE.exec(value)?.[1];

/** A hand-made request of each kind the Score engine makes, for the team's namespace. */
const REQUESTS: readonly CloudResourceRequest[] = [
  { kind: 'bucket', name: 'payments-web-assets', namespace: 'payments', serviceAccount: 'web' },
  { kind: 'bucket', name: 'payments-web-assets', namespace: 'payments', serviceAccount: 'api' },
];

describe('TeamStack on AWS (dev: medium preset, with the PostgreSQLInstance API)', () => {
  const json = synthTeam({
    config: configFor(dev, (c) => (c.databases = [{ name: 'orders', size: 'medium', storageGiB: 50 }])),
    cloudResources: [...REQUESTS, { kind: 'database', name: 'ledger', namespace: 'payments', size: 'small', secretName: 'ledger-postgres', connectionSecretName: 'dev-payments-ledger-postgres-connection' }],
  });
  const objects = manifestsOf(json, 'team-payments');

  test('is named team-<team>-<env>, keeps its state in the environment bucket at idpkit/teams/<team>/<env>, encrypted and locked', () => {
    expect(teamStackName('payments', 'dev')).toBe('team-payments-dev');
    expect(json.terraform.backend.s3).toEqual({
      bucket: dev.state.bucket,
      key: 'idpkit/teams/payments/dev/terraform.tfstate',
      region: 'eu-west-1',
      encrypt: true,
      kms_key_id: `arn:aws:kms:eu-west-1:111111111111:alias/idpkit/state/${dev.state.bucket}`,
      use_lockfile: true,
    });
    expect(json.terraform.required_version).toBe('>= 1.10.0');
  });

  test("reads the infra stack's outputs from its state in the same bucket", () => {
    expect(remoteState(json)).toEqual([{ backend: 's3', config: { bucket: dev.state.bucket, key: 'idpkit/dev-infra/terraform.tfstate', region: 'eu-west-1' } }]);
  });

  test("the AWS provider acts on the environment's account and region with the team's tags", () => {
    expect(json.provider!.aws[0]).toMatchObject({
      region: 'eu-west-1',
      allowed_account_ids: ['111111111111'],
      default_tags: [{ tags: { environment: 'dev', owner: 'payments-team', 'cost-center': 'cc-1042', team: 'payments', 'managed-by': 'idpkit' } }],
    });
  });

  test('kubernetes and helm reach the cluster of the remote state with the EKS credential plugin', () => {
    const kubernetes = json.provider!.kubernetes[0];
    expect(remoteOutput(kubernetes.host)).toBe('cluster_endpoint');
    expect(kubernetes.cluster_ca_certificate).toMatch(/^\$\{base64decode\(data\.terraform_remote_state\.[^.]+\.outputs\.cluster_certificate_authority_data\)\}$/);
    expect(kubernetes.exec[0].command).toBe('aws');
    expect(remoteOutput(kubernetes.exec[0].args[3])).toBe('cluster_name');
    expect(remoteOutput(json.provider!.helm[0].kubernetes.host)).toBe('cluster_endpoint');
  });

  test('creates the namespace: Pod Security restricted, labelled with team, tenant, cost center and owner', () => {
    const namespace = onlyResource(json, 'kubernetes_namespace_v1');
    expect(namespace.metadata.name).toBe('payments');
    expect(namespace.metadata.labels).toEqual({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
      'app.kubernetes.io/managed-by': 'idpkit',
      'idpkit.dev/team': 'payments',
      'idpkit.dev/tenant': 'payments',
      'cost-center': 'cc-1042',
      'idpkit.dev/owner': 'payments-team',
    });
  });

  test('applies quota, container defaults, RBAC, default-deny policies, the claim and the connection secret as one release in the namespace, after it', () => {
    const body = release(json, 'team-payments');
    expect(body).toMatchObject({ namespace: 'payments', atomic: true });
    expect(body.depends_on).toEqual([expect.stringMatching(/^kubernetes_namespace_v1\.namespace-payments/)]);
    expect(kinds(objects)).toEqual([
      'ResourceQuota/compute',
      'LimitRange/container-defaults',
      'RoleBinding/team-admin',
      'RoleBinding/team-edit',
      'RoleBinding/team-view',
      'NetworkPolicy/default-deny',
      'NetworkPolicy/allow-same-namespace',
      'NetworkPolicy/allow-dns',
      'NetworkPolicy/allow-from-platform-ingress',
      'NetworkPolicy/allow-from-platform-monitoring',
      'PostgreSQLInstance/orders',
      'ExternalSecret/ledger-postgres',
    ]);
    expect(objects.every((o) => o.metadata.namespace === 'payments')).toBe(true);
  });

  test("the quota is the team's, the tier default filling in what it leaves out", () => {
    const quota = objects.find((o) => o.kind === 'ResourceQuota') as any;
    expect(quota.spec.hard).toEqual({ 'requests.cpu': '6', 'requests.memory': TENANT_QUOTA_DEFAULTS.dev.memory, 'limits.memory': TENANT_QUOTA_DEFAULTS.dev.memory, pods: String(TENANT_QUOTA_DEFAULTS.dev.pods) });
  });

  test('binds admin, edit and view to the member groups', () => {
    const subjects = (role: string) => (objects.find((o) => o.metadata.name === `team-${role}`) as any).subjects.map((s: any) => s.name);
    expect([subjects('admin'), subjects('edit'), subjects('view')]).toEqual([['payments-admins'], ['payments-devs'], ['auditors']]);
    expect((objects.find((o) => o.metadata.name === 'team-view') as any).roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' });
  });

  test("lets the platform's monitoring in (kube-prometheus-stack runs in dev)", () => {
    const monitoring = objects.find((o) => o.metadata.name === 'allow-from-platform-monitoring') as any;
    expect(monitoring.spec.ingress[0].from[1].namespaceSelector.matchExpressions[0].values).toEqual(['monitoring']);
  });

  test('every object meets the upstream schemas, and the PostgreSQLInstance the XRD the platform installs', () => {
    const claims = objects.filter((o) => o.kind === 'PostgreSQLInstance');
    expect(schemaViolations(objects.filter((o) => o.kind !== 'PostgreSQLInstance'))).toEqual([]);
    const xrd = postgresqlInstanceDefinition('postgresql-aws') as any;
    const validate = new Ajv({ strict: false }).compile(xrd.spec.versions[0].schema.openAPIV3Schema);
    for (const claim of claims) expect([claim.apiVersion, validate(claim), validate.errors]).toEqual([`${xrd.spec.group}/v1alpha1`, true, null]);
    expect(claims[0]).toMatchObject({ spec: { size: 'medium', storageGiB: 50, highAvailability: false, backupRetentionDays: DATABASE_CLAIM_DEFAULTS.backupRetentionDays } });
  });

  test('creates ECR repositories <env>/<team>/<repo>: immutable tags, scan on push, KMS with a key of the team', () => {
    const repositories = resources(json, 'aws_ecr_repository');
    expect(repositories.map((r) => r.name)).toEqual(['dev/payments/api', 'dev/payments/tools/migrate']);
    for (const repository of repositories) {
      expect(repository).toMatchObject({ image_tag_mutability: 'IMMUTABLE', image_scanning_configuration: { scan_on_push: true }, encryption_configuration: [{ encryption_type: 'KMS' }] });
      expect(repository.encryption_configuration[0].kms_key).toMatch(/^\$\{aws_kms_key\.registry_key/);
    }
    expect(resources(json, 'aws_kms_alias').map((a) => a.name)).toContain('alias/idpkit/dev/payments/ecr');
  });

  test("creates the config's bucket and the requested one (both service accounts of a request share it)", () => {
    expect(resources(json, 'aws_s3_bucket').map((b) => b.bucket)).toEqual(['payments-dev-receipts-111111111111-eu-west-1', 'payments-web-assets']);
    expect(json.output!.bucket_names.value).toEqual({ receipts: 'payments-dev-receipts-111111111111-eu-west-1', 'payments-web-assets': 'payments-web-assets' });
  });

  test('binds one Pod Identity role per service account, in the namespace, reading and writing its buckets only', () => {
    const associations = resources(json, 'aws_eks_pod_identity_association');
    expect(associations.map((a) => [a.namespace, a.service_account])).toEqual([
      ['payments', 'api'],
      ['payments', 'web'],
      ['payments', 'worker'],
    ]);
    expect(remoteOutput(associations[0].cluster_name)).toBe('cluster_name');
    const roleNames = resources(json, 'aws_iam_role').map((r) => r.name);
    expect(roleNames).toEqual(expect.arrayContaining(['idp-dev-payments-api', 'idp-dev-payments-web', 'idp-dev-payments-worker']));
    // The environment's apply role may create only roles with its boundary (docs/ci-identities.md): so do team stacks.
    expect(new Set(resources(json, 'aws_iam_role').map((r) => r.permissions_boundary))).toEqual(new Set(['arn:aws:iam::111111111111:policy/idpkit-dev-boundary']));
    const apiPolicy = JSON.parse(resources(json, 'aws_iam_role_policy').find((p) => p.name === 'idp-dev-payments-api').policy);
    const objectResources = apiPolicy.Statement.filter((s: any) => s.Action.includes('s3:PutObject')).map((s: any) => s.Resource);
    expect(objectResources).toHaveLength(2);
    for (const resource of objectResources) expect(resource).toMatch(/^\$\{aws_s3_bucket\.bucket-.*\.arn\}\/\*$/);
  });

  test("fulfils a managed database request: RDS in the environment's VPC, its connection details and password synced by External Secrets", () => {
    const instance = onlyResource(json, 'aws_db_instance');
    expect(instance).toMatchObject({ identifier: 'dev-payments-ledger', instance_class: 'db.t4g.medium', publicly_accessible: false });
    expect(remoteOutput(onlyResource(json, 'aws_db_subnet_group').subnet_ids)).toBe('private_subnet_ids');
    expect(remoteOutput(onlyResource(json, 'aws_security_group').vpc_id)).toBe('network_id');
    expect(onlyResource(json, 'aws_secretsmanager_secret').name).toBe('dev-payments-ledger-postgres-connection');
    const secret = objects.find((o) => o.kind === 'ExternalSecret') as any;
    expect(secret.spec.target.name).toBe('ledger-postgres');
    expect(secret.spec.dataFrom).toEqual([{ extract: { key: 'dev-payments-ledger-postgres-connection' } }]);
    expect(secret.spec.data).toEqual([{ secretKey: 'password', remoteRef: { key: expect.stringMatching(/master_user_secret\[0\]\.secret_arn/), property: 'password' } }]);
    const read = resources(json, 'aws_iam_role_policy').find((p) => p.role === 'idp-dev-external-secrets');
    expect(JSON.parse(read.policy).Statement[0].Action).toContain('secretsmanager:GetSecretValue');
  });
});

describe('TeamStack on Azure', () => {
  const json = synthTeam({ config: configFor(azureProd, (c) => (c.databases = [{ name: 'orders', size: 'medium' }])), cloudResources: REQUESTS });

  test('keeps its state in the environment storage account with Entra ID auth, and reads the infra stack from the same container', () => {
    const backend = { resource_group_name: 'rg-idpkit-state', storage_account_name: 'idpkitstate000002', container_name: 'tfstate', use_azuread_auth: true, subscription_id: azureProd.azure.subscriptionId, tenant_id: azureProd.azure.tenantId };
    expect(json.terraform.backend.azurerm).toEqual({ ...backend, key: 'idpkit/teams/payments/azure-prod/terraform.tfstate' });
    expect(remoteState(json)).toEqual([{ backend: 'azurerm', config: { ...backend, key: 'idpkit/azure-prod-infra/terraform.tfstate' } }]);
  });

  test('grants push to the team repositories only, with a scope map and a token without password (ACR makes repositories on push)', () => {
    const scopeMap = onlyResource(json, 'azurerm_container_registry_scope_map');
    expect(remoteOutput(scopeMap.container_registry_name)).toBe('registry_name');
    expect(scopeMap.actions).toEqual([
      'repositories/azure-prod/payments/api/content/read',
      'repositories/azure-prod/payments/api/content/write',
      'repositories/azure-prod/payments/api/metadata/read',
      'repositories/azure-prod/payments/tools/migrate/content/read',
      'repositories/azure-prod/payments/tools/migrate/content/write',
      'repositories/azure-prod/payments/tools/migrate/metadata/read',
    ]);
    expect(onlyResource(json, 'azurerm_container_registry_token')).toMatchObject({ name: 'team-payments-push', enabled: true });
    expect(json.resource.azurerm_container_registry_token_password).toBeUndefined();
    expect(json.output!.registry_urls.value.api).toMatch(/outputs\.registry_login_server\}\/azure-prod\/payments\/api$/);
  });

  test("puts buckets in a storage account of the team, in the environment's resource group, reachable from the nodes only", () => {
    const account = onlyResource(json, 'azurerm_storage_account');
    expect(account.name).toMatch(/^stpaymentstm[0-9a-f]{8}$/);
    expect(remoteOutput(account.resource_group_name)).toBe('resource_group_name');
    expect(account).toMatchObject({ shared_access_key_enabled: false, network_rules: { default_action: 'Deny' } });
    expect(remoteOutput(account.network_rules.virtual_network_subnet_ids)).toBe('private_subnet_ids');
    expect(resources(json, 'azurerm_storage_container').map((c) => c.name).sort()).toEqual(['payments-web-assets', 'receipts']);
  });

  test('federates each identity with system:serviceaccount:<team>:<sa> of the cluster issuer, Storage Blob Data Contributor on its containers', () => {
    const credentials = resources(json, 'azurerm_federated_identity_credential');
    expect(credentials.map((c) => c.subject)).toEqual(['system:serviceaccount:payments:api', 'system:serviceaccount:payments:web', 'system:serviceaccount:payments:worker']);
    expect(remoteOutput(credentials[0].issuer)).toBe('cluster_oidc_issuer_url');
    const roles = resources(json, 'azurerm_role_assignment');
    expect(roles.every((r) => r.role_definition_name === 'Storage Blob Data Contributor' && /azurerm_storage_container\./.test(r.scope))).toBe(true);
    expect(roles).toHaveLength(4);
  });

  test('Terraform creates the service accounts, whose client id Azure gives only at apply', () => {
    const accounts = resources(json, 'kubernetes_service_account_v1');
    expect(accounts.map((a) => a.metadata.name)).toEqual(['api', 'web', 'worker']);
    expect(accounts[0].metadata.namespace).toMatch(/kubernetes_namespace_v1\.namespace-payments.*\.metadata\[0\]\.name/);
    expect(accounts[0].metadata.annotations['azure.workload.identity/client-id']).toMatch(/^\$\{azurerm_user_assigned_identity\.identity-api_identity_.*\.client_id\}$/);
    expect(accounts[0].metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'idpkit', 'idpkit.dev/team': 'payments' });
  });

  test('claims databases through the PostgreSQLInstance API of azure-prod', () => {
    expect(kinds(manifestsOf(json, 'team-payments'))).toContain('PostgreSQLInstance/orders');
    expect(json.resource.azurerm_postgresql_flexible_server).toBeUndefined();
  });
});

describe('TeamStack on GCP', () => {
  const json = synthTeam({ config: configFor(gcpDev), cloudResources: REQUESTS });

  test('keeps its state under its own prefix in the environment bucket, with the state key, and reads the infra stack from it', () => {
    expect(json.terraform.backend.gcs).toEqual({
      bucket: 'acme-idp-dev-tfstate',
      prefix: 'idpkit/teams/payments/gcp-dev',
      kms_encryption_key: 'projects/acme-idp-dev/locations/europe-west1/keyRings/acme-idp-dev-tfstate/cryptoKeys/terraform-state',
    });
    expect(remoteState(json)).toEqual([{ backend: 'gcs', config: { bucket: 'acme-idp-dev-tfstate', prefix: 'idpkit/gcp-dev-infra' } }]);
  });

  test('creates an Artifact Registry repository of the team, immutable tags, its own key, and lets the admin group push', () => {
    const repository = onlyResource(json, 'google_artifact_registry_repository');
    expect(repository).toMatchObject({ repository_id: 'gcp-dev-payments', format: 'DOCKER', docker_config: { immutable_tags: true } });
    expect(repository.kms_key_name).toMatch(/google_kms_crypto_key\.registry-key/);
    expect(onlyResource(json, 'google_artifact_registry_repository_iam_member')).toMatchObject({ role: 'roles/artifactregistry.writer', member: 'group:payments-admins@acme.example' });
  });

  test('binds each Google service account to <pool>[<team>/<sa>] of the remote cluster, objectAdmin on its buckets', () => {
    const members = resources(json, 'google_service_account_iam_member').map((m) => m.member);
    expect(members).toEqual([expect.stringMatching(/outputs\.workload_identity_pool\}\[payments\/api\]$/), expect.stringMatching(/\[payments\/web\]$/), expect.stringMatching(/\[payments\/worker\]$/)]);
    const grants = resources(json, 'google_storage_bucket_iam_member');
    expect(grants.every((g) => g.role === 'roles/storage.objectAdmin')).toBe(true);
    expect(grants).toHaveLength(4);
    expect(resources(json, 'google_storage_bucket').map((b) => b.name)).toEqual(['acme-idp-dev-payments-gcp-dev-receipts', 'payments-web-assets']);
  });

  test('Terraform creates the service accounts with their Google service account annotation', () => {
    const account = resources(json, 'kubernetes_service_account_v1')[0];
    expect(account.metadata.annotations['iam.gke.io/gcp-service-account']).toMatch(/google_service_account\.identity-api_account_.*\.email/);
  });
});

describe('the remote state contract', () => {
  test.each([
    ['aws', dev],
    ['azure', azureProd],
    ['gcp', gcpProd],
  ])('every output a team stack reads exists in the %s infra stack', (cloud, config) => {
    const [env] = validateEnvironments([config]);
    const outputs = Object.keys(synthJson(new InfraStack(new App({ outdir: mkdtempSync(join(tmpdir(), 'idpkit-')) }), { environment: env })).output!);
    expect(outputs).toEqual(expect.arrayContaining([...Object.values(INFRA_OUTPUTS.common), ...Object.values(INFRA_OUTPUTS[cloud as 'aws' | 'azure' | 'gcp'])]));
  });
});

describe('TeamStack with Score workloads', () => {
  const deployment: KubernetesObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'payments' } };
  const serviceAccount: KubernetesObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: 'payments' } };
  const rendered: RenderedWorkloads = {
    workloads: [{ name: 'web', namespace: 'payments', source: 'web.yaml', serviceAccount: 'web', cloudIdentity: true, objects: [serviceAccount, deployment] }],
    shared: [],
    files: {},
    cloud: [{ kind: 'bucket', name: 'payments-web-uploads', namespace: 'payments', serviceAccount: 'web' }],
  };
  const dir = mkdtempSync(join(tmpdir(), 'idpkit-score-'));
  const score = 'apiVersion: score.dev/v1b1\nmetadata:\n  name: web\ncontainers:\n  main:\n    image: nginx\n';
  writeFileSync(join(dir, 'web.yaml'), score);

  test('renders the Score files into the namespace, fulfils their cloud requests and applies them after the namespace release', () => {
    const calls: unknown[] = [];
    const json = synthTeam({
      config: configFor(azureDev, (c) => (c.workloads = ['web.yaml'])),
      baseDirectory: dir,
      renderWorkloads: (files, options) => {
        calls.push({ files, namespace: options.namespace });
        return rendered;
      },
    });
    expect(calls).toEqual([{ files: [{ path: join(dir, 'web.yaml'), text: score }], namespace: 'payments' }]);
    expect(resources(json, 'azurerm_storage_container').map((c) => c.name)).toContain('payments-web-uploads');
    // Azure: Terraform made the service account (client id at apply), so the release leaves it out.
    expect(kinds(manifestsOf(json, 'workloads-payments'))).toEqual(['Deployment/web']);
    expect(resources(json, 'kubernetes_service_account_v1').map((a) => a.metadata.name)).toContain('web');
    expect(release(json, 'workloads-payments').depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^helm_release\.team_release/)]));
  });

  test("renders with the Score engine by default: the workload's Deployment, Service account and policy in the team's namespace", () => {
    const json = synthTeam({ config: configFor(dev, (c) => (c.workloads = ['web.yaml'])), baseDirectory: dir });
    const objects = manifestsOf(json, 'workloads-payments');
    expect(kinds(objects)).toEqual(expect.arrayContaining(['Deployment/web', 'ServiceAccount/web', 'NetworkPolicy/web']));
    const workload = objects.find((o) => o.kind === 'Deployment') as any;
    expect(workload.metadata.namespace).toBe('payments');
    expect(workload.spec.template.spec.containers[0].image).toBe('nginx');
  });

  test('throws when a Score file is missing', () => {
    expect(() => newStack({ config: configFor(dev, (c) => (c.workloads = ['missing.yaml'])), baseDirectory: dir, renderWorkloads: () => rendered })).toThrow(
      /workloads\[0\] "missing\.yaml" cannot be read \(ENOENT\)/,
    );
  });
});

describe('TeamStack refuses', () => {
  const problemsOf = (props: TeamStackProps): readonly string[] => {
    try {
      newStack(props);
    } catch (error) {
      expect((error as IdpkitError).code).toBe('IDPKIT_INVALID_TEAM');
      return (error as IdpkitError).problems;
    }
    throw new Error('expected the stack to be refused');
  };

  test("requests for another namespace, unknown database sizes, and names a team database has", () => {
    expect(
      problemsOf({
        config: configFor(dev, (c) => (c.databases = [{ name: 'orders' }])),
        cloudResources: [
          { kind: 'bucket', name: 'search-index', namespace: 'search', serviceAccount: 'api' },
          { kind: 'database', name: 'ledger', namespace: 'payments', size: 'huge', secretName: 'ledger', connectionSecretName: 'dev-ledger' },
          { kind: 'database', name: 'orders', namespace: 'payments', secretName: 'orders', connectionSecretName: 'dev-orders' },
        ],
      }),
    ).toEqual([
      'team "payments": cloud resource request bucket "search-index": namespace "search" is not the team\'s namespace "payments" (a team stack creates resources for its own namespace only)',
      'team "payments": cloud resource request database "ledger": size "huge" is not a database size (allowed: small, medium, large, xlarge)',
      'team "payments": cloud resource request database "orders" names database "orders", as databases[0] does (make database names unique)',
    ]);
  });

  test('managed databases where team stacks make none', () => {
    expect(problemsOf({ config: configFor(gcpProd), cloudResources: [{ kind: 'database', name: 'ledger', namespace: 'payments', secretName: 'ledger', connectionSecretName: 'gcp-prod-ledger' }] })).toEqual([
      expect.stringMatching(/cloud resource request database "ledger" asks for a managed database, which team stacks create on AWS only \(environment "gcp-prod" runs on gcp\)/),
    ]);
  });
});

test('the example team app builds a TeamStack for the shipped dev environment', () => {
  const example = JSON.parse(readFileSync(join(__dirname, '../../../examples/team-app/environments/dev.json'), 'utf8'));
  expect(example).toEqual(JSON.parse(JSON.stringify(validateEnvironments([dev])[0])));
  expect(() => Testing.synth(newStack({ config: configFor(example) }), true)).not.toThrow();
});
