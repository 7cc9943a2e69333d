import { Construct } from 'constructs';
import { CHARTS } from '../../core/charts';
import { IdpkitError } from '../../core/errors';
import { AddonProps, HelmAddon, podSecurityNamespace } from '../../core/helm-addon';
import { KubernetesObject, ManifestsRelease, dependencyOf } from '../../core/manifests';
import type { WorkloadIdentity } from '../../integration/identity';
import { EXTERNAL_SECRETS_NAMESPACE, EXTERNAL_SECRETS_SERVICE_ACCOUNT } from './external-secrets';
import { tierDefault } from '../../core/tiers';

/** Namespace, release and service account of Vault. */
export const VAULT_NAMESPACE = 'vault';
export const VAULT_SERVICE_ACCOUNT = 'vault';

/** Secret (tls.crt, tls.key, ca.crt) Vault's listener serves when cert-manager issues it. */
export const VAULT_TLS_SECRET = 'vault-server-tls';

/** Where the TLS secret is mounted in Vault's pods. */
const TLS_DIR = '/vault/userconfig/vault-tls';

/**
 * Vault's health endpoint as the server's probe path (HTTPS, as the listener serves TLS): 200 when
 * active or standby, 204 when sealed or not yet initialised, so a fresh server is Ready before the
 * operator runs `vault operator init` (the chart's default probe, `vault status`, fails until then),
 * and an error only when the process does not answer.
 *
 * @see https://developer.hashicorp.com/vault/api-docs/system/health
 */
export const VAULT_HEALTH_PROBE_PATH = '/v1/sys/health?standbyok=true&sealedcode=204&uninitcode=204';

/** Raft data volume size, GiB, by HA. */
export const VAULT_DATA_STORAGE_GIB = { ha: 20, dev: 5 } as const;

/** The cloud KMS key that auto-unseals Vault (the `seal` stanza), reached through the server's workload identity. */
export type VaultSeal =
  | { readonly cloud: 'aws'; readonly region: string; readonly kmsKeyId: string }
  | { readonly cloud: 'azure'; readonly tenantId: string; readonly vaultName: string; readonly keyName: string }
  | { readonly cloud: 'gcp'; readonly project: string; readonly region: string; readonly keyRing: string; readonly cryptoKey: string };

/** Props of {@link Vault}. */
export interface VaultProps extends AddonProps {
  /** The server's cloud identity (encrypt/decrypt with the unseal key only). */
  readonly identity: WorkloadIdentity;
  /** The unseal key. */
  readonly seal: VaultSeal;
  /** Three raft voters with a disruption budget, two injector replicas; otherwise one of each. @default - the tier's `highAvailability` (off in dev); true without a tier */
  readonly highAvailability?: boolean;
  /**
   * How the listener gets its certificate: cert-manager's release (a private CA and a server
   * certificate are issued through the `selfsigned` ClusterIssuer), or an existing Secret in
   * `vault` with `tls.crt`, `tls.key` and `ca.crt`.
   */
  readonly tls: { readonly certManager: HelmAddon } | { readonly secretName: string };
  /** Raft data volume per replica, GiB. @default 20 in HA, 5 otherwise */
  readonly dataStorageGiB?: number;
  /** Audit log volume per replica, GiB. @default 10 */
  readonly auditStorageGiB?: number;
  /** External Secrets' releases: adds a `vault` ClusterSecretStore (Kubernetes auth, role `external-secrets`). @default - none */
  readonly externalSecrets?: readonly HelmAddon[];
}

const hcl = (value: string): string => JSON.stringify(value);

/** The `seal` stanza of each cloud's KMS. */
export function vaultSealStanza(seal: VaultSeal): string {
  switch (seal.cloud) {
    case 'aws':
      return `seal "awskms" {\n  region = ${hcl(seal.region)}\n  kms_key_id = ${hcl(seal.kmsKeyId)}\n}`;
    case 'azure':
      return `seal "azurekeyvault" {\n  tenant_id = ${hcl(seal.tenantId)}\n  vault_name = ${hcl(seal.vaultName)}\n  key_name = ${hcl(seal.keyName)}\n}`;
    case 'gcp':
      return `seal "gcpckms" {\n  project = ${hcl(seal.project)}\n  region = ${hcl(seal.region)}\n  key_ring = ${hcl(seal.keyRing)}\n  crypto_key = ${hcl(seal.cryptoKey)}\n}`;
  }
}

