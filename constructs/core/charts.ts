/**
 * The Helm charts idpkit installs: repository, chart name and pinned version, one row per chart.
 * Every row is a release the chart's maintainers published (checked by scripts/check-helm-charts.mjs
 * against verified chart facts). Upgrading a chart is changing its row, then its add-on's values.
 */
export const CHARTS = {
  argoCd: { repository: 'https://argoproj.github.io/argo-helm', chart: 'argo-cd', version: '10.1.1' },
  argoRollouts: { repository: 'https://argoproj.github.io/argo-helm', chart: 'argo-rollouts', version: '2.41.0' },
  vault: { repository: 'https://helm.releases.hashicorp.com', chart: 'vault', version: '0.34.1' },
  externalSecrets: { repository: 'https://charts.external-secrets.io', chart: 'external-secrets', version: '2.9.0' },
  kubePrometheusStack: { repository: 'https://prometheus-community.github.io/helm-charts', chart: 'kube-prometheus-stack', version: '88.5.3' },
  loki: { repository: 'https://grafana-community.github.io/helm-charts', chart: 'loki', version: '18.11.0' },
  tempo: { repository: 'https://grafana-community.github.io/helm-charts', chart: 'tempo', version: '2.2.4' },
  alloy: { repository: 'https://grafana.github.io/helm-charts', chart: 'alloy', version: '1.11.1' },
  kubecost: { repository: 'https://kubecost.github.io/kubecost/', chart: 'kubecost', version: '3.2.1' },
  opencost: { repository: 'https://opencost.github.io/opencost-helm-chart', chart: 'opencost', version: '2.5.17' },
  certManager: { repository: 'oci://quay.io/jetstack/charts', chart: 'cert-manager', version: 'v1.21.1' },
  externalDns: { repository: 'https://kubernetes-sigs.github.io/external-dns/', chart: 'external-dns', version: '1.21.1' },
  awsLoadBalancerController: { repository: 'https://aws.github.io/eks-charts', chart: 'aws-load-balancer-controller', version: '3.5.0' },
  kyverno: { repository: 'https://kyverno.github.io/kyverno/', chart: 'kyverno', version: '3.9.0' },
  kyvernoPolicies: { repository: 'https://kyverno.github.io/kyverno/', chart: 'kyverno-policies', version: '3.9.0' },
  gatekeeper: { repository: 'https://open-policy-agent.github.io/gatekeeper/charts', chart: 'gatekeeper', version: '3.23.0' },
  crossplane: { repository: 'https://charts.crossplane.io/stable', chart: 'crossplane', version: '2.3.4' },
  istioBase: { repository: 'https://istio-release.storage.googleapis.com/charts', chart: 'base', version: '1.30.3' },
  istiod: { repository: 'https://istio-release.storage.googleapis.com/charts', chart: 'istiod', version: '1.30.3' },
  istioGateway: { repository: 'https://istio-release.storage.googleapis.com/charts', chart: 'gateway', version: '1.30.3' },
  istioCni: { repository: 'https://istio-release.storage.googleapis.com/charts', chart: 'cni', version: '1.30.3' },
  cilium: { repository: 'https://helm.cilium.io/', chart: 'cilium', version: '1.20.0' },
  falco: { repository: 'https://falcosecurity.github.io/charts', chart: 'falco', version: '9.1.0' },
  trivyOperator: { repository: 'https://aquasecurity.github.io/helm-charts/', chart: 'trivy-operator', version: '0.34.0' },
  tektonOperator: { repository: 'oci://ghcr.io/tektoncd/operator/charts', chart: 'tekton-operator', version: '0.81.1' },
  backstage: { repository: 'https://backstage.github.io/charts', chart: 'backstage', version: '2.8.2' },
  karpenter: { repository: 'oci://public.ecr.aws/karpenter', chart: 'karpenter', version: '1.14.1' },
  metricsServer: { repository: 'https://kubernetes-sigs.github.io/metrics-server/', chart: 'metrics-server', version: '3.13.1' },
  cloudnativePg: { repository: 'https://cloudnative-pg.github.io/charts', chart: 'cloudnative-pg', version: '0.29.0' },
} as const;

/** A chart idpkit knows. */
export type ChartName = keyof typeof CHARTS;

/** A chart reference: what `helm_release` takes. */
export interface ChartRef {
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
}
