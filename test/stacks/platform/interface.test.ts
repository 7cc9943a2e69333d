import { parse } from 'yaml';
import { CHARTS } from '../../../constructs/core/charts';
import { validateEnvironments } from '../../../environments/types';
import * as environments from '../../../environments';
import type { TerraformJson as PolicyJson } from '../../../constructs/policy/engine';
import { secretReferencesRule } from '../../../constructs/policy/rules/apply';
import { TerraformJson, devConfig, nodeProvisioningOf, onlyAddons, prodConfig, synthEnvironment } from '../../helpers';
import { schemaViolations } from '../../support/kubernetes-schemas';

const platformJson = (config: unknown): TerraformJson => synthEnvironment(config).platform;

const backstageRelease = (json: TerraformJson) => Object.values(json.resource.helm_release).find((r: any) => r.chart === 'backstage') as any;

const BACKSTAGE = {
  enabled: true,
  image: { registry: '111111111111.dkr.ecr.eu-west-1.amazonaws.com', repository: 'platform/backstage', tag: '2026.08.1' },
  baseUrl: 'https://portal.acme.example',
  organizationName: 'Acme',
};
const releaseNamed = (json: TerraformJson, name: string) => Object.entries(json.resource.helm_release).find(([, r]: [string, any]) => r.name === name) as [string, any] | undefined;
const withBackstage = (backstage: Record<string, unknown>) => (c: any) => (c.platform.addons.backstage = backstage);
/** The dev platform stack as the app the apply rules read. */
const asApp = (platform: TerraformJson): Record<string, PolicyJson> => ({ 'dev-platform': platform as unknown as PolicyJson });

