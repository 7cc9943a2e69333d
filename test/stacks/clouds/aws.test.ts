import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from '../../../constructs/core/cdktf';
import { EnvironmentOn, validateEnvironments } from '../../../environments/types';
import { addPlatformStacks, ciProviderCreators, spotRoleCreators } from '../../../stacks/app';
import { InfraStack } from '../../../stacks/infra-stack';
import { StateBootstrapStack } from '../../../stacks/state-bootstrap-stack';
import { TerraformJson, devConfig, prodConfig, resources, synthJson } from '../../helpers';

type AwsEnv = EnvironmentOn<'aws'>;
const newApp = () => new App({ outdir: mkdtempSync(join(tmpdir(), 'idpkit-aws-')) });
const validate = (...configs: unknown[]) => validateEnvironments(configs) as AwsEnv[];
const [devEnv] = validate(devConfig());
/** An environment's infra stack, synthesized once per validated environment: the tests only read it. */
const infraStacks = new Map<AwsEnv, TerraformJson>();
const infraOf = (env: AwsEnv): TerraformJson => {
  if (!infraStacks.has(env)) infraStacks.set(env, synthJson(new InfraStack(newApp(), { environment: env })));
  return infraStacks.get(env)!;
};
const bootstrapOf = (envs: AwsEnv[], ciProviderExists?: boolean) => synthJson(new StateBootstrapStack(newApp(), { environments: envs, ciProviderExists }));
const inlinePolicy = (json: TerraformJson, name: string) => JSON.parse(resources(json, 'aws_iam_role_policy').find((p) => p.name === name).policy).Statement;

describe('InfraStack on AWS with ci', () => {
  const json = infraOf(devEnv);
  const association = (role: string) => resources(json, 'aws_eks_access_policy_association').find((a) => a.principal_arn === `arn:aws:iam::111111111111:role/${role}`);

  test('gives the deploy roles EKS access entries, since CI also plans and applies <env>-platform', () => {
    expect(association('idpkit-dev-apply').policy_arn).toBe('arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy');
    expect(association('idpkit-dev-plan').policy_arn).toBe('arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy');
    const clusterName = association('idpkit-dev-plan').cluster_name;
    expect(clusterName).toMatch(/^\$\{aws_eks_cluster\..+\.name\}$/);
  });

  test('gives none without ci, or with local state (no bootstrap stack makes the roles)', () => {
    const entries = (config: unknown) =>
      resources(infraOf(validate(config)[0]), 'aws_eks_access_entry').map((e) => e.principal_arn);
    expect(entries(devConfig((c) => delete c.ci))).toEqual(['arn:aws:iam::111111111111:role/platform-admin']);
    expect(entries(devConfig((c) => (c.state = { backend: 'local' })))).toEqual(['arn:aws:iam::111111111111:role/platform-admin']);
  });
});

describe('InfraStack on AWS: tier protections and NetworkPolicy engine', () => {
  const prod = infraOf(validate(prodConfig())[0]);
  const dev = infraOf(devEnv);
  const STATEFUL = ['aws_db_instance', 'aws_ecr_repository', 'aws_eks_cluster', 'aws_kms_key', 'aws_s3_bucket', 'aws_secretsmanager_secret'];
  const lifecycles = (json: TerraformJson) => STATEFUL.flatMap((type) => resources(json, type).map((body) => body.lifecycle));

  test('prod keeps every database, registry, cluster, key, bucket and secret from destroy; dev does not', () => {
    expect(lifecycles(prod).length).toBeGreaterThan(10);
    expect(new Set(lifecycles(prod).map((lifecycle) => JSON.stringify(lifecycle)))).toEqual(new Set([JSON.stringify({ prevent_destroy: true })]));
    expect(lifecycles(dev).every((lifecycle) => lifecycle === undefined)).toBe(true);
    expect(resources(prod, 'aws_eks_cluster')[0].deletion_protection).toBe(true);
  });

  test('lets Cilium enforce NetworkPolicies where it is installed, the VPC CNI agent elsewhere', () => {
    const cniOf = (json: TerraformJson) => resources(json, 'aws_eks_addon').find((addon) => addon.addon_name === 'vpc-cni');
    expect(resources(prod, 'aws_eks_cluster')[0].tags['idpkit.dev/network-policy-engine']).toBe('cilium');
    expect(cniOf(prod).configuration_values).toBeUndefined();
    const withoutCilium = infraOf(validate(prodConfig((c) => (c.platform.addons.cilium = { enabled: false })))[0]);
    expect(resources(withoutCilium, 'aws_eks_cluster')[0].tags['idpkit.dev/network-policy-engine']).toBe('vpc-cni');
    expect(JSON.parse(cniOf(withoutCilium).configuration_values)).toEqual({ enableNetworkPolicy: 'true' });
  });
});

