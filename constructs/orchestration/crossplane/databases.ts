import { DATABASE_INSTANCE_CLASSES, DATABASE_SIZES, DatabaseSize } from '../../capabilities/database';
import { Construct } from 'constructs';
import type { Cloud } from '../../core/clouds';
import { IdpkitError } from '../../core/errors';
import type { HelmAddon } from '../../core/helm-addon';
import { KubernetesObject, ManifestsRelease, ReadinessCondition } from '../../core/manifests';
import type { WorkloadIdentity } from '../../integration/identity';
import { CROSSPLANE_NAMESPACE, Crossplane } from './crossplane';
import { CLAIMED_DATABASE_NAME_PREFIX, CrossplaneIdentitySource, crossplaneProviderConfig } from './providers';

/** API group of idpkit's database APIs. */
export const DATABASE_API_GROUP = 'database.idpkit.dev';

/** Kind of the abstract PostgreSQL API teams create in their namespace. */
export const POSTGRESQL_INSTANCE_KIND = 'PostgreSQLInstance';

/** Name of its XRD (and of the CRD Crossplane serves for it). */
export const POSTGRESQL_INSTANCE_XRD = `postgresqlinstances.${DATABASE_API_GROUP}`;

/** Label on each Composition naming what it provisions; an instance selects one with `spec.crossplane.compositionSelector`. */
export const DATABASE_PROVIDER_LABEL = `${DATABASE_API_GROUP}/provider`;

/**
 * The composition function package the Compositions run (patch and transform as a pipeline step).
 * Version as published on the Crossplane registry and installed in Crossplane's own
 * "Get Started With Composition" guide.
 *
 * @see https://github.com/crossplane-contrib/function-patch-and-transform
 */
export const FUNCTION_PATCH_AND_TRANSFORM = {
  name: 'function-patch-and-transform',
  package: 'xpkg.crossplane.io/crossplane-contrib/function-patch-and-transform:v0.8.2',
} as const;

/** CPU and memory of a CloudNativePG instance per abstract size: what the cloud classes of the same size have. */
const CLOUDNATIVE_PG_RESOURCES: Readonly<Record<DatabaseSize, { readonly cpu: string; readonly memory: string }>> = Object.fromEntries(
  DATABASE_SIZES.map((size) => [size, { cpu: String(DATABASE_INSTANCE_CLASSES[size].vcpus), memory: `${DATABASE_INSTANCE_CLASSES[size].memoryGiB}Gi` }]),
) as Record<DatabaseSize, { cpu: string; memory: string }>;

/** What each size of the claim API maps to on every target: the managed databases' one size table, plus CloudNativePG resources. */
export const DATABASE_CLAIM_SIZES = Object.fromEntries(
  DATABASE_SIZES.map((size) => {
    const { aws, azure, gcp } = DATABASE_INSTANCE_CLASSES[size];
    return [size, { aws, azure, gcp, cnpg: CLOUDNATIVE_PG_RESOURCES[size] }];
  }),
) as Readonly<Record<DatabaseSize, { readonly aws: string; readonly azure: string; readonly gcp: string; readonly cnpg: { readonly cpu: string; readonly memory: string } }>>;

/** PostgreSQL major versions the API offers (supported by RDS, Azure flexible server, Cloud SQL and CloudNativePG). */
export const DATABASE_POSTGRES_VERSIONS = ['15', '16', '17'] as const;

/** Defaults of a PostgreSQLInstance's fields. */
export const DATABASE_CLAIM_DEFAULTS = { size: 'medium', storageGiB: 20, version: '17', backupRetentionDays: 7, highAvailability: false } as const;

/** Where the cloud Composition puts its database: the environment's network and naming rules. */
export type CrossplaneDatabaseTarget =
  | {
      readonly cloud: 'aws';
      /** Region of the instances. */
      readonly region: string;
      /** Prefix of every RDS name (the providers' IAM grant allows writes on `<prefix>*` only). */
      readonly namePrefix: string;
      /** Private subnets (two zones at least) of the DB subnet group each instance gets. */
      readonly subnetIds: readonly string[];
      /** Security groups allowing PostgreSQL from the cluster. */
      readonly securityGroupIds: readonly string[];
    }
  | {
      readonly cloud: 'azure';
      /** Azure region. */
      readonly location: string;
      /** Resource group the providers' identity may write (Contributor). */
      readonly resourceGroupName: string;
      /** Subnet delegated to Microsoft.DBforPostgreSQL/flexibleServers. */
      readonly delegatedSubnetId: string;
      /** Private DNS zone `*.postgres.database.azure.com` linked to the virtual network. */
      readonly privateDnsZoneId: string;
    }
  | {
      readonly cloud: 'gcp';
      /** Region of the instances. */
      readonly region: string;
      /** VPC with private services access, `projects/<project>/global/networks/<name>`. */
      readonly privateNetwork: string;
    };