describe('Backstage in an environment', () => {
  const dev = backstageRelease(platformJson(devConfig(withBackstage(BACKSTAGE))));
  const prod = backstageRelease(platformJson(prodConfig(withBackstage({ ...BACKSTAGE, extraEnvVarsSecrets: ['backstage-github'] }))));

  test('installs the pinned chart with the configured image, base URL and organisation', () => {
    expect(prod).toMatchObject({ repository: CHARTS.backstage.repository, chart: CHARTS.backstage.chart, version: CHARTS.backstage.version });
    const values = parse(prod.values[0]);
    expect(values.backstage.image).toEqual(BACKSTAGE.image);
    expect(values.backstage.appConfig).toMatchObject({ app: { baseUrl: BACKSTAGE.baseUrl }, organization: { name: 'Acme' } });
    expect(values.backstage.extraEnvVarsSecrets).toEqual(['backstage-github']);
    expect(values.postgresql).toEqual({ enabled: false });
  });

  test('two replicas with a disruption budget in prod, one in dev', () => {
    expect(parse(prod.values[0]).backstage).toMatchObject({ replicas: 2, pdb: { create: true } });
    expect(parse(dev.values[0]).backstage).toMatchObject({ replicas: 1, pdb: { create: false } });
  });

  test('never runs an image tagged latest', () => {
    expect(prod.values[0]).not.toContain('latest');
  });

  test('throws when the image tag is latest', () => {
    expect(() => validateEnvironments([devConfig(withBackstage({ ...BACKSTAGE, image: { ...BACKSTAGE.image, tag: 'latest' } }))])).toThrow(
      'platform.addons.backstage.image.tag "latest" is mutable; pin a version or commit tag',
    );
  });

  test("every shipped environment's portal reads a database Secret the platform creates: the CloudNativePG cluster backstage-db", () => {
    // Before, they named backstage-db-app, which nothing created: Backstage's pods could not start.
    for (const env of [environments.dev, environments.staging, environments.prod, environments.azureDev, environments.gcpDev]) {
      const platform = platformJson(env);
      const cluster = releaseNamed(platform, 'backstage-db');
      expect(cluster).toBeDefined();
      const [object] = parse(cluster![1].values[0]).manifests;
      expect(object).toMatchObject({ kind: 'Cluster', metadata: { name: 'backstage-db' }, spec: { bootstrap: { initdb: { database: 'backstage', owner: 'backstage' } } } });
      expect(cluster![1].depends_on).toEqual([`helm_release.${releaseNamed(platform, 'cloudnative-pg')![0]}`, expect.stringMatching(/^kubernetes_namespace_v1\.namespace-backstage/), ...nodeProvisioningOf(platform)]);
      const portal = backstageRelease(platform);
      expect(portal.depends_on).toContain(`helm_release.${cluster![0]}`);
      const secrets = parse(portal.values[0]).backstage.extraEnvVars.map((variable: any) => variable.valueFrom.secretKeyRef.name);
      expect(new Set(secrets)).toEqual(new Set(['backstage-db-app', 'backstage-github-token']));
    }
  });

  test('the cluster takes its typed settings; an existing Secret replaces it', () => {
    const sized = platformJson(prodConfig(withBackstage({ ...BACKSTAGE, database: { cloudnativePg: { storageGiB: 30, instances: 2 } } })));
    expect(parse(releaseNamed(sized, 'backstage-db')![1].values[0]).manifests[0].spec).toMatchObject({ instances: 2, storage: { size: '30Gi' } });
    const own = platformJson(devConfig(withBackstage({ ...BACKSTAGE, database: { existingSecret: 'portal-db' } })));
    expect(releaseNamed(own, 'backstage-db')).toBeUndefined();
    expect(parse(backstageRelease(own).values[0]).backstage.extraEnvVars[0].valueFrom.secretKeyRef.name).toBe('portal-db');
  });

  test('throws when the cluster has no CloudNativePG operator to run it', () => {
    const standalone = { ...BACKSTAGE, catalog: { repository: 'https://github.com/acme/platform-gitops.git' }, github: { tokenSecretName: 'portal-github' } };
    const config = devConfig((c: any) => (c.platform = onlyAddons({ backstage: standalone })));
    expect(() => platformJson(config)).toThrow(
      'environment "dev": platform.addons.backstage.database needs platform.addons.cloudnativePg (idpkit runs Backstage\'s PostgreSQL as the CloudNativePG cluster "backstage-db"): enable it, or set platform.addons.backstage.database.existingSecret',
    );
    const own = devConfig((c: any) => (c.platform = onlyAddons({ backstage: { ...standalone, database: { existingSecret: 'portal-db' } } })));
    expect(() => platformJson(own)).not.toThrow();
  });

  test('throws when an enabled portal misses its image, URL or organisation', () => {
    expect(() => validateEnvironments([devConfig(withBackstage({ enabled: true }))])).toThrow(
      /backstage\.image \(missing\) is required when backstage is enabled[\s\S]*baseUrl[\s\S]*organizationName/,
    );
    expect(() => validateEnvironments([devConfig(withBackstage({ enabled: false }))])).not.toThrow();
  });

  test('throws when the database is given as credentials, or twice', () => {
    expect(() => validateEnvironments([devConfig(withBackstage({ ...BACKSTAGE, database: { existingSecret: 'backstage-db-app', password: 'x' } }))])).toThrow(
      'platform.addons.backstage.database {"existingSecret":"backstage-db-app","password":"x"} has unknown field(s) password',
    );
    expect(() => validateEnvironments([devConfig(withBackstage({ ...BACKSTAGE, database: { existingSecret: 'portal-db', cloudnativePg: {} } }))])).toThrow(
      'give existingSecret or cloudnativePg, but not both',
    );
  });

  test('throws when the base URL is not an http(s) URL', () => {
    expect(() => validateEnvironments([devConfig(withBackstage({ ...BACKSTAGE, baseUrl: 'portal.acme.example' }))])).toThrow(
      'platform.addons.backstage.baseUrl "portal.acme.example" is not an http(s) URL',
    );
  });
});

