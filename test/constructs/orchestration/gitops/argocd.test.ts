import { parse } from 'yaml';
import { CHARTS } from '../../../../constructs/core/charts';
import { ArgoCd, ArgoCdProps } from '../../../../constructs/orchestration/gitops/argocd';
import { schemaViolations } from '../../../support/kubernetes-schemas';
import { helmTestStack, namespaceLevels, release } from '../../../helm-helpers';

const GITOPS = { repoUrl: 'https://github.com/acme/platform-gitops.git', path: 'environments/prod' };
const OIDC = { issuer: 'https://login.acme.example', clientId: 'argocd', clientSecret: { secretName: 'argocd-oidc', key: 'clientSecret' } };

const synth = (props: ArgoCdProps) => helmTestStack((stack) => new ArgoCd(stack, 'argocd', props));

describe('ArgoCd', () => {
  const ha = synth({ gitops: GITOPS });
  const dev = synth({ highAvailability: false, gitops: GITOPS });

  test('installs the pinned argo-cd chart into the restricted argocd namespace', () => {
    const { body } = release(ha, 'argo-cd');
    expect(body).toMatchObject({ repository: CHARTS.argoCd.repository, chart: CHARTS.argoCd.chart, version: CHARTS.argoCd.version, atomic: true });
    expect(namespaceLevels(ha)).toEqual({ argocd: 'restricted' });
  });

  test('runs Redis HA and two replicas of the stateless components with disruption budgets in HA', () => {
    const { values } = release(ha, 'argo-cd');
    expect(values['redis-ha']).toEqual({ enabled: true });
    expect(values.controller.replicas).toBe(1);
    for (const component of ['server', 'repoServer', 'applicationSet']) {
      expect(values[component]).toMatchObject({ replicas: 2, pdb: { enabled: true, minAvailable: 1 } });
    }
  });

  test('runs single replicas without Redis HA or disruption budgets outside HA', () => {
    const { values } = release(dev, 'argo-cd');
    expect(values['redis-ha']).toEqual({ enabled: false });
    for (const component of ['controller', 'server', 'repoServer', 'applicationSet']) expect(values[component].replicas).toBe(1);
    for (const component of ['server', 'repoServer', 'applicationSet']) expect(values[component].pdb).toEqual({ enabled: false });
  });

  test('is read-only by default, keeps the admin user without SSO, exposes metrics and turns Dex off', () => {
    const { values } = release(dev, 'argo-cd');
    expect(values.configs).toEqual({
      cm: { 'admin.enabled': true },
      params: { 'server.insecure': false },
      rbac: { 'policy.default': 'role:readonly' },
    });
    expect(values.dex).toEqual({ enabled: false });
    for (const component of ['controller', 'server', 'repoServer', 'applicationSet']) {
      expect(values[component].metrics).toEqual({ enabled: true, serviceMonitor: { enabled: false } });
    }
  });

  test('turns the admin user off with OIDC SSO and references the client secret, never its value', () => {
    const { values } = release(synth({ hostname: 'argocd.acme.example', oidc: { ...OIDC, adminGroups: ['platform-admins'] } }), 'argo-cd');
    expect(values.global).toEqual({ domain: 'argocd.acme.example' });
    expect(values.configs.cm['admin.enabled']).toBe(false);
    expect(parse(values.configs.cm['oidc.config'])).toEqual({
      name: 'SSO',
      issuer: 'https://login.acme.example',
      clientID: 'argocd',
      clientSecret: '$argocd-oidc:clientSecret',
      requestedScopes: ['openid', 'profile', 'email', 'groups'],
    });
    expect(values.configs.rbac).toEqual({ 'policy.default': 'role:readonly', 'policy.csv': 'g, platform-admins, role:admin' });
  });

  test('serves plain HTTP behind an ingress that terminates TLS', () => {
    const { values } = release(synth({ hostname: 'argocd.acme.example', ingress: { className: 'nginx', clusterIssuer: 'letsencrypt' } }), 'argo-cd');
    expect(values.configs.params).toEqual({ 'server.insecure': true });
    expect(values.server.ingress).toEqual({
      enabled: true,
      ingressClassName: 'nginx',
      tls: true,
      annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' },
    });
  });

  test('applies the root Application after the argo-cd release', () => {
    const chart = release(ha, 'argo-cd');
    const apps = release(ha, 'argocd-applications');
    expect(apps.body.depends_on).toEqual([chart.address]);
    expect(apps.body.namespace).toBe('argocd');
    expect(apps.values.manifests).toEqual([
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'root', namespace: 'argocd' },
        spec: {
          project: 'default',
          source: { repoURL: GITOPS.repoUrl, targetRevision: 'HEAD', path: 'environments/prod' },
          destination: { server: 'https://kubernetes.default.svc', namespace: 'argocd' },
          syncPolicy: { automated: { prune: true, selfHeal: true } },
        },
      },
    ]);
  });

  test('makes one restricted namespace and Application per labelled pull request, confined to a project', () => {
    const json = synth({ gitops: GITOPS, previewEnvironments: { owner: 'acme', repo: 'shop', token: { secretName: 'github-token' } } });
    const [, project, appSet] = release(json, 'argocd-applications').values.manifests;
    expect(project).toMatchObject({
      kind: 'AppProject',
      metadata: { name: 'previews' },
      spec: { sourceRepos: ['https://github.com/acme/shop.git'], destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'preview-*' }] },
    });
    expect(appSet.kind).toBe('ApplicationSet');
    expect(appSet.spec.generators).toEqual([
      {
        pullRequest: {
          github: { owner: 'acme', repo: 'shop', tokenRef: { secretName: 'github-token', key: 'token' }, labels: ['preview'] },
          requeueAfterSeconds: 300,
        },
      },
    ]);
    expect(appSet.spec.template).toEqual({
      metadata: { name: 'preview-{{.number}}', finalizers: ['resources-finalizer.argocd.argoproj.io'] },
      spec: {
        project: 'previews',
        // Recursive: `idpkit workload render --preview` writes a folder per workload under deploy/preview.
        source: { repoURL: 'https://github.com/acme/shop.git', targetRevision: '{{.head_sha}}', path: 'deploy/preview', directory: { recurse: true } },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'preview-{{.number}}' },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions: ['CreateNamespace=true'],
          managedNamespaceMetadata: { labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'app.kubernetes.io/managed-by': 'argocd' } },
        },
      },
    });
  });

  test("lets preview Applications create every namespaced kind a rendered workload has, and of cluster-scoped kinds only their Namespace", () => {
    const json = synth({ previewEnvironments: { owner: 'acme', repo: 'shop', token: { secretName: 'github-token' }, path: 'deploy/shop' } });
    const [project, appSet] = release(json, 'argocd-applications').values.manifests;
    expect(project.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
    expect(project.spec.namespaceResourceWhitelist).toBeUndefined();
    expect(project.spec.namespaceResourceBlacklist).toBeUndefined();
    expect(appSet.spec.template.spec.source).toMatchObject({ path: 'deploy/shop', directory: { recurse: true } });
    expect(schemaViolations([project, appSet])).toEqual([]);
  });

  test("syncs the root Application in Argo CD's own default project, so the workloads' AppProjects and Applications it finds in its directory are applied", () => {
    // Argo CD creates the `default` project itself, allowing every repository, destination and kind;
    // idpkit neither defines nor narrows it. The root Application's destination is the argocd
    // namespace, where `workloads-<namespace>` AppProjects and Applications live.
    const manifests = release(synth({ gitops: GITOPS, previewEnvironments: { owner: 'acme', repo: 'shop', token: { secretName: 'github-token' } } }), 'argocd-applications').values.manifests;
    const root = manifests.find((object: { metadata: { name: string } }) => object.metadata.name === 'root');
    expect(root.spec).toMatchObject({ project: 'default', destination: { namespace: 'argocd' } });
    expect(manifests.filter((object: { kind: string; metadata: { name: string } }) => object.kind === 'AppProject').map((object: { metadata: { name: string } }) => object.metadata.name)).toEqual(['previews']);
    const { values } = release(synth({ gitops: GITOPS }), 'argo-cd');
    expect(JSON.stringify(values)).not.toMatch(/resource\.(exclusions|inclusions)/);
  });

  test('applies no objects without a GitOps repository or previews', () => {
    expect(() => release(synth({}), 'argocd-applications')).toThrow('no helm_release named argocd-applications');
  });

  test('merges value overrides over its own values', () => {
    const { values } = release(synth({ valueOverrides: { server: { replicas: 5 }, configs: { cm: { 'exec.enabled': true } } } }), 'argo-cd');
    expect(values.server.replicas).toBe(5);
    expect(values.configs.cm).toEqual({ 'admin.enabled': true, 'exec.enabled': true });
  });

  test('throws when SSO or an ingress has no host name', () => {
    expect(() => synth({ oidc: OIDC })).toThrow(expect.objectContaining({ code: 'IDPKIT_INVALID_PROPS', message: expect.stringContaining('hostname is missing') }));
    expect(() => synth({ ingress: { className: 'nginx' } })).toThrow(expect.objectContaining({ code: 'IDPKIT_INVALID_PROPS' }));
  });
});
