import { GcpObjectBucket, GcpObjectBucketProps } from '../../../../constructs/capabilities/storage/gcp';
import { GcpKmsKey } from '../../../../constructs/infrastructure/keys/gcp';
import { addressOf, gcpTestStack, ref } from '../../../gcp-helpers';
import { onlyResource } from '../../../helpers';

const synth = (props: Partial<GcpObjectBucketProps> = {}) =>
  gcpTestStack((stack) => {
    const key = new GcpKmsKey(stack, 'key', { alias: 'bucket-loki-chunks', description: 'Loki chunks', location: 'europe-west1' });
    new GcpObjectBucket(stack, 'bucket', { bucketName: 'acme-idp-test-loki-chunks', location: 'europe-west1', key, ...props });
  });

describe('GcpObjectBucket', () => {
  const json = synth();
  const bucket = onlyResource(json, 'google_storage_bucket');

  test('has uniform access, public access prevention, and encrypts with the given key after granting it to the storage agent (IDP-GCP-004, IDP-GCP-020)', () => {
    const key = addressOf(json, 'google_kms_crypto_key');
    expect(bucket).toMatchObject({ uniform_bucket_level_access: true, public_access_prevention: 'enforced', encryption: { default_kms_key_name: ref(key, 'id') } });
    expect(bucket.depends_on).toContain(addressOf(json, 'google_kms_crypto_key_iam_member'));
  });

  test('can be destroyed by default; preventDestroy keeps it from terraform destroy', () => {
    expect(bucket.lifecycle).toBeUndefined();
    expect(onlyResource(synth({ preventDestroy: true }), 'google_storage_bucket').lifecycle).toEqual({ prevent_destroy: true });
  });
});
