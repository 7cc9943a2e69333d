/**
 * Config schemas of the add-ons of stacks/platform/stateful.ts, under `platform.addons.<key>`
 * of an environment: data of the add-on catalog (constructs/addons/catalog.ts).
 */
import { EXTERNAL_DNS_POLICIES } from '../capabilities/networking/external-dns';
import { z } from 'zod';
import { addonConfigSchema } from './config';

const positiveInt = z.number({ error: 'is not a number' }).int('is not a whole number').min(1, 'must be at least 1');

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

/** The schema of `platform.addons.externalDns`. */
export const externalDnsSchema = addonConfigSchema({
  /** The existing zone external-dns writes to (idpkit never creates zones). */
  zone: dnsZoneSchema,
  /** Record reconciliation. @default "upsert-only" */
  policy: z.enum(EXTERNAL_DNS_POLICIES, { error: `is not a policy (allowed: ${EXTERNAL_DNS_POLICIES.join(', ')})` }).optional(),
});
/** The config of `platform.addons.externalDns`. */
export type ExternalDnsConfig = z.infer<typeof externalDnsSchema>;

/** The schema of `platform.addons.vault`. */
export const vaultConfigSchema = addonConfigSchema({
  /** Raft data volume per replica, GiB. @default 20 in HA tiers, 5 in dev */
  dataStorageGiB: positiveInt.optional(),
  /** Audit log volume per replica, GiB. @default 10 */
  auditStorageGiB: positiveInt.optional(),
  /** Existing Secret in `vault` (tls.crt, tls.key, ca.crt) for the listener. @default - issued by cert-manager (which must be enabled) */
  tlsSecretName: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'is not a Secret name').optional(),
});
/** The config of `platform.addons.vault`. */
export type VaultConfig = z.infer<typeof vaultConfigSchema>;

/** The schema of `platform.addons.loki`. */
export const lokiConfigSchema = addonConfigSchema({
  /** Days logs are kept. @default 30 */
  retentionDays: retentionDays('days of logs'),
});
/** The config of `platform.addons.loki`. */
export type LokiConfig = z.infer<typeof lokiConfigSchema>;

/** The schema of `platform.addons.tempo`. */
export const tempoConfigSchema = addonConfigSchema({
  /** Days traces are kept. @default 14 */
  retentionDays: retentionDays('days of traces'),
});
/** The config of `platform.addons.tempo`. */
export type TempoConfig = z.infer<typeof tempoConfigSchema>;
