import type { Rule } from '../../rule';
import { block, isReference } from '../../private/terraform-json';

/** The logging component of the Kubernetes API server. */
export const GKE_APISERVER_LOG_COMPONENT = 'APISERVER';

/**
 * IDP-GCP-012: a GKE cluster sends its API server's logs to Cloud Logging. GKE writes Kubernetes
 * audit logs to Cloud Audit Logs whatever the configuration, but the control plane's own logs are
 * opt-in: the default components are SYSTEM_COMPONENTS and WORKLOADS only, so leaving
 * `logging_config` unset does not comply, and `logging_service = "none"` turns all logging off.
 *
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/view-logs#control_plane_logs
 */
export const gkeControlPlaneLoggingRule: Rule = {
  id: 'IDP-GCP-012',
  severity: { dev: 'warning', staging: 'error', prod: 'error' },
  summary: `GKE control-plane logging is on (logging_config.enable_components includes ${GKE_APISERVER_LOG_COMPONENT})`,
  fix: 'Set logging_config { enable_components = ["SYSTEM_COMPONENTS", "APISERVER", "CONTROLLER_MANAGER", "SCHEDULER", "WORKLOADS"] } and leave logging_service at "logging.googleapis.com/kubernetes".',
  appliesTo: ['google_container_cluster'],
  check(cluster) {
    if (cluster.logging_service === 'none') return 'non-compliant';
    const components = block(cluster.logging_config)?.enable_components;
    if (isReference(components)) return 'compliant';
    return Array.isArray(components) && components.includes(GKE_APISERVER_LOG_COMPONENT) ? 'compliant' : 'non-compliant';
  },
};
