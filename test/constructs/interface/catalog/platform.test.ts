import { parseAllDocuments } from 'yaml';
import { IdpkitError } from '../../../../constructs/core/errors';
import type { CatalogEntity, ComponentEntity } from '../../../../constructs/interface/catalog/entities';
import {
  CatalogEnvironment,
  CatalogPlatform,
  addonComponentName,
  catalogDocuments,
  catalogFiles,
  catalogProblems,
  kebabCase,
} from '../../../../constructs/interface/catalog/platform';
import { entityProblems } from '../../../support/backstage';

/** A small platform model: two environments, one with an inventory, teams in one of them. */
const dev: CatalogEnvironment = {
  name: 'dev',
  description: 'The dev environment.',
  owner: 'Platform Team',
  costCenter: 'platform',
  tier: 'dev',
  cloud: 'aws',
  region: 'eu-west-1',
  teams: [{ name: 'payments', costCenter: 'cc-payments' }, { name: 'web' }],
  repository: { owner: 'acme', repo: 'platform', branch: 'main' },
  inventory: {
    clusterName: 'idp-dev',
    argoCdApplication: 'root',
    resources: [
      { id: 'network', type: 'network', title: 'dev', description: 'VPC dev.', terraform: { stack: 'dev-infra', addresses: ['aws_vpc.network'] } },
      {
        id: 'cluster',
        type: 'kubernetes-cluster',
        title: 'idp-dev',
        description: 'EKS cluster idp-dev.',
        dependsOn: ['network'],
        terraform: { stack: 'dev-infra', addresses: ['aws_eks_cluster.cluster'] },
        links: [{ url: 'https://eu-west-1.console.aws.amazon.com/eks/home?region=eu-west-1#/clusters/idp-dev', title: 'EKS console' }],
      },
    ],
    addons: [
      {
        key: 'certManager',
        title: 'cert-manager',
        description: 'cert-manager: certificates',
        capability: 'tls',
        stack: 'dev-platform',
        releases: [{ name: 'cert-manager', namespace: 'cert-manager', chart: 'cert-manager', version: 'v1.21.1', repository: 'oci://quay.io/jetstack/charts', address: 'helm_release.cert-manager' }],
      },
      {
        key: 'istio',
        title: 'Istio',
        description: 'Istio: mesh',
        capability: 'mesh',
        stack: 'dev-platform',
        dependsOnAddons: ['certManager'],
        releases: [
          { name: 'istiod', namespace: 'istio-system', chart: 'istiod', version: '1.30.3', repository: 'https://istio', address: 'helm_release.istiod' },
          { name: 'istio-ingress', namespace: 'istio-ingress', chart: 'gateway', version: '1.30.3', repository: 'https://istio', address: 'helm_release.gateway' },
        ],
      },
    ],
  },
};
const prod: CatalogEnvironment = { name: 'prod', description: 'The prod environment.', owner: 'sre', costCenter: 'Platform Engineering', tier: 'prod', cloud: 'aws', region: 'eu-west-1' };
const platform: CatalogPlatform = { environments: [dev, prod], templates: ['node-service', 'go-api'] };

const byName = (entities: readonly CatalogEntity[], name: string) => entities.find((entity) => entity.metadata.name === name)!;

