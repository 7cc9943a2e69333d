import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { App } from '../../constructs/core/cdktf';
import { CHARTS } from '../../constructs/core/charts';
import { azureDev, dev, gcpDev, prod } from '../../environments';
import { validateEnvironments } from '../../environments/types';
import { addPlatformStacks } from '../../stacks/app';
import { devConfig, onlyAddons, resources, synthEnvironment, TerraformJson } from '../helpers';

const platformJson = (config: unknown): TerraformJson => synthEnvironment(config).platform;

const releaseValues = (json: TerraformJson, chart: string) => parse(resources(json, 'helm_release').find((r) => r.chart === chart).values[0]);

describe.each([
  ['aws', dev, 'aws', ['eks', 'get-token', '--cluster-name']],
  ['azure', azureDev, 'kubelogin', ['get-token', '--login', 'azurecli', '--server-id', '6dae42f8-4368-4678-94ff-3960e28e3630']],
  ['gcp', gcpDev, 'gke-gcloud-auth-plugin', []],
])('the platform stack on %s', (_cloud, config, command, args) => {
  const json = platformJson(config);

  test('reaches the cluster with a short-lived token from the cloud credential plugin, never a static credential', () => {
    const kubernetes = json.provider!.kubernetes[0];
    const helm = json.provider!.helm[0];
    expect(kubernetes.exec[0]).toMatchObject({ api_version: 'client.authentication.k8s.io/v1beta1', command });
    expect(kubernetes.exec[0].args.slice(0, args.length)).toEqual(args);
    expect(helm.kubernetes.exec).toEqual(kubernetes.exec[0]);
    for (const provider of [kubernetes, helm.kubernetes]) {
      for (const key of ['token', 'client_key', 'client_certificate', 'password', 'config_path']) expect(provider[key]).toBeUndefined();
    }
  });

  test('reads host and CA from the infra stack state (cross-stack references, not copies)', () => {
    const kubernetes = json.provider!.kubernetes[0];
    expect(kubernetes.host).toMatch(/\$\{data\.terraform_remote_state\.[^.]+\.outputs\.cross-stack-output-/);
    expect(kubernetes.cluster_ca_certificate).toMatch(/^\$\{base64decode\(.*data\.terraform_remote_state\./);
    expect(Object.keys(json.data!.terraform_remote_state)).toHaveLength(1);
  });

  test('keeps its own state', () => {
    expect(JSON.stringify(json.terraform.backend)).toContain('-platform');
  });
});

describe('add-ons', () => {
  const devJson = platformJson(dev);
  const prodJson = platformJson(prod);

  test('install the pinned chart from its repository into a namespace that enforces Pod Security', () => {
    const release = resources(prodJson, 'helm_release').find((r) => r.chart === 'cert-manager');
    expect(release).toMatchObject({ ...CHARTS.certManager, namespace: expect.stringContaining('kubernetes_namespace_v1'), atomic: true });
    const namespace = resources(prodJson, 'kubernetes_namespace_v1').find((n) => n.metadata.name === 'cert-manager');
    expect(namespace.metadata).toEqual({
      name: 'cert-manager',
      labels: {
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/audit': 'restricted',
        'app.kubernetes.io/managed-by': 'idpkit',
      },
    });
  });

  test("apply objects of an add-on's kinds through idpkit's manifests chart, after the add-on", () => {
    const [[certManagerName], [, issuers]] = [
      Object.entries(prodJson.resource.helm_release).filter(([, r]: [string, any]) => r.chart === 'cert-manager'),
      Object.entries(prodJson.resource.helm_release).find(([, r]: [string, any]) => r.name === 'cluster-issuers')!,
    ] as [[string, any][], [string, any]];
    expect(issuers.chart).toMatch(/^\.\/assets\/[^/]+_chart_[0-9A-F]+\/[0-9A-F]+$/);
    expect(issuers.depends_on).toContain(`helm_release.${certManagerName[0]}`);
    expect(parse(issuers.values[0]).manifests).toEqual([{ apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'selfsigned' }, spec: { selfSigned: {} } }]);
  });

  test("an ACME issuer uses Let's Encrypt production with an HTTP-01 solver on the given ingress class", () => {
    const json = platformJson(devConfig((c) => (c.platform.addons.certManager.acme = { email: 'platform@example.com', ingressClassName: 'istio' })));
    const issuers = resources(json, 'helm_release').find((r) => r.name === 'cluster-issuers');
    expect(parse(issuers.values[0]).manifests[1].spec.acme).toEqual({
      email: 'platform@example.com',
      server: 'https://acme-v02.api.letsencrypt.org/directory',
      privateKeySecretRef: { name: 'letsencrypt-account-key' },
      solvers: [{ http01: { ingress: { ingressClassName: 'istio' } } }],
    });
  });

  test('run replicated with disruption budgets in prod and single replicas in dev', () => {
    expect(releaseValues(prodJson, 'cert-manager')).toMatchObject({
      replicaCount: 2,
      podDisruptionBudget: { enabled: true },
      webhook: { replicaCount: 3, podDisruptionBudget: { enabled: true } },
      cainjector: { replicaCount: 2, podDisruptionBudget: { enabled: true } },
    });
    expect(releaseValues(devJson, 'cert-manager')).toMatchObject({
      replicaCount: 1,
      podDisruptionBudget: { enabled: false },
      webhook: { replicaCount: 1 },
      cainjector: { replicaCount: 1 },
    });
  });

  test('take any chart value through the values escape hatch, merged over idpkit’s', () => {
    const json = platformJson(devConfig((c) => (c.platform.addons.certManager.values = { 'cert-manager': { webhook: { timeoutSeconds: 15 } } })));
    expect(releaseValues(json, 'cert-manager').webhook).toEqual({ replicaCount: 1, podDisruptionBudget: { enabled: false }, timeoutSeconds: 15 });
  });

  test('an environment without add-ons gets no platform stack', () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'idpkit-platform-')) });
    const [env] = validateEnvironments([devConfig((c) => (c.platform = onlyAddons({})))]);
    expect(addPlatformStacks(app, [env]).platform).toEqual({});
  });

  test('throws when an add-on key is unknown or its config is malformed', () => {
    expect(() => validateEnvironments([devConfig((c) => (c.platform.addons.certManagr = { enabled: true }))])).toThrow(
      'has unknown field(s) certManagr',
    );
    expect(() => validateEnvironments([devConfig((c) => (c.platform.addons.certManager.enabled = 'yes'))])).toThrow(
      'platform.addons.certManager.enabled "yes" is not true or false',
    );
  });
});

