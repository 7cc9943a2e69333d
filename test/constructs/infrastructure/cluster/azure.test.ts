import { TerraformOutput } from '../../../../constructs/core/cdktf';
import { AKS_CONTROL_PLANE_LOG_CATEGORIES, AzureAksCluster, AzureAksClusterProps } from '../../../../constructs/infrastructure/cluster/azure';
import { AzureKeyVault } from '../../../../constructs/infrastructure/keys/azure';
import { AzureNetwork } from '../../../../constructs/infrastructure/network/azure';
import { TEST_ADMIN_GROUP, TEST_TENANT, addressOf, azureTestStack, refTo, rolesAwaited } from '../../../azure-helpers';
import { TerraformJson, onlyResource, resources } from '../../../helpers';

const SUBNET = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/snet-nodes';
const baseProps: AzureAksClusterProps = {
  name: 'idp-test',
  kubernetesVersion: '1.35',
  tenantId: TEST_TENANT,
  adminPrincipal: TEST_ADMIN_GROUP,
  resourceGroupName: 'rg-test',
  location: 'westeurope',
  nodeSubnetId: SUBNET,
  networkCidr: '10.40.0.0/16',
  nodeGroups: [{ name: 'general', instanceTypes: ['Standard_D4s_v5'], minSize: 2, maxSize: 6 }],
};

/** Synthesizes a cluster with a disk encryption key from a vault, and its attributes as outputs. */
const synth = (props: Partial<AzureAksClusterProps> = {}, withKey = true): TerraformJson =>
  azureTestStack((stack) => {
    const vault = new AzureKeyVault(stack, 'vault', { name: 'kvtest0001', resourceGroupName: 'rg-test', location: 'westeurope', tenantId: TEST_TENANT });
    const diskEncryptionKey = withKey ? vault.addKey('disks', { alias: 'aks-disks', description: 'disks' }) : undefined;
    const cluster = new AzureAksCluster(stack, 'cluster', { ...baseProps, diskEncryptionKey, ...props });
    new TerraformOutput(stack, 'endpoint', { value: cluster.endpoint });
    new TerraformOutput(stack, 'ca', { value: cluster.certificateAuthorityData });
    new TerraformOutput(stack, 'issuer', { value: cluster.oidcIssuerUrl });
    new TerraformOutput(stack, 'kubelet', { value: cluster.kubeletIdentityObjectId });
  });

const json = synth();
const cluster = onlyResource(json, 'azurerm_kubernetes_cluster');
const clusterRef = (attribute: string) => refTo(json, 'azurerm_kubernetes_cluster', attribute);
const roleAssignment = (role: string) => resources(json, 'azurerm_role_assignment').find((a) => a.role_definition_name === role);

