import { TerraformOutput } from '../../../../constructs/core/cdktf';
import { IdpkitError } from '../../../../constructs/core/errors';
import {
  GcpGithubDeployServiceAccounts,
  GcpGithubDeployServiceAccountsProps,
  GcpGithubWorkloadIdentityPool,
  gcpDeployAccountId,
  gcpGithubPoolRef,
  gcpKubernetesSecretsReaderRoleId,
  gcpWorkloadIdentityPoolName,
} from '../../../../constructs/integration/ci/gcp';
import { addressOf, gcpTestStack, ref, serviceAddresses } from '../../../gcp-helpers';
import { TerraformJson, onlyResource, resources } from '../../../helpers';

const repository = { owner: 'acme', repo: 'platform' };
const POOL = gcpWorkloadIdentityPoolName('123456789012', 'idpkit-github');
const pool = { poolName: POOL, providerName: `${POOL}/providers/github-actions` };
const base: GcpGithubDeployServiceAccountsProps = { environment: 'prod', repository, projectId: 'acme-idp-prod', pool, stateBucket: 'acme-idp-tfstate' };

const synth = (props: GcpGithubDeployServiceAccountsProps = base) =>
  gcpTestStack((stack) => {
    const ci = new GcpGithubDeployServiceAccounts(stack, `ci-${props.environment}`, props);
    Object.entries(ci.workflowOutputs).forEach(([name, output]) => new TerraformOutput(stack, name, output));
  });
const accountAddress = (json: TerraformJson, accountId: string) => addressOf(json, 'google_service_account', (body) => body.account_id === accountId);
const memberOf = (json: TerraformJson, accountId: string) => `serviceAccount:${ref(accountAddress(json, accountId), 'email')}`;
const projectRolesOf = (json: TerraformJson, accountId: string) =>
  resources(json, 'google_project_iam_member')
    .filter((binding) => binding.member === memberOf(json, accountId) && binding.condition === undefined)
    .map((binding) => `${binding.role} @ ${binding.project}`)
    .sort();
const bucketBindingsOf = (json: TerraformJson, accountId: string) =>
  resources(json, 'google_storage_bucket_iam_member').filter((binding) => binding.member === memberOf(json, accountId));
const impersonatorsOf = (json: TerraformJson, accountId: string) =>
  resources(json, 'google_service_account_iam_member')
    .filter((binding) => binding.service_account_id === ref(accountAddress(json, accountId), 'name'))
    .map((binding) => [binding.role, binding.member]);

