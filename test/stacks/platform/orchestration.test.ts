import { parse } from 'yaml';
import { TerraformStack, Testing } from '../../../constructs/core/cdktf';
import { CHARTS } from '../../../constructs/core/charts';
import { HelmAddon } from '../../../constructs/core/helm-addon';
import { validateEnvironment, validateEnvironments } from '../../../environments/types';
import type { AddonConfig, PlatformContext } from '../../../stacks/platform/addon';
import { ORCHESTRATION_ADDONS } from '../../../stacks/platform/orchestration';
import { TerraformJson, devConfig, nodeProvisioningOf, prodConfig, resources, synthEnvironment } from '../../helpers';

const platformJson = (config: unknown): TerraformJson => synthEnvironment(config).platform;

const releaseNamed = (json: TerraformJson, name: string) => {
  const [id, body] = Object.entries(json.resource.helm_release).find(([, r]: [string, any]) => r.name === name)! as [string, any];
  return { address: `helm_release.${id}`, body, values: parse(body.values[0]) };
};

const ARGOCD = { enabled: true, gitops: { repoUrl: 'https://github.com/acme/platform-gitops.git' } };
const withAddons = (addons: Record<string, unknown>) => (c: any) => {
  Object.assign(c.platform.addons, addons);
};
const everything = { argocd: ARGOCD, kyverno: { enabled: true }, crossplane: { enabled: true }, tekton: { enabled: true } };

