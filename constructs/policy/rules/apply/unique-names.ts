import type { AppRule, AppViolation, TerraformJson } from '../../rule';
import { isLiteral, projectOf, providerOf, StackResource, stackResources } from '../../private/app';
import { isObject } from '../../private/terraform-json';

/** Where a name must be unique: everywhere, in an account (AWS account, Azure subscription, GCP project), or in one region of it. */
type NameScope = 'global' | 'account' | 'region';

/** A kind of name a cloud allows once per scope: the attribute that holds it. */
interface UniqueName {
  readonly attribute: string;
  readonly scope: NameScope;
}

/**
 * Resource types whose name the cloud allows once per scope, and the attribute holding it. A name
 * two stacks of one account create collides at apply (AlreadyExists, 409 Conflict), however the
 * plans look. Names scoped to a parent that is itself per environment (a subnet of a VNet, a node
 * group of a cluster) are not listed.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html (IAM names are account-wide)
 * @see https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
 * @see https://cloud.google.com/storage/docs/buckets#naming
 */
const UNIQUE_NAMES: Readonly<Record<string, UniqueName>> = {
  aws_s3_bucket: { attribute: 'bucket', scope: 'global' },
  aws_iam_role: { attribute: 'name', scope: 'account' },
  aws_iam_policy: { attribute: 'name', scope: 'account' },
  aws_iam_user: { attribute: 'name', scope: 'account' },
  aws_iam_instance_profile: { attribute: 'name', scope: 'account' },
  aws_iam_openid_connect_provider: { attribute: 'url', scope: 'account' },
  aws_budgets_budget: { attribute: 'name', scope: 'account' },
  aws_ecr_repository: { attribute: 'name', scope: 'region' },
  aws_kms_alias: { attribute: 'name', scope: 'region' },
  aws_eks_cluster: { attribute: 'name', scope: 'region' },
  aws_cloudwatch_log_group: { attribute: 'name', scope: 'region' },
  aws_cloudwatch_metric_alarm: { attribute: 'alarm_name', scope: 'region' },
  aws_cloudwatch_event_rule: { attribute: 'name', scope: 'region' },
  aws_sns_topic: { attribute: 'name', scope: 'region' },
  aws_sqs_queue: { attribute: 'name', scope: 'region' },
  aws_secretsmanager_secret: { attribute: 'name', scope: 'region' },
  aws_db_instance: { attribute: 'identifier', scope: 'region' },
  aws_db_subnet_group: { attribute: 'name', scope: 'region' },
  aws_db_parameter_group: { attribute: 'name', scope: 'region' },
  aws_db_event_subscription: { attribute: 'name', scope: 'region' },
  aws_launch_template: { attribute: 'name', scope: 'region' },
  azurerm_storage_account: { attribute: 'name', scope: 'global' },
  azurerm_key_vault: { attribute: 'name', scope: 'global' },
  azurerm_container_registry: { attribute: 'name', scope: 'global' },
  azurerm_postgresql_flexible_server: { attribute: 'name', scope: 'global' },
  azurerm_resource_group: { attribute: 'name', scope: 'account' },
  azurerm_consumption_budget_subscription: { attribute: 'name', scope: 'account' },
  azurerm_role_definition: { attribute: 'name', scope: 'account' },
  google_storage_bucket: { attribute: 'name', scope: 'global' },
  google_service_account: { attribute: 'account_id', scope: 'account' },
  google_project_iam_custom_role: { attribute: 'role_id', scope: 'account' },
  google_iam_workload_identity_pool: { attribute: 'workload_identity_pool_id', scope: 'account' },
  google_compute_network: { attribute: 'name', scope: 'account' },
  google_compute_firewall: { attribute: 'name', scope: 'account' },
  google_compute_global_address: { attribute: 'name', scope: 'account' },
  google_sql_database_instance: { attribute: 'name', scope: 'account' },
  google_secret_manager_secret: { attribute: 'secret_id', scope: 'account' },
  google_container_cluster: { attribute: 'name', scope: 'region' },
  google_kms_key_ring: { attribute: 'name', scope: 'region' },
  google_artifact_registry_repository: { attribute: 'repository_id', scope: 'region' },
  google_compute_subnetwork: { attribute: 'name', scope: 'region' },
  google_compute_router: { attribute: 'name', scope: 'region' },
};

