/**
 * `idpkit/aws`: the AWS constructs (network, cluster, registry, keys, identities, state, databases,
 * storage, alerts, budgets, CI deploy identities, Karpenter, the Load Balancer Controller, off-hours scale-down). Loads
 * `@cdktf/provider-aws` and no other cloud's provider. The cloud-neutral interfaces they implement come
 * from `idpkit` (docs/library.md). Re-exports only.
 */
export * from '../integration/provider/aws';
export * from '../integration/identity/aws';
export * from '../capabilities/state/aws';
export * from '../infrastructure/keys/aws';
export * from '../infrastructure/network/aws';
export * from '../infrastructure/cluster/aws';
export * from '../infrastructure/cluster/eks-versions';
export * from '../infrastructure/registry/aws';
export * from '../capabilities/networking/aws-load-balancer-controller';
export * from '../capabilities/autoscaling/karpenter-settings';
export * from '../capabilities/autoscaling/karpenter';
export * from '../capabilities/autoscaling/karpenter-interruption';
export * from '../capabilities/autoscaling/spot-service-linked-role';
export * from '../capabilities/storage/aws';
export * from '../capabilities/database/aws';
export * from '../capabilities/observability/alerts/aws';
export * from '../capabilities/cost/budget/aws';
export * from '../infrastructure/cluster/off-hours';
export * from '../integration/ci/aws';
export * from '../integration/ci/aws-permissions';
