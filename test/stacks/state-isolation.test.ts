/**
 * Nothing in the clusters can reach Terraform state (issue 18, section 4), shown statically over
 * the synthesized output of every shipped environment (IDPKIT_ENVIRONMENT_SET=all): no in-cluster
 * identity of any cloud (workload identities of Crossplane, External Secrets, Loki, Tempo, Vault,
 * external-dns, Karpenter and the others, and the nodes' own identity) may read or write a state
 * bucket or container, or use its key.
 *
 * - AWS: each in-cluster role's policies, evaluated by an IAM policy simulator
 *   (@cloud-copilot/iam-simulate), are denied s3:GetObject, s3:PutObject, s3:ListBucket,
 *   s3:PutBucketPolicy on every state bucket and kms:Decrypt on every state key; managed policies
 *   attached to them are from a short list that grants no S3 object or KMS access.
 * - Azure: no role assignment of an in-cluster principal has a scope that contains a state
 *   storage account or its Key Vault (subscription, state resource group, the account itself).
 * - GCP: no in-cluster service account has a project-wide role that reaches storage, keys or other
 *   identities without a condition that excludes the state bucket, nor a bucket or key binding on
 *   a state bucket or state key.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { GCS_STATE_KEY_NAME, gcsStateKeyRingName } from '../../constructs/capabilities/state/gcp';
import { environmentSets } from '../../environments';
import { Environment, EnvironmentOn, validateEnvironments } from '../../environments/types';
import { TerraformJson } from '../helpers';
import { synthesizedSet } from '../support/synthesized-sets';

/** main.ts's synthesis of the `all` set, shared with the other test files that read it. */
const outdir = synthesizedSet('all');
const environments = validateEnvironments(environmentSets.all);
const stackOf = (name: string): TerraformJson => JSON.parse(readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
/** The stacks whose identities run in (or for) a cluster: every stack but the bootstrap ones, which hold the state. */
const clusterStacks = readdirSync(join(outdir, 'stacks')).filter((name) => !name.startsWith('bootstrap-'));
const on = <C extends Environment['cloud']>(cloud: C) => environments.filter((env): env is EnvironmentOn<C> => env.cloud === cloud);
const stacksOf = (envs: readonly Environment[]) => clusterStacks.filter((stack) => envs.some((env) => stack.startsWith(`${env.name}-`)));
const bodies = (json: TerraformJson, type: string): [string, any][] => Object.entries(json.resource?.[type] ?? {});
/** The resource name a reference `${type.name.attribute}` points to. */
const referenced = (value: string, type: string): string | undefined => new RegExp(`\\$\\{${type.replace(/\./g, '\\.')}\\.([^.}]+)\\.`).exec(value)?.[1];

test('the synthesized set has in-cluster identities on every cloud to check', () => {
  expect(new Set(environments.map((env) => env.cloud))).toEqual(new Set(['aws', 'azure', 'gcp']));
  expect(clusterStacks.length).toBeGreaterThanOrEqual(12);
});

describe('AWS: no in-cluster role may read or write a state bucket or use its key (IAM policy simulation)', () => {
  const envs = on('aws');
  const states = envs.map((env) => {
    if (env.state.backend !== 's3') throw new Error(`${env.name} has no s3 state`);
    const bootstrap = stackOf(`bootstrap-${env.state.bucket}`);
    // KMS evaluates a key's own policy first: the state key's delegates to IAM (the account's root), so the roles' policies decide.
    const keyPolicy = JSON.parse(String(bodies(bootstrap, 'aws_kms_key')[0][1].policy).replace(/\$\{data\.aws_caller_identity\.[^}]+\}/g, env.aws.accountId));
    return { bucket: env.state.bucket, region: env.state.region ?? env.aws.region, accountId: env.aws.accountId, keyPolicy };
  });
  /** Roles pods (Pod Identity, IRSA) or nodes (EC2) assume, with their inline policies resolved to ARNs, per stack. */
  const roles = stacksOf(envs).flatMap((stack) => {
    const json = stackOf(stack);
    const env = envs.find((e) => stack.startsWith(`${e.name}-`))!;
    const resolve = (policy: string) =>
      policy
        .replace(/\$\{aws_s3_bucket\.([^.]+)\.arn\}/g, (_, id) => `arn:aws:s3:::${json.resource.aws_s3_bucket[id].bucket}`)
        .replace(/\$\{aws_kms_key\.([^.]+)\.arn\}/g, (_, id) => `arn:aws:kms:${env.aws.region}:${env.aws.accountId}:key/${id}`)
        .replace(/\$\{data\.aws_region\.[^}]+\}/g, env.aws.region)
        .replace(/\$\{data\.aws_caller_identity\.[^}]+\}/g, env.aws.accountId)
        // Anything else names a resource of this stack (a queue, a database): never a state bucket or key.
        .replace(/\$\{([^}]+)\}/g, (_, ref) => `arn:aws:unresolved:${env.aws.region}:${env.aws.accountId}:${ref.replace(/[^\w-]/g, '-')}`);
    return bodies(json, 'aws_iam_role')
      .filter(([, role]) => /pods\.eks\.amazonaws\.com|ec2\.amazonaws\.com|aws_iam_openid_connect_provider/.test(role.assume_role_policy))
      .map(([id, role]) => ({
        name: `${stack}/${id} (${role.name})`,
        policies: bodies(json, 'aws_iam_role_policy')
          .filter(([, policy]) => referenced(policy.role, 'aws_iam_role') === id)
          .map(([, policy]) => JSON.parse(resolve(policy.policy))),
        managed: bodies(json, 'aws_iam_role_policy_attachment')
          .filter(([, attachment]) => referenced(attachment.role, 'aws_iam_role') === id)
          .map(([, attachment]) => attachment.policy_arn as string),
      }));
  });

  async function allowed(policies: object[], action: string, resource: string, accountId: string, context: Record<string, string> = {}, resourcePolicy?: object): Promise<boolean> {
    const result = await runSimulation(
      {
        request: { principal: `arn:aws:iam::${accountId}:role/subject`, action, resource: { resource, accountId }, contextVariables: context },
        ...(resourcePolicy ? { resourcePolicy } : {}),
        identityPolicies: policies.map((policy, index) => ({ name: `inline-${index}`, policy })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      },
      {},
    );
    if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
    return result.overallResult === 'Allowed';
  }

  test('the roles include the add-ons\' and the nodes\'', () => {
    const names = roles.map((role) => role.name).join('\n');
    for (const addon of ['crossplane', 'external-secrets', 'loki', 'tempo', 'vault', 'external-dns', 'karpenter']) expect(names).toContain(`identity-${addon}`);
    expect(names).toMatch(/node-role/);
  });

  test('each is denied the state objects, the state bucket\'s policy and the state key (same account; the key\'s own policy leaves it to IAM)', async () => {
    const reached: string[] = [];
    for (const role of roles) {
      for (const state of states) {
        const bucketArn = `arn:aws:s3:::${state.bucket}`;
        const keyArn = `arn:aws:kms:${state.region}:${state.accountId}:key/0000state-0000-0000-0000-000000000000`;
        const viaS3 = { 'kms:ViaService': `s3.${state.region}.amazonaws.com`, 'kms:EncryptionContext:aws:s3:arn': bucketArn };
        const checks: [string, string, Record<string, string>][] = [
          ['s3:GetObject', `${bucketArn}/idpkit/prod-infra/terraform.tfstate`, {}],
          ['s3:PutObject', `${bucketArn}/idpkit/prod-infra/terraform.tfstate`, {}],
          ['s3:DeleteObject', `${bucketArn}/idpkit/prod-infra/terraform.tfstate.tflock`, {}],
          ['s3:ListBucket', bucketArn, {}],
          ['s3:PutBucketPolicy', bucketArn, {}],
          ['kms:Decrypt', keyArn, {}],
          ['kms:Decrypt', keyArn, viaS3],
          ['kms:GenerateDataKey', keyArn, viaS3],
        ];
        for (const [action, resource, context] of checks) {
          const keyPolicy = action.startsWith('kms:') ? state.keyPolicy : undefined;
          if (await allowed(role.policies, action, resource, state.accountId, context, keyPolicy)) reached.push(`${role.name}: ${action} ${resource}`);
        }
      }
    }
    expect(reached).toEqual([]);
  });

  test('the simulation would catch a role that could (control: s3:GetObject and kms:Decrypt on *)', async () => {
    const broad = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 'kms:Decrypt'], Resource: '*' }] };
    const [state] = states;
    expect(await allowed([broad], 's3:GetObject', `arn:aws:s3:::${state.bucket}/idpkit/prod-infra/terraform.tfstate`, state.accountId)).toBe(true);
    expect(await allowed([broad], 'kms:Decrypt', `arn:aws:kms:${state.region}:${state.accountId}:key/0000state-0000-0000-0000-000000000000`, state.accountId, {}, state.keyPolicy)).toBe(true);
  });

  test('managed policies on them are only ones that grant no S3 object or KMS access', () => {
    const noStateAccess = [
      'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
      'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
      'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy',
    ];
    const others = roles.flatMap((role) => role.managed.filter((arn) => !noStateAccess.includes(arn)).map((arn) => `${role.name}: ${arn}`));
    expect(others).toEqual([]);
    expect(roles.some((role) => role.managed.length > 0)).toBe(true);
  });
});

