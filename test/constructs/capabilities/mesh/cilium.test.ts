import { CiliumChaining } from '../../../../constructs/capabilities/mesh/cilium';
import { CHARTS } from '../../../../constructs/core/charts';
import { validateEnvironments } from '../../../../environments/types';
import { azureDev } from '../../../../environments';
import { clone } from '../../../helpers';
import { helmTestStack, namespaceLevels, release } from '../../../helm-helpers';

describe('CiliumChaining', () => {
  const prod = helmTestStack((stack) => new CiliumChaining(stack, 'cilium', { highAvailability: true, serviceMonitor: true }));
  const dev = helmTestStack((stack) => new CiliumChaining(stack, 'cilium', { highAvailability: false }));

  test('chains onto the Amazon VPC CNI with native routing and no masquerading', () => {
    const { body, values } = release(prod, 'cilium');
    expect(body).toMatchObject(CHARTS.cilium);
    expect(values).toMatchObject({
      cni: { chainingMode: 'aws-cni', exclusive: false },
      enableIPv4Masquerade: false,
      routingMode: 'native',
      endpointRoutes: { enabled: true },
    });
  });

  test('replicates the operator and Hubble relay in HA, single replicas otherwise', () => {
    expect(release(prod, 'cilium').values).toMatchObject({ operator: { replicas: 2 }, hubble: { enabled: true, relay: { enabled: true, replicas: 2 } } });
    expect(release(dev, 'cilium').values).toMatchObject({ operator: { replicas: 1 }, hubble: { relay: { replicas: 1 } } });
  });

  test('runs in its own privileged namespace, with ServiceMonitors when asked', () => {
    expect(namespaceLevels(prod)).toEqual({ cilium: 'privileged' });
    expect(release(prod, 'cilium').values.prometheus).toEqual({ enabled: true, serviceMonitor: { enabled: true } });
    expect(release(dev, 'cilium').values.prometheus.serviceMonitor).toEqual({ enabled: false });
  });

  test('throws when enabled on Azure or GCP, whose dataplanes are Cilium-based already', () => {
    const config = clone(azureDev) as any;
    config.platform.addons.cilium = { enabled: true };
    expect(() => validateEnvironments([config])).toThrow('platform.addons.cilium.enabled true is not available on azure (only on aws)');
  });
});
