/**
 * The golden paths of a set of validated environments: what each template needs of each
 * environment (cloud, registry, GitHub owner, GitOps repository, PostgreSQL), read from the
 * environment configs, and the files synthesis publishes in the catalog folder.
 */
import type { Cloud } from '../constructs/core/clouds';
import { IdpkitError } from '../constructs/core/errors';
import { azureRegistryName } from '../constructs/infrastructure/registry/azure-names';
import { githubRepositoryOf } from '../constructs/interface/backstage/backstage';
import { GoldenPathCloud, GoldenPathEnvironment, GoldenPathsProps, goldenPathFiles } from '../constructs/interface/backstage/golden-paths';
import { groupName } from '../constructs/interface/catalog/platform';
import { DEFAULT_GITOPS_REVISION } from '../constructs/orchestration/gitops/argocd';
import { renderWorkloads } from '../constructs/orchestration/workloads/render';
import type { Environment, EnvironmentOn } from '../environments/types';
import { enabledConfigOf } from './platform/addon';
import type { ArgoCdConfig } from '../constructs/addons/orchestration';
import { workloadPlatformOf } from './workloads';

/**
 * Where each cloud's registry is, as the infra stack makes it (constructs/infrastructure/registry):
 * ECR repositories `<env>/<path>` in the account's regional registry; ACR `<name>.azurecr.io` with
 * the name from the subscription and environment; one Artifact Registry repository `<env>` in the
 * project, image paths inside it. Plus where the push job logs in.
 */
const REGISTRIES: {
  readonly [C in Cloud]: (env: EnvironmentOn<C>) => GoldenPathCloud & { readonly registry: string; readonly repositoryPrefix: string };
} = {
  aws: (env) => ({ cloud: 'aws', region: env.aws.region, registry: `${env.aws.accountId}.dkr.ecr.${env.aws.region}.amazonaws.com`, repositoryPrefix: `${env.name}/` }),
  azure: (env) => ({
    cloud: 'azure',
    tenantId: env.azure.tenantId,
    subscriptionId: env.azure.subscriptionId,
    registry: `${azureRegistryName(env.name, env.azure.subscriptionId)}.azurecr.io`,
    repositoryPrefix: '',
  }),
  gcp: (env) => ({ cloud: 'gcp', registry: `${env.gcp.region}-docker.pkg.dev`, repositoryPrefix: `${env.gcp.projectId}/${env.name}/` }),
};

/**
 * Candidates for a Score `postgres` resource with a login (username and password outputs), in
 * order: the environment's default class, then the CloudNativePG Composition of the Crossplane
 * database API (where the default cloud Composition has no login: Cloud SQL's sets no password).
 */
const POSTGRES_CANDIDATES: readonly (string | undefined)[] = [undefined, 'cloudnative-pg'];

/** A Score file whose workload needs a database login, with the postgres Composition to try. */
const postgresProbe = (composition: string | undefined): string =>
  [
    'apiVersion: score.dev/v1b1',
    'metadata: { name: probe }',
    'containers:',
    '  main:',
    '    image: probe',
    '    variables: { USER: "${resources.db.username}", PASSWORD: "${resources.db.password}" }',
    'resources:',
    `  db: { type: postgres${composition ? `, params: { composition: ${composition} }` : ''} }`,
  ].join('\n');

/**
 * How a golden path's `postgres` gets a database with a login in this environment: the first
 * candidate the workload engine itself provisions with username and password outputs (so the
 * answer is the engine's, not a copy of its rules), or undefined when none does.
 */
function postgresOf(env: Environment): GoldenPathEnvironment['postgres'] {
  const platform = { ...workloadPlatformOf(env), namespaces: [] };
  for (const composition of POSTGRES_CANDIDATES) {
    try {
      renderWorkloads([{ path: 'probe.yaml', text: postgresProbe(composition) }], platform, { namespace: 'probe' });
      return composition === undefined ? {} : { composition };
    } catch (error) {
      if (!(error instanceof IdpkitError)) throw error;
    }
  }
  return undefined;
}

/**
 * What the golden paths need of one environment, or undefined when they cannot serve it: it runs
 * no Argo CD with a GitOps repository on github.com (the templates open their pull request there).
 * Services are created in the GitHub owner of `ci.github`, else of the GitOps repository.
 */
export function goldenPathEnvironmentOf(env: Environment): GoldenPathEnvironment | undefined {
  const gitops = enabledConfigOf<ArgoCdConfig>(env, 'argocd')?.gitops;
  const repository = gitops && githubRepositoryOf(gitops.repoUrl);
  if (!gitops || !repository) return undefined;
  const revision = gitops.revision ?? DEFAULT_GITOPS_REVISION;
  const registry = (REGISTRIES[env.cloud] as (env: Environment) => ReturnType<(typeof REGISTRIES)[Cloud]>)(env);
  const postgres = postgresOf(env);
  return {
    ...registry,
    name: env.name,
    githubOwner: env.ci?.github.owner ?? repository.owner,
    gitops: { ...repository, ...(revision === DEFAULT_GITOPS_REVISION ? {} : { branch: revision }) },
    ...(postgres ? { postgres } : {}),
  };
}

/**
 * The golden paths' props for a validated environment set: the environments they can serve, in
 * config order, owned by the first environment's `owner` group (its catalog name, {@link groupName}); undefined when they serve none.
 */
export function goldenPathsOf(envs: readonly Environment[]): GoldenPathsProps | undefined {
  const environments = envs.flatMap((env) => goldenPathEnvironmentOf(env) ?? []);
  return environments.length === 0 ? undefined : { owner: groupName(envs[0].owner), environments };
}

/**
 * The golden paths' files for the catalog folder (`templates/<name>/template.yaml` and
 * `templates/<name>/skeleton/...`), or none when no environment has a GitOps repository on GitHub.
 *
 * @example
 * const envs = [loadEnvironmentFile('environments/dev.json'), loadEnvironmentFile('environments/prod.json')];
 * for (const [path, text] of Object.entries(goldenPathFilesOf(envs))) writeFileSync(join('cdktf.out', 'catalog', path), text);
 */
export function goldenPathFilesOf(envs: readonly Environment[]): Readonly<Record<string, string>> {
  const props = goldenPathsOf(envs);
  return props ? goldenPathFiles(props) : {};
}
