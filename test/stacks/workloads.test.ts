import { environmentSets, validateEnvironment, type Environment } from '../../environments';
import { enabledAddons } from '../../stacks/platform/catalog';
import { workloadLayoutDirectory, workloadPlatformOf } from '../../stacks/workloads';
import { devConfig, prodConfig } from '../helpers';

const GITOPS_REPO = 'https://github.com/acme/platform-gitops.git';

/** What the mapping gives for each environment of the default and examples sets, besides what every environment gets alike. */
const EXPECTED = {
  dev: {
    cloud: 'aws',
    region: 'eu-west-1',
    databaseApi: { compositions: ['cloud', 'cloudnative-pg'], defaultComposition: 'cloud' },
    ingress: { kind: 'ingress', className: 'alb' },
  },
  staging: {
    cloud: 'aws',
    region: 'eu-west-1',
    databaseApi: { compositions: ['cloud', 'cloudnative-pg'], defaultComposition: 'cloud' },
    ingress: { kind: 'ingress', className: 'alb' },
  },
  prod: {
    cloud: 'aws',
    region: 'eu-west-1',
    databaseApi: { compositions: ['cloud', 'cloudnative-pg'], defaultComposition: 'cloud' },
    dnsZone: 'prod.acme.example',
    ingress: { kind: 'ingress', className: 'alb' },
  },
  // Small: no Crossplane; AKS and GKE run no ingress controller idpkit installs.
  'azure-dev': { cloud: 'azure', region: 'westeurope' },
  // No delegated subnet in crossplane.databases.azure: only the CloudNativePG Composition.
  'azure-prod': { cloud: 'azure', region: 'westeurope', databaseApi: { compositions: ['cloudnative-pg'], defaultComposition: 'cloudnative-pg' }, dnsZone: 'azure.acme.example' },
  'gcp-dev': { cloud: 'gcp', region: 'europe-west1' },
  'gcp-prod': {
    cloud: 'gcp',
    region: 'europe-west1',
    databaseApi: { compositions: ['cloud', 'cloudnative-pg'], defaultComposition: 'cloud' },
    dnsZone: 'gcp.acme.example',
  },
} as const;

const validated = (configs: readonly unknown[]): Environment[] => configs.map((config) => validateEnvironment(config));

