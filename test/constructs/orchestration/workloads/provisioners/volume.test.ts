import { volumeProvisioner } from '../../../../../constructs/orchestration/workloads/provisioners/volume';
import { schemaViolations } from '../../../../support/kubernetes-schemas';
import { testPlatform } from '../platforms';
import { provisionRequest } from './request';

describe('volume provisioner', () => {
  it('gives an emptyDir by default (class ephemeral), capped by params.size', () => {
    expect(volumeProvisioner.provision(provisionRequest('cache', { type: 'volume' }))).toEqual({ objects: [], outputs: {}, volume: { emptyDir: {} } });
    expect(volumeProvisioner.provision(provisionRequest('cache', { type: 'volume', class: 'ephemeral', params: { size: '512Mi' } })).volume).toEqual({ emptyDir: { sizeLimit: '512Mi' } });
  });

  it('gives a PersistentVolumeClaim for class persistent, one pod at a time unless ReadWriteMany', () => {
    const result = volumeProvisioner.provision(provisionRequest('data', { type: 'volume', class: 'persistent', params: { size: '20Gi', storageClass: 'premium-rwo' } }));
    expect(result.objects).toEqual([
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'web-data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } }, storageClassName: 'premium-rwo' },
      },
    ]);
    expect(result.volume).toEqual({ persistentVolumeClaim: { claimName: 'web-data' } });
    expect(result.singleReplica).toBe(true);
    const shared = volumeProvisioner.provision(provisionRequest('data', { type: 'volume', class: 'persistent', params: { accessMode: 'ReadWriteMany' } }));
    expect(shared.singleReplica).toBe(false);
    expect((shared.objects[0] as any).spec.resources.requests.storage).toBe('1Gi');
    expect(schemaViolations([...result.objects, ...shared.objects])).toEqual([]);
  });

  it('keeps the claim from Argo CD pruning and deletion in tiers with deletion protection', () => {
    const annotations = (tier: 'dev' | 'prod') =>
      volumeProvisioner.provision(provisionRequest('data', { type: 'volume', class: 'persistent' }, {}, testPlatform('azure', tier))).objects[0].metadata.annotations;
    expect(annotations('prod')).toEqual({ 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' });
    expect(annotations('dev')).toBeUndefined();
  });

  it('refuses bad sizes, access modes and params of the other class', () => {
    expect(() => volumeProvisioner.provision(provisionRequest('data', { type: 'volume', class: 'persistent', params: { size: '10 GB', accessMode: 'ReadOnlyMany' } }))).toThrow(
      [
        '2 problems:',
        '- web/score.yaml: resources.data.params.size "10 GB" is not a size in bytes with a unit (e.g. "512Mi" or "10Gi")',
        '- web/score.yaml: resources.data.params.accessMode "ReadOnlyMany" is not one of "ReadWriteOnce", "ReadWriteOncePod", "ReadWriteMany"',
      ].join('\n'),
    );
    expect(() => volumeProvisioner.provision(provisionRequest('cache', { type: 'volume', params: { storageClass: 'fast' } }))).toThrow(
      'web/score.yaml: resources.cache.params.storageClass is not a parameter of type "volume" (parameters: size)',
    );
  });
});
