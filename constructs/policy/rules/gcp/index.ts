/** The GCP pack: Cloud SQL, GKE and Cloud Storage. */
import type { Rule } from '../../engine';
import { cloudSqlDeletionProtectionRule } from './cloud-sql-deletion-protection';
import { cloudSqlPrivateRule } from './cloud-sql-private';
import { gkePrivateNodesRule } from './gke-private-nodes';
import { storageBucketAccessRule } from './storage-bucket-access';

export { cloudSqlDeletionProtectionRule, cloudSqlPrivateRule, gkePrivateNodesRule, storageBucketAccessRule };

/** The rules of the GCP pack, in id order. */
export const GCP_RULES: readonly Rule[] = [cloudSqlPrivateRule, cloudSqlDeletionProtectionRule, gkePrivateNodesRule, storageBucketAccessRule];
