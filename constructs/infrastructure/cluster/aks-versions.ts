/**
 * Kubernetes versions idpkit supports on AKS: generally available and inside AKS community support
 * (N-2), checked against the AKS release calendar in November 2026:
 *
 * | version | AKS GA   | end of life | |
 * |---------|----------|-------------|---|
 * | 1.34    | Nov 2025 | Nov 2026    | dropped: end of life this month, and outside N-2 once 1.37 is GA |
 * | 1.35    | Mar 2026 | Mar 2027    | supported |
 * | 1.36    | Jun 2026 | Jun 2027    | supported |
 * | 1.37    | Oct 2026 (planned) | Oct 2027 | not yet: add it once `az aks get-versions` lists it in your locations |
 *
 * AKS ends support on the last day of the month named. Adding a version is adding it here (and to
 * {@link AKS_END_OF_LIFE}) after `az aks get-versions --location <location>` lists it as GA; remove a
 * version before its end of life, after moving environments off it.
 *
 * @see https://learn.microsoft.com/azure/aks/supported-kubernetes-versions
 */
export const AKS_KUBERNETES_VERSIONS = ['1.35', '1.36'] as const;

/** A Kubernetes version idpkit supports on AKS. */
export type AksKubernetesVersion = (typeof AKS_KUBERNETES_VERSIONS)[number];

/** When AKS community support of each supported version ends (after that: platform support only, then none). */
export const AKS_END_OF_LIFE: Readonly<Record<AksKubernetesVersion, string>> = {
  '1.35': '2027-03-31',
  '1.36': '2027-06-30',
};
