import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CHARTS, ChartName } from '../../constructs/core/charts';
import { CLOUDS } from '../../constructs/core/clouds';
import type { CatalogEntity } from '../../constructs/interface/catalog/entities';
import { catalogProblems } from '../../constructs/interface/catalog/platform';
import { SIZES } from '../../constructs/presets';
import { TIERS } from '../../constructs/core/tiers';
import { azureProd, environmentSets, exampleEnvironments, gcpDev, prod, staging } from '../../environments';
import { Environment, azureResourceGroupName, validateEnvironments } from '../../environments/types';
import { SYNTHESIS_CHECKS, SynthesisCheck, synthesizePlatform } from '../../stacks/app';
import { ADDON_CAPABILITIES, CATALOG_RESOURCE_RULES, CHART_ADDONS, addonOfChart, platformCatalogFiles } from '../../stacks/catalog';
import { ADDONS, enabledAddons } from '../../stacks/platform/catalog';
import { clone, devConfig } from '../helpers';
import { entityProblems } from '../support/backstage';
import { synthesizedPlatform, synthesizedSet } from '../support/synthesized-sets';

/** An entity as read back from YAML. */
type Entity = CatalogEntity & { readonly spec: Record<string, any>; readonly metadata: CatalogEntity['metadata'] };

const tempDir = () => mkdtempSync(join(tmpdir(), 'idpkit-catalog-'));

/** Every file of a catalog folder (path -> text). */
function catalogTexts(outdir: string): Record<string, string> {
  const root = join(outdir, 'catalog');
  const files = ['all.yaml', 'platform.yaml', ...readdirSync(join(root, 'environments')).map((file) => `environments/${file}`)];
  return Object.fromEntries(files.map((file) => [file, readFileSync(join(root, file), 'utf8')]));
}

/** Every file of a catalog folder, parsed (path -> entities). */
const readCatalog = (outdir: string): Record<string, Entity[]> =>
  Object.fromEntries(Object.entries(catalogTexts(outdir)).map(([file, text]) => [file, parseAllDocuments(text).map((document) => document.toJS() as Entity)]));

const entity = (catalog: Record<string, Entity[]>, file: string, name: string): Entity => {
  const found = catalog[file].find((candidate) => candidate.metadata.name === name);
  if (!found) throw new Error(`${file} has no entity ${name} (has ${catalog[file].map((e) => e.metadata.name).join(', ')})`);
  return found;
};
const names = (entities: readonly Entity[], kind: string) => entities.filter((e) => e.kind === kind).map((e) => e.metadata.name);
const annotations = (e: Entity) => e.metadata.annotations ?? {};

/** dev with tenancy teams; staging without CI and with local state; prod and the Azure and GCP examples as shipped. */
const TEAMS = [
  { name: 'payments', adminGroup: 'payments-admins', costCenter: 'cc-1042' },
  { name: 'search', adminGroup: 'search-admins' },
];
const devWithTeams = devConfig((c: any) => {
  c.platform.addons.tenancy = { enabled: true, teams: TEAMS };
});
const stagingLocal = (() => {
  const config: any = clone(staging);
  delete config.ci;
  config.state = { backend: 'local' };
  const reason = 'a test of an environment with local state';
  config.policy = { suppressions: ['staging-infra', 'staging-platform'].map((resource) => ({ rule: 'IDP-TF-001', resource, reason })) };
  return config;
})();
const ENVIRONMENTS = [devWithTeams, stagingLocal, prod, ...exampleEnvironments];

