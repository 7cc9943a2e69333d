import { parse } from 'yaml';
import { CHARTS } from '../../../constructs/core/charts';
import { nodeAllocatable } from '../../../constructs/infrastructure/cluster/node-sizes';
import { azureProd, environmentSets, gcpDev, gcpProd, prod, staging } from '../../../environments';
import { validateEnvironments } from '../../../environments/types';
import { largestNode } from '../../../stacks/platform/nodes';
import { clone, onlyAddons, resources, synthEnvironment, TerraformJson } from '../../helpers';
import { synthesizedStack } from '../../support/synthesized-sets';

const synth = synthEnvironment;

const release = (json: TerraformJson, name: string) => resources(json, 'helm_release').find((r) => r.name === name);
const valuesOf = (json: TerraformJson, name: string) => parse(release(json, name).values[0]);
const inlinePolicy = (infra: TerraformJson, roleName: string) => JSON.parse(resources(infra, 'aws_iam_role_policy').find((p) => p.name === roleName).policy).Statement;

describe('stateful add-ons on AWS (prod)', () => {
  const { infra, platform, text } = synth(prod);

  test('each release is its CHARTS row', () => {
    for (const [name, chart] of [['vault', CHARTS.vault], ['loki', CHARTS.loki], ['tempo', CHARTS.tempo], ['external-dns', CHARTS.externalDns]] as const) {
      expect(release(platform, name)).toMatchObject({ repository: chart.repository, chart: chart.chart, version: chart.version });
    }
  });

  test('buckets: SSE-KMS with their own key, public access blocked, owner-enforced, TLS only', () => {
    const buckets = resources(infra, 'aws_s3_bucket').map((b) => b.bucket);
    expect(buckets).toEqual(expect.arrayContaining(['idpkit-prod-loki-chunks-222222222222-eu-west-1', 'idpkit-prod-loki-ruler-222222222222-eu-west-1', 'idpkit-prod-tempo-traces-222222222222-eu-west-1']));
    const encryption = resources(infra, 'aws_s3_bucket_server_side_encryption_configuration');
    expect(encryption.every((e) => e.rule[0].apply_server_side_encryption_by_default.sse_algorithm === 'aws:kms')).toBe(true);
    expect(resources(infra, 'aws_s3_bucket_ownership_controls').every((o) => o.rule.object_ownership === 'BucketOwnerEnforced')).toBe(true);
    expect(resources(infra, 'aws_s3_bucket_public_access_block').every((b) => b.block_public_policy && b.restrict_public_buckets)).toBe(true);
    const tempoLifecycle = resources(infra, 'aws_s3_bucket_lifecycle_configuration').find((l) => l.rule.some((r: any) => r.id === 'expire-objects'));
    expect(tempoLifecycle.rule.find((r: any) => r.id === 'expire-objects').expiration).toEqual([{ days: 15 }]);
  });

  test('Loki may read and write its two buckets and use their keys, nothing else', () => {
    const statements = inlinePolicy(infra, 'idp-prod-loki');
    const actions = statements.flatMap((s: any) => s.Action);
    expect(actions).not.toContain('*');
    expect(actions.some((a: string) => a.endsWith(':*'))).toBe(false);
    expect(statements.filter((s: any) => /^ReadWriteObjects\d$/.test(s.Sid)).map((s: any) => s.Resource)).toEqual([
      expect.stringMatching(/aws_s3_bucket\.addon-loki_chunks_bucket_.*\.arn\}\/\*$/),
      expect.stringMatching(/aws_s3_bucket\.addon-loki_ruler_bucket_.*\.arn\}\/\*$/),
    ]);
    const keys = statements.filter((s: any) => /^UseBucketKey\d$/.test(s.Sid));
    expect(keys).toHaveLength(2);
    expect(keys.every((s: any) => /aws_kms_key\..*\.arn\}$/.test(s.Resource))).toBe(true);
    expect(keys[0].Action).toEqual(['kms:GenerateDataKey', 'kms:Decrypt']);
  });

  test('Vault may encrypt and decrypt with its unseal key only; the seal names that key', () => {
    const statements = inlinePolicy(infra, 'idp-prod-vault');
    expect(statements).toEqual([{ Sid: 'EncryptDecrypt', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'], Resource: expect.stringMatching(/aws_kms_key\.addon-vault_unseal-key_.*\.arn\}$/) }]);
    const values = valuesOf(platform, 'vault');
    expect(values.server.ha.raft.config).toMatch(/seal "awskms" \{\n {2}region = "eu-west-1"\n {2}kms_key_id = "\$\{data\.terraform_remote_state\..*\}"/);
  });

  test('external-dns may change records of its hosted zone only; listing zones is read-only', () => {
    const statements = inlinePolicy(infra, 'idp-prod-external-dns');
    const writes = statements.find((s: any) => s.Action.includes('route53:ChangeResourceRecordSets'));
    expect(writes.Resource).toBe('arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ');
    const wildcard = statements.filter((s: any) => s.Resource === '*').flatMap((s: any) => s.Action);
    expect(wildcard.every((a: string) => /^route53:(List|Get)/.test(a))).toBe(true);
    const values = valuesOf(platform, 'external-dns');
    expect(values).toMatchObject({ provider: { name: 'aws' }, policy: 'upsert-only', txtOwnerId: 'idp-prod', domainFilters: ['prod.acme.example'], extraArgs: ['--zone-id-filter=Z0123456789ABCDEFGHIJ'] });
    expect(values.replicaCount).toBeUndefined();
  });

  test('Vault runs HA raft with TLS, audit storage and never dev mode; a vault ClusterSecretStore joins External Secrets', () => {
    const values = valuesOf(platform, 'vault');
    expect(values.global.tlsDisable).toBe(false);
    expect(values.server.ha).toMatchObject({ enabled: true, replicas: 3, raft: { enabled: true } });
    expect(values.server.ha.raft.config.match(/retry_join/g)).toHaveLength(3);
    expect(values.server.dev).toBeUndefined();
    expect(values.server.auditStorage.enabled).toBe(true);
    expect(values.server.dataStorage.size).toBe('20Gi');
    expect(values.injector.replicas).toBe(2);
    const store = parse(release(platform, 'vault-secret-store').values[0]).manifests[0];
    expect(store.spec.provider.vault.auth.kubernetes.serviceAccountRef).toEqual({ name: 'external-secrets', namespace: 'external-secrets' });
    expect(release(platform, 'vault-secret-store').depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^helm_release\.vault_release/), expect.stringMatching(/^helm_release\.external-secrets_release/)]));
    const certificates = parse(release(platform, 'vault-tls').values[0]).manifests;
    expect(certificates.map((m: any) => m.kind)).toEqual(['Certificate', 'Issuer', 'Certificate']);
  });

  test('Vault is Ready and alive while sealed or uninitialised, so the atomic release installs before `vault operator init`', () => {
    const values = valuesOf(platform, 'vault');
    expect(release(platform, 'vault')).toMatchObject({ atomic: true });
    // The chart's default readiness probe (no path) runs `vault status`, which fails until init and unseal.
    const health = '/v1/sys/health?standbyok=true&sealedcode=204&uninitcode=204';
    expect(values.server.readinessProbe).toMatchObject({ enabled: true, path: health });
    expect(values.server.livenessProbe).toMatchObject({ enabled: true, path: health, initialDelaySeconds: 60 });
    // The probes use HTTPS because the listener serves TLS (the chart's scheme follows global.tlsDisable).
    expect(values.global.tlsDisable).toBe(false);
  });

  test('Loki stores in S3 through Pod Identity (no access keys), TSDB v13, three replicas', () => {
    const values = valuesOf(platform, 'loki');
    expect(values.deploymentMode).toBe('Monolithic');
    expect(values.loki.storage).toEqual({ type: 's3', bucketNames: { chunks: 'idpkit-prod-loki-chunks-222222222222-eu-west-1', ruler: 'idpkit-prod-loki-ruler-222222222222-eu-west-1' }, s3: { region: 'eu-west-1' } });
    expect(values.loki.schemaConfig.configs[0]).toMatchObject({ store: 'tsdb', schema: 'v13', object_store: 's3' });
    expect(values.loki.limits_config.retention_period).toBe('720h');
    expect(values.loki.commonConfig.replication_factor).toBe(3);
    expect(values.singleBinary.replicas).toBe(3);
  });

  test('no secret literal: no access keys or account keys anywhere', () => {
    expect(text).not.toMatch(/secretAccessKey|accessKeyId|accountKey|AKIA[0-9A-Z]{16}/);
  });
});

