/**
 * `idpkit diff <base-out> <head-out>`: what changes between two synthesized `cdktf.out`
 * directories (e.g. main and a pull request), without cloud credentials or Terraform: stacks
 * added and removed; per stack, resources added, removed, renamed, moved and changed with their
 * attribute changes, provider, backend and Terraform settings, variables and outputs. Destructive
 * changes come first: stateful resources removed, renamed without a `moved` block, or changed in
 * an attribute that forces their replacement. Then the estimated monthly cost of every stack on
 * both sides and its delta (constructs/capabilities/cost/estimate), priced lines only.
 *
 * The functions here are pure over the JSON read by {@link readSynthesizedOutput}, so they work
 * on forks and before any upstream stack is deployed. A plan (`idpkit plan-summary`) stays the
 * authority on what Terraform will do; this diff is what can be known from configuration alone.
 */
import { Argument, Command, Option } from 'commander';
import { estimateCost } from '../constructs/capabilities/cost/estimate';
import { CostComparison, compareCostEstimates } from '../constructs/capabilities/cost/estimate/compare';
import { IdpkitError } from '../constructs/core/errors';
import { readSynthesizedOutput, type SynthesizedOutput, type TerraformDocument } from '../constructs/core/synthesized-output';
import { CliIo, EXIT_DESTRUCTIVE, EXIT_OK } from './io';
import { StatefulKind, statefulKindOf } from '../constructs/core/stateful';

export { readSynthesizedOutput };
export type { SynthesizedOutput, TerraformDocument };

/** Longest value shown in a change, in characters; longer values are cut around their first difference. */
export const MAX_VALUE_LENGTH = 200;

/** What a masked value reads as. */
export const MASKED_VALUE = '(sensitive)';

/** Output formats of `idpkit diff`. */
export const DIFF_FORMATS = ['markdown', 'json'] as const;

/** An output format: Markdown for pull request comments, JSON for scripts. */
export type DiffFormat = (typeof DIFF_FORMATS)[number];

/** Default output format of `idpkit diff`. */
export const DEFAULT_DIFF_FORMAT: DiffFormat = 'markdown';

/**
 * Attributes that force a stateful resource to be replaced (destroyed and created again, losing
 * its data) when they change, per resource type: the provider schema's `ForceNew` arguments
 * (AWS provider 6.x, azurerm 4.x, google 6.x) that matter for the data a resource holds. An entry
 * matches a changed attribute path with its list indexes removed, itself or anything below it
 * (`encryption_config` matches `encryption_config[0].provider[0].key_arn`).
 *
 * Deliberately small and not exhaustive: what is not listed is reported as a change, and the plan
 * (`idpkit plan-summary`) has the last word.
 */
