import type { Cloud } from '../../core/clouds';
import type { KubernetesObject, ReadinessCondition } from '../../core/manifests';
import type { CloudGrant, WorkloadIdentity } from '../../integration/identity';

/** Registry of the Upbound provider packages. */
export const UPBOUND_REGISTRY = 'xpkg.upbound.io/upbound';

/** One verified package: its cloud, whether it is the family (ProviderConfig) provider, its versions with their source. */
interface VerifiedPackage {
  readonly cloud: Cloud;
  readonly family: boolean;
  /** Version tag -> where it was seen published (2026 material). */
  readonly versions: Readonly<Record<string, string>>;
}

/**
 * The Upbound provider packages idpkit installs, and the versions verified to exist. Each family
 * is released in lockstep (sub-providers depend on the family provider of the same version).
 * Add a version only with a source that shows the package published at that tag.
 */
export const CROSSPLANE_PROVIDER_PACKAGES: Readonly<Record<string, VerifiedPackage>> = {
  'provider-family-aws': {
    cloud: 'aws',
    family: true,
    versions: { 'v2.7.1': 'kubectl get providers output, INSTALLED/HEALTHY True, public GitHub README (code index id 71058164642)' },
  },
  'provider-aws-s3': {
    cloud: 'aws',
    family: false,
    versions: { 'v2.7.1': 'same README as provider-family-aws v2.7.1 (code index id 71058164642)' },
  },
  'provider-aws-rds': {
    cloud: 'aws',
    family: false,
    versions: { 'v2.7.1': 'public GitHub ADR, digest-pinned provider-aws-rds:v2.7.1 "confirmed live" (code index id 59673025366)' },
  },
  'provider-family-azure': {
    cloud: 'azure',
    family: true,
    versions: { 'v2.6.0': 'xpkg.upbound.io/upbound/provider-family-azure:v2.6.0 in a public GitHub test fixture (code index id 70590193930)' },
  },
  'provider-azure-storage': {
    cloud: 'azure',
    family: false,
    versions: { 'v2.6.0': 'ghcr.io/crossplane-contrib/provider-azure-storage:v2.6.0 (same upjet release, mirror registry) in public GitHub justfiles (code index ids 57887128668, 70164550958)' },
  },
  'provider-azure-dbforpostgresql': {
    cloud: 'azure',
    family: false,
    versions: { 'v2.6.0': 'ghcr.io/crossplane-contrib/provider-azure-dbforpostgresql:v2.6.0 (same upjet release, mirror registry) in public GitHub files (code index ids 57605677562, 70707456506)' },
  },
  'provider-family-gcp': {
    cloud: 'gcp',
    family: true,
    versions: { 'v2.6.0': 'xpkg.upbound.io/upbound/provider-family-gcp:v2.6.0 in public GitHub runbooks (code index ids 68862648081, 69043471527)' },
  },
  'provider-gcp-storage': {
    cloud: 'gcp',
    family: false,
    versions: { 'v2.6.0': 'xpkg.upbound.io/upbound/provider-gcp-storage:v2.6.0 in a public GitHub Go test (code index id 61980122130)' },
  },
  'provider-gcp-sql': {
    cloud: 'gcp',
    family: false,
    versions: { 'v2.6.0': 'xpkg.upbound.io/upbound/provider-gcp-sql:v2.6.0 in public GitHub docs (code index id 54593277614)' },
  },
};

/** A provider package to install: a name and version of {@link CROSSPLANE_PROVIDER_PACKAGES}. */
export interface CrossplaneProviderRef {
  /** Package name, e.g. `provider-aws-s3`. */
  readonly name: string;
  /** Version tag, e.g. `v2.7.1`. */
  readonly version: string;
}

/** The family provider of a cloud. */
export const familyProviderOf = (cloud: Cloud): string => `provider-family-${cloud}`;

/**
 * The service account every provider of the cloud runs as: the workload identity's subject. idpkit
 * creates it (in the providers' release) and each DeploymentRuntimeConfig names it as the
 * Deployment's `serviceAccountName`, so Crossplane uses it without owning it. A name in
 * `serviceAccountTemplate` instead makes Crossplane apply that account with the applying
 * revision as its only controller owner: providers sharing it overwrite each other's owner
 * without end, and deleting the owning provider garbage-collects the account under the others.
 * (Not `crossplane-provider-<cloud>`, the account earlier idpkit versions had Crossplane create:
 * Helm cannot adopt an object another manager created.)
 *
 * @see https://github.com/crossplane/crossplane/pull/4925
 * @see https://github.com/crossplane/crossplane/issues/7769
 */