describe('stateful add-ons on Azure (azure-prod)', () => {
  const { infra, platform } = synth(azureProd);
  const roles = (role: string) => resources(infra, 'azurerm_role_assignment').filter((r) => r.role_definition_name === role);

  test('one storage account without shared keys, private containers, Blob Data Contributor per container', () => {
    const [account] = resources(infra, 'azurerm_storage_account');
    expect(account).toMatchObject({ shared_access_key_enabled: false, min_tls_version: 'TLS1_2', allow_nested_items_to_be_public: false });
    expect(resources(infra, 'azurerm_storage_container').map((c) => [c.name, c.container_access_type])).toEqual([
      ['loki-chunks', 'private'],
      ['loki-ruler', 'private'],
      ['tempo-traces', 'private'],
    ]);
    expect(roles('Storage Blob Data Contributor').map((r) => r.scope)).toEqual([
      expect.stringMatching(/azurerm_storage_container\..*loki-chunks.*\.id\}$/),
      expect.stringMatching(/azurerm_storage_container\..*loki-ruler.*\.id\}$/),
      expect.stringMatching(/azurerm_storage_container\..*tempo-traces.*\.id\}$/),
    ]);
  });

  test("Vault's seal gets get, wrapKey and unwrapKey on its key only (Crypto Service Encryption User); external-dns DNS Zone Contributor on the zone only", () => {
    const unseal = resources(infra, 'azurerm_key_vault_key').find((k) => k.name === 'vault-unseal');
    expect(unseal.key_opts).toEqual(expect.arrayContaining(['wrapKey', 'unwrapKey']));
    const vaultGrants = resources(infra, 'azurerm_role_assignment').filter((r) => /identity-vault/.test(r.principal_id));
    // azurekeyvault calls GetKey, WrapKey and UnwrapKey: the narrowest built-in role with exactly these.
    expect(vaultGrants.map((r) => r.role_definition_name)).toEqual(['Key Vault Crypto Service Encryption User']);
    expect(vaultGrants[0].scope).toMatch(/azurerm_key_vault_key\..*vault-unseal-key.*\.resource_versionless_id\}$/);
    expect(roles('DNS Zone Contributor').map((r) => r.scope)).toEqual([
      '/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/rg-dns/providers/Microsoft.Network/dnsZones/azure.acme.example',
    ]);
    expect(valuesOf(platform, 'vault').server.ha.raft.config).toMatch(/seal "azurekeyvault"/);
  });

  test('Loki and Tempo use the account through federated tokens', () => {
    expect(valuesOf(platform, 'loki').loki.storage.azure).toMatchObject({ useFederatedToken: true, accountName: expect.stringMatching(/terraform_remote_state/) });
    expect(valuesOf(platform, 'loki').singleBinary.podLabels).toEqual({ 'azure.workload.identity/use': 'true' });
    expect(valuesOf(platform, 'tempo').config).toMatch(/use_federated_token: true/);
    expect(valuesOf(platform, 'external-dns').extraVolumeMounts).toEqual([{ name: 'azure-config', mountPath: '/etc/kubernetes', readOnly: true }]);
  });
});