/** Props of {@link CrossplaneDatabases}. */
export interface CrossplaneDatabasesProps {
  /** The Crossplane add-on; its `default` ProviderConfig must exist when `target` is given. */
  readonly crossplane: Crossplane;
  /** The cloud Composition's target. @default - no cloud Composition */
  readonly target?: CrossplaneDatabaseTarget;
  /** The providers' identity and where it authenticates (for the namespaced MRs' ClusterProviderConfig); required with `target`. @default - none */
  readonly providerIdentity?: { readonly identity: WorkloadIdentity; readonly source: CrossplaneIdentitySource };
  /** The CloudNativePG operator: adds the `cloudnative-pg` Composition. @default - no CloudNativePG Composition */
  readonly cloudNativePg?: HelmAddon;
  /** Composition an instance gets when it selects none. @default "cloud" with a target, else "cloudnative-pg" */
  readonly defaultComposition?: 'cloud' | 'cloudnative-pg';
}

/** Compositions' names. */
export const compositionName = (provider: Cloud | 'cloudnative-pg'): string => `postgresql-${provider}`;

type Patch = Record<string, unknown>;
const from = (fromFieldPath: string, toFieldPath: string, transforms?: readonly Record<string, unknown>[]): Patch => ({
  type: 'FromCompositeFieldPath',
  fromFieldPath,
  toFieldPath,
  ...(transforms ? { transforms } : {}),
});
const toComposite = (fromFieldPath: string, toFieldPath: string, transforms?: readonly Record<string, unknown>[]): Patch => ({
  type: 'ToCompositeFieldPath',
  fromFieldPath,
  toFieldPath,
  ...(transforms ? { transforms } : {}),
});
const mapTransform = (map: Record<string, unknown>) => ({ type: 'map', map });
const boolAsString = { type: 'convert', convert: { toType: 'string' } };
const format = (fmt: string) => ({ type: 'string', string: { type: 'Format', fmt } });
const sizeMap = (target: 'aws' | 'azure' | 'gcp') => mapTransform(Object.fromEntries(Object.entries(DATABASE_CLAIM_SIZES).map(([size, row]) => [size, row[target]])));
/** Readiness: the composed resource's Ready condition. */
const READY = [{ type: 'MatchCondition', matchCondition: { type: 'Ready', status: 'True' } }];
/** Namespaced managed resources authenticate with the cluster-wide `default` ClusterProviderConfig. */
const PROVIDER_CONFIG_REF = { kind: 'ClusterProviderConfig', name: 'default' };

/** A pipeline Composition of one patch-and-transform step. */
function composition(provider: Cloud | 'cloudnative-pg', resources: readonly Record<string, unknown>[]): KubernetesObject {
  return {
    apiVersion: 'apiextensions.crossplane.io/v1',
    kind: 'Composition',
    metadata: { name: compositionName(provider), labels: { [DATABASE_PROVIDER_LABEL]: provider } },
    spec: {
      compositeTypeRef: { apiVersion: `${DATABASE_API_GROUP}/v1alpha1`, kind: POSTGRESQL_INSTANCE_KIND },
      mode: 'Pipeline',
      pipeline: [
        {
          step: 'patch-and-transform',
          functionRef: { name: FUNCTION_PATCH_AND_TRANSFORM.name },
          input: { apiVersion: 'pt.fn.crossplane.io/v1beta1', kind: 'Resources', resources },
        },
      ],
    },
  };
}

/**
 * The XRD: a namespaced `PostgreSQLInstance` (Crossplane v2 XR), so a team requests a database in
 * its own namespace and gets the connection Secret there, without a claim.
 */
