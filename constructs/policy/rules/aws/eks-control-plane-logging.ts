import type { Rule } from '../../rule';

/** Control-plane log types that must be on. */
export const REQUIRED_EKS_LOG_TYPES = ['api', 'audit', 'authenticator'] as const;

/** IDP-AWS-009: an EKS cluster sends its API, audit and authenticator logs to CloudWatch. */
export const eksControlPlaneLoggingRule: Rule = {
  id: 'IDP-AWS-009',
  severity: { dev: 'warning', staging: 'error', prod: 'error' },
  summary: `EKS control-plane logging is on (${REQUIRED_EKS_LOG_TYPES.join(', ')})`,
  fix: `Set enabled_cluster_log_types to include ${REQUIRED_EKS_LOG_TYPES.map((type) => `"${type}"`).join(', ')}.`,
  appliesTo: ['aws_eks_cluster'],
  check(cluster) {
    const types = cluster.enabled_cluster_log_types;
    return Array.isArray(types) && REQUIRED_EKS_LOG_TYPES.every((type) => types.includes(type)) ? 'compliant' : 'non-compliant';
  },
};