describe('GcpGithubWorkloadIdentityPool', () => {
  let poolId = '';
  const json = gcpTestStack((stack) => {
    const github = new GcpGithubWorkloadIdentityPool(stack, 'github', { repository });
    new TerraformOutput(stack, 'provider', { value: github.providerName });
    poolId = github.poolId;
  });

  test('accepts GitHub tokens of exactly one repository', () => {
    const provider = onlyResource(json, 'google_iam_workload_identity_pool_provider');
    expect(provider.oidc).toEqual({ issuer_uri: 'https://token.actions.githubusercontent.com' });
    expect(provider.attribute_condition).toBe('assertion.repository == "acme/platform"');
  });

  test('maps the subject, repository and environment claims', () => {
    expect(onlyResource(json, 'google_iam_workload_identity_pool_provider').attribute_mapping).toMatchObject({
      'google.subject': 'assertion.sub',
      'attribute.repository': 'assertion.repository',
      'attribute.environment': 'assertion.environment',
      'attribute.ref': 'assertion.ref',
    });
  });

  test('names the pool and provider, and exposes the provider full resource name', () => {
    const poolAddress = addressOf(json, 'google_iam_workload_identity_pool');
    expect(onlyResource(json, 'google_iam_workload_identity_pool').workload_identity_pool_id).toBe('idpkit-github');
    expect(onlyResource(json, 'google_iam_workload_identity_pool_provider')).toMatchObject({
      workload_identity_pool_id: ref(poolAddress, 'workload_identity_pool_id'),
      workload_identity_pool_provider_id: 'github-actions',
    });
    expect(json.output!.provider.value).toBe(ref(addressOf(json, 'google_iam_workload_identity_pool_provider'), 'name'));
    expect(poolId).toBe('idpkit-github');
  });

  test('enables the IAM, STS and IAM Credentials APIs before the pool', () => {
    expect(onlyResource(json, 'google_iam_workload_identity_pool').depends_on).toEqual(
      serviceAddresses(json, ['iam.googleapis.com', 'sts.googleapis.com', 'iamcredentials.googleapis.com']),
    );
  });

  test('is what deploy service accounts trust, by reference to the pool', () => {
    const linked = gcpTestStack((stack) => {
      const github = new GcpGithubWorkloadIdentityPool(stack, 'github', { repository });
      new GcpGithubDeployServiceAccounts(stack, 'ci-prod', { ...base, pool: github });
    });
    const poolName = ref(addressOf(linked, 'google_iam_workload_identity_pool'), 'name');
    expect(impersonatorsOf(linked, 'idpkit-prod-apply')).toEqual([
      ['roles/iam.workloadIdentityUser', `principal://iam.googleapis.com/${poolName}/subject/repo:acme/platform:environment:prod`],
    ]);
  });

  test('throws when the repository is not a GitHub name or the pool id is invalid', () => {
    expect(() => gcpTestStack((stack) => new GcpGithubWorkloadIdentityPool(stack, 'github', { repository: { owner: 'acme', repo: 'a"b' } }))).toThrow(
      /repository.repo "a\\"b" is not a GitHub repository name/,
    );
    expect(() => gcpTestStack((stack) => new GcpGithubWorkloadIdentityPool(stack, 'github', { repository, poolId: 'gcp-github' }))).toThrow(
      /poolId "gcp-github" is not a workload identity pool or provider id/,
    );
  });
});

