/**
 * What a fresh account rejects at apply, across every stack of the shipped environment sets:
 * two stacks in one account (subscription, project) and region that create the same unique name,
 * and IAM policy documents with a repeated statement id.
 */
import type { TerraformJson } from '../helpers';
import { synthesizedStacks } from '../support/synthesized-sets';

/** Where a cloud keeps a name unique. */
type Scope = 'global' | 'account' | 'region' | 'location' | 'resource-group';

/** Resource types whose name is unique in a scope several environments can share, and the name's attribute. */
const UNIQUE_NAMES: Record<string, [attribute: string, scope: Scope]> = {
  aws_s3_bucket: ['bucket', 'global'],
  aws_iam_role: ['name', 'account'],
  aws_budgets_budget: ['name', 'account'],
  aws_ecr_repository: ['name', 'region'],
  aws_eks_cluster: ['name', 'region'],
  aws_kms_alias: ['name', 'region'],
  aws_cloudwatch_log_group: ['name', 'region'],
  aws_cloudwatch_metric_alarm: ['alarm_name', 'region'],
  aws_cloudwatch_event_rule: ['name', 'region'],
  aws_sns_topic: ['name', 'region'],
  aws_sqs_queue: ['name', 'region'],
  aws_secretsmanager_secret: ['name', 'region'],
  aws_launch_template: ['name', 'region'],
  aws_db_instance: ['identifier', 'region'],
  aws_db_parameter_group: ['name', 'region'],
  aws_db_subnet_group: ['name', 'region'],
  aws_db_event_subscription: ['name', 'region'],
  azurerm_storage_account: ['name', 'global'],
  azurerm_key_vault: ['name', 'global'],
  azurerm_container_registry: ['name', 'global'],
  azurerm_postgresql_flexible_server: ['name', 'global'],
  azurerm_resource_group: ['name', 'account'],
  azurerm_consumption_budget_subscription: ['name', 'account'],
  azurerm_kubernetes_cluster: ['name', 'resource-group'],
  azurerm_user_assigned_identity: ['name', 'resource-group'],
  google_storage_bucket: ['name', 'global'],
  google_service_account: ['account_id', 'account'],
  google_iam_workload_identity_pool: ['workload_identity_pool_id', 'account'],
  google_project_iam_custom_role: ['role_id', 'account'],
  google_compute_network: ['name', 'account'],
  google_sql_database_instance: ['name', 'account'],
  google_secret_manager_secret: ['secret_id', 'account'],
  google_kms_key_ring: ['name', 'location'],
  google_artifact_registry_repository: ['repository_id', 'location'],
  google_container_cluster: ['name', 'location'],
};

/** The account (subscription, project) and region a stack's provider block names. */
function placement(json: TerraformJson): { account: string; region: string } {
  const [aws] = json.provider?.aws ?? [];
  const [azure] = json.provider?.azurerm ?? [];
  const [google] = json.provider?.google ?? [];
  if (aws) return { account: `aws:${aws.allowed_account_ids}`, region: aws.region };
  if (azure) return { account: `azure:${azure.subscription_id}`, region: '' };
  return { account: `gcp:${google?.project}`, region: google?.region };
}

/** A string with `${type.name.attribute}` references to literal names of the same stack resolved. */
const resolve = (json: TerraformJson, value: string): string =>
  value.replace(/\$\{([a-z0-9_]+)\.([^.}]+)\.name\}/g, (reference, type, name) => {
    const literal = json.resource[type]?.[name]?.name;
    return typeof literal === 'string' && !literal.includes('${') ? literal : reference;
  });

/** The JSON policy documents among a stack's attribute values (Terraform references count as one token each). */
function policyDocuments(value: unknown, found: { Statement: unknown }[] = []): { Statement: unknown }[] {
  if (typeof value === 'string' && value.includes('"Statement"')) found.push(JSON.parse(value.replace(/\$\{(?:[^{}]|\{[^{}]*\})*\}/g, 'REF')));
  else if (value && typeof value === 'object') for (const inner of Object.values(value)) policyDocuments(inner, found);
  return found;
}

describe.each(['all', 'presets'] as const)('the %s environment set', (set) => {
  const stacks = synthesizedStacks(set);

  test('no two stacks of one account and region create the same unique name', () => {
    const owners = new Map<string, string[]>();
    for (const { name: stack, json } of stacks) {
      const { account, region } = placement(json);
      for (const [type, [attribute, scope]] of Object.entries(UNIQUE_NAMES)) {
        for (const [address, body] of Object.entries(json.resource[type] ?? {})) {
          const value = resolve(json, String(body[attribute]));
          const where = {
            global: () => '',
            account: () => account,
            region: () => `${account}/${region}`,
            location: () => `${account}/${body.location ?? region}`,
            'resource-group': () => `${account}/${resolve(json, body.resource_group_name)}`,
          }[scope]();
          const key = `${type} ${where} ${value}`;
          owners.set(key, [...(owners.get(key) ?? []), `${stack}: ${type}.${address}`]);
        }
      }
    }
    expect([...owners].filter(([, holders]) => holders.length > 1)).toEqual([]);
  });

  test('every IAM policy document gives each statement its own Sid', () => {
    const repeated = stacks.flatMap(({ name, json }) =>
      policyDocuments(json.resource).flatMap(({ Statement }) => {
        const sids = [Statement].flat().map((statement) => (statement as { Sid?: string }).Sid).filter((sid) => sid !== undefined);
        return sids.filter((sid, index) => sids.indexOf(sid) !== index).map((sid) => `${name}: ${sid}`);
      }),
    );
    expect(policyDocuments(stacks.map(({ json }) => json.resource)).length).toBeGreaterThan(50);
    expect(repeated).toEqual([]);
  });
});
