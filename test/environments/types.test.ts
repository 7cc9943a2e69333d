import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { IdpkitError } from '../../constructs/core/errors';
import {
  azureDev,
  chooseEnvironmentSet,
  gcpDev,
  defaultEnvironments,
  dev,
  environmentSets,
  exampleEnvironments,
  loadEnvironmentFile,
  prod,
  selectEnvironments,
  staging,
  validateEnvironment,
  validateEnvironments,
} from '../../environments';
import { synthesizePlatform } from '../../stacks/app';
import { clone, devConfig, prodConfig } from '../helpers';

const tempDir = () => mkdtempSync(join(tmpdir(), 'idpkit-env-'));

/** Runs a synthesis that must fail and returns the error; asserts nothing was written. */
function failedSynthesis(environments: unknown[]): IdpkitError {
  const outdir = join(tempDir(), 'out');
  let caught: unknown;
  try {
    synthesizePlatform({ environments, outdir });
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(IdpkitError);
  expect(existsSync(outdir) ? readdirSync(outdir) : []).toEqual([]);
  return caught as IdpkitError;
}

describe('the default environments', () => {
  test('are valid together and target AWS with distinct, non-overlapping CIDRs', () => {
    const environments = validateEnvironments(defaultEnvironments);
    expect(environments.map((env) => [env.name, env.cloud, env.tier])).toEqual([
      ['dev', 'aws', 'dev'],
      ['staging', 'aws', 'staging'],
      ['prod', 'aws', 'prod'],
    ]);
    expect(new Set(environments.map((env) => env.network.cidr)).size).toBe(3);
  });

  test('validating keeps every field the environment sets and fills in its preset (tier defaults are applied by the stacks)', () => {
    const validated = validateEnvironment(dev);
    expect(validated).toMatchObject(dev);
    expect(validated.databases).toEqual([{ name: 'platform', size: 'small', storageGiB: 64 }]);
    expect(validated.platform?.addons?.tekton).toEqual({ enabled: true });
  });
});

describe('an invalid environment fails before anything is written, naming environment, field, value and what is allowed', () => {
  const cases: [string, unknown[], string[]][] = [
    [
      'throws when a CIDR is malformed',
      [devConfig((c) => (c.network.cidr = '10.0.0.0/33'))],
      ['environment "dev"', 'network.cidr', '"10.0.0.0/33"', 'expected e.g. 10.0.0.0/16'],
    ],
    [
      'throws when a CIDR has host bits set',
      [devConfig((c) => (c.network.cidr = '10.10.0.1/16'))],
      ['network.cidr', '"10.10.0.1/16"', 'no host bits set'],
    ],
    ['throws when a VPC CIDR is too small for EKS', [devConfig((c) => (c.network.cidr = '10.10.0.0/24'))], ['network.cidr', '/16 to /20']],
    [
      'throws when CIDRs overlap across environments sharing an account',
      [dev, { ...clone(staging), network: { cidr: '10.10.128.0/17' } }],
      ['environment "staging"', 'network.cidr', '"10.10.128.0/17"', 'overlaps 10.10.0.0/16 of environment "dev"', 'AWS account 111111111111'],
    ],
    [
      'throws when the region is unknown',
      [devConfig((c) => (c.aws.region = 'eu-middle-9'))],
      ['aws.region', '"eu-middle-9"', 'allowed: af-south-1', 'us-west-2'],
    ],
    ['throws when the size is unknown', [devConfig((c) => (c.size = 'huge'))], ['environment "dev"', 'size', '"huge"', 'allowed: small, medium, large']],
    ['throws when the cluster name is not DNS-1123', [devConfig((c) => (c.cluster.name = 'IDP_Dev'))], ['cluster.name', '"IDP_Dev"', 'DNS-1123']],
    [
      'throws when a registry repository name is not DNS-1123',
      [devConfig((c) => (c.registry.repositories = ['platform/Backstage']))],
      ['registry.repositories[0]', '"platform/Backstage"', 'DNS-1123'],
    ],
    [
      'throws when a node group has min > max',
      [devConfig((c) => Object.assign(c.cluster.nodeGroups[0], { minSize: 5, maxSize: 3 }))],
      ['cluster.nodeGroups[0].minSize', ' 5 ', 'minSize must be <= maxSize'],
    ],
    [
      'throws when the desired size is outside min..max',
      [devConfig((c) => (c.cluster.nodeGroups[0].desiredSize = 9))],
      ['cluster.nodeGroups[0].desiredSize', ' 9 ', 'outside minSize..maxSize (1..3)'],
    ],
    [
      'throws when the Kubernetes version is unsupported',
      [devConfig((c) => (c.cluster.kubernetesVersion = '1.29'))],
      ['cluster.kubernetesVersion', '"1.29"', 'allowed: 1.34, 1.35'],
    ],
    [
      'throws when two environments have the same name',
      [dev, devConfig((c) => Object.assign(c, { network: { cidr: '10.99.0.0/16' }, cluster: { ...c.cluster, name: 'other' } }))],
      ['environment "dev"', 'name "dev"', 'environment names must be unique'],
    ],
    [
      'throws when a prod API endpoint is open to the internet',
      [prodConfig((c) => (c.cluster.publicEndpointCidrs = ['0.0.0.0/0']))],
      ['environment "prod"', 'cluster.publicEndpointCidrs[0]', '"0.0.0.0/0"', 'prod tier forbids'],
    ],
    [
      'throws when prod spans only two availability zones',
      [prodConfig((c) => (c.network.availabilityZoneCount = 2))],
      ['network.availabilityZoneCount', ' 2 ', "prod tier's minimum of 3"],
    ],
    ['throws when a field has the wrong type', [devConfig((c) => (c.registry.repositories = 'apps/web'))], ['registry.repositories', 'is a string (expected array)']],
    ['throws when a field is misspelt', [devConfig((c) => (c.network.natGateway = 'single'))], ['network', 'unknown field(s) natGateway']],
    [
      'throws when a required field is missing',
      [devConfig((c) => delete c.cluster.adminPrincipal)],
      ['cluster.adminPrincipal', '(missing)', 'is required (expected string)'],
    ],
    [
      'throws when a node group mixes CPU architectures',
      [devConfig((c) => (c.cluster.nodeGroups[0].instanceTypes = ['m7g.large', 'm6i.large']))],
      ['cluster.nodeGroups[0].instanceTypes', 'mixes arm64 (Graviton) and x86_64'],
    ],
    [
      'throws when two environments share a cluster name in one account and region',
      [dev, { ...clone(staging), cluster: { ...clone(staging).cluster, name: 'idp-dev' } }],
      ['environment "staging"', 'cluster.name "idp-dev"', 'used by environment "dev"'],
    ],
    [
      // IAM role names (<cluster>-node, <cluster>-<workload>) are unique per account, not per region.
      'throws when two AWS environments share a cluster name in one account, in different regions',
      [dev, { ...clone(staging), aws: { accountId: '111111111111', region: 'eu-central-1' }, state: { ...staging.state, region: 'eu-west-1' }, cluster: { ...clone(staging).cluster, name: 'idp-dev' } }],
      ['environment "staging"', 'cluster.name "idp-dev"', 'used by environment "dev" in AWS account 111111111111 (', 'IAM role names are unique per account'],
    ],
    [
      // Service account ids (<cluster>-nodes, <cluster>-<workload>) are unique per project, not per region.
      'throws when two GCP environments share a cluster name in one project, in different regions',
      [
        gcpDev,
        {
          ...clone(gcpDev),
          name: 'gcp-dev-nl',
          gcp: { ...gcpDev.gcp, region: 'europe-west4' },
          state: { backend: 'gcs', bucket: 'acme-idp-dev-nl-tfstate' },
          network: { ...gcpDev.network, cidr: '10.51.0.0/16' },
        },
      ],
      ['environment "gcp-dev-nl"', 'cluster.name "idp-dev"', 'used by environment "gcp-dev" in GCP project acme-idp-dev (', 'service account ids are unique per project'],
    ],
    [
      'throws when two environments in one account and region name one Karpenter interruption queue',
      [
        devConfig((c) => (c.platform.addons.karpenter = { enabled: true, interruptionQueue: 'idp-karpenter' })),
        { ...clone(staging), platform: { addons: { ...clone(staging).platform.addons, karpenter: { enabled: true, interruptionQueue: 'idp-karpenter' } } } },
      ],
      ['environment "staging"', 'platform.addons.karpenter.interruptionQueue "idp-karpenter"', 'used by environment "dev" in AWS account 111111111111, eu-west-1', 'SQS queue'],
    ],
    [
      // Each bootstrap stack creates its storage account's resource group: two would create one.
      'throws when two Azure state storage accounts of one subscription name one resource group',
      [azureDev, { ...clone(azureDev), name: 'azure-qa', network: { cidr: '10.41.0.0/16', availabilityZoneCount: 2 }, cluster: { ...clone(azureDev).cluster, name: 'idp-azure-qa' }, state: { ...azureDev.state, storageAccountName: 'idpkitstate000009' } }],
      ['environment "azure-qa"', 'state.resourceGroupName "rg-idpkit-state" is also the resource group of state storage account "idpkitstate000001" (environment "azure-dev")', 'give each its own name'],
    ],
    [
      'throws when an Azure environment puts its state in its own resource group, which its infra stack creates too',
      [{ ...clone(azureDev), state: { ...azureDev.state, resourceGroupName: 'rg-azure-dev-idpkit' } }],
      ['environment "azure-dev"', 'state.resourceGroupName "rg-azure-dev-idpkit" is also the environment\'s resource group'],
    ],
    [
      'throws when two environments name one state storage account with two resource groups',
      [azureDev, { ...clone(azureDev), name: 'azure-qa', network: { cidr: '10.41.0.0/16', availabilityZoneCount: 2 }, cluster: { ...clone(azureDev).cluster, name: 'idp-azure-qa' }, state: { ...azureDev.state, resourceGroupName: 'rg-state-qa' } }],
      ['environment "azure-qa"', 'state.resourceGroupName "rg-state-qa" differs from "rg-idpkit-state" of environment "azure-dev"', 'one storage account lives in one resource group'],
    ],
    [
      'throws when one state bucket is named from two accounts',
      [dev, prodConfig((c) => (c.state.bucket = dev.state.bucket))],
      ['environment "prod"', `state "${dev.state.bucket}"`, 'another account or region'],
    ],
    [
      'throws when a node group gives both a size and instance types',
      [devConfig((c) => (c.cluster.nodeGroups[0].size = 'medium'))],
      ['cluster.nodeGroups[0].size', '"medium"', 'needs size (allowed: small, medium, large, xlarge) or instanceTypes, but not both'],
    ],
    [
      'throws when a node group gives neither a size nor instance types',
      [devConfig((c) => delete c.cluster.nodeGroups[0].instanceTypes)],
      ['cluster.nodeGroups[0].size', '(missing)', 'or instanceTypes'],
    ],
    ['throws when the cloud is unknown', [devConfig((c) => (c.cloud = 'oci'))], ['environment "dev"', 'cloud "oci"', 'allowed: aws, azure, gcp']],
    [
      'throws when a CI permission is not what the cloud takes (AWS: managed policy ARNs)',
      [devConfig((c) => (c.ci.permissions = { apply: ['AdministratorAccess'] }))],
      ['ci.permissions.apply[0] "AdministratorAccess"', 'is not a managed policy ARN'],
    ],
    [
      'throws when ci.permissions.boundary is not a boolean (false drops the bound, on every cloud)',
      [devConfig((c) => (c.ci.permissions = { boundary: 'off' }))],
      ['ci.permissions.boundary'],
    ],
    [
      'throws when an Azure environment says a GitHub OIDC provider exists (Azure has none per account)',
      [
        devConfig((c) => {
          delete c.aws;
          Object.assign(c, {
            cloud: 'azure',
            azure: { subscriptionId: '00000000-0000-0000-0000-000000000001', tenantId: '00000000-0000-0000-0000-000000000002', location: 'westeurope' },
            state: { backend: 'azurerm', resourceGroupName: 'rg-state', storageAccountName: 'idpkitstate000009' },
          });
          c.cluster.nodeGroups = [{ name: 'general', size: 'medium', minSize: 1, maxSize: 3 }];
          c.cluster.adminPrincipal = '00000000-0000-0000-0000-000000000003';
          c.ci.github.oidcProviderExists = true;
        }),
      ],
      ['ci.github.oidcProviderExists', 'does not apply to Azure'],
    ],
    [
      'throws when an AWS environment uses another cloud\'s state backend',
      [devConfig((c) => (c.state = { backend: 'gcs', bucket: 'b' }))],
      ['state.backend', 'allowed: s3, or local'],
    ],
    [
      'throws when an Azure environment misses its subscription and names an unknown location',
      [
        devConfig((c) => {
          delete c.aws;
          Object.assign(c, { cloud: 'azure', azure: { tenantId: '00000000-0000-0000-0000-000000000001', location: 'moon-1' } });
        }),
      ],
      ['azure.subscriptionId', 'is required', 'azure.location "moon-1"', 'allowed: australiacentral'],
    ],
    [
      'throws when a GCP cluster admin is not an IAM member',
      [
        devConfig((c) => {
          delete c.aws;
          Object.assign(c, { cloud: 'gcp', gcp: { projectId: 'acme-idp-dev', region: 'europe-west1', billingAccountId: '000000-000000-000000' }, state: { backend: 'gcs', bucket: 'acme-state' } });
          c.cluster.adminPrincipal = 'platform-admins@example.com';
        }),
      ],
      ['cluster.adminPrincipal "platform-admins@example.com"', 'expected e.g. group:platform-admins@example.com'],
    ],
    [
      'throws when an AKS node pool name is not 1-12 lowercase letters and digits',
      [
        (() => {
          const config = clone(azureDev) as any;
          config.cluster.nodeGroups[0].name = 'general-purpose';
          return config;
        })(),
      ],
      ['environment "azure-dev"', 'cluster.nodeGroups[0].name "general-purpose"', 'is not an AKS node pool name'],
    ],
    [
      'throws when a GCP node pool lists several machine types',
      [
        devConfig((c) => {
          delete c.aws;
          Object.assign(c, { cloud: 'gcp', gcp: { projectId: 'acme-idp-dev', region: 'europe-west1', billingAccountId: '000000-000000-000000' }, state: { backend: 'gcs', bucket: 'acme-state' } });
          c.cluster.adminPrincipal = 'group:admins@example.com';
          c.cluster.nodeGroups[0].instanceTypes = ['e2-standard-4', 'n2-standard-4'];
        }),
      ],
      ['cluster.nodeGroups[0].instanceTypes', 'a gcp node pool takes exactly one'],
    ],
    [
      'throws when the log retention is not a CloudWatch period',
      [devConfig((c) => (c.cluster.logRetentionDays = 42))],
      ['cluster.logRetentionDays', ' 42 ', 'allowed: 1, 3, 5'],
    ],
  ];

  test.each(cases)('%s', (_name, environments, expected) => {
    const error = failedSynthesis(environments);
    expect(['IDPKIT_INVALID_ENVIRONMENT', 'IDPKIT_ENVIRONMENT_CONFLICT']).toContain(error.code);
    for (const part of expected) expect(error.message).toContain(part);
  });

  test('lists every problem at once, one line each', () => {
    const error = failedSynthesis([devConfig((c) => Object.assign(c, { size: 'huge', tier: 'qa' }))]);
    expect(error.problems).toHaveLength(2);
    expect(error.message).toMatch(/^2 problems:\n- .*tier "qa".*\n- .*size "huge"/s);
  });

  test('accepts the same CIDR in environments of different accounts', () => {
    expect(() => validateEnvironments([dev, prodConfig((c) => (c.network.cidr = dev.network.cidr))])).not.toThrow();
  });
});

describe('JSON and YAML environments', () => {
  test('a YAML file gets the same schema, and its path is named in messages', () => {
    const dir = tempDir();
    const good = join(dir, 'qa.yaml');
    writeFileSync(good, stringify({ ...clone(staging), name: 'qa' }));
    expect(loadEnvironmentFile(good).name).toBe('qa');

    const bad = join(dir, 'bad.yml');
    writeFileSync(bad, stringify({ ...clone(staging), name: 'qa', size: 'huge' }));
    expect(() => loadEnvironmentFile(bad)).toThrow(`environment "qa" (${bad}): size "huge" is not a size (allowed: small, medium, large)`);
  });

  test('a JSON file gets the same schema', () => {
    const file = join(tempDir(), 'prod.json');
    writeFileSync(file, JSON.stringify(prodConfig((c) => (c.cluster.kubernetesVersion = '1.20'))));
    expect(() => loadEnvironmentFile(file)).toThrow(/cluster\.kubernetesVersion "1\.20" is not a supported Kubernetes version/);
  });

  test('a "__proto__" key of a JSON or YAML file is an error, not an add-on enabled through the prototype', () => {
    const dir = tempDir();
    const withProto = JSON.stringify(clone(staging)).replace('"addons":{', '"addons":{"__proto__":{"falco":{"enabled":true}},');
    const json = join(dir, 'staging.json');
    writeFileSync(json, withProto);
    expect(() => loadEnvironmentFile(json)).toThrow(`environment "staging" (${json}): platform.addons has unknown field(s) __proto__`);
    const yaml = join(dir, 'staging.yaml');
    writeFileSync(yaml, stringify(JSON.parse(withProto)));
    expect(() => loadEnvironmentFile(yaml)).toThrow(`environment "staging" (${yaml}): platform.addons has unknown field(s) __proto__`);
  });

  test('a file nested past the bound is an error naming the file, not a stack overflow', () => {
    const file = join(tempDir(), 'deep.json');
    writeFileSync(file, JSON.stringify(clone(staging)).replace(/}$/, `,"tags":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`));
    expect(() => loadEnvironmentFile(file)).toThrow(new RegExp(`${file}.*(nests deeper than 64 levels|nests too deeply to read)`));
  });

  test('a file saved with a byte order mark (UTF-8, UTF-16 LE or BE) reads like one without', () => {
    const dir = tempDir();
    const text = JSON.stringify({ ...clone(staging), name: 'qa' });
    const encodings: [string, Buffer][] = [
      ['utf8-bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])],
      ['utf16le.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
      ['utf16be.json', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])],
    ];
    for (const [name, bytes] of encodings) {
      writeFileSync(join(dir, name), bytes);
      expect(loadEnvironmentFile(join(dir, name)).name).toBe('qa');
    }
  });

  test('throws when the file cannot be parsed', () => {
    const file = join(tempDir(), 'broken.yaml');
    writeFileSync(file, 'name: [unclosed');
    expect(() => loadEnvironmentFile(file)).toThrow(`${file}: cannot be read as an environment`);
  });
});

