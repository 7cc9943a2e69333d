import {
  GKE_LOGGING_COMPONENTS,
  GcpGkeCluster,
  GcpGkeClusterProps,
  gkeInitialNodesPerZone,
  gkeNodeServiceAccountId,
} from '../../../../constructs/infrastructure/cluster/gcp';
import { TerraformOutput } from '../../../../constructs/core/cdktf';
import { addressOf, at, gcpTestStack, ref, serviceAddresses } from '../../../gcp-helpers';
import { onlyResource, resources } from '../../../helpers';

const baseProps: GcpGkeClusterProps = {
  name: 'idp-test',
  kubernetesVersion: '1.35',
  region: 'europe-west1',
  adminPrincipal: 'group:platform-admins@example.com',
  network: {
    networkSelfLink: 'projects/acme/global/networks/test',
    subnetSelfLink: 'projects/acme/regions/europe-west1/subnetworks/test-nodes',
    subnetCidr: '10.50.128.0/20',
    podsRangeName: 'test-pods',
    servicesRangeName: 'test-services',
  },
  nodeGroups: [{ name: 'general', instanceTypes: ['e2-standard-4'], minSize: 3, maxSize: 9 }],
};
const synth = (props: Partial<GcpGkeClusterProps> = {}) => gcpTestStack((stack) => new GcpGkeCluster(stack, 'cluster', { ...baseProps, ...props }));

const json = synth();
const cluster = onlyResource(json, 'google_container_cluster');
const clusterAddress = addressOf(json, 'google_container_cluster');
const nodeSa = addressOf(json, 'google_service_account');
const project = ref(`data.${Object.keys(json.data!.google_project).map((name) => `google_project.${name}`)[0]}`, 'project_id');
const projectNumber = project.replace('project_id', 'number');

