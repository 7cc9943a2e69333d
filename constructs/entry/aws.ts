/**
 * `idpkit/aws`: the AWS constructs (network, cluster, registry, keys, identities, state, databases,
 * storage, alerts, budgets, CI deploy identities, Karpenter, the Load Balancer Controller, off-hours scale-down). Loads
 * `@cdktf/provider-aws` and no other cloud's provider. The cloud-neutral interfaces they implement come
 * from `idpkit` (docs/library.md). Re-exports only.
 *
 * @packageDocumentation
 */
export * from '../integration/provider/aws';
export {
  awsManagedPolicy,
  AwsRole,
  type AwsRoleProps,
  AwsWorkloadIdentity,
  type AwsWorkloadIdentityProps,
  awsWorkloadIdentityRoleName,
  type PolicyStatement,
} from '../integration/identity/aws';
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
export {
  AWS_APPLY_PERMISSIONS,
  AWS_BOUNDARY_SERVICES,
  AWS_BOUNDED_ROLE_ACTIONS,
  AWS_MANAGED_POLICY_MAX_CHARS,
  AWS_ROLE_SERVICES,
  type AwsApplyPermissionsProps,
  awsBoundaryPolicyArn,
  awsBoundaryPolicyName,
  type AwsBoundaryProps,
  AwsPermissionsBoundaryAspect,
  type AwsPermissionScope,
  type AwsScopedActions,
  type AwsTypePermissions,
} from '../integration/ci/aws-permissions';
