import { EXTERNAL_DNS_NAMESPACE, EXTERNAL_DNS_POLICIES, EXTERNAL_DNS_SERVICE_ACCOUNT, ExternalDns, ExternalDnsZone } from '../../constructs/capabilities/networking/external-dns';
import { LOKI_NAMESPACE, LOKI_SERVICE_ACCOUNT, Loki, LokiStorage } from '../../constructs/capabilities/observability/loki';
import { TEMPO_NAMESPACE, TEMPO_SERVICE_ACCOUNT, Tempo, TempoStorage } from '../../constructs/capabilities/observability/tempo';
import { VAULT_NAMESPACE, VAULT_SERVICE_ACCOUNT, Vault, VaultSeal } from '../../constructs/capabilities/secrets/vault';
import type { ObjectBucket } from '../../constructs/capabilities/storage';
import type { AzureObjectBucket } from '../../constructs/capabilities/storage/azure';
import { IdpkitError } from '../../constructs/core/errors';
import type { Environment } from '../../environments/types';
import { z } from 'zod';
import type { AddonKey } from '../clouds/kit';
import { AddonDefinition, PlatformContext, addonConfigSchema, defineAddon } from './addon';

const positiveInt = z.number({ error: 'is not a number' }).int('is not a whole number').min(1, 'must be at least 1');

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

const retentionDays = (what: string) => positiveInt.max(3650, `must be at most 3650 (${what})`).optional();

const dnsZoneSchema = z.strictObject({
  /** The zone's domain (on Azure also its name). */
  domain: z.string().regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/, 'is not a DNS domain (expected e.g. prod.acme.example)'),
  /** AWS: Route 53 hosted zone id. */
  hostedZoneId: z.string().regex(/^Z[A-Z0-9]{1,31}$/, 'is not a Route 53 hosted zone id (expected e.g. Z0123456789ABCDEFGHIJ)').optional(),
  /** Azure: resource group of the DNS zone. */
  resourceGroupName: z.string().min(1, 'is empty').optional(),
  /** GCP: Cloud DNS managed zone name. */
  managedZone: z.string().regex(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/, 'is not a managed zone name').optional(),
});

const externalDnsSchema = addonConfigSchema({
  /** The existing zone external-dns writes to (idpkit never creates zones). */
  zone: dnsZoneSchema,
  /** Record reconciliation. @default "upsert-only" */
  policy: z.enum(EXTERNAL_DNS_POLICIES, { error: `is not a policy (allowed: ${EXTERNAL_DNS_POLICIES.join(', ')})` }).optional(),
});
/** The config of `platform.addons.externalDns`. */
export type ExternalDnsConfig = z.infer<typeof externalDnsSchema>;

const certManagerOf = (context: PlatformContext) => context.installed.certManager ?? [];

/** Add-ons that keep data in the cloud: secrets (Vault), logs and traces (Loki, Tempo), DNS (external-dns). */
export const STATEFUL_ADDONS: readonly AddonDefinition[] = [
  defineAddon({
    key: 'vault',
    description: 'HashiCorp Vault: HA raft storage, auto-unseal with the cloud KMS, TLS by cert-manager',
    configSchema: addonConfigSchema({
      /** Raft data volume per replica, GiB. @default 20 in HA tiers, 5 in dev */
      dataStorageGiB: positiveInt.optional(),
      /** Audit log volume per replica, GiB. @default 10 */
      auditStorageGiB: positiveInt.optional(),
      /** Existing Secret in `vault` (tls.crt, tls.key, ca.crt) for the listener. @default - issued by cert-manager (which must be enabled) */
      tlsSecretName: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'is not a Secret name').optional(),
    }),
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
  defineAddon({
    key: 'loki',
    description: 'Grafana Loki: logs in the cloud object storage, TSDB schema, retention by the compactor',
    configSchema: addonConfigSchema({
      /** Days logs are kept. @default 30 */
      retentionDays: retentionDays('days of logs'),
    }),
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
  defineAddon({
    key: 'tempo',
    description: 'Grafana Tempo (monolithic): traces in the cloud object storage',
    configSchema: addonConfigSchema({
      /** Days traces are kept. @default 14 */
      retentionDays: retentionDays('days of traces'),
    }),
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
  defineAddon({
    key: 'externalDns',
    description: 'ExternalDNS: records for Services and Ingresses in one existing DNS zone',
    configSchema: externalDnsSchema,
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