describe('Azure: no in-cluster principal has a role on a scope that contains a state storage account or its Key Vault', () => {
  const envs = on('azure');
  /** The resource ids of each state storage account and its Key Vault, from the bootstrap stacks that create them. */
  const stateIds = envs.flatMap((env) => {
    if (env.state.backend !== 'azurerm') throw new Error(`${env.name} has no azurerm state`);
    const group = `/subscriptions/${env.azure.subscriptionId}/resourceGroups/${env.state.resourceGroupName}`;
    const bootstrap = stackOf(`bootstrap-${env.state.storageAccountName}`);
    const vaults = bodies(bootstrap, 'azurerm_key_vault').map(([, vault]) => `${group}/providers/Microsoft.KeyVault/vaults/${vault.name}`);
    expect(vaults).toHaveLength(1);
    return [`${group}/providers/Microsoft.Storage/storageAccounts/${env.state.storageAccountName}`, ...vaults];
  });

  /** A scope as a resource id: literal, or a reference to a resource of the stack resolved through its name and resource group. */
  function resourceId(json: TerraformJson, env: EnvironmentOn<'azure'>, value: string): string {
    const literal = (text: string): string => {
      const ref = /^\$\{([a-z_]+)\.([^.}]+)\.name\}$/.exec(text);
      return ref ? literal(json.resource[ref[1]][ref[2]].name) : text;
    };
    const ref = /^\$\{([a-z_]+)\.([^.}]+)\.([a-z_]+)\}$/.exec(value);
    if (!ref) {
      if (value.includes('${')) throw new Error(`cannot resolve scope ${value}`);
      return value;
    }
    const [, type, name] = ref;
    const body = json.resource[type]?.[name];
    if (!body) throw new Error(`cannot resolve scope ${value}`);
    switch (type) {
      case 'azurerm_resource_group':
        return `/subscriptions/${env.azure.subscriptionId}/resourceGroups/${literal(body.name)}`;
      case 'azurerm_storage_container':
        return `${resourceId(json, env, body.storage_account_id)}/blobServices/default/containers/${literal(body.name)}`;
      case 'azurerm_key_vault_key':
        return `${resourceId(json, env, body.key_vault_id)}/keys/${literal(body.name)}`;
      default:
        if (body.resource_group_name === undefined) throw new Error(`cannot resolve scope ${value}`);
        return `/subscriptions/${env.azure.subscriptionId}/resourceGroups/${literal(body.resource_group_name)}/providers/${type}/${literal(body.name)}`;
    }
  }

  const assignments = stacksOf(envs).flatMap((stack) => {
    const json = stackOf(stack);
    const env = envs.find((e) => stack.startsWith(`${e.name}-`))!;
    const workloadIdentities = new Set(bodies(json, 'azurerm_federated_identity_credential').map(([, credential]) => referenced(credential.parent_id, 'azurerm_user_assigned_identity')));
    const inCluster = (principal: string) =>
      workloadIdentities.has(referenced(principal, 'azurerm_user_assigned_identity')) || /azurerm_kubernetes_cluster\.[^.]+\.kubelet_identity/.test(principal);
    return bodies(json, 'azurerm_role_assignment')
      .filter(([, assignment]) => inCluster(assignment.principal_id))
      .map(([id, assignment]) => ({ name: `${stack}/${id}`, role: assignment.role_definition_name as string, scope: resourceId(json, env, assignment.scope) }));
  });

  test('the principals include the add-ons\' workload identities and the kubelet', () => {
    const names = assignments.map((a) => a.name).join('\n');
    for (const addon of ['crossplane', 'external-secrets', 'loki', 'tempo', 'vault', 'external-dns']) expect(names).toContain(`identity-${addon}`);
    expect(assignments.some((a) => a.role === 'AcrPull')).toBe(true);
  });

  test('no scope is, or contains, a state storage account or its Key Vault', () => {
    const contains = (scope: string, id: string) => id.toLowerCase() === scope.toLowerCase() || id.toLowerCase().startsWith(`${scope.toLowerCase()}/`);
    const reaching = assignments.filter((a) => stateIds.some((id) => contains(a.scope, id))).map((a) => `${a.name}: ${a.role} on ${a.scope}`);
    expect(reaching).toEqual([]);
  });

  test("Crossplane's Contributor is on the claims resource group only, not the environment's (cluster, Key Vault)", () => {
    const contributor = assignments.filter((a) => a.role === 'Contributor');
    expect(contributor.length).toBeGreaterThan(0);
    for (const a of contributor) expect(a.scope).toMatch(/\/resourceGroups\/[^/]+-claims$/);
  });
});