describe('InfraStack on AWS: names', () => {
  test('a cluster named like its environment gets KMS aliases of its own (aliases are unique per account and region)', () => {
    const [env] = validate(devConfig((c) => (c.cluster.name = 'dev')));
    const aliases = resources(infraOf(env), 'aws_kms_alias').map((alias) => alias.name);
    expect(aliases).toEqual(expect.arrayContaining(['alias/idpkit/dev/secrets', 'alias/idpkit/eks/dev/secrets']));
    expect(new Set(aliases).size).toBe(aliases.length);
  });
});

describe('StateBootstrapStack on AWS with ci', () => {
  const json = bootstrapOf([devEnv]);

  test('lets the plan role read the values of the environment\'s own secrets (dev-*), for refreshes', () => {
    expect(inlinePolicy(json, 'idpkit-dev-plan-secrets')[0]).toMatchObject({
      Action: 'secretsmanager:GetSecretValue',
      Resource: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:dev-*',
    });
  });

  test('creates the GitHub OIDC provider, or looks it up when another stack made it or the environment says it exists', () => {
    expect(resources(json, 'aws_iam_openid_connect_provider')).toHaveLength(1);
    for (const lookup of [bootstrapOf([devEnv], true), bootstrapOf(validate(devConfig((c) => (c.ci.github.oidcProviderExists = true))))]) {
      expect(lookup.resource.aws_iam_openid_connect_provider).toBeUndefined();
      expect(Object.values(lookup.data!.aws_iam_openid_connect_provider)).toEqual([{ url: 'https://token.actions.githubusercontent.com' }]);
    }
  });

  test('ci.permissions replace the roles\' managed policies', () => {
    const custom = bootstrapOf(
      validate(devConfig((c) => (c.ci.permissions = { plan: ['arn:aws:iam::aws:policy/ViewOnlyAccess'], apply: ['arn:aws:iam::111111111111:policy/idpkit-deploy'] }))),
    );
    const attached = (role: string) =>
      resources(custom, 'aws_iam_role_policy_attachment')
        .filter((a) => a.role.includes(Object.entries(custom.resource.aws_iam_role).find(([, r]: [string, any]) => r.name === role)![0]))
        .map((a) => a.policy_arn);
    expect(attached('idpkit-dev-plan')).toEqual(['arn:aws:iam::aws:policy/ViewOnlyAccess']);
    expect(attached('idpkit-dev-apply')).toEqual(['arn:aws:iam::111111111111:policy/idpkit-deploy']);
  });
});

describe('the bound of the AWS apply role (ci.permissions.boundary)', () => {
  const boundaryOf = (json: TerraformJson) => resources(json, 'aws_iam_policy').find((policy) => policy.name === 'idpkit-dev-boundary');
  const applyRoleOf = (json: TerraformJson) => resources(json, 'aws_iam_role').find((role) => role.name === 'idpkit-dev-apply');
  const infraRoles = (env: AwsEnv) => resources(infraOf(env), 'aws_iam_role').map((role) => role.permissions_boundary);

  test('by default, and with ci.permissions.apply, the apply role and every infra role carry the boundary', () => {
    const [custom] = validate(devConfig((c) => (c.ci.permissions = { apply: ['arn:aws:iam::aws:policy/PowerUserAccess'] })));
    for (const env of [devEnv, custom]) {
      const json = bootstrapOf([env]);
      expect(applyRoleOf(json).permissions_boundary).toMatch(/^\$\{aws_iam_policy\..+\.arn\}$/);
      expect(boundaryOf(json)).toBeDefined();
      expect(new Set(infraRoles(env))).toEqual(new Set(['arn:aws:iam::111111111111:policy/idpkit-dev-boundary']));
    }
  });

  test('ci.permissions.boundary: false drops it: no boundary policy, on no role', () => {
    const [unbounded] = validate(devConfig((c) => (c.ci.permissions = { boundary: false })));
    const json = bootstrapOf([unbounded]);
    expect(boundaryOf(json)).toBeUndefined();
    expect(applyRoleOf(json).permissions_boundary).toBeUndefined();
    expect(new Set(infraRoles(unbounded))).toEqual(new Set([undefined]));
  });

  test('environments without ci get no boundary on their roles', () => {
    expect(new Set(infraRoles(validate(devConfig((c) => delete c.ci))[0]))).toEqual(new Set([undefined]));
  });
});

