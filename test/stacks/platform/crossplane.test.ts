import { parse } from 'yaml';
import { azureProd, gcpProd } from '../../../environments';
import { validateEnvironments } from '../../../environments/types';
import { clone, onlyAddons, prodConfig, resources, synthEnvironment, TerraformJson } from '../../helpers';

const synth = synthEnvironment;

const releaseOf = (json: TerraformJson, name: string) => {
  const [id, body] = Object.entries(json.resource.helm_release).find(([, r]: [string, any]) => r.name === name)! as [string, any];
  return { address: `helm_release.${id}`, body, manifests: parse(body.values[0]).manifests as any[] };
};
const withCrossplane = (base: unknown, providers: unknown) => {
  const config = clone(base) as any;
  config.platform = onlyAddons({ crossplane: { enabled: true, providers, databases: { enabled: false } } });
  return config;
};
const kinds = (manifests: any[], kind: string) => manifests.filter((m) => m.kind === kind);

describe('Crossplane providers on AWS', () => {
  const { infra, platform } = synth(withCrossplane(prodConfig(() => undefined), [{ name: 'provider-aws-s3', version: 'v2.7.1' }, { name: 'provider-aws-rds', version: 'v2.7.1' }]));
  const providers = releaseOf(platform, 'crossplane-providers');

  test('installs the family provider first, then each package, each with a DeploymentRuntimeConfig', () => {
    expect(kinds(providers.manifests, 'Provider').map((p) => p.spec.package)).toEqual([
      'xpkg.upbound.io/upbound/provider-family-aws:v2.7.1',
      'xpkg.upbound.io/upbound/provider-aws-s3:v2.7.1',
      'xpkg.upbound.io/upbound/provider-aws-rds:v2.7.1',
    ]);
    for (const provider of kinds(providers.manifests, 'Provider')) {
      expect(provider.spec.runtimeConfigRef).toEqual({ apiVersion: 'pkg.crossplane.io/v1beta1', kind: 'DeploymentRuntimeConfig', name: provider.metadata.name });
    }
    for (const config of kinds(providers.manifests, 'DeploymentRuntimeConfig')) {
      expect(config.apiVersion).toBe('pkg.crossplane.io/v1beta1');
      expect(config.spec.deploymentTemplate.spec.template.spec.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    }
  });

  test('the ProviderConfig release starts only when the providers\' release is done, which waits for these providers Healthy, then their config CRDs Established', () => {
    const config = releaseOf(platform, 'crossplane-provider-config');
    expect(config.body.depends_on).toContain(providers.address);
    const [job] = kinds(providers.manifests, 'Job');
    expect(job.metadata.annotations).toEqual({ 'helm.sh/hook': 'post-install,post-upgrade', 'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded' });
    const waits = [...job.spec.template.spec.initContainers, ...job.spec.template.spec.containers].map((c: any) => c.args);
    expect(waits).toEqual([
      ['wait', '--for=condition=Healthy', '--timeout=600s', 'providers.pkg.crossplane.io/provider-family-aws', 'providers.pkg.crossplane.io/provider-aws-s3', 'providers.pkg.crossplane.io/provider-aws-rds'],
      ['wait', '--for=condition=Established', '--timeout=600s', 'customresourcedefinitions.apiextensions.k8s.io/providerconfigs.aws.upbound.io', 'customresourcedefinitions.apiextensions.k8s.io/clusterproviderconfigs.aws.m.upbound.io'],
    ]);
    // The ProviderConfig's kind is the one whose CRD the release waits for.
    expect(waits[1]).toContain(`customresourcedefinitions.apiextensions.k8s.io/providerconfigs.${config.manifests[0].apiVersion.split('/')[0]}`);
    expect(job.spec.template.spec.serviceAccountName).toBe('crossplane-providers-ready');
    const role = kinds(providers.manifests, 'ClusterRole')[0];
    expect(role.rules).toEqual([
      { apiGroups: ['pkg.crossplane.io'], resources: ['providers'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'list', 'watch'] },
    ]);
  });

  test('a default ProviderConfig through EKS Pod Identity, after the providers, which come after Crossplane', () => {
    const config = releaseOf(platform, 'crossplane-provider-config');
    expect(config.manifests).toEqual([{ apiVersion: 'aws.upbound.io/v1beta1', kind: 'ProviderConfig', metadata: { name: 'default' }, spec: { credentials: { source: 'PodIdentity' } } }]);
    expect(providers.body.depends_on).toEqual([releaseOf(platform, 'crossplane').address]);
    expect(config.body.depends_on).toContain(providers.address);
  });

  test('binds the service account through Pod Identity; writes only on idpkit-<env>-* resources, no * action', () => {
    expect(resources(infra, 'aws_eks_pod_identity_association').map((a) => `${a.namespace}/${a.service_account}`)).toContain('crossplane-system/crossplane-providers-aws');
    const statements = JSON.parse(resources(infra, 'aws_iam_role_policy').find((p) => p.name === 'idp-prod-crossplane').policy).Statement as any[];
    for (const statement of statements) {
      expect(statement.Action).not.toContain('*');
      const writes = statement.Action.some((a: string) => !/^[a-z0-9-]+:(Describe|Get|List)[A-Za-z*]*$/.test(a));
      if (writes) for (const resource of statement.Resource) expect(resource).not.toBe('*');
    }
    expect(statements[0].Resource).toEqual(['arn:aws:s3:::idpkit-prod-*']);
    expect(statements.flatMap((s) => s.Resource)).toContain('arn:aws:rds:eu-west-1:222222222222:db:idpkit-prod-*');
  });
});

describe('Crossplane providers on Azure and GCP', () => {
  test('Azure: OIDC token file with the identity, Contributor on a resource group of its own (not the cluster\'s, its Key Vault\'s or the state\'s)', () => {
    const { infra, platform } = synth(withCrossplane(azureProd, [{ name: 'provider-azure-storage', version: 'v2.6.0' }]));
    const [config] = releaseOf(platform, 'crossplane-provider-config').manifests;
    expect(config).toMatchObject({ apiVersion: 'azure.upbound.io/v1beta1', kind: 'ProviderConfig', spec: { credentials: { source: 'OIDCTokenFile' }, tenantID: azureProd.azure.tenantId, subscriptionID: azureProd.azure.subscriptionId } });
    expect(config.spec.clientID).toMatch(/client_id\}$/);
    const manifests = releaseOf(platform, 'crossplane-providers').manifests;
    const runtime = kinds(manifests, 'DeploymentRuntimeConfig')[0];
    expect(runtime.spec.deploymentTemplate.spec.template.metadata.labels).toEqual({ 'azure.workload.identity/use': 'true' });
    expect(kinds(manifests, 'ServiceAccount').find((sa) => sa.metadata.name === 'crossplane-providers-azure').metadata.annotations['azure.workload.identity/client-id']).toBe(config.spec.clientID);
    const grants = resources(infra, 'azurerm_role_assignment').filter((r) => r.description?.includes('crossplane-providers-azure'));
    // Scoped to the claims resource group by reference, so the assignment waits for the group.
    expect(grants).toEqual([expect.objectContaining({ role_definition_name: 'Contributor', scope: '${azurerm_resource_group.claims-resource-group.id}' })]);
    expect(infra.resource.azurerm_resource_group['claims-resource-group']).toMatchObject({ name: 'rg-idp-prod-claims', location: azureProd.azure.location, lifecycle: { prevent_destroy: true } });
    expect(resources(infra, 'azurerm_federated_identity_credential').map((c) => c.subject)).toContain('system:serviceaccount:crossplane-system:crossplane-providers-azure');
  });

  test('GCP: injected identity in the project, storage and Cloud SQL admin on it', () => {
    const { infra, platform } = synth(withCrossplane(gcpProd, [{ name: 'provider-gcp-storage', version: 'v2.6.0' }, { name: 'provider-gcp-sql', version: 'v2.6.0' }]));
    expect(releaseOf(platform, 'crossplane-provider-config').manifests[0]).toEqual({
      apiVersion: 'gcp.upbound.io/v1beta1', kind: 'ProviderConfig', metadata: { name: 'default' }, spec: { projectID: gcpProd.gcp.projectId, credentials: { source: 'InjectedIdentity' } },
    });
    const account = kinds(releaseOf(platform, 'crossplane-providers').manifests, 'ServiceAccount').find((sa) => sa.metadata.name === 'crossplane-providers-gcp');
    expect(account.metadata.annotations['iam.gke.io/gcp-service-account']).toMatch(/email\}$/);
    const bindings = resources(infra, 'google_project_iam_member').filter((m) => /crossplane/.test(m.member));
    expect(bindings.map((m) => m.role).sort()).toEqual(['roles/cloudsql.admin', 'roles/storage.admin']);
    // Each role holds only on the names the providers manage: buckets idpkit-<env>-*, Cloud SQL instances idpkit-*.
    const conditionOf = (role: string) => bindings.find((m) => m.role === role).condition.expression;
    expect(conditionOf('roles/storage.admin')).toBe('!resource.name.startsWith("projects/_/buckets/") || resource.name.startsWith("projects/_/buckets/idpkit-gcp-prod-")');
    expect(conditionOf('roles/cloudsql.admin')).toBe(`!resource.name.startsWith("projects/${gcpProd.gcp.projectId}/instances/") || resource.name.startsWith("projects/${gcpProd.gcp.projectId}/instances/idpkit-")`);
  });

  test('Azure: with the flexible server Composition, the providers may also join its subnet and private DNS zone, nothing else there', () => {
    const config = withCrossplane(azureProd, [{ name: 'provider-azure-dbforpostgresql', version: 'v2.6.0' }]) as any;
    const network = {
      delegatedSubnetId: `/subscriptions/${azureProd.azure.subscriptionId}/resourceGroups/rg-idp-prod/providers/Microsoft.Network/virtualNetworks/vnet-azure-prod/subnets/snet-postgres`,
      privateDnsZoneId: `/subscriptions/${azureProd.azure.subscriptionId}/resourceGroups/rg-idp-prod/providers/Microsoft.Network/privateDnsZones/claims.postgres.database.azure.com`,
    };
    config.platform.addons.crossplane.databases = { enabled: true, azure: network, defaultComposition: 'cloud' };
    const { infra } = synth(config);
    const grants = resources(infra, 'azurerm_role_assignment').filter((r) => r.description?.includes('crossplane-providers-azure'));
    expect(grants.map((g) => [g.role_definition_name, g.scope]).sort()).toEqual([
      ['Contributor', '${azurerm_resource_group.claims-resource-group.id}'],
      ['Network Contributor', network.delegatedSubnetId],
      ['Private DNS Zone Contributor', network.privateDnsZoneId],
    ]);
  });

  test('throws when the state bucket is named like the buckets Crossplane may manage', () => {
    const config = withCrossplane(gcpProd, [{ name: 'provider-gcp-storage', version: 'v2.6.0' }]) as any;
    config.state.bucket = 'idpkit-gcp-prod-tfstate';
    let error: any;
    try {
      synth(config);
    } catch (caught) {
      error = caught;
    }
    expect(error?.code).toBe('IDPKIT_INVALID_ENVIRONMENT');
    expect(error?.message).toContain('environment "gcp-prod": state.bucket "idpkit-gcp-prod-tfstate" starts with "idpkit-gcp-prod-", the prefix of the buckets Crossplane may manage');
  });

  test('no providers: no provider releases and no identity', () => {
    const { infra, platform } = synth(withCrossplane(gcpProd, undefined));
    expect(resources(platform, 'helm_release').map((r) => r.name)).not.toContain('crossplane-providers');
    expect(resources(infra, 'google_service_account_iam_member').map((m) => m.member).join()).not.toMatch(/crossplane/);
  });
});

