import type { KubernetesObject } from '../../../core/manifests';
import type { Tier } from '../../../core/tiers';
import type { ProvisionRequest, Provisioned, ResourceProvisioner } from '../types';
import { RESTRICTED_CONTAINER_SECURITY_CONTEXT, availableClasses, objectMeta, readParams, refuseUnavailable, serviceHost, workloadPeer } from './objects';

/**
 * The Redis image: the official image's Alpine variant, at the tag the pinned Argo CD chart
 * (10.1.1) runs for its own Redis. Redis 8 is open source again (AGPLv3 among its licences);
 * 7.4.x is under RSALv2/SSPLv1 only. The image's `redis` user is uid 999.
 *
 * @see https://hub.docker.com/_/redis
 */
export const REDIS_IMAGE = 'docker.io/library/redis:8.2.3-alpine';

/** The port Redis listens on. */
export const REDIS_PORT = 6379;

/** The user of the image (`redis`, uid 999): the pod runs as it, and owns its volume through fsGroup. */
const REDIS_UID = 999;

/** The ESO generator API of the pinned external-secrets chart (2.9.0). */
const ESO_GENERATORS_API = 'generators.external-secrets.io/v1alpha1';

/** What a Redis gets per tier: a volume and append-only persistence in staging and prod; dev keeps data in memory only. */
export const REDIS_TIER_DEFAULTS: Readonly<Record<Tier, { readonly persistent: boolean; readonly storageGiB: number; readonly memoryMiB: number }>> = {
  dev: { persistent: false, storageGiB: 1, memoryMiB: 256 },
  staging: { persistent: true, storageGiB: 2, memoryMiB: 256 },
  prod: { persistent: true, storageGiB: 5, memoryMiB: 512 },
};

/** Share of the container's memory Redis may fill (`maxmemory`): the rest is for the fork of an append-only rewrite and buffers. */
const MAXMEMORY_SHARE = 0.75;

const PARAM_RULES = {
  /** Memory of the container (request and limit), MiB; Redis refuses writes beyond 75% of it. */
  memoryMiB: { kind: 'integer', min: 64, max: 65536 },
  /** The data volume, GiB (staging and prod). */
  storageGiB: { kind: 'integer', min: 1, max: 1024 },
} as const;

/** Labels of the Redis pods: not the workload's (its Service and policies select `idpkit.dev/workload`). */
const podLabels = (name: string) => ({ 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/instance': name });

/** The Password generator and the ExternalSecret writing its password once into the Secret `<instance>` (key `password`). */
function passwordObjects(request: ProvisionRequest, name: string): KubernetesObject[] {
  return [
    {
      apiVersion: ESO_GENERATORS_API,
      kind: 'Password',
      metadata: objectMeta(request, name),
      // 32 letters and digits: nothing to escape in a URL or a command line.
      spec: { length: 32, digits: 8, symbols: 0, noUpper: false, allowRepeat: true },
    },
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: objectMeta(request, name),
      spec: {
        // Generated once: a new password would lock out every client.
        refreshPolicy: 'CreatedOnce',
        refreshInterval: '0s',
        target: { name, creationPolicy: 'Owner' },
        dataFrom: [{ sourceRef: { generatorRef: { apiVersion: ESO_GENERATORS_API, kind: 'Password', name } } }],
      },
    },
  ];
}

/** The single-replica StatefulSet: restricted, read-only, the password from the Secret, a volume in staging and prod. */
function statefulSet(request: ProvisionRequest, name: string, memoryMiB: number, persistent: boolean, storageGiB: number): KubernetesObject {
  const password = { secretKeyRef: { name, key: 'password' } };
  const persistence = persistent ? ['--appendonly', 'yes'] : ['--save', '', '--appendonly', 'no'];
  const data = { name: 'data', mountPath: '/data' };
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: objectMeta(request, name),
    spec: {
      replicas: 1,
      serviceName: name,
      selector: { matchLabels: podLabels(name) },
      template: {
        metadata: { labels: { ...podLabels(name), 'app.kubernetes.io/managed-by': 'idpkit' } },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: { runAsNonRoot: true, runAsUser: REDIS_UID, runAsGroup: REDIS_UID, fsGroup: REDIS_UID, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'redis',
              image: REDIS_IMAGE,
              // Kubernetes expands $(REDIS_PASSWORD) from the environment: the spec holds no secret.
              args: ['--requirepass', '$(REDIS_PASSWORD)', '--dir', '/data', '--maxmemory', `${Math.floor(memoryMiB * MAXMEMORY_SHARE)}mb`, ...persistence],
              env: [
                { name: 'REDIS_PASSWORD', valueFrom: password },
                // redis-cli (the readiness probe) reads its password from REDISCLI_AUTH.
                { name: 'REDISCLI_AUTH', valueFrom: password },
              ],
              ports: [{ name: 'redis', containerPort: REDIS_PORT, protocol: 'TCP' }],
              readinessProbe: { exec: { command: ['sh', '-c', 'test "$(redis-cli ping)" = PONG'] }, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 5 },
              livenessProbe: { tcpSocket: { port: 'redis' }, initialDelaySeconds: 15, periodSeconds: 20 },
              resources: { requests: { cpu: '100m', memory: `${memoryMiB}Mi` }, limits: { memory: `${memoryMiB}Mi` } },
              securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
              volumeMounts: [data, { name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: {} }, ...(persistent ? [] : [{ name: 'data', emptyDir: {} }])],
        },
      },
      ...(persistent
        ? { volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: `${storageGiB}Gi` } } } }] }
        : {}),
    },
  };
}

