import { parse } from 'yaml';
import { CHARTS } from '../../../constructs/core/charts';
import { DATABASE_API_GROUP, FUNCTION_PATCH_AND_TRANSFORM } from '../../../constructs/orchestration/crossplane/databases';
import { azureProd, gcpDev, gcpProd } from '../../../environments';
import { validateEnvironments } from '../../../environments/types';
import { TerraformJson, clone, devConfig, nodeProvisioningOf, prodConfig, synthEnvironment } from '../../helpers';

const synth = synthEnvironment;

const releaseOf = (json: TerraformJson, name: string) => {
  const entry = Object.entries(json.resource.helm_release ?? {}).find(([, r]: [string, any]) => r.name === name) as [string, any] | undefined;
  if (!entry) return undefined;
  const [id, body] = entry;
  return { address: `helm_release.${id}`, body, values: parse(body.values[0]) };
};
const manifestsOf = (json: TerraformJson, name: string): any[] => releaseOf(json, name)!.values.manifests;
/** The environment with these add-on configs set (the others, and the preset's, kept). */
const withAddons = (base: unknown, addons: Record<string, unknown>) => {
  const config = clone(base) as any;
  config.platform = { ...config.platform, addons: { ...config.platform?.addons, ...addons } };
  return config;
};
const kind = (manifests: any[], k: string) => manifests.filter((m) => m.kind === k);
const composition = (manifests: any[], name: string) => kind(manifests, 'Composition').find((c) => c.metadata.name === name);
const resourcesOf = (c: any) => c.spec.pipeline[0].input.resources as any[];
const patchTo = (resource: any, toFieldPath: string) => resource.patches.find((p: any) => p.toFieldPath === toFieldPath);

