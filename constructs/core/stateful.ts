/**
 * Which Terraform resource types hold state that a replacement or deletion loses: databases,
 * buckets, clusters, keys, volumes, registries, secret stores. `idpkit plan-summary` and
 * `idpkit diff` call out changes to these first. One table for every cloud.
 */

/** What a stateful resource holds, for the warning line. */
export type StatefulKind = 'database' | 'bucket' | 'cluster' | 'key' | 'volume' | 'registry' | 'secrets' | 'state' | 'dns';

/** Stateful resource types by exact type name. */
export const STATEFUL_RESOURCE_TYPES: Readonly<Record<string, StatefulKind>> = {
  // AWS
  aws_db_instance: 'database',
  aws_rds_cluster: 'database',
  aws_dynamodb_table: 'database',
  aws_s3_bucket: 'bucket',
  aws_eks_cluster: 'cluster',
  aws_eks_node_group: 'cluster',
  aws_kms_key: 'key',
  aws_ebs_volume: 'volume',
  aws_efs_file_system: 'volume',
  aws_ecr_repository: 'registry',
  aws_secretsmanager_secret: 'secrets',
  aws_route53_zone: 'dns',
  // Azure
  azurerm_postgresql_flexible_server: 'database',
  azurerm_postgresql_flexible_server_database: 'database',
  azurerm_mssql_database: 'database',
  azurerm_storage_account: 'bucket',
  azurerm_storage_container: 'bucket',
  azurerm_kubernetes_cluster: 'cluster',
  azurerm_kubernetes_cluster_node_pool: 'cluster',
  azurerm_key_vault: 'secrets',
  azurerm_key_vault_key: 'key',
  azurerm_key_vault_secret: 'secrets',
  azurerm_managed_disk: 'volume',
  azurerm_container_registry: 'registry',
  azurerm_resource_group: 'state',
  azurerm_dns_zone: 'dns',
  // GCP
  google_sql_database_instance: 'database',
  google_sql_database: 'database',
  google_storage_bucket: 'bucket',
  google_container_cluster: 'cluster',
  google_container_node_pool: 'cluster',
  google_kms_key_ring: 'key',
  google_kms_crypto_key: 'key',
  google_compute_disk: 'volume',
  google_artifact_registry_repository: 'registry',
  google_secret_manager_secret: 'secrets',
  google_dns_managed_zone: 'dns',
  // Kubernetes and Helm: releases own PersistentVolumeClaims and custom resources
  kubernetes_persistent_volume_claim_v1: 'volume',
  kubernetes_persistent_volume_claim: 'volume',
  kubernetes_namespace_v1: 'state',
  kubernetes_namespace: 'state',
  helm_release: 'state',
};

/** What a resource type holds, or undefined when losing it loses nothing but configuration. */
export function statefulKindOf(resourceType: string): StatefulKind | undefined {
  return STATEFUL_RESOURCE_TYPES[resourceType];
}
