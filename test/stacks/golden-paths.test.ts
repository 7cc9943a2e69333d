import { environmentSets, validateEnvironment, type Environment } from '../../environments';
import { GOLDEN_PATH_NAMES } from '../../constructs/interface/backstage/golden-paths';
import { goldenPathEnvironmentOf, goldenPathFilesOf, goldenPathsOf } from '../../stacks/golden-paths';
import { devConfig } from '../helpers';

const validated = (configs: readonly unknown[]): Environment[] => configs.map((config) => validateEnvironment(config));
const ENVIRONMENTS = validated(environmentSets.all);
const GITOPS = { owner: 'acme', repo: 'platform-gitops' };

/** What each shipped environment gives the golden paths, besides the GitHub owner and GitOps repository they all share. */
const EXPECTED = {
  dev: { cloud: 'aws', region: 'eu-west-1', registry: '111111111111.dkr.ecr.eu-west-1.amazonaws.com', repositoryPrefix: 'dev/', postgres: {} },
  staging: { cloud: 'aws', region: 'eu-west-1', registry: '111111111111.dkr.ecr.eu-west-1.amazonaws.com', repositoryPrefix: 'staging/', postgres: {} },
  prod: { cloud: 'aws', region: 'eu-west-1', registry: '222222222222.dkr.ecr.eu-west-1.amazonaws.com', repositoryPrefix: 'prod/', postgres: {} },
  'azure-dev': {
    cloud: 'azure',
    tenantId: '00000000-0000-0000-0000-0000000000aa',
    subscriptionId: '00000000-0000-0000-0000-000000000001',
    registry: 'acrazuredev77f0f579.azurecr.io',
    repositoryPrefix: '',
    postgres: {},
  },
  'azure-prod': {
    cloud: 'azure',
    tenantId: '00000000-0000-0000-0000-0000000000aa',
    subscriptionId: '00000000-0000-0000-0000-000000000002',
    registry: 'acrazureprod32583fc2.azurecr.io',
    repositoryPrefix: '',
    postgres: {},
  },
  'gcp-dev': { cloud: 'gcp', registry: 'europe-west1-docker.pkg.dev', repositoryPrefix: 'acme-idp-dev/gcp-dev/', postgres: {} },
  // Cloud SQL's Composition sets no password: the golden paths claim the CloudNativePG Composition.
  'gcp-prod': { cloud: 'gcp', registry: 'europe-west1-docker.pkg.dev', repositoryPrefix: 'acme-idp-prod/gcp-prod/', postgres: { composition: 'cloudnative-pg' } },
} as const;

describe('goldenPathEnvironmentOf', () => {
  test.each(ENVIRONMENTS.map((env) => [env.name, env] as const))('%s: its cloud, registry, GitHub owner, GitOps repository and PostgreSQL', (name, env) => {
    expect(goldenPathEnvironmentOf(env)).toEqual({ name, githubOwner: 'acme', gitops: GITOPS, ...EXPECTED[name as keyof typeof EXPECTED] });
  });

  test('reads the registry URLs the registry constructs document (ECR under the environment, ACR by subscription, one Artifact Registry repository per environment)', () => {
    const dev = goldenPathEnvironmentOf(ENVIRONMENTS.find((env) => env.name === 'dev')!)!;
    expect(`${dev.registry}/${dev.repositoryPrefix}platform/backstage`).toBe('111111111111.dkr.ecr.eu-west-1.amazonaws.com/dev/platform/backstage');
    const gcp = goldenPathEnvironmentOf(ENVIRONMENTS.find((env) => env.name === 'gcp-dev')!)!;
    expect(`${gcp.registry}/${gcp.repositoryPrefix}platform/backstage`).toBe('europe-west1-docker.pkg.dev/acme-idp-dev/gcp-dev/platform/backstage');
  });

  test('creates services in the GitOps repository\'s owner without ci.github, and targets the GitOps revision when it names one', () => {
    const env = validateEnvironment(
      devConfig((config) => {
        delete config.ci;
        config.platform.addons.argocd.gitops = { repoUrl: 'git@github.com:acme-platform/gitops.git', revision: 'live' };
      }),
    );
    expect(goldenPathEnvironmentOf(env)).toMatchObject({ githubOwner: 'acme-platform', gitops: { owner: 'acme-platform', repo: 'gitops', branch: 'live' } });
  });

  test('has no PostgreSQL where neither the Crossplane database API nor CloudNativePG runs', () => {
    const env = validateEnvironment(
      devConfig((config) => {
        config.platform.addons.crossplane = { enabled: false };
        config.platform.addons.cloudnativePg = { enabled: false };
        config.platform.addons.backstage.enabled = false;
      }),
    );
    expect(goldenPathEnvironmentOf(env)?.postgres).toBeUndefined();
  });

  test('serves no environment without Argo CD, or whose GitOps repository is not on github.com', () => {
    // The portal reads its catalog from a GitHub repository: it names one of its own here.
    const portalCatalog = { repository: 'https://github.com/acme/portal-catalog.git' };
    const withoutArgo = validateEnvironment(
      devConfig((config) => {
        config.platform.addons.argocd = { enabled: false };
        config.platform.addons.backstage.catalog = portalCatalog;
      }),
    );
    const gitlab = validateEnvironment(
      devConfig((config) => {
        config.platform.addons.argocd.gitops = { repoUrl: 'https://gitlab.com/acme/gitops.git' };
        config.platform.addons.backstage.catalog = portalCatalog;
      }),
    );
    expect([goldenPathEnvironmentOf(withoutArgo), goldenPathEnvironmentOf(gitlab)]).toEqual([undefined, undefined]);
    expect(goldenPathFilesOf([withoutArgo, gitlab])).toEqual({});
  });
});

describe('goldenPathsOf', () => {
  test('serves every environment of the set in config order, owned by the first environment\'s owner', () => {
    const props = goldenPathsOf(ENVIRONMENTS)!;
    expect(props.owner).toBe('platform-team');
    expect(props.environments.map((env) => env.name)).toEqual(ENVIRONMENTS.map((env) => env.name));
  });

  test('serves every preset on every cloud: each provisions PostgreSQL with a login', () => {
    const presets = validated(environmentSets.presets);
    const props = goldenPathsOf(presets)!;
    expect(props.environments.map((env) => env.name)).toEqual(presets.map((env) => env.name));
    expect(props.environments.filter((env) => env.postgres === undefined)).toEqual([]);
    expect(Object.keys(goldenPathFilesOf(presets)).filter((path) => path.endsWith('/template.yaml'))).toEqual(GOLDEN_PATH_NAMES.map((name) => `templates/${name}/template.yaml`).sort());
  });
});
