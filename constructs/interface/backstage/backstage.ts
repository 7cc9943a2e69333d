import { Construct } from 'constructs';
import { CHARTS } from '../../core/charts';
import { IdpkitError } from '../../core/errors';
import { AddonProps, HelmAddon } from '../../core/helm-addon';

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
   * An existing Secret with the PostgreSQL connection in keys `host`, `port`, `username` and
   * `password` (the layout of a CloudNativePG application secret).
   */
  readonly databaseSecretName: string;
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
const DATABASE_ENV = { POSTGRES_HOST: 'host', POSTGRES_PORT: 'port', POSTGRES_USER: 'username', POSTGRES_PASSWORD: 'password' } as const;

/** `${VAR}` for Backstage's config substitution, escaped so that Terraform passes it through as it is. */
const backstageEnv = (name: string) => `$\${${name}}`;

/**
 * Backstage, the developer portal, from the backstage/charts repository: the organisation's own
 * image at a pinned tag, app config from the environment (base URL, organisation), PostgreSQL
 * from an existing secret (the chart's PostgreSQL subchart off), secrets only by reference,
 * two replicas with a disruption budget in HA, pods at the Pod Security `restricted` level.
 *
 * @see https://github.com/backstage/charts/tree/main/charts/backstage
 * @example
 * new Backstage(this, 'backstage', {
 *   image: { registry: 'ghcr.io', repository: 'acme/backstage', tag: '1.4.2' },
 *   baseUrl: 'https://portal.acme.example', organizationName: 'Acme', databaseSecretName: 'backstage-db-app',
 * });
 */
export class Backstage extends Construct {
  /** The Helm release. */
  readonly addon: HelmAddon;

  constructor(scope: Construct, id: string, props: BackstageProps) {
    super(scope, id);
    if (props.image.tag === 'latest') {
      throw new IdpkitError('IDPKIT_INVALID_PROPS', [
        `${this.node.path}: image.tag "latest" is mutable; pin a version or commit tag so every replica runs the same build`,
      ]);
    }
    const ha = props.highAvailability ?? true;
    const host = new URL(props.baseUrl).hostname;
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
                connection: {
                  host: backstageEnv('POSTGRES_HOST'),
                  port: backstageEnv('POSTGRES_PORT'),
                  user: backstageEnv('POSTGRES_USER'),
                  password: backstageEnv('POSTGRES_PASSWORD'),
                },
              },
            },
          },
          extraEnvVars: Object.entries(DATABASE_ENV).map(([name, key]) => ({
            name,
            valueFrom: { secretKeyRef: { name: props.databaseSecretName, key } },
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
    });
  }
}
