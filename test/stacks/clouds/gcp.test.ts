import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from '../../../constructs/core/cdktf';
import { dev, prod } from '../../../environments';
import { gcpDev, gcpProd } from '../../../environments/examples/gcp';
import { EnvironmentOn, validateEnvironments } from '../../../environments/types';
import { addPlatformStacks, ciProviderCreators } from '../../../stacks/app';
import { InfraStack } from '../../../stacks/infra-stack';
import { ADDONS, ADDON_WEBHOOK_PORTS, addonWebhookPorts, enabledAddons } from '../../../stacks/platform/catalog';
import { StateBootstrapStack } from '../../../stacks/state-bootstrap-stack';
import { addressOf, at, ref, resourcesBeforeTheirApi } from '../../gcp-helpers';
import { onlyResource, resources, synthJson } from '../../helpers';

type GcpEnv = EnvironmentOn<'gcp'>;
const [devEnv, prodEnv] = validateEnvironments([gcpDev, gcpProd]) as GcpEnv[];
const newApp = () => new App({ outdir: mkdtempSync(join(tmpdir(), 'idpkit-gcp-')) });
const synthInfra = (environment: GcpEnv) => synthJson(new InfraStack(newApp(), { environment }));
const devJson = synthInfra(devEnv);
const prodJson = synthInfra(prodEnv);

describe('gcp example environments', () => {
  test('validate against the schema, together and next to the default AWS environments', () => {
    expect(devEnv).toMatchObject({ name: 'gcp-dev', cloud: 'gcp', tier: 'dev' });
    expect(prodEnv).toMatchObject({ name: 'gcp-prod', cloud: 'gcp', tier: 'prod' });
    expect(() => validateEnvironments([dev, prod, gcpDev, gcpProd])).not.toThrow();
  });

  test('synthesize as <env>-infra and one bootstrap stack per state bucket', () => {
    const stacks = addPlatformStacks(newApp(), [devEnv, prodEnv]);
    expect(Object.values(stacks.infra).map((stack) => stack.node.id)).toEqual(['gcp-dev-infra', 'gcp-prod-infra']);
    expect(Object.values(stacks.stateBootstrap).map((stack) => stack.node.id)).toEqual(['bootstrap-acme-idp-dev-tfstate', 'bootstrap-acme-idp-prod-tfstate']);
  });
});

