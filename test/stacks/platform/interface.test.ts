import { parse } from 'yaml';
import { CHARTS } from '../../../constructs/core/charts';
import { validateEnvironments } from '../../../environments/types';
import { TerraformJson, devConfig, prodConfig, synthEnvironment } from '../../helpers';

const platformJson = (config: unknown): TerraformJson => synthEnvironment(config).platform;

const backstageRelease = (json: TerraformJson) => Object.values(json.resource.helm_release).find((r: any) => r.chart === 'backstage') as any;

const BACKSTAGE = {
  enabled: true,
  image: { registry: '111111111111.dkr.ecr.eu-west-1.amazonaws.com', repository: 'platform/backstage', tag: '2026.08.1' },
  baseUrl: 'https://portal.acme.example',
  organizationName: 'Acme',
  database: { existingSecret: 'backstage-db-app' },
};
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

  test('throws when an enabled portal misses its image, URL, organisation or database', () => {
    expect(() => validateEnvironments([devConfig(withBackstage({ enabled: true }))])).toThrow(
      /backstage\.image \(missing\) is required when backstage is enabled[\s\S]*baseUrl[\s\S]*organizationName[\s\S]*database \(missing\)/,
    );
    expect(() => validateEnvironments([devConfig(withBackstage({ enabled: false }))])).not.toThrow();
  });

  test('throws when the database is given as credentials instead of an existing secret', () => {
    expect(() => validateEnvironments([devConfig(withBackstage({ ...BACKSTAGE, database: { existingSecret: 'backstage-db-app', password: 'x' } }))])).toThrow(
      'platform.addons.backstage.database {"existingSecret":"backstage-db-app","password":"x"} has unknown field(s) password',
    );
  });

  test('throws when the base URL is not an http(s) URL', () => {
    expect(() => validateEnvironments([devConfig(withBackstage({ ...BACKSTAGE, baseUrl: 'portal.acme.example' }))])).toThrow(
      'platform.addons.backstage.baseUrl "portal.acme.example" is not an http(s) URL',
    );
  });
});
