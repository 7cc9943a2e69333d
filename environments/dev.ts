import type { EnvironmentConfig } from './types';

/** Development: two zones, one NAT gateway, a small node group; shares the non-prod account. */
export const dev = {
  name: 'dev',
  tier: 'dev',
  size: 'medium',
  cloud: 'aws',
  owner: 'platform-team',
  costCenter: 'platform',
  aws: { accountId: '111111111111', region: 'eu-west-1' },
  state: { backend: 's3', bucket: 'idpkit-state-111111111111-eu-west-1' },
  network: { cidr: '10.10.0.0/16', availabilityZoneCount: 2 },
  cluster: {
    name: 'idp-dev',
    kubernetesVersion: '1.35',
    adminPrincipal: 'arn:aws:iam::111111111111:role/platform-admin',
    publicEndpointCidrs: ['203.0.113.0/24'],
    nodeGroups: [{ name: 'general', instanceTypes: ['t3.large'], minSize: 1, maxSize: 3 }],
  },
  platform: {
    addons: {
      certManager: { enabled: true },
      externalSecrets: { enabled: true },
      kubePrometheusStack: { enabled: true },
      trivyOperator: { enabled: true },
      metricsServer: { enabled: true },
      awsLoadBalancerController: { enabled: true },
      karpenter: { enabled: true },
      kubecost: { enabled: true },
      kyverno: { enabled: true },
      backstage: { enabled: true, image: { registry: 'ghcr.io', repository: 'acme/backstage', tag: '1.4.2' }, baseUrl: 'https://portal.dev.acme.example', organizationName: 'Acme' },
      argocd: { enabled: true, gitops: { repoUrl: 'https://github.com/acme/platform-gitops.git' }, previewEnvironments: { owner: 'acme', repo: 'shop' } },
    },
  },
  alerts: { emails: ['platform-team@acme.example'] },
  budget: { monthlyLimit: 2000 },
  ci: { github: { owner: 'acme', repo: 'platform' } },
  registry: { repositories: ['platform/backstage', 'apps/hello-world'] },
} satisfies EnvironmentConfig;