describe('stateful add-ons on GCP', () => {
  const { infra, platform } = synth(gcpProd);

  test('CMEK buckets with uniform access, public access prevention, and the storage agent granted first', () => {
    const buckets = resources(infra, 'google_storage_bucket');
    expect(buckets.map((b) => b.name)).toEqual(['acme-idp-prod-gcp-prod-loki-chunks', 'acme-idp-prod-gcp-prod-loki-ruler', 'acme-idp-prod-gcp-prod-tempo-traces']);
    for (const bucket of buckets) {
      expect(bucket).toMatchObject({ uniform_bucket_level_access: true, public_access_prevention: 'enforced' });
      expect(bucket.encryption.default_kms_key_name).toMatch(/google_kms_crypto_key\./);
      expect(bucket.depends_on.some((d: string) => d.startsWith('google_kms_crypto_key_iam_member.'))).toBe(true);
    }
  });

  test('grants are bucket, key and zone bindings, not project roles (except dns.reader)', () => {
    expect(resources(infra, 'google_storage_bucket_iam_member').map((m) => m.role)).toEqual(['roles/storage.objectAdmin', 'roles/storage.objectAdmin', 'roles/storage.objectAdmin']);
    // gcpckms reads the key (cloudkms.cryptoKeys.get) when Vault starts, then encrypts and decrypts with it.
    const vaultKeyRoles = resources(infra, 'google_kms_crypto_key_iam_member').filter((m) => /identity-vault/.test(m.member));
    expect(vaultKeyRoles.map((m) => m.role).sort()).toEqual(['roles/cloudkms.cryptoKeyEncrypterDecrypter', 'roles/cloudkms.viewer']);
    for (const grant of vaultKeyRoles) expect(grant.crypto_key_id).toMatch(/vault_unseal-key/);
    expect(resources(infra, 'google_dns_managed_zone_iam_member')).toEqual([expect.objectContaining({ managed_zone: 'gcp-acme-example', role: 'roles/dns.admin' })]);
    const projectRoles = resources(infra, 'google_project_iam_member').map((m) => m.role);
    expect(projectRoles).not.toContain('roles/dns.admin');
    expect(projectRoles).not.toContain('roles/storage.objectAdmin');
    expect(valuesOf(platform, 'vault').server.ha.raft.config).toMatch(/seal "gcpckms" \{\n {2}project = "acme-idp-prod"\n {2}region = "europe-west1"\n {2}key_ring = "idpkit-gcp-prod"\n {2}crypto_key = "vault-unseal"/);
    expect(valuesOf(platform, 'vault').server.serviceAccount.annotations['iam.gke.io/gcp-service-account']).toMatch(/terraform_remote_state/);
  });
});

describe('stateful add-ons in dev', () => {
  test('Loki runs one replica with replication factor 1; Tempo has no WAL volume', () => {
    const { platform } = synth(gcpDev);
    const loki = valuesOf(platform, 'loki');
    expect(loki.singleBinary.replicas).toBe(1);
    expect(loki.loki.commonConfig.replication_factor).toBe(1);
    expect(loki.loki.limits_config.retention_period).toBe('168h');
    expect(valuesOf(platform, 'tempo')).toMatchObject({ replicas: 1, persistence: { enabled: false }, tempo: { retention: '72h' } });
  });

  test('Vault in dev: one raft replica, still TLS and KMS seal, never dev mode', () => {
    const config = clone(gcpDev) as any;
    config.platform.addons.vault = { enabled: true };
    const { platform } = synth(config);
    const values = valuesOf(platform, 'vault');
    expect(values.server.ha).toMatchObject({ enabled: true, replicas: 1, disruptionBudget: { enabled: false } });
    expect(values.server.dataStorage.size).toBe('5Gi');
    expect(values.global.tlsDisable).toBe(false);
    expect(values.server.dev).toBeUndefined();
    expect(values.injector.replicas).toBe(1);
  });

  test('throws when Vault has no TLS source', () => {
    const config = clone(gcpDev) as any;
    config.platform = onlyAddons({ vault: { enabled: true } });
    expect(() => synth(config)).toThrow(/platform\.addons\.vault needs TLS/);
  });

  test('throws when the zone lacks the field its cloud needs', () => {
    const config = clone(prod) as any;
    config.platform.addons.externalDns.zone = { domain: 'prod.acme.example' };
    expect(() => synth(config)).toThrow(/platform\.addons\.externalDns\.zone\.hostedZoneId is missing/);
  });
});

/** CPU millicores and memory MiB of a Kubernetes quantity pair. */
const cpuOf = (quantity: string): number => (quantity.endsWith('m') ? Number(quantity.slice(0, -1)) : Number(quantity) * 1000);
const memoryOf = (quantity: string): number => (quantity.endsWith('Gi') ? Number(quantity.slice(0, -2)) * 1024 : Number(quantity.replace(/Mi$/, '')));

/**
 * Each Loki pod's requests, summed over its containers, as the chart renders them: the binary with
 * its rules sidecar, the gateway, the canary, and each memcached cache (1.2 x allocatedMemory)
 * with its exporter. A container without requests (the chart's default) counts as nothing.
 */
function lokiPodRequests(values: any): Record<string, { cpu: number; memory: number }> {
  const requests = (container: any) => ({ cpu: cpuOf(container?.resources?.requests?.cpu ?? '0'), memory: memoryOf(container?.resources?.requests?.memory ?? '0') });
  const sum = (...parts: { cpu: number; memory: number }[]) => parts.reduce((a, b) => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory }));
  const cache = (config: any) => ({ cpu: cpuOf(config.allocatedCPU ?? '500m'), memory: Math.round((config.allocatedMemory ?? (config === values.resultsCache ? 1024 : 8192)) * 1.2) });
  return {
    'single-binary': sum(requests(values.singleBinary), requests(values.sidecar)),
    gateway: requests(values.gateway),
    canary: requests(values.lokiCanary),
    ...(values.chunksCache?.enabled !== false ? { 'chunks-cache': sum(cache(values.chunksCache ?? {}), requests(values.memcachedExporter)) } : {}),
    ...(values.resultsCache?.enabled !== false ? { 'results-cache': sum(cache(values.resultsCache ?? {}), requests(values.memcachedExporter)) } : {}),
  };
}