describe('node provisioning comes first on AWS', () => {
  const address = (json: TerraformJson, name: string) => `helm_release.${Object.entries(json.resource.helm_release).find(([, r]: [string, any]) => r.name === name)![0]}`;

  test.each([
    ['dev', dev],
    ['prod', prod],
  ])('%s: every release but Karpenter waits for the controller and its Ready NodePool; the controller waits for none', (_name, config) => {
    const json = platformJson(config);
    const gate = [address(json, 'karpenter'), address(json, 'karpenter-node-pools')];
    const releases = Object.entries(json.resource.helm_release) as [string, any][];
    expect(releases.length).toBeGreaterThan(20);
    for (const [id, release] of releases) {
      if (gate.includes(`helm_release.${id}`)) continue;
      expect([release.name, release.depends_on]).toEqual([release.name, expect.arrayContaining(gate)]);
      // each dependency once
      expect(new Set(release.depends_on).size).toBe(release.depends_on.length);
    }
    const controller = releases.find(([, r]) => r.name === 'karpenter')![1];
    expect(controller.depends_on ?? []).toEqual([]);
    expect(releases.find(([, r]) => r.name === 'karpenter-node-pools')![1].depends_on).toEqual([gate[0]]);
  });

  test('without Karpenter nothing waits for it', () => {
    const json = platformJson(devConfig((c) => (c.platform.addons.karpenter = { enabled: false })));
    for (const release of resources(json, 'helm_release')) expect(JSON.stringify(release.depends_on ?? [])).not.toContain('karpenter');
  });
});
