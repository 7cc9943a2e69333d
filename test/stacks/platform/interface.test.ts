import { parse } from 'yaml';
import { CHARTS } from '../../../constructs/core/charts';
import { validateEnvironments } from '../../../environments/types';
import * as environments from '../../../environments';
import { TerraformJson, devConfig, nodeProvisioningOf, onlyAddons, prodConfig, synthEnvironment } from '../../helpers';

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
      expect(new Set(secrets)).toEqual(new Set(['backstage-db-app']));
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
    const config = devConfig((c: any) => (c.platform = onlyAddons({ backstage: BACKSTAGE })));
    expect(() => platformJson(config)).toThrow(
      'environment "dev": platform.addons.backstage.database needs platform.addons.cloudnativePg (idpkit runs Backstage\'s PostgreSQL as the CloudNativePG cluster "backstage-db"): enable it, or set platform.addons.backstage.database.existingSecret',
    );
    const own = devConfig((c: any) => (c.platform = onlyAddons({ backstage: { ...BACKSTAGE, database: { existingSecret: 'portal-db' } } })));
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
