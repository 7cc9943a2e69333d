import { Construct } from 'constructs';
import { TokenSecretSource, externalSecretOf, tokenSecretRef } from '../../capabilities/secrets/external-secrets';
import { CHARTS } from '../../core/charts';
import { IdpkitError } from '../../core/errors';
import { AddonProps, HelmAddon } from '../../core/helm-addon';
import { KubernetesObject, ManifestsRelease } from '../../core/manifests';
import { toYaml } from '../../core/yaml';
import { tierDefault } from '../../core/tiers';

/** Props of {@link ArgoCd}. */
export interface ArgoCdProps extends AddonProps {
  /** Redis HA, two replicas of the API server, repo server and ApplicationSet controller, with disruption budgets. @default - the tier's `highAvailability` (off in dev); true without a tier */
  readonly highAvailability?: boolean;
  /** Host name Argo CD is reached at (`global.domain`): the SSO redirect URL and the ingress host. @default - the chart's placeholder, argocd.example.com */
  readonly hostname?: string;
  /** An Ingress that terminates TLS in front of the API server (which then serves plain HTTP). @default - no ingress; the API server serves TLS itself */
  readonly ingress?: ArgoCdIngressProps;
  /** Single sign-on through an OIDC provider; turns the local admin user off. @default - no SSO; the local admin user is on */
  readonly oidc?: ArgoCdOidcProps;
  /** The GitOps repository the root (app-of-apps) Application syncs. @default - no root Application */
  readonly gitops?: GitOpsRepoProps;
  /** One namespace and Application per labelled GitHub pull request (ApplicationSet pull-request generator). @default - none */
  readonly previewEnvironments?: PreviewEnvironmentsProps;
  /** Create Prometheus Operator ServiceMonitors for the metrics endpoints (needs kube-prometheus-stack). @default false */
  readonly serviceMonitor?: boolean;
}

/** An Ingress in front of the Argo CD API server. */
export interface ArgoCdIngressProps {
  /** Ingress class that serves it. */
  readonly className: string;
  /** cert-manager ClusterIssuer that issues its certificate (`cert-manager.io/cluster-issuer`). @default - none: the `argocd-server-tls` secret is provided otherwise */
  readonly clusterIssuer?: string;
}

/** Argo CD's OIDC client. The client secret is a reference to a Kubernetes Secret, never a value. */
export interface ArgoCdOidcProps {
  /** Name shown on the login button. @default "SSO" */
  readonly name?: string;
  /** Issuer URL, e.g. https://login.microsoftonline.com/<tenant>/v2.0. */
  readonly issuer: string;
  /** OAuth client id. */
  readonly clientId: string;
  /**
   * Where the client secret is: a Secret in the `argocd` namespace labelled
   * `app.kubernetes.io/part-of: argocd` (Argo CD's `$<secret>:<key>` reference).
   */
  readonly clientSecret: SecretKeyReference;
  /** Groups (from the `groups` claim) granted `role:admin`; everyone else is read-only. @default [] */
  readonly adminGroups?: readonly string[];
}

/** A key of an existing Kubernetes Secret. */
export interface SecretKeyReference {
  /** Secret name. */
  readonly secretName: string;
  /** Key in the Secret. */
  readonly key: string;
}

/** The GitOps repository of an environment. */
export interface GitOpsRepoProps {
  /** Repository URL (https or ssh). */
  readonly repoUrl: string;
  /** Directory of the environment's Applications, e.g. `environments/prod`. */
  readonly path: string;
  /** Branch, tag or commit. @default DEFAULT_GITOPS_REVISION ("HEAD") */
  readonly revision?: string;
}

/** The revision the root Application syncs when none is given: the repository's default branch. */
export const DEFAULT_GITOPS_REVISION = 'HEAD';

/** Preview environments per GitHub pull request. */
export interface PreviewEnvironmentsProps {
  /** GitHub organisation or user. */
  readonly owner: string;
  /** GitHub repository whose pull requests get previews. */
  readonly repo: string;
  /** Only pull requests with this label get a preview. @default "preview" */
  readonly label?: string;
  /**
   * Where the GitHub token (read access to pull requests) comes from: an existing Secret in the
   * `argocd` namespace, which the caller creates and keeps, or a JSON secret of the cloud secret
   * manager with the key `token`, which External Secrets syncs into {@link PREVIEW_TOKEN_SECRET}.
   */
  readonly token: PreviewTokenSource;
  /** Directory of the preview manifests in the repository, synced recursively at the pull request's head commit. @default DEFAULT_PREVIEW_PATH ("deploy/preview") */
  readonly path?: string;
}

