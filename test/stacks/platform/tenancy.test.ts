import { parse } from 'yaml';
import { TerraformStack, Testing } from '../../../constructs/core/cdktf';
import { TENANT_CONTAINER_DEFAULTS, TENANT_QUOTA_DEFAULTS, Tenancy, parseQuantity } from '../../../constructs/orchestration/tenancy/tenancy';
import { gcpDev } from '../../../environments/examples/gcp';
import { validateEnvironments } from '../../../environments/types';
import { TerraformJson, clone, devConfig, nodeProvisioningOf, prodConfig, synthEnvironment } from '../../helpers';

const platformJson = (config: unknown): TerraformJson => synthEnvironment(config).platform;

const tenancyRelease = (json: TerraformJson) => {
  const found = Object.entries(json.resource.helm_release ?? {}).find(([, r]: [string, any]) => r.name === 'tenancy') as [string, any] | undefined;
  if (!found) return undefined;
  const [id, body] = found;
  return { address: `helm_release.${id}`, body, manifests: parse(body.values[0]).manifests as any[] };
};
const objectsOf = (json: TerraformJson) => tenancyRelease(json)!.manifests;
const find = (objects: any[], kind: string, namespace: string, name?: string) =>
  objects.find((o) => o.kind === kind && (kind === 'Namespace' ? o.metadata.name === namespace : o.metadata.namespace === namespace && (!name || o.metadata.name === name)));
const kindsIn = (objects: any[], namespace: string) =>
  objects.filter((o) => (o.kind === 'Namespace' ? o.metadata.name : o.metadata.namespace) === namespace).map((o) => `${o.kind}/${o.metadata.name}`);

const withTenancy = (tenancy: Record<string, unknown>, more: Record<string, unknown> = {}) => (c: any) => {
  Object.assign(c.platform.addons, { tenancy: { enabled: true, ...tenancy }, ...more });
};

const TEAMS = [
  { name: 'payments', adminGroup: 'payments-admins', costCenter: 'cc-1042' },
  { name: 'search', adminGroup: 'search-admins', quota: { cpu: '2500m', memory: '6Gi', pods: 25 } },
];

describe('tenancy add-on, teams mode (medium preset)', () => {
  const json = platformJson(devConfig(withTenancy({ teams: TEAMS })));
  const release = tenancyRelease(json)!;
  const objects = release.manifests;

  test('applies one release, tenancy in kube-system, of the bundled manifests chart, depending on no add-on but node provisioning (Karpenter)', () => {
    expect(release.body).toMatchObject({ name: 'tenancy', namespace: 'kube-system', atomic: true });
    expect(release.body.chart).toMatch(/idpkit-manifests|^\.\/assets\//);
    expect(release.body.depends_on ?? []).toEqual(nodeProvisioningOf(json));
  });

  test('a namespace per team, restricted by Pod Security, labelled with its team, kept when the team is removed', () => {
    const payments = find(objects, 'Namespace', 'payments');
    expect(payments.metadata.labels).toEqual({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
      'app.kubernetes.io/managed-by': 'idpkit',
      'idpkit.dev/team': 'payments',
      'cost-center': 'cc-1042',
    });
    expect(payments.metadata.annotations).toEqual({ 'helm.sh/resource-policy': 'keep' });
    expect(find(objects, 'Namespace', 'search').metadata.labels).not.toHaveProperty('cost-center');
  });

  test("binds the built-in admin ClusterRole to the team's group in its namespace only", () => {
    expect(find(objects, 'RoleBinding', 'payments', 'team-admin')).toMatchObject({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'payments-admins' }],
    });
    expect(objects.filter((o) => o.kind === 'ClusterRoleBinding')).toEqual([]);
  });

  test('no quota, network policy or tenant label unless the team asks for a quota', () => {
    expect(kindsIn(objects, 'payments')).toEqual(['Namespace/payments', 'RoleBinding/team-admin']);
    expect(objects.filter((o) => o.kind === 'NetworkPolicy')).toEqual([]);
    expect(find(objects, 'Namespace', 'payments').metadata.labels).not.toHaveProperty('idpkit.dev/tenant');
    expect(find(objects, 'ResourceQuota', 'search', 'compute').spec.hard).toEqual({
      'requests.cpu': '2500m',
      'requests.memory': '6Gi',
      'limits.memory': '6Gi',
      pods: '25',
    });
    expect(find(objects, 'LimitRange', 'search', 'container-defaults')).toBeDefined();
  });

  test('installs nothing without teams (the medium preset enables tenancy with none)', () => {
    expect(tenancyRelease(platformJson(devConfig(withTenancy({}))))).toBeUndefined();
    expect(tenancyRelease(platformJson(devConfig()))).toBeUndefined();
  });
});

