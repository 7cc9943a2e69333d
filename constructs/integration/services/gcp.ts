import { DataGoogleStorageProjectServiceAccount } from '@cdktf/provider-google/lib/data-google-storage-project-service-account';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import { Construct } from 'constructs';
import { ITerraformDependable, TerraformResource } from '../../core/cdktf';
import { stackSingleton } from '../../core/singleton';
import { GOOGLE_BETA_PROVIDER, GOOGLE_BETA_PROVIDER_VERSION, gcpContext, googleBetaProvider } from '../provider/gcp';

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
 * import { KmsKeyRing } from '@cdktf/provider-google/lib/kms-key-ring';
 * new KmsKeyRing(this, 'ring', { name: 'idpkit-prod', location: 'europe-west1', dependsOn: requireServices(this, [GCP_SERVICES.cloudkms]) });
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

/**
 * How a Google service agent comes to exist:
 * - `api`: Google creates it (and grants its role) when the API is enabled; grants wait for the API.
 * - `generated`: it exists only after the service's first use, which may need a grant to it first
 *   (a CMEK key), so idpkit asks for it (`google_project_service_identity`, google-beta) and grants
 *   the role Google would have granted on first use (`role`), since agents created on request get none.
 * - `storage`: Cloud Storage's agent, created by reading it (`data.google_storage_project_service_account`).
 */
export type GcpServiceAgentCreation = 'api' | 'generated' | 'storage';

/** One Google service agent idpkit grants roles to. */
export interface GcpServiceAgentSpec {
  /** The API it belongs to. */
  readonly service: GcpService;
  /** The domain of its e-mail, `service-<project number>@<domain>.iam.gserviceaccount.com`. */
  readonly domain: string;
  readonly creation: GcpServiceAgentCreation;
  /** The project role Google grants it when it creates the agent itself. @default - none */
  readonly role?: string;
}

/**
 * The service agents idpkit grants roles to (each on the key it uses), and how each comes to
 * exist: one table, so every grant to an agent waits for the agent.
 *
 * @see https://cloud.google.com/iam/docs/service-agents
 * @see https://cloud.google.com/iam/docs/create-service-agents
 */
export const GCP_SERVICE_AGENTS = {
  /** GKE's agent: Kubernetes secrets encryption with `gke-secrets`. Created with the API (`roles/container.serviceAgent`). */
  container: { service: GCP_SERVICES.container, domain: 'container-engine-robot', creation: 'api' },
  /** Artifact Registry's agent: image encryption. Created on the first repository otherwise. */
  artifactregistry: { service: GCP_SERVICES.artifactregistry, domain: 'gcp-sa-artifactregistry', creation: 'generated', role: 'roles/artifactregistry.serviceAgent' },
  /** Cloud SQL's agent: instance encryption. Created on the first instance otherwise. */
  sqladmin: { service: GCP_SERVICES.sqladmin, domain: 'gcp-sa-cloud-sql', creation: 'generated', role: 'roles/cloudsql.serviceAgent' },
  /** Secret Manager's agent: secret encryption (no project role). Created on first use otherwise. */
  secretmanager: { service: GCP_SERVICES.secretmanager, domain: 'gcp-sa-secretmanager', creation: 'generated' },
  /** Cloud Storage's agent: bucket encryption (no project role). */
  storage: { service: GCP_SERVICES.storage, domain: 'gs-project-accounts', creation: 'storage' },
} as const satisfies Record<string, GcpServiceAgentSpec>;

/** A service agent of {@link GCP_SERVICE_AGENTS}, by API short name. */
export type GcpServiceAgentName = keyof typeof GCP_SERVICE_AGENTS;

/** A Google service agent of the stack's project, as grants to it need it. */
export interface GcpServiceAgent {
  /**
   * `serviceAccount:<e-mail>`: a reference to the resource that created or read the agent where
   * there is one, so a grant naming it waits for the agent.
   */
  readonly member: string;
  /** What a grant to the agent waits for besides `member`: the API (agents made with it) and the agent's project role. */
  readonly dependsOn: readonly ITerraformDependable[];
}

/**
 * `google_project_service_identity` (google-beta only in provider 6.50.0, hence bound here):
 * asks Google to create a service's agent and returns it. It has no read and no delete: Terraform
 * forgets it on destroy and the agent stays.
 *
 * @see https://registry.terraform.io/providers/hashicorp/google-beta/6.50.0/docs/resources/project_service_identity
 */
class ProjectServiceIdentity extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    private readonly attributes: { readonly project: string; readonly service: string; readonly dependsOn: ITerraformDependable[] },
  ) {
    super(scope, id, {
      terraformResourceType: 'google_project_service_identity',
      terraformGeneratorMetadata: { providerName: GOOGLE_BETA_PROVIDER, providerVersion: GOOGLE_BETA_PROVIDER_VERSION },
      provider: googleBetaProvider(scope),
      dependsOn: attributes.dependsOn,
    });
  }

  /** `serviceAccount:<agent e-mail>`. */
  get member(): string {
    return this.getStringAttribute('member');
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { project: this.attributes.project, service: this.attributes.service };
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    const text = (value: string) => ({ value, isBlock: false, type: 'simple', storageClassType: 'string' });
    return { project: text(this.attributes.project), service: text(this.attributes.service) };
  }
}

class ServiceAgent extends Construct implements GcpServiceAgent {
  readonly member: string;
  readonly dependsOn: readonly ITerraformDependable[];

  constructor(scope: Construct, id: string, spec: GcpServiceAgentSpec) {
    super(scope, id);
    const api = requireServices(this, [spec.service]);
    switch (spec.creation) {
      case 'api':
        this.member = `serviceAccount:service-${gcpContext(this).projectNumber}@${spec.domain}.iam.gserviceaccount.com`;
        this.dependsOn = api;
        break;
      case 'storage':
        // Reading Cloud Storage's agent also creates it.
        this.member = new DataGoogleStorageProjectServiceAccount(this, 'agent', { dependsOn: api }).member;
        this.dependsOn = [];
        break;
      case 'generated': {
        const { projectId } = gcpContext(this);
        this.member = new ProjectServiceIdentity(this, 'agent', { project: projectId, service: spec.service, dependsOn: api }).member;
        this.dependsOn = spec.role
          ? [
              new ProjectIamMember(this, 'role', {
                project: projectId,
                role: spec.role,
                member: this.member,
                dependsOn: requireServices(this, [GCP_SERVICES.cloudresourcemanager]),
              }),
            ]
          : [];
        break;
      }
    }
  }
}

/**
 * The service agent of a Google API in the stack's project, made to exist before anything is
 * granted to it (see {@link GCP_SERVICE_AGENTS}), once per stack however many constructs ask.
 *
 * @example
 * declare const key: GcpKmsKey;
 * key.grantEncryptDecrypt('cloud-sql-agent', gcpServiceAgent(this, 'sqladmin'));
 */
export function gcpServiceAgent(scope: Construct, name: GcpServiceAgentName): GcpServiceAgent {
  return stackSingleton(scope, `service-agent-${name}`, (stack, id) => new ServiceAgent(stack, id, GCP_SERVICE_AGENTS[name]));
}
