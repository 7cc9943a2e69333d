import { CHARTS } from '../../../../constructs/core/charts';
import { HelmAddon } from '../../../../constructs/core/helm-addon';
import {
  BACKSTAGE_CATALOG_KINDS,
  Backstage,
  BackstageProps,
  catalogLocationProblems,
  githubCatalogUrl,
  githubRepositoryOf,
} from '../../../../constructs/interface/backstage/backstage';
import { helmTestStack, namespaceLevels, release } from '../../../helm-helpers';
import { schemaViolations } from '../../../support/kubernetes-schemas';

const PROPS: BackstageProps = {
  image: { registry: '111111111111.dkr.ecr.eu-west-1.amazonaws.com', repository: 'platform/backstage', tag: '1.4.2' },
  baseUrl: 'https://portal.acme.example',
  organizationName: 'Acme',
  databaseSecretName: 'backstage-db-app',
};
const synth = (props: Partial<BackstageProps> = {}) => helmTestStack((stack) => new Backstage(stack, 'backstage', { ...PROPS, ...props }));

/** Backstage with its CloudNativePG cluster, run by an operator release. */
const synthWithCluster = (database: Partial<NonNullable<BackstageProps['database']>> = {}, highAvailability = true) =>
  helmTestStack((stack) => {
    const operator = new HelmAddon(stack, 'cloudnative-pg', { chart: CHARTS.cloudnativePg, releaseName: 'cloudnative-pg', namespace: 'cnpg-system', values: {} });
    new Backstage(stack, 'backstage', { ...PROPS, databaseSecretName: undefined, highAvailability, database: { operator, ...database } });
  });

