import { IdpkitError } from '../../../../../constructs/core/errors';
import { REDIS_IMAGE, redisProvisioner } from '../../../../../constructs/orchestration/workloads/provisioners/redis';
import type { ScoreResource, WorkloadPlatform } from '../../../../../constructs/orchestration/workloads/types';
import { schemaViolations } from '../../../../support/kubernetes-schemas';
import { only, platformOf, requestOf } from './fixtures';

const provision = (platform: WorkloadPlatform, resource: Partial<ScoreResource> = {}, preview = false) =>
  redisProvisioner.provision(requestOf(platform, { type: 'redis', ...resource }, { resourceName: 'cache', preview }));

type PodSpec = { securityContext: object; containers: { args: string[]; env: object[]; securityContext: object; resources: object; readinessProbe: object; volumeMounts: object[] }[]; volumes: object[] };
const podSpecOf = (objects: ReturnType<typeof provision>['objects']) => (only(objects, 'StatefulSet').spec as { template: { spec: PodSpec } }).template.spec;

describe('redis', () => {
  it('generates the password once with External Secrets into the Secret the outputs name', () => {
    const { objects, outputs } = provision(platformOf());
    expect(only(objects, 'Password')).toMatchObject({ apiVersion: 'generators.external-secrets.io/v1alpha1', metadata: { name: 'orders-cache', namespace: 'shop' }, spec: { length: 32, symbols: 0 } });
    expect(only(objects, 'ExternalSecret').spec).toEqual({
      refreshPolicy: 'CreatedOnce',
      refreshInterval: '0s',
      target: { name: 'orders-cache', creationPolicy: 'Owner' },
      dataFrom: [{ sourceRef: { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'Password', name: 'orders-cache' } } }],
    });
    expect(outputs).toEqual({
      host: { value: 'orders-cache.shop.svc' },
      port: { value: '6379' },
      username: { value: 'default' },
      password: { secret: { name: 'orders-cache', key: 'password' } },
    });
  });

  it('runs the pinned official image as its non-root user, read-only, with the password only by reference', () => {
    const pod = podSpecOf(provision(platformOf()).objects);
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } });
    const [redis] = pod.containers;
    expect(REDIS_IMAGE).toBe('docker.io/library/redis:8.2.3-alpine');
    expect(redis).toMatchObject({ image: REDIS_IMAGE, securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } });
    expect(redis.args.slice(0, 2)).toEqual(['--requirepass', '$(REDIS_PASSWORD)']);
    const fromSecret = { valueFrom: { secretKeyRef: { name: 'orders-cache', key: 'password' } } };
    expect(redis.env).toEqual([
      { name: 'REDIS_PASSWORD', ...fromSecret },
      { name: 'REDISCLI_AUTH', ...fromSecret },
    ]);
    expect(redis.readinessProbe).toMatchObject({ exec: { command: ['sh', '-c', 'test "$(redis-cli ping)" = PONG'] } });
    expect(JSON.stringify(provision(platformOf()).objects)).not.toMatch(/"value":/);
  });

  it.each([
    ['staging', '2Gi', '256Mi', '192mb'],
    ['prod', '5Gi', '512Mi', '384mb'],
  ] as const)('keeps %s data on a volume of its own, append-only', (tier, storage, memory, maxmemory) => {
    const { objects } = provision(platformOf({ tier }));
    const spec = only(objects, 'StatefulSet').spec as { volumeClaimTemplates: object[] };
    expect(spec.volumeClaimTemplates).toEqual([{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } } }]);
    const [redis] = podSpecOf(objects).containers;
    expect(redis.args).toEqual(['--requirepass', '$(REDIS_PASSWORD)', '--dir', '/data', '--maxmemory', maxmemory, '--appendonly', 'yes']);
    expect(redis.resources).toEqual({ requests: { cpu: '100m', memory }, limits: { memory } });
    expect(podSpecOf(objects).volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
  });

  it('keeps dev data in memory, on an emptyDir', () => {
    const { objects } = provision(platformOf({ tier: 'dev' }));
    expect((only(objects, 'StatefulSet').spec as object as Record<string, unknown>).volumeClaimTemplates).toBeUndefined();
    expect(podSpecOf(objects).volumes).toEqual([
      { name: 'tmp', emptyDir: {} },
      { name: 'data', emptyDir: {} },
    ]);
    expect(podSpecOf(objects).containers[0].args.slice(-4)).toEqual(['--save', '', '--appendonly', 'no']);
  });

  it('takes memory and storage from params', () => {
    const { objects } = provision(platformOf({ tier: 'prod' }), { params: { memoryMiB: 1024, storageGiB: 20 } });
    expect(podSpecOf(objects).containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '1024Mi' }, limits: { memory: '1024Mi' } });
    expect(JSON.stringify(only(objects, 'StatefulSet'))).toContain('"storage":"20Gi"');
  });

  it('lets only the workload\'s pods in, and nothing out; the workload may reach it', () => {
    const { objects, egress } = provision(platformOf());
    const redisPods = { 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/instance': 'orders-cache' };
    expect(only(objects, 'NetworkPolicy').spec).toEqual({
      podSelector: { matchLabels: redisPods },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { 'idpkit.dev/workload': 'orders' } } }], ports: [{ protocol: 'TCP', port: 6379 }] }],
    });
    expect(only(objects, 'Service').spec).toEqual({ selector: redisPods, ports: [{ name: 'redis', port: 6379, targetPort: 'redis', protocol: 'TCP' }] });
    expect(egress).toEqual([{ peers: [{ podSelector: { matchLabels: redisPods } }], ports: [{ protocol: 'TCP', port: 6379 }] }]);
    // Redis pods never carry the workload's label: its Service and policies must not select them.
    expect(JSON.stringify((only(objects, 'StatefulSet').spec as { template: object }).template)).not.toContain('idpkit.dev/workload');
  });

  it('has no namespace and a short host in a preview', () => {
    const { objects, outputs } = provision(platformOf(), {}, true);
    expect(objects.every((object) => object.metadata.namespace === undefined)).toBe(true);
    expect(outputs.host).toEqual({ value: 'orders-cache' });
  });

  it('needs External Secrets, and takes no class', () => {
    expect(redisProvisioner.unavailable(platformOf({ addons: ['cloudnativePg'] }), undefined, false)).toBe(
      'type "redis" needs External Secrets to generate its password: enable platform.addons.externalSecrets.enabled',
    );
    expect(redisProvisioner.unavailable(platformOf(), 'sentinel', false)).toBe('class "sentinel" is not a class of redis: leave class out (no class of it is available here)');
    expect(redisProvisioner.unavailable(platformOf(), undefined, true)).toBeUndefined();
  });

  it('throws naming the param, its value and what is allowed', () => {
    expect(() => provision(platformOf(), { params: { memoryMiB: '1Gi' } })).toThrow(
      new IdpkitError('IDPKIT_INVALID_INPUT', ['score.yaml: resources.cache.params.memoryMiB "1Gi" is not a whole number from 64 to 65536']),
    );
  });

  it('renders only objects the upstream schemas accept', () => {
    const objects = [...provision(platformOf({ tier: 'prod' })).objects, ...provision(platformOf({ tier: 'dev' }), { id: 'shared-cache' }, true).objects];
    expect(schemaViolations(objects)).toEqual([]);
  });
});
