/**
 * Golden paths: Backstage Software Templates (`scaffolder.backstage.io/v1beta3`) that create a
 * service which runs on the platform. Each template fetches its skeleton (a real minimal service:
 * app and tests, Dockerfile, Score file, catalog entry, CI pipeline), publishes it as a GitHub
 * repository with the repository variables its pipeline reads, registers it in the catalog, and
 * opens the pull request that adds its Score file to the GitOps repository.
 *
 * The skeletons are static files in the package's `golden-paths/` folder: `golden-paths/<name>/skeleton/`
 * and `golden-paths/shared/skeleton/` (the files every skeleton has). What differs per environment
 * (cloud, registry, GitHub owner, GitOps repository) is looked up in the template's step inputs by
 * the chosen environment.
 *
 * @see https://backstage.io/docs/features/software-templates/writing-templates
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cloud } from '../../core/clouds';
import { IdpkitError, describeValue } from '../../core/errors';
import { Document } from 'yaml';

/** The golden paths, in the order the portal lists them. */
export const GOLDEN_PATH_NAMES = ['node-service', 'python-service', 'go-api'] as const;

/** A golden path's name: its Template entity and its folder. */
export type GoldenPathName = (typeof GOLDEN_PATH_NAMES)[number];

/** What each golden path is, as the portal shows it. */
interface GoldenPathDescription {
  readonly title: string;
  readonly description: string;
  /** The catalog tag of the language, also given to the skeleton (`values.language`). */
  readonly language: string;
  readonly tags: readonly string[];
}

/** The golden paths' titles, descriptions and tags. */
const GOLDEN_PATHS: Readonly<Record<GoldenPathName, GoldenPathDescription>> = {
  'node-service': {
    title: 'Node.js service',
    description: 'An HTTP service in Node.js (node:http, node --test), optionally with PostgreSQL, deployed by the platform from its Score file',
    language: 'nodejs',
    tags: ['nodejs', 'service', 'score'],
  },
  'python-service': {
    title: 'Python service',
    description: 'An HTTP service in Python (http.server, unittest), optionally with PostgreSQL, deployed by the platform from its Score file',
    language: 'python',
    tags: ['python', 'service', 'score'],
  },
  'go-api': {
    title: 'Go API',
    description: 'An HTTP API in Go (net/http, go test), optionally with PostgreSQL, deployed by the platform from its Score file',
    language: 'go',
    tags: ['go', 'api', 'service', 'score'],
  },
};

/** Where the push job logs in, per cloud: what the environment knows (the identity itself is the platform team's). */
export type GoldenPathCloud =
  | { readonly cloud: 'aws'; /** Region of the ECR registry. */ readonly region: string }
  | { readonly cloud: 'azure'; /** Entra ID tenant. */ readonly tenantId: string; /** Subscription of the registry. */ readonly subscriptionId: string }
  | { readonly cloud: 'gcp' };

/** What a golden path needs to know of one environment it creates services for. */
export type GoldenPathEnvironment = GoldenPathCloud & {
  /** Environment name: an option of the template's `environment` parameter. */
  readonly name: string;
  /** Host of the environment's registry, e.g. `111111111111.dkr.ecr.eu-west-1.amazonaws.com`. */
  readonly registry: string;
  /**
   * Path in the registry before `<team>/<service>`: `<env>/` on ECR, none on ACR,
   * `<project>/<env>/` on Artifact Registry. Empty or ending in `/`.
   */
  readonly repositoryPrefix: string;
  /** GitHub user or organisation the service repositories are created in. */
  readonly githubOwner: string;
  /** The GitOps repository on GitHub the pull request goes to. */
  readonly gitops: {
    /** User or organisation of the repository. */
    readonly owner: string;
    /** Repository name. */
    readonly repo: string;
    /** Branch the pull request targets. @default - the repository's default branch */
    readonly branch?: string;
  };
  /**
   * How a Score `postgres` resource gets a database with a login here: with the default class, or
   * with this Composition of the Crossplane database API. @default - no PostgreSQL here: the
   * template refuses database "postgres" for this environment
   */
  readonly postgres?: { readonly composition?: string };
};