export const REPLACEMENT_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  // AWS
  aws_db_instance: [
    'identifier',
    'identifier_prefix',
    'engine',
    'kms_key_id',
    'storage_encrypted',
    'db_subnet_group_name',
    'db_name',
    'username',
    'availability_zone',
    'character_set_name',
    'timezone',
    'snapshot_identifier',
  ],
  aws_rds_cluster: ['cluster_identifier', 'cluster_identifier_prefix', 'engine', 'kms_key_id', 'storage_encrypted', 'database_name', 'master_username', 'db_subnet_group_name', 'snapshot_identifier'],
  aws_dynamodb_table: ['name', 'hash_key', 'range_key', 'local_secondary_index'],
  aws_s3_bucket: ['bucket', 'bucket_prefix', 'object_lock_enabled'],
  aws_eks_cluster: ['name', 'role_arn', 'encryption_config', 'bootstrap_self_managed_addons', 'kubernetes_network_config.service_ipv4_cidr', 'kubernetes_network_config.ip_family'],
  aws_eks_node_group: ['node_group_name', 'node_group_name_prefix', 'cluster_name', 'node_role_arn', 'subnet_ids', 'instance_types', 'ami_type', 'capacity_type', 'disk_size', 'remote_access'],
  aws_kms_key: ['customer_master_key_spec', 'key_usage', 'multi_region', 'custom_key_store_id', 'xks_key_id'],
  aws_ebs_volume: ['availability_zone', 'encrypted', 'kms_key_id', 'snapshot_id'],
  aws_efs_file_system: ['creation_token', 'encrypted', 'kms_key_id', 'performance_mode', 'availability_zone_name'],
  aws_ecr_repository: ['name', 'encryption_configuration'],
  aws_secretsmanager_secret: ['name', 'name_prefix'],
  aws_route53_zone: ['name', 'delegation_set_id'],
  // Azure
  azurerm_postgresql_flexible_server: [
    'name',
    'location',
    'resource_group_name',
    'delegated_subnet_id',
    'private_dns_zone_id',
    'administrator_login',
    'geo_redundant_backup_enabled',
    'create_mode',
    'source_server_id',
  ],
  azurerm_postgresql_flexible_server_database: ['name', 'server_id', 'charset', 'collation'],
  azurerm_mssql_database: ['name', 'server_id'],
  azurerm_storage_account: ['name', 'resource_group_name', 'location', 'account_tier', 'is_hns_enabled', 'infrastructure_encryption_enabled', 'nfsv3_enabled'],
  azurerm_storage_container: ['name', 'storage_account_name', 'storage_account_id'],
  azurerm_kubernetes_cluster: ['name', 'location', 'resource_group_name', 'dns_prefix', 'private_cluster_enabled', 'disk_encryption_set_id', 'network_profile.network_plugin', 'network_profile.service_cidr', 'network_profile.dns_service_ip'],
  azurerm_kubernetes_cluster_node_pool: ['name', 'kubernetes_cluster_id', 'os_type', 'priority'],
  azurerm_key_vault: ['name', 'location', 'resource_group_name'],
  azurerm_key_vault_key: ['name', 'key_vault_id', 'key_type', 'key_size', 'curve'],
  azurerm_key_vault_secret: ['name', 'key_vault_id'],
  azurerm_managed_disk: ['name', 'location', 'resource_group_name', 'create_option', 'source_resource_id'],
  azurerm_container_registry: ['name', 'location', 'resource_group_name'],
  azurerm_resource_group: ['name', 'location'],
  azurerm_dns_zone: ['name', 'resource_group_name'],
  // GCP
  google_sql_database_instance: ['name', 'region', 'project', 'database_version', 'encryption_key_name', 'master_instance_name'],
  google_sql_database: ['name', 'instance', 'project'],
  google_storage_bucket: ['name', 'location', 'project'],
  google_container_cluster: ['name', 'location', 'project', 'network', 'subnetwork', 'enable_autopilot', 'ip_allocation_policy'],
  google_container_node_pool: ['name', 'cluster', 'location', 'project', 'node_config.service_account', 'node_config.disk_size_gb', 'node_config.disk_type'],
  google_kms_key_ring: ['name', 'location', 'project'],
  google_kms_crypto_key: ['name', 'key_ring', 'purpose', 'import_only', 'skip_initial_version_creation'],
  google_compute_disk: ['name', 'zone', 'type', 'image', 'snapshot', 'disk_encryption_key'],
  google_artifact_registry_repository: ['repository_id', 'location', 'project', 'format', 'mode', 'kms_key_name'],
  google_secret_manager_secret: ['secret_id', 'project', 'replication'],
  google_dns_managed_zone: ['name', 'dns_name', 'project', 'visibility'],
  // Kubernetes and Helm
  helm_release: ['name', 'namespace'],
  kubernetes_namespace_v1: ['metadata.name'],
  kubernetes_namespace: ['metadata.name'],
  kubernetes_persistent_volume_claim_v1: ['metadata.name', 'metadata.namespace', 'spec.storage_class_name', 'spec.access_modes'],
  kubernetes_persistent_volume_claim: ['metadata.name', 'metadata.namespace', 'spec.storage_class_name', 'spec.access_modes'],
};

/**
 * Attributes that name a resource in its cloud, first match wins: a resource removed under one
 * address and added under another with the same type and the same value here is the same
 * resource renamed in the configuration, which Terraform destroys and creates again unless a
 * `moved` block says otherwise.
 */
export const NAME_ATTRIBUTES: readonly string[] = ['name', 'identifier', 'cluster_identifier', 'bucket', 'repository_id', 'secret_id', 'node_group_name', 'metadata.name'];

/**
 * Attribute names whose values are secret: a changed path with one of these in it shows
 * {@link MASKED_VALUE} (unless the name ends like an id, ARN, name or flag, e.g. `kms_key_id`,
 * `secret_name`, `password_enabled`; booleans, numbers and null are never masked).
 */
export const SECRET_ATTRIBUTE_NAME = /password|passwd|passphrase|secret|token|private_?key|key_?material|api_?key|access_?key|client_?key|credential|connection_?string|sas_?url|sensitive/i;

/** Endings that make a secret-looking attribute name a reference or a flag, not the secret itself. */
const NOT_SECRET_ENDING = /(?:id|ids|arn|arns|name|names|enabled|version|type|path|ttl|rotation)$/i;

/** Attributes that hold secrets wholesale, per resource type: everything below them is masked. */
export const SECRET_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  kubernetes_secret_v1: ['data', 'binary_data'],
  kubernetes_secret: ['data', 'binary_data'],
  azurerm_key_vault_secret: ['value'],
  aws_ssm_parameter: ['value'],
  helm_release: ['set_sensitive'],
};

/** One changed value, at a path such as `tags.environment` or `setting[0].value`. */
export interface ValueChange {
  readonly path: string;
  /** The value before, as JSON (masked or shortened). @default - absent before */
  readonly before?: string;
  /** The value after, as JSON (masked or shortened). @default - absent after */
  readonly after?: string;
}

/** A resource (or data source or module) in a stack. */
export interface ResourceRef {
  /** Address in its stack: `type.name`, `data.type.name` or `module.name`. */
  readonly address: string;
  readonly type: string;
  /** What it holds, when losing it loses data. @default - not stateful */
  readonly stateful?: StatefulKind;
}

