import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { Construct } from 'constructs';
import { DnsManagedZoneIamMember } from '@cdktf/provider-google/lib/dns-managed-zone-iam-member';
import { KmsCryptoKeyIamMember } from '@cdktf/provider-google/lib/kms-crypto-key-iam-member';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { WorkloadIdentity, WorkloadIdentityRequest, requireTarget } from '.';
import { gcpContext } from '../provider/gcp';
import { fitName } from '../../core/names';
import { GCP_SERVICES, requireServices } from '../services/gcp';

/** Object read, write, list and delete on one bucket (bucket-level binding). */
export const GCS_OBJECT_ADMIN_ROLE = 'roles/storage.objectAdmin';

/** Google service account ids: 6-30 characters, unique per project. */
const SERVICE_ACCOUNT_ID_MAX_LENGTH = 30;

/** Encrypt and decrypt with one key (key-level binding). */
const KMS_ENCRYPTER_DECRYPTER = 'roles/cloudkms.cryptoKeyEncrypterDecrypter';

/**
 * Read a key's metadata (`cloudkms.cryptoKeys.get`), granted on that key only: Vault's `gcpckms`
 * seal reads the key (its primary version) when it starts, before it encrypts or decrypts.
 *
 * @see https://developer.hashicorp.com/vault/docs/configuration/seal/gcpckms
 */
export const KMS_KEY_VIEWER_ROLE = 'roles/cloudkms.viewer';

/** Props of {@link GcpWorkloadIdentity}. */
export interface GcpWorkloadIdentityProps {
  /** Project of the cluster and the grants. */
  readonly projectId: string;
  /** Account id prefix, e.g. the cluster name: the id is `<prefix>-<request name>`, the prefix cut and hashed where that exceeds 30 characters ({@link fitName}). */
  readonly namePrefix: string;
  /**
   * The cluster's Workload Identity pool, `<project>.svc.id.goog`, as a reference to the cluster
   * (`GcpGkeCluster.workloadIdentityPool`): GKE creates the pool with the cluster and IAM refuses
   * members of a pool that does not exist, so the binding must wait for the cluster.
   */
  readonly workloadIdentityPool: string;
  /** What the service account needs. */
  readonly request: WorkloadIdentityRequest;
}

/**
 * A Google service account for one Kubernetes service account: only
 * `<project>.svc.id.goog[<namespace>/<name>]` may impersonate it (Workload Identity), and it holds
 * only its grants' roles (secret reads limited to names with the prefix by an IAM condition, and
 * `cloud` roles under the conditions they carry).
 *
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity
 */
export class GcpWorkloadIdentity extends Construct implements WorkloadIdentity {
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  readonly podLabels = {};
  /** The Google service account's e-mail. */
  readonly email: string;

  constructor(scope: Construct, id: string, props: GcpWorkloadIdentityProps) {
    super(scope, id);
    const { request } = props;
    const account = new ServiceAccount(this, 'account', {
      project: props.projectId,
      accountId: fitName(props.namePrefix, SERVICE_ACCOUNT_ID_MAX_LENGTH, `-${request.name}`),
      displayName: `${request.namespace}/${request.serviceAccount}`,
      dependsOn: requireServices(this, [GCP_SERVICES.iam]),
    });
    // Project-level bindings go through the Resource Manager API.
    const projectIam = requireServices(this, [GCP_SERVICES.cloudresourcemanager]);
    new ServiceAccountIamMember(this, 'workload-identity-user', {
      serviceAccountId: account.name,
      role: 'roles/iam.workloadIdentityUser',
      member: `serviceAccount:${props.workloadIdentityPool}[${request.namespace}/${request.serviceAccount}]`,
    });
    const member = `serviceAccount:${account.email}`;
    request.grants.forEach((grant, index) => {
      switch (grant.kind) {
        case 'secrets-read':
          new ProjectIamMember(this, `grant-${index}`, {
            project: props.projectId,
            role: 'roles/secretmanager.secretAccessor',
            member,
            dependsOn: projectIam,
            condition: {
              title: `secrets-${grant.prefix.replace(/[^a-z0-9]/gi, '-')}`,
              description: `Only secrets named ${grant.prefix}*`,
              expression: `resource.name.startsWith("projects/${gcpContext(this).projectNumber}/secrets/${grant.prefix}")`,
            },
          });
          break;
        case 'bucket-read-write':
          new StorageBucketIamMember(this, `grant-${index}`, { bucket: grant.bucket.bucketName, role: GCS_OBJECT_ADMIN_ROLE, member });
          break;
        case 'key-encrypt-decrypt':
          new KmsCryptoKeyIamMember(this, `grant-${index}`, { cryptoKeyId: grant.key.keyId, role: KMS_ENCRYPTER_DECRYPTER, member });
          break;
        case 'key-seal':
          new KmsCryptoKeyIamMember(this, `grant-${index}`, { cryptoKeyId: grant.key.keyId, role: KMS_ENCRYPTER_DECRYPTER, member });
          new KmsCryptoKeyIamMember(this, `grant-${index}-viewer`, { cryptoKeyId: grant.key.keyId, role: KMS_KEY_VIEWER_ROLE, member });
          break;
        case 'dns-records': {
          const managedZone = requireTarget(grant.zone.managedZone, request.name, grant.kind, 'the Cloud DNS managed zone name');
          // external-dns lists zones project-wide (read only) and changes records in this zone only.
          new ProjectIamMember(this, `grant-${index}-reader`, { project: grant.zone.project ?? props.projectId, role: 'roles/dns.reader', member, dependsOn: projectIam });
          new DnsManagedZoneIamMember(this, `grant-${index}`, { project: grant.zone.project ?? props.projectId, managedZone, role: 'roles/dns.admin', member });
          break;
        }
        case 'cloud':
          (grant.gcp ?? []).forEach(
            ({ role, condition }, roleIndex) => new ProjectIamMember(this, `grant-${index}-${roleIndex}`, { project: props.projectId, role, member, condition, dependsOn: projectIam }),
          );
          break;
      }
    });
    this.serviceAccountAnnotations = { 'iam.gke.io/gcp-service-account': account.email };
    this.email = account.email;
  }
}