describe('AzureAksCluster', () => {
  test('pins the minor version and lets AKS apply patches and node images in weekly maintenance windows', () => {
    expect(cluster).toMatchObject({
      name: 'idp-test',
      dns_prefix: 'idp-test',
      kubernetes_version: '1.35',
      sku_tier: 'Standard',
      automatic_upgrade_channel: 'patch',
      node_os_upgrade_channel: 'NodeImage',
      maintenance_window_auto_upgrade: { frequency: 'Weekly', interval: 1, day_of_week: 'Sunday', start_time: '02:00', utc_offset: '+00:00', duration: 4 },
      maintenance_window_node_os: { frequency: 'Weekly', interval: 1, day_of_week: 'Saturday', start_time: '02:00', utc_offset: '+00:00', duration: 4 },
    });
  });

  test('authenticates with Entra ID only: local accounts off, Azure RBAC, cluster admin for one Entra group', () => {
    expect(cluster).toMatchObject({
      local_account_disabled: true,
      role_based_access_control_enabled: true,
      azure_active_directory_role_based_access_control: { azure_rbac_enabled: true, tenant_id: TEST_TENANT, admin_group_object_ids: [TEST_ADMIN_GROUP] },
    });
  });

  test('issues OIDC tokens for workload identity', () => {
    expect(cluster).toMatchObject({ oidc_issuer_enabled: true, workload_identity_enabled: true });
    expect(json.output!.issuer.value).toBe(clusterRef('oidc_issuer_url'));
  });

  test('keeps the API server private when no CIDRs are listed, and exposes its private FQDN', () => {
    expect(cluster).toMatchObject({ private_cluster_enabled: true, private_cluster_public_fqdn_enabled: false, private_dns_zone_id: 'System' });
    expect(cluster.api_server_access_profile).toBeUndefined();
    expect(json.output!.endpoint.value).toBe(`https://${clusterRef('private_fqdn')}:443`);
  });

  test('opens the API server to the listed CIDRs only otherwise', () => {
    const open = synth({ publicEndpointCidrs: ['203.0.113.0/24'] });
    expect(onlyResource(open, 'azurerm_kubernetes_cluster')).toMatchObject({
      private_cluster_enabled: false,
      api_server_access_profile: { authorized_ip_ranges: ['203.0.113.0/24'] },
    });
    expect(open.output!.endpoint.value).toBe(`https://${refTo(open, 'azurerm_kubernetes_cluster', 'fqdn')}:443`);
  });

  test('exposes the CA from kube_config (not kube_admin_config, empty without local accounts) as a plain output', () => {
    expect(json.output!.ca.value).toBe(`\${nonsensitive(${addressOf(json, 'azurerm_kubernetes_cluster')}.kube_config[0].cluster_ca_certificate)}`);
  });

  test('runs Azure CNI Overlay powered by Cilium, egressing through the NAT gateway, with pod and service ranges off the VNet', () => {
    expect(cluster.network_profile).toEqual({
      network_plugin: 'azure',
      network_plugin_mode: 'overlay',
      network_policy: 'cilium',
      network_data_plane: 'cilium',
      outbound_type: 'userAssignedNATGateway',
      load_balancer_sku: 'standard',
      pod_cidr: '10.244.0.0/16',
      service_cidr: '10.245.0.0/16',
      dns_service_ip: '10.245.0.10',
    });
  });

  test('runs critical add-ons only on an autoscaled, zone-spread system pool with encryption at host', () => {
    expect(cluster.default_node_pool).toMatchObject({
      name: 'system',
      only_critical_addons_enabled: true,
      auto_scaling_enabled: true,
      min_count: 3,
      max_count: 6,
      node_count: 3,
      zones: ['1', '2', '3'],
      vnet_subnet_id: SUBNET,
      host_encryption_enabled: true,
      os_sku: 'AzureLinux',
      os_disk_type: 'Managed',
      orchestrator_version: '1.35',
      temporary_name_for_rotation: 'systemtmp',
      upgrade_settings: { max_surge: '33%', drain_timeout_in_minutes: 30 },
    });
    expect(synth({ availabilityZoneCount: 2 }).resource.azurerm_kubernetes_cluster).toEqual(
      expect.objectContaining({ [addressOf(json, 'azurerm_kubernetes_cluster').split('.')[1]]: expect.objectContaining({ default_node_pool: expect.objectContaining({ zones: ['1', '2'], min_count: 2 }) }) }),
    );
  });

  test('user node pools autoscale across zones on the node subnet, with the autoscaler owning the count', () => {
    expect(onlyResource(json, 'azurerm_kubernetes_cluster_node_pool')).toMatchObject({
      name: 'general',
      kubernetes_cluster_id: clusterRef('id'),
      mode: 'User',
      vm_size: 'Standard_D4s_v5',
      auto_scaling_enabled: true,
      min_count: 2,
      max_count: 6,
      node_count: 2,
      zones: ['1', '2', '3'],
      vnet_subnet_id: SUBNET,
      host_encryption_enabled: true,
      priority: 'Regular',
      orchestrator_version: '1.35',
      lifecycle: { ignore_changes: ['node_count'] },
      upgrade_settings: { max_surge: '33%', drain_timeout_in_minutes: 30 },
    });
    expect(cluster.lifecycle.ignore_changes).toEqual(['default_node_pool[0].node_count']);
  });

  test('SPOT node groups become spot pools, evicted by deletion, with the label and taint AKS sets', () => {
    const spot = synth({
      nodeGroups: [
        { name: 'general', instanceTypes: ['Standard_D4s_v5'], minSize: 1, maxSize: 3 },
        { name: 'batch', instanceTypes: ['Standard_D8s_v5'], minSize: 0, maxSize: 4, capacityType: 'SPOT', labels: { workload: 'batch' } },
      ],
    });
    const pool = resources(spot, 'azurerm_kubernetes_cluster_node_pool').find((p) => p.name === 'batch');
    expect(pool).toMatchObject({
      priority: 'Spot',
      eviction_policy: 'Delete',
      spot_max_price: -1,
      node_labels: { workload: 'batch', 'kubernetes.azure.com/scalesetpriority': 'spot' },
      node_taints: ['kubernetes.azure.com/scalesetpriority=spot:NoSchedule'],
      min_count: 0,
    });
    expect(pool.upgrade_settings).toBeUndefined();
  });

  test('encrypts node disks with the customer key through a disk encryption set whose own identity may use the key', () => {
    const des = onlyResource(json, 'azurerm_disk_encryption_set');
    expect(cluster.disk_encryption_set_id).toBe(refTo(json, 'azurerm_disk_encryption_set', 'id'));
    expect(des).toMatchObject({
      key_vault_key_id: refTo(json, 'azurerm_key_vault_key', 'versionless_id'),
      auto_key_rotation_enabled: true,
      encryption_type: 'EncryptionAtRestWithCustomerKey',
      identity: { type: 'UserAssigned', identity_ids: [refTo(json, 'azurerm_user_assigned_identity', 'id', (i) => i.name === 'id-idp-test-disk-encryption')] },
    });
    const keyUser = addressOf(json, 'azurerm_role_assignment', (a) => a.role_definition_name === 'Key Vault Crypto Service Encryption User');
    expect(rolesAwaited(json, des)).toEqual([keyUser]);
    expect(roleAssignment('Key Vault Crypto Service Encryption User')).toMatchObject({
      scope: refTo(json, 'azurerm_key_vault_key', 'resource_versionless_id'),
      principal_id: refTo(json, 'azurerm_user_assigned_identity', 'principal_id', (i) => i.name === 'id-idp-test-disk-encryption'),
    });
  });

  test('uses platform-managed disk keys when no key is given', () => {
    const plain = synth({}, false);
    expect(onlyResource(plain, 'azurerm_kubernetes_cluster').disk_encryption_set_id).toBeUndefined();
    expect(resources(plain, 'azurerm_disk_encryption_set')).toHaveLength(0);
  });

  test('runs the control plane as a user-assigned identity with Network Contributor on the node subnet and Reader on the disk encryption set, granted first', () => {
    const controlPlane = (attribute: string) => refTo(json, 'azurerm_user_assigned_identity', attribute, (i) => i.name === 'id-idp-test-control-plane');
    expect(cluster.identity).toEqual({ type: 'UserAssigned', identity_ids: [controlPlane('id')] });
    const subnetGrant = addressOf(json, 'azurerm_role_assignment', (a) => a.role_definition_name === 'Network Contributor' && a.scope === SUBNET);
    expect(json.resource.azurerm_role_assignment[subnetGrant.split('.')[1]]).toMatchObject({ principal_id: controlPlane('principal_id'), principal_type: 'ServicePrincipal' });
    expect(roleAssignment('Reader')).toMatchObject({ scope: refTo(json, 'azurerm_disk_encryption_set', 'id'), principal_id: controlPlane('principal_id') });
    expect(rolesAwaited(json, cluster)).toEqual(expect.arrayContaining([subnetGrant, addressOf(json, 'azurerm_role_assignment', (a) => a.role_definition_name === 'Reader')]));
  });

  test('a private cluster may also join its VNet, to link the private DNS zone of the API server', () => {
    const vnetGrant = addressOf(json, 'azurerm_role_assignment', (a) => a.scope === SUBNET.replace(/\/subnets\/.*$/, ''));
    expect(json.resource.azurerm_role_assignment[vnetGrant.split('.')[1]].role_definition_name).toBe('Network Contributor');
    expect(rolesAwaited(json, cluster)).toHaveLength(3);
    const open = synth({ publicEndpointCidrs: ['203.0.113.0/24'] });
    expect(resources(open, 'azurerm_role_assignment').filter((a) => a.role_definition_name === 'Network Contributor').map((a) => a.scope)).toEqual([SUBNET]);
  });

  test('derives the VNet from a subnet reference when no VNet is given', () => {
    const withNetwork = azureTestStack((stack) => {
      const network = new AzureNetwork(stack, 'network', { name: 'test', cidr: '10.40.0.0/16', resourceGroupName: 'rg-test', location: 'westeurope' });
      new AzureAksCluster(stack, 'cluster', { ...baseProps, nodeSubnetId: network.nodeSubnetId });
    });
    const subnetRef = refTo(withNetwork, 'azurerm_subnet_network_security_group_association', 'subnet_id', (a) => a.network_security_group_id.includes('nodes-nsg'));
    const scopes = resources(withNetwork, 'azurerm_role_assignment').filter((a) => a.role_definition_name === 'Network Contributor').map((a) => a.scope);
    expect(scopes).toEqual([subnetRef, `\${join("/", slice(split("/", ${subnetRef.slice(2, -1)}), 0, 9))}`]);
  });

  test("a public API server also admits the nodes' own egress IP", () => {
    const open = synth({ publicEndpointCidrs: ['203.0.113.0/24'], nodeEgressIpAddress: '198.51.100.7' });
    expect(onlyResource(open, 'azurerm_kubernetes_cluster').api_server_access_profile).toEqual({ authorized_ip_ranges: ['203.0.113.0/24', '198.51.100.7/32'] });
  });

  test('sends Container Insights (Entra ID auth) and control-plane logs to a Log Analytics workspace without shared keys', () => {
    expect(onlyResource(json, 'azurerm_log_analytics_workspace')).toMatchObject({ retention_in_days: 365, local_authentication_enabled: false, sku: 'PerGB2018' });
    const workspace = refTo(json, 'azurerm_log_analytics_workspace', 'id');
    expect(cluster.oms_agent).toEqual({ log_analytics_workspace_id: workspace, msi_auth_for_monitoring_enabled: true });
    expect(onlyResource(json, 'azurerm_monitor_data_collection_rule').destinations).toEqual({ log_analytics: [{ name: 'workspace', workspace_resource_id: workspace }] });
    expect(onlyResource(json, 'azurerm_monitor_data_collection_rule_association')).toMatchObject({
      target_resource_id: clusterRef('id'),
      data_collection_rule_id: refTo(json, 'azurerm_monitor_data_collection_rule', 'id'),
    });
    const diagnostics = onlyResource(json, 'azurerm_monitor_diagnostic_setting');
    expect(diagnostics).toMatchObject({ target_resource_id: clusterRef('id'), log_analytics_workspace_id: workspace, log_analytics_destination_type: 'Dedicated' });
    expect(diagnostics.enabled_log.map((log: any) => log.category)).toEqual(AKS_CONTROL_PLANE_LOG_CATEGORIES);
    expect(onlyResource(synth({ logRetentionDays: 30 }), 'azurerm_log_analytics_workspace').retention_in_days).toBe(30);
  });

  test('runs the Key Vault secrets store driver with rotation and Image Cleaner', () => {
    expect(cluster.key_vault_secrets_provider).toEqual({ secret_rotation_enabled: true, secret_rotation_interval: '2m' });
    expect(cluster.image_cleaner_enabled).toBe(true);
  });

  test('exposes the kubelet identity object id (what pulls images)', () => {
    expect(json.output!.kubelet.value).toBe(clusterRef('kubelet_identity[0].object_id'));
  });

  test('refuses terraform destroy unless deletion protection is off', () => {
    expect(cluster.lifecycle.prevent_destroy).toBe(true);
    expect(onlyResource(synth({ deletionProtection: false }), 'azurerm_kubernetes_cluster').lifecycle.prevent_destroy).toBe(false);
  });

  test('apiServerSubnetId: API Server VNet Integration, the control plane may join that subnet; a private vault key puts KMS in Private mode', () => {
    const integrated = azureTestStack((stack) => {
      const vault = new AzureKeyVault(stack, 'vault', {
        name: 'kvtest0001', resourceGroupName: 'rg-test', location: 'westeurope', tenantId: TEST_TENANT,
        privateEndpoint: { subnetId: 'snet-endpoints', virtualNetworkId: 'vnet', linkName: 'test-key-vault' },
      });
      const secretsKey = vault.addKey('secrets', { alias: 'aks-secrets', description: 'secrets', encryptDecrypt: true });
      new AzureAksCluster(stack, 'cluster', { ...baseProps, apiServerSubnetId: 'snet-api-server', secretsKey });
    });
    const aks = onlyResource(integrated, 'azurerm_kubernetes_cluster');
    expect(aks.api_server_access_profile).toEqual({ subnet_id: 'snet-api-server', virtual_network_integration_enabled: true });
    expect(aks.key_management_service).toMatchObject({ key_vault_network_access: 'Private' });
    const roles = resources(integrated, 'azurerm_role_assignment');
    expect(roles.find((a) => a.scope === 'snet-api-server')?.role_definition_name).toBe('Network Contributor');
    expect(roles.find((a) => a.role_definition_name === 'Key Vault Contributor')?.scope).toBe(refTo(integrated, 'azurerm_key_vault', 'id'));
    expect(rolesAwaited(integrated, aks)).toEqual(expect.arrayContaining([addressOf(integrated, 'azurerm_role_assignment', (a) => a.scope === 'snet-api-server')]));
  });

  test('a public API server with VNet integration keeps its authorized ranges; a public vault key keeps KMS Public', () => {
    const open = azureTestStack((stack) => {
      const vault = new AzureKeyVault(stack, 'vault', { name: 'kvtest0001', resourceGroupName: 'rg-test', location: 'westeurope', tenantId: TEST_TENANT });
      const secretsKey = vault.addKey('secrets', { alias: 'aks-secrets', description: 'secrets', encryptDecrypt: true });
      new AzureAksCluster(stack, 'cluster', { ...baseProps, publicEndpointCidrs: ['203.0.113.0/24'], apiServerSubnetId: 'snet-api-server', secretsKey });
    });
    const aks = onlyResource(open, 'azurerm_kubernetes_cluster');
    expect(aks.api_server_access_profile).toEqual({ authorized_ip_ranges: ['203.0.113.0/24'], subnet_id: 'snet-api-server', virtual_network_integration_enabled: true });
    expect(aks.key_management_service).toMatchObject({ key_vault_network_access: 'Public' });
  });

  test('throws when a private vault key is used for KMS without API Server VNet Integration', () => {
    let error: any;
    try {
      azureTestStack((stack) => {
        const vault = new AzureKeyVault(stack, 'vault', {
          name: 'kvtest0001', resourceGroupName: 'rg-test', location: 'westeurope', tenantId: TEST_TENANT,
          privateEndpoint: { subnetId: 'snet-endpoints', virtualNetworkId: 'vnet', linkName: 'test-key-vault' },
        });
        new AzureAksCluster(stack, 'cluster', { ...baseProps, secretsKey: vault.addKey('secrets', { alias: 'aks-secrets', description: 'secrets', encryptDecrypt: true }) });
      });
    } catch (caught) {
      error = caught;
    }
    expect(error?.code).toBe('IDPKIT_INVALID_PROPS');
    expect(error?.message).toContain('secretsKey is in a private Key Vault, which AKS KMS reaches only from an API server in the VNet: give apiServerSubnetId');
  });

  test('terraformOverrides reach the cluster resource as given; the free tier is there for dev', () => {
    const overridden = onlyResource(synth({ skuTier: 'Free', terraformOverrides: { cost_analysis_enabled: true } }), 'azurerm_kubernetes_cluster');
    expect(overridden).toMatchObject({ sku_tier: 'Free', cost_analysis_enabled: true });
  });

  test.each([
    ['throws when the Kubernetes version is unsupported', { kubernetesVersion: '1.30' as never }, 'kubernetesVersion "1.30" is not supported (allowed: 1.35, 1.36)'],
    ['throws when a node group name is not an AKS pool name', { nodeGroups: [{ name: 'general-purpose', instanceTypes: ['Standard_D4s_v5'], minSize: 1, maxSize: 2 }] }, 'node group "general-purpose" is not an AKS node pool name'],
    ['throws when a node group takes the system pool name', { nodeGroups: [{ name: 'system', instanceTypes: ['Standard_D4s_v5'], minSize: 1, maxSize: 2 }] }, 'node group "system" is the name of idpkit\'s system node pool'],
    ['throws when a node group lists several VM sizes', { nodeGroups: [{ name: 'g', instanceTypes: ['Standard_D4s_v5', 'Standard_D8s_v5'], minSize: 1, maxSize: 2 }] }, 'an AKS node pool takes exactly one'],
    ['throws when node group sizes are not ordered', { nodeGroups: [{ name: 'g', instanceTypes: ['Standard_D4s_v5'], minSize: 4, maxSize: 2 }] }, 'need min <= desired <= max'],
    ['throws when the VNet overlaps the pod range', { networkCidr: '10.244.0.0/16' }, 'podCidr "10.244.0.0/16" overlaps the VNet range 10.244.0.0/16'],
    ['throws when pod and service ranges overlap', { serviceCidr: '10.244.128.0/20' }, 'overlaps serviceCidr "10.244.128.0/20"'],
    ['throws when log retention is outside 30 to 730 days', { logRetentionDays: 7 }, 'logRetentionDays 7 is outside what Log Analytics allows here (30 to 730)'],
    ['throws when the admin is not an Entra object id', { adminPrincipal: 'platform-admins@example.com' }, 'adminPrincipal "platform-admins@example.com" is not an Entra ID group object id'],
    ['throws when a public endpoint CIDR is malformed', { publicEndpointCidrs: ['1.2.3.4'] }, 'publicEndpointCidrs entry "1.2.3.4" is not a valid IPv4 CIDR'],
    ['throws when a maintenance window starts at no valid time', { upgradeWindow: { dayOfWeek: 'Sunday', startTime: '25:00', durationHours: 2 } }, 'startTime "25:00" is not HH:MM'],
  ])('%s', (_name, props, message) => {
    let error: any;
    try {
      synth(props as Partial<AzureAksClusterProps>);
    } catch (caught) {
      error = caught;
    }
    expect(error?.code).toBe('IDPKIT_INVALID_PROPS');
    expect(error?.message).toContain(message);
  });
});
