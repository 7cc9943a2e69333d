import { CHARTS } from '../../../../constructs/core/charts';
import { HelmAddon } from '../../../../constructs/core/helm-addon';
import { Backstage, BackstageProps } from '../../../../constructs/interface/backstage/backstage';
import { helmTestStack, namespaceLevels, release } from '../../../helm-helpers';

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
