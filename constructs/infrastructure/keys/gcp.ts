import { KmsCryptoKey } from '@cdktf/provider-google/lib/kms-crypto-key';
import { KmsCryptoKeyIamMember } from '@cdktf/provider-google/lib/kms-crypto-key-iam-member';
import { KmsKeyRing } from '@cdktf/provider-google/lib/kms-key-ring';
import { Construct } from 'constructs';
import { DEFAULT_KEY_DELETION_WINDOW_DAYS, EncryptionKey, EncryptionKeyProps } from '.';
import { IdpkitError, describeValue } from '../../core/errors';
import { tierDefault } from '../../core/tiers';
import { GCP_SERVICES, GcpServiceAgent, requireServices } from '../../integration/services/gcp';

/** Seconds in a day, for Cloud KMS durations (`"86400s"`). */
const DAY_SECONDS = 86400;

/** Key ring and crypto key names Cloud KMS accepts. */
const KMS_NAME = /^[a-zA-Z0-9_-]{1,63}$/;

/** Days Cloud KMS lets destroyed key versions wait in DESTROY_SCHEDULED (1 to 120). */
export const GCP_KEY_DESTROY_SCHEDULED_DAYS = { min: 1, max: 120 } as const;

/**
 * How often Cloud KMS keys rotate: every 90 days, what the CIS Google Cloud Foundations Benchmark
 * (1.10) and policy IDP-GCP-005 require. Rotation adds a key version; data encrypted with older
 * versions stays readable, and Google services re-encrypt with the primary version as they
 * rewrite data. Shorter than the yearly `KEY_ROTATION_DAYS` of AWS and Azure keys.
 */
export const GCP_KEY_ROTATION_DAYS = 90;

/** The role that lets a member encrypt and decrypt with a key (and nothing else). */
export const KMS_ENCRYPTER_DECRYPTER_ROLE = 'roles/cloudkms.cryptoKeyEncrypterDecrypter';

/** Props of {@link GcpKeyRing}. */
export interface GcpKeyRingProps {
  /** Key ring name, unique in the project and location forever (key rings cannot be deleted). */
  readonly name: string;
  /** Location, e.g. `europe-west1`: the same location as the resources its keys encrypt. */
  readonly location: string;
  /** Refuse `terraform destroy` of the key ring (`lifecycle.prevent_destroy`). @default - the tier's `deletionProtection` (prod only); false without a tier */
  readonly preventDestroy?: boolean;
}

/**
 * A Cloud KMS key ring. Key rings (and keys) cannot be deleted: `terraform destroy` only forgets
 * them, and re-creating the same name later needs `terraform import`; with `preventDestroy`
 * Terraform refuses to plan that.
 *
 * @see https://cloud.google.com/kms/docs/resource-hierarchy#retention
 * @example
 * const ring = new GcpKeyRing(this, 'key-ring', { name: 'idpkit-prod', location: 'europe-west1' });
 */
export class GcpKeyRing extends Construct {
  /** The key ring's id, `projects/<p>/locations/<l>/keyRings/<name>`. */
  readonly keyRingId: string;
  /** The key ring's location. */
  readonly location: string;

  constructor(scope: Construct, id: string, props: GcpKeyRingProps) {
    super(scope, id);
    if (!KMS_NAME.test(props.name)) {
      throw new IdpkitError('IDPKIT_INVALID_PROPS', [
        `${this.node.path}: name ${describeValue(props.name)} is not a key ring name (1-63 letters, digits, "_", "-")`,
      ]);
    }
    const ring = new KmsKeyRing(this, 'ring', {
      name: props.name,
      location: props.location,
      dependsOn: requireServices(this, [GCP_SERVICES.cloudkms]),
      lifecycle: (props.preventDestroy ?? tierDefault(this, (rules) => rules.deletionProtection, false)) ? { preventDestroy: true } : undefined,
    });
    this.keyRingId = ring.id;
    this.location = props.location;
  }
}

/** Props of {@link GcpKmsKey}. */
export interface GcpKmsKeyProps extends EncryptionKeyProps {
  /**
   * Crypto key name, unique in its key ring (1-63 letters, digits, "_", "-"). Cloud KMS keys have
   * no description field: `description` is documentation only.
   */
  readonly alias: string;
  /** Location of the key (and of a key ring this construct creates), e.g. `europe-west1`. */
  readonly location: string;
  /** Key ring to create the key in. @default - a new key ring named after the key */
  readonly keyRing?: GcpKeyRing;
  /**
   * Days destroyed key versions stay recoverable (`destroy_scheduled_duration`, 1 to 120; fixed
   * once the key exists). @default - the tier's `keyDeletionWindowDays` (dev 7, staging and prod 30); 30 without a tier
   */
  readonly deletionWindowDays?: number;
  /**
   * Refuse `terraform destroy` of the key (its data is unreadable once versions are destroyed),
   * and of the key ring this construct creates. @default - the tier's `deletionProtection` (prod only); false without a tier
   */
  readonly preventDestroy?: boolean;
}