describe('tenancy add-on, multi-tenant mode (large preset)', () => {
  const tenants = [
    { name: 'payments', adminGroup: 'payments-admins', costCenter: 'cc-1042' },
    { name: 'search', adminGroup: 'search-admins', quota: { cpu: '24' } },
  ];
  const prod = platformJson(prodConfig(withTenancy({ mode: 'multi-tenant', teams: tenants })));
  const prodObjects = objectsOf(prod);
  const dev = objectsOf(platformJson(devConfig(withTenancy({ mode: 'multi-tenant', teams: tenants }, { cilium: { enabled: true }, istio: { enabled: false } }))));

  test('every tenant gets its namespace, admin binding, quota, container defaults and network policies', () => {
    expect(kindsIn(prodObjects, 'payments')).toEqual([
      'Namespace/payments',
      'RoleBinding/team-admin',
      'ResourceQuota/compute',
      'LimitRange/container-defaults',
      'NetworkPolicy/default-deny',
      'NetworkPolicy/allow-same-namespace',
      'NetworkPolicy/allow-dns',
      'NetworkPolicy/allow-from-platform-ingress',
      'NetworkPolicy/allow-from-platform-monitoring',
    ]);
  });

  test('cost-allocation labels: the tenant, and its cost center or else the environment one', () => {
    expect(find(prodObjects, 'Namespace', 'payments').metadata.labels).toMatchObject({
      'idpkit.dev/team': 'payments',
      'idpkit.dev/tenant': 'payments',
      'cost-center': 'cc-1042',
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
    expect(find(prodObjects, 'Namespace', 'search').metadata.labels).toMatchObject({ 'idpkit.dev/tenant': 'search', 'cost-center': 'platform' });
  });

  test('a tenant without a quota gets its tier default: dev smaller than prod', () => {
    const hard = (objects: any[]) => find(objects, 'ResourceQuota', 'payments', 'compute').spec.hard;
    expect(hard(dev)).toEqual({ 'requests.cpu': '4', 'requests.memory': '8Gi', 'limits.memory': '8Gi', pods: '40' });
    expect(hard(prodObjects)).toEqual({ 'requests.cpu': '16', 'requests.memory': '32Gi', 'limits.memory': '32Gi', pods: '160' });
    for (const key of ['cpu', 'memory'] as const) {
      expect(parseQuantity(TENANT_QUOTA_DEFAULTS.dev[key])!).toBeLessThan(parseQuantity(TENANT_QUOTA_DEFAULTS.staging[key])!);
      expect(parseQuantity(TENANT_QUOTA_DEFAULTS.staging[key])!).toBeLessThan(parseQuantity(TENANT_QUOTA_DEFAULTS.prod[key])!);
    }
  });

  test("a partial quota keeps the tier default for the fields it leaves out", () => {
    expect(find(prodObjects, 'ResourceQuota', 'search', 'compute').spec.hard).toEqual({
      'requests.cpu': '24',
      'requests.memory': '32Gi',
      'limits.memory': '32Gi',
      pods: '160',
    });
  });

  test('containers without requests get defaults, and a memory limit the quota counts', () => {
    expect(find(prodObjects, 'LimitRange', 'payments').spec.limits).toEqual([
      {
        type: 'Container',
        defaultRequest: { cpu: TENANT_CONTAINER_DEFAULTS.cpuRequest, memory: TENANT_CONTAINER_DEFAULTS.memoryRequest },
        default: { memory: TENANT_CONTAINER_DEFAULTS.memoryLimit },
      },
    ]);
  });

  test('default deny for every pod, in and out', () => {
    expect(find(prodObjects, 'NetworkPolicy', 'payments', 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('traffic within the namespace stays allowed, both ways', () => {
    expect(find(prodObjects, 'NetworkPolicy', 'payments', 'allow-same-namespace').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    });
  });

  test('DNS egress to the cluster DNS pods and NodeLocal DNSCache, port 53 only', () => {
    const spec = find(prodObjects, 'NetworkPolicy', 'payments', 'allow-dns').spec;
    expect(spec.policyTypes).toEqual(['Egress']);
    expect(spec.egress).toEqual([
      {
        to: [
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
          { ipBlock: { cidr: '169.254.20.10/32' } },
        ],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
    ]);
  });

  test("ingress from labelled platform namespaces and from the installed gateway's and monitoring namespaces", () => {
    expect(find(prodObjects, 'NetworkPolicy', 'payments', 'allow-from-platform-ingress').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            { namespaceSelector: { matchLabels: { 'idpkit.dev/platform-ingress': 'true' } } },
            { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['istio-ingress'] }] } },
          ],
        },
      ],
    });
    expect(find(prodObjects, 'NetworkPolicy', 'payments', 'allow-from-platform-monitoring').spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'idpkit.dev/platform-monitoring': 'true' } } },
      { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['alloy', 'monitoring'] } ] } },
    ]);
    // Without Istio, only the label admits an ingress namespace.
    expect(find(dev, 'NetworkPolicy', 'payments', 'allow-from-platform-ingress').spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'idpkit.dev/platform-ingress': 'true' } } },
    ]);
  });

  test('on GKE, DNS egress also reaches the metadata server (Cloud DNS for GKE)', () => {
    const config = clone(gcpDev) as any;
    config.platform.addons.tenancy = { enabled: true, mode: 'multi-tenant', teams: [{ name: 'payments', adminGroup: 'payments-admins@acme.example' }] };
    const objects = objectsOf(platformJson(config));
    expect(find(objects, 'NetworkPolicy', 'payments', 'allow-dns').spec.egress[0].to).toContainEqual({ ipBlock: { cidr: '169.254.169.254/32' } });
    expect(find(objects, 'RoleBinding', 'payments').subjects[0]).toMatchObject({ kind: 'Group', name: 'payments-admins@acme.example' });
  });
});

