import { serviceProvisioner } from '../../../../../constructs/orchestration/workloads/provisioners/service';
import type { ScoreWorkloadSpec } from '../../../../../constructs/orchestration/workloads/types';
import { provisionRequest } from './request';

const ORDERS: ScoreWorkloadSpec = {
  apiVersion: 'score.dev/v1b1',
  metadata: { name: 'orders' },
  service: { ports: { grpc: { port: 9090, targetPort: 9000 }, metrics: { port: 9100, protocol: 'TCP' } } },
  containers: { main: { image: 'orders' } },
};

describe('service provisioner', () => {
  it('outputs the host and first port of the workload named like the resource, and allows egress to its pod ports', () => {
    const result = serviceProvisioner.provision(provisionRequest('orders', { type: 'service' }, { workloads: { orders: ORDERS } }));
    expect(result.outputs).toEqual({ host: { value: 'orders.shop.svc.cluster.local' }, port: { value: '9090' } });
    expect(result.objects).toEqual([]);
    expect(result.egress).toEqual([
      {
        peers: [{ podSelector: { matchLabels: { 'idpkit.dev/workload': 'orders' } } }],
        ports: [
          { protocol: 'TCP', port: 9000 },
          { protocol: 'TCP', port: 9100 },
        ],
      },
    ]);
  });

  it('reads params.workload, and in previews gives the short host name (objects carry no namespace)', () => {
    const result = serviceProvisioner.provision(provisionRequest('backend', { type: 'service', params: { workload: 'orders' } }, { workloads: { orders: ORDERS }, preview: true }));
    expect(result.outputs.host).toEqual({ value: 'orders' });
  });

  it('takes params.port for a workload rendered elsewhere, and refuses one without it', () => {
    const result = serviceProvisioner.provision(provisionRequest('billing', { type: 'service', params: { port: 8443 } }));
    expect(result.outputs.port).toEqual({ value: '8443' });
    expect(result.egress?.[0].ports).toEqual([{ protocol: 'TCP', port: 8443 }]);
    expect(() => serviceProvisioner.provision(provisionRequest('billing', { type: 'service' }, { workloads: { orders: ORDERS } }))).toThrow(
      'web/score.yaml: resources.billing: workload "billing" is not among the workloads rendered together (orders): render their Score files together, or give params.port (the port of its Service)',
    );
  });

  it('refuses a workload without service ports and bad params', () => {
    const worker: ScoreWorkloadSpec = { ...ORDERS, metadata: { name: 'worker' }, service: undefined };
    expect(() => serviceProvisioner.provision(provisionRequest('worker', { type: 'service' }, { workloads: { worker } }))).toThrow(
      'web/score.yaml: resources.worker: workload "worker" has no service.ports, so there is nothing to connect to (give it service.ports)',
    );
    expect(() => serviceProvisioner.provision(provisionRequest('x1', { type: 'service', params: { workload: 'Orders', port: 0, host: 'x' } }))).toThrow(
      [
        '3 problems:',
        '- web/score.yaml: resources.x1.params.workload "Orders" is not a workload name (a DNS label, e.g. "orders")',
        '- web/score.yaml: resources.x1.params.port 0 is not the port of its Service (a whole number from 1 to 65535)',
        '- web/score.yaml: resources.x1.params.host is not a parameter of type "service" (parameters: workload, port)',
      ].join('\n'),
    );
  });
});
