/**
 * idpkit's public API: typed cdktf constructs for an Internal Developer Platform, the environment
 * schema, and the per-environment stacks. Re-exports only.
 */

// Errors and shared rules
export * from './core/errors';
export * from './core/tiers';
export * from './core/clouds';
export * from './core/overrides';
export * from './core/charts';
export * from './core/helm-addon';
export * from './core/manifests';
export * from './core/yaml';
export { cidrSubnet, cidrsOverlap, parseCidr } from './core/cidr';

// Integration layer: providers, identity, state
export * from './integration/provider';
export * from './integration/provider/aws';
export * from './integration/provider/azure';
export * from './integration/provider/gcp';
export * from './integration/provider/regions';
export * from './integration/provider/time';
export * from './integration/services/gcp';
export * from './integration/identity';
export * from './integration/identity/aws';
export * from './integration/identity/azure';
export * from './integration/identity/gcp';
export * from './integration/kubernetes';
export * from './integration/state';
export * from './capabilities/state/aws';
export * from './capabilities/state/azure';
export * from './capabilities/state/gcp';

// Infrastructure layer: keys, network, cluster, registry
export * from './infrastructure/keys';
export * from './infrastructure/keys/aws';
export * from './infrastructure/keys/azure';
export * from './infrastructure/keys/gcp';
export * from './infrastructure/network';
export * from './infrastructure/network/aws';
export * from './infrastructure/network/azure';
export * from './infrastructure/network/gcp';
export * from './infrastructure/cluster';
export * from './infrastructure/cluster/aws';
export * from './infrastructure/cluster/azure';
export * from './infrastructure/cluster/gcp';
export * from './infrastructure/cluster/aks-names';
export * from './infrastructure/cluster/aks-versions';
export * from './infrastructure/cluster/eks-versions';
export * from './infrastructure/cluster/gke-versions';
export * from './infrastructure/cluster/node-sizes';
export * from './infrastructure/registry';
export * from './infrastructure/registry/aws';
export * from './infrastructure/registry/azure';
export * from './infrastructure/registry/gcp';

// Capabilities layer
export * from './capabilities/autoscaling/metrics-server';
export * from './capabilities/cicd/tekton';
export * from './capabilities/cost/opencost';
export * from './capabilities/mesh/cilium';
export * from './capabilities/mesh/istio';
export * from './capabilities/observability/alloy';
export * from './capabilities/observability/kube-prometheus-stack';
export * from './capabilities/secrets/external-secrets';
export * from './capabilities/security/falco';
export * from './capabilities/security/trivy-operator';
export * from './capabilities/tls/cert-manager';

// Orchestration layer
export * from './orchestration/crossplane/crossplane';
export * from './orchestration/gitops/argocd';
export * from './orchestration/policy/gatekeeper';
export * from './orchestration/policy/kyverno';
export * from './orchestration/tenancy/tenancy';

// Interface layer
export * from './interface/backstage/backstage';

// Environments and stacks
export * from '../environments/types';
export * from '../environments/load';
export * from '../stacks/clouds';
export * from '../stacks';

// Cloud integration add-ons (AWS Load Balancer Controller, Karpenter, Kubecost)
export * from './capabilities/networking/aws-load-balancer-controller';
export * from './capabilities/autoscaling/karpenter';
export * from './capabilities/autoscaling/karpenter-interruption';
export * from './capabilities/autoscaling/spot-service-linked-role';
export * from './capabilities/cost/kubecost';

// Stateful add-ons (Vault, Loki, Tempo, external-dns) and the object storage they keep data in
export * from './capabilities/storage';
export * from './capabilities/storage/aws';
export * from './capabilities/storage/azure';
export * from './capabilities/storage/gcp';
export * from './capabilities/secrets/vault';
export * from './capabilities/observability/loki';
export * from './capabilities/observability/tempo';
export * from './capabilities/networking/external-dns';

// Databases (managed PostgreSQL, CloudNativePG, Crossplane compositions), alerts, budgets, off-hours
export * from './capabilities/database';
export * from './capabilities/database/aws';
export * from './capabilities/database/azure';
export * from './capabilities/database/gcp';
export * from './capabilities/database/cloudnative-pg';
export * from './orchestration/crossplane/databases';
export * from './capabilities/observability/alerts';
export * from './capabilities/observability/alerts/aws';
export * from './capabilities/observability/alerts/azure';
export * from './capabilities/observability/alerts/gcp';
export * from './capabilities/cost/budget';
export * from './capabilities/cost/budget/aws';
export * from './capabilities/cost/budget/azure';
export * from './capabilities/cost/budget/gcp';
export * from './infrastructure/cluster/off-hours';

// CI: GitHub Actions OIDC deploy identities
export * from './integration/ci';
export * from './integration/ci/aws';
export * from './integration/ci/azure';
export * from './integration/ci/gcp';
export * from './integration/ci/aws-permissions';
export * from './integration/ci/azure-roles';
export * from './integration/ci/gcp-roles';

// Company-size presets and the idpkit command's building blocks
export * from './presets';
export * from './presets/apply';
export * from './presets/template';

// Guardrails: the policy engine and rule packs, the secret scanner, `idpkit check`
export * from './policy/engine';
export * from './policy/findings';
export * from './policy/secrets';
export * from './policy/rules';
export * from './policy/rules/terraform';
export * from './policy/rules/aws';
export * from './policy/rules/azure';
export * from './policy/rules/gcp';
export * from './policy/rules/kubernetes';
export * from './policy/sarif';
export * from '../cli/check';

// Workloads: Score files rendered into Kubernetes objects (docs/workloads.md)
export * from './orchestration/workloads/types';
export * from './orchestration/workloads/score';
export * from './orchestration/workloads/render';
export * from './orchestration/workloads/layout';
export * from './orchestration/workloads/defaults';
export * from './orchestration/workloads/labels';
export * from './orchestration/workloads/provisioners';
export * from './orchestration/workloads/score-workload';
// Cost estimates over synthesized output (docs/cost.md)
export * from './capabilities/cost/estimate';
export * from './capabilities/cost/estimate/compare';

// Golden paths: Backstage Software Templates of services (docs/portal.md)
export * from './interface/backstage/golden-paths';
// Backstage catalog of the platform: entities and the platform model (docs/portal.md)
export * from './interface/catalog';
