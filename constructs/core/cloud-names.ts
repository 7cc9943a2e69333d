/**
 * The naming rules the clouds apply to the names an environment gives (state buckets and storage
 * accounts, projects), so a bad name fails at validation and not at `terraform apply`. Each rule
 * returns why a name breaks it, or undefined when the name is valid.
 */

/** A naming rule: why `name` is not valid, or undefined. */
export type NameRule = (name: string) => string | undefined;

/** One clause of a rule: a test the name must pass and the message when it does not. */
type Clause = readonly [breaks: (name: string) => boolean, message: string];

const rule =
  (what: string, clauses: readonly Clause[]): NameRule =>
  (name) => {
    const broken = clauses.filter(([breaks]) => breaks(name)).map(([, message]) => message);
    return broken.length > 0 ? `is not ${what}: ${broken.join('; ')}` : undefined;
  };

/**
 * `a.b.c.d`, the shape S3 and GCS refuse as a bucket name (with or without leading zeros, in range
 * or not: every four-part decimal IPv4 address is of this shape).
 */
const looksLikeIpAddress = (name: string): boolean => /^\d+\.\d+\.\d+\.\d+$/.test(name);

/** Prefixes and suffixes S3 reserves for its own endpoints (access points, Object Lambda, directory and table buckets, multi-Region access points). */
const S3_RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'] as const;
const S3_RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'] as const;

/**
 * S3 general purpose bucket names.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export const s3BucketNameProblem: NameRule = rule('an S3 bucket name', [
  [(name) => name.length < 3 || name.length > 63, 'it must have 3 to 63 characters'],
  [(name) => !/^[a-z0-9.-]*$/.test(name), 'it may hold only lowercase letters, digits, "." and "-"'],
  [(name) => !/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name), 'it must start and end with a letter or digit'],
  [(name) => name.includes('..'), 'it must not hold two adjacent periods'],
  [looksLikeIpAddress, 'it must not be shaped like an IP address'],
  [(name) => S3_RESERVED_PREFIXES.some((prefix) => name.startsWith(prefix)), `it must not start with ${S3_RESERVED_PREFIXES.join(', ')} (reserved by S3)`],
  [(name) => S3_RESERVED_SUFFIXES.some((suffix) => name.endsWith(suffix)), `it must not end with ${S3_RESERVED_SUFFIXES.join(', ')} (reserved by S3)`],
]);

/** "google" and its look-alikes, which GCS refuses anywhere in a bucket name. */
const GOOGLE_LOOKALIKE = /g[o0]{2}g[l1]e/;

/**
 * Cloud Storage bucket names (idpkit keeps them to 63 characters, without the dotted form's 222).
 *
 * @see https://cloud.google.com/storage/docs/buckets#naming
 */
export const gcsBucketNameProblem: NameRule = rule('a Cloud Storage bucket name', [
  [(name) => name.length < 3 || name.length > 63, 'it must have 3 to 63 characters'],
  [(name) => !/^[a-z0-9._-]*$/.test(name), 'it may hold only lowercase letters, digits, "-", "_" and "."'],
  [(name) => !/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name), 'it must start and end with a letter or digit'],
  [(name) => name.includes('..'), 'it must not hold two adjacent periods'],
  [looksLikeIpAddress, 'it must not be shaped like an IP address'],
  [(name) => name.startsWith('goog'), 'it must not start with "goog" (reserved by Google)'],
  [(name) => GOOGLE_LOOKALIKE.test(name), 'it must not contain "google" or a look-alike such as "g00gle"'],
]);

/**
 * Azure storage account names: globally unique, 3-24 lowercase letters and digits.
 *
 * @see https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftstorage
 */
export const azureStorageAccountNameProblem: NameRule = rule('an Azure storage account name', [
  [(name) => name.length < 3 || name.length > 24, 'it must have 3 to 24 characters'],
  [(name) => !/^[a-z0-9]*$/.test(name), 'it may hold only lowercase letters and digits'],
]);

/**
 * Azure blob container names.
 *
 * @see https://learn.microsoft.com/rest/api/storageservices/naming-and-referencing-containers--blobs--and-metadata#container-names
 */
export const azureContainerNameProblem: NameRule = rule('a blob container name', [
  [(name) => name.length < 3 || name.length > 63, 'it must have 3 to 63 characters'],
  [(name) => !/^[a-z0-9-]*$/.test(name), 'it may hold only lowercase letters, digits and "-"'],
  [(name) => !/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name), 'it must start and end with a letter or digit'],
  [(name) => name.includes('--'), 'it must not hold two adjacent hyphens'],
]);

/**
 * Azure resource group names: 1-90 letters, digits, "_", "-", ".", "(" and ")", not ending in ".".
 *
 * @see https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftresources
 */
export const azureResourceGroupNameProblem: NameRule = rule('a resource group name', [
  [(name) => name.length < 1 || name.length > 90, 'it must have 1 to 90 characters'],
  [(name) => !/^[\p{L}\p{N}_().-]*$/u.test(name), 'it may hold only letters, digits, "_", "-", ".", "(" and ")"'],
  [(name) => name.endsWith('.'), 'it must not end with "."'],
]);

/** Words GCP refuses in project ids. */
const GCP_PROJECT_RESTRICTED = ['google', 'ssl'] as const;

/**
 * GCP project ids.
 *
 * @see https://cloud.google.com/resource-manager/docs/creating-managing-projects#before_you_begin
 */
export const gcpProjectIdProblem: NameRule = rule('a GCP project id', [
  [(name) => name.length < 6 || name.length > 30, 'it must have 6 to 30 characters'],
  [(name) => !/^[a-z0-9-]*$/.test(name), 'it may hold only lowercase letters, digits and "-"'],
  [(name) => !/^[a-z]/.test(name), 'it must start with a letter'],
  [(name) => name.endsWith('-'), 'it must not end with "-"'],
  [(name) => GCP_PROJECT_RESTRICTED.some((word) => name.includes(word)), `it must not contain ${GCP_PROJECT_RESTRICTED.map((word) => `"${word}"`).join(' or ')}`],
]);

/**
 * Image repository names as every cloud's registry takes them: ECR repository names (2-256
 * characters), ACR repositories, and image paths inside the environment's Artifact Registry
 * repository. idpkit allows "/"-separated DNS-1123 labels, which all three accept.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html
 */
export const repositoryNameProblem: NameRule = rule('an image repository name', [
  [(name) => name.length < 2 || name.length > 256, 'it must have 2 to 256 characters (ECR)'],
  [(name) => !/^[a-z0-9]+(-[a-z0-9]+)*(\/[a-z0-9]+(-[a-z0-9]+)*)*$/.test(name), '"/"-separated parts of lowercase letters, digits and single "-", e.g. platform/backstage'],
]);
