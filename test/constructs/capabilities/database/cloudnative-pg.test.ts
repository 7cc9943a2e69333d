import { CloudNativePg, CloudNativePgProps } from '../../../../constructs/capabilities/database/cloudnative-pg';
import { CHARTS } from '../../../../constructs/core/charts';
import { resources } from '../../../helpers';
import { helmTestStack, namespaceLevels, release } from '../../../helm-helpers';

function synth(props: CloudNativePgProps = {}) {
  const json = helmTestStack((stack) => new CloudNativePg(stack, 'cloudnative-pg', props));
  return { json, operator: release(json, 'cloudnative-pg') };
}
const clustersOf = (json: any) => release(json, 'cnpg-clusters').values.manifests as any[];

describe('CloudNativePg', () => {
  test('installs the pinned operator chart cluster-wide, with its CRDs, in the restricted cnpg-system namespace', () => {
    const { json, operator } = synth();
    expect(operator.body).toMatchObject({ repository: CHARTS.cloudnativePg.repository, chart: 'cloudnative-pg', version: '0.29.0', name: 'cloudnative-pg' });
    expect(operator.body.namespace).toBe('${kubernetes_namespace_v1.namespace-cnpg-system.metadata[0].name}');
    expect(operator.values).toMatchObject({ crds: { create: true }, config: { clusterWide: true } });
    expect(namespaceLevels(json)).toEqual({ 'cnpg-system': 'restricted' });
  });

  test('HA: two operator replicas spread over zones and a disruption budget selecting the operator pods', () => {
    const { json, operator } = synth({ highAvailability: true });
    expect(operator.values.replicaCount).toBe(2);
    expect(operator.values.topologySpreadConstraints[0]).toMatchObject({ topologyKey: 'topology.kubernetes.io/zone' });
    const [pdb] = resources(json, 'kubernetes_pod_disruption_budget_v1');
    expect(pdb.spec).toEqual({ min_available: '1', selector: { match_labels: { 'app.kubernetes.io/name': 'cloudnative-pg', 'app.kubernetes.io/instance': 'cloudnative-pg' } } });
    expect(pdb.metadata.namespace).toBe('${kubernetes_namespace_v1.namespace-cnpg-system.metadata[0].name}');
  });

  test('dev: one operator replica, no disruption budget', () => {
    const { json, operator } = synth({ highAvailability: false });
    expect(operator.values.replicaCount).toBe(1);
    expect(operator.values.topologySpreadConstraints).toBeUndefined();
    expect(resources(json, 'kubernetes_pod_disruption_budget_v1')).toEqual([]);
  });

  test('no clusters: no clusters release', () => {
    expect(resources(synth().json, 'helm_release').map((r) => r.name)).toEqual(['cloudnative-pg']);
  });

  test('HA clusters: 3 instances over zones, synchronous replication, disruption budget, no superuser, after the operator', () => {
    const { json, operator } = synth({ highAvailability: true, clusters: [{ name: 'orders', storageGiB: 50, walStorageGiB: 10, postgresVersion: '16' }] });
    const [cluster] = clustersOf(json);
    // The namespace is named by reference, so the release waits for idpkit's restricted namespace.
    expect(cluster).toMatchObject({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'orders', namespace: '${kubernetes_namespace_v1.namespace-databases.metadata[0].name}' } });
    expect(cluster.spec).toMatchObject({
      instances: 3,
      imageName: 'ghcr.io/cloudnative-pg/postgresql:16',
      storage: { size: '50Gi' },
      walStorage: { size: '10Gi' },
      enablePDB: true,
      enableSuperuserAccess: false,
      bootstrap: { initdb: { database: 'app', owner: 'app' } },
      affinity: { enablePodAntiAffinity: true, topologyKey: 'topology.kubernetes.io/zone' },
      postgresql: { synchronous: { method: 'any', number: 1 } },
    });
    const clusters = release(json, 'cnpg-clusters');
    expect(clusters.body.depends_on).toContain(operator.address);
    expect(namespaceLevels(json)).toEqual({ 'cnpg-system': 'restricted', databases: 'restricted' });
  });

  test('dev clusters: one instance, PostgreSQL 17, no disruption budget (it would block node drains)', () => {
    const [cluster] = clustersOf(synth({ highAvailability: false, clusters: [{ name: 'orders', namespace: 'shop', storageGiB: 5 }] }).json);
    expect(cluster.metadata.namespace).toBe('${kubernetes_namespace_v1.namespace-shop.metadata[0].name}');
    expect(cluster.spec).toMatchObject({ instances: 1, imageName: 'ghcr.io/cloudnative-pg/postgresql:17', enablePDB: false });
    expect(cluster.spec.postgresql).toBeUndefined();
    expect(cluster.spec.walStorage).toBeUndefined();
  });

  test('monitoring: the operator PodMonitor and one PodMonitor per cluster on the instances\' metrics port', () => {
    const { json, operator } = synth({ serviceMonitor: true, clusters: [{ name: 'orders', storageGiB: 5 }] });
    expect(operator.values.monitoring).toEqual({ podMonitorEnabled: true });
    const monitor = clustersOf(json).find((m) => m.kind === 'PodMonitor');
    expect(monitor).toMatchObject({
      apiVersion: 'monitoring.coreos.com/v1',
      metadata: { name: 'orders', namespace: '${kubernetes_namespace_v1.namespace-databases.metadata[0].name}' },
      spec: { selector: { matchLabels: { 'cnpg.io/cluster': 'orders', 'cnpg.io/podRole': 'instance' } }, podMetricsEndpoints: [{ port: 'metrics' }] },
    });
    expect(clustersOf(synth({ clusters: [{ name: 'orders', storageGiB: 5 }] }).json).map((m) => m.kind)).toEqual(['Cluster']);
  });

  test('no password literal: credentials are generated by the operator', () => {
    const { json } = synth({ clusters: [{ name: 'orders', storageGiB: 5 }] });
    expect(JSON.stringify(json)).not.toMatch(/password/i);
  });

  test('throws when an HA cluster has a single instance', () => {
    expect(() => synth({ highAvailability: true, clusters: [{ name: 'orders', storageGiB: 5, instances: 1 }] })).toThrow(
      expect.objectContaining({ code: 'IDPKIT_INVALID_PROPS', message: expect.stringMatching(/clusters\[0\]\.instances 1 leaves no standby/) }),
    );
  });

  test('throws when a cluster name is invalid or used twice in a namespace', () => {
    expect(() => synth({ clusters: [{ name: 'Orders', storageGiB: 5 }] })).toThrow(/clusters\[0\]\.name "Orders" is not a cluster name/);
    expect(() => synth({ clusters: [{ name: 'a', storageGiB: 5 }, { name: 'a', storageGiB: 5 }] })).toThrow(/clusters\[1\]\.name "a" is used twice in namespace "databases"/);
  });
});
