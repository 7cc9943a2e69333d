/**
 * Kubernetes minor versions idpkit supports on GKE: those available for new clusters in the REGULAR
 * release channel and inside GKE standard support. The cluster pins the minor version as
 * `min_master_version`; GKE picks the patch and the release channel keeps it current.
 *
 * Checked 2026-11 against the GKE release notes and release schedule: the REGULAR channel lists
 * 1.34 to 1.36, with 1.35.8 the default for new clusters since 2026-09-17; 1.34's standard support
 * ended 2026-10-01 (only the Extended channel keeps it), so idpkit no longer offers it. 1.35's
 * standard support runs to about April 2027. Adding a version is adding it here once it reaches the
 * REGULAR channel; removing one is a breaking change for environments that name it.
 *
 * @see https://cloud.google.com/kubernetes-engine/docs/release-schedule
 * @see https://cloud.google.com/kubernetes-engine/docs/release-notes
 */
export const GKE_KUBERNETES_VERSIONS = ['1.35', '1.36'] as const;

/** A Kubernetes version idpkit supports on GKE. */
export type GkeKubernetesVersion = (typeof GKE_KUBERNETES_VERSIONS)[number];

/** The release channel idpkit enrolls clusters in: production users who want features a few weeks after Rapid. */
export const DEFAULT_GKE_RELEASE_CHANNEL = 'REGULAR';
