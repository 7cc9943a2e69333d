import { Construct } from 'constructs';
import { CHARTS } from '../../core/charts';
import { IdpkitError } from '../../core/errors';
import { AddonProps, HelmAddon } from '../../core/helm-addon';

/** Trivy severities. */
export const TRIVY_SEVERITIES = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;

/** A Trivy severity. */
export type TrivySeverity = (typeof TRIVY_SEVERITIES)[number];

/** Props of {@link TrivyOperator}. */
export interface TrivyOperatorProps extends AddonProps {
  /** Severities reported. @default ["CRITICAL", "HIGH"] */
  readonly severities?: readonly TrivySeverity[];
  /** Leave out vulnerabilities that have no fix yet. @default false */
  readonly ignoreUnfixed?: boolean;
  /** Most scan jobs running at once. @default 10 */
  readonly scanJobsConcurrentLimit?: number;
  /** Create a ServiceMonitor for the report metrics (needs kube-prometheus-stack). @default false */
  readonly serviceMonitor?: boolean;
}

/** Namespace of the Trivy operator and its scan jobs. */
export const TRIVY_OPERATOR_NAMESPACE = 'trivy-system';

/**
 * The Trivy operator in `trivy-system`: continuous scanning of the cluster, with results as
 * Kubernetes reports (VulnerabilityReport, ConfigAuditReport, ExposedSecretReport,
 * RbacAssessmentReport, InfraAssessmentReport, ClusterComplianceReport) and Prometheus metrics.
 *
 * - Every scanner is on: vulnerabilities, config audit, exposed secrets, RBAC and infrastructure
 *   (node) assessment, with CIS/NSA/PSS compliance reports.
 * - One operator replica in every tier: it elects a leader, so a second replica would only stand
 *   by. HA here means the scan jobs are retried and reports are rebuilt after a restart, not replicas.
 * - The namespace enforces the **privileged** Pod Security level: scan jobs run in it, and the
 *   infra assessment's node-collector jobs use the host PID namespace and hostPath mounts of the
 *   kubelet and control-plane config.
 *
 * @see https://aquasecurity.github.io/trivy-operator/latest/
 * @example
 * new TrivyOperator(this, 'trivy-operator', { ignoreUnfixed: true });
 */
export class TrivyOperator extends Construct {
  /** The Helm release. */
  readonly addon: HelmAddon;

  constructor(scope: Construct, id: string, props: TrivyOperatorProps = {}) {
    super(scope, id);
    const severities = props.severities ?? ['CRITICAL', 'HIGH'];
    const limit = props.scanJobsConcurrentLimit ?? 10;
    const problems: string[] = [];
    if (severities.length === 0) problems.push(`severities is empty (allowed: ${TRIVY_SEVERITIES.join(', ')})`);
    const unknown = severities.filter((severity) => !(TRIVY_SEVERITIES as readonly string[]).includes(severity));
    if (unknown.length > 0) problems.push(`severities ${JSON.stringify(unknown)} are not Trivy severities (allowed: ${TRIVY_SEVERITIES.join(', ')})`);
    if (!Number.isInteger(limit) || limit < 1) problems.push(`scanJobsConcurrentLimit ${limit} is not a whole number >= 1`);
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems.map((problem) => `${this.node.path}: ${problem}`));

    this.addon = new HelmAddon(this, 'release', {
      chart: CHARTS.trivyOperator,
      namespace: TRIVY_OPERATOR_NAMESPACE,
      podSecurity: 'privileged',
      values: {
        operator: {
          replicas: 1,
          scanJobsConcurrentLimit: limit,
          vulnerabilityScannerEnabled: true,
          configAuditScannerEnabled: true,
          exposedSecretScannerEnabled: true,
          rbacAssessmentScannerEnabled: true,
          infraAssessmentScannerEnabled: true,
          clusterComplianceEnabled: true,
        },
        trivy: {
          severity: [...new Set(severities)].join(','),
          ignoreUnfixed: props.ignoreUnfixed ?? false,
        },
        serviceMonitor: { enabled: props.serviceMonitor ?? false },
      },
      valueOverrides: props.valueOverrides,
      dependsOn: props.dependsOn,
    });
  }
}