describe('catalogDocuments', () => {
  const documents = catalogDocuments(platform);

  test('writes all.yaml, platform.yaml and the file of each environment that has an inventory', () => {
    expect(Object.keys(documents).sort()).toEqual(['all.yaml', 'environments/dev.yaml', 'platform.yaml']);
  });

  test('all.yaml: a Location of the platform file, every environment in config order, every golden path', () => {
    expect(documents['all.yaml']).toEqual([
      expect.objectContaining({
        kind: 'Location',
        metadata: expect.objectContaining({ name: 'idpkit-platform' }),
        spec: { type: 'url', targets: ['./platform.yaml', './environments/dev.yaml', './environments/prod.yaml', './templates/node-service/template.yaml', './templates/go-api/template.yaml'] },
      }),
    ]);
  });

  test('platform.yaml: the Domain, owned by the first environment\'s owner, and a Group per owner and team', () => {
    const entities = documents['platform.yaml'];
    expect(entities.map((entity) => `${entity.kind}:${entity.metadata.name}`)).toEqual(['Domain:platform', 'Group:Platform-Team', 'Group:payments', 'Group:sre', 'Group:web']);
    expect(byName(entities, 'platform').spec).toEqual({ owner: 'group:default/Platform-Team' });
    expect(byName(entities, 'Platform-Team').metadata.title).toBe('Platform Team');
    const payments = byName(entities, 'payments');
    expect(payments.spec).toEqual({ type: 'team', children: [] });
    expect(payments.metadata.annotations).toEqual({ 'idpkit.dev/namespace': 'payments', 'idpkit.dev/cost-center': 'cc-payments' });
    expect(payments.metadata.labels).toEqual({ 'cost-center': 'cc-payments' });
  });

  test('the System: domain platform, owner the environment owner, the Argo CD app, source location and cost center', () => {
    const system = byName(documents['environments/dev.yaml'], 'dev');
    expect(system.kind).toBe('System');
    expect(system.spec).toEqual({ owner: 'group:default/Platform-Team', domain: 'domain:default/platform', type: 'environment' });
    expect(system.metadata.annotations).toMatchObject({
      'argocd/app-name': 'root',
      'backstage.io/source-location': 'url:https://github.com/acme/platform/tree/main/',
      'github.com/project-slug': 'acme/platform',
      'idpkit.dev/cost-center': 'platform',
    });
    expect(system.metadata.labels).toEqual({ 'cost-center': 'platform' });
  });

  test('Resources: <env>-<id>, in the System, owned by the owner, dependsOn resolved, Terraform origin and console links', () => {
    const cluster = byName(documents['environments/dev.yaml'], 'dev-cluster');
    expect(cluster.spec).toEqual({ type: 'kubernetes-cluster', owner: 'group:default/Platform-Team', system: 'system:default/dev', dependsOn: ['resource:default/dev-network'] });
    expect(cluster.metadata.annotations).toMatchObject({ 'idpkit.dev/terraform-stack': 'dev-infra', 'idpkit.dev/terraform-address': 'aws_eks_cluster.cluster' });
    expect(cluster.metadata.links).toEqual([expect.objectContaining({ url: expect.stringContaining('#/clusters/idp-dev') })]);
  });

  test('Components: one per add-on, dependsOn the cluster and the add-ons it waits for, with Kubernetes and Helm annotations', () => {
    const entities = documents['environments/dev.yaml'];
    const certManager = byName(entities, 'dev-cert-manager');
    expect(certManager.spec).toEqual({ type: 'platform-addon', lifecycle: 'dev', owner: 'group:default/Platform-Team', system: 'system:default/dev', dependsOn: ['resource:default/dev-cluster'] });
    expect(certManager.metadata.annotations).toMatchObject({
      'backstage.io/kubernetes-cluster': 'idp-dev',
      'backstage.io/kubernetes-namespace': 'cert-manager',
      'backstage.io/kubernetes-label-selector': 'app.kubernetes.io/instance=cert-manager',
      'idpkit.dev/helm-charts': 'cert-manager v1.21.1 (oci://quay.io/jetstack/charts)',
      'idpkit.dev/terraform-stack': 'dev-platform',
    });
    expect(certManager.metadata.labels).toEqual({
      'cost-center': 'platform',
      'idpkit.dev/capability': 'tls',
      'idpkit.dev/chart': 'cert-manager',
      'idpkit.dev/chart-version': 'v1.21.1',
      'idpkit.dev/namespace': 'cert-manager',
    });
    const istio = byName(entities, 'dev-istio');
    expect((istio as ComponentEntity).spec.dependsOn).toEqual(['component:default/dev-cert-manager', 'resource:default/dev-cluster']);
    // Two namespaces: no namespace annotation, the selector names both releases; charts differ, the version is shared.
    expect(istio.metadata.annotations!['backstage.io/kubernetes-namespace']).toBeUndefined();
    expect(istio.metadata.annotations!['backstage.io/kubernetes-label-selector']).toBe('app.kubernetes.io/instance in (istio-ingress,istiod)');
    expect(istio.metadata.labels).toEqual({ 'cost-center': 'platform', 'idpkit.dev/capability': 'mesh', 'idpkit.dev/chart-version': '1.30.3' });
  });

  test('a cost center that is no label value is an annotation only', () => {
    const onlyProd = catalogDocuments({ environments: [{ ...prod, inventory: { ...dev.inventory!, argoCdApplication: undefined } }] });
    const system = byName(onlyProd['environments/prod.yaml'], 'prod');
    expect(system.metadata.annotations!['idpkit.dev/cost-center']).toBe('Platform Engineering');
    expect(system.metadata.labels).toBeUndefined();
    expect(system.metadata.annotations!['argocd/app-name']).toBeUndefined();
    expect(system.metadata.annotations!['backstage.io/source-location']).toBeUndefined();
  });

  test('every entity passes Backstage\'s own validation', async () => {
    expect(await entityProblems(Object.values(documents).flat())).toEqual([]);
  });

  test('kebabCase and add-on Component names', () => {
    expect(kebabCase('kubePrometheusStack')).toBe('kube-prometheus-stack');
    expect(addonComponentName('dev', 'awsLoadBalancerController')).toBe('dev-aws-load-balancer-controller');
  });
});

