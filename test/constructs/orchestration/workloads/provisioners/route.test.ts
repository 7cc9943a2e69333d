import { routeProvisioner } from '../../../../../constructs/orchestration/workloads/provisioners/route';
import type { ScoreResource, WorkloadIngress, WorkloadPlatform } from '../../../../../constructs/orchestration/workloads/types';
import { schemaViolations } from '../../../../support/kubernetes-schemas';
import { only, platformOf, requestOf } from './fixtures';

const route = (platform: WorkloadPlatform, params: Record<string, unknown> = { host: 'shop.apps.acme.example' }, resource: Partial<ScoreResource> = {}) =>
  routeProvisioner.provision(requestOf(platform, { type: 'route', params, ...resource }, { resourceName: 'web' }));

const gateway: WorkloadIngress = { kind: 'gateway', gatewayName: 'public', gatewayNamespace: 'istio-ingress' };
const labelled = { namespaceSelector: { matchLabels: { 'idpkit.dev/platform-ingress': 'true' } } };

describe('route', () => {
  it('makes an Ingress of the platform\'s class with a cert-manager certificate for the host', () => {
    const { objects, ingress } = route(platformOf(), { host: 'shop.apps.acme.example', path: '/api', port: 'web' });
    const object = only(objects, 'Ingress');
    expect(object.metadata).toEqual({
      name: 'orders-web',
      namespace: 'shop',
      labels: { 'app.kubernetes.io/name': 'orders', 'app.kubernetes.io/managed-by': 'idpkit', 'idpkit.dev/workload': 'orders' },
      annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' },
    });
    expect(object.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['shop.apps.acme.example'], secretName: 'orders-web-tls' }],
      rules: [{ host: 'shop.apps.acme.example', http: { paths: [{ path: '/api', pathType: 'Prefix', backend: { service: { name: 'orders', port: { number: 80 } } } }] } }],
    });
    // The controller reaches the pods on the target port.
    expect(ingress).toEqual([{ peers: [labelled], ports: [{ protocol: 'TCP', port: 8080 }] }]);
  });

  it('takes the port as a number, a name, or the text a placeholder gives', () => {
    for (const port of [9000, 'admin', '9000']) {
      expect(JSON.stringify(only(route(platformOf(), { host: 'shop.apps.acme.example', port }).objects, 'Ingress').spec)).toContain('"number":9000');
    }
  });

  it('asks no certificate without a ClusterIssuer', () => {
    const object = only(route(platformOf({ ingress: { kind: 'ingress', className: 'nginx' } })).objects, 'Ingress');
    expect(object.metadata.annotations).toBeUndefined();
    expect((object.spec as Record<string, unknown>).tls).toBeUndefined();
  });

  it('puts an ALB Ingress in the namespace\'s ALB with the ACM certificate of the host, admitting the VPC', () => {
    const { objects, ingress } = route(platformOf({ ingress: { kind: 'ingress', className: 'alb', clusterIssuer: 'letsencrypt' } }), { host: 'shop.apps.acme.example', port: 9000 });
    const object = only(objects, 'Ingress');
    expect(object.metadata.annotations).toEqual({
      'alb.ingress.kubernetes.io/scheme': 'internet-facing',
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/group.name': 'idpkit-shop',
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]',
      'alb.ingress.kubernetes.io/ssl-redirect': '443',
    });
    expect(object.spec).toMatchObject({ ingressClassName: 'alb', tls: [{ hosts: ['shop.apps.acme.example'] }] });
    expect(JSON.stringify(object.spec)).toContain('"number":9000');
    expect(ingress).toEqual([{ peers: [labelled, { ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ protocol: 'TCP', port: 9000 }] }]);
  });

  it('makes an HTTPRoute on the platform\'s Gateway, admitting the Gateway\'s namespace', () => {
    const { objects, ingress } = route(platformOf({ ingress: gateway }));
    expect(only(objects, 'HTTPRoute').spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'istio-ingress' }],
      hostnames: ['shop.apps.acme.example'],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'orders', port: 80 }] }],
    });
    expect(ingress?.[0].peers).toEqual([labelled, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-ingress' } } }]);
  });

  it('throws when host is missing or a param is bad, naming it and what is allowed', () => {
    expect(() => route(platformOf(), {})).toThrow('score.yaml: resources.web.params.host (missing) is required: the host name to route, e.g. "${resources.dns.host}"');
    expect(() => route(platformOf(), { host: 'shop.apps.acme.example', port: 8080 })).toThrow(
      "score.yaml: resources.web.params.port 8080 is not a port of the workload's service (service.ports: web (80), admin (9000))",
    );
    expect(() => route(platformOf(), { host: 'shop.apps.acme.example', path: 'api' })).toThrow('score.yaml: resources.web.params.path "api" is not a path starting with "/" without spaces');
    expect(() => routeProvisioner.provision(requestOf(platformOf(), { type: 'route', params: { host: 'a.apps.acme.example' } }, { resourceName: 'web', servicePorts: {} }))).toThrow(
      "score.yaml: resources.web: a route needs a port of the workload's service, and it has none: add service.ports",
    );
  });

  it('needs the platform\'s ingress, and is refused in previews', () => {
    expect(routeProvisioner.unavailable(platformOf({ ingress: undefined }), undefined, false)).toBe(
      'type "route" needs a way in from outside the cluster, and the environment has none: on AWS enable platform.addons.awsLoadBalancerController (Ingress class alb); idpkit installs no ingress controller or Gateway on Azure and GCP yet (see docs/workloads.md)',
    );
    expect(routeProvisioner.unavailable(platformOf(), undefined, true)).toMatch(/^type "route" is not available in previews/);
    expect(routeProvisioner.unavailable(platformOf(), 'internal', false)).toBe('class "internal" is not a class of route: leave class out (no class of it is available here)');
  });

  it('renders only objects the upstream schemas accept', () => {
    const objects = [
      ...route(platformOf()).objects,
      ...route(platformOf({ ingress: { kind: 'ingress', className: 'alb' } })).objects,
      ...route(platformOf({ ingress: gateway }), { host: 'shop.apps.acme.example', path: '/v1' }).objects,
    ];
    expect(schemaViolations(objects)).toEqual([]);
  });
});
