import type { EnvironmentConfig } from './types';

/** Production: its own account, three zones, NAT per zone, private-only API endpoint. */
export const prod = {
  name: 'prod',
  tier: 'prod',
  size: 'small',
  cloud: 'aws',
  owner: 'platform-team',
  costCenter: 'platform',
  aws: { accountId: '222222222222', region: 'eu-west-1' },
  state: { backend: 's3', bucket: 'idpkit-state-222222222222-eu-west-1' },
  network: { cidr: '10.30.0.0/16' },
  cluster: {
    name: 'idp-prod',
    kubernetesVersion: '1.35',
    adminPrincipal: 'arn:aws:iam::222222222222:role/platform-admin',
    nodeGroups: [{ name: 'general', instanceTypes: ['m6i.xlarge', 'm6a.xlarge'], minSize: 3, maxSize: 12 }],
  },
  platform: {
    addons: {
      certManager: { enabled: true },
      vault: { enabled: true },
      loki: { enabled: true, retentionDays: 30 },
      tempo: { enabled: true, retentionDays: 14 },
      externalDns: { enabled: true, zone: { domain: 'prod.acme.example', hostedZoneId: 'Z0123456789ABCDEFGHIJ' } },
      externalSecrets: { enabled: true },
      kubePrometheusStack: { enabled: true },
      trivyOperator: { enabled: true },
      metricsServer: { enabled: true },
      awsLoadBalancerController: { enabled: true },
      kyverno: { enabled: true },
      argocd: { enabled: true, gitops: { repoUrl: 'https://github.com/acme/platform-gitops.git' } },
      falco: { enabled: true },
      istio: { enabled: true },
      opencost: { enabled: true },
      crossplane: { enabled: true },
      tekton: { enabled: true },
      alloy: { enabled: true, loki: { url: 'http://loki-gateway.loki.svc/loki/api/v1/push' }, otlp: { endpoint: 'tempo.tempo.svc:4317', insecure: true } },
      backstage: { enabled: true, image: { registry: 'ghcr.io', repository: 'acme/backstage', tag: '1.4.2' }, baseUrl: 'https://portal.acme.example', organizationName: 'Acme', database: { existingSecret: 'backstage-db-app' } },
    },
  },
  registry: { repositories: ['platform/backstage', 'apps/hello-world'] },
} satisfies EnvironmentConfig;
