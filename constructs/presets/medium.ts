import type { Preset } from './preset';
import { CLOUD_INTEGRATION } from './cloud-integration';

/**
 * Medium company (50-200 engineers): self-service and golden paths. Backstage full, Argo CD and
 * Crossplane, Tekton, databases by claim (Crossplane compositions and CloudNativePG), External
 * Secrets with Vault, self-hosted Prometheus and Grafana, Istio, a namespace per team.
 */
export const medium: Preset = {
  size: 'medium',
  engineers: '50-200',
  platformTeam: '6-8 platform engineers',
  focus: 'self-service, golden paths',
  recovery: { rto: '2 hours', rpo: '5 minutes for databases (point-in-time recovery); cluster state is rebuilt from Git' },
  capabilities: {
    'developer portal': { tool: 'Backstage, full featured', addons: { backstage: {} } },
    orchestration: { tool: 'Argo CD + Crossplane', addons: { argocd: {}, crossplane: {} } },
    'CI/CD': { tool: 'Tekton', addons: { tekton: {} } },
    databases: {
      tool: 'Crossplane: managed PostgreSQL + CloudNativePG',
      provider: 'managed PostgreSQL for the platform; teams claim more through Crossplane compositions',
      addons: { crossplane: { databases: { enabled: true } }, cloudnativePg: {} },
    },
    secrets: { tool: 'External Secrets + Vault', addons: { externalSecrets: {}, vault: {} } },
    monitoring: { tool: 'self-hosted Prometheus + Grafana', addons: { kubePrometheusStack: {} } },
    'service mesh': { tool: 'Istio', addons: { istio: {} } },
    cost: { tool: 'budgets (OpenCost optional)', provider: 'AWS Budgets / Azure consumption budget / GCP billing budget' },
    security: { tool: 'scanning in CI and the registry', provider: 'registry scan on push' },
    tenancy: { tool: 'teams: a namespace per team', addons: { tenancy: { mode: 'teams' } } },
    TLS: { tool: 'cert-manager', addons: { certManager: {} } },
    'cloud integration': CLOUD_INTEGRATION,
  },
  databases: [{ name: 'platform', size: { dev: 'small', staging: 'medium', prod: 'large' }, storageGiB: 64 }],
  nodeGroup: {
    dev: { size: 'medium', minSize: 1, maxSize: 4 },
    staging: { size: 'medium', minSize: 3, maxSize: 6 },
    prod: { size: 'large', minSize: 3, maxSize: 12 },
  },
};
