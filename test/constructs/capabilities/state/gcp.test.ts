import { TerraformStack, Testing } from '../../../../constructs/core/cdktf';
import { GcpStateBucket, configureGcsState, gcsStateKmsKeyId, gcsStatePrefix } from '../../../../constructs/capabilities/state/gcp';
import { addressOf, gcpTestStack, ref } from '../../../gcp-helpers';
import { onlyResource, synthJson } from '../../../helpers';

describe('configureGcsState', () => {
  const stack = new TerraformStack(Testing.app(), 'prod-infra');
  configureGcsState(stack, { backend: 'gcs', bucket: 'acme.tfstate', projectId: 'acme-idp-prod', region: 'europe-west1' });
  const json = synthJson(stack);

  test('keeps each stack under its own prefix, encrypted with the state key named from project, region and bucket', () => {
    expect(json.terraform.backend.gcs).toEqual({
      bucket: 'acme.tfstate',
      prefix: 'idpkit/prod-infra',
      kms_encryption_key: 'projects/acme-idp-prod/locations/europe-west1/keyRings/acme-tfstate/cryptoKeys/terraform-state',
    });
  });

  test('configures no credentials', () => {
    expect(Object.keys(json.terraform.backend.gcs)).not.toEqual(expect.arrayContaining(['credentials']));
    expect(json.terraform.backend.gcs.access_token).toBeUndefined();
    expect(json.terraform.backend.gcs.encryption_key).toBeUndefined();
  });

  test('prefix is the state key without its file name', () => {
    expect(gcsStatePrefix('dev-infra')).toBe('idpkit/dev-infra');
  });
});

describe('GcpStateBucket', () => {
  const json = gcpTestStack((stack) => new GcpStateBucket(stack, 'state', { bucket: 'acme-idp-prod-tfstate', region: 'europe-west1' }));
  const bucket = onlyResource(json, 'google_storage_bucket');
  const key = addressOf(json, 'google_kms_crypto_key');

  test('is regional, versioned, with uniform access and public access prevention enforced', () => {
    expect(bucket).toMatchObject({
      name: 'acme-idp-prod-tfstate',
      location: 'europe-west1',
      uniform_bucket_level_access: true,
      public_access_prevention: 'enforced',
      versioning: { enabled: true },
    });
  });

  test('encrypts by default with its own key, at the id the backends name', () => {
    expect(bucket.encryption).toEqual({ default_kms_key_name: ref(key, 'id') });
    expect(onlyResource(json, 'google_kms_key_ring')).toMatchObject({ name: 'acme-idp-prod-tfstate', location: 'europe-west1' });
    expect(json.resource.google_kms_crypto_key[key.split('.')[1]]).toMatchObject({ name: 'terraform-state', rotation_period: '7776000s' });
    expect(gcsStateKmsKeyId({ bucket: 'acme-idp-prod-tfstate', projectId: 'p', region: 'europe-west1' })).toBe(
      'projects/p/locations/europe-west1/keyRings/acme-idp-prod-tfstate/cryptoKeys/terraform-state',
    );
  });

  test("grants the project's Cloud Storage service agent encrypt/decrypt on the key before the bucket exists", () => {
    const agent = Object.keys(json.data!.google_storage_project_service_account)[0];
    const grant = addressOf(json, 'google_kms_crypto_key_iam_member');
    expect(json.resource.google_kms_crypto_key_iam_member[grant.split('.')[1]]).toMatchObject({
      crypto_key_id: ref(key, 'id'),
      role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
      member: ref(`data.google_storage_project_service_account.${agent}`, 'member'),
    });
    expect(bucket.depends_on).toContain(grant);
  });

  test('expires superseded state versions after 90 days and aborts stale uploads', () => {
    expect(bucket.lifecycle_rule).toEqual([
      { action: { type: 'Delete' }, condition: { with_state: 'ARCHIVED', days_since_noncurrent_time: 90 } },
      { action: { type: 'AbortIncompleteMultipartUpload' }, condition: { age: 7 } },
    ]);
  });

  test('cannot be destroyed by Terraform, nor can its key and key ring', () => {
    expect(bucket).toMatchObject({ force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(json.resource.google_kms_crypto_key[key.split('.')[1]].lifecycle).toEqual({ prevent_destroy: true });
    expect(onlyResource(json, 'google_kms_key_ring').lifecycle).toEqual({ prevent_destroy: true });
  });
});