describe('one GitHub OIDC provider per AWS account', () => {
  const second = devConfig((c) => {
    c.name = 'qa';
    c.cluster.name = 'idp-qa';
    c.network.cidr = '10.30.0.0/16';
    c.state.bucket = 'idpkit-state-qa-111111111111';
  });
  const otherAccount = prodConfig();

  test('the first bootstrap stack of each account with ci creates it; the others look it up', () => {
    expect([...ciProviderCreators(validate(devConfig(), second, otherAccount))]).toEqual(['idpkit-state-111111111111-eu-west-1', 'idpkit-state-222222222222-eu-west-1']);
    const stacks = addPlatformStacks(newApp(), validate(devConfig(), second, otherAccount));
    const providers = Object.fromEntries(
      Object.entries(stacks.stateBootstrap).map(([bucket, stack]) => [bucket, resources(synthJson(stack), 'aws_iam_openid_connect_provider').length]),
    );
    expect(providers).toEqual({ 'idpkit-state-111111111111-eu-west-1': 1, 'idpkit-state-qa-111111111111': 0, 'idpkit-state-222222222222-eu-west-1': 1 });
  });

  test('an account whose environment says the provider exists gets no creator', () => {
    const existing = devConfig((c) => (c.ci.github.oidcProviderExists = true));
    expect([...ciProviderCreators(validate(existing, second, otherAccount))]).toEqual(['idpkit-state-222222222222-eu-west-1']);
  });

  test('the decision is taken over every environment, so synthesizing a selection does not move the provider', () => {
    const all = validate(devConfig(), second);
    const stacks = addPlatformStacks(newApp(), [all[1]], { allEnvironments: all });
    expect(resources(synthJson(stacks.stateBootstrap['idpkit-state-qa-111111111111']), 'aws_iam_openid_connect_provider')).toEqual([]);
  });
});

describe("one EC2 Spot service-linked role per AWS account, when Karpenter may launch spot", () => {
  const spot = (c: any) => (c.platform.addons.karpenter = { enabled: true, capacityTypes: ['on-demand', 'spot'] });
  const second = devConfig((c) => {
    c.name = 'qa';
    c.cluster.name = 'idp-qa';
    c.network.cidr = '10.30.0.0/16';
    c.state.bucket = 'idpkit-state-qa-111111111111';
    spot(c);
  });
  const roles = (envs: AwsEnv[], all?: AwsEnv[]) =>
    Object.fromEntries(
      Object.entries(addPlatformStacks(newApp(), envs, { allEnvironments: all }).stateBootstrap).map(([bucket, stack]) => [bucket, resources(synthJson(stack), 'aws_iam_service_linked_role')]),
    );

  test('on-demand only (the default): no stack creates it', () => {
    expect(spotRoleCreators(validate(devConfig(), prodConfig()))).toEqual(new Set());
    expect(Object.values(roles(validate(devConfig(), prodConfig()))).flat()).toEqual([]);
  });

  test("the account's first bootstrap stack whose environments let Karpenter launch spot creates it; the others do not", () => {
    const envs = validate(devConfig(), second, prodConfig(spot));
    expect(roles(envs)).toEqual({
      'idpkit-state-111111111111-eu-west-1': [],
      'idpkit-state-qa-111111111111': [{ aws_service_name: 'spot.amazonaws.com', description: 'EC2 Spot Instances for Karpenter (idpkit)' }],
      'idpkit-state-222222222222-eu-west-1': [{ aws_service_name: 'spot.amazonaws.com', description: 'EC2 Spot Instances for Karpenter (idpkit)' }],
    });
    // and its NodePool launches spot
    const platform = synthJson(addPlatformStacks(newApp(), [envs[1]]).platform.qa);
    const nodePools = resources(platform, 'helm_release').find((r) => r.name === 'karpenter-node-pools');
    expect(nodePools.values[0]).toMatch(/key: karpenter\.sh\/capacity-type\n\s+operator: In\n\s+values:\n\s+- on-demand\n\s+- spot/);
  });

  test('none where an environment of the account says the role exists; the decision is taken over every environment', () => {
    const exists = devConfig((c) => (c.aws.spotServiceLinkedRoleExists = true));
    expect(spotRoleCreators(validate(exists, second))).toEqual(new Set());
    const all = validate(devConfig(spot), second);
    expect(roles([all[1]], all)['idpkit-state-qa-111111111111']).toEqual([]);
  });

  test('throws when an environment with local state lets Karpenter launch spot and the role is not said to exist', () => {
    const local: any = devConfig((c) => {
      spot(c);
      c.state = { backend: 'local' };
      delete c.ci;
    });
    expect(() => validate(local)).toThrow(/platform\.addons\.karpenter\.capacityTypes \["on-demand","spot"\] lets Karpenter launch spot, .*set aws\.spotServiceLinkedRoleExists: true/);
    expect(() => validate({ ...local, aws: { ...local.aws, spotServiceLinkedRoleExists: true } })).not.toThrow();
  });
});
