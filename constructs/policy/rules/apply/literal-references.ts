import type { AppRule, AppViolation, TerraformJson } from '../../rule';
import { dependencyClosure, isLiteral, projectOf, providerOf, stackResources, stringLeaves } from '../../private/app';
import { block } from '../../private/terraform-json';

/** How a resource makes a name other resources may use, and how such a use looks. */
interface NameMaker {
  /** The literal names the resource creates (its name, an id derived from it). */
  readonly names: (body: TerraformJson, provider: TerraformJson) => unknown[];
  /** Attributes whose whole value is such a name (`resource_group_name`, `bucket`). */
  readonly attributes: RegExp;
  /** How the name appears inside an id, a URL or a member string: `{}` stands for the name, which ends there unless the shape goes on. */
  readonly within: readonly string[];
}

/**
 * Resources whose name others use, and the shapes of those uses: an attribute holding the name
 * (`resource_group_name`), a path segment of an id (`/resourceGroups/<name>`, `buckets/<name>`),
 * an ARN or a member string. A use by literal string takes no part in Terraform's ordering.
 */
const NAME_MAKERS: Readonly<Record<string, NameMaker>> = {
  azurerm_resource_group: { names: (b) => [b.name], attributes: /^resource_group_name$/, within: ['/resourceGroups/{}'] },
  azurerm_key_vault: { names: (b) => [b.name], attributes: /^key_vault_name$/, within: ['/vaults/{}', 'https://{}.vault.azure.net'] },
  azurerm_storage_account: { names: (b) => [b.name], attributes: /^storage_account_name$/, within: ['/storageAccounts/{}', 'https://{}.blob.core.windows.net'] },
  azurerm_container_registry: { names: (b) => [b.name], attributes: /^(container_)?registry_name$/, within: ['/registries/{}', '{}.azurecr.io'] },
  azurerm_kubernetes_cluster: {
    names: (b) => [b.name, b.node_resource_group],
    attributes: /^(kubernetes_cluster_name|cluster_name|resource_group_name)$/,
    within: ['/managedClusters/{}', '/resourceGroups/{}'],
  },
  azurerm_log_analytics_workspace: { names: (b) => [b.name], attributes: /^workspace_name$/, within: ['/workspaces/{}'] },
  azurerm_postgresql_flexible_server: { names: (b) => [b.name], attributes: /^server_name$/, within: ['/flexibleServers/{}'] },
  azurerm_user_assigned_identity: { names: (b) => [b.name], attributes: /^$/, within: ['/userAssignedIdentities/{}'] },
  aws_s3_bucket: { names: (b) => [b.bucket], attributes: /^bucket$/, within: [':s3:::{}'] },
  aws_iam_role: { names: (b) => [b.name], attributes: /^(role|role_name)$/, within: [':role/{}'] },
  aws_eks_cluster: { names: (b) => [b.name], attributes: /^cluster_name$/, within: [':cluster/{}'] },
      google_storage_bucket: { names: (b) => [b.name], attributes: /^bucket$/, within: ['buckets/{}', 'gs://{}'] },
  google_container_cluster: {
    // The workload identity pool is named after the project (`<project>.svc.id.goog`), also when written as a reference.
    names: (b, provider) => {
      const pool = block(b.workload_identity_config)?.workload_pool;
      const project = projectOf(b, provider);
      return [b.name, isLiteral(pool) ? pool : pool !== undefined && project ? `${project}.svc.id.goog` : undefined];
    },
    attributes: /^(cluster|workload_pool)$/,
    within: ['clusters/{}', ':{}[', 'workloadIdentityPools/{}'],
  },
  google_service_account: {
    names: (b, provider) => {
      const project = projectOf(b, provider);
      return isLiteral(b.account_id) && project ? [`${b.account_id}@${project}.iam.gserviceaccount.com`] : [];
    },
    attributes: /^(service_account|service_account_email|email)$/,
    within: ['serviceAccount:{}', 'serviceAccounts/{}'],
  },
  google_kms_key_ring: { names: (b) => [b.name], attributes: /^key_ring$/, within: ['keyRings/{}'] },
  google_iam_workload_identity_pool: { names: (b) => [b.workload_identity_pool_id], attributes: /^workload_identity_pool_id$/, within: ['workloadIdentityPools/{}'] },
  google_compute_network: { names: (b) => [b.name], attributes: /^network$/, within: ['networks/{}'] },
  google_sql_database_instance: { names: (b) => [b.name], attributes: /^instance$/, within: ['instances/{}'] },
  google_secret_manager_secret: { names: (b) => [b.secret_id], attributes: /^secret_id$/, within: ['secrets/{}'] },
  google_artifact_registry_repository: { names: (b) => [b.repository_id], attributes: /^repository$/, within: ['repositories/{}'] },
};

/**
 * Google service agents by their email's domain, and the API whose service identity creates
 * them: a grant to an agent that does not exist yet fails (400 "Service account ... does not
 * exist"), so it must come after `google_project_service_identity` (or the API's enablement,
 * for the agents enabling creates).
 * @see https://cloud.google.com/iam/docs/service-agents
 */
const SERVICE_AGENTS: Readonly<Record<string, string>> = {
  'gcp-sa-cloud-sql': 'sqladmin.googleapis.com',
  'gcp-sa-secretmanager': 'secretmanager.googleapis.com',
  'gcp-sa-artifactregistry': 'artifactregistry.googleapis.com',
  'gcp-sa-pubsub': 'pubsub.googleapis.com',
  'gcp-sa-cloudkms': 'cloudkms.googleapis.com',
  'gs-project-accounts': 'storage.googleapis.com',
  'container-engine-robot': 'container.googleapis.com',
  'compute-system': 'compute.googleapis.com',
};