export function postgresqlInstanceDefinition(defaultComposition: string): KubernetesObject {
  return {
    apiVersion: 'apiextensions.crossplane.io/v2',
    kind: 'CompositeResourceDefinition',
    metadata: { name: POSTGRESQL_INSTANCE_XRD },
    spec: {
      scope: 'Namespaced',
      group: DATABASE_API_GROUP,
      names: { kind: POSTGRESQL_INSTANCE_KIND, plural: 'postgresqlinstances', categories: ['crossplane', 'database'] },
      defaultCompositionRef: { name: defaultComposition },
      versions: [
        {
          name: 'v1alpha1',
          served: true,
          referenceable: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: {
                    size: { type: 'string', enum: [...DATABASE_SIZES], default: DATABASE_CLAIM_DEFAULTS.size, description: `Compute size: ${DATABASE_SIZES.join(', ')} (the managed databases' size table).` },
                    storageGiB: { type: 'integer', minimum: 20, maximum: 16384, default: DATABASE_CLAIM_DEFAULTS.storageGiB, description: 'Data volume, GiB (grows automatically where the cloud supports it).' },
                    version: { type: 'string', enum: [...DATABASE_POSTGRES_VERSIONS], default: DATABASE_CLAIM_DEFAULTS.version, description: 'PostgreSQL major version.' },
                    backupRetentionDays: { type: 'integer', minimum: 7, maximum: 35, default: DATABASE_CLAIM_DEFAULTS.backupRetentionDays, description: 'Days automated backups are kept.' },
                    highAvailability: { type: 'boolean', default: DATABASE_CLAIM_DEFAULTS.highAvailability, description: 'A standby in another zone with automatic failover.' },
                  },
                },
                status: {
                  type: 'object',
                  properties: {
                    endpoint: { type: 'string', description: 'Host name or address the database listens on.' },
                    connectionSecret: { type: 'string', description: 'Secret in this namespace with the connection details.' },
                  },
                },
              },
            },
          },
        },
      ],
    },
  };
}

/** Names that stay unique and valid on every cloud: the prefix and the instance's UID. */
const externalName = (prefix: string) => from('metadata.uid', 'metadata.annotations[crossplane.io/external-name]', [format(`${prefix}%s`)]);
/** The composed MR writes its connection details into `<instance>-postgresql` in the instance's namespace. */
const connectionSecret = [
  from('metadata.name', 'spec.writeConnectionSecretToRef.name', [format('%s-postgresql')]),
  toComposite('spec.writeConnectionSecretToRef.name', 'status.connectionSecret'),
];

/** RDS for PostgreSQL: encrypted, private, Multi-AZ on request, final snapshot and deletion protection. */
function awsComposition(target: Extract<CrossplaneDatabaseTarget, { cloud: 'aws' }>): KubernetesObject {
  const tags = { 'managed-by': 'idpkit', 'idpkit.dev/component': 'crossplane-database' };
  return composition('aws', [
    {
      name: 'subnet-group',
      base: {
        apiVersion: 'rds.aws.m.upbound.io/v1beta1',
        kind: 'SubnetGroup',
        spec: { forProvider: { region: target.region, subnetIds: [...target.subnetIds], tags }, providerConfigRef: PROVIDER_CONFIG_REF },
      },
      patches: [externalName(target.namePrefix), from('metadata.name', 'spec.forProvider.description', [format('PostgreSQLInstance %s')])],
      readinessChecks: READY,
    },
    {
      name: 'instance',
      base: {
        apiVersion: 'rds.aws.m.upbound.io/v1beta1',
        kind: 'Instance',
        spec: {
          forProvider: {
            region: target.region,
            engine: 'postgres',
            username: 'dbadmin',
            autoGeneratePassword: true,
            passwordSecretRef: { key: 'password' },
            dbSubnetGroupNameSelector: { matchControllerRef: true },
            vpcSecurityGroupIds: [...target.securityGroupIds],
            publiclyAccessible: false,
            storageEncrypted: true,
            storageType: 'gp3',
            deletionProtection: true,
            skipFinalSnapshot: false,
            copyTagsToSnapshot: true,
            autoMinorVersionUpgrade: true,
            iamDatabaseAuthenticationEnabled: true,
            performanceInsightsEnabled: true,
            tags,
          },
          providerConfigRef: PROVIDER_CONFIG_REF,
        },
      },
      patches: [
        externalName(target.namePrefix),
        from('metadata.uid', 'spec.forProvider.finalSnapshotIdentifier', [format(`${target.namePrefix}%s-final`)]),
        from('metadata.name', 'spec.forProvider.passwordSecretRef.name', [format('%s-postgresql-admin')]),
        from('spec.size', 'spec.forProvider.instanceClass', [sizeMap('aws')]),
        from('spec.storageGiB', 'spec.forProvider.allocatedStorage'),
        from('spec.version', 'spec.forProvider.engineVersion'),
        from('spec.backupRetentionDays', 'spec.forProvider.backupRetentionPeriod'),
        from('spec.highAvailability', 'spec.forProvider.multiAz'),
        ...connectionSecret,
        toComposite('status.atProvider.address', 'status.endpoint'),
      ],
      readinessChecks: READY,
    },
  ]);
}

