import { CHARTS } from '../../../../constructs/core/charts';
import { Gatekeeper } from '../../../../constructs/orchestration/policy/gatekeeper';
import { helmTestStack, namespaceLevels, release } from '../../../helm-helpers';

describe('Gatekeeper', () => {
  const ha = helmTestStack((stack) => new Gatekeeper(stack, 'gatekeeper'));
  const dev = helmTestStack((stack) => new Gatekeeper(stack, 'gatekeeper', { highAvailability: false }));

  test('installs the pinned gatekeeper chart into the restricted gatekeeper-system namespace', () => {
    expect(release(ha, 'gatekeeper').body).toMatchObject(CHARTS.gatekeeper);
    expect(namespaceLevels(ha)).toEqual({ 'gatekeeper-system': 'restricted' });
  });

  test('runs three webhook replicas with a disruption budget in HA, one replica that can be drained otherwise', () => {
    expect(release(ha, 'gatekeeper').values).toEqual({
      replicas: 3,
      pdb: { controllerManager: { minAvailable: 1 } },
      logDenies: true,
      metricsBackends: ['prometheus'],
    });
    expect(release(dev, 'gatekeeper').values).toMatchObject({ replicas: 1, pdb: { controllerManager: { minAvailable: 0 } } });
  });

  test('merges value overrides over its own values', () => {
    const json = helmTestStack((stack) => new Gatekeeper(stack, 'gatekeeper', { valueOverrides: { auditInterval: 300 } }));
    expect(release(json, 'gatekeeper').values).toMatchObject({ replicas: 3, auditInterval: 300 });
  });
});
