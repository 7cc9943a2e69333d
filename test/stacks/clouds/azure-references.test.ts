import { environmentSets } from '../../../environments';
import { validateEnvironments } from '../../../environments/types';
import { TerraformJson } from '../../helpers';
import { synthesizedStacksOf } from '../../support/synthesized-sets';

/**
 * On a fresh subscription nothing exists yet: a resource that names a resource group, vault,
 * account, identity or zone of its own stack by a literal string (rather than a reference to the
 * resource that creates it, or a depends_on on it) is created in parallel with it and fails
 * (ResourceGroupNotFound, ParentResourceNotFound). A platform stack reads what the infra stack
 * created through cross-stack references, never copies of its names.
 */

/** Resources whose names others use: as a whole value, or as a segment of an ARM id (`/resourceGroups/<name>`). */
const CREATORS = /^azurerm_(resource_group|key_vault|storage_account|storage_container|user_assigned_identity|kubernetes_cluster|log_analytics_workspace|private_dns_zone|container_registry|postgresql_flexible_server|virtual_network|subnet|disk_encryption_set|network_security_group|nat_gateway|public_ip|monitor_action_group)$/;

/** What the platform stack may copy from the infra stack: the cluster's name is a label of metrics, logs and DNS records there, never an Azure lookup. */
const CROSS_STACK_CREATORS = /^azurerm_(resource_group|key_vault|storage_account|storage_container|user_assigned_identity|container_registry|postgresql_flexible_server)$/;

interface Creator {
  readonly address: string;
  readonly name: string;
}

type Stacks = Record<string, TerraformJson>;

/** The stacks of a set's Azure environments, from the set's synthesis (main.ts), by name. */
function synthesizeAzure(set: 'examples' | 'presets'): Stacks {
  return synthesizedStacksOf(set, validateEnvironments(environmentSets[set]).filter((env) => env.cloud === 'azure'));
}

const bodies = (json: TerraformJson, kind: 'resource' | 'data' = 'resource') =>
  Object.entries(json[kind] ?? {}).flatMap(([type, byName]) => Object.entries(byName).map(([name, body]) => ({ type, address: `${kind === 'data' ? 'data.' : ''}${type}.${name}`, body: body as any })));

/** A literal attribute, or the literal `name` of the resource a `${type.name.name}` reference points to. */
function literal(json: TerraformJson, value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const reference = /^\$\{(azurerm_[a-z_]+)\.([^.}]+)\.name\}$/.exec(value);
  if (!reference) return value.includes('${') ? undefined : value;
  return literal(json, json.resource[reference[1]]?.[reference[2]]?.name);
}

/** Names the stack's resources create: their own, and the node resource group AKS makes (`MC_<group>_<cluster>_<location>` unless set). */
function creatorsOf(json: TerraformJson, types: RegExp): Creator[] {
  return bodies(json).flatMap(({ type, address, body }) => {
    if (!types.test(type)) return [];
    const name = literal(json, body.name);
    const own = name && name.length >= 3 ? [{ address, name }] : [];
    if (type !== 'azurerm_kubernetes_cluster') return own;
    const group = literal(json, body.resource_group_name);
    const nodeGroup = literal(json, body.node_resource_group) ?? (group && name ? `MC_${group}_${name}_${body.location}` : undefined);
    return nodeGroup ? [...own, { address, name: nodeGroup }] : own;
  });
}