/** Azure Database for PostgreSQL flexible server: VNet-injected, no public access, zone-redundant on request. */
function azureComposition(target: Extract<CrossplaneDatabaseTarget, { cloud: 'azure' }>): KubernetesObject {
  return composition('azure', [
    {
      name: 'server',
      base: {
        apiVersion: 'dbforpostgresql.azure.m.upbound.io/v1beta1',
        kind: 'FlexibleServer',
        spec: {
          forProvider: {
            location: target.location,
            resourceGroupName: target.resourceGroupName,
            delegatedSubnetId: target.delegatedSubnetId,
            privateDnsZoneId: target.privateDnsZoneId,
            publicNetworkAccessEnabled: false,
            administratorLogin: 'dbadmin',
            autoGeneratePassword: true,
            administratorPasswordSecretRef: { key: 'password' },
            autoGrowEnabled: true,
            tags: { 'managed-by': 'idpkit' },
          },
          providerConfigRef: PROVIDER_CONFIG_REF,
        },
      },
      patches: [
        externalName(CLAIMED_DATABASE_NAME_PREFIX),
        from('metadata.name', 'spec.forProvider.administratorPasswordSecretRef.name', [format('%s-postgresql-admin')]),
        from('spec.size', 'spec.forProvider.skuName', [sizeMap('azure')]),
        // Azure takes fixed sizes (32768, 65536, 131072 MiB ...): storageGiB should be one of 32, 64, 128, ...
        from('spec.storageGiB', 'spec.forProvider.storageMb', [{ type: 'math', math: { type: 'Multiply', multiply: 1024 } }]),
        from('spec.version', 'spec.forProvider.version'),
        from('spec.backupRetentionDays', 'spec.forProvider.backupRetentionDays'),
        // A zone-redundant standby when asked; none otherwise (null is pruned from the request).
        from('spec.highAvailability', 'spec.forProvider.highAvailability', [boolAsString, mapTransform({ true: { mode: 'ZoneRedundant' }, false: null })]),
        ...connectionSecret,
        toComposite('status.atProvider.fqdn', 'status.endpoint'),
      ],
      readinessChecks: READY,
    },
  ]);
}

/** Cloud SQL for PostgreSQL: private IP only, TLS required, PITR backups, regional on request, deletion protection. */
function gcpComposition(target: Extract<CrossplaneDatabaseTarget, { cloud: 'gcp' }>): KubernetesObject {
  return composition('gcp', [
    {
      name: 'instance',
      base: {
        apiVersion: 'sql.gcp.m.upbound.io/v1beta1',
        kind: 'DatabaseInstance',
        spec: {
          forProvider: {
            region: target.region,
            deletionProtection: true,
            settings: {
              edition: 'ENTERPRISE',
              diskType: 'PD_SSD',
              diskAutoresize: true,
              deletionProtectionEnabled: true,
              ipConfiguration: { ipv4Enabled: false, privateNetwork: target.privateNetwork, sslMode: 'ENCRYPTED_ONLY' },
              backupConfiguration: { enabled: true, pointInTimeRecoveryEnabled: true, transactionLogRetentionDays: 7, backupRetentionSettings: { retentionUnit: 'COUNT' } },
              databaseFlags: [{ name: 'cloudsql.iam_authentication', value: 'on' }],
              userLabels: { 'managed-by': 'idpkit' },
            },
          },
          providerConfigRef: PROVIDER_CONFIG_REF,
        },
      },
      patches: [
        externalName(CLAIMED_DATABASE_NAME_PREFIX),
        from('spec.version', 'spec.forProvider.databaseVersion', [format('POSTGRES_%s')]),
        from('spec.size', 'spec.forProvider.settings.tier', [sizeMap('gcp')]),
        from('spec.storageGiB', 'spec.forProvider.settings.diskSize'),
        from('spec.backupRetentionDays', 'spec.forProvider.settings.backupConfiguration.backupRetentionSettings.retainedBackups'),
        from('spec.highAvailability', 'spec.forProvider.settings.availabilityType', [boolAsString, mapTransform({ true: 'REGIONAL', false: 'ZONAL' })]),
        ...connectionSecret,
        toComposite('status.atProvider.privateIpAddress', 'status.endpoint'),
      ],
      readinessChecks: READY,
    },
  ]);
}

