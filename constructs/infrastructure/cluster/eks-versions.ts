/**
 * Kubernetes versions idpkit supports on EKS, each with the managed add-on versions pinned for it.
 * Only versions in EKS standard support are listed (extended support costs extra per cluster-hour);
 * adding a version is adding a row here, after checking the add-on versions with
 * `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name>`.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
 * @see https://docs.aws.amazon.com/eks/latest/userguide/workloads-add-ons-available-eks.html
 */
export const EKS_VERSIONS = {
  '1.34': {
    endOfStandardSupport: '2026-12-02',
    addons: {
      'vpc-cni': 'v1.21.1-eksbuild.7',
      coredns: 'v1.13.2-eksbuild.4',
      'kube-proxy': 'v1.34.6-eksbuild.2',
      'aws-ebs-csi-driver': 'v1.57.1-eksbuild.1',
      'eks-pod-identity-agent': 'v1.3.10-eksbuild.2',
    },
  },
  '1.35': {
    endOfStandardSupport: '2027-03-27',
    addons: {
      'vpc-cni': 'v1.21.1-eksbuild.7',
      coredns: 'v1.13.2-eksbuild.4',
      'kube-proxy': 'v1.35.3-eksbuild.2',
      'aws-ebs-csi-driver': 'v1.57.1-eksbuild.1',
      'eks-pod-identity-agent': 'v1.3.10-eksbuild.2',
    },
  },
} as const;

/** A Kubernetes version idpkit supports on EKS. */
export type EksKubernetesVersion = keyof typeof EKS_VERSIONS;

/** The EKS managed add-ons every idpkit cluster runs. */
export type EksAddonName = keyof (typeof EKS_VERSIONS)[EksKubernetesVersion]['addons'];

/** Every supported version, oldest first. */
export const EKS_KUBERNETES_VERSIONS = Object.keys(EKS_VERSIONS) as EksKubernetesVersion[];

/** The version a cluster gets when none is given: the newest supported one. */
export const DEFAULT_EKS_KUBERNETES_VERSION: EksKubernetesVersion = '1.35';