const AWS_NETWORK = { subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'], securityGroupIds: ['sg-0123456789abcdef0'] };
const AWS_PROVIDERS = [{ name: 'provider-aws-rds', version: 'v2.7.1' }];

describe('CloudNativePG add-on', () => {
  test('prod: the operator chart in two replicas with a disruption budget, PodMonitors after kube-prometheus-stack', () => {
    const { platform } = synth(withAddons(prodConfig(), { kubePrometheusStack: { enabled: true }, cloudnativePg: { enabled: true, clusters: [{ name: 'orders', storageGiB: 50 }] } }));
    const operator = releaseOf(platform, 'cloudnative-pg')!;
    expect(operator.body).toMatchObject({ repository: CHARTS.cloudnativePg.repository, chart: 'cloudnative-pg', version: CHARTS.cloudnativePg.version });
    expect(operator.values).toMatchObject({ replicaCount: 2, monitoring: { podMonitorEnabled: true } });
    expect(operator.body.depends_on).toEqual([releaseOf(platform, 'kube-prometheus-stack')!.address, ...nodeProvisioningOf(platform)]);
    expect(Object.values(platform.resource.kubernetes_pod_disruption_budget_v1 ?? {})).toHaveLength(1);
    const manifests = manifestsOf(platform, 'cnpg-clusters');
    expect(kind(manifests, 'Cluster')[0].spec).toMatchObject({ instances: 3, storage: { size: '50Gi' }, enablePDB: true });
    expect(kind(manifests, 'PodMonitor')).toHaveLength(1);
    expect(releaseOf(platform, 'cnpg-clusters')!.body.depends_on).toContain(operator.address);
  });

  test('dev: one operator replica, one-instance clusters, no PodMonitor without kube-prometheus-stack', () => {
    const { platform } = synth(withAddons(gcpDev, { kubePrometheusStack: { enabled: false }, cloudnativePg: { enabled: true, clusters: [{ name: 'orders', storageGiB: 5 }] } }));
    expect(releaseOf(platform, 'cloudnative-pg')!.values).toMatchObject({ replicaCount: 1, monitoring: { podMonitorEnabled: false } });
    const manifests = manifestsOf(platform, 'cnpg-clusters');
    expect(kind(manifests, 'Cluster')[0].spec).toMatchObject({ instances: 1, enablePDB: false });
    expect(kind(manifests, 'PodMonitor')).toEqual([]);
  });

  test('throws when a cluster is misconfigured', () => {
    const config = (clusters: unknown) => withAddons(devConfig(), { cloudnativePg: { enabled: true, clusters } });
    expect(() => validateEnvironments([config([{ name: 'orders' }])])).toThrow(/storageGiB/);
    expect(() => validateEnvironments([config([{ name: 'orders', storageGiB: 5, postgresVersion: '12' }])])).toThrow(/is not a supported PostgreSQL major version \(allowed: 15, 16, 17, 18\)/);
    expect(() => validateEnvironments([config([{ name: 'a', storageGiB: 5 }, { name: 'a', storageGiB: 5 }])])).toThrow(/"a" is used twice in namespace "databases"/);
  });
});

describe('Crossplane databases on AWS', () => {
  const config = withAddons(prodConfig(), {
    cloudnativePg: { enabled: true },
    crossplane: { enabled: true, providers: AWS_PROVIDERS, databases: { enabled: true, aws: AWS_NETWORK } },
  });
  const { platform } = synth(config);
  const release = releaseOf(platform, 'crossplane-databases')!;
  const manifests: any[] = release.values.manifests;

  test('installs function-patch-and-transform from the Crossplane registry', () => {
    expect(kind(manifests, 'Function')).toEqual([
      { apiVersion: 'pkg.crossplane.io/v1', kind: 'Function', metadata: { name: 'function-patch-and-transform' }, spec: { package: FUNCTION_PATCH_AND_TRANSFORM.package } },
    ]);
    expect(FUNCTION_PATCH_AND_TRANSFORM.package).toMatch(/^xpkg\.crossplane\.io\/crossplane-contrib\/function-patch-and-transform:v\d+\.\d+\.\d+$/);
  });

  test('a namespaced PostgreSQLInstance API with size, storage, version, backups and HA, defaulting to the RDS Composition', () => {
    const [xrd] = kind(manifests, 'CompositeResourceDefinition');
    expect(xrd).toMatchObject({ apiVersion: 'apiextensions.crossplane.io/v2', metadata: { name: `postgresqlinstances.${DATABASE_API_GROUP}` } });
    expect(xrd.spec).toMatchObject({ scope: 'Namespaced', group: 'database.idpkit.dev', names: { kind: 'PostgreSQLInstance' }, defaultCompositionRef: { name: 'postgresql-aws' } });
    const spec = xrd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties;
    expect(spec.size.enum).toEqual(['small', 'medium', 'large', 'xlarge']); // the managed databases' sizes
    expect(Object.keys(spec).sort()).toEqual(['backupRetentionDays', 'highAvailability', 'size', 'storageGiB', 'version']);
    expect(spec.backupRetentionDays).toMatchObject({ minimum: 7, maximum: 35 });
  });

  test('only the AWS and CloudNativePG Compositions, each a pipeline of the function, selectable by label', () => {
    const compositions = kind(manifests, 'Composition');
    expect(compositions.map((c) => c.metadata.name)).toEqual(['postgresql-aws', 'postgresql-cloudnative-pg']);
    for (const c of compositions) {
      expect(c.spec.mode).toBe('Pipeline');
      expect(c.spec.pipeline[0].functionRef.name).toBe('function-patch-and-transform');
      expect(c.spec.compositeTypeRef).toEqual({ apiVersion: 'database.idpkit.dev/v1alpha1', kind: 'PostgreSQLInstance' });
      expect(c.metadata.labels['database.idpkit.dev/provider']).toBe(c.metadata.name.replace('postgresql-', ''));
    }
  });

  test('RDS: encrypted, private, deletion-protected, final snapshot, Multi-AZ and retention from the instance, names under idpkit-<env>-', () => {
    const [subnetGroup, instance] = resourcesOf(composition(manifests, 'postgresql-aws'));
    expect(subnetGroup.base).toMatchObject({ apiVersion: 'rds.aws.m.upbound.io/v1beta1', kind: 'SubnetGroup', spec: { forProvider: { subnetIds: AWS_NETWORK.subnetIds, region: 'eu-west-1' } } });
    expect(instance.base.apiVersion).toBe('rds.aws.m.upbound.io/v1beta1');
    expect(instance.base.spec.forProvider).toMatchObject({
      engine: 'postgres',
      storageEncrypted: true,
      publiclyAccessible: false,
      deletionProtection: true,
      skipFinalSnapshot: false,
      autoGeneratePassword: true,
      vpcSecurityGroupIds: AWS_NETWORK.securityGroupIds,
      dbSubnetGroupNameSelector: { matchControllerRef: true },
    });
    expect(instance.base.spec.providerConfigRef).toEqual({ kind: 'ClusterProviderConfig', name: 'default' });
    expect(patchTo(instance, 'spec.forProvider.multiAz').fromFieldPath).toBe('spec.highAvailability');
    expect(patchTo(instance, 'spec.forProvider.backupRetentionPeriod').fromFieldPath).toBe('spec.backupRetentionDays');
    expect(patchTo(instance, 'spec.forProvider.instanceClass').transforms[0].map).toEqual({ small: 'db.t4g.medium', medium: 'db.m7g.large', large: 'db.m7g.xlarge', xlarge: 'db.m7g.2xlarge' }); // the managed databases' size table
    expect(patchTo(instance, 'metadata.annotations[crossplane.io/external-name]').transforms[0].string.fmt).toBe('idpkit-prod-%s');
    expect(patchTo(instance, 'spec.writeConnectionSecretToRef.name').transforms[0].string.fmt).toBe('%s-postgresql');
  });

  test('a namespaced ClusterProviderConfig with the providers\' identity; Crossplane may compose CNPG Clusters', () => {
    expect(kind(manifests, 'ClusterProviderConfig')).toEqual([
      { apiVersion: 'aws.m.upbound.io/v1beta1', kind: 'ClusterProviderConfig', metadata: { name: 'default' }, spec: { credentials: { source: 'PodIdentity' } } },
    ]);
    const roles = kind(manifests, 'ClusterRole');
    expect(roles.find((r) => r.metadata.labels['rbac.crossplane.io/aggregate-to-crossplane'] === 'true').rules).toEqual([{ apiGroups: ['postgresql.cnpg.io'], resources: ['clusters'], verbs: ['*'] }]);
    expect(roles.find((r) => r.metadata.labels['rbac.authorization.k8s.io/aggregate-to-edit'] === 'true').rules[0].resources).toEqual(['postgresqlinstances']);
  });

  test('CloudNativePG Composition: a Cluster named as the instance, 3 instances in HA, credentials <name>-app', () => {
    const [cluster] = resourcesOf(composition(manifests, 'postgresql-cloudnative-pg'));
    expect(cluster.base).toMatchObject({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', spec: { enableSuperuserAccess: false } });
    expect(patchTo(cluster, 'metadata.name').fromFieldPath).toBe('metadata.name');
    expect(patchTo(cluster, 'spec.instances').transforms[1].map).toEqual({ true: 3, false: 1 });
    expect(patchTo(cluster, 'status.connectionSecret')).toMatchObject({ type: 'ToCompositeFieldPath', transforms: [{ string: { fmt: '%s-app' } }] });
  });

  test('applied after Crossplane, its providers, their default ProviderConfig and the CloudNativePG operator', () => {
    expect(release.body.depends_on).toEqual(
      expect.arrayContaining([
        releaseOf(platform, 'crossplane')!.address,
        releaseOf(platform, 'crossplane-providers')!.address,
        releaseOf(platform, 'crossplane-provider-config')!.address,
        releaseOf(platform, 'cloudnative-pg')!.address,
      ]),
    );
    expect(release.body.namespace).toBe('crossplane-system');
  });

  test('the ClusterProviderConfig\'s CRD is one the providers\' release waits to be served', () => {
    const [config] = kind(manifests, 'ClusterProviderConfig');
    const [job] = kind(manifestsOf(platform, 'crossplane-providers'), 'Job');
    const crdWait = job.spec.template.spec.containers[0].args;
    expect(crdWait.slice(0, 2)).toEqual(['wait', '--for=condition=Established']);
    expect(crdWait).toContain(`customresourcedefinitions.apiextensions.k8s.io/clusterproviderconfigs.${config.apiVersion.split('/')[0]}`);
  });

  test('done only when the function is Healthy and the PostgreSQLInstance API is served, so instances can be created after it', () => {
    const [job] = kind(manifests, 'Job');
    expect(job.metadata.annotations['helm.sh/hook']).toBe('post-install,post-upgrade');
    expect([...job.spec.template.spec.initContainers, ...job.spec.template.spec.containers].map((c: any) => c.args)).toEqual([
      ['wait', '--for=condition=Healthy', '--timeout=600s', `functions.pkg.crossplane.io/${FUNCTION_PATCH_AND_TRANSFORM.name}`],
      ['wait', '--for=condition=Established', '--timeout=600s', `compositeresourcedefinitions.apiextensions.crossplane.io/postgresqlinstances.${DATABASE_API_GROUP}`],
    ]);
  });

  test('no password or key literal in the Compositions', () => {
    expect(JSON.stringify(manifests)).not.toMatch(/"password":\s*"|secretAccessKey|AKIA/);
  });
});

describe('Crossplane databases on Azure and GCP', () => {
  test('Azure: a VNet-injected flexible server without public access, zone-redundant on request, in the environment\'s resource group', () => {
    const network = {
      delegatedSubnetId: '/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/postgres',
      privateDnsZoneId: '/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/rg-net/providers/Microsoft.Network/privateDnsZones/idp.postgres.database.azure.com',
    };
    const { platform } = synth(withAddons(azureProd, { cloudnativePg: { enabled: false }, backstage: { enabled: false }, crossplane: { enabled: true, providers: [{ name: 'provider-azure-dbforpostgresql', version: 'v2.6.0' }], databases: { enabled: true, azure: network } } }));
    const manifests = manifestsOf(platform, 'crossplane-databases');
    expect(kind(manifests, 'Composition').map((c) => c.metadata.name)).toEqual(['postgresql-azure']);
    const [server] = resourcesOf(composition(manifests, 'postgresql-azure'));
    expect(server.base).toMatchObject({ apiVersion: 'dbforpostgresql.azure.m.upbound.io/v1beta1', kind: 'FlexibleServer' });
    expect(server.base.spec.forProvider).toMatchObject({ ...network, publicNetworkAccessEnabled: false, autoGeneratePassword: true, location: azureProd.azure.location });
    // The infra stack's resource group, read across stacks: never its name copied.
    expect(server.base.spec.forProvider.resourceGroupName).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-azure-prod-infra\.outputs\.[^}]*azurerm_resource_group[^}]*name\}$/);
    expect(patchTo(server, 'spec.forProvider.highAvailability').transforms[1].map).toEqual({ true: { mode: 'ZoneRedundant' }, false: null });
    expect(kind(manifests, 'ClusterProviderConfig')[0]).toMatchObject({ apiVersion: 'azure.m.upbound.io/v1beta1', spec: { credentials: { source: 'OIDCTokenFile' } } });
    expect(kind(manifests, 'CompositeResourceDefinition')[0].spec.defaultCompositionRef).toEqual({ name: 'postgresql-azure' });
  });

  test('GCP: Cloud SQL on a private IP only, TLS required, PITR backups, regional on request, deletion protection', () => {
    const { platform } = synth(
      withAddons(gcpProd, {
        cloudnativePg: { enabled: true },
        crossplane: { enabled: true, providers: [{ name: 'provider-gcp-sql', version: 'v2.6.0' }], databases: { enabled: true, gcp: { privateNetwork: `projects/${gcpProd.gcp.projectId}/global/networks/idp` } } },
      }),
    );
    const manifests = manifestsOf(platform, 'crossplane-databases');
    expect(kind(manifests, 'Composition').map((c) => c.metadata.name)).toEqual(['postgresql-gcp', 'postgresql-cloudnative-pg']);
    const [instance] = resourcesOf(composition(manifests, 'postgresql-gcp'));
    expect(instance.base).toMatchObject({ apiVersion: 'sql.gcp.m.upbound.io/v1beta1', kind: 'DatabaseInstance', spec: { forProvider: { deletionProtection: true, region: gcpProd.gcp.region } } });
    expect(instance.base.spec.forProvider.settings).toMatchObject({
      deletionProtectionEnabled: true,
      ipConfiguration: { ipv4Enabled: false, sslMode: 'ENCRYPTED_ONLY', privateNetwork: `projects/${gcpProd.gcp.projectId}/global/networks/idp` },
      backupConfiguration: { enabled: true, pointInTimeRecoveryEnabled: true },
    });
    expect(patchTo(instance, 'spec.forProvider.settings.availabilityType').transforms[1].map).toEqual({ true: 'REGIONAL', false: 'ZONAL' });
    expect(patchTo(instance, 'spec.forProvider.databaseVersion').transforms[0].string.fmt).toBe('POSTGRES_%s');
  });

  test('GCP: the IAM authentication flag is the string "on" for a YAML 1.1 reader too (Helm reads values with go-yaml v2)', () => {
    const { platform } = synth(withAddons(gcpProd, { cloudnativePg: { enabled: true }, crossplane: { enabled: true, databases: { enabled: true } } }));
    const text = releaseOf(platform, 'crossplane-databases')!.body.values[0] as string;
    expect(text).toContain('value: "on"');
    const [instance] = resourcesOf(composition(parse(text, { version: '1.1' }).manifests, 'postgresql-gcp'));
    expect(instance.base.spec.forProvider.settings.databaseFlags).toEqual([{ name: 'cloudsql.iam_authentication', value: 'on' }]);
  });

  test('with no network given, Cloud SQL instances go into the environment VPC (private services access made for them) beside CloudNativePG', () => {
    const { infra, platform } = synth(withAddons(gcpProd, { cloudnativePg: { enabled: true }, crossplane: { enabled: true, databases: { enabled: true } } }));
    const manifests = manifestsOf(platform, 'crossplane-databases');
    expect(kind(manifests, 'Composition').map((c) => c.metadata.name)).toEqual(['postgresql-gcp', 'postgresql-cloudnative-pg']);
    expect(kind(manifests, 'CompositeResourceDefinition')[0].spec.defaultCompositionRef).toEqual({ name: 'postgresql-gcp' });
    expect(Object.keys(infra.resource.google_service_networking_connection ?? {})).toHaveLength(1); // shared with the managed databases
    expect(JSON.stringify(composition(manifests, 'postgresql-gcp'))).toContain('cross-stack-output-google_compute_networknetwork');
  });

  test('on Azure, where flexible servers need a delegated subnet idpkit does not carve, only CloudNativePG is composed unless the network is given', () => {
    const { platform } = synth(withAddons(azureProd, { cloudnativePg: { enabled: true }, crossplane: { enabled: true, databases: { enabled: true } } }));
    const manifests = manifestsOf(platform, 'crossplane-databases');
    expect(kind(manifests, 'Composition').map((c) => c.metadata.name)).toEqual(['postgresql-cloudnative-pg']);
    expect(kind(manifests, 'CompositeResourceDefinition')[0].spec.defaultCompositionRef).toEqual({ name: 'postgresql-cloudnative-pg' });
    expect(kind(manifests, 'ClusterProviderConfig')).toEqual([]);
  });

  test('databases disabled: no crossplane-databases release', () => {
    const { platform } = synth(withAddons(gcpProd, { crossplane: { enabled: true, databases: { enabled: false } } }));
    expect(releaseOf(platform, 'crossplane-databases')).toBeUndefined();
  });
});