describe('Backstage reads the platform catalog from the GitOps repository', () => {
  const appConfigOf = (json: TerraformJson) => parse(backstageRelease(json).values[0]).backstage.appConfig;
  const withArgoCd = (gitops: Record<string, unknown>, backstage: Record<string, unknown> = BACKSTAGE) => (c: any) => {
    c.platform.addons.argocd = { enabled: true, gitops };
    c.platform.addons.backstage = backstage;
  };
  const locationOf = (change: (c: any) => void) => appConfigOf(platformJson(devConfig(change))).catalog.locations;
  const problemsOf = (change: (c: any) => void): string => {
    try {
      validateEnvironments([devConfig(change)]);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('the environment validated');
  };

  test("every shipped environment's portal loads catalog/all.yaml of its GitOps repository at the default branch, with the platform's kinds allowed", () => {
    for (const env of [environments.dev, environments.staging, environments.prod, environments.azureDev, environments.gcpDev]) {
      const { catalog } = appConfigOf(platformJson(env));
      expect({ env: env.name, catalog }).toEqual({
        env: env.name,
        catalog: {
          locations: [{ type: 'url', target: 'https://github.com/acme/platform-gitops/blob/HEAD/catalog/all.yaml' }],
          rules: [{ allow: ['Component', 'System', 'API', 'Resource', 'Location', 'Domain', 'Group', 'Template'] }],
        },
      });
    }
  });

  test("follows the GitOps repository's https or ssh URL and its revision", () => {
    expect(locationOf(withArgoCd({ repoUrl: 'git@github.com:acme/gitops.git', revision: 'main' }))).toEqual([
      { type: 'url', target: 'https://github.com/acme/gitops/blob/main/catalog/all.yaml' },
    ]);
    expect(locationOf(withArgoCd({ repoUrl: 'ssh://git@github.com/acme/gitops.git', revision: 'v2.3.0' }))).toEqual([
      { type: 'url', target: 'https://github.com/acme/gitops/blob/v2.3.0/catalog/all.yaml' },
    ]);
  });

  test('catalog overrides the repository (then at its default branch unless catalog.revision is given), the revision and the path', () => {
    const gitops = { repoUrl: 'https://github.com/acme/gitops.git', revision: 'main' };
    expect(locationOf(withArgoCd(gitops, { ...BACKSTAGE, catalog: { repository: 'https://github.com/acme/portal-catalog' } }))).toEqual([
      { type: 'url', target: 'https://github.com/acme/portal-catalog/blob/HEAD/catalog/all.yaml' },
    ]);
    expect(locationOf(withArgoCd(gitops, { ...BACKSTAGE, catalog: { repository: 'git@github.com:acme/portal-catalog.git', revision: 'stable', path: 'backstage/all.yml' } }))).toEqual([
      { type: 'url', target: 'https://github.com/acme/portal-catalog/blob/stable/backstage/all.yml' },
    ]);
    expect(locationOf(withArgoCd(gitops, { ...BACKSTAGE, catalog: { revision: 'catalog' } }))).toEqual([
      { type: 'url', target: 'https://github.com/acme/gitops/blob/catalog/catalog/all.yaml' },
    ]);
  });

  test('the github.com integration reads GITHUB_TOKEN, synced by External Secrets from <env>-backstage-github-token before the portal starts', () => {
    const platform = platformJson(environments.dev);
    const [tokenId, token] = releaseNamed(platform, 'backstage-github-token')!;
    const manifests = parse(token.values[0]).manifests;
    expect(manifests).toEqual([
      expect.objectContaining({
        kind: 'ExternalSecret',
        metadata: { name: 'backstage-github-token', namespace: 'backstage' },
        spec: expect.objectContaining({ target: { name: 'backstage-github-token', creationPolicy: 'Owner' }, dataFrom: [{ extract: { key: 'dev-backstage-github-token' } }] }),
      }),
    ]);
    expect(schemaViolations(manifests)).toEqual([]);
    expect(token.depends_on).toContain(`helm_release.${releaseNamed(platform, 'external-secrets')![0]}`);
    const portal = backstageRelease(platform);
    expect(portal.depends_on).toContain(`helm_release.${tokenId}`);
    const { backstage } = parse(portal.values[0]);
    expect(backstage.appConfig.integrations).toEqual({ github: [{ host: 'github.com', token: '$${GITHUB_TOKEN}' }] });
    expect(backstage.extraEnvVars).toContainEqual({ name: 'GITHUB_TOKEN', valueFrom: { secretKeyRef: { name: 'backstage-github-token', key: 'token', optional: true } } });
    // Every Secret the portal reads is created in the stack, before it (IDP-APPLY-001).
    const portalViolations = secretReferencesRule.checkApp(asApp(platform)).filter((violation) => /backstage/.test(violation.resource ?? ''));
    expect(portalViolations).toEqual([]);
  });

  test('github.tokenSecretName reads your own Secret instead, and no ExternalSecret is made', () => {
    const platform = platformJson(devConfig(withBackstage({ ...BACKSTAGE, github: { tokenSecretName: 'portal-github', tokenSecretKey: 'pat' } })));
    expect(releaseNamed(platform, 'backstage-github-token')).toBeUndefined();
    expect(parse(backstageRelease(platform).values[0]).backstage.extraEnvVars).toContainEqual({
      name: 'GITHUB_TOKEN',
      valueFrom: { secretKeyRef: { name: 'portal-github', key: 'pat', optional: true } },
    });
    // Yours to create: `idpkit check` names it as a Secret nothing in the stack creates (suppress it once it exists).
    const problems = secretReferencesRule.checkApp(asApp(platform)).map((violation) => violation.problem);
    expect(problems).toContain('names Secret "portal-github" in namespace "backstage", which nothing in the stack creates');
  });

  test('throws when no GitHub repository holds the catalog: no GitOps repository, or one that is not on GitHub', () => {
    expect(problemsOf((c: any) => (c.platform.addons.argocd = { enabled: false }))).toContain(
      'platform.addons.backstage.catalog.repository (missing) is required without platform.addons.argocd.gitops (whose GitOps repository holds the published catalog by default): enable argocd with gitops.repoUrl, or set platform.addons.backstage.catalog.repository to the GitHub repository CI publishes the catalog to (e.g. https://github.com/acme/platform-gitops.git)',
    );
    expect(problemsOf(withArgoCd({ repoUrl: 'https://gitlab.com/acme/gitops.git' }))).toContain(
      'environment "dev": platform.addons.backstage.catalog.repository (missing) is required: platform.addons.argocd.gitops.repoUrl "https://gitlab.com/acme/gitops.git" is not a GitHub repository (https://github.com/<owner>/<repo>[.git], git@github.com:<owner>/<repo>.git or ssh://git@github.com/<owner>/<repo>.git), and Backstage reads the catalog through its github.com integration; set platform.addons.backstage.catalog.repository',
    );
    expect(() => validateEnvironments([devConfig(withArgoCd({ repoUrl: 'https://gitlab.com/acme/gitops.git' }, { ...BACKSTAGE, catalog: { repository: 'https://github.com/acme/portal-catalog.git' } }))])).not.toThrow();
  });

  test('throws when the catalog settings are not a GitHub repository, a revision a file URL carries, or a relative YAML path', () => {
    expect(problemsOf(withBackstage({ ...BACKSTAGE, catalog: { repository: 'https://bitbucket.org/acme/gitops' } }))).toContain(
      'platform.addons.backstage.catalog.repository "https://bitbucket.org/acme/gitops" is not a GitHub repository URL',
    );
    expect(problemsOf(withBackstage({ ...BACKSTAGE, catalog: { revision: 'release/v1' } }))).toContain(
      'platform.addons.backstage.catalog.revision "release/v1" is not a branch, tag or commit Backstage can read from a GitHub file URL',
    );
    expect(problemsOf(withArgoCd({ repoUrl: 'https://github.com/acme/gitops.git', revision: 'release/v1' }))).toContain(
      'platform.addons.backstage.catalog.revision (missing) is required: platform.addons.argocd.gitops.revision "release/v1" has characters a GitHub file URL cannot carry',
    );
    expect(problemsOf(withBackstage({ ...BACKSTAGE, catalog: { path: '/catalog/all.yaml' } }))).toContain('platform.addons.backstage.catalog.path "/catalog/all.yaml" is not a relative path of a YAML file');
  });

  test('throws when the GitHub token has no source: neither your own Secret nor External Secrets', () => {
    const config = (backstage: Record<string, unknown>) => (c: any) => {
      c.platform.addons.backstage = backstage;
      c.platform.addons.externalSecrets = { enabled: false };
      // The preview environments' token needs External Secrets too.
      delete c.platform.addons.argocd.previewEnvironments;
    };
    expect(problemsOf(config(BACKSTAGE))).toContain(
      'platform.addons.backstage.github.tokenSecretName (missing) is required without platform.addons.externalSecrets (which otherwise syncs the portal\'s GitHub token from dev-backstage-github-token in the cloud secret manager): enable externalSecrets, or name your own Secret in "backstage" with the token',
    );
    expect(() => validateEnvironments([devConfig(config({ ...BACKSTAGE, github: { tokenSecretName: 'portal-github' } }))])).not.toThrow();
    expect(problemsOf(withBackstage({ ...BACKSTAGE, github: { tokenSecretKey: 'pat' } }))).toContain('sets tokenSecretKey without tokenSecretName');
  });
});
