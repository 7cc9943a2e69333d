import { parse } from 'yaml';
import { KUBECTL_IMAGE, ManifestsRelease } from '../../../constructs/core/manifests';
import { helmTestStack, release } from '../../helm-helpers';

const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { enabled: 'yes' } };

describe('ManifestsRelease', () => {
  const json = helmTestStack((stack) => {
    new ManifestsRelease(stack, 'plain', { releaseName: 'plain', namespace: 'apps', manifests: [configMap], dependsOn: [] });
    new ManifestsRelease(stack, 'waiting', {
      releaseName: 'waiting',
      namespace: 'apps',
      manifests: [configMap],
      dependsOn: [],
      readyWhen: [
        { resource: 'providers.pkg.crossplane.io', names: ['a', 'b'], condition: 'Healthy' },
        { resource: 'customresourcedefinitions.apiextensions.k8s.io', names: ['things.example.com'], condition: 'Established' },
      ],
    });
  });
  const waiting = release(json, 'waiting').values.manifests as any[];
  const job = waiting.find((object) => object.kind === 'Job');
  const pod = job.spec.template.spec;

  test('renders the objects as they are, strings a YAML 1.1 reader would misread quoted', () => {
    expect(release(json, 'plain').values.manifests).toEqual([configMap]);
    expect(release(json, 'plain').body.values[0]).toContain('enabled: "yes"');
    expect(parse(release(json, 'plain').body.values[0], { version: '1.1' }).manifests).toEqual([configMap]);
  });

  test('with readyWhen, a post-install and post-upgrade hook Job waits for each condition in order, deleted once it succeeded', () => {
    expect(job.metadata).toMatchObject({ name: 'waiting-ready', namespace: 'apps', annotations: { 'helm.sh/hook': 'post-install,post-upgrade', 'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded' } });
    expect([...pod.initContainers, ...pod.containers].map((c: any) => [c.image, ...c.args])).toEqual([
      [KUBECTL_IMAGE, 'wait', '--for=condition=Healthy', '--timeout=600s', 'providers.pkg.crossplane.io/a', 'providers.pkg.crossplane.io/b'],
      [KUBECTL_IMAGE, 'wait', '--for=condition=Established', '--timeout=600s', 'customresourcedefinitions.apiextensions.k8s.io/things.example.com'],
    ]);
    expect(job.spec).toMatchObject({ backoffLimit: 3, activeDeadlineSeconds: 600 });
    expect(KUBECTL_IMAGE).toMatch(/^registry\.k8s\.io\/kubectl:v\d+\.\d+\.\d+$/);
  });

  test('the Job reads only the resource types it waits on, through its own service account', () => {
    expect(pod.serviceAccountName).toBe('waiting-ready');
    const role = waiting.find((object) => object.kind === 'ClusterRole');
    expect(role).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'idpkit:apps:waiting-ready' },
      rules: [
        { apiGroups: ['pkg.crossplane.io'], resources: ['providers'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'list', 'watch'] },
      ],
    });
    expect(waiting.find((object) => object.kind === 'ClusterRoleBinding')).toMatchObject({
      roleRef: { kind: 'ClusterRole', name: 'idpkit:apps:waiting-ready' },
      subjects: [{ kind: 'ServiceAccount', name: 'waiting-ready', namespace: 'apps' }],
    });
  });

  test('the Job meets the Pod Security restricted level with a non-root user (the kubectl image sets none)', () => {
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    for (const container of [...pod.initContainers, ...pod.containers]) {
      expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
      expect(container.resources.requests).toBeDefined();
    }
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
  });

  test('without readyWhen, no Job', () => {
    expect(release(json, 'plain').values.manifests.map((object: any) => object.kind)).toEqual(['ConfigMap']);
  });
});
