import { ArtifactRegistryRepository } from '@cdktf/provider-google/lib/artifact-registry-repository';
import { ArtifactRegistryRepositoryIamMember } from '@cdktf/provider-google/lib/artifact-registry-repository-iam-member';
import { Construct } from 'constructs';
import { ContainerRegistry, ContainerRegistryProps, REGISTRY_DEFAULTS, registryForceDelete, registryPropProblems } from '.';
import { Token } from '../../core/cdktf';
import { IdpkitError, describeValue } from '../../core/errors';
import { GCP_SERVICES, gcpServiceAgent, requireServices } from '../../integration/services/gcp';
import { GcpKmsKey } from '../keys/gcp';

/** The role {@link GcpArtifactRegistry.grantPull} grants: read (pull) images of one repository. */
export const ARTIFACT_REGISTRY_READER_ROLE = 'roles/artifactregistry.reader';

/** The role {@link GcpArtifactRegistry.grantPush} grants: push (and pull) images of one repository. */
export const ARTIFACT_REGISTRY_WRITER_ROLE = 'roles/artifactregistry.writer';

/** Artifact Registry repository ids: a lowercase letter, then lowercase letters, digits and "-", at most 63. */
const REPOSITORY_ID = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Props of {@link GcpArtifactRegistry}. */
export interface GcpArtifactRegistryProps extends ContainerRegistryProps {
  /** Region of the repository (and its key), e.g. `europe-west1`. */
  readonly region: string;
  /** Id of the one Docker repository that holds every image path. @default name */
  readonly repositoryId?: string;
  /** Key that encrypts images. @default - a new key is created */
  readonly encryptionKey?: GcpKmsKey;
  /** Days a scheduled destruction of a key this construct creates waits. @default - the tier's `keyDeletionWindowDays` (dev 7, staging and prod 30); 30 without a tier */
  readonly keyDeletionWindowDays?: number;
  /** Scan pushed images for vulnerabilities (Artifact Analysis, billed per image). @default true */
  readonly vulnerabilityScanning?: boolean;
}

/**
 * One Artifact Registry Docker repository per environment; the environment's repositories are
 * image paths inside it (Artifact Registry repository ids cannot contain "/"). Tags are immutable,
 * images are encrypted with a Cloud KMS key (the Artifact Registry service agent is granted on that
 * key only), untagged images are deleted after `untaggedImageExpiryDays`, and pushed images are
 * scanned for vulnerabilities. With `forceDelete` off the repository (and the key it creates)
 * refuses `terraform destroy` (`prevent_destroy`), because deleting a repository deletes its images.
 *
 * The Artifact Registry service agent exists only after a project's first repository, yet the key
 * grant needs it before the repository: {@link gcpServiceAgent} has Google create it first.
 *
 * @see https://cloud.google.com/artifact-registry/docs/cmek
 * @see https://cloud.google.com/artifact-registry/docs/repositories/cleanup-policy
 * @example
 * declare const cluster: GcpGkeCluster;
 * const registry = new GcpArtifactRegistry(this, 'registry', { name: 'prod', region: 'europe-west1', repositories: ['platform/backstage'] });
 * registry.repositoryUrls['platform/backstage']; // europe-west1-docker.pkg.dev/<project>/prod/platform/backstage
 * registry.grantPull(cluster.nodeServiceAccountMember, 'gke-nodes');
 */
export class GcpArtifactRegistry extends Construct implements ContainerRegistry {
  readonly repositoryUrls: Readonly<Record<string, string>>;
  /** The repository's id, `projects/<p>/locations/<region>/repositories/<repositoryId>`. */
  readonly repositoryResourceId: string;
  /** The key that encrypts images. */
  readonly encryptionKey: GcpKmsKey;
  private readonly repository: ArtifactRegistryRepository;
  private readonly region: string;
  private pullGrants = 0;

