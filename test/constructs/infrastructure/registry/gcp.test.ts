import { TerraformOutput } from '../../../../constructs/core/cdktf';
import { GcpKmsKey } from '../../../../constructs/infrastructure/keys/gcp';
import { GcpArtifactRegistry, GcpArtifactRegistryProps } from '../../../../constructs/infrastructure/registry/gcp';
import { addressOf, at, gcpTestStack, ref, serviceAddresses } from '../../../gcp-helpers';
import { onlyResource, resources } from '../../../helpers';

const baseProps: GcpArtifactRegistryProps = { name: 'prod', region: 'europe-west1', repositories: ['platform/backstage', 'apps/hello-world'] };
const synth = (props: Partial<GcpArtifactRegistryProps> = {}, grant = true) =>
  gcpTestStack((stack) => {
    const registry = new GcpArtifactRegistry(stack, 'registry', { ...baseProps, ...props });
    if (grant) registry.grantPull('serviceAccount:nodes@acme-idp-test.iam.gserviceaccount.com', 'gke-nodes');
    new TerraformOutput(stack, 'urls', { value: registry.repositoryUrls });
  });

describe('GcpArtifactRegistry', () => {
  const json = synth();
  const repository = onlyResource(json, 'google_artifact_registry_repository');
  const repositoryAddress = addressOf(json, 'google_artifact_registry_repository');
  const key = addressOf(json, 'google_kms_crypto_key');

  test('is one Docker repository per environment with immutable tags', () => {
    expect(repository).toMatchObject({ repository_id: 'prod', location: 'europe-west1', format: 'DOCKER', mode: 'STANDARD_REPOSITORY', docker_config: { immutable_tags: true } });
  });

  test('holds each repository as an image path inside it', () => {
    expect(json.output!.urls.value).toEqual({
      'platform/backstage': `europe-west1-docker.pkg.dev/${ref(repositoryAddress, 'project')}/prod/platform/backstage`,
      'apps/hello-world': `europe-west1-docker.pkg.dev/${ref(repositoryAddress, 'project')}/prod/apps/hello-world`,
    });
  });

  test('encrypts images with a Cloud KMS key granted first to the Artifact Registry service agent, which Terraform has Google create', () => {
    expect(repository.kms_key_name).toBe(ref(key, 'id'));
    // The agent exists only after a first repository: google_project_service_identity creates it, after the API.
    const agent = addressOf(json, 'google_project_service_identity');
    expect(at(json, agent)).toMatchObject({ service: 'artifactregistry.googleapis.com', provider: 'google-beta', depends_on: serviceAddresses(json, ['artifactregistry.googleapis.com']) });
    const role = addressOf(json, 'google_project_iam_member');
    expect(at(json, role)).toMatchObject({ role: 'roles/artifactregistry.serviceAgent', member: ref(agent, 'member') });
    const grant = addressOf(json, 'google_kms_crypto_key_iam_member');
    expect(at(json, grant)).toMatchObject({ crypto_key_id: ref(key, 'id'), role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter', member: ref(agent, 'member'), depends_on: [role] });
    expect(repository.depends_on).toContain(grant);
  });

  test('deletes untagged images after 14 days, for real (no dry run)', () => {
    expect(repository.cleanup_policy_dry_run).toBe(false);
    expect(repository.cleanup_policies).toEqual([{ id: 'delete-untagged', action: 'DELETE', condition: { tag_state: 'UNTAGGED', older_than: '1209600s' } }]);
    const week = onlyResource(synth({ untaggedImageExpiryDays: 7 }), 'google_artifact_registry_repository');
    expect(week.cleanup_policies[0].condition.older_than).toBe('604800s');
  });

  test('scans pushed images for vulnerabilities, with the scanning API enabled', () => {
    expect(repository.vulnerability_scanning_config).toEqual({ enablement_config: 'INHERITED' });
    expect(repository.depends_on).toEqual(expect.arrayContaining(serviceAddresses(json, ['artifactregistry.googleapis.com', 'containerscanning.googleapis.com'])));
    const off = synth({ vulnerabilityScanning: false });
    expect(onlyResource(off, 'google_artifact_registry_repository').vulnerability_scanning_config).toEqual({ enablement_config: 'DISABLED' });
    expect(resources(off, 'google_project_service').map((s) => s.service)).not.toContain('containerscanning.googleapis.com');
  });

  test('grantPull gives reader on this repository only', () => {
    expect(onlyResource(json, 'google_artifact_registry_repository_iam_member')).toEqual(
      expect.objectContaining({
        location: 'europe-west1',
        repository: ref(repositoryAddress, 'name'),
        role: 'roles/artifactregistry.reader',
        member: 'serviceAccount:nodes@acme-idp-test.iam.gserviceaccount.com',
      }),
    );
    // The one project binding is the service agent's own role.
    expect(resources(json, 'google_project_iam_member').map((m) => m.role)).toEqual(['roles/artifactregistry.serviceAgent']);
  });

  test('refuses destroy unless forceDelete is on, with the key it creates', () => {
    expect(repository.lifecycle).toEqual({ prevent_destroy: true });
    expect(onlyResource(json, 'google_kms_crypto_key').lifecycle).toEqual({ prevent_destroy: true });
    const deletable = synth({ forceDelete: true });
    expect(onlyResource(deletable, 'google_artifact_registry_repository').lifecycle).toBeUndefined();
    expect(onlyResource(deletable, 'google_kms_crypto_key').lifecycle).toBeUndefined();
  });

  test('uses a given key and repository id', () => {
    const given = gcpTestStack((stack) => {
      const encryptionKey = new GcpKmsKey(stack, 'key', { alias: 'images', description: 'images', location: 'europe-west1' });
      new GcpArtifactRegistry(stack, 'registry', { ...baseProps, repositoryId: 'images', encryptionKey });
    });
    expect(resources(given, 'google_kms_crypto_key')).toHaveLength(1);
    expect(onlyResource(given, 'google_artifact_registry_repository').repository_id).toBe('images');
  });

  test.each([
    ['throws when the repository id would start with a digit', { name: '1prod' }, 'repositoryId "1prod" is not an Artifact Registry repository id'],
    ['throws when a repository is not a valid image path', { repositories: ['Platform/Backstage'] }, 'repository "Platform/Backstage" is not a repository name'],
    ['throws when a repository is listed twice', { repositories: ['a', 'a'] }, 'repository "a" is listed twice'],
  ])('%s', (_name, props, message) => {
    expect(() => synth(props, false)).toThrow(message);
  });
});
