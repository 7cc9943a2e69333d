import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import { Construct } from 'constructs';
import { stackSingleton } from '../../core/singleton';

/**
 * The Google APIs idpkit uses, by short name. Each construct enables the ones it calls with
 * {@link requireServices}; its resources depend on them, so a fresh project works on first apply.
 *
 * @see https://cloud.google.com/service-usage/docs/enabled-service
 */
export const GCP_SERVICES = {
  /** Enables the other APIs; usually on in new projects, see docs/gcp.md. */
  serviceusage: 'serviceusage.googleapis.com',
  /** Project lookups and project-level IAM bindings. */
  cloudresourcemanager: 'cloudresourcemanager.googleapis.com',
  /** Service accounts. */
  iam: 'iam.googleapis.com',
  /** VPC, subnets, Cloud Router and NAT, node VMs. */
  compute: 'compute.googleapis.com',
  /** GKE. */
  container: 'container.googleapis.com',
  /** Cloud KMS key rings and keys. */
  cloudkms: 'cloudkms.googleapis.com',
  /** Artifact Registry. */
  artifactregistry: 'artifactregistry.googleapis.com',
  /** Automatic vulnerability scanning of images pushed to Artifact Registry. */
  containerscanning: 'containerscanning.googleapis.com',
  /** Cloud Logging: GKE system, control-plane and workload logs, flow logs, NAT logs. */
  logging: 'logging.googleapis.com',
  /** Cloud Monitoring and Managed Service for Prometheus. */
  monitoring: 'monitoring.googleapis.com',
  /** Cloud Storage (the state bucket). */
  storage: 'storage.googleapis.com',
  /** Cloud SQL instances, databases and users. */
  sqladmin: 'sqladmin.googleapis.com',
  /** Private services access (VPC peering for Cloud SQL private IP). */
  servicenetworking: 'servicenetworking.googleapis.com',
  /** Secret Manager (database connection details). */
  secretmanager: 'secretmanager.googleapis.com',
  /** Cloud Billing Budget API (environment budgets). */
  billingbudgets: 'billingbudgets.googleapis.com',
  /** Security Token Service: exchanges GitHub's OIDC tokens (Workload Identity Federation). */
  sts: 'sts.googleapis.com',
  /** Service Account Credentials: short-lived tokens of impersonated service accounts (CI). */
  iamcredentials: 'iamcredentials.googleapis.com',
} as const;

/** A Google API idpkit may enable. */
export type GcpService = (typeof GCP_SERVICES)[keyof typeof GCP_SERVICES];

const SERVICES_ID = 'project-services';

/**
 * Enables Google APIs in the stack's project, once per stack however many constructs ask, and
 * returns their `google_project_service` resources for `dependsOn`. APIs stay enabled when the
 * stack is destroyed (`disable_on_destroy = false`): other stacks or people may use them, and
 * disabling an API can delete its resources.
 *
 * @see https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/google_project_service
 * @example
 * new KmsKeyRing(this, 'ring', { name, location, dependsOn: requireServices(this, [GCP_SERVICES.cloudkms]) });
 */
export function requireServices(scope: Construct, services: readonly GcpService[]): ProjectService[] {
  const holder = stackSingleton(scope, SERVICES_ID, (stack, id) => new Construct(stack, id));
  return [...new Set(services)].map((service) => {
    const id = service.split('.')[0];
    return (
      (holder.node.tryFindChild(id) as ProjectService | undefined) ??
      new ProjectService(holder, id, { service, disableOnDestroy: false, disableDependentServices: false })
    );
  });
}