describe('workloadPlatformOf', () => {
  describe.each([
    ['default', validated(environmentSets.default)],
    ['examples', validated(environmentSets.examples)],
  ])('the %s environments', (_set, environments) => {
    test.each(environments.map((env) => [env.name, env] as const))('%s: add-ons, database API, DNS zone, ingress, secrets, GitOps, network and region', (name, env) => {
      const expected = EXPECTED[name as keyof typeof EXPECTED];
      expect(workloadPlatformOf(env)).toEqual({
        environment: name,
        tier: env.tier,
        addons: enabledAddons(env).map(({ addon }) => addon.key),
        secretsPrefix: `${name}-`,
        gitops: { repoUrl: GITOPS_REPO, path: `environments/${name}`, revision: 'HEAD' },
        namespaces: [],
        networkCidr: env.network.cidr,
        cloudResources: false,
        ...expected,
      });
    });
  });

  describe('the presets', () => {
    const presets = validated(environmentSets.presets);

    test.each(presets.map((env) => [env.name, env] as const))('%s', (name, env) => {
      const platform = workloadPlatformOf(env);
      const crossplane = env.size !== 'small';
      expect(platform).toMatchObject({ environment: name, cloud: env.cloud, tier: env.tier, secretsPrefix: `${name}-`, networkCidr: env.network.cidr, namespaces: [] });
      expect(platform.addons).toEqual(enabledAddons(env).map(({ addon }) => addon.key));
      expect(platform.addons).toEqual(expect.arrayContaining(['externalSecrets', 'certManager', 'cloudnativePg', 'argocd']));
      expect(platform.region).toBe({ aws: 'eu-west-1', azure: 'westeurope', gcp: 'europe-west1' }[env.cloud]);
      // Medium and large claim databases through Crossplane: the cloud Composition where idpkit places it in the network (AWS, GCP).
      expect(platform.databaseApi).toEqual(
        crossplane
          ? env.cloud === 'azure'
            ? { compositions: ['cloudnative-pg'], defaultComposition: 'cloudnative-pg' }
            : { compositions: ['cloud', 'cloudnative-pg'], defaultComposition: 'cloud' }
          : undefined,
      );
      // Every preset runs the AWS Load Balancer Controller on AWS; nothing on Azure and GCP serves Ingresses.
      expect(platform.ingress).toEqual(env.cloud === 'aws' ? { kind: 'ingress', className: 'alb' } : undefined);
      expect(platform.dnsZone).toBeUndefined();
      expect(platform.gitops).toEqual({ repoUrl: GITOPS_REPO, path: `environments/${name}`, revision: 'HEAD' });
    });
  });

  test('lists the tenancy teams as the tenant namespaces, sorted', () => {
    const env = validateEnvironment(
      devConfig((config) => {
        config.platform.addons.tenancy = { enabled: true, teams: [{ name: 'shop', adminGroup: 'shop-admins' }, { name: 'billing', adminGroup: 'billing-admins' }] };
      }),
    );
    expect(workloadPlatformOf(env).namespaces).toEqual(['billing', 'shop']);
  });

  test('has no tenant namespaces when tenancy is off, even with teams listed', () => {
    const env = validateEnvironment(
      devConfig((config) => {
        config.platform.addons.tenancy = { enabled: false, teams: [{ name: 'shop', adminGroup: 'shop-admins' }] };
      }),
    );
    expect(workloadPlatformOf(env).namespaces).toEqual([]);
  });

  test("names the ACME issuer when cert-manager solves its challenges through the routes' ingress class, and no issuer otherwise", () => {
    const withAcme = (ingressClassName: string) =>
      workloadPlatformOf(
        validateEnvironment(
          devConfig((config) => {
            config.platform.addons.certManager = { enabled: true, acme: { email: 'platform@acme.example', ingressClassName } };
          }),
        ),
      ).ingress;
    expect(withAcme('alb')).toEqual({ kind: 'ingress', className: 'alb', clusterIssuer: 'letsencrypt' });
    expect(withAcme('nginx')).toEqual({ kind: 'ingress', className: 'alb' });
  });

  test('has no ingress without the AWS Load Balancer Controller', () => {
    const env = validateEnvironment(
      devConfig((config) => {
        config.platform.addons.awsLoadBalancerController = { enabled: false };
      }),
    );
    expect(workloadPlatformOf(env).ingress).toBeUndefined();
  });

  test('offers the Azure Composition when crossplane.databases.azure names its network, and follows defaultComposition', () => {
    const azure = {
      delegatedSubnetId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/db',
      privateDnsZoneId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/idp.postgres.database.azure.com',
    };
    const azureProd = environmentSets.examples.find((env) => env.name === 'azure-prod')!;
    const withDatabases = (databases: object) => {
      const config = JSON.parse(JSON.stringify(azureProd));
      config.platform.addons.crossplane.databases = databases;
      return workloadPlatformOf(validateEnvironment(config)).databaseApi;
    };
    expect(withDatabases({ enabled: true, azure })).toEqual({ compositions: ['cloud', 'cloudnative-pg'], defaultComposition: 'cloud' });
    expect(withDatabases({ enabled: true, azure, defaultComposition: 'cloudnative-pg' })).toEqual({ compositions: ['cloud', 'cloudnative-pg'], defaultComposition: 'cloudnative-pg' });
    expect(withDatabases({ enabled: false })).toBeUndefined();
  });

  test('has no database API when its default Composition cannot be installed (the platform stack refuses the environment too)', () => {
    const env = validateEnvironment(
      devConfig((config) => {
        config.platform.addons.cloudnativePg = { enabled: false };
        config.platform.addons.backstage = { enabled: false };
        config.platform.addons.crossplane = { enabled: true, databases: { enabled: true, defaultComposition: 'cloudnative-pg' } };
      }),
    );
    expect(workloadPlatformOf(env).databaseApi).toBeUndefined();
  });

  test("takes the root Application's path and revision from argocd.gitops, and has no GitOps without Argo CD", () => {
    const custom = validateEnvironment(
      prodConfig((config) => {
        config.platform.addons.argocd.gitops = { repoUrl: 'git@github.com:acme/gitops.git', path: 'clusters/prod', revision: 'release' };
      }),
    );
    expect(workloadPlatformOf(custom).gitops).toEqual({ repoUrl: 'git@github.com:acme/gitops.git', path: 'clusters/prod', revision: 'release' });
    const none = validateEnvironment(
      prodConfig((config) => {
        config.platform.addons.argocd = { enabled: false };
        config.platform.addons.backstage = { enabled: false }; // whose catalog lives in the GitOps repository
      }),
    );
    expect(workloadPlatformOf(none).gitops).toBeUndefined();
  });

  test('says the caller creates cloud resources only when asked (a team stack)', () => {
    const env = validateEnvironment(environmentSets.default[0]);
    expect(workloadPlatformOf(env).cloudResources).toBe(false);
    expect(workloadPlatformOf(env, { cloudResources: true }).cloudResources).toBe(true);
  });
});

describe('workloadLayoutDirectory', () => {
  test("is the root Application's directory, or the preview ApplicationSet's for previews", () => {
    const dev = validateEnvironment(environmentSets.default[0]);
    expect(workloadLayoutDirectory(dev, false)).toBe('environments/dev');
    expect(workloadLayoutDirectory(dev, true)).toBe('deploy/preview');
    const custom = validateEnvironment(
      devConfig((config) => {
        config.platform.addons.argocd.previewEnvironments.path = 'k8s/preview';
      }),
    );
    expect(workloadLayoutDirectory(custom, true)).toBe('k8s/preview');
  });

  test('is undefined without Argo CD, and the default preview directory', () => {
    const env = validateEnvironment(
      devConfig((config) => {
        config.platform.addons.argocd = { enabled: false };
        config.platform.addons.backstage = { enabled: false }; // whose catalog lives in the GitOps repository
      }),
    );
    expect(workloadLayoutDirectory(env, false)).toBeUndefined();
    expect(workloadLayoutDirectory(env, true)).toBe('deploy/preview');
  });
});