describe('Crossplane databases are refused when', () => {
  const aws = (databases: unknown, extra: Record<string, unknown> = {}, providers: unknown = AWS_PROVIDERS) =>
    withAddons(prodConfig(), { ...extra, crossplane: { enabled: true, providers, databases } });
  const invalid = (message: RegExp) => expect.objectContaining({ code: 'IDPKIT_INVALID_ENVIRONMENT', message: expect.stringMatching(message) });

  test('adds the provider package the cloud Composition needs when the environment does not list it', () => {
    const { platform } = synth(aws({ enabled: true, aws: AWS_NETWORK }, {}, []));
    expect(JSON.stringify(platform)).toContain('xpkg.upbound.io/upbound/provider-aws-rds:v2.7.1');
  });

  test('with no network given, RDS instances go into the private subnets behind a PostgreSQL-only security group of the infra stack', () => {
    const { infra, platform } = synth(aws({ enabled: true }, { cloudnativePg: { enabled: true } }));
    const group = Object.values(infra.resource.aws_security_group).find((g: any) => g.name === 'idpkit-prod-claimed-postgres') as any;
    expect(group.description).toContain('5432 from the VPC only');
    const text = JSON.stringify(composition(manifestsOf(platform, 'crossplane-databases'), 'postgresql-aws'));
    expect(text).toContain('cross-stack-output-aws_security_groupaddon-crossplane_security-group');
    expect(text).toContain('cross-stack-output-aws_subnetnetwork_private-subnet-0');
  });

  test('throws when another cloud\'s network is given', () => {
    expect(() => synth(aws({ enabled: true, gcp: { privateNetwork: 'projects/acme-idp-prod/global/networks/idp' } }, { cloudnativePg: { enabled: true } }))).toThrow(
      invalid(/databases\.gcp is set, but the environment runs on aws \(give aws instead\)/),
    );
  });

  test('throws when there is nothing to compose (Azure without a network and without CloudNativePG)', () => {
    const azure = (databases: unknown, cloudnativePg: boolean) => withAddons(azureProd, { cloudnativePg: { enabled: cloudnativePg }, crossplane: { enabled: true, databases } });
    expect(() => synth(azure({ enabled: true }, false))).toThrow(invalid(/databases needs platform\.addons\.cloudnativePg/));
    expect(() => synth(azure({ enabled: true, defaultComposition: 'cloud' }, true))).toThrow(invalid(/defaultComposition "cloud" needs .*databases\.azure/));
  });

  test('throws when a network id is malformed', () => {
    expect(() => validateEnvironments([aws({ enabled: true, aws: { subnetIds: ['subnet-1'], securityGroupIds: ['sg-0123456789abcdef0'] } })])).toThrow(/is not a subnet id/);
    expect(() => validateEnvironments([aws({ enabled: true, aws: { subnetIds: ['subnet-0123456789abcdef0'], securityGroupIds: ['sg-0123456789abcdef0'] } })])).toThrow(/needs two subnets at least/);
    expect(() => validateEnvironments([aws({ enabled: true, defaultComposition: 'rds' })])).toThrow(/is not a default composition \(allowed: cloud, cloudnative-pg\)/);
  });
});
