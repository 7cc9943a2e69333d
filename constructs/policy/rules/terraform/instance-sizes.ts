import type { Cloud } from '../../../core/clouds';
import { TIER_RULES, TIERS } from '../../../core/tiers';
import { machineVcpus } from '../../../infrastructure/cluster/node-sizes';
import type { Rule, TerraformJson } from '../../rule';
import { block, isReference } from '../../private/terraform-json';

/** What a sized resource is, for the tier limit that applies: nodes or databases. */
type SizedKind = 'node' | 'database';

/** Where each sized resource type names its machine types, and how to read them as a cloud's machine type names. */
const SIZED_RESOURCES: Readonly<Record<string, { readonly cloud: Cloud; readonly kind: SizedKind; readonly machineTypes: (body: TerraformJson) => unknown[] }>> = {
  aws_eks_node_group: { cloud: 'aws', kind: 'node', machineTypes: (body) => (Array.isArray(body.instance_types) ? body.instance_types : []) },
  aws_db_instance: { cloud: 'aws', kind: 'database', machineTypes: (body) => [body.instance_class] },
  aws_rds_cluster_instance: { cloud: 'aws', kind: 'database', machineTypes: (body) => [body.instance_class] },
  azurerm_kubernetes_cluster: { cloud: 'azure', kind: 'node', machineTypes: (body) => [block(body.default_node_pool)?.vm_size] },
  azurerm_kubernetes_cluster_node_pool: { cloud: 'azure', kind: 'node', machineTypes: (body) => [body.vm_size] },
  // Flexible server SKUs prefix the VM size with the tier: GP_Standard_D4ds_v5, B_Standard_B2s, MO_Standard_E4ds_v5.
  azurerm_postgresql_flexible_server: { cloud: 'azure', kind: 'database', machineTypes: (body) => [typeof body.sku_name === 'string' ? body.sku_name.replace(/^[A-Z]+_/, '') : undefined] },
  google_container_node_pool: { cloud: 'gcp', kind: 'node', machineTypes: (body) => [block(body.node_config)?.machine_type] },
  google_sql_database_instance: { cloud: 'gcp', kind: 'database', machineTypes: (body) => [block(body.settings)?.tier] },
};

/** The tier's vCPU limit for a kind of resource. */
const LIMITS: Readonly<Record<SizedKind, 'maxNodeVcpus' | 'maxDatabaseVcpus'>> = { node: 'maxNodeVcpus', database: 'maxDatabaseVcpus' };

/**
 * IDP-TF-003: node and database machine types stay within the tier's vCPU limits (TIER_RULES:
 * the same limits environment validation applies), so a dev environment cannot grow prod-sized
 * machines by an override. Machine types whose names do not tell their vCPUs are not judged.
 */
export const instanceSizesRule: Rule = {
  id: 'IDP-TF-003',
  severity: 'error',
  summary: "Node and database machine types are within the tier's vCPU limits",
  fix: `Choose a smaller machine type: nodes up to ${TIERS.map((tier) => `${TIER_RULES[tier].maxNodeVcpus} (${tier})`).join(', ')} vCPUs, databases up to ${TIERS.map((tier) => `${TIER_RULES[tier].maxDatabaseVcpus} (${tier})`).join(', ')} vCPUs.`,
  appliesTo: Object.keys(SIZED_RESOURCES),
  check(body, context) {
    const sized = SIZED_RESOURCES[context.type];
    if (!sized) return 'not-applicable';
    const limit = TIER_RULES[context.tier][LIMITS[sized.kind]];
    const vcpus = sized
      .machineTypes(body)
      .filter((machineType): machineType is string => typeof machineType === 'string' && !isReference(machineType))
      .map((machineType) => machineVcpus(sized.cloud, machineType))
      .filter((count): count is number => count !== undefined);
    if (vcpus.length === 0) return 'not-applicable';
    return vcpus.every((count) => count <= limit) ? 'compliant' : 'non-compliant';
  },
};
