import { Construct } from 'constructs';
import { CHARTS } from '../../core/charts';
import { IdpkitError } from '../../core/errors';
import { AddonProps, HelmAddon, podSecurityNamespace } from '../../core/helm-addon';
import { ManifestsRelease, dependencyOf } from '../../core/manifests';
import { CnpgClusterProps, CnpgPostgresVersion, cnpgCluster, cnpgClusterProblems } from '../../capabilities/database/cloudnative-pg';

/** Props of {@link Backstage}. */
export interface BackstageProps extends AddonProps {
  /** Two replicas with a disruption budget of one available. @default true */
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
 * @see https://github.com/backstage/charts/tree/main/charts/backstage
 * @see https://backstage.io/docs/tutorials/switching-sqlite-postgres
 * @example
 * new Backstage(this, 'backstage', {
 *   image: { registry: 'ghcr.io', repository: 'acme/backstage', tag: '1.4.2' },
 *   baseUrl: 'https://portal.acme.example', organizationName: 'Acme', database: { operator: cloudNativePg.addon },
 * });
 */
export class Backstage extends Construct {
  /** The Helm release. */
  readonly addon: HelmAddon;
  /** The CloudNativePG cluster, when `database` is given. */
  readonly database?: ManifestsRelease;
  /** Name of the Secret the portal reads its database login from. */
  readonly databaseSecretName: string;

  constructor(scope: Construct, id: string, props: BackstageProps) {
    super(scope, id);
    if (props.image.tag === 'latest') {
      throw new IdpkitError('IDPKIT_INVALID_PROPS', [
        `${this.node.path}: image.tag "latest" is mutable; pin a version or commit tag so every replica runs the same build`,
      ]);
    }
    const ha = props.highAvailability ?? true;
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
          extraEnvVars: Object.entries(DATABASE_ENV).map(([name, key]) => ({
            name,
            valueFrom: { secretKeyRef: { name: this.databaseSecretName, key } },
          })),
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
  }
}