  constructor(scope: Construct, id: string, props: GcpArtifactRegistryProps) {
    super(scope, id);
    const repositoryId = props.repositoryId ?? props.name;
    const expiryDays = props.untaggedImageExpiryDays ?? REGISTRY_DEFAULTS.untaggedImageExpiryDays;
    const problems = registryPropProblems(this.node.path, props);
    if (!REPOSITORY_ID.test(repositoryId)) {
      problems.push(
        `${this.node.path}: repositoryId ${describeValue(repositoryId)} is not an Artifact Registry repository id (a lowercase letter, then lowercase letters, digits and "-", at most 63 characters; set repositoryId)`,
      );
    }
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
    const preventDestroy = !registryForceDelete(this, props);

    this.encryptionKey =
      props.encryptionKey ??
      new GcpKmsKey(this, 'key', {
        alias: `${repositoryId.slice(0, 45)}-artifact-registry`,
        description: `Artifact Registry images of ${props.name}`,
        location: props.region,
        deletionWindowDays: props.keyDeletionWindowDays,
        preventDestroy,
      });
    const keyGrant = this.encryptionKey.grantEncryptDecrypt('artifact-registry-service-agent', gcpServiceAgent(this, 'artifactregistry'));
    const scanning = props.vulnerabilityScanning ?? true;
    const services = requireServices(this, [
      GCP_SERVICES.artifactregistry,
      ...(scanning ? [GCP_SERVICES.containerscanning] : []),
    ]);

    this.repository = new ArtifactRegistryRepository(this, 'repository', {
      repositoryId,
      location: props.region,
      format: 'DOCKER',
      mode: 'STANDARD_REPOSITORY',
      description: `Container images of ${props.name} (idpkit)`,
      dockerConfig: { immutableTags: true },
      kmsKeyName: this.encryptionKey.keyId,
      cleanupPolicyDryRun: false,
      cleanupPolicies: [
        {
          id: 'delete-untagged',
          action: 'DELETE',
          condition: { tagState: 'UNTAGGED', olderThan: `${expiryDays * 86400}s` },
        },
      ],
      vulnerabilityScanningConfig: { enablementConfig: scanning ? 'INHERITED' : 'DISABLED' },
      lifecycle: preventDestroy ? { preventDestroy: true } : undefined,
      dependsOn: [...services, keyGrant],
    });
    this.region = props.region;
    this.repositoryResourceId = this.repository.id;
    const base = `${props.region}-docker.pkg.dev/${this.repository.project}/${repositoryId}`;
    this.repositoryUrls = Object.fromEntries(props.repositories.map((name) => [name, `${base}/${name}`]));
  }

  /**
   * Lets an IAM member pull this registry's images (`roles/artifactregistry.reader` on the
   * repository only, not the project).
   *
   * @param member IAM member, e.g. `serviceAccount:nodes@p.iam.gserviceaccount.com`
   * @param id construct id of the binding (part of its Terraform address)
   * @default id - derived from the member, or `pull-<n>` when the member is a Terraform reference
   */
  grantPull(member: string, id?: string): void {
    this.pullGrants += 1;
    const bindingId = id ?? (Token.isUnresolved(member) ? `pull-${this.pullGrants}` : `pull-${member.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`);
    this.bind(bindingId, ARTIFACT_REGISTRY_READER_ROLE, member);
  }

  /**
   * Lets an IAM member push (and pull) this registry's images (`roles/artifactregistry.writer` on
   * the repository only), e.g. a team's group or its CI service account.
   *
   * @param member IAM member, e.g. `group:team-payments@acme.example`
   * @param id construct id of the binding (part of its Terraform address)
   */
  grantPush(member: string, id: string): void {
    this.bind(id, ARTIFACT_REGISTRY_WRITER_ROLE, member);
  }

  private bind(id: string, role: string, member: string): void {
    new ArtifactRegistryRepositoryIamMember(this, id, { location: this.region, repository: this.repository.name, role, member });
  }
}