describe('the catalog synthesis writes (default and example environments: AWS, Azure, GCP)', () => {
  let outdir: string;
  let catalog: Record<string, Entity[]>;
  let texts: Record<string, string>;
  let environments: Environment[];
  beforeAll(() => {
    outdir = synthesizedPlatform(ENVIRONMENTS);
    catalog = readCatalog(outdir);
    texts = catalogTexts(outdir);
    environments = validateEnvironments(ENVIRONMENTS);
  });

  test('all.yaml, platform.yaml and one file per environment; all.yaml targets them in config order', () => {
    expect(Object.keys(catalog).sort()).toEqual([
      'all.yaml',
      'environments/azure-dev.yaml',
      'environments/azure-prod.yaml',
      'environments/dev.yaml',
      'environments/gcp-dev.yaml',
      'environments/gcp-prod.yaml',
      'environments/prod.yaml',
      'environments/staging.yaml',
      'platform.yaml',
    ]);
    const [location] = catalog['all.yaml'];
    expect(location.kind).toBe('Location');
    expect(location.metadata.name).toBe('idpkit-platform');
    expect(location.spec.targets).toEqual([
      './platform.yaml',
      ...environments.map((env) => `./environments/${env.name}.yaml`),
      ...['go-api', 'node-service', 'python-service'].map((name) => `./templates/${name}/template.yaml`),
    ]);
  });

  test('the golden paths fit the catalog: each Template is owned by a Group of platform.yaml, and every environment it offers has the System and cluster Resource a created service names', () => {
    const names = new Set(Object.values(catalog).flat().map((entity) => `${entity.kind.toLowerCase()}:default/${entity.metadata.name}`));
    for (const name of ['go-api', 'node-service', 'python-service']) {
      const [template] = parseAllDocuments(readFileSync(join(outdir, 'catalog', 'templates', name, 'template.yaml'), 'utf8')).map((document) => document.toJS());
      expect({ name, owner: names.has(template.spec.owner) }).toEqual({ name, owner: true });
      const offered: string[] = template.spec.parameters.flatMap((page: { properties: Record<string, { enum?: string[] }> }) => page.properties.environment?.enum ?? []);
      expect(offered).toEqual(environments.map((env) => env.name));
      for (const env of offered) {
        // The skeleton's catalog-info.yaml: spec.system <env>, dependsOn resource:default/<env>-cluster.
        expect({ env, system: names.has(`system:default/${env}`), cluster: names.has(`resource:default/${env}-cluster`) }).toEqual({ env, system: true, cluster: true });
      }
    }
  });

  test('every entity passes Backstage\'s validation, every relation resolves, and none holds a Terraform expression', async () => {
    const all = Object.values(catalog).flat();
    expect(await entityProblems(all)).toEqual([]);
    expect(catalogProblems(catalog)).toEqual([]);
    for (const [file, text] of Object.entries(texts)) expect({ file, expression: text.includes('${') }).toEqual({ file, expression: false });
  });

  test('platform.yaml: the platform Domain and a Group for the owner and for each tenancy team', () => {
    const entities = catalog['platform.yaml'];
    expect(entities.map((e) => `${e.kind}:${e.metadata.name}`)).toEqual(['Domain:platform', 'Group:payments', 'Group:platform-team', 'Group:search']);
    expect(entity(catalog, 'platform.yaml', 'platform').spec).toEqual({ owner: 'group:default/platform-team' });
    const payments = entity(catalog, 'platform.yaml', 'payments');
    expect(payments.spec).toEqual({ type: 'team', children: [] });
    expect(payments.metadata.description).toContain('has namespace payments in dev (tenancy team)');
    expect(annotations(payments)).toEqual({ 'idpkit.dev/namespace': 'payments', 'idpkit.dev/cost-center': 'cc-1042' });
    expect(payments.metadata.labels).toEqual({ 'cost-center': 'cc-1042' });
  });

  test('each environment is a System in the platform Domain, owned by its owner, with cost center, tier and cloud', () => {
    for (const env of environments) {
      const system = entity(catalog, `environments/${env.name}.yaml`, env.name);
      expect(system.kind).toBe('System');
      expect(system.spec).toEqual({ owner: 'group:default/platform-team', domain: 'domain:default/platform', type: 'environment' });
      expect(annotations(system)).toMatchObject({ 'idpkit.dev/cost-center': env.costCenter, 'idpkit.dev/tier': env.tier, 'idpkit.dev/cloud': env.cloud });
      expect(system.metadata.labels).toEqual({ 'cost-center': env.costCenter });
    }
  });

  test('every entity of an environment is in its System, owned by its owner, and carries its cost center', () => {
    for (const env of environments) {
      for (const e of catalog[`environments/${env.name}.yaml`].filter((candidate) => candidate.kind !== 'System')) {
        expect({ name: e.metadata.name, system: e.spec.system, owner: e.spec.owner, costCenter: annotations(e)['idpkit.dev/cost-center'] }).toEqual({
          name: e.metadata.name,
          system: `system:default/${env.name}`,
          owner: 'group:default/platform-team',
          costCenter: env.costCenter,
        });
      }
    }
  });

  test('source location and GitHub project slug where ci.github is set, none where it is not', () => {
    expect(annotations(entity(catalog, 'environments/dev.yaml', 'dev-cluster'))).toMatchObject({
      'backstage.io/source-location': 'url:https://github.com/acme/platform/tree/main/',
      'github.com/project-slug': 'acme/platform',
    });
    for (const e of catalog['environments/staging.yaml']) {
      expect(annotations(e)['backstage.io/source-location']).toBeUndefined();
      expect(annotations(e)['github.com/project-slug']).toBeUndefined();
    }
  });

  test('AWS: the cluster, network, ECR repositories, KMS keys, the database and the state, with true dependencies and console links', () => {
    const file = 'environments/dev.yaml';
    const resources = catalog[file].filter((e) => e.kind === 'Resource');
    expect([...new Set(resources.map((e) => e.spec.type))].sort()).toEqual(['container-registry', 'database', 'encryption-key', 'kubernetes-cluster', 'network', 'terraform-state']);
    const cluster = entity(catalog, file, 'dev-cluster');
    expect(cluster.metadata.title).toBe('idp-dev');
    expect(cluster.spec.dependsOn).toEqual(['resource:default/dev-cluster-secrets-key', 'resource:default/dev-logs-key', 'resource:default/dev-network']);
    expect(annotations(cluster)).toMatchObject({ 'idpkit.dev/terraform-stack': 'dev-infra', 'idpkit.dev/terraform-address': 'aws_eks_cluster.cluster_A4C38409' });
    expect(cluster.metadata.links).toEqual([{ url: 'https://eu-west-1.console.aws.amazon.com/eks/home?region=eu-west-1#/clusters/idp-dev', title: 'EKS cluster idp-dev in the AWS console', icon: 'cloud', type: 'console' }]);
    const database = entity(catalog, file, 'dev-database-platform');
    expect(database.spec).toMatchObject({ type: 'database', dependsOn: ['resource:default/dev-database-platform-key', 'resource:default/dev-network'] });
    expect(database.metadata.links![0].url).toBe('https://eu-west-1.console.aws.amazon.com/rds/home?region=eu-west-1#database:id=dev-platform');
    const repository = entity(catalog, file, 'dev-registry-repository-apps-hello-world');
    expect(repository.metadata.title).toBe('dev/apps/hello-world');
    expect(repository.spec.dependsOn).toEqual(['resource:default/dev-registry-key']);
    expect(repository.metadata.links![0].url).toBe('https://eu-west-1.console.aws.amazon.com/ecr/repositories/private/111111111111/dev/apps/hello-world?region=eu-west-1');
    expect(entity(catalog, file, 'dev-network').metadata.links![0].url).toBe('https://eu-west-1.console.aws.amazon.com/vpcconsole/home?region=eu-west-1#vpcs:tag:Name=dev');
    const state = entity(catalog, file, 'dev-state');
    expect(state.spec).toMatchObject({ type: 'terraform-state', dependsOn: ['resource:default/dev-state-key'] });
    expect(state.metadata.title).toBe('idpkit-state-111111111111-eu-west-1');
    expect(annotations(state)['idpkit.dev/terraform-stack']).toBe('bootstrap-idpkit-state-111111111111-eu-west-1');
    expect(entity(catalog, file, 'dev-state-key').metadata.title).toBe('alias/idpkit/state/idpkit-state-111111111111-eu-west-1');
  });

  test('an environment with local state has no state Resource', () => {
    expect(names(catalog['environments/staging.yaml'], 'Resource').filter((name) => name.startsWith('staging-state'))).toEqual([]);
  });

  test('add-ons: a Component per installed add-on (tenancy is its teams\' Groups), in install order, on the cluster, with chart, version and the Kubernetes plugin\'s annotations', () => {
    for (const env of environments) {
      const file = `environments/${env.name}.yaml`;
      const expected = enabledAddons(env)
        .filter(({ addon }) => addon.key !== 'tenancy')
        .map(({ addon }) => `${env.name}-${addon.key.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`);
      expect(names(catalog[file], 'Component')).toEqual(expected);
      for (const component of catalog[file].filter((e) => e.kind === 'Component')) {
        expect(component.spec).toMatchObject({ type: 'platform-addon', lifecycle: env.tier });
        expect(component.spec.dependsOn).toContain(`resource:default/${env.name}-cluster`);
        expect(annotations(component)).toMatchObject({ 'backstage.io/kubernetes-cluster': env.cluster.name, 'idpkit.dev/terraform-stack': `${env.name}-platform` });
        expect(annotations(component)['backstage.io/kubernetes-label-selector']).toMatch(/^app\.kubernetes\.io\/instance( in \(|=)/);
        expect(component.metadata.labels!['idpkit.dev/capability']).toBe(ADDON_CAPABILITIES[annotations(component)['idpkit.dev/addon']]);
      }
    }
    const certManager = entity(catalog, 'environments/dev.yaml', 'dev-cert-manager');
    expect(certManager.metadata.labels).toMatchObject({ 'idpkit.dev/chart': CHARTS.certManager.chart, 'idpkit.dev/chart-version': CHARTS.certManager.version, 'idpkit.dev/namespace': 'cert-manager' });
    expect(annotations(certManager)).toMatchObject({
      'backstage.io/kubernetes-namespace': 'cert-manager',
      'backstage.io/kubernetes-label-selector': 'app.kubernetes.io/instance=cert-manager',
      'idpkit.dev/helm-charts': `cert-manager ${CHARTS.certManager.version} (${CHARTS.certManager.repository})`,
      'idpkit.dev/helm-releases': 'cert-manager/cert-manager',
    });
  });

  test('add-on dependencies: the add-ons its releases wait for, the resources made for it, the infra resources it reads', () => {
    const dev = 'environments/dev.yaml';
    expect(entity(catalog, dev, 'dev-metrics-server').spec.dependsOn).toEqual(['component:default/dev-karpenter', 'component:default/dev-kube-prometheus-stack', 'resource:default/dev-cluster']);
    expect(entity(catalog, dev, 'dev-vault').spec.dependsOn).toContain('resource:default/dev-addon-vault-unseal-key');
    expect(entity(catalog, 'environments/prod.yaml', 'prod-loki').spec.dependsOn).toEqual(
      expect.arrayContaining(['resource:default/prod-addon-loki-chunks', 'resource:default/prod-addon-loki-ruler', 'resource:default/prod-cluster']),
    );
    expect(entity(catalog, 'environments/prod.yaml', 'prod-addon-loki-chunks').spec).toMatchObject({ type: 'storage-bucket', dependsOn: ['resource:default/prod-addon-loki-chunks-key'] });
  });

  test('Argo CD: the System names the root Application Argo CD syncs the environment directory with', () => {
    expect(annotations(entity(catalog, 'environments/dev.yaml', 'dev'))['argocd/app-name']).toBe('root');
    // Argo CD deploys no add-on (Terraform's Helm provider does): no Component claims an Argo CD app.
    for (const e of Object.values(catalog).flat().filter((candidate) => candidate.kind !== 'System')) expect(annotations(e)['argocd/app-name']).toBeUndefined();
  });

  test('Azure: AKS, the VNet, ACR, Key Vault and its keys, the PostgreSQL server, storage and the state, with portal links', () => {
    const file = 'environments/azure-prod.yaml';
    const env = validateEnvironments([azureProd])[0] as Extract<Environment, { cloud: 'azure' }>;
    const portal = `https://portal.azure.com/#@${env.azure.tenantId}/resource/subscriptions/${env.azure.subscriptionId}/resourceGroups/${azureResourceGroupName(env)}/providers`;
    const cluster = entity(catalog, file, 'azure-prod-cluster');
    expect(cluster.metadata.links![0].url).toBe(`${portal}/Microsoft.ContainerService/managedClusters/idp-azure-prod/overview`);
    expect(cluster.spec.dependsOn).toEqual(['resource:default/azure-prod-key-vault-aks-disks-key', 'resource:default/azure-prod-key-vault-aks-secrets-key', 'resource:default/azure-prod-network']);
    expect(entity(catalog, file, 'azure-prod-network').metadata.links![0].url).toBe(`${portal}/Microsoft.Network/virtualNetworks/vnet-azure-prod/overview`);
    expect(entity(catalog, file, 'azure-prod-registry').spec).toMatchObject({ type: 'container-registry' });
    expect(entity(catalog, file, 'azure-prod-key-vault-aks-secrets-key').spec).toMatchObject({ type: 'encryption-key', dependsOn: ['resource:default/azure-prod-key-vault'] });
    expect(entity(catalog, file, 'azure-prod-database-platform').spec.dependsOn).toContain('resource:default/azure-prod-network');
    expect(entity(catalog, file, 'azure-prod-addon-storage-addon-loki-chunks').spec).toMatchObject({ type: 'storage-bucket', dependsOn: ['resource:default/azure-prod-addon-storage'] });
    const state = entity(catalog, file, 'azure-prod-state');
    expect(state.spec).toMatchObject({ type: 'terraform-state', dependsOn: ['resource:default/azure-prod-state-key'] });
    expect(state.metadata.links![0].url).toContain(`/resourceGroups/${(env.state as { resourceGroupName: string }).resourceGroupName}/providers/Microsoft.Storage/storageAccounts/`);
    expect(names(catalog['environments/azure-dev.yaml'], 'Resource')).toEqual(expect.arrayContaining(['azure-dev-cluster', 'azure-dev-network', 'azure-dev-registry', 'azure-dev-state']));
  });

  test('GCP: GKE, the VPC network, Artifact Registry, Cloud KMS keys, Cloud SQL, buckets and the state, with console links', () => {
    const file = 'environments/gcp-dev.yaml';
    const project = (validateEnvironments([gcpDev])[0] as Extract<Environment, { cloud: 'gcp' }>).gcp.projectId;
    const cluster = entity(catalog, file, 'gcp-dev-cluster');
    expect(cluster.spec.dependsOn).toEqual(['resource:default/gcp-dev-gke-secrets-key', 'resource:default/gcp-dev-network']);
    expect(cluster.metadata.links![0].url).toBe(`https://console.cloud.google.com/kubernetes/clusters/details/europe-west1-b/idp-dev/details?project=${project}`);
    expect(entity(catalog, file, 'gcp-dev-registry').metadata.links![0].url).toBe(`https://console.cloud.google.com/artifacts/docker/${project}/europe-west1/gcp-dev?project=${project}`);
    expect(entity(catalog, file, 'gcp-dev-database-platform').metadata.links![0].url).toBe(`https://console.cloud.google.com/sql/instances/gcp-dev-platform/overview?project=${project}`);
    expect(entity(catalog, file, 'gcp-dev-addon-loki-chunks').spec.dependsOn).toEqual(['resource:default/gcp-dev-addon-loki-chunks-key']);
    expect(entity(catalog, file, 'gcp-dev-state').spec).toMatchObject({ type: 'terraform-state', dependsOn: ['resource:default/gcp-dev-state-key'] });
  });

  test('every row of the resource tables matches what synthesis writes (no stale row)', () => {
    const resources = Object.values(catalog).flat().filter((e) => e.kind === 'Resource');
    for (const cloud of CLOUDS) {
      for (const rule of CATALOG_RESOURCE_RULES[cloud]) {
        const bootstrap = rule.stack === 'state';
        const match = resources.find(
          (e) =>
            annotations(e)['idpkit.dev/cloud'] === cloud &&
            e.spec.type === rule.type &&
            annotations(e)['idpkit.dev/terraform-address'].startsWith(`${rule.terraformType}.`) &&
            annotations(e)['idpkit.dev/terraform-stack'].startsWith('bootstrap-') === bootstrap,
        );
        expect({ cloud, rule: `${rule.stack} ${rule.terraformType}`, found: match !== undefined }).toEqual({ cloud, rule: `${rule.stack} ${rule.terraformType}`, found: true });
      }
    }
  });

  test('deterministic: the catalog read again from the published stacks is byte-identical to what synthesis wrote', () => {
    // Synthesized Terraform JSON is byte-stable across runs (test/stacks/app.test.ts), so this covers two syntheses.
    const files = platformCatalogFiles({ environments, dir: outdir });
    const [entityFiles, templateFiles] = [false, true].map((template) => Object.fromEntries(Object.entries(files).filter(([path]) => path.startsWith('templates/') === template)));
    expect(entityFiles).toEqual(texts);
    expect(Object.keys(templateFiles).length).toBeGreaterThan(0);
    for (const [path, text] of Object.entries(templateFiles)) expect({ path, same: readFileSync(join(outdir, 'catalog', path), 'utf8') === text }).toEqual({ path, same: true });
  });
});

describe('synthesis and the catalog folder', () => {
  const defaults = environmentSets.default;

  test('synthesizing a selection replaces its environment file and keeps the others; all.yaml lists every environment and every golden path', () => {
    const outdir = join(tempDir(), 'out');
    mkdirSync(join(outdir, 'catalog', 'environments'), { recursive: true });
    writeFileSync(join(outdir, 'catalog', 'environments', 'dev.yaml'), 'kept\n');
    writeFileSync(join(outdir, 'catalog', 'environments', 'prod.yaml'), 'replaced\n');
    synthesizePlatform({ environments: defaults, outdir, only: ['prod'] });
    const [location] = readCatalog(outdir)['all.yaml'];
    expect(location.spec.targets).toEqual([
      './platform.yaml',
      './environments/dev.yaml',
      './environments/staging.yaml',
      './environments/prod.yaml',
      './templates/go-api/template.yaml',
      './templates/node-service/template.yaml',
      './templates/python-service/template.yaml',
    ]);
    for (const name of ['go-api', 'node-service', 'python-service']) expect(existsSync(join(outdir, 'catalog', 'templates', name, 'template.yaml'))).toBe(true);
    expect(readFileSync(join(outdir, 'catalog', 'environments', 'dev.yaml'), 'utf8')).toBe('kept\n');
    expect(readFileSync(join(outdir, 'catalog', 'environments', 'prod.yaml'), 'utf8')).toContain('name: prod-cluster');
    expect(existsSync(join(outdir, 'catalog', 'environments', 'staging.yaml'))).toBe(false);
  });

  test('the catalog is written before the synthesis checks (so the secret scanner reads it) and not published when one fails', () => {
    const checks = SYNTHESIS_CHECKS as SynthesisCheck[];
    const seen: string[] = [];
    const failing: SynthesisCheck = (dir) => {
      seen.push(...readdirSync(join(dir, 'catalog')).sort());
      throw new Error('check failed');
    };
    checks.unshift(failing);
    const outdir = join(tempDir(), 'out');
    try {
      expect(() => synthesizePlatform({ environments: defaults, outdir, only: ['dev'] })).toThrow('check failed');
    } finally {
      checks.splice(checks.indexOf(failing), 1);
    }
    expect(seen).toEqual(['all.yaml', 'environments', 'platform.yaml', 'templates']);
    expect(existsSync(join(outdir, 'catalog'))).toBe(false);
  });

});

describe('the catalog of every preset (IDPKIT_ENVIRONMENT_SET=presets)', () => {
  let catalog: Record<string, Entity[]>;
  let texts: Record<string, string>;
  let environments: Environment[];
  beforeAll(() => {
    const outdir = synthesizedSet('presets');
    catalog = readCatalog(outdir);
    texts = catalogTexts(outdir);
    environments = validateEnvironments(environmentSets.presets);
  });

  test('every entity passes Backstage\'s validation, every relation resolves, no Terraform expression', async () => {
    expect(await entityProblems(Object.values(catalog).flat())).toEqual([]);
    expect(catalogProblems(catalog)).toEqual([]);
    expect(Object.entries(texts).filter(([, text]) => text.includes('${')).map(([file]) => file)).toEqual([]);
  });

  const presets = SIZES.flatMap((size) => CLOUDS.flatMap((cloud) => TIERS.map((tier) => `${size}-${cloud}-${tier}`)));
  test.each(presets)('%s: a System with its cluster, network, registry, keys, database and state, and a Component per installed add-on', (name) => {
    const file = `environments/${name}.yaml`;
    const env = environments.find((candidate) => candidate.name === name)!;
    const entities = catalog[file];
    expect(names(entities, 'System')).toEqual([name]);
    const types = new Set(entities.filter((e) => e.kind === 'Resource').map((e) => e.spec.type));
    for (const type of ['kubernetes-cluster', 'network', 'container-registry', 'encryption-key', 'database', 'terraform-state']) expect({ name, type, found: types.has(type) }).toEqual({ name, type, found: true });
    expect(entity(catalog, file, `${name}-cluster`).spec.dependsOn).toContain(`resource:default/${name}-network`);
    expect(names(entities, 'Component')).toHaveLength(enabledAddons(env).filter(({ addon }) => addon.key !== 'tenancy').length);
  });
});

describe('the tables the catalog reads add-ons through', () => {
  test('every add-on has a capability, and every chart idpkit pins belongs to an add-on', () => {
    expect(Object.keys(ADDON_CAPABILITIES).sort()).toEqual(ADDONS.map((addon) => addon.key).sort());
    const keys = new Set(ADDONS.map((addon) => addon.key));
    for (const [name, ref] of Object.entries(CHARTS) as [ChartName, (typeof CHARTS)[ChartName]][]) {
      expect({ chart: name, addon: keys.has(addonOfChart(ref.repository, ref.chart) ?? '') }).toEqual({ chart: name, addon: true });
    }
    expect(Object.values(CHART_ADDONS).every((key) => keys.has(key!))).toBe(true);
    expect(addonOfChart('https://example.com/charts', 'unknown')).toBeUndefined();
  });
});