/** A CloudNativePG Cluster in the instance's namespace, composed directly (Crossplane v2 composes any resource). */
function cloudNativePgComposition(): KubernetesObject {
  const resources = Object.fromEntries(
    Object.entries(DATABASE_CLAIM_SIZES).map(([size, row]) => [size, { requests: { ...row.cnpg }, limits: { memory: row.cnpg.memory } }]),
  );
  return composition('cloudnative-pg', [
    {
      name: 'cluster',
      base: {
        apiVersion: 'postgresql.cnpg.io/v1',
        kind: 'Cluster',
        spec: {
          primaryUpdateStrategy: 'unsupervised',
          enableSuperuserAccess: false,
          bootstrap: { initdb: { database: 'app', owner: 'app' } },
          affinity: { enablePodAntiAffinity: true, topologyKey: 'topology.kubernetes.io/zone', podAntiAffinityType: 'preferred' },
        },
      },
      patches: [
        // Named as the instance, so the credentials are `<instance>-app` and the Service `<instance>-rw`.
        from('metadata.name', 'metadata.name'),
        from('spec.version', 'spec.imageName', [format('ghcr.io/cloudnative-pg/postgresql:%s')]),
        from('spec.storageGiB', 'spec.storage.size', [format('%dGi')]),
        from('spec.size', 'spec.resources', [mapTransform(resources)]),
        from('spec.highAvailability', 'spec.instances', [boolAsString, mapTransform({ true: 3, false: 1 })]),
        from('spec.highAvailability', 'spec.enablePDB'),
        toComposite('metadata.name', 'status.endpoint', [format('%s-rw')]),
        toComposite('metadata.name', 'status.connectionSecret', [format('%s-app')]),
      ],
      readinessChecks: READY,
    },
  ]);
}

/**
 * When the database API's release is done: the Compositions' function `Healthy` and the XRD
 * `Established` (Crossplane serves the PostgreSQLInstance CRD), so what depends on the release
 * can create instances. (Compositions need neither at creation: Crossplane 2 validates no
 * Composition, and the composed kinds sit in the function's input.)
 */
export function databaseApiReadiness(): ReadinessCondition[] {
  return [
    { resource: 'functions.pkg.crossplane.io', names: [FUNCTION_PATCH_AND_TRANSFORM.name], condition: 'Healthy' },
    { resource: 'compositeresourcedefinitions.apiextensions.crossplane.io', names: [POSTGRESQL_INSTANCE_XRD], condition: 'Established' },
  ];
}

/** The cloud's Composition for a target. */
function cloudComposition(target: CrossplaneDatabaseTarget): KubernetesObject {
  switch (target.cloud) {
    case 'aws':
      return awsComposition(target);
    case 'azure':
      return azureComposition(target);
    case 'gcp':
      return gcpComposition(target);
  }
}

/** The `default` ClusterProviderConfig of the cloud's namespaced (`*.m.upbound.io`) managed resources: the same identity as the legacy ProviderConfig. */
export function namespacedProviderConfig(source: CrossplaneIdentitySource, identity: WorkloadIdentity): KubernetesObject {
  const legacy = crossplaneProviderConfig(source, identity);
  return { ...legacy, apiVersion: `${source.cloud}.m.upbound.io/v1beta1`, kind: 'ClusterProviderConfig' };
}

