import { Construct } from 'constructs';
import { CHARTS } from '../../core/charts';
import { IdpkitError } from '../../core/errors';
import { AddonProps, HelmAddon, podSecurityNamespace } from '../../core/helm-addon';
import { ManifestsRelease, dependencyOf } from '../../core/manifests';
import { CnpgClusterProps, CnpgPostgresVersion, cnpgCluster, cnpgClusterProblems } from '../../capabilities/database/cloudnative-pg';
import { TokenSecretSource, externalSecretOf, tokenSecretRef } from '../../capabilities/secrets/external-secrets';
import type { GithubRepository } from '../../integration/ci';
import { CATALOG_FILES } from '../catalog/platform';
import { DEFAULT_GITOPS_REVISION } from '../../orchestration/gitops/argocd';
import { tierDefault } from '../../core/tiers';

/** Props of {@link Backstage}. */
export interface BackstageProps extends AddonProps {
  /** Two replicas with a disruption budget of one available. @default - the tier's `highAvailability` (off in dev); true without a tier */
  readonly highAvailability?: boolean;
  /** The organisation's Backstage image (built from its Backstage app). */
  readonly image: BackstageImageProps;
  /** URL users reach the portal at, e.g. https://portal.example.com (`app.baseUrl` and `backend.baseUrl`). */
  readonly baseUrl: string;
  /** Organisation name shown in the portal (`organization.name`). */
  readonly organizationName: string;
  /**
   * An existing Secret in `backstage` with the PostgreSQL connection in keys `host`, `port`,
   * `username`, `password` and `dbname` (the layout of a CloudNativePG application secret), which
   * the caller creates and keeps. Give this or `database`, but not both.
   * @default - the Secret of the CloudNativePG cluster `database` makes (`backstage-db-app`)
   */
  readonly databaseSecretName?: string;
  /**
   * Backstage's own PostgreSQL: a CloudNativePG cluster `backstage-db` in `backstage`, whose
   * operator generates the login (Secret `backstage-db-app`); no password is written here.
   * Give this or `databaseSecretName`, but not both.
   * @default - none
   */
  readonly database?: BackstageDatabaseProps;
  /** Existing Secrets whose keys become environment variables of the backend (tokens for integrations, auth providers). @default [] */
  readonly extraEnvVarsSecrets?: readonly string[];
  /** An Ingress for the host of `baseUrl`. @default - none */
  readonly ingress?: BackstageIngressProps;
  /**
   * The platform catalog the portal loads: one `url` location of a file in a GitHub repository
   * (the `catalog/all.yaml` CI publishes to the GitOps repository).
   * @default - no location: only entities registered otherwise
   */
  readonly catalog?: BackstageCatalogProps;
  /**
   * The GitHub token of the `github.com` integration, with which the catalog reads private
   * repositories and the scaffolder publishes repositories and opens pull requests; as the
   * environment variable `GITHUB_TOKEN`, optional, so that the pod starts before the token exists.
   * @default - no integration entry: Backstage reads public github.com repositories anonymously
   */
  readonly githubToken?: BackstageGithubTokenSource;
}

/** The file of a GitHub repository the catalog is loaded from. */
export interface BackstageCatalogProps {
  /**
   * The repository: `https://github.com/<owner>/<repo>[.git]`, `git@github.com:<owner>/<repo>.git`
   * or `ssh://git@github.com/<owner>/<repo>.git`.
   */
  readonly repository: string;
  /** Branch, tag or commit, without "/". @default DEFAULT_GITOPS_REVISION ("HEAD": the default branch) */
  readonly revision?: string;
  /** Path of the catalog's Location file in the repository. @default BACKSTAGE_CATALOG_DEFAULTS.path ("catalog/all.yaml") */
  readonly path?: string;
}

/** Where the GitHub token comes from. */
export type BackstageGithubTokenSource = TokenSecretSource;