/** Vault's server configuration: TLS listener, raft with retry_join to every replica, KMS seal. */
export function vaultServerConfig(replicas: number, seal: VaultSeal): string {
  const joins = Array.from(
    { length: replicas },
    (_, index) =>
      `  retry_join {\n    leader_api_addr = "https://vault-${index}.vault-internal:8200"\n    leader_ca_cert_file = "${TLS_DIR}/ca.crt"\n  }`,
  );
  return [
    'ui = true',
    'disable_mlock = true',
    'listener "tcp" {',
    '  address = "[::]:8200"',
    '  cluster_address = "[::]:8201"',
    `  tls_cert_file = "${TLS_DIR}/tls.crt"`,
    `  tls_key_file = "${TLS_DIR}/tls.key"`,
    `  tls_client_ca_file = "${TLS_DIR}/ca.crt"`,
    '}',
    'storage "raft" {',
    '  path = "/vault/data"',
    ...joins,
    '}',
    vaultSealStanza(seal),
    'service_registration "kubernetes" {}',
    '',
  ].join('\n');
}

/** cert-manager objects: a private CA (from the `selfsigned` ClusterIssuer), its Issuer, the server certificate. */
function tlsObjects(): KubernetesObject[] {
  const ns = VAULT_NAMESPACE;
  return [
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'vault-ca', namespace: ns },
      spec: { isCA: true, commonName: 'vault-ca', secretName: 'vault-ca', duration: '87600h', privateKey: { algorithm: 'ECDSA', size: 256 }, issuerRef: { name: 'selfsigned', kind: 'ClusterIssuer', group: 'cert-manager.io' } },
    },
    { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: { name: 'vault-ca', namespace: ns }, spec: { ca: { secretName: 'vault-ca' } } },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: VAULT_TLS_SECRET, namespace: ns },
      spec: {
        secretName: VAULT_TLS_SECRET,
        duration: '2160h',
        renewBefore: '360h',
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
        dnsNames: ['vault', `vault.${ns}`, `vault.${ns}.svc`, `vault.${ns}.svc.cluster.local`, 'vault-active', `vault-active.${ns}.svc`, '*.vault-internal', `*.vault-internal.${ns}.svc`, `*.vault-internal.${ns}.svc.cluster.local`],
        ipAddresses: ['127.0.0.1'],
        usages: ['server auth', 'client auth'],
        issuerRef: { name: 'vault-ca', kind: 'Issuer', group: 'cert-manager.io' },
      },
    },
  ];
}

/**
 * HashiCorp Vault in HA mode on integrated raft storage (never dev mode), auto-unsealed by the
 * cloud's KMS through the server's workload identity, TLS on every listener (certificates from
 * cert-manager or a given Secret), audit log volume, agent injector. Initialising Vault
 * (`vault operator init`) and configuring auth methods stay with the operator: see docs/addons-stateful.md.
 *
 * @see https://developer.hashicorp.com/vault/docs/platform/k8s/helm
 * @example
 * declare const identity: WorkloadIdentity;
 * declare const key: AwsKmsKey;
 * declare const certManager: CertManager;
 * new Vault(this, 'vault', { identity, seal: { cloud: 'aws', region: 'eu-west-1', kmsKeyId: key.keyId }, tls: { certManager: certManager.addon } });
 */
export class Vault extends Construct {
  /** The Helm release. */
  readonly addon: HelmAddon;
  /** The server certificate objects, when cert-manager issues them. */
  readonly certificates?: ManifestsRelease;
  /** The `vault` ClusterSecretStore, when External Secrets is installed. */
  readonly secretStore?: ManifestsRelease;