/** Top-level attributes that describe rather than refer (a tag may repeat a name). */
const DESCRIPTIVE = new Set(['name', 'tags', 'tags_all', 'labels', 'description', 'display_name', 'depends_on', 'lifecycle', 'provider']);

/**
 * Identity policies, whose resource ARNs IAM does not look up: a policy may name a bucket or
 * cluster before it exists. (Principals in resource and trust policies are looked up, and stay checked.)
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 */
const IDENTITY_POLICIES: ReadonlySet<string> = new Set(['aws_iam_role_policy.policy', 'aws_iam_policy.policy', 'aws_iam_user_policy.policy', 'aws_iam_group_policy.policy', 'data.aws_iam_policy_document']);

/** Whether a string at a path of a resource can name something without it existing yet. */
const notLookedUp = (resource: { address: string; type: string }, path: string): boolean =>
  IDENTITY_POLICIES.has(`${resource.type}.${path.split(/[.[]/)[0]}`) || (resource.address.startsWith('data.') && IDENTITY_POLICIES.has(`data.${resource.type}`));

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** How to tell whether a string uses one name one maker made: compiled once per name. */
function usesOf(maker: NameMaker, name: string): (attribute: string, value: string) => boolean {
  const shapes = maker.within.map((shape) => {
    const [before, after] = shape.split('{}');
    return new RegExp(`${escape(before)}${escape(name)}${after ? escape(after) : '(?![A-Za-z0-9_.-])'}`);
  });
  return (attribute, value) => {
    if (value === name) return maker.attributes.test(attribute);
    return value.includes(name) && shapes.some((shape) => shape.test(value));
  };
}

/** The Google service agents a string names by email (the project number may be a reference): their domain. */
const agentDomains = (value: string): string[] =>
  [...value.matchAll(/\bservice-(?:\d+|\$\{[^}]+\})@([a-z0-9-]+)\.iam\.gserviceaccount\.com\b/g)].map((match) => match[1]).filter((domain) => domain in SERVICE_AGENTS);

/** Whether something in `before` brings the service agent of an API into being. */
function agentMade(document: TerraformJson, before: ReadonlySet<string>, service: string): boolean {
  return stackResources(document).some(
    (resource) =>
      before.has(resource.address) &&
      ((resource.type === 'google_project_service_identity' && resource.body.service === service) ||
        (resource.type === 'google_project_service' && resource.body.service === service && ['container.googleapis.com', 'compute.googleapis.com'].includes(service)) ||
        (resource.address.startsWith('data.google_storage_project_service_account') && service === 'storage.googleapis.com')),
  );
}

/**
 * IDP-APPLY-004: a resource that names another resource of its stack (a resource group, a bucket,
 * a cluster's workload identity pool, a key vault, a service account) refers to it, or depends on
 * it. A literal string takes no part in Terraform's graph, so on a fresh account the user races
 * the resource it names and fails (ResourceGroupNotFound, 404 bucket, "Identity Pool does not
 * exist"). The same holds for a Google service agent named by email: it exists once its service
 * identity is created.
 */
export const literalReferencesRule: AppRule = {
  id: 'IDP-APPLY-004',
  severity: 'error',
  summary: 'Resources name other resources of their stack through references (or depends_on), never by literal string alone',
  fix: "Use the other resource's attribute (e.g. resourceGroup.name, bucket.name, cluster.workloadIdentityConfig.workloadPool, identity.email) instead of the literal, or add it to depends_on.",
  appliesTo: 'app',
  checkApp(stacks) {
    const violations: AppViolation[] = [];
    for (const [stack, document] of Object.entries(stacks)) {
      const resources = stackResources(document);
      const made = resources.flatMap((resource) => {
        const maker = resource.address.startsWith('data.') ? undefined : NAME_MAKERS[resource.type];
        if (!maker) return [];
        const provider = providerOf(document, resource) ?? {};
        return maker
          .names(resource.body, provider)
          .filter((name): name is string => isLiteral(name) && name.length >= 3)
          .map((name) => ({ name, by: resource, uses: usesOf(maker, name) }));
      });
      const before = dependencyClosure(document);
      for (const resource of resources) {
        // Only Google resources grant to service agents; a stack without name makers has nothing to name.
        const google = resource.type.startsWith('google_');
        if (made.length === 0 && !google) continue;
        const reported = new Set<string>();
        for (const leaf of stringLeaves(resource.body)) {
          if (DESCRIPTIVE.has(leaf.path.split(/[.[]/)[0]) || notLookedUp(resource, leaf.path)) continue;
          const attribute = leaf.path.split('.').at(-1)!.replace(/\[\d+\]$/, '');
          for (const { name, by, uses } of made) {
            if (by === resource || reported.has(by.address) || !uses(attribute, leaf.value) || before(resource.address).has(by.address)) continue;
            reported.add(by.address);
            violations.push({ stack, resource: resource.address, attribute: leaf.path, problem: `names ${by.address} ("${name}") by literal string, with no reference to it or depends_on, so Terraform may create this first` });
          }
          for (const domain of google ? agentDomains(leaf.value) : []) {
            if (reported.has(domain) || agentMade(document, before(resource.address), SERVICE_AGENTS[domain])) continue;
            reported.add(domain);
            violations.push({
              stack,
              resource: resource.address,
              attribute: leaf.path,
              problem: `names the ${SERVICE_AGENTS[domain]} service agent (${domain}) by its email, but nothing it depends on creates that agent (google_project_service_identity for ${SERVICE_AGENTS[domain]}); reference the identity's email`,
            });
          }
        }
      }
    }
    return violations;
  },
};
