/**
 * A customer-managed encryption key, whatever the cloud: AWS KMS key, Azure Key Vault key or
 * Cloud KMS crypto key. Constructs that encrypt data take one or create their own; each cloud's
 * key class has the grant methods its services need.
 */
export interface EncryptionKey {
  /** The key's identifier as the cloud's APIs take it: key ARN (AWS), versionless key id (Azure), crypto key id (GCP). */
  readonly keyId: string;
}

/** Props every cloud's key takes. */
export interface EncryptionKeyProps {
  /** Name, unique where the cloud needs it: the KMS alias on AWS (e.g. `idpkit/prod/logs`), the key name elsewhere. */
  readonly alias: string;
  /** What the key protects. */
  readonly description: string;
  /** Days a scheduled deletion waits (AWS 7 to 30; GCP keeps destroyed versions 30 days; Azure soft delete 90). @default - the tier's `keyDeletionWindowDays` (dev 7, staging and prod 30); 30 without a tier */
  readonly deletionWindowDays?: number;
}

/** Waiting period of a scheduled key deletion when none is given and no tier is set: the longest AWS allows. */
export const DEFAULT_KEY_DELETION_WINDOW_DAYS = 30;

/** How often keys rotate: yearly, the longest period compliance frameworks commonly accept. */
export const KEY_ROTATION_DAYS = 365;
