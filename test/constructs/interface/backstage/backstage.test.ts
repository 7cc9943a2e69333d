import { CHARTS } from '../../../../constructs/core/charts';
import { Backstage, BackstageProps } from '../../../../constructs/interface/backstage/backstage';
import { helmTestStack, namespaceLevels, release } from '../../../helm-helpers';

const PROPS: BackstageProps = {
  image: { registry: '111111111111.dkr.ecr.eu-west-1.amazonaws.com', repository: 'platform/backstage', tag: '1.4.2' },
  baseUrl: 'https://portal.acme.example',
  organizationName: 'Acme',
  databaseSecretName: 'backstage-db-app',
};
const synth = (props: Partial<BackstageProps> = {}) => helmTestStack((stack) => new Backstage(stack, 'backstage', { ...PROPS, ...props }));

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
        database: { client: 'pg', connection: { host: '$${POSTGRES_HOST}', port: '$${POSTGRES_PORT}', user: '$${POSTGRES_USER}', password: '$${POSTGRES_PASSWORD}' } },
      },
    });
    expect(backstage.extraEnvVars).toEqual(
      [
        ['POSTGRES_HOST', 'host'],
        ['POSTGRES_PORT', 'port'],
        ['POSTGRES_USER', 'username'],
        ['POSTGRES_PASSWORD', 'password'],
      ].map(([name, key]) => ({ name, valueFrom: { secretKeyRef: { name: 'backstage-db-app', key } } })),
    );
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
