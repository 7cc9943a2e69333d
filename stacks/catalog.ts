/**
 * The platform's Backstage catalog, read from what synthesis wrote: each environment's cloud
 * resources from its `<env>-infra` stack and its state's bootstrap stack (through one table per
 * cloud, {@link CATALOG_RESOURCE_RULES}), its add-ons from the Helm releases of `<env>-platform`,
 * and their relations from the Terraform references between them. The entities themselves are
 * made by constructs/interface/catalog (pure).
 *
 * Decisions:
 * - A resource's entity is named after the construct that holds it (`<env>-database-platform`,
 *   `<env>-cluster-secrets-key`): construct ids are stable (they are Terraform addresses), and the
 *   same on every cloud. Its title is the cloud's own name. What an environment has one of has a
 *   fixed name: `<env>-cluster`, `<env>-network`, `<env>-registry` (Azure, GCP), `<env>-state`.
 * - Terraform state is one Resource per environment (`<env>-state`, in its own file), though
 *   environments may share the bucket: each environment's stacks have their own state objects, and
 *   each environment's file stays complete when only some environments are synthesized.
 * - `dependsOn` comes from Terraform: a resource depends on what the resources of its construct
 *   reference (the cluster's node groups reference the network's subnets, the database its key);
 *   an add-on depends on the cluster, the add-ons whose releases its releases wait for, the
 *   resources made for it (`addon-<key>` constructs) and the infra resources its releases read.
 * - idpkit's own manifests releases (ClusterIssuers, secret stores, node pools, the root
 *   Application, ...) are no entities: they are no chart with a version but objects an add-on
 *   needs, and their objects show under the add-on's namespace. The one read from them is the Argo
 *   CD Application the System annotates.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CHARTS, ChartName } from '../constructs/core/charts';
import type { Cloud } from '../constructs/core/clouds';
import { IdpkitError } from '../constructs/core/errors';
import { parseYamlOnce } from '../constructs/core/yaml';
import type { EntityLink } from '../constructs/interface/catalog/entities';
import {
  CatalogAddon,
  CatalogDocuments,
  CatalogEnvironment,
  CatalogInventory,
  CatalogPlatform,
  CatalogRelease,
  CatalogResource,
  catalogDocuments,
  catalogFiles,
  kebabCase,
} from '../constructs/interface/catalog/platform';
import { Environment, EnvironmentOn, azureResourceGroupName, placementOf, stateLocationOf } from '../environments/types';
import { infraStackName } from './infra-stack';
import { platformStackName } from './platform-stack';
import { goldenPathFilesOf } from './golden-paths';
import { ADDONS, enabledAddons } from './platform/catalog';
import { stateBootstrapStackName } from './state-bootstrap-stack';

/** The folder of a synthesized directory that holds the catalog (published as is to the GitOps repository's `catalog/`). */
export const CATALOG_DIRECTORY = 'catalog';

/** Which stack of an environment a resource is read from: its infra stack, or its state's bootstrap stack. */
export type CatalogStackRole = 'infra' | 'state';

/** `spec.type` of the Resources idpkit writes. */
export type CatalogResourceType =
  | 'kubernetes-cluster'
  | 'network'
  | 'container-registry'
  | 'encryption-key'
  | 'key-vault'
  | 'database'
  | 'storage-account'
  | 'storage-bucket'
  | 'terraform-state';

/** How one Terraform resource type becomes a Resource entity. */
export interface CatalogResourceRule<E extends Environment = Environment> {
  /** Terraform resource type, e.g. `aws_eks_cluster`. */
  readonly terraformType: string;
  /** The stack it is read from. */
  readonly stack: CatalogStackRole;
  /** The Resource's `spec.type`. */
  readonly type: CatalogResourceType;
  /** What the cloud calls it, for descriptions, e.g. `EKS cluster`. */
  readonly what: string;
  /** The attribute (dotted path) holding its name, e.g. `name`, `tags.Name`; resources whose name is not a literal are left out. */
  readonly nameAttribute: string;
  /** The entity's name after `<env>-`, for what an environment has one of. @default - the path of the construct that holds it */
  readonly id?: string;
  /** Name each resource after its own construct, not the one holding it (several of the type share a construct). @default false */
  readonly ownConstruct?: boolean;
  /** Its cloud console page. @default - no link */
  readonly console?: (name: string, env: E, resource: TerraformResourceBody, stack: CatalogStackRole) => string;
}