// Crossplane owns the service account a DeploymentRuntimeConfig names in serviceAccountTemplate
// (one controller owner, the applying revision): providers naming one account fight over it
// (crossplane/crossplane#7769). A Deployment serviceAccountName is used, not owned (#4925).
describe.each([
  ['aws', prodConfig(() => undefined), [{ name: 'provider-aws-s3', version: 'v2.7.1' }, { name: 'provider-aws-rds', version: 'v2.7.1' }]],
  ['azure', azureProd, [{ name: 'provider-azure-storage', version: 'v2.6.0' }, { name: 'provider-azure-dbforpostgresql', version: 'v2.6.0' }]],
  ['gcp', gcpProd, [{ name: 'provider-gcp-storage', version: 'v2.6.0' }, { name: 'provider-gcp-sql', version: 'v2.6.0' }]],
] as const)('Crossplane providers\' service account on %s', (cloud, base, packages) => {
  const { infra, platform } = synth(withCrossplane(base, packages));
  const manifests = releaseOf(platform, 'crossplane-providers').manifests;
  const accountName = `crossplane-providers-${cloud}`;

  test('no runtime config names a service account for Crossplane to own; each runs its Deployment as the one account the release creates', () => {
    const runtimes = kinds(manifests, 'DeploymentRuntimeConfig');
    expect(runtimes).toHaveLength(3);
    for (const runtime of runtimes) {
      expect(runtime.spec.serviceAccountTemplate).toBeUndefined();
      expect(runtime.spec.deploymentTemplate.spec.template.spec.serviceAccountName).toBe(accountName);
    }
    expect(kinds(manifests, 'ServiceAccount').filter((sa) => sa.metadata.name === accountName)).toEqual([
      expect.objectContaining({ apiVersion: 'v1', metadata: expect.objectContaining({ name: accountName, namespace: 'crossplane-system' }) }),
    ]);
  });

  test('that account is the subject of the providers\' workload identity in the infra stack', () => {
    const subject = `crossplane-system/${accountName}`;
    switch (cloud) {
      case 'aws':
        expect(resources(infra, 'aws_eks_pod_identity_association').map((a) => `${a.namespace}/${a.service_account}`)).toContain(subject);
        break;
      case 'azure':
        expect(resources(infra, 'azurerm_federated_identity_credential').map((c) => c.subject)).toContain(`system:serviceaccount:crossplane-system:${accountName}`);
        break;
      case 'gcp':
        // The cluster's workload identity pool (<project>.svc.id.goog), by reference.
        expect(resources(infra, 'google_service_account_iam_member').map((m) => m.member)).toContain(
          `serviceAccount:\${google_container_cluster.cluster_A4C38409.workload_identity_config[0].workload_pool}[${subject}]`,
        );
        break;
    }
  });
});

describe('Crossplane providers are refused when', () => {
  test('throws when a provider is unknown', () => {
    expect(() => validateEnvironments([withCrossplane(prodConfig(() => undefined), [{ name: 'provider-aws-everything', version: 'v2.7.1' }])])).toThrow(/provider-aws-everything" is not a known provider/);
  });

  test('throws when a version is not verified', () => {
    expect(() => validateEnvironments([withCrossplane(prodConfig(() => undefined), [{ name: 'provider-aws-s3', version: 'v9.9.9' }])])).toThrow(/v9\.9\.9" of provider-aws-s3 is not a verified version/);
  });

  test('throws when a provider is of another cloud', () => {
    expect(() => synth(withCrossplane(prodConfig(() => undefined), [{ name: 'provider-gcp-storage', version: 'v2.6.0' }]))).toThrow(
      expect.objectContaining({ code: 'IDPKIT_INVALID_ENVIRONMENT', message: expect.stringMatching(/is a gcp provider, but the environment runs on aws/) }),
    );
  });
});
