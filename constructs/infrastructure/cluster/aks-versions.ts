/**
 * Kubernetes versions idpkit supports on AKS (generally available and not past end of life).
 * Adding a version is adding it here after `az aks get-versions --location <location>` lists it.
 *
 * @see https://learn.microsoft.com/azure/aks/supported-kubernetes-versions
 */
export const AKS_KUBERNETES_VERSIONS = ['1.34', '1.35'] as const;

/** A Kubernetes version idpkit supports on AKS. */
export type AksKubernetesVersion = (typeof AKS_KUBERNETES_VERSIONS)[number];