describe("Loki's requests fit the environment's nodes", () => {
  test.each(['all', 'presets'] as const)('every Loki pod fits the largest node of its environment (set %s)', (set) => {
    const envs = validateEnvironments(environmentSets[set]).filter((env) => (env.platform?.addons as any)?.loki?.enabled);
    expect(envs.length).toBeGreaterThan(0);
    for (const env of envs) {
      const node = largestNode(env)!;
      for (const [pod, request] of Object.entries(lokiPodRequests(valuesOf(synthesizedStack(set, `${env.name}-platform`), 'loki')))) {
        expect([env.name, pod, request.memory <= node.memoryMiB && request.cpu <= node.cpuMillicores]).toEqual([env.name, pod, true]);
      }
    }
  });

  test('on 8 GiB nodes without Karpenter the caches take a quarter and a sixteenth of a node, not the chart\'s 9.6 GiB', () => {
    const config = clone(staging) as any;
    config.platform.addons.karpenter = { enabled: false };
    const values = valuesOf(synth(config).platform, 'loki');
    const node = nodeAllocatable('aws', 'm6i.large')!;
    expect(values.chunksCache).toEqual({ enabled: true, allocatedMemory: 1536, allocatedCPU: '482m' });
    expect(values.resultsCache).toEqual({ enabled: true, allocatedMemory: 384, allocatedCPU: '120m' });
    const pods = lokiPodRequests(values);
    expect(pods['chunks-cache'].memory).toBeLessThanOrEqual(node.memoryMiB / 4 + 32);
    expect(Object.values(pods).reduce((total, pod) => total + pod.memory, 0)).toBeLessThan(node.memoryMiB / 2);
  });

  test('every Loki container requests resources; Karpenter lets the caches keep the chart\'s sizes', () => {
    const values = valuesOf(synth(staging).platform, 'loki');
    for (const component of ['singleBinary', 'gateway', 'sidecar', 'lokiCanary', 'memcachedExporter']) {
      expect([component, values[component].resources.requests]).toEqual([component, { cpu: expect.any(String), memory: expect.any(String) }]);
    }
    expect(values.chunksCache).toMatchObject({ allocatedMemory: 8192, allocatedCPU: '500m' });
    expect(values.resultsCache).toMatchObject({ allocatedMemory: 1024 });
  });
});
