/**
 * The platform as Backstage catalog entities: a pure function from a platform model (plain data:
 * environments with their resources and add-ons, owners, teams) to the files of the published
 * catalog folder, and the check that every relation points at an entity of the catalog.
 *
 * ```
 * all.yaml                 Location "idpkit-platform": platform.yaml, environments/<env>.yaml, templates/<name>/template.yaml
 * platform.yaml            Domain "platform" and a Group per environment owner and tenancy team
 * environments/<env>.yaml  System "<env>", its Resources and its add-ons' Components
 * ```
 */
import { IdpkitError, describeValue } from '../../core/errors';
import { toYaml } from '../../core/yaml';
import {
  CatalogEntity,
  ComponentEntity,
  DEFAULT_ENTITY_NAMESPACE,
  EntityLink,
  GroupEntity,
  LocationEntity,
  ResourceEntity,
  componentEntity,
  domainEntity,
  entityRef,
  groupEntity,
  isEntityLabelValue,
  isEntityName,
  ENTITY_NAME_RULE,
  locationEntity,
  parseEntityRef,
  resourceEntity,
  systemEntity,
  toEntityName,
} from './entities';

/** The Domain every environment's System belongs to. */
export const PLATFORM_DOMAIN = 'platform';

/** The Location entity of `all.yaml`, the one file Backstage is pointed at. */
export const PLATFORM_LOCATION = 'idpkit-platform';

/** The folder of the catalog folder that holds one file per environment. */
export const CATALOG_ENVIRONMENTS = 'environments';

/** Paths of the catalog folder, relative to it. */
export const CATALOG_FILES = {
  /** The Location of everything. */
  all: 'all.yaml',
  /** The Domain and the Groups. */
  platform: 'platform.yaml',
  /** One environment's System, Resources and Components. */
  environment: (env: string) => `${CATALOG_ENVIRONMENTS}/${env}.yaml`,
  /** A golden-path template (written by the golden paths, targeted by `all.yaml`). */
  template: (name: string) => `templates/${name}/template.yaml`,
} as const;

/** `spec.type` of add-on Components. */
export const ADDON_COMPONENT_TYPE = 'platform-addon';

/** `spec.type` of every Group idpkit writes. */
export const GROUP_TYPE = 'team';

/** Annotation keys idpkit sets, and the label keys of add-on Components (capability, chart, chartVersion, namespace): besides the ones Backstage's plugins read. */
export const IDPKIT_ENTITY_KEYS = {
  costCenter: 'idpkit.dev/cost-center',
  terraformStack: 'idpkit.dev/terraform-stack',
  terraformAddress: 'idpkit.dev/terraform-address',
  cloud: 'idpkit.dev/cloud',
  region: 'idpkit.dev/region',
  tier: 'idpkit.dev/tier',
  addon: 'idpkit.dev/addon',
  capability: 'idpkit.dev/capability',
  chart: 'idpkit.dev/chart',
  chartVersion: 'idpkit.dev/chart-version',
  helmCharts: 'idpkit.dev/helm-charts',
  helmReleases: 'idpkit.dev/helm-releases',
  namespace: 'idpkit.dev/namespace',
} as const;

/** The label that carries the cost center (when it is a valid label value). */
export const CATALOG_COST_CENTER_LABEL = 'cost-center';

/** Annotations Backstage's plugins read. */
export const PLUGIN_ANNOTATIONS = {
  /** The Kubernetes plugin: one cluster, by the name Backstage's `kubernetes` config gives it. */
  kubernetesCluster: 'backstage.io/kubernetes-cluster',
  kubernetesNamespace: 'backstage.io/kubernetes-namespace',
  kubernetesLabelSelector: 'backstage.io/kubernetes-label-selector',
  /** The Argo CD plugin: the Application whose status the entity shows. */
  argoCdAppName: 'argocd/app-name',
  sourceLocation: 'backstage.io/source-location',
  githubProjectSlug: 'github.com/project-slug',
} as const;

/** The Helm label every chart idpkit installs puts on its objects: the release name. */
export const HELM_INSTANCE_LABEL = 'app.kubernetes.io/instance';