describe('selecting environments (IDPKIT_ENVIRONMENTS)', () => {
  test('an empty or missing selection keeps every environment', () => {
    expect(selectEnvironments(defaultEnvironments, undefined).map((e) => e.name)).toEqual(['dev', 'staging', 'prod']);
    expect(selectEnvironments(defaultEnvironments, ' ').map((e) => e.name)).toEqual(['dev', 'staging', 'prod']);
  });

  test('a comma-separated list keeps those, in order', () => {
    expect(selectEnvironments(defaultEnvironments, 'prod, dev').map((e) => e.name)).toEqual(['prod', 'dev']);
  });

  test('throws when a selected environment does not exist, listing those that do', () => {
    expect(() => selectEnvironments([dev, prod], 'dev,qa')).toThrow('no environment named "qa" (allowed: dev, prod)');
  });

  test('an entry that is null (`export const dev = null`) is left to validation, which names it', () => {
    expect(selectEnvironments([null, prod] as never[], 'prod')).toEqual([prod]);
    expect(() => validateEnvironments([null, prod])).toThrow('environment (unnamed) (entry 1 of 2 in the set): is null, not an environment');
  });
});

describe('environment sets (IDPKIT_ENVIRONMENT_SET)', () => {
  test('default when unset; examples and all by name', () => {
    expect(chooseEnvironmentSet(environmentSets, undefined)).toBe(defaultEnvironments);
    expect(chooseEnvironmentSet(environmentSets, 'examples')).toBe(exampleEnvironments);
    expect(chooseEnvironmentSet(environmentSets, 'all')).toHaveLength(defaultEnvironments.length + exampleEnvironments.length);
  });

  test('the example environments cover Azure and GCP and are valid together with the defaults', () => {
    const all = validateEnvironments(environmentSets.all);
    expect(new Set(all.map((env) => env.cloud))).toEqual(new Set(['aws', 'azure', 'gcp']));
  });

  test('presets: every size on every cloud in every tier, valid together (what CI synthesizes and validates)', () => {
    const presets = validateEnvironments(environmentSets.presets);
    expect(presets.map((env) => env.name)).toHaveLength(27);
    expect(new Set(presets.map((env) => `${env.size}/${env.cloud}/${env.tier}`)).size).toBe(27);
  });

  test('throws when the set is unknown, listing the known ones', () => {
    expect(() => chooseEnvironmentSet(environmentSets, 'qa')).toThrow('no environment set named "qa" (allowed: default, examples, all, presets)');
  });

  test.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('%s, a name of Object.prototype, is an unknown set, not a crash', (name) => {
    expect(() => chooseEnvironmentSet(environmentSets, name)).toThrow(`no environment set named "${name}" (allowed: default, examples, all, presets)`);
  });
});