/** The directory of a pull request's preview manifests when none is given. */
export const DEFAULT_PREVIEW_PATH = 'deploy/preview';

/** Where the preview environments' GitHub token comes from. */
export type PreviewTokenSource = TokenSecretSource;

/** The Secret External Secrets syncs the preview token into, when it comes from the cloud secret manager. */
export const PREVIEW_TOKEN_SECRET = 'argocd-preview-token';

/** Namespace of Argo CD. */
export const ARGOCD_NAMESPACE = 'argocd';

/** The in-cluster destination of Argo CD. */
const IN_CLUSTER = 'https://kubernetes.default.svc';

/** Argo CD project that confines preview Applications to their namespaces. */
export const PREVIEW_PROJECT = 'previews';

/** Label selecting preview pull requests when none is given. */
export const DEFAULT_PREVIEW_LABEL = 'preview';

/**
 * Argo CD from the argo-helm repository: read-only by default (`policy.default: role:readonly`),
 * OIDC single sign-on with the local admin user off, Redis HA and replicated stateless components
 * with disruption budgets in HA, metrics on; with the environment's root Application (app of apps)
 * and, optionally, preview environments per pull request.
 *
 * The application controller stays at one replica in HA too: more replicas shard by cluster, and
 * Argo CD here manages one cluster (the chart's own HA example keeps `controller.replicas: 1`).
 *
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/high_availability/
 * @see https://github.com/argoproj/argo-helm/tree/main/charts/argo-cd
 * @example
 * new ArgoCd(this, 'argocd', { gitops: { repoUrl: 'https://github.com/acme/platform-gitops.git', path: 'environments/prod' } });
 */
export class ArgoCd extends Construct {
  /** The Helm release. */
  readonly addon: HelmAddon;
  /** The root Application, preview ApplicationSet and its project; undefined without `gitops` or `previewEnvironments`. */
  readonly applications?: ManifestsRelease;

  constructor(scope: Construct, id: string, props: ArgoCdProps = {}) {
    super(scope, id);
    if (!props.hostname && (props.ingress || props.oidc)) {
      throw new IdpkitError('IDPKIT_INVALID_PROPS', [
        `${this.node.path}: hostname is missing; ${props.oidc ? 'OIDC single sign-on' : 'an ingress'} needs the host name Argo CD is reached at (e.g. argocd.example.com)`,
      ]);
    }
    const ha = props.highAvailability ?? tierDefault(this, (rules) => rules.highAvailability, true);
    const serviceMonitor = props.serviceMonitor ?? false;
    const metrics = { metrics: { enabled: true, serviceMonitor: { enabled: serviceMonitor } } };
    const replicated = {
      replicas: ha ? 2 : 1,
      pdb: ha ? { enabled: true, minAvailable: 1 } : { enabled: false },
      ...metrics,
    };
    const oidc = props.oidc;
    const policyCsv = (oidc?.adminGroups ?? []).map((group) => `g, ${group}, role:admin`).join('\n');
    this.addon = new HelmAddon(this, 'release', {
      chart: CHARTS.argoCd,
      namespace: ARGOCD_NAMESPACE,
      values: {
        ...(props.hostname ? { global: { domain: props.hostname } } : {}),
        configs: {
          cm: {
            'admin.enabled': !oidc,
            ...(oidc ? { 'oidc.config': oidcConfig(oidc) } : {}),
          },
          params: { 'server.insecure': props.ingress !== undefined },
          rbac: { 'policy.default': 'role:readonly', ...(policyCsv ? { 'policy.csv': policyCsv } : {}) },
        },
        dex: { enabled: false },
        'redis-ha': { enabled: ha },
        controller: { replicas: 1, ...metrics },
        server: {
          ...replicated,
          ...(props.ingress
            ? {
                ingress: {
                  enabled: true,
                  ingressClassName: props.ingress.className,
                  tls: true,
                  ...(props.ingress.clusterIssuer ? { annotations: { 'cert-manager.io/cluster-issuer': props.ingress.clusterIssuer } } : {}),
                },
              }
            : {}),
        },
        repoServer: replicated,
        applicationSet: replicated,
      },
      valueOverrides: props.valueOverrides,
    });
    const token = props.previewEnvironments?.token;
    const synced = token && 'remoteSecretName' in token ? token : undefined;
    const manifests: KubernetesObject[] = [
      ...(props.gitops ? [rootApplication(props.gitops)] : []),
      ...(synced ? [externalSecretOf({ secretName: PREVIEW_TOKEN_SECRET, namespace: ARGOCD_NAMESPACE, remoteSecretName: synced.remoteSecretName })] : []),
      ...(props.previewEnvironments ? previewObjects(props.previewEnvironments) : []),
    ];
    if (manifests.length > 0) {
      this.applications = new ManifestsRelease(this, 'applications', {
        releaseName: 'argocd-applications',
        namespace: ARGOCD_NAMESPACE,
        manifests,
        dependsOn: [this.addon, ...(synced?.externalSecrets ?? [])],
      });
    }
  }
}