/** A resource in both versions whose configuration changed. */
export interface ResourceChange extends ResourceRef {
  readonly changes: readonly ValueChange[];
  /** The changed attributes that force a replacement (see {@link REPLACEMENT_ATTRIBUTES}). */
  readonly replacedBy: readonly string[];
}

/** A resource whose address changed: covered by a `moved` block, or a rename that replaces it. */
export interface AddressChange {
  readonly from: string;
  readonly to: string;
  readonly type: string;
  /** What it holds, when losing it loses data. @default - not stateful */
  readonly stateful?: StatefulKind;
  /** For a rename: the name attribute both addresses share, e.g. `identifier = "dev-orders"`. @default - a `moved` block */
  readonly sameName?: string;
  /** Attribute changes between the two bodies. */
  readonly changes: readonly ValueChange[];
}

/** A provider configuration, output or variable that was added, removed or changed. */
export interface BlockChange {
  /** `aws`, `aws.us_east_1` (an alias), or the output's or variable's name. */
  readonly name: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** The changed values (for `changed`). */
  readonly changes: readonly ValueChange[];
}

/** What changed in a stack present in both outputs. */
export interface StackDiff {
  /** Stack name, as in the manifest. */
  readonly stack: string;
  /** Resources, data sources and modules only the head has. */
  readonly added: readonly ResourceRef[];
  /** Resources, data sources and modules only the base has (not moved, renamed or forgotten). */
  readonly removed: readonly ResourceRef[];
  /** Resources in both whose configuration changed. */
  readonly changed: readonly ResourceChange[];
  /** Address changes covered by a `moved` block: Terraform keeps the object. */
  readonly moved: readonly AddressChange[];
  /** Address changes without a `moved` block: Terraform destroys the object and creates a new one. */
  readonly renamed: readonly AddressChange[];
  /** Removed resources a `removed` block with `destroy = false` takes out of the state without destroying them. */
  readonly forgotten: readonly ResourceRef[];
  /** Provider configurations, by `name` or `name.alias`. */
  readonly providers: readonly BlockChange[];
  /** Changes of `terraform.backend`, e.g. `s3.key`. */
  readonly backend: readonly ValueChange[];
  /** Other `terraform` settings: `required_providers`, `required_version`. */
  readonly terraform: readonly ValueChange[];
  /** Input variables (the `default` of a `sensitive` one is masked). */
  readonly variables: readonly BlockChange[];
  /** Outputs (the `value` of a `sensitive` one is masked). */
  readonly outputs: readonly BlockChange[];
}

/** A stack only one side has. */
export interface StackRef {
  readonly stack: string;
  /** How many resources it has. */
  readonly resources: number;
}

/** A change a reviewer must see first. */
export interface DiffWarning {
  /** `destructive` loses data (exit code 3); `caution` needs care but loses nothing by itself. */
  readonly severity: 'destructive' | 'caution';
  readonly stack: string;
  /** The resource, when the warning is about one. @default - the whole stack */
  readonly address?: string;
  readonly message: string;
}

/** The difference between two synthesized outputs. */
export interface OutputDiff {
  /** The base directory, as given. */
  readonly base: string;
  /** The head directory, as given. */
  readonly head: string;
  /** Whether any warning is destructive. */
  readonly destructive: boolean;
  /** Destructive warnings first, then cautions; each by stack and address. */
  readonly warnings: readonly DiffWarning[];
  readonly stacksAdded: readonly StackRef[];
  readonly stacksRemoved: readonly StackRef[];
  /** Stacks in both outputs with a difference, by name. */
  readonly stacksChanged: readonly StackDiff[];
  /** Stacks in both outputs without a difference. */
  readonly stacksUnchanged: readonly string[];
  /** The estimated monthly cost of every stack of either side, and the delta. @default - not estimated: see costNotEstimated */
  readonly cost?: CostComparison;
  /** Why the cost could not be estimated (an unknown region, malformed cost metadata), naming the stack. @default - it was estimated */
  readonly costNotEstimated?: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Reading

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

// ---------------------------------------------------------------------------------------------
// Comparing

/** Code-point order, the same in every locale. */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The value without cdktf's `//` metadata (construct paths), which is not configuration. */
function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== '//').map(([key, inner]) => [key, withoutMetadata(inner)]));
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && deepEqual(a[key], b[key]));
  }
  return false;
}

/** One segment of an attribute path: a key or a list index. */
type Segment = string | number;

function pathText(path: readonly Segment[]): string {
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) return `[${JSON.stringify(segment)}]`;
      return index === 0 ? segment : `.${segment}`;
    })
    .join('');
}

/** The path without list indexes, as {@link REPLACEMENT_ATTRIBUTES} entries are written. */
const keyPath = (path: readonly Segment[]): string => path.filter((segment) => typeof segment === 'string').join('.');

const isScalar = (value: unknown): boolean => value === null || typeof value !== 'object';

/** Decides which paths are masked. */
type MaskRule = (path: readonly Segment[]) => boolean;