/** A tenancy team: its Group, and the namespace it gets in each environment that lists it. */
export interface CatalogTeam {
  /** The team's name: its namespace's name. */
  readonly name: string;
  /** The team's cost center. @default - none */
  readonly costCenter?: string;
}

/** A GitHub repository. */
export interface CatalogRepository {
  readonly owner: string;
  readonly repo: string;
  /** The branch its source location points at. */
  readonly branch: string;
}

/** Where a catalog entity comes from in the synthesized Terraform. */
export interface TerraformOrigin {
  /** The stack, e.g. `dev-infra`. */
  readonly stack: string;
  /** Resource addresses (`type.name`), e.g. `aws_eks_cluster.cluster_A4C38409`. */
  readonly addresses: readonly string[];
}

/** A cloud resource of an environment: a Resource entity `<env>-<id>`. */
export interface CatalogResource {
  /** Its name within the environment: the entity is `<env>-<id>` (made a valid entity name). */
  readonly id: string;
  /** `spec.type`, e.g. `kubernetes-cluster`, `database`. */
  readonly type: string;
  /** The cloud's name of it, shown as the title. */
  readonly title: string;
  /** One sentence. */
  readonly description: string;
  /** Ids of the environment's resources it depends on. @default [] */
  readonly dependsOn?: readonly string[];
  /** Where it is in the Terraform. */
  readonly terraform: TerraformOrigin;
  /** Cloud console links. @default [] */
  readonly links?: readonly EntityLink[];
}

/** One Helm release of an add-on, as synthesized. */
export interface CatalogRelease {
  /** Release name. */
  readonly name: string;
  /** Namespace of the release. */
  readonly namespace: string;
  /** Chart name. */
  readonly chart: string;
  /** Chart version. */
  readonly version: string;
  /** Chart repository (https or oci). */
  readonly repository: string;
  /** The release's Terraform address. */
  readonly address: string;
}

/** An installed add-on: a Component `<env>-<key in kebab case>`. */
export interface CatalogAddon {
  /** The add-on's key, e.g. `certManager`. */
  readonly key: string;
  /** What it is called, e.g. `cert-manager`. */
  readonly title: string;
  /** One sentence. */
  readonly description: string;
  /** What it gives the platform, e.g. `tls`, `observability` (a label value). */
  readonly capability: string;
  /** Its Helm releases (at least one), in Terraform address order. */
  readonly releases: readonly CatalogRelease[];
  /** The stack that installs it, e.g. `dev-platform`. */
  readonly stack: string;
  /** Keys of the add-ons installed before it that it waits for. @default [] */
  readonly dependsOnAddons?: readonly string[];
  /** Ids of the environment's resources it uses (besides the cluster it runs in). @default [] */
  readonly dependsOnResources?: readonly string[];
}

/** What an environment runs, read from its synthesized stacks. */
export interface CatalogInventory {
  /** Cloud resources; the cluster's id is `cluster` (the Resource `<env>-cluster` add-ons run in). */
  readonly resources: readonly CatalogResource[];
  /** Installed add-ons, in install order. */
  readonly addons: readonly CatalogAddon[];
  /** The cluster's name in Backstage's Kubernetes config (the cloud's cluster name). */
  readonly clusterName: string;
  /** The Argo CD Application that deploys the environment's GitOps directory. @default - none */
  readonly argoCdApplication?: string;
}

/** One environment of the platform. */
export interface CatalogEnvironment {
  /** Environment name: the System's name. */
  readonly name: string;
  /** One sentence. */
  readonly description: string;
  /** The owning team, as written in the environment (`owner`). */
  readonly owner: string;
  /** Cost center (`costCenter`). */
  readonly costCenter: string;
  /** Tier, e.g. `prod`: the Components' lifecycle. */
  readonly tier: string;
  /** Cloud, e.g. `aws`. */
  readonly cloud: string;
  /** Region or location. */
  readonly region: string;
  /** Tenancy teams. @default [] */
  readonly teams?: readonly CatalogTeam[];
  /** The repository that defines and deploys it (`ci.github`). @default - none */
  readonly repository?: CatalogRepository;
  /** What it runs; without it, no `environments/<env>.yaml` is rendered. @default - none */
  readonly inventory?: CatalogInventory;
}

