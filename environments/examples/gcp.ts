import type { EnvironmentConfig } from '../types';

/**
 * A GCP development environment: its own project, two zones (so a zonal GKE control plane), the API
 * reachable from the office range only, one small autoscaled node pool. Not in the default
 * environments; pass it to `synthesizePlatform` or `validateEnvironments` to use it.
 */
export const gcpDev = {
  name: 'gcp-dev',
  tier: 'dev',
  size: 'small',
  cloud: 'gcp',
  owner: 'platform-team',
  costCenter: 'platform',
  tags: { 'Data-Classification': 'Internal' },
  gcp: { projectId: 'acme-idp-dev', region: 'europe-west1', billingAccountId: '000000-000000-000000' },
  state: { backend: 'gcs', bucket: 'acme-idp-dev-tfstate' },
  network: { cidr: '10.50.0.0/16', availabilityZoneCount: 2 },
  cluster: {
    name: 'idp-dev',
    kubernetesVersion: '1.35',
    adminPrincipal: 'group:platform-admins@acme.example',
    publicEndpointCidrs: ['203.0.113.0/24'],
    nodeGroups: [{ name: 'general', size: 'small', minSize: 1, maxSize: 3 }],
  },
  platform: {
    addons: {
      certManager: { enabled: true },
      loki: { enabled: true, retentionDays: 7 },
      tempo: { enabled: true, retentionDays: 3 },
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
  registry: { repositories: ['platform/backstage', 'apps/hello-world'], untaggedImageExpiryDays: 7 },
} satisfies EnvironmentConfig;

/**
 * A GCP production environment: its own project, a regional GKE cluster over three zones with a
 * private API endpoint only, a general node pool and a spot pool for batch work.
 */
export const gcpProd = {
  name: 'gcp-prod',
  tier: 'prod',
  size: 'medium',
  cloud: 'gcp',
  owner: 'platform-team',
  costCenter: 'platform',
  tags: { 'Data-Classification': 'Confidential' },
  gcp: { projectId: 'acme-idp-prod', region: 'europe-west1', billingAccountId: '000000-000000-000000' },
  state: { backend: 'gcs', bucket: 'acme-idp-prod-tfstate' },
  network: { cidr: '10.51.0.0/16' },
  cluster: {
    name: 'idp-prod',
    kubernetesVersion: '1.35',
    adminPrincipal: 'group:platform-admins@acme.example',
    publicEndpointCidrs: [],
    nodeGroups: [
      { name: 'general', size: 'medium', minSize: 3, maxSize: 12, diskSizeGiB: 100 },
      { name: 'batch-spot', instanceTypes: ['e2-standard-8'], minSize: 0, maxSize: 6, capacityType: 'SPOT', labels: { workload: 'batch' } },
    ],
  },
  platform: {
    addons: {
      certManager: { enabled: true },
      vault: { enabled: true },
      loki: { enabled: true },
      tempo: { enabled: true },
      externalDns: { enabled: true, zone: { domain: 'gcp.acme.example', managedZone: 'gcp-acme-example' } },
      externalSecrets: { enabled: true },
      kubePrometheusStack: { enabled: true },
      trivyOperator: { enabled: true },
      kyverno: { enabled: true },
      argocd: { enabled: true, gitops: { repoUrl: 'https://github.com/acme/platform-gitops.git' } },
      falco: { enabled: true },
      istio: { enabled: true },
      opencost: { enabled: true },
      crossplane: { enabled: true, providers: [{ name: 'provider-gcp-storage', version: 'v2.6.0' }, { name: 'provider-gcp-sql', version: 'v2.6.0' }] },
      tekton: { enabled: true },
      alloy: { enabled: true, loki: { url: 'http://loki-gateway.loki.svc/loki/api/v1/push' }, otlp: { endpoint: 'tempo.tempo.svc:4317', insecure: true } },
      backstage: { enabled: true, image: { registry: 'ghcr.io', repository: 'acme/backstage', tag: '1.4.2' }, baseUrl: 'https://portal.acme.example', organizationName: 'Acme' },
    },
  },
  alerts: { emails: ['platform-team@acme.example'] },
  budget: { monthlyLimit: 10000 },
  ci: { github: { owner: 'acme', repo: 'platform' } },
  registry: { repositories: ['platform/backstage', 'apps/hello-world'] },
} satisfies EnvironmentConfig;