/** Masks secret-looking attribute names, and whole attributes listed for the type in {@link SECRET_ATTRIBUTES}. */
function secretMask(type?: string): MaskRule {
  const wholesale = (type && SECRET_ATTRIBUTES[type]) || [];
  return (path) =>
    (typeof path[0] === 'string' && wholesale.includes(path[0])) ||
    path.some((segment) => typeof segment === 'string' && SECRET_ATTRIBUTE_NAME.test(segment) && !NOT_SECRET_ENDING.test(segment));
}

/** Renders a value as JSON, shortened to {@link MAX_VALUE_LENGTH} around `focus` (the first difference). */
function renderValue(value: unknown, focus: number): string {
  const json = JSON.stringify(value) ?? String(value);
  if (json.length <= MAX_VALUE_LENGTH) return json;
  const start = Math.max(0, Math.min(focus - Math.floor(MAX_VALUE_LENGTH / 4), json.length - MAX_VALUE_LENGTH));
  return `${start > 0 ? '…' : ''}${json.slice(start, start + MAX_VALUE_LENGTH)}${start + MAX_VALUE_LENGTH < json.length ? '…' : ''}`;
}

function firstDifference(a: string, b: string): number {
  let index = 0;
  while (index < a.length && index < b.length && a[index] === b[index]) index++;
  return index;
}

function leafChange(path: readonly Segment[], before: unknown, after: unknown, masked: boolean): ValueChange {
  const hide = (value: unknown) => masked && value !== null && typeof value !== 'boolean' && typeof value !== 'number';
  const focus = firstDifference(JSON.stringify(before) ?? '', JSON.stringify(after) ?? '');
  const show = (value: unknown) => (value === undefined ? undefined : hide(value) ? MASKED_VALUE : renderValue(value, focus));
  const beforeText = show(before);
  const afterText = show(after);
  return { path: pathText(path), ...(beforeText === undefined ? {} : { before: beforeText }), ...(afterText === undefined ? {} : { after: afterText }) };
}

/**
 * The changed values between two JSON values, by path: objects by key, lists of blocks by index,
 * lists of plain values and everything else as one value.
 */
function diffValues(before: unknown, after: unknown, mask: MaskRule, path: Segment[] = [], out: ValueChange[] = []): ValueChange[] {
  if (deepEqual(before, after)) return out;
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(byText);
    for (const key of keys) diffValues(before[key], after[key], mask, [...path, key], out);
  } else if (Array.isArray(before) && Array.isArray(after) && !(before.every(isScalar) && after.every(isScalar))) {
    for (let index = 0; index < Math.max(before.length, after.length); index++) diffValues(before[index], after[index], mask, [...path, index], out);
  } else {
    out.push(leafChange(path, before, after, mask(path)));
  }
  return out;
}

/** A resource, data source or module of a stack, by address. */
interface Entry {
  readonly address: string;
  readonly type: string;
  readonly body: Record<string, unknown>;
}

function entriesOf(doc: TerraformDocument): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  const add = (prefix: string, group: unknown) => {
    if (!isObject(group)) return;
    for (const [type, byName] of Object.entries(group)) {
      if (!isObject(byName)) continue;
      for (const [name, body] of Object.entries(byName)) {
        entries.set(`${prefix}${type}.${name}`, { address: `${prefix}${type}.${name}`, type, body: withoutMetadata(body) as Record<string, unknown> });
      }
    }
  };
  add('', doc.resource);
  add('data.', doc.data);
  if (isObject(doc.module)) {
    for (const [name, body] of Object.entries(doc.module)) entries.set(`module.${name}`, { address: `module.${name}`, type: 'module', body: withoutMetadata(body) as Record<string, unknown> });
  }
  return entries;
}

/** A block that may be written once or as a list (`moved`, `removed`). */
const blocks = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(isObject);

/** `from -> to` of the `moved` blocks of a stack. */
function movedBlocks(doc: TerraformDocument): Map<string, string> {
  return new Map(
    blocks(doc.moved)
      .filter((block) => typeof block.from === 'string' && typeof block.to === 'string')
      .map((block) => [block.from as string, block.to as string]),
  );
}

/** Addresses a `removed` block takes out of the state without destroying. */
function forgottenAddresses(doc: TerraformDocument): Set<string> {
  const keeps = (block: Record<string, unknown>) => blocks(block.lifecycle).some((lifecycle) => lifecycle.destroy === false);
  return new Set(
    blocks(doc.removed)
      .filter((block) => typeof block.from === 'string' && keeps(block))
      .map((block) => block.from as string),
  );
}

/** The value at a dotted path, stepping into single-item lists (blocks written as lists). */
function valueAt(body: unknown, dotted: string): unknown {
  let value = body;
  for (const key of dotted.split('.')) {
    if (Array.isArray(value) && value.length === 1) value = value[0];
    value = isObject(value) ? value[key] : undefined;
  }
  return value;
}

