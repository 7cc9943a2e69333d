import { IdpkitError } from '../../core/errors';

/** Read secrets whose names start with a prefix from the cloud's secret manager. */
export interface SecretsReadGrant {
  readonly kind: 'secrets-read';
  /** Secret name prefix, e.g. `dev/`. On Azure the scope is the environment's Key Vault. */
  readonly prefix: string;
}

/** Permissions given as the cloud's own terms, for needs the abstract grants do not cover. */
export interface CloudGrant {
  readonly kind: 'cloud';
  /** IAM policy statements (no `*` actions; no `*` resources on writes). */
  readonly aws?: readonly {
    /** Statement id, e.g. the upstream policy's, to tell statements apart (ASCII letters and digits). @default - none */
    readonly Sid?: string;
    readonly Action: string[];
    readonly Resource: string[];
    /** IAM condition block, e.g. tag conditions that narrow writes to resources the workload created. */
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | string[] | boolean>>>>;
  }[];
  /** Azure role assignments. */
  readonly azure?: readonly { readonly role: string; readonly scope: string }[];
  /** GCP project roles, each optionally under an IAM condition that narrows it to some resources. */
  readonly gcp?: readonly {
    readonly role: string;
    /** IAM condition of the binding, e.g. on `resource.name`. @default - none: the role holds on the whole project */
    readonly condition?: { readonly title: string; readonly description: string; readonly expression: string };
  }[];
}

/**
 * An object storage bucket (AWS, GCP) or blob container (Azure) a grant names. Each cloud's
 * identity reads the fields it needs: {@link ObjectBucket} in `capabilities/storage` has them all.
 */
export interface BucketTarget {
  /** Bucket name (AWS, GCP) or container name (Azure). */
  readonly bucketName: string;
  /** AWS: the bucket's ARN. */
  readonly bucketArn?: string;
  /** AWS: ARN of the KMS key that encrypts the bucket. */
  readonly bucketKeyArn?: string;
  /** Azure: resource manager id of the container, the scope of role assignments. */
  readonly containerResourceId?: string;
}

/** A key a grant names: KMS key ARN (AWS) or crypto key id (GCP); Azure needs the key's resource id. */
export interface KeyTarget {
  /** AWS key ARN, Azure versionless key id, GCP crypto key id. */
  readonly keyId: string;
  /** Azure: the key's resource manager id, the scope of role assignments. */
  readonly keyResourceId?: string;
}

/** A DNS zone that exists already (idpkit never creates zones). */
export interface DnsZoneTarget {
  /** The zone's domain, e.g. `prod.acme.example`. */
  readonly domain: string;
  /** AWS: Route 53 hosted zone id (`Z0123...`). */
  readonly hostedZoneId?: string;
  /** Azure: resource manager id of the DNS zone. */
  readonly zoneResourceId?: string;
  /** GCP: Cloud DNS managed zone name and its project. */
  readonly managedZone?: string;
  readonly project?: string;
}

/** Read, write, list and delete objects in one bucket (and use its key), nothing else. */
export interface BucketReadWriteGrant {
  readonly kind: 'bucket-read-write';
  readonly bucket: BucketTarget;
}

/** Encrypt and decrypt with one key (e.g. Vault auto-unseal), nothing else. */
export interface KeyEncryptDecryptGrant {
  readonly kind: 'key-encrypt-decrypt';
  readonly key: KeyTarget;
}

/**
 * Seal and unseal with one key (Vault auto-unseal), nothing else: what each cloud's Vault seal
 * calls. AWS `awskms`: `kms:Encrypt`, `kms:Decrypt`, `kms:DescribeKey`. Azure `azurekeyvault`:
 * get, wrapKey, unwrapKey (Key Vault Crypto Service Encryption User). GCP `gcpckms`: encrypt,
 * decrypt and `cloudkms.cryptoKeys.get` (Cloud KMS CryptoKey Encrypter/Decrypter and Cloud KMS
 * Viewer, both on the key).
 *
 * @see https://developer.hashicorp.com/vault/docs/configuration/seal
 */
export interface KeySealGrant {
  readonly kind: 'key-seal';
  readonly key: KeyTarget;
}

/** Manage records in one DNS zone (external-dns), nothing else. */
export interface DnsRecordsGrant {
  readonly kind: 'dns-records';
  readonly zone: DnsZoneTarget;
}

/** What a workload may do in the cloud. */
export type IdentityGrant = SecretsReadGrant | CloudGrant | BucketReadWriteGrant | KeyEncryptDecryptGrant | KeySealGrant | DnsRecordsGrant;

/** The field a grant needs on this cloud, or an error that names the grant and the field. */
export function requireTarget<T>(value: T | undefined, request: string, grant: IdentityGrant['kind'], field: string): T {
  if (value === undefined || value === '') {
    throw new IdpkitError('IDPKIT_INVALID_PROPS', [`workload identity "${request}": grant "${grant}" needs ${field} on this cloud`]);
  }
  return value;
}

/** A Kubernetes service account that needs cloud access, and what access. */
export interface WorkloadIdentityRequest {
  /** Short name, unique per environment, used in the cloud identity's name. */
  readonly name: string;
  /** Namespace of the service account. */
  readonly namespace: string;
  /** Service account name. */
  readonly serviceAccount: string;
  /** The permissions, scoped to the environment's resources. */
  readonly grants: readonly IdentityGrant[];
}

/**
 * A cloud identity bound to one Kubernetes service account: an IAM role through EKS Pod Identity,
 * a user-assigned identity with a federated credential on Azure, a Google service account with a
 * Workload Identity binding on GCP. The service account gets the annotations, its pods the labels.
 */
export interface WorkloadIdentity {
  /** Annotations for the service account (e.g. the GCP service account e-mail). */
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  /** Labels for the pods (Azure Workload Identity's `azure.workload.identity/use`). */
  readonly podLabels: Readonly<Record<string, string>>;
}