/** A Terraform resource body as synthesized. */
export type TerraformResourceBody = Readonly<Record<string, unknown>>;

/** The AWS region of a stack: the state bucket's for the bootstrap stack. */
const awsRegionOf = (env: EnvironmentOn<'aws'>, stack: CatalogStackRole) => (stack === 'state' && env.state.backend === 's3' ? (env.state.region ?? env.aws.region) : env.aws.region);
const awsConsole = (env: EnvironmentOn<'aws'>, stack: CatalogStackRole, service: string, fragment: string) => {
  const region = awsRegionOf(env, stack);
  return `https://${region}.console.aws.amazon.com/${service}/home?region=${region}#${fragment}`;
};

/** An Azure portal resource page: the resource group is the environment's, or the state's for the bootstrap stack. */
const azurePortal = (provider: string) => (name: string, env: EnvironmentOn<'azure'>, _resource: TerraformResourceBody, stack: CatalogStackRole) => {
  const group = stack === 'state' && env.state.backend === 'azurerm' ? env.state.resourceGroupName : azureResourceGroupName(env);
  return `https://portal.azure.com/#@${env.azure.tenantId}/resource/subscriptions/${env.azure.subscriptionId}/resourceGroups/${group}/providers/${provider}/${name}/overview`;
};

const gcpConsole = (path: string, env: EnvironmentOn<'gcp'>) => `https://console.cloud.google.com/${path}?project=${env.gcp.projectId}`;
const locationOf = (resource: TerraformResourceBody, fallback: string) => (typeof resource.location === 'string' && !resource.location.includes('${') ? resource.location : fallback);

/**
 * The Terraform resource types read into Resource entities, per cloud. A type not listed (IAM
 * roles, subnets, log groups, ...) belongs to the entity whose construct holds it.
 */
