import type { Preset } from './preset';
import { CLOUD_INTEGRATION } from './cloud-integration';

/**
 * Small company (< 50 engineers): managed services first, little to run. Backstage simplified,
 * Argo CD with Terraform (idpkit), GitHub Actions, managed PostgreSQL, the cloud secret manager,
 * hosted Grafana.
 */
export const small: Preset = {
  size: 'small',
  engineers: '< 50',
  platformTeam: '2-3 platform engineers',
  focus: 'reduce toil, standard templates',
  recovery: { rto: '4 hours', rpo: '5 minutes for databases (point-in-time recovery); cluster state is rebuilt from Git' },
  capabilities: {
    // The portal's own PostgreSQL runs on CloudNativePG: see docs/databases.md for why not the managed one.
    'developer portal': { tool: 'Backstage, simplified (catalog and templates), its database on CloudNativePG', addons: { backstage: {}, cloudnativePg: {} } },
    orchestration: { tool: 'Argo CD + Terraform (idpkit stacks)', addons: { argocd: {} } },
    'CI/CD': { tool: 'GitHub Actions', provider: 'OIDC deploy identities per environment (ci.github)' },
    databases: { tool: 'managed PostgreSQL', provider: 'RDS / Azure Database for PostgreSQL flexible server / Cloud SQL' },
    secrets: {
      tool: 'cloud secret manager',
      provider: 'Secrets Manager / Key Vault / Secret Manager with customer-managed keys',
      addons: { externalSecrets: {} },
    },
    monitoring: { tool: 'hosted Grafana (remote write)', addons: { alloy: {} } },
    'service mesh': { tool: 'none' },
    cost: { tool: 'budgets', provider: 'AWS Budgets / Azure consumption budget / GCP billing budget' },
    security: { tool: 'scanning in CI and the registry', provider: 'registry scan on push' },
    tenancy: { tool: 'single team' },
    TLS: { tool: 'cert-manager', addons: { certManager: {} } },
    'cloud integration': CLOUD_INTEGRATION,
  },
  databases: [{ name: 'platform', size: { dev: 'small', staging: 'medium', prod: 'medium' }, storageGiB: 32 }],
  nodeGroup: {
    dev: { size: 'small', minSize: 1, maxSize: 3 },
    staging: { size: 'medium', minSize: 2, maxSize: 4 },
    prod: { size: 'medium', minSize: 3, maxSize: 6 },
  },
};