/** The resource's name in its cloud, as `attribute = "value"`, or undefined. */
function nameOf(entry: Entry): string | undefined {
  for (const attribute of NAME_ATTRIBUTES) {
    const value = valueAt(entry.body, attribute);
    if (typeof value === 'string' && value !== '') return `${attribute} = ${JSON.stringify(value)}`;
  }
  return undefined;
}

/** The entries of {@link REPLACEMENT_ATTRIBUTES} that changes hit, sorted and unique. */
function replacementHits(type: string, paths: readonly (readonly Segment[])[]): string[] {
  const forcing = REPLACEMENT_ATTRIBUTES[type] ?? [];
  const hits = new Set<string>();
  paths.forEach((path) => {
    const key = keyPath(path);
    for (const attribute of forcing) if (key === attribute || key.startsWith(`${attribute}.`)) hits.add(attribute);
  });
  return [...hits].sort(byText);
}

/** Like {@link diffValues}, also returning the raw paths for matching against tables. */
function diffWithPaths(before: unknown, after: unknown, mask: MaskRule): { changes: ValueChange[]; paths: Segment[][] } {
  const paths: Segment[][] = [];
  const recordingMask: MaskRule = (path) => {
    paths.push([...path]);
    return mask(path);
  };
  const changes = diffValues(before, after, recordingMask);
  return { changes, paths };
}

const ref = (entry: Entry): ResourceRef => {
  const stateful = entry.address.startsWith('data.') ? undefined : statefulKindOf(entry.type);
  return { address: entry.address, type: entry.type, ...(stateful ? { stateful } : {}) };
};

function diffNamedBlocks(before: unknown, after: unknown, maskOf: (name: string, before: unknown, after: unknown) => MaskRule): BlockChange[] {
  const base = isObject(before) ? before : {};
  const head = isObject(after) ? after : {};
  const names = [...new Set([...Object.keys(base), ...Object.keys(head)])].sort(byText);
  return names.flatMap((name): BlockChange[] => {
    if (!(name in head)) return [{ name, change: 'removed', changes: [] }];
    if (!(name in base)) return [{ name, change: 'added', changes: [] }];
    const changes = diffValues(withoutMetadata(base[name]), withoutMetadata(head[name]), maskOf(name, base[name], head[name]));
    return changes.length === 0 ? [] : [{ name, change: 'changed', changes }];
  });
}

/** Provider configurations by `name` or `name.alias` (cdktf writes each provider as a list). */
function providersOf(doc: TerraformDocument): Record<string, unknown> {
  const providers: Record<string, unknown> = {};
  if (!isObject(doc.provider)) return providers;
  for (const [name, configs] of Object.entries(doc.provider)) {
    for (const config of Array.isArray(configs) ? configs : [configs]) {
      const alias = isObject(config) && typeof config.alias === 'string' ? config.alias : undefined;
      providers[alias ? `${name}.${alias}` : name] = config;
    }
  }
  return providers;
}

const isSensitive = (...blocks: unknown[]): boolean => blocks.some((block) => isObject(block) && block.sensitive === true);