describe('InfraStack on GCP', () => {
  test("uses the environment's project, region and sanitized labels, and its own GCS state prefix", () => {
    expect(prodJson.provider!.google[0]).toEqual({
      project: 'acme-idp-prod',
      region: 'europe-west1',
      default_labels: { environment: 'gcp-prod', owner: 'platform-team', 'cost-center': 'platform', 'managed-by': 'idpkit', 'data-classification': 'confidential' },
    });
    expect(prodJson.terraform.backend.gcs).toEqual({
      bucket: 'acme-idp-prod-tfstate',
      prefix: 'idpkit/gcp-prod-infra',
      kms_encryption_key: 'projects/acme-idp-prod/locations/europe-west1/keyRings/acme-idp-prod-tfstate/cryptoKeys/terraform-state',
    });
    expect(devJson.terraform.backend.gcs.prefix).toBe('idpkit/gcp-dev-infra');
  });

  test('prod: regional cluster, private endpoint only, deletion protection, registry kept, 30-day key destruction', () => {
    const cluster = onlyResource(prodJson, 'google_container_cluster');
    expect(cluster).toMatchObject({ location: 'europe-west1', deletion_protection: true });
    expect(cluster.node_locations).toBeUndefined();
    expect(cluster.private_cluster_config).toEqual({ enable_private_nodes: true, enable_private_endpoint: true });
    expect(cluster.master_authorized_networks_config.cidr_blocks).toEqual([]);
    expect(onlyResource(prodJson, 'google_artifact_registry_repository').lifecycle).toEqual({ prevent_destroy: true });
    expect(resources(prodJson, 'google_kms_crypto_key').every((k) => k.destroy_scheduled_duration === '2592000s')).toBe(true);
  });

  test('prod: every stateful resource refuses terraform destroy (prevent_destroy); dev none', () => {
    const stateful = ['google_container_cluster', 'google_kms_key_ring', 'google_kms_crypto_key', 'google_sql_database_instance', 'google_sql_database', 'google_secret_manager_secret', 'google_storage_bucket'];
    for (const type of stateful) {
      expect(resources(prodJson, type).length).toBeGreaterThan(0);
      expect(resources(prodJson, type).map((resource) => [type, resource.lifecycle?.prevent_destroy])).toEqual(resources(prodJson, type).map(() => [type, true]));
      expect(resources(devJson, type).some((resource) => resource.lifecycle?.prevent_destroy)).toBe(false);
    }
  });

  test('every key rotates every 90 days (IDP-GCP-005)', () => {
    expect(new Set([...resources(prodJson, 'google_kms_crypto_key'), ...resources(devJson, 'google_kms_crypto_key')].map((k) => k.rotation_period))).toEqual(new Set(['7776000s']));
  });

  test('dev: zonal cluster over two zones, endpoint open to the listed CIDRs only, no deletion protection, 7-day key destruction', () => {
    const cluster = onlyResource(devJson, 'google_container_cluster');
    expect(cluster).toMatchObject({ location: 'europe-west1-b', node_locations: ['europe-west1-c'], deletion_protection: false });
    expect(cluster.private_cluster_config).toEqual({ enable_private_nodes: true, enable_private_endpoint: false });
    expect(cluster.master_authorized_networks_config.cidr_blocks).toEqual([{ cidr_block: '203.0.113.0/24', display_name: 'public-endpoint-0' }]);
    expect(onlyResource(devJson, 'google_artifact_registry_repository').lifecycle).toBeUndefined();
    expect(resources(devJson, 'google_kms_crypto_key').every((k) => k.destroy_scheduled_duration === '604800s')).toBe(true);
  });

  test('one key ring per environment holds the GKE secrets key and the registry key', () => {
    const ring = addressOf(prodJson, 'google_kms_key_ring');
    expect(at(prodJson, ring)).toMatchObject({ name: 'idpkit-gcp-prod', location: 'europe-west1' });
    const keys = Object.fromEntries(resources(prodJson, 'google_kms_crypto_key').map((k) => [k.name, k.key_ring]));
    // With Vault, Loki, Tempo and a database, their keys join the same ring.
    expect(keys).toEqual({
      'postgres-platform': ref(ring, 'id'),
      secrets: ref(ring, 'id'),
      'gke-secrets': ref(ring, 'id'),
      'artifact-registry': ref(ring, 'id'),
      'vault-unseal': ref(ring, 'id'),
      'bucket-loki-chunks': ref(ring, 'id'),
      'bucket-loki-ruler': ref(ring, 'id'),
      'bucket-tempo-traces': ref(ring, 'id'),
    });
    const secretsKey = addressOf(prodJson, 'google_kms_crypto_key', (k) => k.name === 'gke-secrets');
    const registryKey = addressOf(prodJson, 'google_kms_crypto_key', (k) => k.name === 'artifact-registry');
    expect(onlyResource(prodJson, 'google_container_cluster').database_encryption.key_name).toBe(ref(secretsKey, 'id'));
    expect(onlyResource(prodJson, 'google_artifact_registry_repository').kms_key_name).toBe(ref(registryKey, 'id'));
    // Add-on keys (Vault, Loki, Tempo buckets) have grants of their own: test/stacks/platform/stateful.test.ts.
    const clusterKeys = [ref(registryKey, 'id'), ref(secretsKey, 'id')];
    const grants = resources(prodJson, 'google_kms_crypto_key_iam_member')
      .filter((g) => clusterKeys.includes(g.crypto_key_id))
      .map((g) => [g.crypto_key_id, g.member.replace(/^.*@/, '')]);
    const registryAgent = addressOf(prodJson, 'google_project_service_identity', (i) => i.service === 'artifactregistry.googleapis.com');
    expect(grants.sort()).toEqual(
      [
        [ref(registryKey, 'id'), ref(registryAgent, 'member')],
        [ref(secretsKey, 'id'), 'container-engine-robot.iam.gserviceaccount.com'],
      ].sort(),
    );
  });

  test('the cluster network comes from the environment CIDR and the node pools pull from the registry', () => {
    const subnet = onlyResource(prodJson, 'google_compute_subnetwork');
    expect(subnet.ip_cidr_range).toBe('10.51.128.0/20');
    expect(onlyResource(devJson, 'google_compute_subnetwork').ip_cidr_range).toBe('10.50.128.0/20');
    const nodeSa = addressOf(prodJson, 'google_service_account', (sa) => sa.account_id === 'idp-prod-nodes');
    expect(onlyResource(prodJson, 'google_artifact_registry_repository_iam_member')).toMatchObject({
      role: 'roles/artifactregistry.reader',
      member: ref(nodeSa, 'member'),
    });
    for (const pool of resources(prodJson, 'google_container_node_pool')) expect(pool.node_config.service_account).toBe(ref(nodeSa, 'email'));
  });

  test('node pools come from the environment: abstract sizes map to machine types, spot pools run on spot VMs', () => {
    const pools = Object.fromEntries(resources(prodJson, 'google_container_node_pool').map((p) => [p.name, p]));
    expect(pools.general.node_config).toMatchObject({ machine_type: 'e2-standard-4', spot: false, disk_size_gb: 100 });
    expect(pools.general.autoscaling).toMatchObject({ total_min_node_count: 3, total_max_node_count: 12 });
    expect(pools['batch-spot'].node_config).toMatchObject({ machine_type: 'e2-standard-8', spot: true, labels: { workload: 'batch' } });
    expect(onlyResource(devJson, 'google_container_node_pool').node_config.machine_type).toBe('e2-standard-2');
  });

  test("the environment's secrets get a customer key of the ring that Secret Manager's service agent may use", () => {
    const secretsKey = addressOf(prodJson, 'google_kms_crypto_key', (k) => k.name === 'secrets');
    const grant = resources(prodJson, 'google_kms_crypto_key_iam_member').find((m) => m.crypto_key_id === ref(secretsKey, 'id'));
    expect(grant).toMatchObject({ role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter' });
    expect(grant.member).toBe(ref(addressOf(prodJson, 'google_project_service_identity', (i) => i.service === 'secretmanager.googleapis.com'), 'member'));
    expect(prodJson.output!.secrets_key_id.value).toBe(ref(secretsKey, 'id'));
  });

  test('enables every API it uses and never disables them', () => {
    const services = resources(prodJson, 'google_project_service');
    expect(services.map((s) => s.service).sort()).toEqual(
      [
        'artifactregistry',
        'billingbudgets', // the environment's budget
        'cloudkms',
        'cloudresourcemanager',
        'compute',
        'container',
        'containerscanning',
        'iam',
        'logging',
        'monitoring',
        'secretmanager', // the database's connection details
        'servicenetworking', // private services access of Cloud SQL
        'serviceusage',
        'sqladmin', // the managed PostgreSQL database
        'storage', // the Loki and Tempo buckets
      ].map((api) => `${api}.googleapis.com`),
    );
    expect(services.every((s) => s.disable_on_destroy === false)).toBe(true);
  });

  test('terraformOverrides reach the cluster resource as given', () => {
    const json = synthInfra({ ...devEnv, cluster: { ...devEnv.cluster, terraformOverrides: { 'release_channel.channel': 'STABLE' } } });
    expect(onlyResource(json, 'google_container_cluster').release_channel).toEqual({ channel: 'STABLE' });
  });

  test('outputs what later stacks and people need', () => {
    expect(Object.keys(prodJson.output!).sort()).toEqual([
      'cluster_certificate_authority_data',
      'cluster_endpoint',
      'cluster_location',
      'cluster_name',
      'cluster_oidc_issuer_url',
      'network_id',
      'network_self_link',
      'node_service_account_email',
      'pods_range_name',
      'private_subnet_ids',
      'registry_repository_id',
      'registry_urls',
      'secrets_key_id',
      'services_range_name',
      'subnet_self_link',
      'workload_identity_pool',
    ]);
    expect(prodJson.output!.pods_range_name.value).toBe('gcp-prod-pods');
    expect(prodJson.output!.registry_urls.value['platform/backstage']).toMatch(/^europe-west1-docker\.pkg\.dev\/.+\/gcp-prod\/platform\/backstage$/);
  });
});

describe('StateBootstrapStack on GCP', () => {
  const json = synthJson(new StateBootstrapStack(newApp(), { environments: [prodEnv] }));

  test('keeps local state and builds the state bucket with its key in the environment project', () => {
    expect(json.terraform.backend).toEqual({ local: { path: 'bootstrap-acme-idp-prod-tfstate.tfstate' } });
    expect(json.provider!.google[0]).toMatchObject({ project: 'acme-idp-prod', region: 'europe-west1' });
    expect(onlyResource(json, 'google_storage_bucket')).toMatchObject({ name: 'acme-idp-prod-tfstate', location: 'europe-west1', public_access_prevention: 'enforced' });
    expect(onlyResource(json, 'google_kms_key_ring').name).toBe('acme-idp-prod-tfstate');
    expect(Object.keys(json.output!).sort()).toEqual([
      'ci_gcp_prod_apply_service_account', // the GitHub Actions identities of ci.github, for the workflows
      'ci_gcp_prod_plan_service_account',
      'ci_gcp_prod_workload_identity_provider',
      'state_bucket_url',
      'state_key_id',
    ]);
  });

  test('the key the bucket uses is the one the environment stacks name in their backend', () => {
    const key = addressOf(json, 'google_kms_crypto_key');
    expect(at(json, key).name).toBe(prodJson.terraform.backend.gcs.kms_encryption_key.split('/').pop());
    expect(onlyResource(json, 'google_storage_bucket').encryption.default_kms_key_name).toBe(ref(key, 'id'));
  });

  test('labels a bucket shared by several environments with all their names', () => {
    const shared = { ...devEnv, name: 'gcp-qa', network: { ...devEnv.network, cidr: '10.52.0.0/16' } };
    const both = synthJson(new StateBootstrapStack(newApp(), { environments: [devEnv, shared] }));
    expect(both.provider!.google[0].default_labels.environment).toBe('gcp-dev-gcp-qa');
  });
});

describe('CI identities on GCP', () => {
  const json = synthJson(new StateBootstrapStack(newApp(), { environments: [prodEnv] }));
  const accessorConditions = (bootstrap: typeof json) =>
    resources(bootstrap, 'google_project_iam_member')
      .filter((b) => b.role === 'roles/secretmanager.secretAccessor')
      .map((b) => b.condition.expression);

  test('both service accounts read the values of the environment\'s own secrets (gcp-prod-*) only', () => {
    const conditions = accessorConditions(json);
    expect(conditions).toHaveLength(2);
    for (const condition of conditions) expect(condition).toMatch(/^resource\.name\.startsWith\("projects\/\$\{data\.google_project\..+\.number\}\/secrets\/gcp-prod-"\)$/);
  });

  test('the plan service account reads Kubernetes Secrets through a custom role (Helm plans)', () => {
    expect(resources(json, 'google_project_iam_custom_role').find((role) => role.role_id === 'idpkit_gcp_prod_k8s_secrets').permissions).toEqual(['container.secrets.get', 'container.secrets.list']);
  });

  test('creates the project\'s pool, or names the existing one from the project number when another stack made it', () => {
    expect(resources(json, 'google_iam_workload_identity_pool')).toHaveLength(1);
    const second = synthJson(new StateBootstrapStack(newApp(), { environments: [prodEnv], ciProviderExists: true }));
    expect(second.resource.google_iam_workload_identity_pool).toBeUndefined();
    expect(second.output!.ci_gcp_prod_workload_identity_provider.value).toMatch(
      /^projects\/\$\{data\.google_project\..+\.number\}\/locations\/global\/workloadIdentityPools\/idpkit-github\/providers\/github-actions$/,
    );
  });

  test('two state buckets in one project: the first bootstrap stack creates the pool, the second references it', () => {
    const qa = { ...gcpDev, name: 'gcp-qa', cluster: { ...gcpDev.cluster, name: 'gcp-qa' }, network: { ...gcpDev.network, cidr: '10.52.0.0/16' }, state: { backend: 'gcs', bucket: 'acme-idp-qa-tfstate' } };
    const envs = validateEnvironments([gcpDev, qa]);
    expect([...ciProviderCreators(envs)]).toEqual(['acme-idp-dev-tfstate']);
    const stacks = addPlatformStacks(newApp(), envs);
    expect(resources(synthJson(stacks.stateBootstrap['acme-idp-dev-tfstate']), 'google_iam_workload_identity_pool')).toHaveLength(1);
    expect(resources(synthJson(stacks.stateBootstrap['acme-idp-qa-tfstate']), 'google_iam_workload_identity_pool')).toEqual([]);
  });

  test('throws when environments of one project deploy from different repositories (one pool trusts one)', () => {
    const qa = { ...gcpDev, name: 'gcp-qa', cluster: { ...gcpDev.cluster, name: 'gcp-qa' }, network: { ...gcpDev.network, cidr: '10.52.0.0/16' }, state: { backend: 'gcs', bucket: 'acme-idp-qa-tfstate' }, ci: { github: { owner: 'acme', repo: 'other' } } };
    expect(() => validateEnvironments([gcpDev, qa])).toThrow(/ci.github "acme\/other" differs from acme\/platform of environment "gcp-dev" in GCP project acme-idp-dev/);
  });

  test('ci.permissions replace the service accounts\' project roles', () => {
    const [custom] = validateEnvironments([{ ...gcpProd, ci: { ...gcpProd.ci, permissions: { plan: ['roles/viewer'], apply: ['roles/owner'] } } }]) as GcpEnv[];
    const bootstrap = synthJson(new StateBootstrapStack(newApp(), { environments: [custom] }));
    const unconditioned = resources(bootstrap, 'google_project_iam_member').filter((b) => !b.condition && b.role.startsWith('roles/'));
    expect(unconditioned.map((b) => b.role).sort()).toEqual(['roles/owner', 'roles/viewer']);
  });
});

describe('the first apply on a fresh project (issue 19)', () => {
  const bootstraps = [devEnv, prodEnv].map((environment) => synthJson(new StateBootstrapStack(newApp(), { environments: [environment] })));

  test('every resource waits for the API it calls (a reference or depends_on reaching its google_project_service)', () => {
    for (const json of [devJson, prodJson, ...bootstraps]) expect(resourcesBeforeTheirApi(json)).toEqual([]);
  });

  test("Workload Identity bindings name the cluster's pool by reference, so they wait for the cluster that creates it", () => {
    const cluster = addressOf(prodJson, 'google_container_cluster');
    const bindings = resources(prodJson, 'google_service_account_iam_member').filter((m) => m.role === 'roles/iam.workloadIdentityUser');
    expect(bindings.length).toBeGreaterThan(0);
    for (const binding of bindings) expect(binding.member.startsWith(`serviceAccount:${ref(cluster, 'workload_identity_config[0].workload_pool')}[`)).toBe(true);
    expect(prodJson.output!.workload_identity_pool.value).toBe(ref(cluster, 'workload_identity_config[0].workload_pool'));
  });

  test('the state bucket\'s bindings name the bucket by reference', () => {
    for (const json of bootstraps) {
      const bucket = addressOf(json, 'google_storage_bucket');
      const bindings = resources(json, 'google_storage_bucket_iam_member');
      expect(bindings).toHaveLength(4);
      for (const binding of bindings) expect(binding.bucket).toBe(ref(bucket, 'name'));
      for (const binding of bindings.filter((b) => b.condition)) expect(binding.condition.expression).toContain(`projects/_/buckets/${ref(bucket, 'name')}/objects/`);
    }
  });

  test('every key grant to a Google service agent names the agent by reference or waits for the API that creates it', () => {
    for (const json of [devJson, prodJson, ...bootstraps]) {
      for (const [name, grant] of Object.entries(json.resource.google_kms_crypto_key_iam_member)) {
        if (!/gserviceaccount\.com|service_identity|service_account\./.test(grant.member) || /google_service_account\./.test(grant.member)) continue;
        const byReference = /^\$\{(data\.google_storage_project_service_account|google_project_service_identity)\./.test(grant.member);
        const afterApi = (grant.depends_on ?? []).some((d: string) => d.startsWith('google_project_service.'));
        expect([name, byReference || afterApi]).toEqual([name, true]);
      }
    }
  });

  test("the private cluster's firewall lets the control plane reach exactly the webhook ports of the enabled add-ons", () => {
    const ports = (json: typeof prodJson) => onlyResource(json, 'google_compute_firewall').allow[0].ports;
    // prod: Vault injector 8080, Tekton 8443, Kyverno, CloudNativePG and Crossplane 9443, cert-manager, ESO and the Prometheus operator 10250, istiod 15017.
    expect(ports(prodJson)).toEqual(['8080', '8443', '9443', '10250', '15017']);
    expect(ports(prodJson)).toEqual(addonWebhookPorts(enabledAddons(prodEnv).map(({ addon }) => addon.key)).map(String));
    expect(ports(devJson)).toEqual(['8443', '9443', '10250']); // Gatekeeper; CloudNativePG (Backstage's database); cert-manager, ESO, the Prometheus operator
    const cluster = addressOf(prodJson, 'google_container_cluster');
    expect(onlyResource(prodJson, 'google_compute_firewall').source_ranges[0]).toContain(`${cluster}.private_cluster_config[0].master_ipv4_cidr_block`);
    expect(Object.keys(ADDON_WEBHOOK_PORTS).filter((key) => !ADDONS.some((addon) => addon.key === key))).toEqual([]);
  });

  test('the spot pool is tainted; the general pool is not', () => {
    const pools = Object.fromEntries(resources(prodJson, 'google_container_node_pool').map((pool) => [pool.name, pool.node_config.taint]));
    expect(pools).toEqual({ general: undefined, 'batch-spot': [{ key: 'cloud.google.com/gke-spot', value: 'true', effect: 'NO_SCHEDULE' }] });
  });

  test('the budget covers the one project, so the apply account\'s project roles may create it (no billing-account role to grant)', () => {
    const budget = onlyResource(prodJson, 'google_billing_budget');
    expect(budget.budget_filter.projects).toEqual([expect.stringMatching(/^projects\/\$\{data\.google_project\..+\.number\}$/)]);
    // billing.resourcebudgets.read/write on the project, in the apply account's custom budget role (no roles/editor).
    for (const json of bootstraps.filter((bootstrap) => bootstrap.resource.google_service_account)) {
      expect(resources(json, 'google_project_iam_custom_role').find((role) => role.role_id.endsWith('_budgets')).permissions).toEqual(['billing.resourcebudgets.read', 'billing.resourcebudgets.write']);
    }
    for (const json of bootstraps) expect(json.resource.google_billing_account_iam_member).toBeUndefined();
  });
});