describe('GcpGithubDeployServiceAccounts', () => {
  const json = synth();

  test('names the service accounts idpkit-<env>-plan and idpkit-<env>-apply in the environment project', () => {
    expect(resources(json, 'google_service_account').map((account) => [account.account_id, account.project])).toEqual([
      ['idpkit-prod-apply', 'acme-idp-prod'],
      ['idpkit-prod-plan', 'acme-idp-prod'],
    ]);
  });

  test('lets only pull requests and the default branch impersonate the plan account', () => {
    expect(impersonatorsOf(json, 'idpkit-prod-plan')).toEqual([
      ['roles/iam.workloadIdentityUser', `principal://iam.googleapis.com/${POOL}/subject/repo:acme/platform:ref:refs/heads/main`],
      ['roles/iam.workloadIdentityUser', `principal://iam.googleapis.com/${POOL}/subject/repo:acme/platform:pull_request`],
    ]);
  });

  test('lets only jobs in the GitHub environment impersonate the apply account', () => {
    expect(impersonatorsOf(json, 'idpkit-prod-apply')).toEqual([
      ['roles/iam.workloadIdentityUser', `principal://iam.googleapis.com/${POOL}/subject/repo:acme/platform:environment:prod`],
    ]);
    expect(JSON.stringify(resources(json, 'google_service_account_iam_member'))).not.toContain('principalSet');
  });

  test('the plan account reads the project and writes nothing but its stacks\' lock files', () => {
    const secretsReader = ref(addressOf(json, 'google_project_iam_custom_role', (role) => role.role_id === 'idpkit_prod_k8s_secrets'), 'name');
    expect(projectRolesOf(json, 'idpkit-prod-plan')).toEqual(
      ['roles/iam.securityReviewer @ acme-idp-prod', 'roles/viewer @ acme-idp-prod', `${secretsReader} @ acme-idp-prod`].sort(),
    );
    const bindings = bucketBindingsOf(json, 'idpkit-prod-plan');
    expect(bindings.find((b) => b.role === 'roles/storage.objectViewer')).toMatchObject({ bucket: 'acme-idp-tfstate' });
    expect(bindings.find((b) => b.role === 'roles/storage.objectViewer').condition).toBeUndefined();
    expect(bindings.find((b) => b.role === 'roles/storage.objectUser')).toMatchObject({
      bucket: 'acme-idp-tfstate',
      condition: {
        title: 'state-lock-only',
        expression:
          '(resource.name.startsWith("projects/_/buckets/acme-idp-tfstate/objects/idpkit/prod-infra/") || ' +
          'resource.name.startsWith("projects/_/buckets/acme-idp-tfstate/objects/idpkit/prod-platform/")) && resource.name.endsWith(".tflock")',
      },
    });
  });

  test('the apply account manages the platform with service admin roles, no roles/editor, and writes its environment\'s state only', () => {
    const budgets = ref(addressOf(json, 'google_project_iam_custom_role', (role) => role.role_id === 'idpkit_prod_budgets'), 'name');
    expect(projectRolesOf(json, 'idpkit-prod-apply')).toEqual(
      [
        'roles/artifactregistry.admin',
        'roles/browser',
        'roles/cloudkms.admin',
        'roles/cloudsql.admin',
        'roles/compute.networkAdmin',
        'roles/compute.securityAdmin',
        'roles/container.admin',
        'roles/dns.admin',
        'roles/iam.serviceAccountAdmin',
        'roles/iam.serviceAccountUser',
        'roles/monitoring.editor',
        'roles/secretmanager.admin',
        'roles/servicenetworking.networksAdmin',
        'roles/serviceusage.serviceUsageAdmin',
        'roles/storage.admin',
        budgets,
      ]
        .map((role) => `${role} @ acme-idp-prod`)
        .sort(),
    );
    expect(resources(json, 'google_project_iam_custom_role').find((role) => role.role_id === 'idpkit_prod_budgets').permissions).toEqual(['billing.resourcebudgets.read', 'billing.resourcebudgets.write']);
    const iamAdmin = resources(json, 'google_project_iam_member').find((b) => b.member === memberOf(json, 'idpkit-prod-apply') && b.role === 'roles/resourcemanager.projectIamAdmin');
    expect(iamAdmin.condition.expression).toMatch(/^api\.getAttribute\('iam\.googleapis\.com\/modifiedGrantsByRole', \[\]\)\.hasOnly\(\[/);
    expect(iamAdmin.condition.expression).not.toMatch(/roles\/(owner|editor|resourcemanager\.projectIamAdmin|iam\.securityAdmin)'/);
    expect(bucketBindingsOf(json, 'idpkit-prod-apply').find((b) => b.role === 'roles/storage.objectUser').condition.expression).toBe(
      '(resource.name.startsWith("projects/_/buckets/acme-idp-tfstate/objects/idpkit/prod-infra/") || ' +
        'resource.name.startsWith("projects/_/buckets/acme-idp-tfstate/objects/idpkit/prod-platform/"))',
    );
  });

  test('the plan account also reads Kubernetes Secrets (Helm release records), through a custom role that can do nothing else', () => {
    const reader = (role: any) => role.role_id === 'idpkit_prod_k8s_secrets';
    expect(resources(json, 'google_project_iam_custom_role').find(reader)).toMatchObject({
      project: 'acme-idp-prod',
      permissions: ['container.secrets.get', 'container.secrets.list'],
    });
    const binding = resources(json, 'google_project_iam_member').find((b) => b.role === ref(addressOf(json, 'google_project_iam_custom_role', reader), 'name'));
    expect(binding.member).toBe(memberOf(json, 'idpkit-prod-plan'));
  });

  test('reads no Secret Manager values unless a secret name prefix is given', () => {
    expect(resources(json, 'google_project_iam_member').filter((b) => b.role === 'roles/secretmanager.secretAccessor')).toEqual([]);
  });

  test('outputs the provider name and service account e-mails for the workflows, nothing secret', () => {
    expect(json.output).toEqual({
      ci_prod_workload_identity_provider: expect.objectContaining({ value: `${POOL}/providers/github-actions` }),
      ci_prod_plan_service_account: expect.objectContaining({ value: ref(accountAddress(json, 'idpkit-prod-plan'), 'email') }),
      ci_prod_apply_service_account: expect.objectContaining({ value: ref(accountAddress(json, 'idpkit-prod-apply'), 'email') }),
    });
    expect(Object.values(json.output!).some((output: any) => output.sensitive)).toBe(false);
  });
});

describe('GcpGithubDeployServiceAccounts grants', () => {
  const iamAdminOf = (json: TerraformJson) => resources(json, 'google_project_iam_member').find((b) => b.role === 'roles/resourcemanager.projectIamAdmin');

  test('limits project IAM changes to the grantable roles', () => {
    const json = synth({ ...base, grantableRoles: ['roles/dns.reader', 'roles/container.defaultNodeServiceAccount'] });
    expect(iamAdminOf(json).condition).toEqual({
      title: 'idpkit-grantable-roles-only',
      description: expect.any(String),
      expression: "api.getAttribute('iam.googleapis.com/modifiedGrantsByRole', []).hasOnly(['roles/container.defaultNodeServiceAccount', 'roles/dns.reader'])",
    });
  });

  test('grants project IAM admin without a condition only when constrainedGrants is false', () => {
    expect(iamAdminOf(synth({ ...base, constrainedGrants: false })).condition).toBeUndefined();
  });

  test.each(['roles/owner', 'roles/editor', 'roles/resourcemanager.projectIamAdmin', 'roles/iam.securityAdmin', 'roles/iam.serviceAccountTokenCreator'])('throws when %s is grantable', (role) => {
    expect(() => synth({ ...base, grantableRoles: ['roles/dns.reader', role] })).toThrow(new RegExp(`role "${role.replace(/[./]/g, '\\$&')}" may not be grantable by the apply account`));
  });

  test('throws when a Terraform type has no roles in the table', () => {
    expect(() => synth({ ...base, applyResourceTypes: ['google_cloudfunctions_function'] })).toThrow(/Terraform type "google_cloudfunctions_function" has no roles in GCP_APPLY_ROLES/);
  });
});

describe('GcpGithubDeployServiceAccounts options', () => {
  test('takes other roles, another branch and other stacks', () => {
    const json = synth({
      ...base,
      environment: 'dev',
      defaultBranch: 'develop',
      stateStackNames: ['dev-infra'],
      applyRoles: ['roles/editor'],
      planRoles: ['roles/viewer'],
      planKubernetesSecrets: false,
    });
    expect(projectRolesOf(json, 'idpkit-dev-apply')).toEqual(['roles/editor @ acme-idp-prod']);
    expect(projectRolesOf(json, 'idpkit-dev-plan')).toEqual(['roles/viewer @ acme-idp-prod']);
    expect(impersonatorsOf(json, 'idpkit-dev-plan').map(([, member]) => member)).toContain(`principal://iam.googleapis.com/${POOL}/subject/repo:acme/platform:ref:refs/heads/develop`);
    expect(bucketBindingsOf(json, 'idpkit-dev-apply').find((b) => b.role === 'roles/storage.objectUser').condition.expression).toBe(
      'resource.name.startsWith("projects/_/buckets/acme-idp-tfstate/objects/idpkit/dev-infra/")',
    );
  });
});

describe('GcpGithubDeployServiceAccounts secret access', () => {
  const json = synth({ ...base, secretNamePrefix: 'prod-' });

  test('both accounts read the values of the environment\'s secrets only (no service role reads them), under a condition on the name', () => {
    const accessors = resources(json, 'google_project_iam_member').filter((b) => b.role === 'roles/secretmanager.secretAccessor');
    expect(accessors.map((b) => b.member).sort()).toEqual([memberOf(json, 'idpkit-prod-apply'), memberOf(json, 'idpkit-prod-plan')].sort());
    const [projectName] = Object.entries(json.data!.google_project).find(([, body]: [string, any]) => body.project_id === 'acme-idp-prod')!;
    for (const accessor of accessors) {
      expect(accessor).toMatchObject({
        project: 'acme-idp-prod',
        condition: { title: 'environment-secrets-only', expression: `resource.name.startsWith("projects/\${data.google_project.${projectName}.number}/secrets/prod-")` },
      });
    }
  });

  test('throws when the prefix is not a secret name prefix', () => {
    expect(() => synth({ ...base, secretNamePrefix: 'prod") || true || ("' })).toThrow(/secretNamePrefix .* is not a Secret Manager secret name prefix/);
  });
});

describe('GcpGithubDeployServiceAccounts without the Kubernetes Secrets role', () => {
  test('makes no custom role when planKubernetesSecrets is false', () => {
    expect(resources(synth({ ...base, planKubernetesSecrets: false }), 'google_project_iam_custom_role').map((role) => role.role_id)).toEqual(['idpkit_prod_budgets']);
  });
});

describe('gcpGithubPoolRef', () => {
  test('names an existing pool and provider from the project number, as a second bootstrap stack of the project uses them', () => {
    expect(gcpGithubPoolRef('123456789012')).toEqual(pool);
    expect(gcpGithubPoolRef('1', 'other-pool', 'gh')).toEqual({
      poolName: 'projects/1/locations/global/workloadIdentityPools/other-pool',
      providerName: 'projects/1/locations/global/workloadIdentityPools/other-pool/providers/gh',
    });
  });
});

describe('gcpKubernetesSecretsReaderRoleId', () => {
  test('is idpkit_<env>_k8s_secrets, shortened with a hash past 64 characters', () => {
    expect(gcpKubernetesSecretsReaderRoleId('customer-eu')).toBe('idpkit_customer_eu_k8s_secrets');
    const long = gcpKubernetesSecretsReaderRoleId('a'.repeat(51));
    expect(long).toMatch(/^idpkit_a+_[0-9a-f]{6}_k8s_secrets$/);
    expect(long.length).toBeLessThanOrEqual(64);
  });
});

describe('gcpDeployAccountId', () => {
  test('keeps idpkit-<env>-<purpose> when it fits in 30 characters', () => {
    expect(gcpDeployAccountId('prod', 'apply')).toBe('idpkit-prod-apply');
    expect(gcpDeployAccountId('a'.repeat(17), 'apply')).toBe(`idpkit-${'a'.repeat(17)}-apply`);
  });

  test('shortens longer names deterministically, keeping them distinct and valid', () => {
    const id = gcpDeployAccountId('customer-analytics-eu', 'apply');
    expect(id).toMatch(/^idpkit-customer-a-[0-9a-f]{6}-apply$/);
    expect(id.length).toBeLessThanOrEqual(30);
    expect(gcpDeployAccountId('customer-analytics-eu', 'apply')).toBe(id);
    expect(gcpDeployAccountId('customer-analytics-us', 'apply')).not.toBe(id);
    expect(gcpDeployAccountId('customer-analytics-eu', 'plan')).toMatch(/^[a-z]([-a-z0-9]{4,28})[a-z0-9]$/);
  });
});

describe('GcpGithubDeployServiceAccounts validation', () => {
  const build = (change: Partial<GcpGithubDeployServiceAccountsProps>) => () => synth({ ...base, ...change });

  test('throws when the owner is not a GitHub name', () => {
    expect(build({ repository: { owner: 'acme.corp', repo: 'platform' } })).toThrow(IdpkitError);
    expect(build({ repository: { owner: 'acme.corp', repo: 'platform' } })).toThrow(/repository.owner "acme.corp" is not a GitHub user or organisation name/);
  });

  test('throws when the environment is not a DNS label', () => {
    expect(build({ environment: '-prod' })).toThrow(/environment "-prod" is not a deployable environment name/);
  });

  test('throws when a subject is longer than Google accepts', () => {
    expect(build({ repository: { owner: 'a'.repeat(39), repo: 'r'.repeat(100) } })).toThrow(/longer than the 127 bytes Google accepts/);
  });

  test('throws when a role is not an IAM role name', () => {
    expect(build({ applyRoles: ['editor'] })).toThrow(/applyRoles entry "editor" is not an IAM role/);
  });
});
