/**
 * The contract every cloud keeps: the same environment shape gives an `<env>-infra` stack with a
 * provider for the environment's account, its own remote state, a cluster whose attributes are
 * Terraform references later stacks can consume across stacks, a network, a registry URL per
 * repository, and the same outputs — with prod private and protected, dev open only to listed CIDRs.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformOutput, TerraformStack, withoutCreationStacks } from '../../constructs/core/cdktf';
import type { Cloud } from '../../constructs/core/clouds';
import { azureDev, azureProd, dev, gcpDev, gcpProd, prod } from '../../environments';
import { Environment, validateEnvironments } from '../../environments/types';
import { addPlatformStacks } from '../../stacks/app';
import { TerraformJson, onlyResource } from '../helpers';

interface CloudReading {
  readonly dev: unknown;
  readonly prod: unknown;
  /** Provider block name and backend type in the stack's JSON. */
  readonly provider: string;
  readonly backend: string;
  /** The cluster resource type. */
  readonly clusterType: string;
  /** Whether the cluster's API is reachable only privately. */
  readonly privateApi: (cluster: any) => boolean;
  /** The reference to the customer-managed key that envelope-encrypts the cluster's secrets. */
  readonly clusterKey: (cluster: any) => string;
}

const CLOUDS: Record<Cloud, CloudReading> = {
  aws: {
    dev,
    prod,
    provider: 'aws',
    backend: 's3',
    clusterType: 'aws_eks_cluster',
    privateApi: (c) => c.vpc_config.endpoint_public_access === false,
    clusterKey: (c) => c.encryption_config.provider.key_arn,
  },
  azure: {
    dev: azureDev,
    prod: azureProd,
    provider: 'azurerm',
    backend: 'azurerm',
    clusterType: 'azurerm_kubernetes_cluster',
    privateApi: (c) => c.private_cluster_enabled === true,
    clusterKey: (c) => c.key_management_service.key_vault_key_id,
  },
  gcp: {
    dev: gcpDev,
    prod: gcpProd,
    provider: 'google',
    backend: 'gcs',
    clusterType: 'google_container_cluster',
    privateApi: (c) => c.private_cluster_config.enable_private_endpoint === true,
    clusterKey: (c) => c.database_encryption.key_name,
  },
};

const COMMON_OUTPUTS = [
  'cluster_certificate_authority_data',
  'cluster_endpoint',
  'cluster_name',
  'cluster_oidc_issuer_url',
  'network_id',
  'private_subnet_ids',
  'registry_urls',
];

/** Synthesizes an environment's stacks plus a consumer stack reading the cluster across stacks (creation stacks off, as synthesizePlatform builds them). */
function synthesize(config: unknown) {
  const [env] = validateEnvironments([config]) as Environment[];
  const outdir = mkdtempSync(join(tmpdir(), 'idpkit-contract-'));
  const app = new App({ outdir });
  const stack = withoutCreationStacks(() => {
    const { infra } = addPlatformStacks(app, [env]);
    const consumer = new TerraformStack(app, `${env.name}-consumer`);
    new TerraformOutput(consumer, 'endpoint', { value: infra[env.name].cluster.endpoint });
    app.synth();
    return infra[env.name];
  });
  const read = (name: string): TerraformJson => JSON.parse(readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
  return { env, stack, json: read(`${env.name}-infra`), consumer: read(`${env.name}-consumer`) };
}

describe.each(Object.entries(CLOUDS))('on %s', (cloud, reading) => {
  const devSynth = synthesize(reading.dev);
  const prodSynth = synthesize(reading.prod);

  test('the infra stack has the cloud provider and its own remote state', () => {
    expect(devSynth.env.cloud).toBe(cloud);
    expect(Object.keys(prodSynth.json.provider!)).toContain(reading.provider);
    const backend = prodSynth.json.terraform.backend[reading.backend];
    expect(JSON.stringify(backend)).toContain(`${prodSynth.env.name}-infra`);
  });

  test('one cluster, named from the environment, on the pinned version, encrypted with a customer key', () => {
    const cluster = onlyResource(prodSynth.json, reading.clusterType);
    expect(cluster.name).toBe(prodSynth.env.cluster.name);
    expect(JSON.stringify(cluster)).toContain(prodSynth.env.cluster.kubernetesVersion);
    expect(reading.clusterKey(cluster)).toMatch(/^\$\{[a-z_]+\..+\}$/);
  });

  test('prod keeps the API private; dev opens it only to the listed CIDRs', () => {
    expect(reading.privateApi(onlyResource(prodSynth.json, reading.clusterType))).toBe(true);
    const devCluster = onlyResource(devSynth.json, reading.clusterType);
    expect(reading.privateApi(devCluster)).toBe(false);
    expect(JSON.stringify(devCluster)).toContain('203.0.113.0/24');
    expect(JSON.stringify(devCluster)).not.toContain('0.0.0.0/0');
  });

  test('exposes cluster, network and registry attributes as Terraform references, and the same outputs', () => {
    const { stack, json, env } = prodSynth;
    for (const value of [stack.cluster.clusterName, stack.cluster.endpoint, stack.cluster.oidcIssuerUrl, stack.network.networkId]) {
      expect(value).toMatch(/\$\{TfToken\[TOKEN\.\d+\]\}/);
    }
    expect(stack.network.privateSubnetIds.length).toBeGreaterThan(0);
    expect(Object.keys(stack.registry.repositoryUrls)).toEqual(env.registry.repositories);
    expect(Object.keys(json.output!)).toEqual(expect.arrayContaining(COMMON_OUTPUTS));
  });

  test('a later stack reads the cluster endpoint through the remote state of the infra stack', () => {
    const remote = Object.values(prodSynth.consumer.data!.terraform_remote_state) as any[];
    expect(remote).toHaveLength(1);
    expect(remote[0].backend).toBe(reading.backend);
    expect(Object.keys(prodSynth.json.output!).some((name) => name.startsWith('cross-stack-output-'))).toBe(true);
  });
});