describe('Backstage', () => {
  const ha = synth();
  const dev = synth({ highAvailability: false });

  test('installs the pinned backstage chart into the restricted backstage namespace, without the PostgreSQL subchart', () => {
    const { body, values } = release(ha, 'backstage');
    expect(body).toMatchObject(CHARTS.backstage);
    expect(namespaceLevels(ha)).toEqual({ backstage: 'restricted' });
    expect(values.postgresql).toEqual({ enabled: false });
  });

  test('runs two replicas with a disruption budget in HA, one without otherwise', () => {
    expect(release(ha, 'backstage').values.backstage).toMatchObject({ replicas: 2, pdb: { create: true, minAvailable: 1 } });
    expect(release(dev, 'backstage').values.backstage).toMatchObject({ replicas: 1, pdb: { create: false } });
  });

  test("runs the organisation's image at its pinned tag", () => {
    expect(release(ha, 'backstage').values.backstage.image).toEqual(PROPS.image);
  });

  test('configures the portal from the environment and reads the database from an existing secret', () => {
    const { backstage } = release(ha, 'backstage').values;
    expect(backstage.appConfig).toEqual({
      app: { baseUrl: 'https://portal.acme.example' },
      organization: { name: 'Acme' },
      // Every kind the platform catalog holds; without catalog, no location.
      catalog: { rules: [{ allow: ['Component', 'System', 'API', 'Resource', 'Location', 'Domain', 'Group', 'Template'] }] },
      scaffolder: { defaultAuthor: { name: 'Acme developer portal' }, defaultCommitMessage: 'Create from a golden-path template' },
      backend: {
        baseUrl: 'https://portal.acme.example',
        cors: { origin: 'https://portal.acme.example' },
        // `$${` is Terraform's escape: Helm gets `${POSTGRES_HOST}` for Backstage to substitute.
        // A schema per plugin in one database: a CloudNativePG application owner has no CREATEDB.
        database: {
          client: 'pg',
          pluginDivisionMode: 'schema',
          connection: { host: '$${POSTGRES_HOST}', port: '$${POSTGRES_PORT}', user: '$${POSTGRES_USER}', password: '$${POSTGRES_PASSWORD}', database: '$${POSTGRES_DB}' },
        },
      },
    });
    expect(backstage.extraEnvVars).toEqual(
      [
        ['POSTGRES_HOST', 'host'],
        ['POSTGRES_PORT', 'port'],
        ['POSTGRES_USER', 'username'],
        ['POSTGRES_PASSWORD', 'password'],
        ['POSTGRES_DB', 'dbname'],
      ].map(([name, key]) => ({ name, valueFrom: { secretKeyRef: { name: 'backstage-db-app', key } } })),
    );
    // An existing Secret is the caller's: nothing else is applied.
    expect(Object.values(ha.resource.helm_release)).toHaveLength(1);
  });

  test('with database, a CloudNativePG cluster backstage-db in its namespace makes the login Secret the portal reads, before the portal', () => {
    const json = synthWithCluster();
    const cluster = release(json, 'backstage-db');
    expect(cluster.values.manifests).toHaveLength(1);
    const [object] = cluster.values.manifests;
    expect(object).toMatchObject({
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: { name: 'backstage-db', namespace: 'backstage' },
      spec: {
        instances: 3,
        imageName: 'ghcr.io/cloudnative-pg/postgresql:17',
        enableSuperuserAccess: false,
        bootstrap: { initdb: { database: 'backstage', owner: 'backstage' } },
        storage: { size: '10Gi' },
      },
    });
    // No password anywhere: the operator generates the login into backstage-db-app.
    expect(cluster.body.values[0]).not.toMatch(/password/i);
    expect(cluster.body.depends_on).toEqual([
      `helm_release.${Object.keys(json.resource.helm_release).find((id) => id.startsWith('cloudnative-pg_'))}`,
      `kubernetes_namespace_v1.${Object.keys(json.resource.kubernetes_namespace_v1).find((id) => id.startsWith('namespace-backstage'))}`,
    ]);
    const portal = release(json, 'backstage');
    expect(portal.body.depends_on).toEqual([cluster.address]);
    const envFrom = portal.values.backstage.extraEnvVars.map((env: any) => env.valueFrom.secretKeyRef.name);
    expect(new Set(envFrom)).toEqual(new Set(['backstage-db-app']));
    expect(namespaceLevels(json)).toMatchObject({ backstage: 'restricted' });
  });

  test('the cluster follows the tier and takes its size, instances and version', () => {
    expect(release(synthWithCluster({}, false), 'backstage-db').values.manifests[0].spec).toMatchObject({ instances: 1, enablePDB: false });
    const sized = release(synthWithCluster({ storageGiB: 20, instances: 2, postgresVersion: '16' }), 'backstage-db').values.manifests[0].spec;
    expect(sized).toMatchObject({ instances: 2, storage: { size: '20Gi' }, imageName: 'ghcr.io/cloudnative-pg/postgresql:16' });
  });

  test('throws when the database is given twice or not at all', () => {
    const operator = (stack: any) => new HelmAddon(stack, 'cloudnative-pg', { chart: CHARTS.cloudnativePg, namespace: 'cnpg-system', values: {} });
    expect(() => helmTestStack((stack) => new Backstage(stack, 'backstage', { ...PROPS, database: { operator: operator(stack) } }))).toThrow(
      expect.objectContaining({ code: 'IDPKIT_INVALID_PROPS', message: expect.stringContaining('databaseSecretName or database, but not both') }),
    );
    expect(() => synth({ databaseSecretName: undefined })).toThrow('no database: give database');
    expect(() => synthWithCluster({ instances: 1 })).toThrow('database[0].instances 1 leaves no standby');
  });

  test('takes further secrets only by name', () => {
    expect(release(synth({ extraEnvVarsSecrets: ['backstage-github'] }), 'backstage').values.backstage.extraEnvVarsSecrets).toEqual(['backstage-github']);
    expect(release(ha, 'backstage').values.backstage.extraEnvVarsSecrets).toEqual([]);
  });

  test('holds no secret value: no password, token or key literal in its values', () => {
    const text = release(ha, 'backstage').body.values[0];
    expect(text).not.toMatch(/password:\s*(?!\$\$\{)[^\s]+/i);
    expect(text).not.toMatch(/(token|secret|apiKey):\s*["']?[A-Za-z0-9+/]{16,}/);
  });

  test('runs as the non-root node user at the Pod Security restricted level', () => {
    expect(release(ha, 'backstage').values.backstage).toMatchObject({
      podSecurityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      containerSecurityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    });
  });

  test('serves the host of its base URL through an ingress with TLS when asked', () => {
    expect(release(synth({ ingress: { className: 'nginx', clusterIssuer: 'letsencrypt' } }), 'backstage').values.ingress).toEqual({
      enabled: true,
      className: 'nginx',
      host: 'portal.acme.example',
      tls: { enabled: true, secretName: 'backstage-tls' },
      annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' },
    });
    expect(release(ha, 'backstage').values.ingress).toBeUndefined();
  });

  test('throws when the image tag is latest', () => {
    expect(() => synth({ image: { ...PROPS.image, tag: 'latest' } })).toThrow(
      expect.objectContaining({ code: 'IDPKIT_INVALID_PROPS', message: expect.stringContaining('image.tag "latest" is mutable') }),
    );
  });
});

describe('Backstage: the platform catalog and the GitHub integration', () => {
  const appConfig = (props: Partial<BackstageProps>) => release(synth(props), 'backstage').values.backstage.appConfig;
  const externalSecrets = (stack: any) => new HelmAddon(stack, 'external-secrets', { chart: CHARTS.externalSecrets, namespace: 'external-secrets', values: {} });

  test('loads catalog/all.yaml of the GitHub repository as a url location, from its https or ssh URL, at the revision', () => {
    const target = (catalog: BackstageProps['catalog']) => appConfig({ catalog }).catalog.locations;
    expect(target({ repository: 'https://github.com/acme/platform-gitops.git' })).toEqual([
      { type: 'url', target: 'https://github.com/acme/platform-gitops/blob/HEAD/catalog/all.yaml' },
    ]);
    expect(target({ repository: 'git@github.com:acme/platform-gitops.git', revision: 'main' })).toEqual([
      { type: 'url', target: 'https://github.com/acme/platform-gitops/blob/main/catalog/all.yaml' },
    ]);
    expect(target({ repository: 'ssh://git@github.com/Acme-Corp/gitops', revision: 'v1.2.0', path: 'portal/catalog/all.yaml' })).toEqual([
      { type: 'url', target: 'https://github.com/Acme-Corp/gitops/blob/v1.2.0/portal/catalog/all.yaml' },
    ]);
    expect(appConfig({ catalog: { repository: 'https://github.com/acme/platform-gitops' } }).catalog.rules).toEqual([{ allow: [...BACKSTAGE_CATALOG_KINDS] }]);
    expect(appConfig({}).catalog.locations).toBeUndefined();
  });

  test('reads owner and repository from the https, scp-like and ssh forms of github.com URLs only', () => {
    for (const url of [
      'https://github.com/acme/platform-gitops',
      'https://github.com/acme/platform-gitops.git',
      'https://github.com/acme/platform-gitops/',
      'git@github.com:acme/platform-gitops.git',
      'ssh://git@github.com/acme/platform-gitops.git',
      'ssh://git@github.com:22/acme/platform-gitops',
    ]) {
      expect({ url, repository: githubRepositoryOf(url) }).toEqual({ url, repository: { owner: 'acme', repo: 'platform-gitops' } });
    }
    expect(githubRepositoryOf('https://github.com/acme/my.repo.git')).toEqual({ owner: 'acme', repo: 'my.repo' });
    for (const url of [
      'https://gitlab.com/acme/platform-gitops.git',
      'http://github.com/acme/platform-gitops.git',
      'https://github.com/acme',
      'https://github.com/acme/platform-gitops/tree/main',
      'git@github.example.com:acme/platform-gitops.git',
      'https://github.com/-acme/gitops',
      'https://github.com/acme/..',
    ]) {
      expect({ url, repository: githubRepositoryOf(url) }).toEqual({ url, repository: undefined });
    }
    expect(githubCatalogUrl({ repository: 'git@github.com:acme/gitops.git', revision: '3f2a9c1' })).toBe('https://github.com/acme/gitops/blob/3f2a9c1/catalog/all.yaml');
  });

  test('throws when the catalog is not a GitHub repository, its revision has a "/" or its path leaves the repository', () => {
    expect(() => synth({ catalog: { repository: 'https://gitlab.com/acme/gitops.git' } })).toThrow(
      expect.objectContaining({ code: 'IDPKIT_INVALID_PROPS', message: expect.stringContaining('backstage: catalog.repository "https://gitlab.com/acme/gitops.git" is not a GitHub repository URL (https://github.com/<owner>/<repo>[.git]') }),
    );
    expect(() => synth({ catalog: { repository: 'https://github.com/acme/gitops', revision: 'release/v1' } })).toThrow('catalog.revision "release/v1" is not a branch, tag or commit Backstage can read from a GitHub file URL');
    expect(catalogLocationProblems('catalog', { repository: 'https://github.com/acme/gitops', path: '/catalog/all.yaml' })).toEqual([
      'catalog.path "/catalog/all.yaml" is not a relative path of a YAML file in the repository (e.g. catalog/all.yaml)',
    ]);
    expect(catalogLocationProblems('catalog', { repository: 'https://github.com/acme/gitops', path: '../catalog/all.yaml' })).toHaveLength(1);
    expect(catalogLocationProblems('catalog', { repository: 'https://github.com/acme/gitops', path: 'catalog/all.json' })).toHaveLength(1);
    expect(catalogLocationProblems('catalog', { repository: 'https://github.com/acme/gitops', revision: 'HEAD', path: 'catalog/all.yaml' })).toEqual([]);
  });

  test('a token from the cloud secret manager: an ExternalSecret after External Secrets, the portal after it, the variable optional', () => {
    const json = helmTestStack((stack) => new Backstage(stack, 'backstage', { ...PROPS, githubToken: { remoteSecretName: 'prod-backstage-github-token', externalSecrets: [externalSecrets(stack)] } }));
    const token = release(json, 'backstage-github-token');
    expect(token.values.manifests).toEqual([
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'backstage-github-token', namespace: 'backstage' },
        spec: {
          refreshInterval: '1h',
          secretStoreRef: { kind: 'ClusterSecretStore', name: 'cloud-secrets' },
          target: { name: 'backstage-github-token', creationPolicy: 'Owner' },
          dataFrom: [{ extract: { key: 'prod-backstage-github-token' } }],
        },
      },
    ]);
    expect(schemaViolations(token.values.manifests)).toEqual([]);
    expect(token.body.depends_on).toEqual(expect.arrayContaining([release(json, 'external-secrets').address]));
    const portal = release(json, 'backstage');
    expect(portal.body.depends_on).toEqual([token.address]);
    expect(portal.values.backstage.extraEnvVars).toContainEqual({ name: 'GITHUB_TOKEN', valueFrom: { secretKeyRef: { name: 'backstage-github-token', key: 'token', optional: true } } });
    // `$${` is Terraform's escape: Backstage gets `${GITHUB_TOKEN}`, unset (so anonymous) until the Secret exists.
    expect(portal.values.backstage.appConfig.integrations).toEqual({ github: [{ host: 'github.com', token: '$${GITHUB_TOKEN}' }] });
    expect(JSON.stringify(json)).not.toMatch(/gh[pousr]_|github_pat_/);
  });

  test("a token from the caller's own Secret: read by reference (key token by default), nothing else applied", () => {
    const json = synth({ githubToken: { secretName: 'portal-github' } });
    expect(Object.values(json.resource.helm_release)).toHaveLength(1);
    const { backstage } = release(json, 'backstage').values;
    expect(backstage.extraEnvVars).toContainEqual({ name: 'GITHUB_TOKEN', valueFrom: { secretKeyRef: { name: 'portal-github', key: 'token', optional: true } } });
    expect(backstage.appConfig.integrations.github).toEqual([{ host: 'github.com', token: '$${GITHUB_TOKEN}' }]);
    const keyed = release(synth({ githubToken: { secretName: 'portal-github', secretKey: 'pat' } }), 'backstage').values.backstage.extraEnvVars;
    expect(keyed).toContainEqual({ name: 'GITHUB_TOKEN', valueFrom: { secretKeyRef: { name: 'portal-github', key: 'pat', optional: true } } });
  });

  test('without a token, no integration entry and no GITHUB_TOKEN variable (Backstage reads public github.com anonymously)', () => {
    const { backstage } = release(synth(), 'backstage').values;
    expect(backstage.appConfig.integrations).toBeUndefined();
    expect(backstage.extraEnvVars.map((variable: any) => variable.name)).not.toContain('GITHUB_TOKEN');
  });
});