export const CATALOG_RESOURCE_RULES: { readonly [C in Cloud]: readonly CatalogResourceRule<EnvironmentOn<C>>[] } = {
  aws: [
    { terraformType: 'aws_eks_cluster', stack: 'infra', type: 'kubernetes-cluster', what: 'EKS cluster', nameAttribute: 'name', id: 'cluster', console: (name, env, _r, stack) => awsConsole(env, stack, 'eks', `/clusters/${name}`) },
    { terraformType: 'aws_vpc', stack: 'infra', type: 'network', what: 'VPC', nameAttribute: 'tags.Name', id: 'network', console: (name, env, _r, stack) => awsConsole(env, stack, 'vpcconsole', `vpcs:tag:Name=${name}`) },
    {
      terraformType: 'aws_ecr_repository',
      stack: 'infra',
      type: 'container-registry',
      what: 'ECR repository',
      nameAttribute: 'name',
      ownConstruct: true,
      console: (name, env) => `https://${env.aws.region}.console.aws.amazon.com/ecr/repositories/private/${env.aws.accountId}/${name}?region=${env.aws.region}`,
    },
    { terraformType: 'aws_kms_alias', stack: 'infra', type: 'encryption-key', what: 'KMS key', nameAttribute: 'name' },
    { terraformType: 'aws_db_instance', stack: 'infra', type: 'database', what: 'RDS for PostgreSQL instance', nameAttribute: 'identifier', console: (name, env, _r, stack) => awsConsole(env, stack, 'rds', `database:id=${name}`) },
    { terraformType: 'aws_s3_bucket', stack: 'infra', type: 'storage-bucket', what: 'S3 bucket', nameAttribute: 'bucket', console: (name, env, _r, stack) => `https://s3.console.aws.amazon.com/s3/buckets/${name}?region=${awsRegionOf(env, stack)}` },
    { terraformType: 'aws_s3_bucket', stack: 'state', type: 'terraform-state', what: 'S3 bucket', nameAttribute: 'bucket', id: 'state', console: (name, env, _r, stack) => `https://s3.console.aws.amazon.com/s3/buckets/${name}?region=${awsRegionOf(env, stack)}` },
    { terraformType: 'aws_kms_alias', stack: 'state', type: 'encryption-key', what: 'KMS key', nameAttribute: 'name', id: 'state-key' },
  ],
  azure: [
    { terraformType: 'azurerm_kubernetes_cluster', stack: 'infra', type: 'kubernetes-cluster', what: 'AKS cluster', nameAttribute: 'name', id: 'cluster', console: azurePortal('Microsoft.ContainerService/managedClusters') },
    { terraformType: 'azurerm_virtual_network', stack: 'infra', type: 'network', what: 'virtual network', nameAttribute: 'name', id: 'network', console: azurePortal('Microsoft.Network/virtualNetworks') },
    { terraformType: 'azurerm_container_registry', stack: 'infra', type: 'container-registry', what: 'container registry', nameAttribute: 'name', id: 'registry', console: azurePortal('Microsoft.ContainerRegistry/registries') },
    { terraformType: 'azurerm_key_vault', stack: 'infra', type: 'key-vault', what: 'Key Vault', nameAttribute: 'name', console: azurePortal('Microsoft.KeyVault/vaults') },
    { terraformType: 'azurerm_key_vault_key', stack: 'infra', type: 'encryption-key', what: 'Key Vault key', nameAttribute: 'name' },
    { terraformType: 'azurerm_postgresql_flexible_server', stack: 'infra', type: 'database', what: 'PostgreSQL flexible server', nameAttribute: 'name', console: azurePortal('Microsoft.DBforPostgreSQL/flexibleServers') },
    { terraformType: 'azurerm_storage_account', stack: 'infra', type: 'storage-account', what: 'storage account', nameAttribute: 'name', console: azurePortal('Microsoft.Storage/storageAccounts') },
    { terraformType: 'azurerm_storage_container', stack: 'infra', type: 'storage-bucket', what: 'blob container', nameAttribute: 'name' },
    { terraformType: 'azurerm_storage_account', stack: 'state', type: 'terraform-state', what: 'storage account', nameAttribute: 'name', id: 'state', console: azurePortal('Microsoft.Storage/storageAccounts') },
    { terraformType: 'azurerm_key_vault', stack: 'state', type: 'key-vault', what: 'Key Vault', nameAttribute: 'name', id: 'state-key-vault', console: azurePortal('Microsoft.KeyVault/vaults') },
    { terraformType: 'azurerm_key_vault_key', stack: 'state', type: 'encryption-key', what: 'Key Vault key', nameAttribute: 'name', id: 'state-key' },
  ],
  gcp: [
    {
      terraformType: 'google_container_cluster',
      stack: 'infra',
      type: 'kubernetes-cluster',
      what: 'GKE cluster',
      nameAttribute: 'name',
      id: 'cluster',
      console: (name, env, resource) => gcpConsole(`kubernetes/clusters/details/${locationOf(resource, env.gcp.region)}/${name}/details`, env),
    },
    { terraformType: 'google_compute_network', stack: 'infra', type: 'network', what: 'VPC network', nameAttribute: 'name', id: 'network', console: (name, env) => gcpConsole(`networking/networks/details/${name}`, env) },
    {
      terraformType: 'google_artifact_registry_repository',
      stack: 'infra',
      type: 'container-registry',
      what: 'Artifact Registry repository',
      nameAttribute: 'repository_id',
      id: 'registry',
      console: (name, env, resource) => gcpConsole(`artifacts/docker/${env.gcp.projectId}/${locationOf(resource, env.gcp.region)}/${name}`, env),
    },
    { terraformType: 'google_kms_crypto_key', stack: 'infra', type: 'encryption-key', what: 'Cloud KMS key', nameAttribute: 'name' },
    { terraformType: 'google_sql_database_instance', stack: 'infra', type: 'database', what: 'Cloud SQL for PostgreSQL instance', nameAttribute: 'name', console: (name, env) => gcpConsole(`sql/instances/${name}/overview`, env) },
    { terraformType: 'google_storage_bucket', stack: 'infra', type: 'storage-bucket', what: 'Cloud Storage bucket', nameAttribute: 'name', console: (name, env) => gcpConsole(`storage/browser/${name}`, env) },
    { terraformType: 'google_storage_bucket', stack: 'state', type: 'terraform-state', what: 'Cloud Storage bucket', nameAttribute: 'name', id: 'state', console: (name, env) => gcpConsole(`storage/browser/${name}`, env) },
    { terraformType: 'google_kms_crypto_key', stack: 'state', type: 'encryption-key', what: 'Cloud KMS key', nameAttribute: 'name', id: 'state-key' },
  ],
};

/**
 * What each add-on gives the platform (its `idpkit.dev/capability` label): the folder of its
 * constructs (constructs/capabilities/<capability>, constructs/orchestration/<...>).
 */