/** The `oidc.config` entry of argocd-cm: the client secret as a `$<secret>:<key>` reference. */
function oidcConfig(oidc: ArgoCdOidcProps): string {
  return toYaml({
    name: oidc.name ?? 'SSO',
    issuer: oidc.issuer,
    clientID: oidc.clientId,
    clientSecret: `$${oidc.clientSecret.secretName}:${oidc.clientSecret.key}`,
    requestedScopes: ['openid', 'profile', 'email', 'groups'],
  });
}

/** The app of apps: syncs the environment's directory of Applications, pruning and self-healing. */
function rootApplication(gitops: GitOpsRepoProps): KubernetesObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'root', namespace: ARGOCD_NAMESPACE },
    spec: {
      project: 'default',
      source: { repoURL: gitops.repoUrl, targetRevision: gitops.revision ?? DEFAULT_GITOPS_REVISION, path: gitops.path },
      destination: { server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
  };
}

/**
 * A project that lets preview Applications deploy only from the preview repository into
 * `preview-*` namespaces, and the ApplicationSet that makes one namespace (Pod Security
 * restricted) and Application per labelled pull request, at the pull request's head commit.
 */
function previewObjects(preview: PreviewEnvironmentsProps): KubernetesObject[] {
  const repoUrl = `https://github.com/${preview.owner}/${preview.repo}.git`;
  const token = tokenSecretRef(preview.token, PREVIEW_TOKEN_SECRET);
  return [
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: PREVIEW_PROJECT, namespace: ARGOCD_NAMESPACE },
      spec: {
        description: `Preview environments of ${preview.owner}/${preview.repo} pull requests`,
        sourceRepos: [repoUrl],
        destinations: [{ server: IN_CLUSTER, namespace: 'preview-*' }],
        clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
      },
    },
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: 'preview-environments', namespace: ARGOCD_NAMESPACE },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        generators: [
          {
            pullRequest: {
              github: {
                owner: preview.owner,
                repo: preview.repo,
                tokenRef: { secretName: token.name, key: token.key },
                labels: [preview.label ?? DEFAULT_PREVIEW_LABEL],
              },
              requeueAfterSeconds: 300,
            },
          },
        ],
        template: {
          // Deleting the Application (pull request closed or unlabelled) deletes its resources too.
          metadata: { name: 'preview-{{.number}}', finalizers: ['resources-finalizer.argocd.argoproj.io'] },
          spec: {
            project: PREVIEW_PROJECT,
            source: { repoURL: repoUrl, targetRevision: '{{.head_sha}}', path: preview.path ?? DEFAULT_PREVIEW_PATH, directory: { recurse: true } },
            destination: { server: IN_CLUSTER, namespace: 'preview-{{.number}}' },
            syncPolicy: {
              automated: { prune: true, selfHeal: true },
              syncOptions: ['CreateNamespace=true'],
              managedNamespaceMetadata: {
                labels: {
                  'pod-security.kubernetes.io/enforce': 'restricted',
                  'app.kubernetes.io/managed-by': 'argocd',
                },
              },
            },
          },
        },
      },
    },
  ];
}