describe('catalogFiles', () => {
  test('renders each file as multi-document YAML that reads back as the documents, byte-identical across runs', () => {
    const files = catalogFiles(platform);
    expect(catalogFiles(platform)).toEqual(files);
    const documents = catalogDocuments(platform);
    for (const [path, text] of Object.entries(files)) {
      expect(parseAllDocuments(text).map((document) => document.toJS())).toEqual(JSON.parse(JSON.stringify(documents[path])));
    }
    expect(files['environments/dev.yaml'].split('\n---\n')).toHaveLength(5);
  });
});

describe('catalogProblems', () => {
  test('throws when a relation names an entity that is not in the catalog', () => {
    const broken: CatalogPlatform = {
      environments: [{ ...dev, inventory: { ...dev.inventory!, resources: [{ ...dev.inventory!.resources[1], dependsOn: ['network', 'vpn'] }] } }],
    };
    expect(() => catalogDocuments(broken)).toThrow(IdpkitError);
    try {
      catalogDocuments(broken);
    } catch (error) {
      expect((error as IdpkitError).code).toBe('IDPKIT_INVALID_CATALOG');
      expect((error as IdpkitError).problems).toEqual([
        'environments/dev.yaml: Resource "dev-cluster" spec.dependsOn "resource:default/dev-network" names no entity of the catalog (define resource:default/dev-network, or remove the relation)',
        'environments/dev.yaml: Resource "dev-cluster" spec.dependsOn "resource:default/dev-vpn" names no entity of the catalog (define resource:default/dev-vpn, or remove the relation)',
      ]);
    }
  });

  test('finds names Backstage refuses, names used twice (case-insensitively) and malformed references', () => {
    const group = (name: string, parent?: string): CatalogEntity => ({ apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name }, spec: { type: 'team', children: [], ...(parent ? { parent } : {}) } });
    expect(catalogProblems({ 'a.yaml': [group('ops'), group('bad name')], 'b.yaml': [group('OPS', 'a:b:c'), group('web', 'ops')] })).toEqual([
      'a.yaml: Group "bad name" is not an entity name (letters and digits separated by single "-", "_" or ".", at most 63 characters)',
      'b.yaml: Group "OPS" is also defined in a.yaml (Backstage compares names case-insensitively: give each its own name)',
      'b.yaml: Group "OPS" spec.parent "a:b:c" is not an entity reference (expected kind:namespace/name)',
    ]);
  });

  test('throws when the platform has no environment', () => {
    expect(() => catalogDocuments({ environments: [] })).toThrow('the platform has no environment');
  });
});
