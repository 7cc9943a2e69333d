import { IdpkitError } from '../../../core/errors';
import { workloadSelector } from '../labels';
import type { ResourceProvisioner } from '../types';
import { integerParam, readParams, stringParam } from './params';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * `service`: another workload of the namespace the workload calls: `params.workload` (default:
 * the resource's name). Outputs its Service's `host` (`<workload>.<namespace>.svc.cluster.local`,
 * in previews the short name) and `port` (its first `service.ports` entry, or `params.port` for a
 * workload not rendered together with this one), and allows egress to its pods on their ports.
 */
export const serviceProvisioner: ResourceProvisioner = {
  type: 'service',
  description: 'another workload of the namespace: its host and port, and egress to its pods',
  classes: [],
  outputs: { host: 'value', port: 'value' },
  unavailable: () => undefined,
  provision(request) {
    const params = readParams(request, {
      workload: stringParam('a workload name (a DNS label, e.g. "orders")', DNS_LABEL),
      port: integerParam('the port of its Service', 1, 65535),
    });
    const target = params.workload ?? request.resourceName;
    const spec = request.workloads[target];
    const ports = Object.values(spec?.service?.ports ?? {});
    if (spec && ports.length === 0) {
      throw new IdpkitError('IDPKIT_INVALID_WORKLOAD', [`${request.at}: workload "${target}" has no service.ports, so there is nothing to connect to (give it service.ports)`]);
    }
    const port = params.port ?? ports[0]?.port;
    if (port === undefined) {
      const rendered = Object.keys(request.workloads).sort().join(', ');
      throw new IdpkitError('IDPKIT_INVALID_WORKLOAD', [
        `${request.at}: workload "${target}" is not among the workloads rendered together (${rendered}): render their Score files together, or give params.port (the port of its Service)`,
      ]);
    }
    const podPorts = spec ? ports.map((entry) => ({ protocol: entry.protocol ?? 'TCP', port: entry.targetPort ?? entry.port })) : [{ protocol: 'TCP' as const, port }];
    return {
      objects: [],
      outputs: {
        host: { value: request.preview ? target : `${target}.${request.namespace}.svc.cluster.local` },
        port: { value: String(port) },
      },
      egress: [{ peers: [{ podSelector: { matchLabels: workloadSelector(target) } }], ports: podPorts }],
    };
  },
};