/** Every string in a value, with its path. */
function strings(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((item, index) => strings(item, `${path}[${index}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => strings(item, path ? `${path}.${key}` : key));
  return [];
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether a string uses a name: the whole value, an ARM id segment, or a quoted or YAML value in a chart's values. */
const uses = (text: string, name: string) => new RegExp(`(^|[/"'\\s=:,])${escape(name)}($|[/"'\\s,;])`, 'i').test(text);

/** `<stack> <address>.<attribute> names <creator> "<name>" literally` for every literal use of a creator's name without a reference or dependency. */
function literalUses(json: TerraformJson, creators: readonly Creator[], stack: string, crossStack: boolean): string[] {
  const users = [...bodies(json), ...bodies(json, 'data'), ...Object.entries(json.output ?? {}).map(([name, body]) => ({ type: 'output', address: `output.${name}`, body }))];
  return users.flatMap(({ address, body }) => {
    const dependsOn: string[] = body.depends_on ?? [];
    const text = JSON.stringify(body);
    return strings(body).flatMap(([path, value]) => {
      // A resource's own name, its tags and description are not lookups of another resource.
      if (path === 'name' || /^(tags|description|\/\/|depends_on)\b/.test(path)) return [];
      return creators
        .filter((creator) => creator.address !== address && uses(value, creator.name))
        .filter((creator) => crossStack || !(text.includes(`\${${creator.address}.`) || dependsOn.includes(creator.address)))
        .map((creator) => `${stack} ${address}.${path} names ${creator.address} "${creator.name}" literally`);
    });
  });
}

function violations(stacks: Stacks): string[] {
  return Object.entries(stacks).flatMap(([stack, json]) => {
    const own = literalUses(json, creatorsOf(json, CREATORS), stack, false);
    const infra = stack.endsWith('-platform') ? stacks[stack.replace(/-platform$/, '-infra')] : undefined;
    return infra ? [...own, ...literalUses(json, creatorsOf(infra, CROSS_STACK_CREATORS), stack, true)] : own;
  });
}

/** Resources whose creation Azure checks against a role assignment made in the same apply. */
const NEEDS_ROLES = /^azurerm_(key_vault_key|key_vault_secret|disk_encryption_set|storage_account|container_registry|postgresql_flexible_server|kubernetes_cluster)$/;

describe.each(['examples', 'presets'] as const)('Azure environments of the %s set, on a fresh subscription', (set) => {
  const stacks = synthesizeAzure(set);

  test('are synthesized: infra, platform and bootstrap stacks', () => {
    const names = Object.keys(stacks);
    expect(names.some((name) => name.endsWith('-infra'))).toBe(true);
    expect(names.some((name) => name.endsWith('-platform'))).toBe(true);
    expect(names.some((name) => name.startsWith('bootstrap-'))).toBe(true);
  });

  test('no resource names a resource group, vault, account, identity or zone of its stack by a literal string; the platform stack reads the infra stack by reference', () => {
    expect(violations(stacks)).toEqual([]);
  });

  test('every role assignment scoped to a resource group of the stack, or to the AKS node resource group, waits for it', () => {
    for (const [stack, json] of Object.entries(stacks)) {
      const groups = creatorsOf(json, /^azurerm_(resource_group|kubernetes_cluster)$/);
      for (const { address, body } of bodies(json).filter(({ type }) => type === 'azurerm_role_assignment')) {
        const scope: string = body.scope;
        for (const group of groups.filter((g) => uses(scope, g.name))) {
          expect({ stack, address, scope, waits: scope.includes(`\${${group.address}.`) || (body.depends_on ?? []).includes(group.address) }).toEqual({ stack, address, scope, waits: true });
        }
      }
    }
  });

  test('resources that Azure checks against a role at create time depend on a wait after it, never on the bare assignment', () => {
    for (const [stack, json] of Object.entries(stacks)) {
      for (const { type, address, body } of bodies(json).filter(({ type }) => NEEDS_ROLES.test(type))) {
        const direct = (body.depends_on ?? []).filter((dependency: string) => dependency.startsWith('azurerm_role_assignment.'));
        expect({ stack, address, direct }).toEqual({ stack, address, direct: [] });
        if (type === 'azurerm_storage_account' && !body.customer_managed_key) continue;
        if (type === 'azurerm_container_registry' && !body.encryption) continue;
        expect({ stack, address, waits: (body.depends_on ?? []).some((dependency: string) => dependency.startsWith('time_sleep.')) }).toEqual({ stack, address, waits: true });
      }
    }
  });
});