/** Props of {@link goldenPathTemplate} and {@link goldenPathFiles}. */
export interface GoldenPathsProps {
  /** The group that owns the templates (a Group entity name), e.g. the platform team. */
  readonly owner: string;
  /** The environments services can be created for, in the order the template lists them; at least one. */
  readonly environments: readonly GoldenPathEnvironment[];
}

/** The template's `${{ }}` expression of the owner team's name: the OwnerPicker's entity ref, by name. */
const TEAM = "parameters.owner | parseEntityRef | pick('name')";

/** Files the skeleton fetch copies as they are: GitHub Actions' own `${{ }}` expressions must reach GitHub untouched. */
export const COPY_WITHOUT_TEMPLATING: readonly string[] = ['.github/workflows/*'];

/** How the skeletons are rendered: `{% if %}` lines leave no blank lines behind. */
const TEMPLATING = { trimBlocks: true, lstripBlocks: true } as const;

/** Where the skeleton and the GitOps fragment are rendered in the scaffolder's workspace. */
const WORKSPACE = { service: './service', gitops: './gitops' } as const;

/** Entity names: 1-63 letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit. */
const ENTITY_NAME = /^[A-Za-z0-9]([-_.A-Za-z0-9]{0,61}[A-Za-z0-9])?$/;

/** Service names: DNS labels starting with a letter (Kubernetes Service names, GitHub repository names, image paths). */
export const SERVICE_NAME_PATTERN = '^[a-z]([-a-z0-9]*[a-z0-9])?$';

/** Service names are at most this long (a DNS label). */
const SERVICE_NAME_MAX_LENGTH = 63;

/**
 * The repository variables of one environment the push job reads, besides `CLOUD`, `REGISTRY`
 * and `IMAGE_REPOSITORY`: where it logs in.
 */
const CLOUD_VARIABLES: { readonly [C in Cloud]: (env: Extract<GoldenPathCloud, { cloud: C }>) => Readonly<Record<string, string>> } = {
  aws: (env) => ({ AWS_REGION: env.region }),
  azure: (env) => ({ AZURE_TENANT_ID: env.tenantId, AZURE_SUBSCRIPTION_ID: env.subscriptionId }),
  gcp: () => ({}),
};

/**
 * Variables the push job reads that name the cloud identity it assumes with GitHub's OIDC token.
 * The platform team creates the identity and sets them (organization or repository variables).
 */
export const PUSH_IDENTITY_VARIABLES: Readonly<Record<Cloud, readonly string[]>> = {
  aws: ['AWS_ROLE_ARN'],
  azure: ['AZURE_CLIENT_ID'],
  gcp: ['GCP_WORKLOAD_IDENTITY_PROVIDER', 'GCP_SERVICE_ACCOUNT'],
};

/** Where the push job of one environment logs in: its cloud's variables. */
const cloudVariablesOf = (env: GoldenPathEnvironment): Readonly<Record<string, string>> =>
  (CLOUD_VARIABLES[env.cloud] as (env: GoldenPathCloud) => Readonly<Record<string, string>>)(env);

/** The variables of one environment a template sets on the repository it creates (besides `IMAGE_REPOSITORY`), by name. */
export function repositoryVariablesOf(env: GoldenPathEnvironment): Readonly<Record<string, string>> {
  return { CLOUD: env.cloud, REGISTRY: env.registry, ...cloudVariablesOf(env) };
}

/**
 * A template expression of a value that depends on the chosen environment: the value itself when
 * every environment has the same one, else a lookup by `parameters.environment`. An environment
 * without a value gets none (the scaffolder drops an input that renders empty).
 */
function perEnvironment(environments: readonly GoldenPathEnvironment[], value: (env: GoldenPathEnvironment) => string | undefined): string {
  const values = environments.map(value);
  if (values.every((each) => each !== undefined && each === values[0])) return values[0]!;
  const entries = environments.flatMap((env, index) => (values[index] === undefined ? [] : [`${JSON.stringify(env.name)}: ${JSON.stringify(values[index])}`]));
  // Spaces inside the braces: "}}" would end the expression.
  return `\${{ { ${entries.join(', ')} }[parameters.environment] }}`;
}