  constructor(scope: Construct, id: string, props: VaultProps) {
    super(scope, id);
    const ha = props.highAvailability ?? tierDefault(this, (rules) => rules.highAvailability, true);
    const replicas = ha ? 3 : 1;
    const dataStorageGiB = props.dataStorageGiB ?? (ha ? VAULT_DATA_STORAGE_GIB.ha : VAULT_DATA_STORAGE_GIB.dev);
    const auditStorageGiB = props.auditStorageGiB ?? 10;
    for (const [name, value] of [['dataStorageGiB', dataStorageGiB], ['auditStorageGiB', auditStorageGiB]] as const) {
      if (!Number.isInteger(value) || value < 1) throw new IdpkitError('IDPKIT_INVALID_PROPS', [`${this.node.path}: ${name} ${value} is not a whole number of GiB, at least 1`]);
    }
    const tlsSecret = 'secretName' in props.tls ? props.tls.secretName : VAULT_TLS_SECRET;

    if ('certManager' in props.tls) {
      // Created first at Vault's level, so the certificates' release goes in after it.
      podSecurityNamespace(this, VAULT_NAMESPACE, 'baseline');
      this.certificates = new ManifestsRelease(this, 'certificates', {
        releaseName: 'vault-tls',
        namespace: VAULT_NAMESPACE,
        manifests: tlsObjects(),
        dependsOn: [props.tls.certManager],
      });
    }

    this.addon = new HelmAddon(this, 'release', {
      chart: CHARTS.vault,
      namespace: VAULT_NAMESPACE,
      // The agent injector's init containers and the server need more than "restricted" allows.
      podSecurity: 'baseline',
      values: {
        global: { tlsDisable: false },
        injector: { enabled: true, replicas: ha ? 2 : 1 },
        server: {
          ha: {
            enabled: true,
            replicas,
            raft: { enabled: true, setNodeId: true, config: vaultServerConfig(replicas, props.seal) },
            disruptionBudget: { enabled: ha },
          },
          dataStorage: { enabled: true, size: `${dataStorageGiB}Gi` },
          auditStorage: { enabled: true, size: `${auditStorageGiB}Gi` },
          extraEnvironmentVars: { VAULT_CACERT: `${TLS_DIR}/ca.crt`, VAULT_TLSCERT: `${TLS_DIR}/tls.crt`, VAULT_TLSKEY: `${TLS_DIR}/tls.key` },
          volumes: [{ name: 'vault-tls', secret: { secretName: tlsSecret } }],
          volumeMounts: [{ name: 'vault-tls', mountPath: TLS_DIR, readOnly: true }],
          serviceAccount: { create: true, name: VAULT_SERVICE_ACCOUNT, annotations: { ...props.identity.serviceAccountAnnotations } },
          extraLabels: { ...props.identity.podLabels },
          // Ready and alive while sealed or uninitialised: the release installs before `vault operator init`.
          readinessProbe: { enabled: true, path: VAULT_HEALTH_PROBE_PATH },
          livenessProbe: { enabled: true, path: VAULT_HEALTH_PROBE_PATH, initialDelaySeconds: 60 },
        },
        ui: { enabled: true },
      },
      valueOverrides: props.valueOverrides,
      dependsOn: props.dependsOn,
    });
    if (this.certificates) this.addon.release.dependsOn = [...(this.addon.release.dependsOn ?? []), dependencyOf(this.certificates.release)];

    if (props.externalSecrets && props.externalSecrets.length > 0) {
      const store: KubernetesObject = {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ClusterSecretStore',
        metadata: { name: 'vault' },
        spec: {
          provider: {
            vault: {
              server: `https://vault.${VAULT_NAMESPACE}.svc:8200`,
              path: 'secret',
              version: 'v2',
              caProvider: { type: 'Secret', name: tlsSecret, namespace: VAULT_NAMESPACE, key: 'ca.crt' },
              auth: {
                kubernetes: {
                  mountPath: 'kubernetes',
                  role: 'external-secrets',
                  serviceAccountRef: { name: EXTERNAL_SECRETS_SERVICE_ACCOUNT, namespace: EXTERNAL_SECRETS_NAMESPACE },
                },
              },
            },
          },
        },
      };
      this.secretStore = new ManifestsRelease(this, 'secret-store', {
        releaseName: 'vault-secret-store',
        namespace: VAULT_NAMESPACE,
        manifests: [store],
        dependsOn: [this.addon, ...props.externalSecrets],
      });
    }
  }
}