/** Compares one stack's two versions; `warnings` collects what a reviewer must see first. */
function diffStack(stack: string, base: TerraformDocument, head: TerraformDocument, warnings: DiffWarning[]): StackDiff {
  const before = entriesOf(base);
  const after = entriesOf(head);
  const removedEntries = [...before.values()].filter((entry) => !after.has(entry.address));
  const addedEntries = [...after.values()].filter((entry) => !before.has(entry.address));

  const moved: AddressChange[] = [];
  const renamed: AddressChange[] = [];
  const matched = new Set<string>();
  const addressChange = (from: Entry, to: Entry, sameName?: string): AddressChange => {
    const { changes } = diffWithPaths(from.body, to.body, secretMask(to.type));
    const stateful = ref(to).stateful;
    return { from: from.address, to: to.address, type: to.type, ...(stateful ? { stateful } : {}), ...(sameName ? { sameName } : {}), changes };
  };
  // Address changes a `moved` block covers keep the object.
  for (const [from, to] of movedBlocks(head)) {
    const source = before.get(from);
    const target = after.get(to);
    if (source && target && !after.has(from) && !before.has(to)) {
      moved.push(addressChange(source, target));
      matched.add(from).add(to);
    }
  }
  // The same type and cloud name under a new address, without a `moved` block: a rename.
  for (const removed of removedEntries) {
    if (matched.has(removed.address) || removed.address.startsWith('data.')) continue;
    const name = nameOf(removed);
    if (!name) continue;
    const target = addedEntries.find((added) => !matched.has(added.address) && added.type === removed.type && nameOf(added) === name);
    if (!target) continue;
    renamed.push(addressChange(removed, target, name));
    matched.add(removed.address).add(target.address);
  }

  const forgottenSet = forgottenAddresses(head);
  const removed = removedEntries.filter((entry) => !matched.has(entry.address) && !forgottenSet.has(entry.address)).map(ref);
  const forgotten = removedEntries.filter((entry) => !matched.has(entry.address) && forgottenSet.has(entry.address)).map(ref);
  const added = addedEntries.filter((entry) => !matched.has(entry.address)).map(ref);

  const changed: ResourceChange[] = [];
  for (const [address, entry] of before) {
    const next = after.get(address);
    if (!next) continue;
    const { changes, paths } = diffWithPaths(entry.body, next.body, secretMask(entry.type));
    if (changes.length === 0) continue;
    const resource = ref(next);
    changed.push({ ...resource, changes, replacedBy: resource.stateful ? replacementHits(entry.type, paths) : [] });
  }

  for (const resource of removed) {
    if (resource.stateful) {
      warnings.push({ severity: 'destructive', stack, address: resource.address, message: `\`${resource.address}\` (${resource.stateful}) is removed: Terraform destroys it and what it holds` });
    }
  }
  for (const rename of renamed) {
    const fix = `add a moved block from \`${rename.from}\` to \`${rename.to}\` (cdktf: moveFromId/moveTo) to keep it`;
    warnings.push({
      severity: rename.stateful ? 'destructive' : 'caution',
      stack,
      address: rename.from,
      message: `\`${rename.from}\`${rename.stateful ? ` (${rename.stateful})` : ''} is renamed to \`${rename.to}\` (same ${rename.sameName}) without a moved block: Terraform destroys it and creates it again; ${fix}`,
    });
  }
  for (const resource of changed) {
    if (resource.replacedBy.length > 0) {
      const attributes = resource.replacedBy.map((attribute) => `\`${attribute}\``).join(', ');
      warnings.push({ severity: 'destructive', stack, address: resource.address, message: `\`${resource.address}\` (${resource.stateful}) is replaced: ${attributes} cannot change in place` });
    }
  }

  const backend = diffValues(withoutMetadata(valueAt(base.terraform, 'backend')), withoutMetadata(valueAt(head.terraform, 'backend')), secretMask());
  if (backend.length > 0) {
    warnings.push({
      severity: 'caution',
      stack,
      message: `the state backend changes (${backend.map((change) => `\`${change.path}\``).join(', ')}): move the state with \`terraform init -migrate-state\`, or Terraform plans every resource as new`,
    });
  }
  const settings = (doc: TerraformDocument) => (isObject(doc.terraform) ? withoutMetadata(Object.fromEntries(Object.entries(doc.terraform).filter(([key]) => key !== 'backend'))) : {});

  const byAddress = <T extends { readonly address: string }>(items: T[]) => items.sort((a, b) => byText(a.address, b.address));
  const byFrom = (items: AddressChange[]) => items.sort((a, b) => byText(a.from, b.from));
  return {
    stack,
    added: byAddress(added),
    removed: byAddress(removed),
    changed: byAddress(changed),
    moved: byFrom(moved),
    renamed: byFrom(renamed),
    forgotten: byAddress(forgotten),
    providers: diffNamedBlocks(providersOf(base), providersOf(head), () => secretMask()),
    backend,
    terraform: diffValues(settings(base), settings(head), secretMask()),
    variables: diffNamedBlocks(base.variable, head.variable, (_, b, a) => (isSensitive(b, a) ? (path) => path[0] === 'default' || secretMask()(path) : secretMask())),
    outputs: diffNamedBlocks(base.output, head.output, (_, b, a) => (isSensitive(b, a) ? (path) => path[0] === 'value' || secretMask()(path) : secretMask())),
  };
}

const isEmpty = (diff: StackDiff): boolean =>
  [diff.added, diff.removed, diff.changed, diff.moved, diff.renamed, diff.forgotten, diff.providers, diff.backend, diff.terraform, diff.variables, diff.outputs].every(
    (list) => list.length === 0,
  );

const resourceCount = (doc: TerraformDocument): number => [...entriesOf(doc).keys()].filter((address) => !address.startsWith('data.')).length;

/** Compares two synthesized outputs: pure, deterministic (everything sorted). */
export function diffSynthesizedOutputs(base: SynthesizedOutput, head: SynthesizedOutput): OutputDiff {
  const warnings: DiffWarning[] = [];
  const baseNames = Object.keys(base.stacks).sort(byText);
  const headNames = Object.keys(head.stacks).sort(byText);
  const stacksAdded = headNames.filter((name) => !(name in base.stacks)).map((stack) => ({ stack, resources: resourceCount(head.stacks[stack]) }));
  const stacksRemoved = baseNames.filter((name) => !(name in head.stacks)).map((stack) => ({ stack, resources: resourceCount(base.stacks[stack]) }));
  for (const { stack } of stacksRemoved) {
    const stateful = [...entriesOf(base.stacks[stack]).values()].map(ref).filter((resource) => resource.stateful);
    warnings.push({
      severity: 'caution',
      stack,
      message: `the stack is removed: CI no longer plans it and its resources stay deployed${stateful.length > 0 ? ` (${stateful.length} stateful)` : ''}; run \`terraform destroy\` in it first if they should go`,
    });
  }
  const diffs = baseNames.filter((name) => name in head.stacks).map((name) => diffStack(name, base.stacks[name], head.stacks[name], warnings));
  const rank = (warning: DiffWarning) => (warning.severity === 'destructive' ? 0 : 1);
  warnings.sort((a, b) => rank(a) - rank(b) || byText(a.stack, b.stack) || byText(a.address ?? '', b.address ?? '') || byText(a.message, b.message));
  return {
    base: base.dir,
    head: head.dir,
    destructive: warnings.some((warning) => warning.severity === 'destructive'),
    warnings,
    stacksAdded,
    stacksRemoved,
    stacksChanged: diffs.filter((diff) => !isEmpty(diff)),
    stacksUnchanged: diffs.filter(isEmpty).map((diff) => diff.stack),
    ...compareCost(base, head),
  };
}