describe('tenancy construct', () => {
  test('makes no release without teams, and names the objects it applies', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const none = new Tenancy(stack, 'none', { cloud: 'aws', tier: 'dev' });
    expect(none.manifests).toBeUndefined();
    const some = new Tenancy(stack, 'some', { cloud: 'azure', tier: 'prod', teams: [{ name: 'web', adminGroup: '0b1f2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d' }] });
    expect(some.namespaces).toEqual(['web']);
    expect(some.objects.map((o) => o.kind)).toEqual(['Namespace', 'RoleBinding']);
  });

  test('parses Kubernetes quantities', () => {
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('2.5')).toBe(2.5);
    expect(parseQuantity('1Gi')).toBe(2 ** 30);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('1 Gi')).toBeUndefined();
    expect(parseQuantity('-1')).toBeUndefined();
  });
});

describe('tenancy validation', () => {
  const invalid = (tenancy: Record<string, unknown>, more: Record<string, unknown> = {}) => () => validateEnvironments([devConfig(withTenancy(tenancy, more))]);
  const synth = (config: unknown) => () => platformJson(config);

  test('throws when two teams share a name', () => {
    expect(invalid({ teams: [TEAMS[0], { name: 'payments', adminGroup: 'other' }] })).toThrow(
      expect.objectContaining({
        code: 'IDPKIT_INVALID_ENVIRONMENT',
        message: expect.stringContaining('platform.addons.tenancy.teams[1].name "payments" is also the name of teams[0] (team names are namespace names: make them unique)'),
      }),
    );
  });

  test('throws when a team name is not a DNS label or is a Kubernetes namespace', () => {
    expect(invalid({ teams: [{ name: 'Payments_EU', adminGroup: 'g' }] })).toThrow('platform.addons.tenancy.teams[0].name "Payments_EU" is not a DNS label');
    expect(invalid({ teams: [{ name: 'kube-system', adminGroup: 'g' }] })).toThrow('teams[0].name "kube-system" is a Kubernetes namespace (default, kube-*)');
    expect(invalid({ teams: [{ name: 'default', adminGroup: 'g' }] })).toThrow('teams[0].name "default" is a Kubernetes namespace');
  });

  test('throws when a CPU quota is not a CPU quantity', () => {
    expect(invalid({ teams: [{ name: 'a', adminGroup: 'g', quota: { cpu: '4 cores' } }] })).toThrow(
      'platform.addons.tenancy.teams[0].quota.cpu "4 cores" is not a CPU quantity (cores, e.g. "4" or "2.5", or millicores, e.g. "500m")',
    );
    expect(invalid({ teams: [{ name: 'a', adminGroup: 'g', quota: { cpu: '4Gi' } }] })).toThrow('quota.cpu "4Gi" is not a CPU quantity');
    expect(invalid({ teams: [{ name: 'a', adminGroup: 'g', quota: { cpu: '50m' } }] })).toThrow(
      `quota.cpu "50m" is less than one container's default CPU request (100m)`,
    );
  });

  test('throws when a memory quota is not a memory quantity', () => {
    expect(invalid({ teams: [{ name: 'a', adminGroup: 'g', quota: { memory: '8GB' } }] })).toThrow(
      'platform.addons.tenancy.teams[0].quota.memory "8GB" is not a memory quantity (a number and a unit of Ki, Mi, Gi, Ti, Pi, Ei, k, M, G, T, P, E, e.g. "8Gi" or "512Mi")',
    );
    expect(invalid({ teams: [{ name: 'a', adminGroup: 'g', quota: { memory: '512m' } }] })).toThrow('quota.memory "512m" is in millibytes: write mebibytes as "512Mi"');
    expect(invalid({ teams: [{ name: 'a', adminGroup: 'g', quota: { memory: '8589934592' } }] })).toThrow('quota.memory "8589934592" is not a memory quantity');
    expect(invalid({ teams: [{ name: 'a', adminGroup: 'g', quota: { memory: '256Mi' } }] })).toThrow(`is less than one container's default memory limit (512Mi)`);
  });

  test('throws when a pod quota is not a positive whole number', () => {
    expect(invalid({ teams: [{ name: 'a', adminGroup: 'g', quota: { pods: 2.5 } }] })).toThrow('quota.pods 2.5 is not a whole number of pods of at least 1');
    expect(invalid({ teams: [{ name: 'a', adminGroup: 'g', quota: { pods: '10' } }] })).toThrow('quota.pods "10" is not a number');
  });

  test('throws when the mode or a field is unknown, values are given, or a cost center is no label value', () => {
    expect(invalid({ mode: 'shared' })).toThrow('platform.addons.tenancy.mode "shared" is not a tenancy mode (allowed: teams, multi-tenant)');
    expect(invalid({ teams: [{ name: 'a', adminGroup: 'g', quota: { storage: '10Gi' } }] })).toThrow('has unknown field(s) storage');
    expect(invalid({ values: { tenancy: { x: 1 } } })).toThrow('platform.addons.tenancy.values {"tenancy":{"x":1}} has no effect: tenancy installs no chart');
    expect(invalid({ teams: [{ name: 'a', adminGroup: 'g', costCenter: 'Finance / EU' }] })).toThrow(
      'teams[0].costCenter "Finance / EU" is not a Kubernetes label value',
    );
  });

  test('throws when the admin group is a Kubernetes system group', () => {
    expect(invalid({ teams: [{ name: 'a', adminGroup: 'system:authenticated' }] })).toThrow(
      'teams[0].adminGroup "system:authenticated" is a Kubernetes system group',
    );
  });

  test("throws when the admin group does not fit the cloud's identities", () => {
    const gcp = clone(gcpDev) as any;
    gcp.platform.addons.tenancy = { enabled: true, teams: [{ name: 'a', adminGroup: 'team-a' }] };
    expect(synth(gcp)).toThrow(
      expect.objectContaining({
        code: 'IDPKIT_INVALID_ENVIRONMENT',
        message: 'environment "gcp-dev": platform.addons.tenancy.teams[0].adminGroup "team-a" is not a Google Group e-mail (GKE Google Groups for RBAC, e.g. "team-payments@acme.example")',
      }),
    );
  });

  test('multi-tenant isolation on EKS without Cilium relies on the VPC CNI network policy agent, which the cluster turns on', () => {
    const { infra } = synthEnvironment(devConfig(withTenancy({ mode: 'multi-tenant', teams: [TEAMS[0]] })));
    const vpcCni = Object.values(infra.resource.aws_eks_addon as Record<string, any>).find((addon) => addon.addon_name === 'vpc-cni');
    expect(JSON.parse(vpcCni.configuration_values)).toEqual({ enableNetworkPolicy: 'true' });
  });

  test("throws when a team's namespace is an add-on's", () => {
    expect(synth(devConfig(withTenancy({ teams: [{ name: 'argocd', adminGroup: 'g' }] })))).toThrow(
      'team namespace "argocd" is also the namespace of a platform add-on in this stack',
    );
  });

  test('throws when the construct gets bad props', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    expect(() => new Tenancy(stack, 'tenancy', { cloud: 'azure', tier: 'dev', teams: [{ name: 'a', adminGroup: 'team-a' }, { name: 'a', adminGroup: 'team-b' }] })).toThrow(
      expect.objectContaining({ code: 'IDPKIT_INVALID_PROPS', message: expect.stringContaining('test/tenancy.teams[1].name "a" is also the name of teams[0]') }),
    );
    expect(() => new Tenancy(stack, 'tenancy2', { cloud: 'azure', tier: 'dev', teams: [{ name: 'a', adminGroup: 'team-a' }] })).toThrow(
      'test/tenancy2.teams[0].adminGroup "team-a" is not an Entra ID group object id',
    );
  });
});
