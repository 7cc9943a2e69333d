import type { EnvironmentConfig } from '../types';

/**
 * Example Azure environments: dev and prod in their own subscriptions of one tenant, each with its
 * own state storage account (a storage account lives in one subscription). Placeholder ids: replace
 * the subscription, tenant and Entra group object ids with yours. See docs/azure.md.
 */

/** Azure development: two zones, the free AKS tier, API reachable from the office range only, Standard registry. */
export const azureDev = {
  name: 'azure-dev',
  tier: 'dev',
  size: 'small',
  cloud: 'azure',
  owner: 'platform-team',
  costCenter: 'platform',
  azure: {
    subscriptionId: '00000000-0000-0000-0000-000000000001',
    tenantId: '00000000-0000-0000-0000-0000000000aa',
    location: 'westeurope',
  },
  state: { backend: 'azurerm', resourceGroupName: 'rg-idpkit-state', storageAccountName: 'idpkitstate000001' },
  network: { cidr: '10.40.0.0/16', availabilityZoneCount: 2 },
  cluster: {
    name: 'idp-azure-dev',
    kubernetesVersion: '1.35',
    adminPrincipal: '00000000-0000-0000-0000-0000000000ad',
    publicEndpointCidrs: ['203.0.113.0/24'],
    nodeGroups: [{ name: 'general', size: 'small', minSize: 1, maxSize: 3 }],
  },
  platform: {
    addons: {
      certManager: { enabled: true },
      externalSecrets: { enabled: true },
      kubePrometheusStack: { enabled: true },
      trivyOperator: { enabled: true },
      kubecost: { enabled: true },
      gatekeeper: { enabled: true },
      backstage: { enabled: true, image: { registry: 'ghcr.io', repository: 'acme/backstage', tag: '1.4.2' }, baseUrl: 'https://portal.dev.acme.example', organizationName: 'Acme' },
      alloy: { enabled: true, remoteWrite: { url: 'https://prometheus.grafana.example/api/prom/push' } },
      argocd: { enabled: true, gitops: { repoUrl: 'https://github.com/acme/platform-gitops.git' }, previewEnvironments: { owner: 'acme', repo: 'shop' } },
    },
  },
  alerts: { emails: ['platform-team@acme.example'] },
  budget: { monthlyLimit: 2000 },
  ci: { github: { owner: 'acme', repo: 'platform' } },
  registry: { repositories: ['platform/backstage', 'apps/hello-world'] },
} satisfies EnvironmentConfig;

/** Azure production: three zones, AKS Standard tier, private API server, private Premium registry with a customer key. */
export const azureProd = {
  name: 'azure-prod',
  tier: 'prod',
  size: 'medium',
  cloud: 'azure',
  owner: 'platform-team',
  costCenter: 'platform',
  azure: {
    subscriptionId: '00000000-0000-0000-0000-000000000002',
    tenantId: '00000000-0000-0000-0000-0000000000aa',
    location: 'westeurope',
    resourceGroupName: 'rg-idp-prod',
  },
  state: { backend: 'azurerm', resourceGroupName: 'rg-idpkit-state', storageAccountName: 'idpkitstate000002' },
  network: { cidr: '10.41.0.0/16' },
  cluster: {
    name: 'idp-azure-prod',
    kubernetesVersion: '1.35',
    adminPrincipal: '00000000-0000-0000-0000-0000000000ad',
    logRetentionDays: 730,
    nodeGroups: [
      { name: 'general', size: 'medium', minSize: 3, maxSize: 12 },
      { name: 'batch', instanceTypes: ['Standard_D8s_v5'], minSize: 0, maxSize: 6, capacityType: 'SPOT', labels: { workload: 'batch' } },
    ],
  },
  platform: {
    addons: {
      certManager: { enabled: true },
      vault: { enabled: true },
      loki: { enabled: true },
      tempo: { enabled: true },
      externalDns: { enabled: true, zone: { domain: 'azure.acme.example', resourceGroupName: 'rg-dns' } },
      externalSecrets: { enabled: true },
      kubePrometheusStack: { enabled: true },
      trivyOperator: { enabled: true },
      kyverno: { enabled: true },
      argocd: { enabled: true, gitops: { repoUrl: 'https://github.com/acme/platform-gitops.git' } },
      falco: { enabled: true },
      istio: { enabled: true },
      opencost: { enabled: true },
      crossplane: { enabled: true, providers: [{ name: 'provider-azure-storage', version: 'v2.6.0' }] },
      tekton: { enabled: true },
      alloy: { enabled: true, loki: { url: 'http://loki-gateway.loki.svc/loki/api/v1/push' }, otlp: { endpoint: 'tempo.tempo.svc:4317', insecure: true } },
      backstage: { enabled: true, image: { registry: 'ghcr.io', repository: 'acme/backstage', tag: '1.4.2' }, baseUrl: 'https://portal.acme.example', organizationName: 'Acme' },
    },
  },
  alerts: { emails: ['platform-team@acme.example'] },
  budget: { monthlyLimit: 10000 },
  ci: { github: { owner: 'acme', repo: 'platform' } },
  registry: { repositories: ['platform/backstage', 'apps/hello-world'], untaggedImageExpiryDays: 30 },
} satisfies EnvironmentConfig;
