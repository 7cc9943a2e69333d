import type { CapabilityChoice } from './preset';

/**
 * What every preset needs from the cluster's cloud beyond the table: resource metrics (for
 * autoscaling), load balancers for Services and Ingresses, and nodes that grow with the pods.
 * EKS needs add-ons for all three: its managed node groups never grow on their own (idpkit ships
 * no cluster autoscaler), so Karpenter launches nodes for pending pods, and every other add-on
 * installs after it (the platform stack of a preset runs some thirty releases, more than the
 * node group's first nodes hold). AKS and GKE have all three built in: their node pools
 * autoscale between `minSize` and `maxSize` (the cluster autoscaler of the managed control plane).
 */
export const CLOUD_INTEGRATION: CapabilityChoice = {
  tool: 'resource metrics, load balancers and node autoscaling',
  addons: { metricsServer: {}, awsLoadBalancerController: {}, karpenter: {} },
  cloudNotes: {
    azure: 'built into AKS (metrics server, Azure load balancer, cluster autoscaler on every node pool)',
    gcp: 'built into GKE (metrics server, GKE load balancers, cluster autoscaler on every node pool)',
  },
};