/** Problems of the props, as messages naming the prop, the value and what is allowed. */
function propProblems(props: GoldenPathsProps): string[] {
  const problems: string[] = [];
  if (!ENTITY_NAME.test(props.owner)) {
    problems.push(`golden paths: owner ${describeValue(props.owner)} is not a Backstage entity name (1-63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit): name the owning group so`);
  }
  if (props.environments.length === 0) problems.push('golden paths: environments is empty (give at least one environment services can be created for)');
  const seen = new Set<string>();
  for (const env of props.environments) {
    if (seen.has(env.name)) problems.push(`golden paths: environment ${describeValue(env.name)} is listed twice`);
    seen.add(env.name);
    if (env.repositoryPrefix !== '' && !env.repositoryPrefix.endsWith('/')) {
      problems.push(`golden paths: environment "${env.name}": repositoryPrefix ${describeValue(env.repositoryPrefix)} must be empty or end in "/"`);
    }
    const facts = {
      name: env.name,
      registry: env.registry,
      repositoryPrefix: env.repositoryPrefix,
      githubOwner: env.githubOwner,
      'gitops.owner': env.gitops.owner,
      'gitops.repo': env.gitops.repo,
      'gitops.branch': env.gitops.branch,
      'postgres.composition': env.postgres?.composition,
      ...cloudVariablesOf(env),
    };
    for (const [field, text] of Object.entries(facts)) {
      // Facts are written into template expressions as JSON strings: they must not end or open one.
      if (text !== undefined && /["\\{}%#]/.test(text)) problems.push(`golden paths: environment "${env.name}": ${field} ${describeValue(text)} contains one of " \\ { } % #, which a template expression cannot hold`);
    }
  }
  return problems;
}

/** The template's parameters: the service (name, owner), then where it runs (environment, database). */
function parametersOf(environments: readonly GoldenPathEnvironment[]): unknown[] {
  const withoutPostgres = environments.filter((env) => env.postgres === undefined).map((env) => env.name);
  return [
    {
      title: 'The service',
      required: ['name', 'owner'],
      properties: {
        name: {
          title: 'Name',
          type: 'string',
          description: 'Name of the service, its repository and its workload: lowercase letters, digits and "-", starting with a letter',
          pattern: SERVICE_NAME_PATTERN,
          maxLength: SERVICE_NAME_MAX_LENGTH,
          'ui:autofocus': true,
        },
        owner: {
          title: 'Owner',
          type: 'string',
          description: 'The team that owns the service; it runs in the team\'s namespace',
          'ui:field': 'OwnerPicker',
          'ui:options': { allowedKinds: ['Group'] },
        },
      },
    },
    {
      title: 'Where it runs',
      required: ['environment', 'database'],
      'ui:order': ['environment', 'database'],
      properties: {
        environment: {
          title: 'Environment',
          type: 'string',
          description: 'The platform environment: its registry receives the image, its GitOps repository the Score file',
          enum: environments.map((env) => env.name),
          default: environments[0].name,
        },
        database: {
          title: 'Database',
          type: 'string',
          description:
            withoutPostgres.length === 0
              ? 'A PostgreSQL database the platform provisions for the service, or none'
              : `A PostgreSQL database the platform provisions for the service, or none (no PostgreSQL in ${withoutPostgres.join(', ')})`,
          enum: ['none', 'postgres'],
          enumNames: ['None', 'PostgreSQL'],
          default: 'none',
        },
      },
      ...(withoutPostgres.length === 0
        ? {}
        : { if: { properties: { environment: { enum: withoutPostgres } } }, then: { properties: { database: { const: 'none' } } } }),
    },
  ];
}

/** The values the skeleton is rendered with (`${{ values.<key> }}`). */
function skeletonValuesOf(name: GoldenPathName, environments: readonly GoldenPathEnvironment[]): Record<string, string> {
  return {
    name: '${{ parameters.name }}',
    owner: '${{ parameters.owner }}',
    team: `\${{ ${TEAM} }}`,
    environment: '${{ parameters.environment }}',
    database: '${{ parameters.database }}',
    template: name,
    language: GOLDEN_PATHS[name].language,
    cloud: perEnvironment(environments, (env) => env.cloud),
    registry: perEnvironment(environments, (env) => env.registry),
    imageRepository: imageRepositoryExpression(environments),
    githubOwner: perEnvironment(environments, (env) => env.githubOwner),
    ...(environments.some((env) => env.postgres?.composition !== undefined)
      ? { postgresComposition: perEnvironment(environments, (env) => env.postgres?.composition) }
      : {}),
  };
}

/** The image's repository in the registry: `<prefix><team>/<service>`. */
function imageRepositoryExpression(environments: readonly GoldenPathEnvironment[]): string {
  return `${perEnvironment(environments, (env) => env.repositoryPrefix)}\${{ ${TEAM} }}/\${{ parameters.name }}`;
}

/** The repository variables the template sets: each environment's, looked up by the chosen one. */
function repositoryVariablesExpression(environments: readonly GoldenPathEnvironment[]): Record<string, string> {
  const names = [...new Set(environments.flatMap((env) => Object.keys(repositoryVariablesOf(env))))].sort();
  return {
    ...Object.fromEntries(names.map((variable) => [variable, perEnvironment(environments, (env) => repositoryVariablesOf(env)[variable])])),
    IMAGE_REPOSITORY: imageRepositoryExpression(environments),
  };
}

/**
 * The Template entity of one golden path for these environments.
 *
 * @example
 * declare const environments: readonly GoldenPathEnvironment[];  // e.g. goldenPathEnvironmentOf(env) of each environment (idpkit/platform)
 * const template = goldenPathTemplate('node-service', { owner: 'platform-team', environments });
 */
export function goldenPathTemplate(name: GoldenPathName, props: GoldenPathsProps): Record<string, unknown> {
  const problems = propProblems(props);
  if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
  const { environments } = props;
  const path = GOLDEN_PATHS[name];
  const values = skeletonValuesOf(name, environments);
  const gitopsBranches = environments.some((env) => env.gitops.branch !== undefined);
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name, title: path.title, description: path.description, tags: [...path.tags] },
    spec: {
      owner: `group:default/${props.owner}`,
      type: 'service',
      parameters: parametersOf(environments),
      steps: [
        {
          id: 'fetch',
          name: 'Fetch the skeleton',
          action: 'fetch:template',
          input: { url: './skeleton', targetPath: WORKSPACE.service, copyWithoutTemplating: [...COPY_WITHOUT_TEMPLATING], ...TEMPLATING, values },
        },
        {
          id: 'publish',
          name: 'Publish the repository on GitHub',
          action: 'publish:github',
          input: {
            repoUrl: `github.com?owner=${perEnvironment(environments, (env) => env.githubOwner)}&repo=\${{ parameters.name }}`,
            description: `\${{ parameters.name }}: ${path.title} of team \${{ ${TEAM} }} (idpkit golden path ${name})`,
            sourcePath: WORKSPACE.service,
            defaultBranch: 'main',
            repoVisibility: 'private',
            repoVariables: repositoryVariablesExpression(environments),
          },
        },
        {
          id: 'register',
          name: 'Register it in the catalog',
          action: 'catalog:register',
          input: { repoContentsUrl: '${{ steps.publish.output.repoContentsUrl }}', catalogInfoPath: '/catalog-info.yaml' },
        },
        {
          id: 'gitops',
          name: 'Copy the Score file for the GitOps repository',
          action: 'fetch:template:file',
          input: {
            url: './skeleton/score.yaml',
            targetPath: `${WORKSPACE.gitops}/services/\${{ parameters.environment }}/\${{ ${TEAM} }}/\${{ parameters.name }}/score.yaml`,
            ...TEMPLATING,
            values,
          },
        },
        {
          id: 'pullRequest',
          name: 'Open the GitOps pull request',
          action: 'publish:github:pull-request',
          input: {
            repoUrl: `github.com?owner=${perEnvironment(environments, (env) => env.gitops.owner)}&repo=${perEnvironment(environments, (env) => env.gitops.repo)}`,
            ...(gitopsBranches ? { targetBranchName: perEnvironment(environments, (env) => env.gitops.branch) } : {}),
            branchName: `add-\${{ parameters.environment }}-\${{ ${TEAM} }}-\${{ parameters.name }}`,
            title: `Add service \${{ parameters.name }} of team \${{ ${TEAM} }} to \${{ parameters.environment }}`,
            description: [
              `Adds the Score file of \${{ parameters.name }} (\${{ steps.publish.output.remoteUrl }}), created from the golden path ${name}.`,
              `Once its pipeline has pushed an image, render it into environment \${{ parameters.environment }} with \`idpkit workload render\`.`,
            ].join('\n\n'),
            sourcePath: WORKSPACE.gitops,
          },
        },
      ],
      output: {
        links: [
          { title: 'Repository', url: '${{ steps.publish.output.remoteUrl }}' },
          { title: 'Open in catalog', icon: 'catalog', entityRef: '${{ steps.register.output.entityRef }}' },
          { title: 'GitOps pull request', url: '${{ steps.pullRequest.output.remoteUrl }}' },
        ],
      },
    },
  };
}