/**
 * A symmetric Cloud KMS crypto key (purpose ENCRYPT_DECRYPT, software protection) that rotates
 * every {@link GCP_KEY_ROTATION_DAYS} (90) days. Services get
 * `roles/cloudkms.cryptoKeyEncrypterDecrypter` on this key only, through
 * {@link GcpKmsKey.grantEncryptDecrypt}.
 *
 * GCP keys cannot be deleted: destroying one schedules destruction of its versions (after
 * `deletionWindowDays`) and leaves the key, so its name can never be reused for a new key.
 *
 * @see https://cloud.google.com/kms/docs/create-encryption-keys
 * @example
 * declare const ring: GcpKeyRing;
 * const key = new GcpKmsKey(this, 'secrets-key', { alias: 'gke-secrets', description: 'GKE secrets', location: 'europe-west1', keyRing: ring });
 * key.grantEncryptDecrypt('gke-agent', gcpServiceAgent(this, 'container'));
 */
export class GcpKmsKey extends Construct implements EncryptionKey {
  /** The crypto key id, `projects/<p>/locations/<l>/keyRings/<ring>/cryptoKeys/<name>`. */
  readonly keyId: string;
  /** The key's location. */
  readonly location: string;

  constructor(scope: Construct, id: string, props: GcpKmsKeyProps) {
    super(scope, id);
    const deletionWindowDays = props.deletionWindowDays ?? tierDefault(this, (rules) => rules.keyDeletionWindowDays, DEFAULT_KEY_DELETION_WINDOW_DAYS);
    const preventDestroy = props.preventDestroy ?? tierDefault(this, (rules) => rules.deletionProtection, false);
    this.validate(props, deletionWindowDays);
    const ring = props.keyRing ?? new GcpKeyRing(this, 'key-ring', { name: props.alias, location: props.location, preventDestroy });
    const key = new KmsCryptoKey(this, 'key', {
      name: props.alias,
      keyRing: ring.keyRingId,
      purpose: 'ENCRYPT_DECRYPT',
      rotationPeriod: `${GCP_KEY_ROTATION_DAYS * DAY_SECONDS}s`,
      destroyScheduledDuration: `${deletionWindowDays * DAY_SECONDS}s`,
      versionTemplate: { algorithm: 'GOOGLE_SYMMETRIC_ENCRYPTION', protectionLevel: 'SOFTWARE' },
      lifecycle: preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.keyId = key.id;
    this.location = props.location;
  }

  /**
   * Lets an IAM member, or a Google service agent, encrypt and decrypt with this key. A service
   * agent ({@link gcpServiceAgent}) is made to exist first: IAM refuses members that do not exist.
   * Returns the binding so resources that need it can depend on it.
   *
   * @param id construct id of the binding, unique per key (it becomes part of the Terraform address)
   * @param grantee a service agent, or an IAM member such as `serviceAccount:<workload account e-mail>`
   */
  grantEncryptDecrypt(id: string, grantee: string | GcpServiceAgent): KmsCryptoKeyIamMember {
    const { member, dependsOn } = typeof grantee === 'string' ? { member: grantee, dependsOn: [] } : grantee;
    return new KmsCryptoKeyIamMember(this, `grant-${id}`, {
      cryptoKeyId: this.keyId,
      role: KMS_ENCRYPTER_DECRYPTER_ROLE,
      member,
      dependsOn: dependsOn.length > 0 ? [...dependsOn] : undefined,
    });
  }

  private validate(props: GcpKmsKeyProps, deletionWindowDays: number): void {
    const problems: string[] = [];
    if (!KMS_NAME.test(props.alias)) {
      problems.push(`${this.node.path}: alias ${describeValue(props.alias)} is not a Cloud KMS key name (1-63 letters, digits, "_", "-")`);
    }
    const { min, max } = GCP_KEY_DESTROY_SCHEDULED_DAYS;
    if (!Number.isInteger(deletionWindowDays) || deletionWindowDays < min || deletionWindowDays > max) {
      problems.push(`${this.node.path}: deletionWindowDays ${deletionWindowDays} is outside what Cloud KMS allows (whole days, ${min} to ${max})`);
    }
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
  }
}