export const ADDON_CAPABILITIES: Readonly<Record<string, string>> = {
  externalSecrets: 'secrets',
  certManager: 'tls',
  kubePrometheusStack: 'observability',
  metricsServer: 'autoscaling',
  cilium: 'mesh',
  alloy: 'observability',
  opencost: 'cost',
  falco: 'security',
  trivyOperator: 'security',
  istio: 'mesh',
  awsLoadBalancerController: 'networking',
  karpenter: 'autoscaling',
  kubecost: 'cost',
  vault: 'secrets',
  loki: 'observability',
  tempo: 'observability',
  externalDns: 'networking',
  cloudnativePg: 'database',
  argocd: 'gitops',
  kyverno: 'policy',
  gatekeeper: 'policy',
  crossplane: 'orchestration',
  tekton: 'cicd',
  tenancy: 'tenancy',
  backstage: 'portal',
};

/** Charts ({@link CHARTS} rows) whose add-on key is not the row's own name. */
export const CHART_ADDONS: Readonly<Partial<Record<ChartName, string>>> = {
  argoCd: 'argocd',
  argoRollouts: 'argocd',
  kyvernoPolicies: 'kyverno',
  istioBase: 'istio',
  istiod: 'istio',
  istioGateway: 'istio',
  istioCni: 'istio',
  tektonOperator: 'tekton',
};

/** The add-on that installs a chart (by repository and chart name), or undefined for a chart idpkit does not know. */
export function addonOfChart(repository: string, chart: string): string | undefined {
  const row = (Object.entries(CHARTS) as [ChartName, (typeof CHARTS)[ChartName]][]).find(([, ref]) => ref.repository === repository && ref.chart === chart);
  return row && (CHART_ADDONS[row[0]] ?? row[0]);
}

/** One environment's synthesized stacks the catalog reads. */
export interface EnvironmentStacks {
  readonly infra: TerraformDocument;
  /** @default - none (the environment enables no add-on) */
  readonly platform?: TerraformDocument;
  /** The bootstrap stack of its state. @default - none (local state) */
  readonly state?: TerraformDocument;
}

/** A stack's synthesized Terraform JSON. */
export type TerraformDocument = Readonly<Record<string, unknown>>;

