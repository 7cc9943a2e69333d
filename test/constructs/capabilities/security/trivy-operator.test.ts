import { parse } from 'yaml';
import { TrivyOperator, TrivyOperatorProps, TrivySeverity } from '../../../../constructs/capabilities/security/trivy-operator';
import { CHARTS } from '../../../../constructs/core/charts';
import { resources, synthJson } from '../../../helpers';
import { helmStack } from '../../../helm-helpers';


function synth(props: TrivyOperatorProps = {}) {
  const stack = helmStack();
  new TrivyOperator(stack, 'trivy-operator', props);
  const json = synthJson(stack);
  const [release] = resources(json, 'helm_release');
  return { json, release, values: parse(release.values[0]) };
}

describe('TrivyOperator', () => {
  const { json, release, values } = synth();

  test('installs the pinned chart in trivy-system, privileged for the node-collector scan jobs', () => {
    expect(release).toMatchObject({ ...CHARTS.trivyOperator, name: 'trivy-operator' });
    const [namespace] = resources(json, 'kubernetes_namespace_v1');
    expect(namespace.metadata).toMatchObject({ name: 'trivy-system', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } });
  });

  test('turns every scanner on with one leader-elected operator replica', () => {
    expect(values.operator).toEqual({
      replicas: 1,
      scanJobsConcurrentLimit: 10,
      vulnerabilityScannerEnabled: true,
      configAuditScannerEnabled: true,
      exposedSecretScannerEnabled: true,
      rbacAssessmentScannerEnabled: true,
      infraAssessmentScannerEnabled: true,
      clusterComplianceEnabled: true,
    });
  });

  test('reports CRITICAL and HIGH findings, fixed or not, by default', () => {
    expect(values.trivy).toEqual({ severity: 'CRITICAL,HIGH', ignoreUnfixed: false });
    expect(values.serviceMonitor).toEqual({ enabled: false });
  });

  test('takes severities, ignoreUnfixed, the scan job limit and the ServiceMonitor', () => {
    const asked = synth({ severities: ['CRITICAL'], ignoreUnfixed: true, scanJobsConcurrentLimit: 3, serviceMonitor: true }).values;
    expect(asked.trivy).toEqual({ severity: 'CRITICAL', ignoreUnfixed: true });
    expect(asked.operator.scanJobsConcurrentLimit).toBe(3);
    expect(asked.serviceMonitor).toEqual({ enabled: true });
  });

  test('throws when severities are empty or unknown', () => {
    expect(() => synth({ severities: [] })).toThrow(expect.objectContaining({ code: 'IDPKIT_INVALID_PROPS' }));
    expect(() => synth({ severities: [] })).toThrow('severities is empty');
    expect(() => synth({ severities: ['SEVERE' as TrivySeverity] })).toThrow('severities ["SEVERE"] are not Trivy severities');
  });

  test('throws when scanJobsConcurrentLimit is not a positive whole number', () => {
    expect(() => synth({ scanJobsConcurrentLimit: 0 })).toThrow('scanJobsConcurrentLimit 0 is not a whole number >= 1');
  });
});
