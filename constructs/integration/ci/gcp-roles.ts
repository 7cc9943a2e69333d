/**
 * What the GCP apply service account may do, derived from what it applies: a table from Terraform
 * types to the predefined service roles they take (instead of `roles/editor`), and the IAM
 * condition that limits its project IAM changes to the roles idpkit grants.
 *
 * @see https://cloud.google.com/iam/docs/roles-permissions
 * @see https://cloud.google.com/iam/docs/conditions-attribute-reference#iam
 */
import { IdpkitError, describeValue } from '../../core/errors';
import { TYPES_WITHOUT_CLOUD_CALLS } from '.';

/**
 * Marks the types that need the environment's custom budget role ({@link GCP_BUDGET_PERMISSIONS}):
 * no predefined project role but Owner and Editor manages single-project budgets.
 */
export const GCP_BUDGET_ROLE = 'budget-role';

/** Permissions of the apply account's custom role for the environment's single-project budget. */
export const GCP_BUDGET_PERMISSIONS: readonly string[] = ['billing.resourcebudgets.read', 'billing.resourcebudgets.write'];

const NETWORK = ['roles/compute.networkAdmin'];
const KMS = ['roles/cloudkms.admin'];
const STORAGE = ['roles/storage.admin'];
const SQL = ['roles/cloudsql.admin'];
const SECRETS = ['roles/secretmanager.admin'];
const SERVICES = ['roles/serviceusage.serviceUsageAdmin'];
const NONE: readonly string[] = [];

/**
 * Predefined roles per Terraform type the platform applies, resources and data sources alike
 * (`[]`: no Google API beyond what another entry grants, e.g. Kubernetes and Helm resources,
 * which `roles/container.admin` covers). A type missing here fails synthesis
 * (IDPKIT_INVALID_PROPS): add it when a construct starts using it.
 */
export const GCP_APPLY_ROLES: Readonly<Record<string, readonly string[]>> = {
  google_artifact_registry_repository: ['roles/artifactregistry.admin'],
  google_artifact_registry_repository_iam_member: ['roles/artifactregistry.admin'],
  google_billing_budget: [GCP_BUDGET_ROLE],
  google_compute_firewall: ['roles/compute.securityAdmin'],
  google_compute_global_address: NETWORK,
  google_compute_network: NETWORK,
  google_compute_router: NETWORK,
  google_compute_router_nat: NETWORK,
  google_compute_subnetwork: NETWORK,
  // Node pools run as the node service account: acting as it takes serviceAccountUser.
  google_container_cluster: ['roles/container.admin', 'roles/iam.serviceAccountUser'],
  google_container_node_pool: ['roles/container.admin', 'roles/iam.serviceAccountUser'],
  google_dns_managed_zone_iam_member: ['roles/dns.admin'],
  google_kms_crypto_key: KMS,
  google_kms_crypto_key_iam_member: KMS,
  google_kms_key_ring: KMS,
  google_monitoring_alert_policy: ['roles/monitoring.editor'],
  google_monitoring_notification_channel: ['roles/monitoring.editor'],
  google_project: ['roles/browser'],
  google_project_iam_member: ['roles/resourcemanager.projectIamAdmin'],
  google_project_service: SERVICES,
  google_project_service_identity: SERVICES,
  google_secret_manager_secret: SECRETS,
  google_secret_manager_secret_version: SECRETS,
  google_service_account: ['roles/iam.serviceAccountAdmin'],
  google_service_account_iam_member: ['roles/iam.serviceAccountAdmin'],
  google_service_networking_connection: ['roles/servicenetworking.networksAdmin', ...NETWORK],
  google_sql_database: SQL,
  google_sql_database_instance: SQL,
  google_storage_bucket: STORAGE,
  google_storage_bucket_iam_member: STORAGE,
  google_storage_project_service_account: ['roles/browser'],
  ...Object.fromEntries(TYPES_WITHOUT_CLOUD_CALLS.map((type) => [type, NONE])),
};

