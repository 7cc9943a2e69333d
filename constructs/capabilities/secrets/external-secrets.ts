import { Construct } from 'constructs';
import { CHARTS } from '../../core/charts';
import type { Cloud } from '../../core/clouds';
import { AddonProps, HelmAddon } from '../../core/helm-addon';
import { KubernetesObject, ManifestsRelease } from '../../core/manifests';
import type { WorkloadIdentity } from '../../integration/identity';
import { tierDefault } from '../../core/tiers';

/** Namespace and service account of the External Secrets controller. */
export const EXTERNAL_SECRETS_NAMESPACE = 'external-secrets';
export const EXTERNAL_SECRETS_SERVICE_ACCOUNT = 'external-secrets';
/** Name of the ClusterSecretStore that reads the cloud secret manager. */
export const CLOUD_SECRET_STORE = 'cloud-secrets';

/** Props of {@link externalSecretOf}. */
export interface ExternalSecretProps {
  /** Name of the Kubernetes Secret it keeps in sync (and of the ExternalSecret). */
  readonly secretName: string;
  /** Namespace of both; it must exist. */
  readonly namespace: string;
  /** Name of a JSON secret in the cloud secret manager: each of its keys becomes a key of the Secret. */
  readonly remoteSecretName: string;
  /** How often to re-read it. @default "1h" */
  readonly refreshInterval?: string;
}

/**
 * Where a token an add-on reads (a GitHub token, an API key) comes from: an existing Secret in the
 * add-on's namespace, which the caller creates and keeps, or a JSON secret of the cloud secret
 * manager with the key `token`, which External Secrets syncs into a Secret the add-on names.
 */
export type TokenSecretSource =
  | {
      /** An existing Secret in the add-on's namespace. */
      readonly secretName: string;
      /** Key of the token in it. @default TOKEN_SECRET_KEY ("token") */
      readonly secretKey?: string;
    }
  | {
      /** Name of a JSON secret in the cloud secret manager with the key `token` (External Secrets must be allowed to read it). */
      readonly remoteSecretName: string;
      /** External Secrets' releases: the ExternalSecret is applied after them. */
      readonly externalSecrets: readonly HelmAddon[];
    };

/** Key of the token in a synced token's Secret, and in a caller's Secret when none is given. */
export const TOKEN_SECRET_KEY = 'token';

/** The Secret and key a token is read from: the caller's, or `syncedSecretName` when External Secrets syncs it. */
export function tokenSecretRef(source: TokenSecretSource, syncedSecretName: string): { readonly name: string; readonly key: string } {
  return 'secretName' in source ? { name: source.secretName, key: source.secretKey ?? TOKEN_SECRET_KEY } : { name: syncedSecretName, key: TOKEN_SECRET_KEY };
}

/** An ExternalSecret that copies every key of one JSON secret of the cloud secret manager into a Kubernetes Secret. */
export function externalSecretOf(props: ExternalSecretProps): KubernetesObject {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: props.secretName, namespace: props.namespace },
    spec: {
      refreshInterval: props.refreshInterval ?? '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: CLOUD_SECRET_STORE },
      target: { name: props.secretName, creationPolicy: 'Owner' },
      dataFrom: [{ extract: { key: props.remoteSecretName } }],
    },
  };
}

/** Where the cloud secret manager is, for the `cloud-secrets` ClusterSecretStore. */
export type CloudSecretStore =
  | { readonly cloud: 'aws'; readonly region: string }
  | { readonly cloud: 'azure'; readonly vaultUrl: string }
  | { readonly cloud: 'gcp'; readonly projectId: string };

/** Props of {@link ExternalSecrets}. */
export interface ExternalSecretsProps extends AddonProps {
  /** The cloud identity of the controller's service account (reads `<prefix>*` secrets only). */
  readonly identity: WorkloadIdentity;
  /** The cloud secret manager the `cloud-secrets` ClusterSecretStore reads. */
  readonly secretStore: CloudSecretStore;
  /** Replicated controller (leader election), webhook and cert controller, with disruption budgets. @default - the tier's `highAvailability` (off in dev); true without a tier */
  readonly highAvailability?: boolean;
}

/** The provider block of a ClusterSecretStore per cloud: credentials come from the controller's workload identity. */
const STORE_PROVIDERS: { readonly [C in Cloud]: (store: Extract<CloudSecretStore, { cloud: C }>) => Record<string, unknown> } = {
  aws: (store) => ({ aws: { service: 'SecretsManager', region: store.region } }),
  azure: (store) => ({ azurekv: { vaultUrl: store.vaultUrl, authType: 'WorkloadIdentity', serviceAccountRef: { name: EXTERNAL_SECRETS_SERVICE_ACCOUNT, namespace: EXTERNAL_SECRETS_NAMESPACE } } }),
  gcp: (store) => ({ gcpsm: { projectID: store.projectId } }),
};

/**
 * External Secrets Operator with a `cloud-secrets` ClusterSecretStore for the cloud's secret manager
 * (AWS Secrets Manager, Azure Key Vault, Google Secret Manager), authenticated by the controller's
 * workload identity: no cloud credentials in the cluster.
 *
 * @see https://external-secrets.io/latest/
 * @example
 * declare const identity: WorkloadIdentity;
 * new ExternalSecrets(this, 'external-secrets', { identity, secretStore: { cloud: 'aws', region: 'eu-west-1' } });
 */
export class ExternalSecrets extends Construct {
  /** The Helm release. */
  readonly addon: HelmAddon;
  /** The ClusterSecretStore(s). */
  readonly stores: ManifestsRelease;

  constructor(scope: Construct, id: string, props: ExternalSecretsProps) {
    super(scope, id);
    const ha = props.highAvailability ?? tierDefault(this, (rules) => rules.highAvailability, true);
    const replicated = { replicaCount: ha ? 2 : 1, podDisruptionBudget: { enabled: ha } };
    this.addon = new HelmAddon(this, 'release', {
      chart: CHARTS.externalSecrets,
      namespace: EXTERNAL_SECRETS_NAMESPACE,
      values: {
        installCRDs: true,
        ...replicated,
        leaderElect: ha,
        webhook: replicated,
        certController: replicated,
        serviceAccount: { create: true, name: EXTERNAL_SECRETS_SERVICE_ACCOUNT, annotations: { ...props.identity.serviceAccountAnnotations } },
        podLabels: { ...props.identity.podLabels },
      },
      valueOverrides: props.valueOverrides,
    });
    const provider = (STORE_PROVIDERS[props.secretStore.cloud] as (store: CloudSecretStore) => Record<string, unknown>)(props.secretStore);
    const store: KubernetesObject = { apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', metadata: { name: CLOUD_SECRET_STORE }, spec: { provider } };
    this.stores = new ManifestsRelease(this, 'stores', {
      releaseName: 'cluster-secret-stores',
      namespace: EXTERNAL_SECRETS_NAMESPACE,
      manifests: [store],
      dependsOn: [this.addon],
    });
  }
}
