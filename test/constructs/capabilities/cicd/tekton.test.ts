import { Tekton } from '../../../../constructs/capabilities/cicd/tekton';
import { CHARTS } from '../../../../constructs/core/charts';
import { helmTestStack, namespaceLevels, release } from '../../../helm-helpers';

describe('Tekton', () => {
  const ha = helmTestStack((stack) => new Tekton(stack, 'tekton'));
  const dev = helmTestStack((stack) => new Tekton(stack, 'tekton', { highAvailability: false }));

  test('installs the pinned tekton-operator chart from its OCI registry into the restricted tekton-operator namespace', () => {
    expect(release(ha, 'tekton-operator').body).toMatchObject({ repository: 'oci://ghcr.io/tektoncd/operator/charts', chart: 'tekton-operator', version: CHARTS.tektonOperator.version });
    expect(namespaceLevels(ha)).toEqual({ 'tekton-operator': 'restricted' });
  });

  test('installs the CRDs and runs two operator and webhook replicas in HA, one otherwise', () => {
    expect(release(ha, 'tekton-operator').values).toMatchObject({ installCRDs: true, operator: { replicas: 2 }, webhook: { replicas: 2 } });
    expect(release(dev, 'tekton-operator').values).toMatchObject({ installCRDs: true, operator: { replicas: 1 }, webhook: { replicas: 1 } });
  });

  test('hardens its pods to the Pod Security restricted level', () => {
    expect(release(ha, 'tekton-operator').values).toMatchObject({
      podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      service: { createServiceMonitor: false },
    });
  });
});
