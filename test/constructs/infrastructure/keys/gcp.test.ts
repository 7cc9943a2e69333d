import { GcpKeyRing, GcpKmsKey, GcpKmsKeyProps } from '../../../../constructs/infrastructure/keys/gcp';
import { gcpTestStack, ref } from '../../../gcp-helpers';
import { onlyResource, resources } from '../../../helpers';

const base: GcpKmsKeyProps = { alias: 'gke-secrets', description: 'secrets', location: 'europe-west1' };
const synth = (props: Partial<GcpKmsKeyProps> = {}) =>
  gcpTestStack((stack) => new GcpKmsKey(stack, 'key', { ...base, ...props }).grantEncryptDecrypt('agent', 'serviceAccount:agent@example.iam.gserviceaccount.com'));

describe('GcpKmsKey', () => {
  const json = synth();

  test('is a symmetric ENCRYPT_DECRYPT key that rotates every 90 days (IDP-GCP-005)', () => {
    expect(onlyResource(json, 'google_kms_crypto_key')).toMatchObject({
      name: 'gke-secrets',
      purpose: 'ENCRYPT_DECRYPT',
      rotation_period: '7776000s',
      version_template: { algorithm: 'GOOGLE_SYMMETRIC_ENCRYPTION', protection_level: 'SOFTWARE' },
    });
  });

  test('keeps destroyed versions recoverable for the deletion window (30 days unless given)', () => {
    expect(onlyResource(json, 'google_kms_crypto_key').destroy_scheduled_duration).toBe('2592000s');
    expect(onlyResource(synth({ deletionWindowDays: 7 }), 'google_kms_crypto_key').destroy_scheduled_duration).toBe('604800s');
  });

  test('creates its own key ring in its location after enabling Cloud KMS', () => {
    const ring = onlyResource(json, 'google_kms_key_ring');
    expect(ring).toMatchObject({ name: 'gke-secrets', location: 'europe-west1' });
    expect(ring.depends_on).toEqual([expect.stringMatching(/google_project_service\.project-services_cloudkms_/)]);
    expect(onlyResource(json, 'google_kms_crypto_key').key_ring).toMatch(/^\$\{google_kms_key_ring\..+\.id\}$/);
  });

  test('uses a given key ring', () => {
    const shared = gcpTestStack((stack) => {
      const keyRing = new GcpKeyRing(stack, 'ring', { name: 'idpkit-prod', location: 'europe-west1' });
      new GcpKmsKey(stack, 'a', { ...base, alias: 'a', keyRing });
      new GcpKmsKey(stack, 'b', { ...base, alias: 'b', keyRing });
    });
    expect(onlyResource(shared, 'google_kms_key_ring').name).toBe('idpkit-prod');
    expect(new Set(resources(shared, 'google_kms_crypto_key').map((k) => k.key_ring)).size).toBe(1);
  });

  test('grants encrypt/decrypt on this key only', () => {
    const [key] = Object.keys(json.resource.google_kms_crypto_key);
    expect(onlyResource(json, 'google_kms_crypto_key_iam_member')).toEqual(
      expect.objectContaining({
        crypto_key_id: ref(`google_kms_crypto_key.${key}`, 'id'),
        role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
        member: 'serviceAccount:agent@example.iam.gserviceaccount.com',
      }),
    );
  });

  test('refuses destroy when asked to, with the key ring it creates', () => {
    expect(onlyResource(json, 'google_kms_crypto_key').lifecycle).toBeUndefined();
    expect(onlyResource(json, 'google_kms_key_ring').lifecycle).toBeUndefined();
    const protectedKey = synth({ preventDestroy: true });
    expect(onlyResource(protectedKey, 'google_kms_crypto_key').lifecycle).toEqual({ prevent_destroy: true });
    expect(onlyResource(protectedKey, 'google_kms_key_ring').lifecycle).toEqual({ prevent_destroy: true });
  });

  test('a key ring refuses destroy when asked to', () => {
    const ring = (preventDestroy?: boolean) =>
      onlyResource(gcpTestStack((stack) => new GcpKeyRing(stack, 'ring', { name: 'idpkit-prod', location: 'europe-west1', preventDestroy })), 'google_kms_key_ring');
    expect(ring().lifecycle).toBeUndefined();
    expect(ring(true).lifecycle).toEqual({ prevent_destroy: true });
  });

  test.each([
    ['throws when the key name has characters Cloud KMS refuses', { alias: 'idpkit/prod/logs' }, 'alias "idpkit/prod/logs" is not a Cloud KMS key name'],
    ['throws when the deletion window is over 120 days', { deletionWindowDays: 365 }, 'deletionWindowDays 365 is outside what Cloud KMS allows (whole days, 1 to 120)'],
  ])('%s', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  test('throws when a key ring name is invalid', () => {
    expect(() => gcpTestStack((stack) => new GcpKeyRing(stack, 'ring', { name: 'a.b', location: 'europe-west1' }))).toThrow('name "a.b" is not a key ring name');
  });
});