describe('GCP: no in-cluster service account reaches a state bucket or its key', () => {
  const envs = on('gcp');
  const states = envs.map((env) => {
    if (env.state.backend !== 'gcs') throw new Error(`${env.name} has no gcs state`);
    return { bucket: env.state.bucket, keyRing: gcsStateKeyRingName(env.state.bucket) };
  });
  /** Project roles that reach buckets, objects, keys or other identities unless a condition keeps them off. */
  const reachesState = /^roles\/(owner|editor|storage\.|cloudkms\.|iam\.serviceAccount(User|TokenCreator|Admin|KeyAdmin)|iam\.workloadIdentityUser|resourcemanager\.projectIamAdmin)/;

  const stacks = stacksOf(envs).map((stack) => {
    const json = stackOf(stack);
    const workload = bodies(json, 'google_service_account_iam_member')
      .filter(([, binding]) => binding.role === 'roles/iam.workloadIdentityUser' && binding.member.includes('workload_identity_config'))
      .map(([, binding]) => referenced(binding.service_account_id, 'google_service_account'));
    const nodes = [...bodies(json, 'google_container_cluster'), ...bodies(json, 'google_container_node_pool')].map(([, body]) =>
      referenced(body.node_config?.service_account ?? '', 'google_service_account'),
    );
    const inCluster = new Set([...workload, ...nodes].filter((name): name is string => name !== undefined));
    const ofInCluster = ([, binding]: [string, any]) => inCluster.has(referenced(binding.member ?? '', 'google_service_account') ?? '');
    return { stack, json, inCluster, ofInCluster };
  });

  test('the service accounts include the add-ons\' and the nodes\'', () => {
    const names = stacks.flatMap((s) => [...s.inCluster]).join('\n');
    for (const addon of ['crossplane', 'external-secrets', 'loki', 'tempo', 'vault', 'external-dns']) expect(names).toContain(`identity-${addon}`);
    expect(names).toMatch(/node-service-account/);
  });

  test('no project-wide role that reaches storage, keys or identities, unless its condition excludes every state bucket and its objects', () => {
    const reaching: string[] = [];
    for (const { stack, json, ofInCluster } of stacks) {
      for (const [id, binding] of bodies(json, 'google_project_iam_member').filter(ofInCluster)) {
        if (!reachesState.test(binding.role)) continue;
        const expression = binding.condition?.expression as string | undefined;
        const stateResources = states.flatMap(({ bucket }) => [`projects/_/buckets/${bucket}`, `projects/_/buckets/${bucket}/objects/idpkit/gcp-prod-infra/default.tfstate`]);
        const excluded = expression !== undefined && stateResources.every((name) => !evaluateCondition(expression, name));
        if (!excluded) reaching.push(`${stack}/${id}: ${binding.role} ${expression ?? '(no condition)'}`);
      }
    }
    expect(reaching).toEqual([]);
  });

  test('no bucket binding on a state bucket and no key binding on a state key', () => {
    const reaching: string[] = [];
    for (const { stack, json, ofInCluster } of stacks) {
      const nameOf = (value: string, type: string): string => {
        const ref = referenced(value, type);
        return ref ? json.resource[type][ref].name : value;
      };
      for (const [id, binding] of bodies(json, 'google_storage_bucket_iam_member').filter(ofInCluster)) {
        if (states.some(({ bucket }) => nameOf(binding.bucket, 'google_storage_bucket') === bucket)) reaching.push(`${stack}/${id}`);
      }
      for (const [id, binding] of bodies(json, 'google_kms_crypto_key_iam_member').filter(ofInCluster)) {
        const key = referenced(binding.crypto_key_id, 'google_kms_crypto_key');
        const path = key
          ? `${nameOf(json.resource.google_kms_crypto_key[key].key_ring, 'google_kms_key_ring')}/${json.resource.google_kms_crypto_key[key].name}`
          : binding.crypto_key_id;
        if (states.some(({ keyRing }) => path.endsWith(`${keyRing}/${GCS_STATE_KEY_NAME}`) || path.endsWith(`keyRings/${keyRing}/cryptoKeys/${GCS_STATE_KEY_NAME}`))) reaching.push(`${stack}/${id}`);
      }
    }
    expect(reaching).toEqual([]);
  });

  test('the condition check would catch an unconditioned or too wide storage role (control)', () => {
    expect(evaluateCondition('!resource.name.startsWith("projects/_/buckets/") || resource.name.startsWith("projects/_/buckets/acme-")', 'projects/_/buckets/acme-idp-prod-tfstate')).toBe(true);
    expect(() => evaluateCondition('resource.type == "storage.googleapis.com/Bucket"', 'projects/_/buckets/x')).toThrow('condition not understood');
  });

  test("Crossplane's storage role holds only on its own buckets", () => {
    const crossplane = stacks.flatMap(({ json, ofInCluster }) => bodies(json, 'google_project_iam_member').filter(ofInCluster)).filter(([id]) => id.startsWith('identity-crossplane'));
    const storage = crossplane.find(([, binding]) => binding.role === 'roles/storage.admin');
    expect(storage).toBeDefined();
    const expression = storage![1].condition.expression;
    expect(evaluateCondition(expression, 'projects/_/buckets/idpkit-gcp-prod-uploads')).toBe(true);
    expect(evaluateCondition(expression, 'projects/_/buckets/idpkit-gcp-prod-uploads/objects/a')).toBe(true);
    expect(evaluateCondition(expression, 'projects/_/buckets/acme-idp-prod-tfstate/objects/idpkit/gcp-prod-infra/default.tfstate')).toBe(false);
  });
});

