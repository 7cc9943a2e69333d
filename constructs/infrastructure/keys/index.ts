/**
 * A customer-managed encryption key, whatever the cloud: AWS KMS key, Azure Key Vault key or
 * Cloud KMS crypto key. Constructs that encrypt data take one (`kmsKey?`) or create their own.
 */
export interface EncryptionKey {
  /** The key's identifier as the cloud's APIs take it (the key ARN on AWS). */
  readonly keyId: string;
  /**
   * Lets the cloud's log service encrypt one log group with this key.
   * @param logGroupName the log group's name
   */
  grantLogEncryption(logGroupName: string): void;
}

/** Props every cloud's key takes. */
export interface EncryptionKeyProps {
  /** Alias or display name, unique in the account and region, e.g. `idpkit/prod/logs`. */
  readonly alias: string;
  /** What the key protects. */
  readonly description: string;
  /** Days a scheduled deletion waits, 7 to 30. @default 30 */
  readonly deletionWindowDays?: number;
}

/** Waiting period of a scheduled key deletion when none is given: the longest AWS allows. */
export const DEFAULT_KEY_DELETION_WINDOW_DAYS = 30;
