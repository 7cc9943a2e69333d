import { CHARTS } from '../../../../constructs/core/charts';
import { Crossplane } from '../../../../constructs/orchestration/crossplane/crossplane';
import { helmTestStack, namespaceLevels, release } from '../../../helm-helpers';

describe('Crossplane', () => {
  const ha = helmTestStack((stack) => new Crossplane(stack, 'crossplane'));
  const dev = helmTestStack((stack) => new Crossplane(stack, 'crossplane', { highAvailability: false }));

  test('installs the pinned crossplane chart into the restricted crossplane-system namespace', () => {
    expect(release(ha, 'crossplane').body).toMatchObject(CHARTS.crossplane);
    expect(namespaceLevels(ha)).toEqual({ 'crossplane-system': 'restricted' });
  });

  test('runs two leader-elected replicas of Crossplane and the RBAC manager in HA, one otherwise, metrics on', () => {
    expect(release(ha, 'crossplane').values).toMatchObject({ replicas: 2, leaderElection: true, rbacManager: { replicas: 2, leaderElection: true }, metrics: { enabled: true } });
    expect(release(dev, 'crossplane').values).toMatchObject({ replicas: 1, rbacManager: { replicas: 1 } });
  });

  test('hardens both pods to the Pod Security restricted level', () => {
    const { values } = release(ha, 'crossplane');
    for (const pod of ['Crossplane', 'RBACManager']) {
      expect(values[`podSecurityContext${pod}`]).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(values[`securityContext${pod}`]).toEqual({ runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    }
  });
});