/** The cost delta, or why there is none: a side the cost model refuses does not stop the diff. */
function compareCost(base: SynthesizedOutput, head: SynthesizedOutput): Pick<OutputDiff, 'cost' | 'costNotEstimated'> {
  try {
    return { cost: compareCostEstimates(estimateCost(base), estimateCost(head)) };
  } catch (error) {
    if (!(error instanceof IdpkitError)) throw error;
    return { costNotEstimated: error.problems };
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** Inline code that survives backticks and table pipes. */
function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  const padded = text.includes('`') ? ` ${text} ` : text;
  return `${fence}${padded.replace(/\|/g, '\\|')}${fence}`;
}

function changeTable(changes: readonly ValueChange[]): string[] {
  return [
    '| attribute | before | after |',
    '| --- | --- | --- |',
    ...changes.map((change) => `| ${code(change.path)} | ${change.before === undefined ? '(absent)' : code(change.before)} | ${change.after === undefined ? '(absent)' : code(change.after)} |`),
    '',
  ];
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

const statefulNote = (resource: { readonly stateful?: StatefulKind }): string => (resource.stateful ? ` (${resource.stateful})` : '');

function renderStack(diff: StackDiff): string[] {
  const lines: string[] = [`### ${code(diff.stack)}`, ''];
  const counts = [
    [diff.added.length, 'added'],
    [diff.removed.length, 'removed'],
    [diff.changed.length, 'changed'],
    [diff.renamed.length, 'renamed'],
    [diff.moved.length, 'moved'],
    [diff.forgotten.length, 'forgotten'],
  ].filter(([count]) => count) as [number, string][];
  if (counts.length > 0) lines.push(`Resources: ${counts.map(([count, what]) => `${count} ${what}`).join(', ')}.`, '');
  const list = (title: string, items: readonly string[]) => {
    if (items.length > 0) lines.push(`**${title}**`, '', ...items.map((item) => `- ${item}`), '');
  };
  list('Added', diff.added.map((resource) => `${code(resource.address)}${statefulNote(resource)}`));
  list('Removed', diff.removed.map((resource) => `${code(resource.address)}${statefulNote(resource)}`));
  list('Removed from the state, not destroyed (`removed` block)', diff.forgotten.map((resource) => code(resource.address)));
  list('Renamed without a `moved` block (destroyed and created again)', diff.renamed.map((rename) => `${code(rename.from)} → ${code(rename.to)}${statefulNote(rename)}, same ${code(rename.sameName ?? '')}`));
  list('Moved (`moved` block)', diff.moved.map((move) => `${code(move.from)} → ${code(move.to)}`));
  for (const resource of diff.changed) {
    const replaced = resource.replacedBy.length > 0 ? ' — **replaced**' : '';
    lines.push(`**Changed** ${code(resource.address)}${statefulNote(resource)}${replaced}`, '', ...changeTable(resource.changes));
  }
  for (const change of [...diff.renamed, ...diff.moved].filter((item) => item.changes.length > 0)) {
    lines.push(`**Changed** ${code(change.to)} (was ${code(change.from)})`, '', ...changeTable(change.changes));
  }
  const blockSection = (title: string, changes: readonly BlockChange[]) => {
    for (const block of changes) {
      if (block.change !== 'changed') lines.push(`**${title} ${block.change}**: ${code(block.name)}`, '');
      else lines.push(`**${title} changed**: ${code(block.name)}`, '', ...changeTable(block.changes));
    }
  };
  blockSection('Provider', diff.providers);
  if (diff.backend.length > 0) lines.push('**Backend changed** (`terraform.backend`)', '', ...changeTable(diff.backend));
  if (diff.terraform.length > 0) lines.push('**Terraform settings changed**', '', ...changeTable(diff.terraform));
  blockSection('Variable', diff.variables);
  blockSection('Output', diff.outputs);
  return lines;
}

const usd = (value: number): string => `$${value.toFixed(2)}`;
const signedUsd = (value: number): string => (value > 0 ? `+${usd(value)}` : value < 0 ? `-${usd(-value)}` : usd(0));
const countChange = (before: number | undefined, after: number | undefined): string =>
  before === undefined ? `${after} (new)` : after === undefined ? `${before} (removed)` : before === after ? String(after) : `${before} → ${after}`;

/** The cost section: every stack's priced total on both sides and the delta, then the total. */
function renderCost(diff: OutputDiff): string[] {
  if (!diff.cost) return ['### Estimated monthly cost', '', 'Not estimated:', '', ...(diff.costNotEstimated ?? []).map((problem) => `- ${problem}`), ''];
  const cost = diff.cost;
  return [
    '### Estimated monthly cost',
    '',
    `List prices in USD, ${cost.hoursPerMonth} h a month, both sides priced with price table ${cost.priceTableVersion}. Priced lines only: lines not priced (no price for their SKU or region) are in no figure; \`idpkit cost\` itemizes them.`,
    '',
    '| stack | base | head | delta | lines not priced |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...cost.stacks.map(
      (stack) =>
        `| ${code(stack.stack)} | ${stack.beforeUsd === undefined ? '-' : usd(stack.beforeUsd)} | ${stack.afterUsd === undefined ? '-' : usd(stack.afterUsd)} | ${signedUsd(stack.deltaUsd)} | ${countChange(stack.notPricedBefore, stack.notPricedAfter)} |`,
    ),
    `| **total** | **${usd(cost.beforeUsd)}** | **${usd(cost.afterUsd)}** | **${signedUsd(cost.deltaUsd)}** | ${countChange(cost.notPricedBefore, cost.notPricedAfter)} |`,
    '',
  ];
}

/** The diff as Markdown for a pull request comment: warnings first, then the cost per stack, then each changed stack. */
export function renderDiffMarkdown(diff: OutputDiff): string {
  const lines: string[] = [`## idpkit diff: ${code(diff.base)} → ${code(diff.head)}`, ''];
  const destructive = diff.warnings.filter((warning) => warning.severity === 'destructive');
  const cautions = diff.warnings.filter((warning) => warning.severity === 'caution');
  const warningLine = (warning: DiffWarning) => `> - ${code(warning.stack)}: ${warning.message}`;
  if (destructive.length > 0) lines.push('> [!CAUTION]', `> **${plural(destructive.length, 'destructive change')}**`, '>', ...destructive.map(warningLine), '');
  if (cautions.length > 0) lines.push('> [!WARNING]', `> **${plural(cautions.length, 'change')} to check**`, '>', ...cautions.map(warningLine), '');
  const nothing = diff.stacksAdded.length + diff.stacksRemoved.length + diff.stacksChanged.length === 0;
  if (nothing) {
    lines.push(`No differences in ${plural(diff.stacksUnchanged.length, 'stack')}.`, '', ...renderCost(diff));
    return lines.join('\n');
  }
  const summary = [
    diff.stacksAdded.length > 0 ? `added ${diff.stacksAdded.map((stack) => `${code(stack.stack)} (${plural(stack.resources, 'resource')})`).join(', ')}` : '',
    diff.stacksRemoved.length > 0 ? `removed ${diff.stacksRemoved.map((stack) => `${code(stack.stack)} (${plural(stack.resources, 'resource')})`).join(', ')}` : '',
    diff.stacksChanged.length > 0 ? `changed ${diff.stacksChanged.map((stack) => code(stack.stack)).join(', ')}` : '',
    diff.stacksUnchanged.length > 0 ? `unchanged ${diff.stacksUnchanged.map(code).join(', ')}` : '',
  ].filter(Boolean);
  lines.push(`Stacks: ${summary.join('; ')}.`, '', ...renderCost(diff));
  for (const stack of diff.stacksChanged) lines.push(...renderStack(stack));
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The diff as JSON (the {@link OutputDiff} shape), for scripts. */
export function renderDiffJson(diff: OutputDiff): string {
  return `${JSON.stringify(diff, null, 2)}\n`;
}

/** Adds `idpkit diff <base-out> <head-out>` to the program: exit 0, or 3 when a change is destructive. */
export function addDiffCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('diff')
    .description('compare two synthesized cdktf.out directories offline: stacks, resources, providers, backends, outputs, the estimated monthly cost per stack; destructive changes first (exit 3)')
    .addArgument(new Argument('<base-out>', 'the synthesized output to compare against, e.g. from main'))
    .addArgument(new Argument('<head-out>', 'the synthesized output with the changes, e.g. from the pull request'))
    .addOption(new Option('--format <format>', 'output format').choices(DIFF_FORMATS).default(DEFAULT_DIFF_FORMAT))
    .addHelpText(
      'after',
      '\nExit codes: 0 no destructive change, 3 a destructive change, 1 an unreadable directory, 2 usage.\n\nExamples:\n  idpkit diff base/cdktf.out cdktf.out\n  idpkit diff base/cdktf.out cdktf.out --format json\n',
    )
    .action((baseDir: string, headDir: string, options: { format: DiffFormat }) => {
      const cwd = io.cwd ?? process.cwd();
      const diff = diffSynthesizedOutputs(readSynthesizedOutput(baseDir, cwd), readSynthesizedOutput(headDir, cwd));
      io.stdout.write(options.format === 'json' ? renderDiffJson(diff) : renderDiffMarkdown(diff));
      setExitCode(diff.destructive ? EXIT_DESTRUCTIVE : EXIT_OK);
    });
}