/**
 * Evaluates the CEL subset idpkit's IAM conditions use (`resource.name.startsWith("…")`,
 * `resource.name == "…"`, `!`, `&&`, `||`, parentheses) for one resource name; anything else throws,
 * so a condition this test cannot read fails it.
 */
function evaluateCondition(expression: string, resourceName: string): boolean {
  const tokens = expression.match(/\s*(\|\||&&|!|\(|\)|resource\.name\.startsWith\("[^"]*"\)|resource\.name == "[^"]*")/gy);
  if (!tokens || tokens.join('').trim() !== expression.trim()) throw new Error(`condition not understood: ${expression}`);
  const list = tokens.map((token) => token.trim());
  let at = 0;
  const or = (): boolean => {
    let value = and();
    while (list[at] === '||') {
      at += 1;
      value = and() || value;
    }
    return value;
  };
  const and = (): boolean => {
    let value = unary();
    while (list[at] === '&&') {
      at += 1;
      value = unary() && value;
    }
    return value;
  };
  const unary = (): boolean => {
    const token = list[at++];
    if (token === '!') return !unary();
    if (token === '(') {
      const value = or();
      if (list[at++] !== ')') throw new Error(`condition not understood: ${expression}`);
      return value;
    }
    const startsWith = /^resource\.name\.startsWith\("([^"]*)"\)$/.exec(token);
    if (startsWith) return resourceName.startsWith(startsWith[1]);
    const equals = /^resource\.name == "([^"]*)"$/.exec(token);
    if (equals) return resourceName === equals[1];
    throw new Error(`condition not understood: ${expression}`);
  };
  const result = or();
  if (at !== list.length) throw new Error(`condition not understood: ${expression}`);
  return result;
}
