import type { EnvironmentConfig } from './types';

/** Staging: the prod layout on a smaller budget; shares the non-prod account with dev. */
export const staging = {
  name: 'staging',
  tier: 'staging',
  size: 'small',
  cloud: 'aws',
  owner: 'platform-team',
  costCenter: 'platform',
  aws: { accountId: '111111111111', region: 'eu-west-1' },
  state: { backend: 's3', bucket: 'idpkit-state-111111111111-eu-west-1' },
  network: { cidr: '10.20.0.0/16' },
  cluster: {
    name: 'idp-staging',
    kubernetesVersion: '1.35',
    adminPrincipal: 'arn:aws:iam::111111111111:role/platform-admin',
    publicEndpointCidrs: ['203.0.113.0/24'],
    nodeGroups: [{ name: 'general', instanceTypes: ['m6i.large', 'm6a.large'], minSize: 2, maxSize: 6 }],
  },
  platform: {
    addons: {
      certManager: { enabled: true },
      externalSecrets: { enabled: true },
      kubePrometheusStack: { enabled: true },
      trivyOperator: { enabled: true },
      metricsServer: { enabled: true },
      awsLoadBalancerController: { enabled: true },
      karpenter: { enabled: true, interruptionQueue: 'idp-staging-karpenter' },
      gatekeeper: { enabled: true },
      argocd: { enabled: true, gitops: { repoUrl: 'https://github.com/acme/platform-gitops.git' } },
      falco: { enabled: true },
      istio: { enabled: true },
      opencost: { enabled: true },
      crossplane: { enabled: true },
      tekton: { enabled: true },
      loki: { enabled: true, retentionDays: 14 },
      tempo: { enabled: true, retentionDays: 7 },
      alloy: { enabled: true, loki: { url: 'http://loki-gateway.loki.svc/loki/api/v1/push' }, otlp: { endpoint: 'tempo.tempo.svc:4317', insecure: true } },
      backstage: { enabled: true, image: { registry: 'ghcr.io', repository: 'acme/backstage', tag: '1.4.2' }, baseUrl: 'https://portal.staging.acme.example', organizationName: 'Acme', database: { existingSecret: 'backstage-db-app' } },
    },
  },
  registry: { repositories: ['platform/backstage', 'apps/hello-world'] },
} satisfies EnvironmentConfig;
