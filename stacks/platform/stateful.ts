import { EXTERNAL_DNS_NAMESPACE, EXTERNAL_DNS_SERVICE_ACCOUNT, ExternalDns, ExternalDnsZone } from '../../constructs/capabilities/networking/external-dns';
import { LOKI_NAMESPACE, LOKI_SERVICE_ACCOUNT, Loki, LokiStorage } from '../../constructs/capabilities/observability/loki';
import { TEMPO_NAMESPACE, TEMPO_SERVICE_ACCOUNT, Tempo, TempoStorage } from '../../constructs/capabilities/observability/tempo';
import { VAULT_NAMESPACE, VAULT_SERVICE_ACCOUNT, Vault, VaultSeal } from '../../constructs/capabilities/secrets/vault';
import type { ObjectBucket } from '../../constructs/capabilities/storage';
import type { AzureObjectBucket } from '../../constructs/capabilities/storage/azure';
import { IdpkitError } from '../../constructs/core/errors';
import type { Environment } from '../../environments/types';
import type { AddonKey } from '../clouds/kit';
import { AddonDefinition, PlatformContext, defineAddon } from './addon';
import type { VaultConfig, LokiConfig, TempoConfig, ExternalDnsConfig } from '../../constructs/addons/stateful';

/** The storage account of an Azure bucket (the environment's add-on account). */
const accountOf = (bucket: ObjectBucket): string => (bucket as AzureObjectBucket).storageAccountName;

/** The unseal key as Vault's seal stanza of the environment's cloud. */
function vaultSeal(env: Environment, key: AddonKey): VaultSeal {
  switch (env.cloud) {
    case 'aws':
      return { cloud: 'aws', region: key.location, kmsKeyId: key.keyId };
    case 'azure':
      return { cloud: 'azure', tenantId: env.azure.tenantId, vaultName: key.keyContainerName!, keyName: key.keyName };
    case 'gcp':
      return { cloud: 'gcp', project: env.gcp.projectId, region: key.location, keyRing: key.keyContainerName!, cryptoKey: key.keyName };
  }
}

function lokiStorage(env: Environment, chunks: ObjectBucket, ruler: ObjectBucket): LokiStorage {
  switch (env.cloud) {
    case 'aws':
      return { cloud: 'aws', region: env.aws.region, chunksBucket: chunks.bucketName, rulerBucket: ruler.bucketName };
    case 'azure':
      return { cloud: 'azure', storageAccountName: accountOf(chunks), chunksBucket: chunks.bucketName, rulerBucket: ruler.bucketName };
    case 'gcp':
      return { cloud: 'gcp', chunksBucket: chunks.bucketName, rulerBucket: ruler.bucketName };
  }
}

function tempoStorage(env: Environment, bucket: ObjectBucket): TempoStorage {
  switch (env.cloud) {
    case 'aws':
      return { cloud: 'aws', region: env.aws.region, bucket: bucket.bucketName };
    case 'azure':
      return { cloud: 'azure', storageAccountName: accountOf(bucket), bucket: bucket.bucketName };
    case 'gcp':
      return { cloud: 'gcp', bucket: bucket.bucketName };
  }
}

function externalDnsZone(env: Environment, zone: ExternalDnsConfig['zone']): ExternalDnsZone {
  switch (env.cloud) {
    case 'aws':
      return { cloud: 'aws', domain: zone.domain, hostedZoneId: zone.hostedZoneId! };
    case 'azure':
      return { cloud: 'azure', domain: zone.domain, tenantId: env.azure.tenantId, subscriptionId: env.azure.subscriptionId, resourceGroupName: zone.resourceGroupName! };
    case 'gcp':
      return { cloud: 'gcp', domain: zone.domain, project: env.gcp.projectId };
  }
}

const certManagerOf = (context: PlatformContext) => context.installed.certManager ?? [];

