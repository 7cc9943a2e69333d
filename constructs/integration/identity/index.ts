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
  readonly aws?: readonly { readonly Action: string[]; readonly Resource: string[] }[];
  /** Azure role assignments. */
  readonly azure?: readonly { readonly role: string; readonly scope: string }[];
  /** GCP project roles. */
  readonly gcp?: readonly { readonly role: string }[];
}

/** What a workload may do in the cloud. */
export type IdentityGrant = SecretsReadGrant | CloudGrant;

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