/** The role that changes project IAM policies, granted to the apply account only under {@link gcpGrantCondition}. */
export const PROJECT_IAM_ADMIN = 'roles/resourcemanager.projectIamAdmin';

/**
 * Project roles the apply account may never grant: they change IAM (Owner, Editor, the IAM
 * admins) or act as other service accounts (user, token creator, workload identity user, key
 * admin), which would reach whatever those accounts hold.
 */
export const GCP_PRIVILEGED_ROLES: readonly string[] = [
  'roles/editor',
  'roles/iam.roleAdmin',
  'roles/iam.securityAdmin',
  'roles/iam.serviceAccountAdmin',
  'roles/iam.serviceAccountKeyAdmin',
  'roles/iam.serviceAccountTokenCreator',
  'roles/iam.serviceAccountUser',
  'roles/iam.workloadIdentityUser',
  'roles/owner',
  PROJECT_IAM_ADMIN,
];

/**
 * Project roles the platform grants when the environment's stacks are not known: those idpkit's
 * constructs bind on the project (service agents, node and workload service accounts).
 */
export const DEFAULT_GRANTABLE_ROLES: readonly string[] = [
  'roles/artifactregistry.serviceAgent',
  'roles/cloudsql.admin',
  'roles/cloudsql.serviceAgent',
  'roles/container.admin',
  'roles/container.defaultNodeServiceAccount',
  'roles/dns.reader',
  'roles/secretmanager.secretAccessor',
  'roles/storage.admin',
];

/** The roles (sorted, {@link GCP_BUDGET_ROLE} included as is) applying these types takes; throws IDPKIT_INVALID_PROPS for a type the table does not know. */
export function gcpApplyRoles(types: readonly string[], where: string): string[] {
  const unknown = [...new Set(types)].filter((type) => !(type in GCP_APPLY_ROLES)).sort();
  if (unknown.length > 0) {
    throw new IdpkitError(
      'IDPKIT_INVALID_PROPS',
      unknown.map(
        (type) =>
          `${where}: Terraform type ${describeValue(
            type
          )} has no roles in GCP_APPLY_ROLES (constructs/integration/ci/gcp-roles.ts): add the roles applying it takes, or give ci.permissions.apply`
      )
    );
  }
  return [...new Set(types.flatMap((type) => GCP_APPLY_ROLES[type]))].sort();
}

/** Checks that no grantable role is privileged ({@link GCP_PRIVILEGED_ROLES}); returns them sorted. */
export function gcpGrantableRoles(roles: readonly string[], where: string): string[] {
  const privileged = [...new Set(roles)].filter((role) => GCP_PRIVILEGED_ROLES.includes(role)).sort();
  if (privileged.length > 0) {
    throw new IdpkitError(
      'IDPKIT_INVALID_PROPS',
      privileged.map((role) => `${where}: role ${describeValue(role)} may not be grantable by the apply account (it changes IAM or acts as other service accounts): remove it`)
    );
  }
  return [...new Set(roles)].sort();
}

/**
 * The IAM condition of the apply account's `roles/resourcemanager.projectIamAdmin` binding: a
 * change to the project's policy may add or remove bindings of these roles only
 * (`iam.googleapis.com/modifiedGrantsByRole`); reads are unaffected.
 *
 * @see https://cloud.google.com/iam/docs/setting-limits-on-granting-roles
 */
export function gcpGrantCondition(roles: readonly string[]): {
  title: string;
  description: string;
  expression: string;
} {
  return {
    title: 'idpkit-grantable-roles-only',
    description: 'Project IAM changes only for the roles the platform grants (never owner, editor or IAM admin roles)',
    expression: `api.getAttribute('iam.googleapis.com/modifiedGrantsByRole', []).hasOnly([${[...roles]
      .sort()
      .map((role) => `'${role}'`)
      .join(', ')}])`,
  };
}
