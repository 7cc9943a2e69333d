import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Construct } from 'constructs';
import { Fn } from '../../core/cdktf';
import type { Cloud } from '../../core/clouds';

/** What a stack needs to reach a cluster's API with short-lived credentials. */
export interface ClusterAccessProps {
  /** The cluster's cloud: picks the credential plugin. */
  readonly cloud: Cloud;
  /** Cluster name. */
  readonly clusterName: string;
  /** Region (AWS) of the cluster, for `aws eks get-token`. */
  readonly region: string;
  /** API server URL. */
  readonly endpoint: string;
  /** Base64-encoded CA certificate of the API server. */
  readonly certificateAuthorityData: string;
}

/** A client-go credential plugin: the command the providers run for a token at every plan and apply. */
export interface ExecPlugin {
  readonly apiVersion: string;
  readonly command: string;
  readonly args: string[];
}

/** Entra ID application id of the AKS AAD server, the audience of AKS tokens. */
export const AKS_AAD_SERVER_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';

/**
 * The credential plugin per cloud. Each returns a token that expires within the hour; nothing
 * long-lived (tokens, client keys, kubeconfigs) reaches the configuration or the state.
 *
 * @see https://docs.aws.amazon.com/cli/latest/reference/eks/get-token.html
 * @see https://azure.github.io/kubelogin/concepts/login-modes/azurecli.html
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin
 */
export const EXEC_PLUGINS: Readonly<Record<Cloud, (props: ClusterAccessProps) => ExecPlugin>> = {
  aws: (props) => ({
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    command: 'aws',
    args: ['eks', 'get-token', '--cluster-name', props.clusterName, '--region', props.region, '--output', 'json'],
  }),
  azure: () => ({
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    command: 'kubelogin',
    args: ['get-token', '--login', 'azurecli', '--server-id', AKS_AAD_SERVER_ID],
  }),
  gcp: () => ({ apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'gke-gcloud-auth-plugin', args: [] }),
};

/** The kubernetes and helm providers of a stack. */
export interface KubernetesProviders {
  readonly kubernetes: KubernetesProvider;
  readonly helm: HelmProvider;
}

/**
 * Configures a stack's kubernetes and helm (3.x: nested `kubernetes` object) providers for one
 * cluster, authenticated by the cloud's credential plugin.
 */
export function configureKubernetesProviders(scope: Construct, props: ClusterAccessProps): KubernetesProviders {
  const exec = EXEC_PLUGINS[props.cloud](props);
  const connection = { host: props.endpoint, clusterCaCertificate: Fn.base64decode(props.certificateAuthorityData) };
  return {
    kubernetes: new KubernetesProvider(scope, 'kubernetes', { ...connection, exec: [exec] }),
    helm: new HelmProvider(scope, 'helm', { kubernetes: { ...connection, exec } }),
  };
}