/**
 * YAML of an entity for Backstage's reader (the `yaml` package, YAML 1.2): keys sorted, so the
 * output is byte-stable, and no line folding, so each template expression stays on one line.
 */
const entityYaml = (entity: unknown): string => new Document(entity, { sortMapEntries: true, aliasDuplicateObjects: false }).toString({ lineWidth: 0 });

/** The package's `golden-paths/` folder, from the source tree or the built one (`dist/`). */
function goldenPathsDirectory(): string {
  const candidates = [join(__dirname, '..', '..', '..', 'golden-paths'), join(__dirname, '..', '..', '..', '..', 'golden-paths')];
  const found = candidates.find((candidate) => existsSync(join(candidate, 'shared', 'skeleton')));
  if (!found) throw new Error(`idpkit's golden-paths folder is missing (looked in ${candidates.join(', ')})`);
  return found;
}

/**
 * Skeleton files stored under another name, by the name they get: npm leaves `.gitignore` files
 * out of the package, so the skeletons keep theirs as `gitignore`.
 */
const STORED_AS: Readonly<Record<string, string>> = { gitignore: '.gitignore' };

/** The files under a directory, by path relative to it ("/"-separated, stored names restored), read as UTF-8. */
function filesUnder(directory: string, prefix = ''): [string, string][] {
  return readdirSync(join(directory, prefix), { withFileTypes: true }).flatMap((entry) => {
    const stored = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) return filesUnder(directory, stored);
    const name = STORED_AS[entry.name] ?? entry.name;
    const path = prefix === '' ? name : `${prefix}/${name}`;
    return [[path, readFileSync(join(directory, stored), 'utf8')] as [string, string]];
  });
}