export const crossplaneProviderServiceAccount = (cloud: Cloud): string => `crossplane-providers-${cloud}`;

/** CRDs of the family provider that idpkit creates objects of: the `default` ProviderConfig and the namespaced MRs' ClusterProviderConfig. */
export const familyConfigCrds = (cloud: Cloud): string[] => [`providerconfigs.${cloud}.upbound.io`, `clusterproviderconfigs.${cloud}.m.upbound.io`];

/**
 * What is wrong with a list of providers for a cloud (unknown package, unverified version, another
 * cloud's package, versions that differ within the family), one message per problem; `field` names
 * the list in the messages.
 */
export function crossplaneProviderProblems(field: string, providers: readonly CrossplaneProviderRef[], cloud?: Cloud): string[] {
  const problems: string[] = [];
  providers.forEach((provider, i) => {
    const known = CROSSPLANE_PROVIDER_PACKAGES[provider.name];
    if (!known) {
      problems.push(`${field}[${i}].name "${provider.name}" is not a known provider (allowed: ${Object.keys(CROSSPLANE_PROVIDER_PACKAGES).join(', ')})`);
      return;
    }
    if (!known.versions[provider.version]) {
      problems.push(`${field}[${i}].version "${provider.version}" of ${provider.name} is not a verified version (allowed: ${Object.keys(known.versions).join(', ')})`);
    }
    if (cloud && known.cloud !== cloud) {
      problems.push(`${field}[${i}].name "${provider.name}" is a ${known.cloud} provider, but the environment runs on ${cloud} (use provider-${cloud}-* packages)`);
    }
  });
  const versions = [...new Set(providers.map((provider) => provider.version))];
  if (versions.length > 1) {
    problems.push(`${field} mixes versions ${versions.join(', ')} (one provider family is released in lockstep: give every package the same version)`);
  }
  return problems;
}

/** The packages to install, the family provider first (added when not listed, at the family's version). */
export function withFamilyProvider(cloud: Cloud, providers: readonly CrossplaneProviderRef[]): CrossplaneProviderRef[] {
  if (providers.length === 0) return [];
  const family = familyProviderOf(cloud);
  const version = providers[0].version;
  return [{ name: family, version }, ...providers.filter((provider) => provider.name !== family)];
}

/** Where the providers authenticate: the identity source of each cloud's ProviderConfig. */
export type CrossplaneIdentitySource =
  | { readonly cloud: 'aws' }
  | { readonly cloud: 'azure'; readonly tenantId: string; readonly subscriptionId: string }
  | { readonly cloud: 'gcp'; readonly projectId: string };

/**
 * Objects of the first release: the providers' service account, with the workload identity's
 * annotations, then a DeploymentRuntimeConfig and a Provider per package, each runtime running as
 * that account.
 */
