import { parseAllDocuments } from 'yaml';
import { layoutFiles, workloadsApplicationObjects } from '../../../../constructs/orchestration/workloads/layout';
import { renderWorkloads } from '../../../../constructs/orchestration/workloads/render';
import { schemaViolations } from '../../../support/kubernetes-schemas';
import { barePlatform, testPlatform } from './platforms';
import { workloadFile } from './score-files';

const FILES = [
  workloadFile('web', { service: { ports: { http: { port: 80 } } }, resources: { cache: { type: 'volume', id: 'shared-cache', class: 'persistent' } } }),
  workloadFile('api', { resources: { cache: { type: 'volume', id: 'shared-cache', class: 'persistent' } } }),
];
const PLATFORM = testPlatform('aws', 'staging');

const documents = (yaml: string) => parseAllDocuments(yaml).map((document) => document.toJS());

describe('layoutFiles', () => {
  it('writes one object per file under workloads/<namespace>/<workload>/ and _shared/, and the Argo CD project and Application beside', () => {
    const files = renderWorkloads(FILES, PLATFORM, { namespace: 'shop' }).files;
    expect(Object.keys(files)).toEqual([
      'workloads-shop.yaml',
      'workloads/shop/_shared/persistentvolumeclaim-shared-cache.yaml',
      'workloads/shop/api/deployment-api.yaml',
      'workloads/shop/api/networkpolicy-api.yaml',
      'workloads/shop/api/serviceaccount-api.yaml',
      'workloads/shop/web/deployment-web.yaml',
      'workloads/shop/web/networkpolicy-web.yaml',
      'workloads/shop/web/service-web.yaml',
      'workloads/shop/web/serviceaccount-web.yaml',
    ]);
    expect(documents(files['workloads/shop/web/service-web.yaml'])).toEqual([expect.objectContaining({ kind: 'Service', metadata: expect.objectContaining({ name: 'web', namespace: 'shop' }) })]);
    expect(documents(files['workloads-shop.yaml']).map((object) => object.kind)).toEqual(['AppProject', 'Application']);
  });

  it('syncs the namespace directory recursively, from the GitOps repository only, into the namespace only', () => {
    const [project, application] = workloadsApplicationObjects('shop', PLATFORM.gitops!);
    expect(project.metadata).toMatchObject({ name: 'workloads-shop', namespace: 'argocd' });
    expect(project.spec).toEqual({
      description: 'Score workloads of namespace shop',
      sourceRepos: ['https://github.com/acme/platform-gitops.git'],
      destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'shop' }],
      clusterResourceWhitelist: [],
      namespaceResourceBlacklist: [
        { group: '', kind: 'ResourceQuota' },
        { group: '', kind: 'LimitRange' },
      ],
    });
    expect(application.spec).toEqual({
      project: 'workloads-shop',
      source: { repoURL: 'https://github.com/acme/platform-gitops.git', targetRevision: 'main', path: 'environments/staging-aws/workloads/shop', directory: { recurse: true } },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    });
    expect(schemaViolations([project, application])).toEqual([]);
  });

  it('writes no Argo CD objects where the environment runs no Argo CD', () => {
    const files = renderWorkloads(FILES, barePlatform('gcp', 'dev'), { namespace: 'shop' }).files;
    expect(Object.keys(files).every((path) => path.startsWith('workloads/shop/'))).toBe(true);
  });

  it('lays previews out as <workload>/ and _shared/ without namespaces or Argo CD objects', () => {
    const files = renderWorkloads(FILES, PLATFORM, { namespace: 'preview-7', preview: true }).files;
    expect(Object.keys(files)).toEqual([
      '_shared/persistentvolumeclaim-shared-cache.yaml',
      'api/deployment-api.yaml',
      'api/networkpolicy-api.yaml',
      'api/serviceaccount-api.yaml',
      'web/deployment-web.yaml',
      'web/networkpolicy-web.yaml',
      'web/service-web.yaml',
      'web/serviceaccount-web.yaml',
    ]);
    for (const yaml of Object.values(files)) expect(documents(yaml)[0].metadata.namespace).toBeUndefined();
  });

  it('writes YAML a Go reader reads back to the same objects (sorted keys, strings quoted where YAML 1.1 would not keep them)', () => {
    const result = renderWorkloads([workloadFile('web', {}, { variables: { FLAG: 'on', OCTAL: '0777' } })], PLATFORM, { namespace: 'shop' });
    const yaml = result.files['workloads/shop/web/deployment-web.yaml'];
    expect(yaml).toContain('value: "on"');
    expect(yaml).toContain('value: "0777"');
    expect(documents(yaml)).toEqual([result.workloads[0].objects.find((object) => object.kind === 'Deployment')]);
    expect(layoutFiles(result, PLATFORM, { namespace: 'shop' })).toEqual(result.files);
  });
});