/**
 * `redis`: an in-cluster Redis of the workload's own (or shared by `id`): a single-replica
 * StatefulSet of the official image with its password generated by External Secrets, a Service,
 * and a NetworkPolicy that lets only the workload's pods in (and nothing out).
 */
export const redisProvisioner: ResourceProvisioner = {
  type: 'redis',
  description: 'Redis in the namespace: a StatefulSet with a password generated by External Secrets, persistent in staging and prod',
  classes: [],
  outputs: { host: 'value', port: 'value', username: 'value', password: 'secret' },
  unavailable(platform, resourceClass) {
    if (!platform.addons.includes('externalSecrets')) return 'type "redis" needs External Secrets to generate its password: enable platform.addons.externalSecrets.enabled';
    return resourceClass === undefined ? undefined : `class "${resourceClass}" is not a class of redis: leave class out (${availableClasses([])})`;
  },
  provision(request): Provisioned {
    refuseUnavailable(redisProvisioner, request);
    const params = readParams(request, PARAM_RULES);
    const defaults = REDIS_TIER_DEFAULTS[request.preview ? 'dev' : request.platform.tier];
    const name = request.instanceName;
    const memoryMiB = (params.memoryMiB as number | undefined) ?? defaults.memoryMiB;
    const storageGiB = (params.storageGiB as number | undefined) ?? defaults.storageGiB;
    const port = [{ protocol: 'TCP' as const, port: REDIS_PORT }];
    const service: KubernetesObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: objectMeta(request, name),
      spec: { selector: podLabels(name), ports: [{ name: 'redis', port: REDIS_PORT, targetPort: 'redis', protocol: 'TCP' }] },
    };
    const networkPolicy: KubernetesObject = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: objectMeta(request, name),
      // Redis needs no egress: no replicas, no modules fetching anything.
      spec: { podSelector: { matchLabels: podLabels(name) }, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [workloadPeer(request)], ports: port }] },
    };
    return {
      objects: [...passwordObjects(request, name), statefulSet(request, name, memoryMiB, defaults.persistent, storageGiB), service, networkPolicy],
      outputs: {
        host: { value: serviceHost(request, name) },
        port: { value: String(REDIS_PORT) },
        username: { value: 'default' },
        password: { secret: { name, key: 'password' } },
      },
      egress: [{ peers: [{ podSelector: { matchLabels: podLabels(name) } }], ports: port }],
    };
  },
};
