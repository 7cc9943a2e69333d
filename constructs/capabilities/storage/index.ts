import type { BucketTarget } from '../../integration/identity';

/**
 * An object storage bucket for an add-on's data (Loki chunks, Tempo traces): an S3 bucket, a
 * private blob container in the environment's add-on storage account, or a GCS bucket. It is a
 * {@link BucketTarget}, so a `bucket-read-write` grant can name it.
 */
export interface ObjectBucket extends BucketTarget {
  /** Bucket (AWS, GCP) or container (Azure) name, what the add-on's storage config takes. */
  readonly bucketName: string;
}

/** Props every cloud's bucket takes. */
export interface ObjectBucketProps {
  /** Bucket or container name (AWS and GCP: globally unique, 3-63 lowercase letters, digits, "-"). */
  readonly bucketName: string;
  /** Keep previous object versions (expired after `noncurrentVersionRetentionDays`). @default false */
  readonly versioning?: boolean;
  /** Delete objects this many days after they are written, a backstop to the add-on's own retention. @default - never */
  readonly expiryDays?: number;
  /** Days previous versions are kept when `versioning` is on. @default 30 */
  readonly noncurrentVersionRetentionDays?: number;
  /** Let `terraform destroy` delete a bucket that still holds objects. @default - where the tier has no `deletionProtection` (dev, staging); false without a tier */
  readonly forceDestroy?: boolean;
}

/** Days previous object versions are kept when none is given. */
export const DEFAULT_NONCURRENT_VERSION_RETENTION_DAYS = 30;

/** Bucket names S3 and GCS both accept (the stricter of the two, without dots). */
export const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/** Problems with bucket props, for the cloud constructs' validation. */
export function bucketPropsProblems(path: string, props: ObjectBucketProps, name: RegExp = BUCKET_NAME): string[] {
  const problems: string[] = [];
  if (!name.test(props.bucketName)) problems.push(`${path}: bucketName "${props.bucketName}" is not a valid name (expected ${name.source})`);
  for (const field of ['expiryDays', 'noncurrentVersionRetentionDays'] as const) {
    const value = props[field];
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) problems.push(`${path}: ${field} ${value} is not a whole number of days, at least 1`);
  }
  return problems;
}
