/**
 * Kubernetes minor versions idpkit supports on GKE (available in the REGULAR release channel).
 * GKE picks the patch; the release channel keeps it current.
 *
 * @see https://cloud.google.com/kubernetes-engine/docs/release-schedule
 */
export const GKE_KUBERNETES_VERSIONS = ['1.34', '1.35'] as const;

/** A Kubernetes version idpkit supports on GKE. */
export type GkeKubernetesVersion = (typeof GKE_KUBERNETES_VERSIONS)[number];