/** The Secret External Secrets syncs the GitHub token into, when it comes from the cloud secret manager. */
export const BACKSTAGE_GITHUB_TOKEN_SECRET = 'backstage-github-token';

/** Defaults of the catalog location. */
export const BACKSTAGE_CATALOG_DEFAULTS = {
  /** The Location entity synthesis writes, at the root of the `catalog/` folder CI publishes to the GitOps repository. */
  path: `catalog/${CATALOG_FILES.all}`,
} as const;

/**
 * Kinds the catalog accepts from any location. Backstage's default rules allow only Component,
 * API and Location; the platform catalog also holds Systems, Resources, its Domain, Groups and
 * the golden-path Templates.
 */
export const BACKSTAGE_CATALOG_KINDS = ['Component', 'System', 'API', 'Resource', 'Location', 'Domain', 'Group', 'Template'] as const;

/** Environment variable of the GitHub token. */
const GITHUB_TOKEN_ENV = 'GITHUB_TOKEN';

const GITHUB_OWNER = '[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}';
const GITHUB_REPO = '[A-Za-z0-9._-]{1,100}?';
/** The https, scp-like ssh and ssh URL forms of a github.com repository. */
const GITHUB_REPOSITORY_URLS: readonly RegExp[] = [
  new RegExp(`^https://github\\.com/(${GITHUB_OWNER})/(${GITHUB_REPO})(?:\\.git)?/?$`),
  new RegExp(`^git@github\\.com:(${GITHUB_OWNER})/(${GITHUB_REPO})(?:\\.git)?$`),
  new RegExp(`^ssh://git@github\\.com(?::22)?/(${GITHUB_OWNER})/(${GITHUB_REPO})(?:\\.git)?/?$`),
];

/** What a GitHub repository URL looks like, for messages. */
export const GITHUB_REPOSITORY_FORMS = 'https://github.com/<owner>/<repo>[.git], git@github.com:<owner>/<repo>.git or ssh://git@github.com/<owner>/<repo>.git';

/** The owner and name of a github.com repository URL (https or ssh form); undefined for any other URL. */
export function githubRepositoryOf(url: string): GithubRepository | undefined {
  for (const form of GITHUB_REPOSITORY_URLS) {
    const match = form.exec(url);
    if (match && match[2] !== '.' && match[2] !== '..') return { owner: match[1], repo: match[2] };
  }
  return undefined;
}

/**
 * What each field of a catalog location accepts, and the end of the message when it does not: a
 * repository on github.com; a revision without "/" (a GitHub file URL cannot tell such a branch
 * from the path); a relative path of a YAML file.
 */