/** A resource of a stack, read. */
interface StackResource {
  readonly address: string;
  readonly type: string;
  /** Construct path inside the stack, e.g. ['cluster', 'secrets-key', 'alias']. */
  readonly path: readonly string[];
  readonly body: TerraformResourceBody;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isLiteral = (value: unknown): value is string => typeof value === 'string' && value !== '' && !value.includes('${');

/** Every resource of a stack, in address order. */
function stackResources(document: TerraformDocument): StackResource[] {
  const byType = isObject(document.resource) ? document.resource : {};
  return Object.entries(byType)
    .flatMap(([type, byName]) =>
      Object.entries(isObject(byName) ? byName : {}).map(([name, body]) => {
        const meta = isObject(body) && isObject(body['//']) && isObject(body['//'].metadata) ? body['//'].metadata : {};
        const path = typeof meta.path === 'string' ? meta.path.split('/').slice(1) : [name];
        return { address: `${type}.${name}`, type, path, body: isObject(body) ? body : {} };
      }),
    )
    .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/** Every string in a value, depth first. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (isObject(value)) return Object.entries(value).flatMap(([key, field]) => (key === '//' ? [] : stringsOf(field)));
  return [];
}

/** A Terraform address (`type.name`) in an expression or a `depends_on` entry. */
const ADDRESS = /(?<![\w.-])([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\.([A-Za-z0-9_-]+)/g;
/** A cross-stack output read from another stack's remote state. */
const REMOTE_OUTPUT = /data\.terraform_remote_state\.[A-Za-z0-9_-]+\.outputs\.([A-Za-z0-9_-]+)/g;

/** The addresses a resource body references, among `known`. */
function referencesOf(body: unknown, known: ReadonlySet<string>): string[] {
  const found = new Set<string>();
  for (const text of stringsOf(body)) {
    for (const match of text.matchAll(ADDRESS)) if (known.has(`${match[1]}.${match[2]}`)) found.add(`${match[1]}.${match[2]}`);
  }
  return [...found];
}

/** The value at a dotted path of a resource body. */
const attributeAt = (body: TerraformResourceBody, path: string): unknown => path.split('.').reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), body);

const startsWith = (path: readonly string[], prefix: readonly string[]) => prefix.length <= path.length && prefix.every((segment, index) => path[index] === segment);

/** A resource entity being read, before its relations. */
interface ReadResource {
  readonly id: string;
  readonly rule: CatalogResourceRule;
  readonly resource: StackResource;
  readonly name: string;
  /** The construct that holds it. */
  readonly scope: readonly string[];
}

/** The entity ids of one stack's resources, and which entity each other resource of the stack belongs to. */
interface StackReading {
  readonly stack: string;
  readonly resources: readonly ReadResource[];
  /** The entity id a resource address belongs to. */
  readonly ownerOf: ReadonlyMap<string, string>;
  readonly all: readonly StackResource[];
  /** The stack's Terraform JSON (its outputs are what other stacks read). */
  readonly document: TerraformDocument;
}

/** Reads one stack's resource entities with `rules`, and assigns every other resource to the entity whose construct holds it. */
function readStack(stack: string, document: TerraformDocument, rules: readonly CatalogResourceRule[]): StackReading {
  const all = stackResources(document);
  const resources: ReadResource[] = all.flatMap((resource) =>
    rules
      .filter((rule) => rule.terraformType === resource.type)
      .flatMap((rule) => {
        const name = attributeAt(resource.body, rule.nameAttribute);
        if (!isLiteral(name)) return [];
        const scope = resource.path.length > 1 ? resource.path.slice(0, -1) : resource.path;
        return [{ id: rule.id ?? (rule.ownConstruct ? resource.path : scope).join('-'), rule, resource, name, scope }];
      }),
  );
  const ownerOf = new Map<string, string>(resources.map((entry) => [entry.resource.address, entry.id]));
  const scopes = resources.filter((entry) => resources.filter((other) => other.scope.join('/') === entry.scope.join('/')).length === 1);
  for (const resource of all) {
    if (ownerOf.has(resource.address)) continue;
    const holder = scopes.filter((entry) => startsWith(resource.path, entry.scope)).sort((a, b) => b.scope.length - a.scope.length)[0];
    if (holder) ownerOf.set(resource.address, holder.id);
  }
  return { stack, resources, ownerOf, all, document };
}

/**
 * Resources whose references say who may use a resource, or when, not what it needs: grants (IAM
 * bindings, role assignments, federated credentials, policies) and waits for them to propagate.
 * A key's grant to the cluster's identity does not make the key depend on the cluster.
 */
const NOT_A_NEED = /^aws_iam_|^aws_kms_grant$|_policy$|_iam_member$|_iam_binding$|^azurerm_role_(assignment|definition)$|^azurerm_federated_identity_credential$|^azurerm_key_vault_access_policy$|^time_/;

/** Resources that hold others without being a part of what references them: resource groups, key rings (and waits). */
const NOT_A_PART = /^azurerm_resource_group$|^google_kms_key_ring$|^time_/;

/** For each entity of a stack, the other entities of the stack its resources reference (grants left out). */
function dependenciesOf(reading: StackReading): Map<string, Set<string>> {
  const known = new Set(reading.all.filter((resource) => !NOT_A_PART.test(resource.type)).map((resource) => resource.address));
  const dependencies = new Map<string, Set<string>>(reading.resources.map((entry) => [entry.id, new Set<string>()]));
  for (const resource of reading.all) {
    const owner = reading.ownerOf.get(resource.address);
    if (!owner || NOT_A_NEED.test(resource.type)) continue;
    for (const address of referencesOf(resource.body, known)) {
      const target = reading.ownerOf.get(address);
      if (target && target !== owner) dependencies.get(owner)!.add(target);
    }
  }
  return dependencies;
}

const rulesOf = (env: Environment): readonly CatalogResourceRule[] => CATALOG_RESOURCE_RULES[env.cloud] as readonly CatalogResourceRule[];

/** The catalog resources of one stack of an environment. */
function catalogResources(env: Environment, reading: StackReading): CatalogResource[] {
  const dependencies = dependenciesOf(reading);
  return reading.resources.map((entry) => {
    const console = entry.rule.console?.(entry.name, env as never, entry.resource.body, entry.rule.stack);
    const links: EntityLink[] = console ? [{ url: console, title: `${entry.rule.what} ${entry.name} in the ${CLOUD_CONSOLES[env.cloud]}`, icon: 'cloud', type: 'console' }] : [];
    const description =
      entry.rule.type === 'terraform-state'
        ? `Terraform state of environment ${env.name}'s stacks: ${entry.rule.what} ${entry.name} (created by stack ${reading.stack}).`
        : `${entry.rule.what} ${entry.name} of environment ${env.name}.`;
    return {
      id: entry.id,
      type: entry.rule.type,
      title: entry.name,
      description,
      dependsOn: [...dependencies.get(entry.id)!].sort(),
      terraform: { stack: reading.stack, addresses: [entry.resource.address] },
      links,
    };
  });
}

/** What each cloud's console is called, in link titles. */
const CLOUD_CONSOLES: Readonly<Record<Cloud, string>> = { aws: 'AWS console', azure: 'Azure portal', gcp: 'Google Cloud console' };

/** Whether a Helm release installs a chart from a repository (not idpkit's own manifests chart). */
const isChartRelease = (body: TerraformResourceBody): boolean => isLiteral(body.repository) && isLiteral(body.chart) && !String(body.chart).startsWith('./');

/** A release's namespace: a literal, or the name of the namespace resource of the stack it references. */
function namespaceOf(body: TerraformResourceBody, document: TerraformDocument, address: string): string {
  if (isLiteral(body.namespace)) return body.namespace;
  const match = typeof body.namespace === 'string' ? /^\$\{(kubernetes_namespace(?:_v1)?)\.([A-Za-z0-9_-]+)\.metadata(?:\[0\])?\.name\}$/.exec(body.namespace) : null;
  const namespaces = match && isObject(document.resource) ? document.resource[match[1]] : undefined;
  const metadata = match && isObject(namespaces) && isObject(namespaces[match[2]]) ? (namespaces[match[2]] as Record<string, unknown>).metadata : undefined;
  const name = isObject(metadata) ? metadata.name : undefined;
  if (!isLiteral(name)) throw new Error(`${address}: namespace ${String(body.namespace)} is neither a literal nor a namespace of the stack`);
  return name;
}

/** The single Argo CD Application among the objects of the stack's manifests releases, if there is exactly one. */
function argoCdApplicationOf(releases: readonly StackResource[]): string | undefined {
  const names = releases.flatMap((release) =>
    stringsOf(release.body.values).flatMap((text) => {
      const values: unknown = text.startsWith('manifests:') ? parseYamlOnce(text) : undefined;
      const manifests = isObject(values) && Array.isArray(values.manifests) ? values.manifests : [];
      return manifests.flatMap((object: unknown) =>
        isObject(object) && object.apiVersion === 'argoproj.io/v1alpha1' && object.kind === 'Application' && isObject(object.metadata) && isLiteral(object.metadata.name) ? [object.metadata.name] : [],
      );
    }),
  );
  return names.length === 1 ? names[0] : undefined;
}

/** The add-on a construct id names: `addon-<key in kebab case>`, alone or followed by `-<what>`. */
const isAddonScope = (segment: string, key: string) => segment === `addon-${kebabCase(key)}` || segment.startsWith(`addon-${kebabCase(key)}-`);

/** The installed add-ons of an environment, read from its platform stack's chart releases. */
function catalogAddons(env: Environment, platform: TerraformDocument, infra: StackReading): { addons: CatalogAddon[]; argoCdApplication?: string } {
  const stack = platformStackName(env.name);
  const releases = stackResources(platform).filter((resource) => resource.type === 'helm_release');
  const charted = releases.filter((release) => isChartRelease(release.body));
  const keyOf = new Map<string, string>();
  for (const release of charted) {
    const key = addonOfChart(String(release.body.repository), String(release.body.chart));
    if (!key || !ADDONS.some((addon) => addon.key === key)) {
      throw new Error(`${stack}: ${release.address} installs chart ${String(release.body.chart)} from ${String(release.body.repository)}, which no add-on of the catalog installs (add it to CHARTS and CHART_ADDONS)`);
    }
    keyOf.set(release.address, key);
  }
  const infraKnown = new Set(infra.all.map((resource) => resource.address));
  const infraOutputs = isObject(infra.document.output) ? infra.document.output : {};
  const addons = ADDONS.filter((addon) => charted.some((release) => keyOf.get(release.address) === addon.key)).map((addon): CatalogAddon => {
    const own = charted.filter((release) => keyOf.get(release.address) === addon.key);
    const waitsFor = own.flatMap((release) => (Array.isArray(release.body.depends_on) ? release.body.depends_on : []).map((dependency) => keyOf.get(String(dependency))));
    const readsOutputs = own.flatMap((release) => stringsOf(release.body).flatMap((text) => [...text.matchAll(REMOTE_OUTPUT)].map((match) => match[1])));
    const readsResources = readsOutputs.flatMap((output) => referencesOf(isObject(infraOutputs[output]) ? (infraOutputs[output] as Record<string, unknown>).value : undefined, infraKnown));
    const madeFor = infra.resources.filter((entry) => entry.scope.some((segment) => isAddonScope(segment, addon.key))).map((entry) => entry.id);
    const [name, ...rest] = addon.description.split(': ');
    return {
      key: addon.key,
      title: rest.length > 0 ? name : addon.key,
      description: addon.description,
      capability: ADDON_CAPABILITIES[addon.key] ?? 'platform',
      releases: own.map(
        (release): CatalogRelease => ({
          name: String(release.body.name),
          namespace: namespaceOf(release.body, platform, release.address),
          chart: String(release.body.chart),
          version: String(release.body.version),
          repository: String(release.body.repository),
          address: release.address,
        }),
      ),
      stack,
      dependsOnAddons: [...new Set(waitsFor.filter((key): key is string => key !== undefined && key !== addon.key))].sort(),
      dependsOnResources: [...new Set([...madeFor, ...readsResources.flatMap((address) => infra.ownerOf.get(address) ?? [])])].sort(),
    };
  });
  return { addons, argoCdApplication: argoCdApplicationOf(releases.filter((release) => !isChartRelease(release.body))) };
}

/** What an environment runs, read from its synthesized stacks. */
export function environmentInventory(env: Environment, stacks: EnvironmentStacks): CatalogInventory {
  const rules = rulesOf(env);
  const infra = readStack(infraStackName(env.name), stacks.infra, rules.filter((rule) => rule.stack === 'infra'));
  const location = stateLocationOf(env);
  const state = stacks.state && location ? readStack(stateBootstrapStackName(location.name), stacks.state, rules.filter((rule) => rule.stack === 'state')) : undefined;
  const resources = [...catalogResources(env, infra), ...(state ? catalogResources(env, state) : [])];
  const platform = stacks.platform ? catalogAddons(env, stacks.platform, infra) : { addons: [] };
  return { resources, addons: platform.addons, clusterName: env.cluster.name, argoCdApplication: platform.argoCdApplication };
}

/** An environment as the catalog describes it; with its stacks, what it runs too. */
export function catalogEnvironment(env: Environment, stacks?: EnvironmentStacks): CatalogEnvironment {
  const { account, region } = placementOf(env);
  const tenancy = enabledAddons(env).find(({ addon }) => addon.key === 'tenancy')?.config as { teams?: readonly { name: string; costCenter?: string }[] } | undefined;
  return {
    name: env.name,
    description: `The ${env.tier} environment ${env.name} (${env.size} preset) in ${account}, ${region}: cluster ${env.cluster.name} and its add-ons.`,
    owner: env.owner,
    costCenter: env.costCenter,
    tier: env.tier,
    cloud: env.cloud,
    region,
    teams: (tenancy?.teams ?? []).map((team) => ({ name: team.name, ...(team.costCenter ? { costCenter: team.costCenter } : {}) })),
    repository: env.ci && { owner: env.ci.github.owner, repo: env.ci.github.repo, branch: env.ci.github.defaultBranch ?? DEFAULT_SOURCE_BRANCH },
    inventory: stacks && environmentInventory(env, stacks),
  };
}

/** The branch source locations point at when `ci.github.defaultBranch` is not set (the CI identities' default). */
export const DEFAULT_SOURCE_BRANCH = 'main';

/** The stacks of an environment the catalog needs, in a synthesized directory. */
export function environmentStackFiles(env: Environment): { readonly infra: string; readonly platform?: string; readonly state?: string } {
  const file = (stack: string) => join('stacks', stack, 'cdk.tf.json');
  const location = stateLocationOf(env);
  return {
    infra: file(infraStackName(env.name)),
    ...(enabledAddons(env).length > 0 ? { platform: file(platformStackName(env.name)) } : {}),
    ...(location ? { state: file(stateBootstrapStackName(location.name)) } : {}),
  };
}

/**
 * Reads an environment's stacks from a synthesized directory. Throws an {@link IdpkitError}
 * (IDPKIT_INVALID_INPUT) naming every missing or unreadable stack file.
 */
export function readEnvironmentStacks(dir: string, env: Environment): EnvironmentStacks {
  const files = environmentStackFiles(env);
  const problems: string[] = [];
  const read = (path: string | undefined): TerraformDocument | undefined => {
    if (path === undefined) return undefined;
    const file = join(dir, path);
    if (!existsSync(file)) {
      problems.push(`${file}: missing (environment "${env.name}" needs it for the catalog): synthesize first (cdktf synth, with this environment selected)`);
      return undefined;
    }
    try {
      const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (isObject(json)) return json;
      problems.push(`${file}: is not a Terraform JSON object (synthesize again)`);
    } catch (error) {
      problems.push(`${file}: is not valid JSON (${(error as Error).message}); synthesize again`);
    }
    return undefined;
  };
  const stacks = { infra: read(files.infra), platform: read(files.platform), state: read(files.state) };
  if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_INPUT', problems);
  return stacks as EnvironmentStacks;
}

/** Options of {@link platformCatalog}. */
export interface PlatformCatalogOptions {
  /** Every environment of the validated set, in config order: `all.yaml` and `platform.yaml` cover them all. */
  readonly environments: readonly Environment[];
  /** Names of the environments whose `environments/<env>.yaml` is built (their stacks must be in `dir`). @default - all of them */
  readonly synthesized?: readonly string[];
  /** A synthesized directory holding `stacks/<stack>/cdk.tf.json`. */
  readonly dir: string;
  /**
   * Golden-path template names `all.yaml` targets (`./templates/<name>/template.yaml`).
   * @default - the golden paths the environments can serve ({@link goldenPathFilesOf})
   */
  readonly templates?: readonly string[];
}

/** The platform model of a set of environments and their synthesized stacks. */
export function platformCatalog(options: PlatformCatalogOptions): CatalogPlatform {
  const synthesized = new Set(options.synthesized ?? options.environments.map((env) => env.name));
  return {
    environments: options.environments.map((env) => catalogEnvironment(env, synthesized.has(env.name) ? readEnvironmentStacks(options.dir, env) : undefined)),
    templates: options.templates ?? templateNamesOf(goldenPathFilesOf(options.environments)),
  };
}

/** The catalog's entities by file (checked: every relation resolves). */
export const platformCatalogDocuments = (options: PlatformCatalogOptions): CatalogDocuments => catalogDocuments(platformCatalog(options));

/** The names of the templates among golden-path files (`templates/<name>/template.yaml`), in path order. */
export const templateNamesOf = (files: Readonly<Record<string, string>>): string[] =>
  Object.keys(files).flatMap((path) => /^templates\/([^/]+)\/template\.yaml$/.exec(path)?.[1] ?? []);

/**
 * The catalog folder's files (path -> text): `all.yaml`, `platform.yaml`, `environments/<env>.yaml`
 * of the synthesized environments, and the golden paths the environments can serve
 * (`templates/<name>/template.yaml` with its `skeleton/`), which `all.yaml` targets.
 */
export function platformCatalogFiles(options: PlatformCatalogOptions): Record<string, string> {
  const goldenPaths = goldenPathFilesOf(options.environments);
  return { ...catalogFiles(platformCatalog({ templates: templateNamesOf(goldenPaths), ...options })), ...goldenPaths };
}

/** Options of {@link writePlatformCatalog}. */
export type WritePlatformCatalogOptions = Omit<PlatformCatalogOptions, 'dir'>;

/**
 * Writes the catalog of the environments into `<dir>/catalog/`, from the stacks synthesized in
 * `<dir>/stacks/`: `all.yaml`, `platform.yaml`, `environments/<env>.yaml` of the synthesized
 * environments and the golden paths' `templates/`. Returns the paths written, relative to the
 * catalog folder.
 */
export function writePlatformCatalog(dir: string, options: WritePlatformCatalogOptions): string[] {
  const files = platformCatalogFiles({ ...options, dir });
  for (const [path, text] of Object.entries(files)) {
    const file = join(dir, CATALOG_DIRECTORY, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return Object.keys(files);
}
