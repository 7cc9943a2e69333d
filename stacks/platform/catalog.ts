import type { Environment } from '../../environments/types';
import { AddonConfig, AddonDefinition } from './addon';
import { CAPABILITY_ADDONS } from './capabilities';
import { CLOUD_INTEGRATION_ADDONS } from './cloud-integrations';
import { DATABASE_ADDONS } from './databases';
import { INTERFACE_ADDONS } from './interface';
import { ORCHESTRATION_ADDONS } from './orchestration';
import { SECRETS_ADDONS } from './secrets';
import { STATEFUL_ADDONS } from './stateful';
import { TENANCY_ADDONS } from './tenancy';

/** Every add-on the platform stack can install, in install order: capabilities first, the portal last. */
export const ADDONS: readonly AddonDefinition[] = [
  ...CAPABILITY_ADDONS,
  ...CLOUD_INTEGRATION_ADDONS,
  ...SECRETS_ADDONS,
  ...STATEFUL_ADDONS,
  ...DATABASE_ADDONS,
  ...ORCHESTRATION_ADDONS,
  ...TENANCY_ADDONS,
  ...INTERFACE_ADDONS,
];

/** The add-ons an environment enables, with their configs, in install order. */
export function enabledAddons(env: Environment): { addon: AddonDefinition; config: AddonConfig }[] {
  return ADDONS.flatMap((addon) => {
    const config = env.platform?.addons?.[addon.key] as AddonConfig | undefined;
    return config?.enabled ? [{ addon, config }] : [];
  });
}

/**
 * The TCP ports each add-on's admission and conversion webhooks (and aggregated API servers)
 * listen on in their pods, with the chart values as idpkit installs them. The API server calls
 * the pod IP and target port directly, so a private GKE cluster's firewall must let the control
 * plane reach these ports on the nodes. Add-ons with no webhook are absent. Checked against each
 * chart's values.yaml (and templates where the value is empty) for the pinned version:
 *
 * | add-on | port | source |
 * |---|---|---|
 * | `certManager` | 10250 | `webhook.securePort` |
 * | `externalSecrets` | 10250 | `webhook.port` |
 * | `vault` | 8080 | `injector.port` (the agent injector's mutating webhook) |
 * | `kubePrometheusStack` | 10250 | `prometheusOperator.tls.internalPort` (operator admission webhook) |
 * | `istio` | 15017 | istiod's `https-webhook` container port (sidecar injection, validation) |
 * | `kyverno` | 9443 | `admissionController.webhookServer.port`, `cleanupController.server.port` |
 * | `gatekeeper` | 8443 | `controllerManager.port` |
 * | `cloudnativePg` | 9443 | `webhook.port` |
 * | `crossplane` | 9443 | the chart's `webhooks` container port (Crossplane and its providers' conversion webhooks) |
 * | `tekton` | 8443 | `webhook.httpsWebhookPort` (operator); the pipelines and triggers webhooks it installs listen on 8443 too |
 * | `awsLoadBalancerController` | 9443 | `webhookBindPort` (default) |
 * | `metricsServer` | 10250 | `containerPort` (the aggregated metrics API) |
 *
 * Argo CD, Backstage, Falco, Trivy operator, Loki (rollout operator off), Tempo, Alloy, Kubecost
 * (admission controller off), OpenCost, external-dns, Karpenter 1.x and Cilium register none.
 */
export const ADDON_WEBHOOK_PORTS: Readonly<Record<string, readonly number[]>> = {
  certManager: [10250],
  externalSecrets: [10250],
  vault: [8080],
  kubePrometheusStack: [10250],
  istio: [15017],
  kyverno: [9443],
  gatekeeper: [8443],
  cloudnativePg: [9443],
  crossplane: [9443],
  tekton: [8443],
  awsLoadBalancerController: [9443],
  metricsServer: [10250],
};

/** The webhook ports of these add-ons ({@link ADDON_WEBHOOK_PORTS}), each once, ascending. */
export function addonWebhookPorts(addonKeys: readonly string[]): number[] {
  return [...new Set(addonKeys.flatMap((key) => ADDON_WEBHOOK_PORTS[key] ?? []))].sort((a, b) => a - b);
}