describe('orchestration add-ons in an environment', () => {
  const dev = platformJson(devConfig(withAddons(everything)));
  const prod = platformJson(prodConfig(withAddons(everything)));

  test('install each pinned chart', () => {
    for (const [name, chart] of [
      ['argo-cd', CHARTS.argoCd],
      ['kyverno', CHARTS.kyverno],
      ['kyverno-policies', CHARTS.kyvernoPolicies],
      ['crossplane', CHARTS.crossplane],
      ['tekton-operator', CHARTS.tektonOperator],
    ] as const) {
      expect(releaseNamed(prod, name).body).toMatchObject({ repository: chart.repository, chart: chart.chart, version: chart.version });
    }
  });

  test('each in its own namespace at the Pod Security restricted level', () => {
    const levels = Object.fromEntries(resources(prod, 'kubernetes_namespace_v1').map((ns) => [ns.metadata.name, ns.metadata.labels['pod-security.kubernetes.io/enforce']]));
    expect(levels).toMatchObject({ argocd: 'restricted', kyverno: 'restricted', 'crossplane-system': 'restricted', 'tekton-operator': 'restricted' });
  });

  test('Argo CD syncs environments/<env> of the GitOps repository at HEAD, after the argo-cd release', () => {
    const apps = releaseNamed(dev, 'argocd-applications');
    expect(apps.body.depends_on).toEqual([releaseNamed(dev, 'argo-cd').address, ...nodeProvisioningOf(dev)]);
    expect(apps.values.manifests[0].spec.source).toEqual({ repoURL: ARGOCD.gitops.repoUrl, targetRevision: 'HEAD', path: 'environments/dev' });
  });

  test('HA in prod (Redis HA, replicas, disruption budgets) and single replicas in dev', () => {
    expect(releaseNamed(prod, 'argo-cd').values).toMatchObject({ 'redis-ha': { enabled: true }, server: { replicas: 2, pdb: { enabled: true } } });
    expect(releaseNamed(dev, 'argo-cd').values).toMatchObject({ 'redis-ha': { enabled: false }, server: { replicas: 1, pdb: { enabled: false } } });
    expect(releaseNamed(prod, 'kyverno').values.admissionController).toMatchObject({ replicas: 3, podDisruptionBudget: { enabled: true } });
    expect(releaseNamed(dev, 'kyverno').values.admissionController).toMatchObject({ replicas: 1, podDisruptionBudget: { enabled: false } });
    expect(releaseNamed(prod, 'crossplane').values).toMatchObject({ replicas: 2, rbacManager: { replicas: 2 } });
    expect(releaseNamed(dev, 'crossplane').values).toMatchObject({ replicas: 1, rbacManager: { replicas: 1 } });
    expect(releaseNamed(prod, 'tekton-operator').values).toMatchObject({ installCRDs: true, operator: { replicas: 2 }, webhook: { replicas: 2 } });
    expect(releaseNamed(dev, 'tekton-operator').values).toMatchObject({ operator: { replicas: 1 }, webhook: { replicas: 1 } });
  });

  test('Kyverno enforces the restricted profile in prod and audits it in dev and staging', () => {
    expect(releaseNamed(prod, 'kyverno-policies').values).toMatchObject({ podSecurityStandard: 'restricted', validationFailureAction: 'Enforce' });
    expect(releaseNamed(dev, 'kyverno-policies').values).toMatchObject({ podSecurityStandard: 'restricted', validationFailureAction: 'Audit' });
    const staging = platformJson(
      prodConfig((c) => {
        Object.assign(c, { name: 'staging', tier: 'staging' });
        withAddons({ kyverno: { enabled: true } })(c);
      }),
    );
    expect(releaseNamed(staging, 'kyverno-policies').values.validationFailureAction).toBe('Audit');
  });

  test('an environment may choose the Kyverno action and take values per release', () => {
    const json = platformJson(
      devConfig(withAddons({ kyverno: { enabled: true, validationFailureAction: 'Enforce', values: { 'kyverno-policies': { podSecuritySeverity: 'high' } } } })),
    );
    expect(releaseNamed(json, 'kyverno-policies').values).toMatchObject({ validationFailureAction: 'Enforce', podSecuritySeverity: 'high' });
  });

  test('Gatekeeper replaces Kyverno: three replicas in prod, one in dev', () => {
    const gatekeeper = { gatekeeper: { enabled: true }, kyverno: { enabled: false } };
    expect(releaseNamed(platformJson(prodConfig(withAddons(gatekeeper))), 'gatekeeper').values).toMatchObject({ replicas: 3 });
    expect(releaseNamed(platformJson(devConfig(withAddons(gatekeeper))), 'gatekeeper').values).toMatchObject({ replicas: 1 });
  });

  test('Kyverno policies skip the namespaces of add-ons installed at a lower Pod Security level', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const falco = new HelmAddon(stack, 'falco', { chart: CHARTS.falco, namespace: 'falco', podSecurity: 'privileged', values: {} });
    const certManager = new HelmAddon(stack, 'cert-manager', { chart: CHARTS.certManager, namespace: 'cert-manager', values: {} });
    const kyverno = ORCHESTRATION_ADDONS.find((addon) => addon.key === 'kyverno')!;
    const env = validateEnvironment(devConfig());
    // Only what Kyverno's installer reads; the rest of the context is the platform stack's business.
    const context = { env, highAvailability: false, installed: { falco: [falco], certManager: [certManager] } } as unknown as PlatformContext;
    const [, policies] = kyverno.install(stack, context, { enabled: true, excludeNamespaces: ['legacy'] } as AddonConfig);
    expect(policies.values.vpolExclude).toEqual({ excludeNamespaces: ['kube-system', 'falco', 'legacy'] });
  });

  test('throws when Kyverno and Gatekeeper are both enabled, before anything is built', () => {
    expect(() => validateEnvironments([devConfig(withAddons({ kyverno: { enabled: true }, gatekeeper: { enabled: true } }))])).toThrow(
      expect.objectContaining({
        code: 'IDPKIT_INVALID_ENVIRONMENT',
        message: 'environment "dev": platform.addons.gatekeeper.enabled true conflicts with platform.addons.kyverno.enabled: enable gatekeeper or kyverno, but not both',
      }),
    );
  });

  test('throws when Argo CD is enabled without a GitOps repository', () => {
    expect(() => validateEnvironments([devConfig(withAddons({ argocd: { enabled: true } }))])).toThrow(
      'platform.addons.argocd.gitops (missing) is required when argocd is enabled',
    );
    // Without Argo CD, the portal needs another repository to read its catalog from (catalog.repository), or none at all.
    expect(() => validateEnvironments([devConfig(withAddons({ argocd: { enabled: false }, backstage: { enabled: false } }))])).not.toThrow();
  });

  test('throws when the repository URL is not a Git URL', () => {
    expect(() => validateEnvironments([devConfig(withAddons({ argocd: { enabled: true, gitops: { repoUrl: 'github.com/acme/x' } } }))])).toThrow(
      'platform.addons.argocd.gitops.repoUrl "github.com/acme/x" is not a Git repository URL',
    );
  });

  test('throws when the OIDC client secret is a value instead of a Secret reference', () => {
    const oidc = { issuer: 'https://login.acme.example', clientId: 'argocd', clientSecret: 'not-a-reference' };
    expect(() => validateEnvironments([devConfig(withAddons({ argocd: { ...ARGOCD, hostname: 'argocd.acme.example', oidc } }))])).toThrow(
      'platform.addons.argocd.oidc.clientSecret "not-a-reference" is not a reference to the OIDC client secret ({ secretName, key })',
    );
  });

  test('throws when SSO or an ingress has no host name', () => {
    const oidc = { issuer: 'https://login.acme.example', clientId: 'argocd', clientSecret: { secretName: 'argocd-oidc', key: 'clientSecret' } };
    expect(() => validateEnvironments([devConfig(withAddons({ argocd: { ...ARGOCD, oidc } }))])).toThrow(
      'platform.addons.argocd.hostname (missing) is required with oidc',
    );
    expect(() => validateEnvironments([devConfig(withAddons({ argocd: { ...ARGOCD, ingress: { className: 'nginx' } } }))])).toThrow(
      'platform.addons.argocd.hostname (missing) is required with ingress',
    );
  });

  test('throws when preview environments name no token secret and External Secrets cannot sync one', () => {
    const config = devConfig(withAddons({ argocd: { ...ARGOCD, previewEnvironments: { owner: 'acme', repo: 'shop' } } }));
    config.platform!.addons!.externalSecrets = { enabled: false };
    expect(() => validateEnvironments([config])).toThrow(
      'platform.addons.argocd.previewEnvironments.tokenSecretName (missing) is required without platform.addons.externalSecrets (which otherwise syncs the token from dev-argocd-preview-token in the cloud secret manager)',
    );
  });

  test('preview environments read the GitHub token External Secrets syncs from the cloud secret manager, after External Secrets', () => {
    const applications = releaseNamed(platformJson(devConfig(withAddons({ argocd: { ...ARGOCD, previewEnvironments: { owner: 'acme', repo: 'shop' } } }))), 'argocd-applications');
    const token = applications.values.manifests.find((object: any) => object.kind === 'ExternalSecret');
    expect(token).toMatchObject({
      metadata: { name: 'argocd-preview-token', namespace: 'argocd' },
      spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'cloud-secrets' }, target: { name: 'argocd-preview-token' }, dataFrom: [{ extract: { key: 'dev-argocd-preview-token' } }] },
    });
    const appSet = applications.values.manifests.find((object: any) => object.kind === 'ApplicationSet');
    expect(appSet.spec.generators[0].pullRequest.github.tokenRef).toEqual({ secretName: 'argocd-preview-token', key: 'token' });
    expect(applications.body.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^helm_release\.external-secrets_release_/)]));
  });

  test('throws when the Kyverno action or profile is unknown', () => {
    expect(() => validateEnvironments([devConfig(withAddons({ kyverno: { enabled: true, validationFailureAction: 'Block', podSecurityStandard: 'strict' } }))])).toThrow(
      /validationFailureAction "Block" is not a validation failure action \(allowed: Enforce, Audit\)[\s\S]*podSecurityStandard "strict" is not a Pod Security Standards profile/,
    );
  });
});