export const CATALOG_LOCATION_RULES = {
  repository: { accepts: (value: string) => githubRepositoryOf(value) !== undefined, problem: `is not a GitHub repository URL (${GITHUB_REPOSITORY_FORMS})` },
  revision: { accepts: (value: string) => /^[\w.-]+$/.test(value), problem: 'is not a branch, tag or commit Backstage can read from a GitHub file URL (letters, digits, ".", "_" and "-"; no "/")' },
  path: {
    accepts: (value: string) => /^(?!\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[\w./-]+\.ya?ml$/.test(value),
    problem: `is not a relative path of a YAML file in the repository (e.g. ${BACKSTAGE_CATALOG_DEFAULTS.path})`,
  },
} as const;

/** What is wrong with a catalog location, as messages prefixed with `at` (e.g. `<path>: catalog`). */
export function catalogLocationProblems(at: string, catalog: BackstageCatalogProps): string[] {
  return (Object.keys(CATALOG_LOCATION_RULES) as (keyof BackstageCatalogProps)[]).flatMap((field) => {
    const value = catalog[field];
    return value === undefined || CATALOG_LOCATION_RULES[field].accepts(value) ? [] : [`${at}.${field} "${value}" ${CATALOG_LOCATION_RULES[field].problem}`];
  });
}

/** The `url` location target of a catalog file: `https://github.com/<owner>/<repo>/blob/<revision>/<path>`. */
export function githubCatalogUrl(catalog: BackstageCatalogProps): string {
  const repository = githubRepositoryOf(catalog.repository);
  if (!repository) throw new Error(`not a GitHub repository URL: ${catalog.repository}`);
  return `https://github.com/${repository.owner}/${repository.repo}/blob/${catalog.revision ?? DEFAULT_GITOPS_REVISION}/${catalog.path ?? BACKSTAGE_CATALOG_DEFAULTS.path}`;
}

/** The Backstage image. */
export interface BackstageImageProps {
  /** Registry host, e.g. 111111111111.dkr.ecr.eu-west-1.amazonaws.com. */
  readonly registry: string;
  /** Repository in the registry, e.g. platform/backstage. */
  readonly repository: string;
  /** Immutable tag (a version or commit); `latest` is refused. */
  readonly tag: string;
}

/** Backstage's CloudNativePG cluster. */
export interface BackstageDatabaseProps {
  /** The CloudNativePG operator's release (its CRDs and webhooks must exist first). */
  readonly operator: HelmAddon;
  /** Data volume per instance, GiB. @default 10 */
  readonly storageGiB?: number;
  /** PostgreSQL instances: one primary and hot standbys. @default 3 in HA, 1 otherwise */
  readonly instances?: number;
  /** PostgreSQL major version. @default "17" */
  readonly postgresVersion?: CnpgPostgresVersion;
}

/** Defaults of Backstage's CloudNativePG cluster. */
export const BACKSTAGE_DATABASE_DEFAULTS = {
  /** Cluster name: Services `backstage-db-rw` and others, login Secret `backstage-db-app`. */
  name: 'backstage-db',
  /** Database and owner created at bootstrap. */
  database: 'backstage',
  /** Data volume per instance, GiB. */
  storageGiB: 10,
} as const;

/** An Ingress in front of Backstage. */
export interface BackstageIngressProps {
  /** Ingress class that serves it. */
  readonly className: string;
  /** cert-manager ClusterIssuer that issues its certificate (`cert-manager.io/cluster-issuer`). @default - none: the `backstage-tls` secret is provided otherwise */
  readonly clusterIssuer?: string;
}

/** Namespace of Backstage. */
export const BACKSTAGE_NAMESPACE = 'backstage';

/** UID and GID of the `node` user in images built from Backstage's Dockerfile. */
const NODE_USER_ID = 1000;

/** Environment variables of the database connection, from the database secret's keys. */
const DATABASE_ENV = { POSTGRES_HOST: 'host', POSTGRES_PORT: 'port', POSTGRES_USER: 'username', POSTGRES_PASSWORD: 'password', POSTGRES_DB: 'dbname' } as const;

/** `${VAR}` for Backstage's config substitution, escaped so that Terraform passes it through as it is. */
const backstageEnv = (name: string) => `$\${${name}}`;

/**
 * Backstage, the developer portal, from the backstage/charts repository: the organisation's own
 * image at a pinned tag, app config from the environment (base URL, organisation), secrets only
 * by reference, two replicas with a disruption budget in HA, pods at the Pod Security
 * `restricted` level.
 *
 * PostgreSQL (the chart's subchart off) is a CloudNativePG cluster `backstage-db` applied before
 * the portal (`database`), or an existing Secret (`databaseSecretName`). Each plugin keeps its
 * tables in a schema of that one database (`pluginDivisionMode: schema`), so the login needs no
 * `CREATEDB`: the owner of a CloudNativePG application database has none.
 *
 * The catalog loads one `url` location (`catalog`, the platform's published `catalog/all.yaml`)
 * and accepts every kind the platform catalog holds ({@link BACKSTAGE_CATALOG_KINDS}). The
 * `github.com` integration (catalog reads, the scaffolder's `publish:github` and
 * `publish:github:pull-request`) takes its token from a Secret by reference (`githubToken`): an
 * ExternalSecret from the cloud secret manager, applied before the portal, or the caller's own.
 *
 * @see https://github.com/backstage/charts/tree/main/charts/backstage
 * @see https://backstage.io/docs/tutorials/switching-sqlite-postgres
 * @see https://backstage.io/docs/integrations/github/locations
 * @see https://backstage.io/docs/features/software-catalog/configuration
 * @example
 * declare const cloudNativePg: CloudNativePg;
 * declare const externalSecrets: ExternalSecrets;
 * new Backstage(this, 'backstage', {
 *   image: { registry: 'ghcr.io', repository: 'acme/backstage', tag: '1.4.2' },
 *   baseUrl: 'https://portal.acme.example', organizationName: 'Acme', database: { operator: cloudNativePg.addon },
 *   catalog: { repository: 'https://github.com/acme/platform-gitops.git' },
 *   githubToken: { remoteSecretName: 'prod-backstage-github-token', externalSecrets: [externalSecrets.addon] },
 * });
 */
export class Backstage extends Construct {
  /** The Helm release. */
  readonly addon: HelmAddon;
  /** The CloudNativePG cluster, when `database` is given. */
  readonly database?: ManifestsRelease;
  /** Name of the Secret the portal reads its database login from. */
  readonly databaseSecretName: string;
  /** The ExternalSecret that syncs the GitHub token, when it comes from the cloud secret manager. */
  readonly githubToken?: ManifestsRelease;

  constructor(scope: Construct, id: string, props: BackstageProps) {
    super(scope, id);
    if (props.image.tag === 'latest') {
      throw new IdpkitError('IDPKIT_INVALID_PROPS', [
        `${this.node.path}: image.tag "latest" is mutable; pin a version or commit tag so every replica runs the same build`,
      ]);
    }
    const ha = props.highAvailability ?? tierDefault(this, (rules) => rules.highAvailability, true);
    const host = new URL(props.baseUrl).hostname;
    if (props.databaseSecretName !== undefined && props.database !== undefined) {
      throw new IdpkitError('IDPKIT_INVALID_PROPS', [`${this.node.path}: databaseSecretName or database, but not both (an existing Secret, or the CloudNativePG cluster idpkit makes)`]);
    }
    if (props.databaseSecretName === undefined && props.database === undefined) {
      throw new IdpkitError('IDPKIT_INVALID_PROPS', [`${this.node.path}: no database: give database (a CloudNativePG cluster idpkit makes) or databaseSecretName (an existing Secret)`]);
    }
    const defaults = BACKSTAGE_DATABASE_DEFAULTS;
    const cluster: CnpgClusterProps | undefined = props.database && {
      name: defaults.name,
      database: defaults.database,
      storageGiB: props.database.storageGiB ?? defaults.storageGiB,
      instances: props.database.instances,
      postgresVersion: props.database.postgresVersion,
    };
    if (cluster) {
      const problems = cnpgClusterProblems(`${this.node.path}: database`, [cluster], ha);
      if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
    }
    if (props.catalog) {
      const problems = catalogLocationProblems(`${this.node.path}: catalog`, props.catalog);
      if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
    }
    const token = props.githubToken;
    const synced = token && 'remoteSecretName' in token ? token : undefined;
    // The token's Secret and key. The variable is optional: a Secret not synced yet leaves the integration anonymous instead of the pod unstarted.
    const tokenRef = token && tokenSecretRef(token, BACKSTAGE_GITHUB_TOKEN_SECRET);
    this.databaseSecretName = props.databaseSecretName ?? `${defaults.name}-app`;
    this.addon = new HelmAddon(this, 'release', {
      chart: CHARTS.backstage,
      namespace: BACKSTAGE_NAMESPACE,
      values: {
        backstage: {
          replicas: ha ? 2 : 1,
          pdb: ha ? { create: true, minAvailable: 1 } : { create: false },
          image: { registry: props.image.registry, repository: props.image.repository, tag: props.image.tag },
          appConfig: {
            app: { baseUrl: props.baseUrl },
            organization: { name: props.organizationName },
            catalog: {
              // Replaces Backstage's default rules, which refuse Domain, Group and Template.
              rules: [{ allow: [...BACKSTAGE_CATALOG_KINDS] }],
              ...(props.catalog ? { locations: [{ type: 'url', target: githubCatalogUrl(props.catalog) }] } : {}),
            },
            ...(tokenRef ? { integrations: { github: [{ host: 'github.com', token: backstageEnv(GITHUB_TOKEN_ENV) }] } } : {}),
            scaffolder: { defaultAuthor: { name: `${props.organizationName} developer portal` }, defaultCommitMessage: 'Create from a golden-path template' },
            backend: {
              baseUrl: props.baseUrl,
              cors: { origin: props.baseUrl },
              database: {
                client: 'pg',
                // One database, a schema per plugin: the login needs no CREATEDB.
                pluginDivisionMode: 'schema',
                connection: {
                  host: backstageEnv('POSTGRES_HOST'),
                  port: backstageEnv('POSTGRES_PORT'),
                  user: backstageEnv('POSTGRES_USER'),
                  password: backstageEnv('POSTGRES_PASSWORD'),
                  database: backstageEnv('POSTGRES_DB'),
                },
              },
            },
          },
          extraEnvVars: [
            ...Object.entries(DATABASE_ENV).map(([name, key]) => ({
              name,
              valueFrom: { secretKeyRef: { name: this.databaseSecretName, key } },
            })),
            ...(tokenRef ? [{ name: GITHUB_TOKEN_ENV, valueFrom: { secretKeyRef: { ...tokenRef, optional: true } } }] : []),
          ],
          extraEnvVarsSecrets: [...(props.extraEnvVarsSecrets ?? [])],
          podSecurityContext: { runAsNonRoot: true, runAsUser: NODE_USER_ID, runAsGroup: NODE_USER_ID, seccompProfile: { type: 'RuntimeDefault' } },
          containerSecurityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        },
        postgresql: { enabled: false },
        ...(props.ingress
          ? {
              ingress: {
                enabled: true,
                className: props.ingress.className,
                host,
                tls: { enabled: true, secretName: 'backstage-tls' },
                ...(props.ingress.clusterIssuer ? { annotations: { 'cert-manager.io/cluster-issuer': props.ingress.clusterIssuer } } : {}),
              },
            }
          : {}),
      },
      valueOverrides: props.valueOverrides,
      dependsOn: props.dependsOn,
    });

    if (props.database && cluster) {
      // The cluster goes into idpkit's restricted namespace, so its release comes after it.
      podSecurityNamespace(this, BACKSTAGE_NAMESPACE, 'restricted');
      this.database = new ManifestsRelease(this, 'database', {
        releaseName: defaults.name,
        namespace: BACKSTAGE_NAMESPACE,
        manifests: [cnpgCluster({ ...cluster, namespace: BACKSTAGE_NAMESPACE }, ha)],
        dependsOn: [props.database.operator],
      });
      // The portal starts once the operator has the cluster (and its login Secret) to make.
      this.addon.release.dependsOn = [...(this.addon.release.dependsOn ?? []), dependencyOf(this.database.release)];
    }
    if (synced) {
      podSecurityNamespace(this, BACKSTAGE_NAMESPACE, 'restricted');
      this.githubToken = new ManifestsRelease(this, 'github-token', {
        releaseName: BACKSTAGE_GITHUB_TOKEN_SECRET,
        namespace: BACKSTAGE_NAMESPACE,
        manifests: [externalSecretOf({ secretName: BACKSTAGE_GITHUB_TOKEN_SECRET, namespace: BACKSTAGE_NAMESPACE, remoteSecretName: synced.remoteSecretName })],
        dependsOn: synced.externalSecrets,
      });
      this.addon.release.dependsOn = [...(this.addon.release.dependsOn ?? []), dependencyOf(this.githubToken.release)];
    }
  }
}