/** A golden path's skeleton: the files every skeleton shares and its own (a path in both is an error). */
export function skeletonFiles(name: GoldenPathName): Readonly<Record<string, string>> {
  const root = goldenPathsDirectory();
  const shared = filesUnder(join(root, 'shared', 'skeleton'));
  const own = filesUnder(join(root, name, 'skeleton'));
  const sharedPaths = new Set(shared.map(([path]) => path));
  const both = own.filter(([path]) => sharedPaths.has(path)).map(([path]) => path);
  if (both.length > 0) throw new Error(`golden path ${name}: ${both.join(', ')} is both in golden-paths/shared/skeleton and golden-paths/${name}/skeleton`);
  return Object.fromEntries([...shared, ...own].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Every golden path's files for the published catalog folder, by path relative to it, sorted:
 * `templates/<name>/template.yaml` (the Template entity) and `templates/<name>/skeleton/...`.
 *
 * @example
 * declare const environments: readonly GoldenPathEnvironment[];
 * for (const [path, text] of Object.entries(goldenPathFiles({ owner: 'platform-team', environments }))) writeFileSync(join('cdktf.out', 'catalog', path), text);
 */
export function goldenPathFiles(props: GoldenPathsProps): Readonly<Record<string, string>> {
  const files: [string, string][] = GOLDEN_PATH_NAMES.flatMap((name) => [
    [`templates/${name}/template.yaml`, entityYaml(goldenPathTemplate(name, props))] as [string, string],
    ...Object.entries(skeletonFiles(name)).map(([path, text]) => [`templates/${name}/skeleton/${path}`, text] as [string, string]),
  ]);
  return Object.fromEntries(files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