/** The first of a provider's allowed account ids, or the value itself. */
const firstOf = (value: unknown): unknown => (Array.isArray(value) ? value[0] : value);

/**
 * The account and region a resource lands in, from its own attributes (GCP `project`, `location`,
 * `region`) or its provider's (`allowed_account_ids`, `subscription_id`, `project`, `region`);
 * undefined parts are unknown (a reference, or not configured), and such names are not compared.
 */
function placement(document: TerraformJson, resource: StackResource): { account?: string; region?: string } {
  const provider = providerOf(document, resource) ?? {};
  const literal = (...values: unknown[]) => values.find(isLiteral);
  if (resource.type.startsWith('aws_')) return { account: literal(firstOf(provider.allowed_account_ids)), region: literal(provider.region) };
  if (resource.type.startsWith('azurerm_')) return { account: literal(provider.subscription_id), region: literal(resource.body.location) };
  return { account: projectOf(resource.body, provider), region: literal(resource.body.location, resource.body.region, provider.region) };
}

/** The key two resources collide on, or undefined when the name or its scope is not known. */
function collisionKey(document: TerraformJson, resource: StackResource, unique: UniqueName): string | undefined {
  const name = resource.body[unique.attribute];
  if (!isLiteral(name)) return undefined;
  if (unique.scope === 'global') return `${resource.type}|${name}`;
  const { account, region } = placement(document, resource);
  if (!account || (unique.scope === 'region' && !region)) return undefined;
  return [resource.type, account, unique.scope === 'region' ? region : '', name].join('|');
}

/** Words for where the name must be unique. */
const SCOPE_WORDS: Readonly<Record<NameScope, string>> = { global: 'everywhere', account: 'once per account', region: 'once per account and region' };

/**
 * IDP-APPLY-003: no two resources of an app (in one stack or in two stacks sharing an account,
 * subscription or project, and region) create the same unique name. Today's plans of each stack
 * are each fine; the second apply fails (RepositoryAlreadyExistsException, BucketAlreadyExists,
 * EntityAlreadyExists, 409 alreadyExists).
 */
export const uniqueNamesRule: AppRule = {
  id: 'IDP-APPLY-003',
  severity: 'error',
  summary: 'Names a cloud allows once per account (or region, or globally) are created once in the app',
  fix: 'Make the name unique per environment (prefix or suffix it with the environment), or create the shared resource in one stack and read it in the others.',
  appliesTo: 'app',
  checkApp(stacks) {
    const owners = new Map<string, { stack: string; address: string }[]>();
    const violations: AppViolation[] = [];
    for (const [stack, document] of Object.entries(stacks)) {
      for (const resource of stackResources(document)) {
        const unique = resource.address.startsWith('data.') || !isObject(resource.body) ? undefined : UNIQUE_NAMES[resource.type];
        const key = unique && collisionKey(document, resource, unique);
        if (!unique || !key) continue;
        const earlier = owners.get(key) ?? [];
        if (earlier.length > 0) {
          const first = earlier[0];
          violations.push({
            stack,
            resource: resource.address,
            attribute: unique.attribute,
            problem: `"${resource.body[unique.attribute]}" is also created by ${first.address} in stack ${first.stack}; ${resource.type} names are unique ${SCOPE_WORDS[unique.scope]}, so the second apply fails`,
          });
        }
        owners.set(key, [...earlier, { stack, address: resource.address }]);
      }
    }
    return violations;
  },
};