/**
 * Self-service PostgreSQL through Crossplane: teams create a `PostgreSQLInstance`
 * (`database.idpkit.dev/v1alpha1`) in their namespace with a size, storage, version, backup
 * retention and high availability, and get a database with its connection Secret in that namespace.
 *
 * - **API**: a Crossplane v2 namespaced XRD. Crossplane 2.x (chart 2.3.4) still serves v1 XRDs
 *   with claims as a legacy mode, but claims are not offered by v2 XRDs and XR connection
 *   Secrets were removed; a namespaced XR replaces the claim and composes namespaced managed
 *   resources (`*.m.upbound.io`), which write their connection Secret into the team's namespace.
 * - **Compositions** (pipeline mode, `function-patch-and-transform`), labelled
 *   `database.idpkit.dev/provider`: the environment's cloud (RDS, Azure flexible server or Cloud
 *   SQL: encrypted, private networking only, automated backups, deletion protection) and, with
 *   the CloudNativePG operator, a CloudNativePG `Cluster` in the instance's namespace. An
 *   instance picks one with `spec.crossplane.compositionSelector.matchLabels`.
 * - **Access**: Crossplane may manage CloudNativePG Clusters (an aggregated ClusterRole);
 *   namespace editors may manage PostgreSQLInstances (aggregated to `edit` and `admin`).
 * - Everything is one release (`crossplane-databases`) of idpkit's manifests chart after
 *   Crossplane, its providers (Healthy, their config CRDs served), their `default` ProviderConfig
 *   and the CloudNativePG operator; the release is done when the function is Healthy and the
 *   PostgreSQLInstance API is served.
 *
 * @see https://docs.crossplane.io/latest/composition/composite-resource-definitions/
 * @example
 * const crossplane = new Crossplane(this, 'crossplane', {});
 * const cnpg = new CloudNativePg(this, 'cloudnative-pg', {});
 * new CrossplaneDatabases(this, 'databases', { crossplane, cloudNativePg: cnpg.addon });
 */
export class CrossplaneDatabases extends Construct {
  /** The Function, XRD, Compositions, RBAC and ClusterProviderConfig. */
  readonly release: ManifestsRelease;
  /** Names of the Compositions applied. */
  readonly compositions: readonly string[];

  constructor(scope: Construct, id: string, props: CrossplaneDatabasesProps) {
    super(scope, id);
    if (props.target && !props.providerIdentity) {
      throw new IdpkitError('IDPKIT_INVALID_PROPS', [`${this.node.path}: a ${props.target.cloud} target needs providerIdentity (the identity of Crossplane's ${props.target.cloud} providers)`]);
    }
    const compositions: KubernetesObject[] = [];
    const manifests: KubernetesObject[] = [
      { apiVersion: 'pkg.crossplane.io/v1', kind: 'Function', metadata: { name: FUNCTION_PATCH_AND_TRANSFORM.name }, spec: { package: FUNCTION_PATCH_AND_TRANSFORM.package } },
    ];
    if (props.target) {
      compositions.push(cloudComposition(props.target));
      if (props.providerIdentity) manifests.push(namespacedProviderConfig(props.providerIdentity.source, props.providerIdentity.identity));
    }
    if (props.cloudNativePg) {
      compositions.push(cloudNativePgComposition());
      manifests.push({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'crossplane:compose-cloudnative-pg', labels: { 'rbac.crossplane.io/aggregate-to-crossplane': 'true' } },
        rules: [{ apiGroups: ['postgresql.cnpg.io'], resources: ['clusters'], verbs: ['*'] }],
      });
    }
    const preferred = props.defaultComposition ?? (props.target ? 'cloud' : 'cloudnative-pg');
    const defaultComposition = preferred === 'cloud' ? props.target && compositionName(props.target.cloud) : props.cloudNativePg && compositionName('cloudnative-pg');
    if (!defaultComposition) {
      throw new IdpkitError('IDPKIT_INVALID_PROPS', [
        `${this.node.path}: defaultComposition "${preferred}" has no Composition (give ${preferred === 'cloud' ? 'a target' : 'cloudNativePg'}, or choose the other default)`,
      ]);
    }
    manifests.push(postgresqlInstanceDefinition(defaultComposition), ...compositions, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: {
        name: 'idpkit:postgresqlinstances-edit',
        labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true', 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' },
      },
      rules: [{ apiGroups: [DATABASE_API_GROUP], resources: ['postgresqlinstances'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] }],
    });
    this.compositions = compositions.map((c) => c.metadata.name);
    this.release = new ManifestsRelease(this, 'release', {
      releaseName: 'crossplane-databases',
      namespace: CROSSPLANE_NAMESPACE,
      manifests,
      // The ClusterProviderConfig's CRD is served once the providers' release is done.
      dependsOn: [
        props.crossplane.addon,
        ...(props.crossplane.providers ? [props.crossplane.providers] : []),
        ...(props.crossplane.providerConfig ? [props.crossplane.providerConfig] : []),
        ...(props.cloudNativePg ? [props.cloudNativePg] : []),
      ],
      readyWhen: databaseApiReadiness(),
    });
  }
}