describe('GcpGkeCluster', () => {
  test('is a regional Standard cluster that replaces the default node pool with its own', () => {
    expect(cluster).toMatchObject({ name: 'idp-test', location: 'europe-west1', remove_default_node_pool: true, initial_node_count: 1 });
    expect(cluster.node_locations).toBeUndefined();
    expect(cluster.enable_autopilot).toBeUndefined();
  });

  test('two zones make a zonal control plane in <region>-b with nodes also in <region>-c', () => {
    const zonal = onlyResource(synth({ availabilityZoneCount: 2 }), 'google_container_cluster');
    expect(zonal).toMatchObject({ location: 'europe-west1-b', node_locations: ['europe-west1-c'] });
  });

  test('is VPC-native on the given subnet and secondary ranges, with Dataplane V2', () => {
    expect(cluster).toMatchObject({
      network: baseProps.network.networkSelfLink,
      subnetwork: baseProps.network.subnetSelfLink,
      networking_mode: 'VPC_NATIVE',
      ip_allocation_policy: { cluster_secondary_range_name: 'test-pods', services_secondary_range_name: 'test-services' },
      datapath_provider: 'ADVANCED_DATAPATH',
    });
    expect(cluster.network_policy).toBeUndefined();
  });

  test('has private nodes and a private API endpoint when no public CIDRs are listed', () => {
    expect(cluster.private_cluster_config).toEqual({ enable_private_nodes: true, enable_private_endpoint: true });
    expect(cluster.master_authorized_networks_config).toEqual({ cidr_blocks: [], gcp_public_cidrs_access_enabled: false });
  });

  test('opens the public endpoint to the listed CIDRs only', () => {
    const open = onlyResource(synth({ publicEndpointCidrs: ['203.0.113.0/24', '198.51.100.0/24'] }), 'google_container_cluster');
    expect(open.private_cluster_config).toEqual({ enable_private_nodes: true, enable_private_endpoint: false });
    expect(open.master_authorized_networks_config).toEqual({
      gcp_public_cidrs_access_enabled: false,
      cidr_blocks: [
        { cidr_block: '203.0.113.0/24', display_name: 'public-endpoint-0' },
        { cidr_block: '198.51.100.0/24', display_name: 'public-endpoint-1' },
      ],
    });
  });

  test('uses Workload Identity, shielded nodes, no client certificates and no legacy ABAC', () => {
    expect(cluster.workload_identity_config).toEqual({ workload_pool: `${project}.svc.id.goog` });
    expect(cluster).toMatchObject({
      enable_shielded_nodes: true,
      enable_legacy_abac: false,
      master_auth: { client_certificate_config: { issue_client_certificate: false } },
    });
  });

  test('encrypts secrets with its own Cloud KMS key, granted to the GKE service agent before the cluster exists', () => {
    const key = addressOf(json, 'google_kms_crypto_key');
    expect(cluster.database_encryption).toEqual({ state: 'ENCRYPTED', key_name: ref(key, 'id') });
    expect(at(json, key)).toMatchObject({ name: 'idp-test-gke-secrets', rotation_period: '7776000s' });
    const grant = addressOf(json, 'google_kms_crypto_key_iam_member');
    expect(at(json, grant)).toMatchObject({
      crypto_key_id: ref(key, 'id'),
      role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
      member: `serviceAccount:service-${projectNumber}@container-engine-robot.iam.gserviceaccount.com`,
    });
    expect(cluster.depends_on).toContain(grant);
  });

  test('follows the REGULAR channel from the pinned minor version, upgrading in the maintenance window', () => {
    expect(cluster).toMatchObject({ release_channel: { channel: 'REGULAR' }, min_master_version: '1.35' });
    expect(cluster.maintenance_policy).toEqual({
      recurring_window: { start_time: '2026-01-06T03:00:00Z', end_time: '2026-01-06T07:00:00Z', recurrence: 'FREQ=WEEKLY;BYDAY=TU,WE,TH' },
    });
  });

  test('sends system, control-plane and workload logs, and system metrics to Managed Prometheus', () => {
    expect(cluster.logging_config.enable_components).toEqual(GKE_LOGGING_COMPONENTS);
    expect(cluster.logging_config.enable_components).toEqual(expect.arrayContaining(['SYSTEM_COMPONENTS', 'APISERVER', 'WORKLOADS']));
    expect(cluster.monitoring_config.managed_prometheus).toEqual({ enabled: true });
    expect(cluster.monitoring_config.enable_components).toEqual(expect.arrayContaining(['SYSTEM_COMPONENTS', 'APISERVER']));
  });

  test('has deletion protection, in GKE and in Terraform (prevent_destroy, also on its secrets key), unless turned off', () => {
    expect(cluster.deletion_protection).toBe(true);
    expect(cluster.lifecycle).toEqual({ ignore_changes: ['node_config'], prevent_destroy: true });
    expect(onlyResource(json, 'google_kms_crypto_key').lifecycle).toEqual({ prevent_destroy: true });
    const unprotected = synth({ deletionProtection: false });
    expect(onlyResource(unprotected, 'google_container_cluster').deletion_protection).toBe(false);
    expect(onlyResource(unprotected, 'google_container_cluster').lifecycle).toEqual({ ignore_changes: ['node_config'] });
    expect(onlyResource(unprotected, 'google_kms_crypto_key').lifecycle).toBeUndefined();
  });

  test('depends on the APIs it uses', () => {
    const apis = ['container', 'compute', 'logging', 'monitoring', 'iam', 'cloudresourcemanager'].map((api) => `${api}.googleapis.com`);
    expect(cluster.depends_on).toEqual(expect.arrayContaining(serviceAddresses(json, apis)));
  });

  test('runs nodes on a dedicated service account with only the default node role, not the Compute Engine default account', () => {
    expect(at(json, nodeSa)).toMatchObject({ account_id: 'idp-test-nodes' });
    const roles = resources(json, 'google_project_iam_member').map((binding) => `${binding.role} ${binding.member}`);
    expect(roles.sort()).toEqual([
      `roles/container.admin group:platform-admins@example.com`,
      `roles/container.defaultNodeServiceAccount ${ref(nodeSa, 'member')}`,
    ]);
    expect(cluster.node_config.service_account).toBe(ref(nodeSa, 'email'));
    expect(cluster.lifecycle.ignore_changes).toEqual(['node_config']);
  });

  test('grants the admin principal Kubernetes Engine Admin on the project', () => {
    const admin = resources(json, 'google_project_iam_member').find((binding) => binding.role === 'roles/container.admin');
    expect(admin).toMatchObject({ project, member: 'group:platform-admins@example.com' });
  });

  test('node pools: autoscaled totals, auto-repair and auto-upgrade, surge upgrades', () => {
    const pool = onlyResource(json, 'google_container_node_pool');
    expect(pool).toMatchObject({
      name: 'general',
      cluster: ref(clusterAddress, 'id'),
      location: ref(clusterAddress, 'location'),
      initial_node_count: 1,
      autoscaling: { total_min_node_count: 3, total_max_node_count: 9, location_policy: 'BALANCED' },
      management: { auto_repair: true, auto_upgrade: true },
      upgrade_settings: { strategy: 'SURGE', max_surge: 1, max_unavailable: 0 },
      lifecycle: { ignore_changes: ['initial_node_count'] },
    });
    expect(pool.depends_on).toEqual([addressOf(json, 'google_project_iam_member', (b) => b.role === 'roles/container.defaultNodeServiceAccount')]);
  });

  test('node pools are hardened: node service account, GKE metadata server, shielded VMs, legacy metadata endpoints off', () => {
    expect(onlyResource(json, 'google_container_node_pool').node_config).toMatchObject({
      machine_type: 'e2-standard-4',
      service_account: ref(nodeSa, 'email'),
      oauth_scopes: ['https://www.googleapis.com/auth/cloud-platform'],
      workload_metadata_config: { mode: 'GKE_METADATA' },
      shielded_instance_config: { enable_secure_boot: true, enable_integrity_monitoring: true },
      metadata: { 'disable-legacy-endpoints': 'true' },
      image_type: 'COS_CONTAINERD',
      disk_type: 'pd-balanced',
      disk_size_gb: 50,
      spot: false,
    });
  });

  test('spot node groups run on spot VMs with their labels, tainted so only pods that tolerate spot land there', () => {
    const spot = synth({
      nodeGroups: [
        baseProps.nodeGroups[0],
        { name: 'batch', instanceTypes: ['e2-standard-8'], minSize: 0, maxSize: 4, capacityType: 'SPOT', labels: { workload: 'batch' }, diskSizeGiB: 100 },
      ],
    });
    const pools = Object.fromEntries(resources(spot, 'google_container_node_pool').map((pool) => [pool.name, pool.node_config]));
    expect(pools.batch).toMatchObject({ spot: true, labels: { workload: 'batch' }, disk_size_gb: 100 });
    expect(pools.batch.taint).toEqual([{ key: 'cloud.google.com/gke-spot', value: 'true', effect: 'NO_SCHEDULE' }]);
    expect(pools.general.taint).toBeUndefined();
  });

  test('opens the webhook ports from the control plane to the nodes, and nothing without them', () => {
    expect(resources(json, 'google_compute_firewall')).toEqual([]);
    const open = synth({ webhookPorts: [15017, 9443, 8443, 9443] });
    const firewall = onlyResource(open, 'google_compute_firewall');
    const clusterAt = addressOf(open, 'google_container_cluster');
    expect(firewall).toMatchObject({
      name: 'idp-test-webhooks',
      network: 'projects/acme/global/networks/test',
      direction: 'INGRESS',
      allow: [{ protocol: 'tcp', ports: ['8443', '9443', '15017'] }],
      target_service_accounts: [ref(addressOf(open, 'google_service_account'), 'email')],
    });
    // The control plane's range read from the cluster (VPC peering), else the node subnet its Private Service Connect endpoint is in.
    expect(firewall.source_ranges).toEqual([`\${coalesce(${ref(clusterAt, 'private_cluster_config[0].master_ipv4_cidr_block').slice(2, -1)}, "10.50.128.0/20")}`]);
  });

  test('exposes endpoint, CA, OIDC issuer and node service account as references', () => {
    const exposed = gcpTestStack((stack) => {
      const c = new GcpGkeCluster(stack, 'cluster', baseProps);
      const attributes = { endpoint: c.endpoint, ca: c.certificateAuthorityData, issuer: c.oidcIssuerUrl, nodes: c.nodeServiceAccountEmail };
      for (const [id, value] of Object.entries(attributes)) new TerraformOutput(stack, id, { value });
    }).output!;
    expect(exposed.endpoint.value).toBe(`https://${ref(clusterAddress, 'endpoint')}`);
    expect(exposed.ca.value).toBe(ref(clusterAddress, 'master_auth[0].cluster_ca_certificate'));
    expect(exposed.issuer.value).toBe(
      `https://container.googleapis.com/v1/projects/${project}/locations/${ref(clusterAddress, 'location')}/clusters/${ref(clusterAddress, 'name')}`,
    );
    expect(exposed.nodes.value).toBe(ref(nodeSa, 'email'));
  });

  test('terraformOverrides reach the cluster resource as given', () => {
    const overridden = onlyResource(synth({ terraformOverrides: { 'cost_management_config.enabled': true } }), 'google_container_cluster');
    expect(overridden.cost_management_config).toEqual({ enabled: true });
  });

  test.each([
    ['throws when the Kubernetes version is unsupported', { kubernetesVersion: '1.29' as never }, 'kubernetesVersion "1.29" is not supported (allowed: 1.35, 1.36)'],
    ['throws when a node group lists two machine types', { nodeGroups: [{ name: 'g', instanceTypes: ['e2-standard-4', 'n2-standard-4'], minSize: 1, maxSize: 2 }] }, 'a GKE node pool takes exactly one'],
    ['throws when the admin principal is not an IAM member', { adminPrincipal: 'admins@example.com' }, 'adminPrincipal "admins@example.com" is not an IAM member'],
    ['throws when a public endpoint CIDR is malformed', { publicEndpointCidrs: ['1.2.3.4'] }, 'publicEndpointCidrs entry "1.2.3.4" is not a valid IPv4 CIDR'],
    ['throws when the cluster name starts with a digit', { name: '9idp' }, 'name "9idp" is not a GKE cluster name'],
    ['throws when a webhook port is not a TCP port', { webhookPorts: [0] }, 'webhookPorts entry 0 is not a TCP port (1 to 65535)'],
    ['throws when every node group is spot', { nodeGroups: [{ name: 'g', instanceTypes: ['e2-standard-4'], minSize: 1, maxSize: 2, capacityType: 'SPOT' as const }] }, 'every node group is SPOT (g)'],
    ['throws when a node pool name starts with a digit', { nodeGroups: [{ name: '1pool', instanceTypes: ['e2-standard-4'], minSize: 1, maxSize: 2 }] }, 'node group "1pool" is not a GKE node pool name'],
    ['throws when node group sizes are not ordered', { nodeGroups: [{ name: 'g', instanceTypes: ['e2-standard-4'], minSize: 4, maxSize: 2 }] }, 'need min <= desired <= max'],
  ])('%s', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});

describe('gkeNodeServiceAccountId', () => {
  test('is <cluster>-nodes, shortened with a stable hash to fit 30 characters', () => {
    expect(gkeNodeServiceAccountId('idp-prod')).toBe('idp-prod-nodes');
    const long = gkeNodeServiceAccountId('platform-production-europe-west1');
    expect(long).toMatch(/^platform-production-[0-9a-f]{4}-nodes$/);
    expect(long.length).toBeLessThanOrEqual(30);
    expect(gkeNodeServiceAccountId('platform-production-europe-west1')).toBe(long);
    expect(gkeNodeServiceAccountId('platform-production-europe-west2')).not.toBe(long);
  });
});

describe('gkeInitialNodesPerZone', () => {
  test.each([
    [{ minSize: 3, maxSize: 12 }, 3, 1],
    [{ minSize: 1, maxSize: 3 }, 2, 1],
    [{ minSize: 1, maxSize: 1 }, 2, 0],
    [{ minSize: 0, maxSize: 6 }, 3, 0],
    [{ minSize: 2, maxSize: 9, desiredSize: 7 }, 3, 3],
  ])('spreads %j over %i zones as %i per zone without exceeding maxSize', (sizes, zones, perZone) => {
    expect(gkeInitialNodesPerZone({ name: 'g', instanceTypes: ['e2-standard-2'], ...sizes }, zones)).toBe(perZone);
  });
});