/** The platform: every environment of the set, in config order, and the golden paths. */
export interface CatalogPlatform {
  readonly environments: readonly CatalogEnvironment[];
  /** Golden-path template names; `all.yaml` targets `./templates/<name>/template.yaml` for each. @default [] */
  readonly templates?: readonly string[];
}

/** The entities of each file of the catalog folder, by path. */
export type CatalogDocuments = Readonly<Record<string, readonly CatalogEntity[]>>;

/** A Group's name for an owner or team as written in an environment. */
export const groupName = (owner: string): string => toEntityName(owner);

/** The Resource entity name of an environment's resource id. */
export const resourceName = (env: string, id: string): string => toEntityName(`${env}-${id}`);

/** An add-on key in kebab case: `kubePrometheusStack` -> `kube-prometheus-stack`. */
export const kebabCase = (key: string): string => key.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/** The Component entity name of an environment's add-on. */
export const addonComponentName = (env: string, key: string): string => toEntityName(`${env}-${kebabCase(key)}`);

/** Code-point order, the same in every locale. */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const groupRef = (owner: string) => entityRef('Group', groupName(owner));

/** A tag (`[a-z0-9+#]` runs separated by `-`) for a word, or undefined when it has none. */
function tagOf(word: string): string | undefined {
  const tag = word
    .toLowerCase()
    .replace(/[^a-z0-9+#]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return tag === '' ? undefined : tag;
}
const tagsOf = (...words: string[]): string[] => [...new Set(words.flatMap((word) => tagOf(word) ?? []))];

/** The cost center as an annotation, and as a label when Backstage accepts it as one. */
function costCenterMetadata(costCenter: string | undefined): { labels: Record<string, string>; annotations: Record<string, string> } {
  if (costCenter === undefined) return { labels: {}, annotations: {} };
  return {
    labels: isEntityLabelValue(costCenter) ? { [CATALOG_COST_CENTER_LABEL]: costCenter } : {},
    annotations: { [IDPKIT_ENTITY_KEYS.costCenter]: costCenter },
  };
}

/** Annotations every entity of an environment carries: cost center, tier, source location. */
function environmentAnnotations(env: CatalogEnvironment): Record<string, string> {
  const repository = env.repository;
  return {
    ...costCenterMetadata(env.costCenter).annotations,
    [IDPKIT_ENTITY_KEYS.cloud]: env.cloud,
    [IDPKIT_ENTITY_KEYS.region]: env.region,
    [IDPKIT_ENTITY_KEYS.tier]: env.tier,
    ...(repository
      ? {
          [PLUGIN_ANNOTATIONS.sourceLocation]: `url:https://github.com/${repository.owner}/${repository.repo}/tree/${repository.branch}/`,
          [PLUGIN_ANNOTATIONS.githubProjectSlug]: `${repository.owner}/${repository.repo}`,
        }
      : {}),
  };
}

const terraformAnnotations = (origin: TerraformOrigin): Record<string, string> => ({
  [IDPKIT_ENTITY_KEYS.terraformStack]: origin.stack,
  [IDPKIT_ENTITY_KEYS.terraformAddress]: [...origin.addresses].sort().join(','),
});

/** The add-on's Kubernetes plugin annotations: its releases' objects by the Helm instance label, in their namespace. */
function kubernetesAnnotations(addon: CatalogAddon, clusterName: string): Record<string, string> {
  const releases = [...new Set(addon.releases.map((release) => release.name))].sort();
  const namespaces = [...new Set(addon.releases.map((release) => release.namespace))].sort();
  return {
    [PLUGIN_ANNOTATIONS.kubernetesCluster]: clusterName,
    [PLUGIN_ANNOTATIONS.kubernetesLabelSelector]: releases.length === 1 ? `${HELM_INSTANCE_LABEL}=${releases[0]}` : `${HELM_INSTANCE_LABEL} in (${releases.join(',')})`,
    ...(namespaces.length === 1 ? { [PLUGIN_ANNOTATIONS.kubernetesNamespace]: namespaces[0] } : {}),
  };
}

/** The one value all releases share, if they share one. */
function shared(values: readonly string[]): string | undefined {
  const distinct = [...new Set(values)];
  return distinct.length === 1 ? distinct[0] : undefined;
}

/** An add-on's labels: capability, and chart, version and namespace when its releases share them and they are label values. */
function addonLabels(addon: CatalogAddon): Record<string, string> {
  const candidates: Record<string, string | undefined> = {
    [IDPKIT_ENTITY_KEYS.capability]: addon.capability,
    [IDPKIT_ENTITY_KEYS.chart]: shared(addon.releases.map((release) => release.chart)),
    [IDPKIT_ENTITY_KEYS.chartVersion]: shared(addon.releases.map((release) => release.version)),
    [IDPKIT_ENTITY_KEYS.namespace]: shared(addon.releases.map((release) => release.namespace)),
  };
  return Object.fromEntries(Object.entries(candidates).filter((entry): entry is [string, string] => entry[1] !== undefined && isEntityLabelValue(entry[1])));
}

/** The entities of one environment's file: its System, then its Resources by name, then its Components in install order. */
export function environmentEntities(env: CatalogEnvironment, inventory: CatalogInventory): CatalogEntity[] {
  const owner = groupRef(env.owner);
  const system = entityRef('System', env.name);
  const common = environmentAnnotations(env);
  const costLabels = costCenterMetadata(env.costCenter).labels;
  const resourceRef = (id: string) => entityRef('Resource', resourceName(env.name, id));
  const resources: ResourceEntity[] = inventory.resources
    .map((resource) =>
      resourceEntity(
        {
          name: resourceName(env.name, resource.id),
          title: resource.title,
          description: resource.description,
          labels: costLabels,
          annotations: { ...common, ...terraformAnnotations(resource.terraform) },
          tags: tagsOf(env.cloud, resource.type),
          links: resource.links,
        },
        { type: resource.type, owner, system, dependsOn: (resource.dependsOn ?? []).map(resourceRef) },
      ),
    )
    .sort((a, b) => byText(a.metadata.name, b.metadata.name));
  const cluster = resourceRef('cluster');
  const components: ComponentEntity[] = inventory.addons.map((addon) => {
    const charts = [...new Set(addon.releases.map((release) => `${release.chart} ${release.version} (${release.repository})`))].sort();
    return componentEntity(
      {
        name: addonComponentName(env.name, addon.key),
        title: addon.title,
        description: addon.description,
        labels: { ...costLabels, ...addonLabels(addon) },
        annotations: {
          ...common,
          ...terraformAnnotations({ stack: addon.stack, addresses: addon.releases.map((release) => release.address) }),
          ...kubernetesAnnotations(addon, inventory.clusterName),
          [IDPKIT_ENTITY_KEYS.addon]: addon.key,
          [IDPKIT_ENTITY_KEYS.helmCharts]: charts.join(', '),
          [IDPKIT_ENTITY_KEYS.helmReleases]: addon.releases.map((release) => `${release.namespace}/${release.name}`).join(', '),
        },
        tags: tagsOf(env.cloud, addon.capability, 'helm'),
      },
      {
        type: ADDON_COMPONENT_TYPE,
        lifecycle: env.tier,
        owner,
        system,
        dependsOn: [
          cluster,
          ...(addon.dependsOnAddons ?? []).map((key) => entityRef('Component', addonComponentName(env.name, key))),
          ...(addon.dependsOnResources ?? []).map(resourceRef),
        ],
      },
    );
  });
  const systemEntry = systemEntity(
    {
      name: env.name,
      title: env.name,
      description: env.description,
      labels: costLabels,
      annotations: { ...common, ...(inventory.argoCdApplication ? { [PLUGIN_ANNOTATIONS.argoCdAppName]: inventory.argoCdApplication } : {}) },
      tags: tagsOf(env.cloud, env.tier),
    },
    { owner, domain: entityRef('Domain', PLATFORM_DOMAIN), type: 'environment' },
  );
  return [systemEntry, ...resources, ...components];
}

/** The Domain and the Groups: every environment's owner and every tenancy team, by name. */
export function platformEntities(platform: CatalogPlatform): CatalogEntity[] {
  const first = platform.environments[0];
  if (!first) throw new IdpkitError('IDPKIT_INVALID_CATALOG', ['the platform has no environment: the catalog needs at least one (its owner owns the platform Domain)']);
  const groups = new Map<string, { title: string; owns: string[]; teamIn: string[]; costCenters: Set<string | undefined> }>();
  const groupOf = (written: string) => {
    const name = groupName(written);
    const group = groups.get(name) ?? { title: written, owns: [], teamIn: [], costCenters: new Set<string | undefined>() };
    groups.set(name, group);
    return group;
  };
  for (const env of platform.environments) {
    groupOf(env.owner).owns.push(env.name);
    for (const team of env.teams ?? []) {
      const group = groupOf(team.name);
      group.teamIn.push(env.name);
      group.costCenters.add(team.costCenter);
    }
  }
  const groupEntities: GroupEntity[] = [...groups]
    .sort(([a], [b]) => byText(a, b))
    .map(([name, group]) => {
      const what = [
        group.owns.length > 0 ? `owns environment${group.owns.length > 1 ? 's' : ''} ${group.owns.join(', ')}` : undefined,
        group.teamIn.length > 0 ? `has namespace ${name} in ${group.teamIn.join(', ')} (tenancy team)` : undefined,
      ].filter(Boolean);
      const costCenter = group.teamIn.length > 0 && group.costCenters.size === 1 ? [...group.costCenters][0] : undefined;
      const cost = costCenterMetadata(costCenter);
      return groupEntity(
        {
          name,
          title: group.title,
          description: `${group.title} ${what.join('; ')}.`,
          labels: cost.labels,
          annotations: { ...cost.annotations, ...(group.teamIn.length > 0 ? { [IDPKIT_ENTITY_KEYS.namespace]: name } : {}) },
        },
        { type: GROUP_TYPE, children: [] },
      );
    });
  const domain = domainEntity(
    {
      name: PLATFORM_DOMAIN,
      title: 'Platform',
      description: `The Internal Developer Platform idpkit builds: one system per environment (${platform.environments.map((env) => env.name).join(', ')}).`,
      tags: tagsOf('idpkit'),
    },
    { owner: groupRef(first.owner) },
  );
  return [domain, ...groupEntities];
}

/** The Location of `all.yaml`: the platform file, every environment's file in config order, every golden path. */
export function platformLocation(platform: CatalogPlatform): LocationEntity {
  return locationEntity(
    {
      name: PLATFORM_LOCATION,
      title: 'idpkit platform',
      description: 'Everything idpkit synthesized: the platform Domain and its Groups, a System per environment, the golden-path templates.',
    },
    [
      `./${CATALOG_FILES.platform}`,
      ...platform.environments.map((env) => `./${CATALOG_FILES.environment(env.name)}`),
      ...(platform.templates ?? []).map((name) => `./${CATALOG_FILES.template(name)}`),
    ],
  );
}

/**
 * The entities of the catalog folder, by file: `all.yaml`, `platform.yaml`, and
 * `environments/<env>.yaml` for each environment with an inventory. Checked with
 * {@link assertCatalogValid}.
 */
export function catalogDocuments(platform: CatalogPlatform): CatalogDocuments {
  const documents: Record<string, readonly CatalogEntity[]> = {
    [CATALOG_FILES.all]: [platformLocation(platform)],
    [CATALOG_FILES.platform]: platformEntities(platform),
  };
  for (const env of platform.environments) {
    if (env.inventory) documents[CATALOG_FILES.environment(env.name)] = environmentEntities(env, env.inventory);
  }
  assertCatalogValid(documents);
  return documents;
}

/** Entities as one multi-document YAML file (`---` between documents, keys sorted). */
export function renderEntities(entities: readonly CatalogEntity[]): string {
  return entities.map((entity) => toYaml(entity)).join('---\n');
}

/** Documents as the catalog folder's files (path relative to it -> YAML), in path order. */
export function renderCatalogFiles(documents: CatalogDocuments): Record<string, string> {
  return Object.fromEntries(Object.keys(documents).sort(byText).map((path) => [path, renderEntities(documents[path])]));
}

/** The catalog folder's files (path relative to it -> YAML), from {@link catalogDocuments}. */
export const catalogFiles = (platform: CatalogPlatform): Record<string, string> => renderCatalogFiles(catalogDocuments(platform));

/** The relation fields of a spec, with the kind a reference without one defaults to (Backstage's). */
const RELATION_FIELDS: readonly { readonly field: string; readonly defaultKind?: string }[] = [
  { field: 'owner', defaultKind: 'group' },
  { field: 'domain', defaultKind: 'domain' },
  { field: 'subdomainOf', defaultKind: 'domain' },
  { field: 'system', defaultKind: 'system' },
  { field: 'subcomponentOf', defaultKind: 'component' },
  { field: 'dependsOn' },
  { field: 'dependencyOf' },
  { field: 'parent', defaultKind: 'group' },
  { field: 'children', defaultKind: 'group' },
  { field: 'members', defaultKind: 'user' },
];

/** A reference's key as Backstage compares them: case-insensitive. */
const refKey = (kind: string, namespace: string, name: string) => `${kind}:${namespace}/${name}`.toLowerCase();

/**
 * What would keep the catalog from loading as one: names Backstage refuses, two entities of one
 * kind with the same name (Backstage compares names case-insensitively), and relations (owner,
 * domain, system, dependsOn, dependencyOf, subcomponentOf, parent, children, members) that name
 * no entity of the catalog. Each problem names the file, the entity and the field.
 */
export function catalogProblems(documents: CatalogDocuments): string[] {
  const problems: string[] = [];
  const known = new Map<string, string>();
  for (const [file, entities] of Object.entries(documents)) {
    for (const entity of entities) {
      const name = entity.metadata.name;
      if (!isEntityName(name)) problems.push(`${file}: ${entity.kind} ${describeValue(name)} is not an entity name (${ENTITY_NAME_RULE})`);
      const key = refKey(entity.kind.toLowerCase(), DEFAULT_ENTITY_NAMESPACE, name);
      const earlier = known.get(key);
      if (earlier) problems.push(`${file}: ${entity.kind} ${describeValue(name)} is also defined in ${earlier} (Backstage compares names case-insensitively: give each its own name)`);
      else known.set(key, file);
    }
  }
  for (const [file, entities] of Object.entries(documents)) {
    for (const entity of entities) {
      const spec = entity.spec as unknown as Record<string, unknown>;
      for (const { field, defaultKind } of RELATION_FIELDS) {
        const value = spec[field];
        const refs = value === undefined ? [] : Array.isArray(value) ? (value as unknown[]) : [value];
        for (const ref of refs) {
          const at = `${file}: ${entity.kind} "${entity.metadata.name}" spec.${field} ${describeValue(ref)}`;
          const parsed = typeof ref === 'string' ? parseEntityRef(ref, defaultKind) : undefined;
          if (!parsed) problems.push(`${at} is not an entity reference (expected kind:namespace/name)`);
          else if (!known.has(refKey(parsed.kind, parsed.namespace, parsed.name))) {
            problems.push(`${at} names no entity of the catalog (define ${parsed.kind}:${parsed.namespace}/${parsed.name}, or remove the relation)`);
          }
        }
      }
    }
  }
  return problems;
}

/** Throws an {@link IdpkitError} (IDPKIT_INVALID_CATALOG) listing every {@link catalogProblems} finding. */
export function assertCatalogValid(documents: CatalogDocuments): void {
  const problems = catalogProblems(documents);
  if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_CATALOG', problems);
}
