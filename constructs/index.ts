/**
 * `idpkit`: the cloud-neutral core. Errors, tiers, clouds, the cloud-neutral interfaces of the
 * constructs (networks, clusters, registries, keys, databases, storage, alerts, budgets), the
 * Kubernetes and Helm add-ons, environments, presets, workloads (Score), the portal and catalog,
 * cost estimates. Loads no cloud provider: the constructs of each cloud are in `idpkit/aws`,
 * `idpkit/azure` and `idpkit/gcp`, the guardrails in `idpkit/policy`, the stacks in
 * `idpkit/platform` (docs/library.md). Re-exports only.
 */
export * from './core/errors';
export * from './core/tiers';
export * from './core/clouds';
export * from './core/overrides';
export * from './core/charts';
export * from './core/helm-addon';
export * from './core/manifests';
export * from './core/yaml';
export { cidrSubnet, cidrsOverlap, parseCidr } from './core/cidr';
export * from './integration/provider';
export * from './integration/provider/regions';
export * from './integration/provider/time';
export * from './integration/identity';
export * from './integration/kubernetes';
export * from './integration/state';
export * from './infrastructure/keys';
export * from './infrastructure/network';
export * from './infrastructure/cluster';
export * from './infrastructure/cluster/node-sizes';
export * from './infrastructure/cluster/off-hours-schedule';
export * from './infrastructure/registry';
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
export * from './orchestration/crossplane/crossplane';
export * from './orchestration/gitops/argocd';
export * from './orchestration/policy/gatekeeper';
export * from './orchestration/policy/kyverno';
export * from './orchestration/tenancy/tenancy';
export * from './interface/backstage/backstage';
export * from '../environments/types';
export * from '../environments/load';
export * from './capabilities/cost/kubecost';
export * from './capabilities/storage';
export * from './capabilities/secrets/vault';
export * from './capabilities/observability/loki';
export * from './capabilities/observability/tempo';
export * from './capabilities/networking/external-dns';
export * from './capabilities/database';
export * from './capabilities/database/cloudnative-pg';
export * from './orchestration/crossplane/databases';
export * from './capabilities/observability/alerts';
export * from './capabilities/cost/budget';
export * from './integration/ci';
export * from './presets';
export * from './presets/apply';
export * from './presets/template';
export * from './orchestration/workloads/types';
export * from './orchestration/workloads/score';
export * from './orchestration/workloads/render';
export * from './orchestration/workloads/layout';
export * from './orchestration/workloads/defaults';
export * from './orchestration/workloads/labels';
export * from './orchestration/workloads/provisioners';
export * from './orchestration/workloads/score-workload';
export * from './capabilities/cost/estimate';
export * from './capabilities/cost/estimate/compare';
export * from './interface/backstage/golden-paths';
export * from './interface/catalog';
