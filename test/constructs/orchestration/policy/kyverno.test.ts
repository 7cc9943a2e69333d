import { CHARTS } from '../../../../constructs/core/charts';
import { Kyverno, KyvernoProps } from '../../../../constructs/orchestration/policy/kyverno';
import { helmTestStack, namespaceLevels, release } from '../../../helm-helpers';

const synth = (props: KyvernoProps = {}) => helmTestStack((stack) => new Kyverno(stack, 'kyverno', props));
const CONTROLLERS = { admissionController: 3, backgroundController: 2, cleanupController: 2, reportsController: 2 };

describe('Kyverno', () => {
  const ha = synth({ validationFailureAction: 'Enforce' });
  const dev = synth({ highAvailability: false });

  test('installs the pinned kyverno and kyverno-policies charts into the restricted kyverno namespace, policies after Kyverno', () => {
    const kyverno = release(ha, 'kyverno');
    const policies = release(ha, 'kyverno-policies');
    expect(kyverno.body).toMatchObject({ ...CHARTS.kyverno, namespace: expect.stringContaining('kubernetes_namespace_v1') });
    expect(policies.body).toMatchObject(CHARTS.kyvernoPolicies);
    expect(policies.body.depends_on).toEqual([kyverno.address]);
    expect(namespaceLevels(ha)).toEqual({ kyverno: 'restricted' });
    expect(kyverno.values.crds).toEqual({ install: true });
  });

  test('replicates every controller with a disruption budget in HA, one replica each otherwise', () => {
    for (const [controller, replicas] of Object.entries(CONTROLLERS)) {
      expect(release(ha, 'kyverno').values[controller]).toEqual({ replicas, podDisruptionBudget: { enabled: true }, serviceMonitor: { enabled: false } });
      expect(release(dev, 'kyverno').values[controller]).toEqual({ replicas: 1, podDisruptionBudget: { enabled: false }, serviceMonitor: { enabled: false } });
    }
  });

  test('checks the restricted Pod Security Standard, enforced when asked and audited by default', () => {
    expect(release(ha, 'kyverno-policies').values).toEqual({
      podSecurityStandard: 'restricted',
      validationFailureAction: 'Enforce',
      vpolExclude: { excludeNamespaces: ['kube-system'] },
    });
    expect(release(dev, 'kyverno-policies').values.validationFailureAction).toBe('Audit');
  });

  test('skips kube-system and the namespaces it is given, once each', () => {
    const json = synth({ excludeNamespaces: ['falco', 'kube-system', 'falco'] });
    expect(release(json, 'kyverno-policies').values.vpolExclude).toEqual({ excludeNamespaces: ['kube-system', 'falco'] });
  });

  test('merges value overrides per release', () => {
    const json = synth({ valueOverrides: { admissionController: { replicas: 5 } }, policiesValueOverrides: { podSecuritySeverity: 'high' } });
    expect(release(json, 'kyverno').values.admissionController.replicas).toBe(5);
    expect(release(json, 'kyverno-policies').values.podSecuritySeverity).toBe('high');
  });
});