export function crossplaneProviderObjects(cloud: Cloud, namespace: string, providers: readonly CrossplaneProviderRef[], identity: WorkloadIdentity): KubernetesObject[] {
  const serviceAccountName = crossplaneProviderServiceAccount(cloud);
  const serviceAccount: KubernetesObject = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: serviceAccountName, namespace, annotations: { ...identity.serviceAccountAnnotations }, labels: { ...identity.podLabels } },
  };
  const runtimes = withFamilyProvider(cloud, providers).flatMap((provider): KubernetesObject[] => [
    {
      apiVersion: 'pkg.crossplane.io/v1beta1',
      kind: 'DeploymentRuntimeConfig',
      metadata: { name: provider.name },
      spec: {
        deploymentTemplate: {
          spec: {
            selector: {},
            template: {
              metadata: { labels: { ...identity.podLabels } },
              spec: {
                serviceAccountName,
                securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
                containers: [{ name: 'package-runtime', securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
              },
            },
          },
        },
      },
    },
    {
      apiVersion: 'pkg.crossplane.io/v1',
      kind: 'Provider',
      metadata: { name: provider.name },
      spec: {
        package: `${UPBOUND_REGISTRY}/${provider.name}:${provider.version}`,
        runtimeConfigRef: { apiVersion: 'pkg.crossplane.io/v1beta1', kind: 'DeploymentRuntimeConfig', name: provider.name },
      },
    },
  ]);
  return [serviceAccount, ...runtimes];
}

/**
 * When the providers' release is done: every Provider `Healthy` (its revision has created its
 * CRDs and its Deployment is available), then the family's config CRDs `Established` (served), so
 * releases of ProviderConfigs can be applied.
 */
export function crossplaneProviderReadiness(cloud: Cloud, providers: readonly CrossplaneProviderRef[]): ReadinessCondition[] {
  return [
    { resource: 'providers.pkg.crossplane.io', names: withFamilyProvider(cloud, providers).map((provider) => provider.name), condition: 'Healthy' },
    { resource: 'customresourcedefinitions.apiextensions.k8s.io', names: familyConfigCrds(cloud), condition: 'Established' },
  ];
}

/**
 * The `default` ProviderConfig (cluster-scoped, for the `*.upbound.io` managed resources):
 * EKS Pod Identity on AWS, the federated token file of Azure Workload Identity, the GKE
 * metadata server's identity on GCP.
 *
 * @see https://docs.upbound.io/manuals/packages/providers/aws-auth/aws-pod-identity/
 */
export function crossplaneProviderConfig(source: CrossplaneIdentitySource, identity: WorkloadIdentity): KubernetesObject {
  const metadata = { name: 'default' };
  switch (source.cloud) {
    case 'aws':
      return { apiVersion: 'aws.upbound.io/v1beta1', kind: 'ProviderConfig', metadata, spec: { credentials: { source: 'PodIdentity' } } };
    case 'azure':
      return {
        apiVersion: 'azure.upbound.io/v1beta1',
        kind: 'ProviderConfig',
        metadata,
        spec: {
          credentials: { source: 'OIDCTokenFile' },
          clientID: identity.serviceAccountAnnotations['azure.workload.identity/client-id'],
          tenantID: source.tenantId,
          subscriptionID: source.subscriptionId,
        },
      };
    case 'gcp':
      return { apiVersion: 'gcp.upbound.io/v1beta1', kind: 'ProviderConfig', metadata, spec: { projectID: source.projectId, credentials: { source: 'InjectedIdentity' } } };
  }
}

/**
 * Prefix of the names of the managed databases the PostgreSQLInstance Compositions create on Azure
 * and GCP (`idpkit-<claim uid>`); on GCP the providers' Cloud SQL role holds only on these.
 */
export const CLAIMED_DATABASE_NAME_PREFIX = 'idpkit-';

/** The providers that manage buckets: with them, the providers' identity may manage buckets named with the environment's prefix. */
export const CROSSPLANE_BUCKET_PROVIDERS: readonly string[] = ['provider-aws-s3', 'provider-gcp-storage'];

/** What the providers' identity may touch on each cloud. */
export type CrossplaneGrantTarget =
  | { readonly cloud: 'aws'; readonly accountId: string; readonly region: string; readonly namePrefix: string }
  | {
      readonly cloud: 'azure';
      /** The resource group of its own that claimed resources go to (Contributor there, nowhere else). */
      readonly resourceGroupId: string;
      /**
       * The delegated subnet and private DNS zone of the flexible server Composition, in the
       * environment's network: the providers may join them (Network Contributor on the subnet,
       * Private DNS Zone Contributor on the zone), nothing else there. @default - no database network
       */
      readonly databaseNetwork?: { readonly delegatedSubnetId: string; readonly privateDnsZoneId: string };
    }
  | {
      readonly cloud: 'gcp';
      /** Project of the environment. */
      readonly projectId: string;
      /** Prefix of the names of the buckets the providers may manage (`<namePrefix>*`). */
      readonly namePrefix: string;
    };

/**
 * GCP project roles per service provider, each under an IAM condition on `resource.name`: on the
 * service's own resources (`collection`, e.g. `projects/_/buckets/`) the role holds only on names
 * with the prefix; outside them (creating and listing in the project) as granted. So
 * `roles/storage.admin` reaches no bucket but `<namePrefix>*`, the Terraform state bucket included.
 */
const GCP_ROLES: Readonly<Record<string, { readonly role: string; readonly collection: (projectId: string) => string; readonly prefix: (namePrefix: string) => string }>> = {
  'provider-gcp-storage': { role: 'roles/storage.admin', collection: () => 'projects/_/buckets/', prefix: (namePrefix) => namePrefix },
  'provider-gcp-sql': { role: 'roles/cloudsql.admin', collection: (projectId) => `projects/${projectId}/instances/`, prefix: () => CLAIMED_DATABASE_NAME_PREFIX },
};

/** The IAM condition that holds a project role to the resources of a collection whose names start with a prefix. */
export function gcpNamePrefixCondition(role: string, collection: string, prefix: string): { title: string; description: string; expression: string } {
  return {
    title: `${role.replace(/^roles\//, '').replace(/[^a-zA-Z0-9]/g, '-')}-${prefix.replace(/[^a-zA-Z0-9]/g, '-')}`.replace(/-+$/, '').slice(0, 100),
    description: `${role} only on ${collection}${prefix}*`,
    expression: `!resource.name.startsWith("${collection}") || resource.name.startsWith("${collection}${prefix}")`,
  };
}

/** AWS statements per service provider: writes only on resources named `<namePrefix>*`. */
function awsStatements(name: string, target: { accountId: string; region: string; namePrefix: string }): NonNullable<CloudGrant['aws']> {
  const { accountId, region, namePrefix } = target;
  switch (name) {
    case 'provider-aws-s3':
      return [
        {
          Action: ['s3:CreateBucket', 's3:DeleteBucket', 's3:ListBucket', 's3:GetBucket*', 's3:PutBucket*', 's3:DeleteBucket*', 's3:Get*Configuration', 's3:Put*Configuration'],
          Resource: [`arn:aws:s3:::${namePrefix}*`],
        },
      ];
    case 'provider-aws-rds': {
      const arn = (type: string, name: string) => `arn:aws:rds:${region}:${accountId}:${type}:${name}`;
      return [
        { Action: ['rds:Describe*', 'rds:ListTagsForResource'], Resource: ['*'] },
        {
          Action: [
            'rds:CreateDBInstance', 'rds:ModifyDBInstance', 'rds:DeleteDBInstance', 'rds:RebootDBInstance',
            'rds:CreateDBCluster', 'rds:ModifyDBCluster', 'rds:DeleteDBCluster',
            'rds:CreateDBSubnetGroup', 'rds:ModifyDBSubnetGroup', 'rds:DeleteDBSubnetGroup',
            'rds:CreateDBParameterGroup', 'rds:ModifyDBParameterGroup', 'rds:DeleteDBParameterGroup',
            'rds:CreateDBClusterParameterGroup', 'rds:ModifyDBClusterParameterGroup', 'rds:DeleteDBClusterParameterGroup',
            'rds:CreateDBSnapshot', 'rds:CreateDBClusterSnapshot', 'rds:AddTagsToResource', 'rds:RemoveTagsFromResource',
          ],
          Resource: ['db', 'cluster', 'subgrp', 'pg', 'cluster-pg', 'og', 'snapshot', 'cluster-snapshot'].map((type) => arn(type, `${namePrefix}*`)),
        },
        // Creating an instance also names the default parameter and option groups.
        { Action: ['rds:CreateDBInstance', 'rds:CreateDBCluster'], Resource: [arn('pg', 'default.*'), arn('cluster-pg', 'default.*'), arn('og', 'default:*')] },
      ];
    }
    default:
      return [];
  }
}

/**
 * The cloud grant of the providers' identity, scoped to what the listed providers manage: on AWS
 * the services' actions on resources named `<namePrefix>*` in the environment's account and
 * region; on Azure Contributor on a resource group of its own (and joining the database network);
 * on GCP the services' admin roles under IAM conditions on the resources' names. None of them
 * reaches the Terraform state bucket, container or key.
 */
export function crossplaneProviderGrant(target: CrossplaneGrantTarget, providers: readonly CrossplaneProviderRef[]): CloudGrant {
  const names = providers.map((provider) => provider.name);
  switch (target.cloud) {
    case 'aws':
      return { kind: 'cloud', aws: names.flatMap((name) => awsStatements(name, target)) };
    case 'azure': {
      if (!names.some((name) => !CROSSPLANE_PROVIDER_PACKAGES[name]?.family)) return { kind: 'cloud', azure: [] };
      const network = target.databaseNetwork;
      const joins = network
        ? [
            { role: 'Network Contributor', scope: network.delegatedSubnetId },
            { role: 'Private DNS Zone Contributor', scope: network.privateDnsZoneId },
          ]
        : [];
      return { kind: 'cloud', azure: [{ role: 'Contributor', scope: target.resourceGroupId }, ...joins] };
    }
    case 'gcp':
      return {
        kind: 'cloud',
        gcp: names
          .filter((name) => GCP_ROLES[name])
          .map((name) => {
            const { role, collection, prefix } = GCP_ROLES[name];
            return { role, condition: gcpNamePrefixCondition(role, collection(target.projectId), prefix(target.namePrefix)) };
          }),
      };
  }
}
