import type { CapabilityChoice } from '.';

/**
 * What every preset needs from the cluster's cloud beyond the table: resource metrics (for
 * autoscaling) and load balancers for Services and Ingresses. EKS needs add-ons for both; AKS and
 * GKE have them built in.
 */
export const CLOUD_INTEGRATION: CapabilityChoice = {
  tool: 'resource metrics and load balancers',
  addons: { metricsServer: {}, awsLoadBalancerController: {} },
  cloudNotes: { azure: 'built into AKS (metrics server, Azure load balancer)', gcp: 'built into GKE (metrics server, GKE load balancers)' },
};