/** Add-ons that keep data in the cloud: secrets (Vault), logs and traces (Loki, Tempo), DNS (external-dns). */
export const STATEFUL_ADDONS: readonly AddonDefinition[] = [
  defineAddon<VaultConfig>({
    key: 'vault',
    description: 'HashiCorp Vault: HA raft storage, auto-unseal with the cloud KMS, TLS by cert-manager',
    infra: (scope, env, _config, build) => ({
      keys: { unseal: build.key(scope, 'unseal-key', { name: 'vault-unseal', description: `Vault auto-unseal of ${env.name}` }) },
    }),
    identities: (_env, _config, resources) => [
      { name: 'vault', namespace: VAULT_NAMESPACE, serviceAccount: VAULT_SERVICE_ACCOUNT, grants: [{ kind: 'key-seal', key: resources.keys.unseal }] },
    ],
    install: (scope, context, config) => {
      const certManager = certManagerOf(context);
      if (!config.tlsSecretName && certManager.length === 0) {
        throw new IdpkitError('IDPKIT_INVALID_ENVIRONMENT', [
          `environment "${context.env.name}": platform.addons.vault needs TLS (enable platform.addons.certManager, or set platform.addons.vault.tlsSecretName)`,
        ]);
      }
      const vault = new Vault(scope, 'vault', {
        identity: context.identities.vault,
        seal: vaultSeal(context.env, context.resources.keys.unseal),
        highAvailability: context.highAvailability,
        tls: config.tlsSecretName ? { secretName: config.tlsSecretName } : { certManager: certManager[0] },
        dataStorageGiB: config.dataStorageGiB,
        auditStorageGiB: config.auditStorageGiB,
        externalSecrets: context.installed.externalSecrets,
        valueOverrides: config.values?.vault,
      });
      return [vault.addon];
    },
  }),
  defineAddon<LokiConfig>({
    key: 'loki',
    description: 'Grafana Loki: logs in the cloud object storage, TSDB schema, retention by the compactor',
    infra: (scope, _env, _config, build) => ({
      buckets: { chunks: build.bucket(scope, 'chunks', { name: 'loki-chunks' }), ruler: build.bucket(scope, 'ruler', { name: 'loki-ruler' }) },
    }),
    identities: (_env, _config, resources) => [
      {
        name: 'loki',
        namespace: LOKI_NAMESPACE,
        serviceAccount: LOKI_SERVICE_ACCOUNT,
        grants: [
          { kind: 'bucket-read-write', bucket: resources.buckets.chunks },
          { kind: 'bucket-read-write', bucket: resources.buckets.ruler },
        ],
      },
    ],
    install: (scope, context, config) => [
      new Loki(scope, 'loki', {
        identity: context.identities.loki,
        storage: lokiStorage(context.env, context.resources.buckets.chunks, context.resources.buckets.ruler),
        retentionDays: config.retentionDays,
        highAvailability: context.highAvailability,
        largestNode: context.largestNode,
        valueOverrides: config.values?.loki,
      }).addon,
    ],
  }),
  defineAddon<TempoConfig>({
    key: 'tempo',
    description: 'Grafana Tempo (monolithic): traces in the cloud object storage',
    infra: (scope, _env, config, build) => ({
      // Tempo's compactor deletes expired blocks; the bucket's expiry a day later is a backstop.
      buckets: { traces: build.bucket(scope, 'traces', { name: 'tempo-traces', expiryDays: (config.retentionDays ?? 14) + 1 }) },
    }),
    identities: (_env, _config, resources) => [
      { name: 'tempo', namespace: TEMPO_NAMESPACE, serviceAccount: TEMPO_SERVICE_ACCOUNT, grants: [{ kind: 'bucket-read-write', bucket: resources.buckets.traces }] },
    ],
    install: (scope, context, config) => [
      new Tempo(scope, 'tempo', {
        identity: context.identities.tempo,
        storage: tempoStorage(context.env, context.resources.buckets.traces),
        retentionDays: config.retentionDays,
        highAvailability: context.highAvailability,
        valueOverrides: config.values?.tempo,
      }).addon,
    ],
  }),
  defineAddon<ExternalDnsConfig>({
    key: 'externalDns',
    description: 'ExternalDNS: records for Services and Ingresses in one existing DNS zone',
    infra: (_scope, _env, config, build) => ({ dnsZones: { zone: build.dnsZone(config.zone, 'platform.addons.externalDns.zone') } }),
    identities: (_env, _config, resources) => [
      { name: 'external-dns', namespace: EXTERNAL_DNS_NAMESPACE, serviceAccount: EXTERNAL_DNS_SERVICE_ACCOUNT, grants: [{ kind: 'dns-records', zone: resources.dnsZones.zone }] },
    ],
    install: (scope, context, config) => [
      new ExternalDns(scope, 'external-dns', {
        identity: context.identities['external-dns'],
        zone: externalDnsZone(context.env, config.zone),
        txtOwnerId: context.env.cluster.name,
        policy: config.policy,
        valueOverrides: config.values?.['external-dns'],
      }).addon,
    ],
  }),
];
