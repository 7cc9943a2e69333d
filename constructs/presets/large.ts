import type { Preset } from './preset';
import { CLOUD_INTEGRATION } from './cloud-integration';

/**
 * Large company (200+ engineers): a product platform for many tenants. Backstage with custom
 * plugins, Crossplane for infrastructure and Argo CD for applications, Tekton and GitHub Actions,
 * a multi-cloud database abstraction, Vault HA, metrics, logs and traces, Istio with Cilium,
 * Kubecost, a security platform (Falco, Trivy operator, Kyverno) and multi-tenant namespaces.
 */
export const large: Preset = {
  size: 'large',
  engineers: '200+',
  platformTeam: '12-15 platform engineers (core, security, developer experience, SRE)',
  focus: 'product platform, multi-tenancy',
  recovery: { rto: '1 hour', rpo: '5 minutes for databases (point-in-time recovery); cluster state is rebuilt from Git' },
  capabilities: {
    'developer portal': { tool: 'Backstage with custom plugins (your image)', addons: { backstage: {} } },
    orchestration: { tool: 'Crossplane (infrastructure) + Argo CD (applications)', addons: { argocd: {}, crossplane: {} } },
    'CI/CD': { tool: 'Tekton + GitHub Actions', provider: 'OIDC deploy identities per environment (ci.github)', addons: { tekton: {} } },
    databases: {
      tool: 'multi-cloud database abstraction',
      provider: 'managed PostgreSQL for the platform; one claim API with a composition per cloud and CloudNativePG',
      addons: { crossplane: { databases: { enabled: true } }, cloudnativePg: {} },
    },
    secrets: { tool: 'Vault HA cluster (+ External Secrets)', addons: { vault: {}, externalSecrets: {} } },
    monitoring: {
      tool: 'full observability: metrics, logs (Loki), traces (Tempo)',
      addons: {
        kubePrometheusStack: {},
        loki: {},
        tempo: {},
        // Alloy's destinations default to the add-ons beside it: metrics to Prometheus, logs to Loki, traces to Tempo.
        alloy: {},
      },
    },
    'service mesh': {
      tool: 'Istio + Cilium',
      addons: { istio: {}, cilium: {} },
      cloudNotes: { azure: 'Cilium is the AKS dataplane (Azure CNI powered by Cilium)', gcp: 'Cilium is the GKE dataplane (Dataplane V2)' },
    },
    cost: { tool: 'Kubecost + budgets', provider: 'AWS Budgets / Azure consumption budget / GCP billing budget', addons: { kubecost: {} } },
    security: { tool: 'security platform: Falco, Trivy operator, policy (Kyverno)', addons: { falco: {}, trivyOperator: {}, kyverno: {} } },
    tenancy: { tool: 'multi-tenant: namespace per tenant, quotas, cost allocation', addons: { tenancy: { mode: 'multi-tenant' } } },
    TLS: { tool: 'cert-manager', addons: { certManager: {} } },
    'cloud integration': CLOUD_INTEGRATION,
  },
  databases: [{ name: 'platform', size: { dev: 'small', staging: 'medium', prod: 'xlarge' }, storageGiB: 128 }],
  nodeGroup: {
    dev: { size: 'medium', minSize: 2, maxSize: 6 },
    staging: { size: 'large', minSize: 3, maxSize: 12 },
    prod: { size: 'xlarge', minSize: 3, maxSize: 30 },
  },
};
