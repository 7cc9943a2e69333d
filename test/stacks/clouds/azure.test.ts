import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformOutput, TerraformStack } from '../../../constructs/core/cdktf';
import { NODE_MACHINE_TYPES } from '../../../constructs/infrastructure/cluster/node-sizes';
import { createAzureProvider } from '../../../constructs/integration/provider/azure';
import { azureDev, azureProd } from '../../../environments/examples/azure';
import { EnvironmentOn, validateEnvironments } from '../../../environments/types';
import { azureDatabaseServerName, azureKeyVaultName, azureResourceGroupName } from '../../../stacks/clouds/azure';
import { synthesizedPlatform } from '../../support/synthesized-sets';
import { InfraStack } from '../../../stacks/infra-stack';
import { StateBootstrapStack } from '../../../stacks/state-bootstrap-stack';
import { addressOf, refTo } from '../../azure-helpers';
import { TerraformJson, onlyResource, resources, synthJson } from '../../helpers';

const [devEnv, prodEnv] = validateEnvironments([azureDev, azureProd]) as EnvironmentOn<'azure'>[];
const tempDir = () => mkdtempSync(join(tmpdir(), 'idpkit-azure-'));
const synthInfra = (environment: EnvironmentOn<'azure'>) => synthJson(new InfraStack(new App({ outdir: tempDir() }), { environment }));
const devJson = synthInfra(devEnv);
const prodJson = synthInfra(prodEnv);
const aks = (json: TerraformJson) => onlyResource(json, 'azurerm_kubernetes_cluster');
const acr = (json: TerraformJson) => onlyResource(json, 'azurerm_container_registry');

describe('Azure example environments', () => {
  test('are valid against the schema, together', () => {
    expect(() => validateEnvironments([azureDev, azureProd])).not.toThrow();
    expect([devEnv.tier, prodEnv.tier]).toEqual(['dev', 'prod']);
  });
});

describe('InfraStack on Azure', () => {
  test("keeps state in the environment's storage account under its own key, with Entra ID auth", () => {
    expect(devJson.terraform.backend.azurerm).toEqual({
      resource_group_name: 'rg-idpkit-state',
      storage_account_name: 'idpkitstate000001',
      container_name: 'tfstate',
      key: 'idpkit/azure-dev-infra/terraform.tfstate',
      use_azuread_auth: true,
      subscription_id: azureDev.azure.subscriptionId,
      tenant_id: azureDev.azure.tenantId,
    });
    expect(prodJson.terraform.backend.azurerm).toMatchObject({ storage_account_name: 'idpkitstate000002', key: 'idpkit/azure-prod-infra/terraform.tfstate' });
  });

  test("uses the environment's subscription and tenant, and tags every taggable resource", () => {
    expect(prodJson.provider!.azurerm[0]).toMatchObject({ subscription_id: azureProd.azure.subscriptionId, tenant_id: azureProd.azure.tenantId, storage_use_azuread: true });
    const untaggable = /^(time_sleep|azurerm_(role_assignment|federated_identity_credential|subnet|subnet_.*_association|nat_gateway_public_ip_association|monitor_diagnostic_setting|monitor_data_collection_rule_association|storage_container|storage_management_policy|consumption_budget_subscription|postgresql_flexible_server_active_directory_administrator|postgresql_flexible_server_configuration|postgresql_flexible_server_database))$/;
    for (const [type, bodies] of Object.entries(prodJson.resource)) {
      if (untaggable.test(type)) continue;
      for (const body of Object.values(bodies)) {
        expect({ type, tags: (body as any).tags }).toEqual({ type, tags: expect.objectContaining({ environment: 'azure-prod', owner: 'platform-team', 'cost-center': 'platform', 'managed-by': 'idpkit' }) });
      }
    }
  });

  test('puts everything in the environment resource group: rg-<env>-idpkit unless the environment names one', () => {
    expect(onlyResource(devJson, 'azurerm_resource_group')).toMatchObject({ name: 'rg-azure-dev-idpkit', location: 'westeurope' });
    expect(prodJson.resource.azurerm_resource_group['resource-group'].name).toBe('rg-idp-prod');
    // Crossplane's claims get a group of their own, next to the environment's.
    expect(prodJson.resource.azurerm_resource_group['claims-resource-group'].name).toBe('rg-idp-prod-claims');
    expect(azureResourceGroupName(prodEnv)).toBe('rg-idp-prod');
    expect(aks(prodJson).resource_group_name).toBe('${azurerm_resource_group.resource-group.name}');
  });

  test('prod: Standard (SLA) AKS, private API server, Premium private registry with a customer key, HSM keys, deletion protection', () => {
    expect(aks(prodJson)).toMatchObject({ sku_tier: 'Standard', private_cluster_enabled: true, lifecycle: expect.objectContaining({ prevent_destroy: true }) });
    expect(aks(prodJson).api_server_access_profile).toEqual({ subnet_id: refTo(prodJson, 'azurerm_subnet_network_security_group_association', 'subnet_id', (a) => a.network_security_group_id.includes('api-server')), virtual_network_integration_enabled: true });
    expect(acr(prodJson)).toMatchObject({ sku: 'Premium', public_network_access_enabled: false, retention_policy_in_days: 30, lifecycle: { prevent_destroy: true } });
    expect(acr(prodJson).encryption).toHaveLength(1);
    expect(resources(prodJson, 'azurerm_private_endpoint').map((e) => e.private_service_connection.subresource_names[0]).sort()).toEqual(['postgresqlServer', 'registry', 'vault']);
    expect(onlyResource(prodJson, 'azurerm_key_vault')).toMatchObject({ sku_name: 'premium', lifecycle: { prevent_destroy: true } });
    // AKS disks and secrets, ACR, the database, Vault unseal, add-on storage
    expect(resources(prodJson, 'azurerm_key_vault_key').map((k) => k.key_type)).toEqual(['RSA-HSM', 'RSA-HSM', 'RSA-HSM', 'RSA-HSM', 'RSA-HSM', 'RSA-HSM']);
    expect(prodJson.resource.azurerm_resource_group['resource-group'].lifecycle).toEqual({ prevent_destroy: true });
  });

  test('prod (TierRules.privateKeyVault): a private Key Vault and AKS KMS reaching it over API Server VNet Integration; dev keeps both public', () => {
    expect(onlyResource(prodJson, 'azurerm_key_vault')).toMatchObject({ public_network_access_enabled: false, network_acls: { default_action: 'Deny', bypass: 'AzureServices' } });
    expect(aks(prodJson).key_management_service).toMatchObject({ key_vault_network_access: 'Private' });
    const apiServer = resources(prodJson, 'azurerm_subnet').find((subnet) => subnet.name === 'snet-api-server');
    expect(apiServer.delegation[0].service_delegation.name).toBe('Microsoft.ContainerService/managedClusters');
    expect(resources(prodJson, 'azurerm_private_dns_zone').map((zone) => zone.name)).toContain('privatelink.vaultcore.azure.net');

    expect(onlyResource(devJson, 'azurerm_key_vault').public_network_access_enabled).toBe(true);
    expect(aks(devJson).key_management_service).toMatchObject({ key_vault_network_access: 'Public' });
    expect(resources(devJson, 'azurerm_subnet').map((subnet) => subnet.name)).not.toContain('snet-api-server');
  });

  test('prod keys, connection secrets and add-on containers refuse terraform destroy; dev ones do not', () => {
    for (const type of ['azurerm_key_vault_key', 'azurerm_key_vault_secret', 'azurerm_storage_container']) {
      expect(resources(prodJson, type).length).toBeGreaterThan(0);
      for (const body of resources(prodJson, type)) expect({ type, lifecycle: body.lifecycle }).toEqual({ type, lifecycle: { prevent_destroy: true } });
    }
    for (const type of ['azurerm_key_vault_key', 'azurerm_key_vault_secret']) {
      for (const body of resources(devJson, type)) expect({ type, lifecycle: body.lifecycle }).toEqual({ type, lifecycle: undefined });
    }
  });

  test('add-on storage (Loki, Tempo) is encrypted with its own Key Vault key and reachable from the node subnet only', () => {
    const account = onlyResource(prodJson, 'azurerm_storage_account');
    expect(account.customer_managed_key.key_vault_key_id).toBe(refTo(prodJson, 'azurerm_key_vault_key', 'versionless_id', (k) => k.name === 'addon-storage'));
    expect(account.network_rules).toEqual({
      default_action: 'Deny',
      bypass: ['AzureServices'],
      virtual_network_subnet_ids: [`\${${addressOf(prodJson, 'azurerm_subnet_network_security_group_association', (a) => /nat/.test(a.subnet_id))}.subnet_id}`],
    });
    expect(resources(prodJson, 'azurerm_subnet').find((s) => s.name === 'snet-nodes').service_endpoints).toEqual(['Microsoft.Storage']);
  });

  test('dev: free AKS tier, API open to the listed CIDRs only, Standard registry, software keys, no deletion protection', () => {
    expect(aks(devJson)).toMatchObject({
      sku_tier: 'Free',
      private_cluster_enabled: false,
      api_server_access_profile: { authorized_ip_ranges: ['203.0.113.0/24', `${refTo(devJson, 'azurerm_public_ip', 'ip_address')}/32`] },
    });
    expect(aks(devJson).lifecycle.prevent_destroy).toBe(false);
    expect(acr(devJson)).toMatchObject({ sku: 'Standard', public_network_access_enabled: true });
    expect(acr(devJson).lifecycle).toBeUndefined();
    expect(resources(devJson, 'azurerm_private_endpoint').map((e) => e.private_service_connection.subresource_names[0])).toEqual(['postgresqlServer']); // the database only: a Standard registry has no private endpoint
    expect(onlyResource(devJson, 'azurerm_key_vault')).toMatchObject({ sku_name: 'standard', purge_protection_enabled: true, soft_delete_retention_days: 90 });
    expect(onlyResource(devJson, 'azurerm_key_vault').lifecycle).toBeUndefined();
    expect(onlyResource(devJson, 'azurerm_resource_group').lifecycle).toBeUndefined();
  });

  test('database servers get global names: <env>-<name>- and 8 hex of SHA-256 over the subscription and <env>/<name>', () => {
    const server = onlyResource(prodJson, 'azurerm_postgresql_flexible_server');
    expect(server.name).toBe(azureDatabaseServerName(prodEnv, 'platform'));
    expect(server.name).toMatch(/^azure-prod-platform-[0-9a-f]{8}$/);
    expect(azureDatabaseServerName(prodEnv, 'platform')).not.toBe(azureDatabaseServerName({ ...prodEnv, azure: { ...prodEnv.azure, subscriptionId: '00000000-0000-0000-0000-000000000009' } }, 'platform'));
    expect(resources(prodJson, 'azurerm_private_endpoint').find((e) => e.private_service_connection.subresource_names[0] === 'postgresqlServer').name).toBe('pe-azure-prod-platform-postgres');
  });

  test('databases share one privatelink.postgres zone per environment, linked to the VNet once; none without databases', () => {
    const json = synthInfra({ ...devEnv, databases: [...devEnv.databases, { name: 'orders', size: 'small', storageGiB: 32 }] });
    const zone = resources(json, 'azurerm_private_dns_zone').filter((z) => z.name === 'privatelink.postgres.database.azure.com');
    expect(zone).toHaveLength(1);
    expect(zone[0].resource_group_name).toBe(refTo(json, 'azurerm_resource_group', 'name'));
    const zoneName = refTo(json, 'azurerm_private_dns_zone', 'name', (z) => z.name === 'privatelink.postgres.database.azure.com');
    expect(onlyResource(json, 'azurerm_private_dns_zone_virtual_network_link')).toMatchObject({ name: 'azure-dev-postgres', private_dns_zone_name: zoneName, virtual_network_id: refTo(json, 'azurerm_virtual_network', 'id') });
    const zoneId = refTo(json, 'azurerm_private_dns_zone', 'id', (z) => z.name === 'privatelink.postgres.database.azure.com');
    const endpoints = resources(json, 'azurerm_private_endpoint');
    expect(endpoints).toHaveLength(2);
    endpoints.forEach((e) => expect(e.private_dns_zone_group.private_dns_zone_ids).toEqual([zoneId]));
    expect(resources(json, 'azurerm_postgresql_flexible_server').map((d) => d.name).sort()).toEqual([azureDatabaseServerName(devEnv, 'orders'), azureDatabaseServerName(devEnv, 'platform')]);
    expect(resources(synthInfra({ ...devEnv, databases: [] }), 'azurerm_private_dns_zone')).toHaveLength(0);
  });

  test("the budget is on the subscription, counting the environment's and AKS's node resource group, and notifies the action group only", () => {
    const budget = onlyResource(prodJson, 'azurerm_consumption_budget_subscription');
    expect(budget).toMatchObject({ name: 'idpkit-azure-prod', subscription_id: `/subscriptions/${azureProd.azure.subscriptionId}` });
    expect(budget.filter.dimension).toEqual([
      { name: 'ResourceGroupName', operator: 'In', values: ['${azurerm_resource_group.resource-group.name}', refTo(prodJson, 'azurerm_kubernetes_cluster', 'node_resource_group')] },
    ]);
    budget.notification.forEach((n: any) => {
      expect(n.contact_groups).toEqual([refTo(prodJson, 'azurerm_monitor_action_group', 'id')]);
      expect(n.contact_emails).toBeUndefined();
    });
  });

  test('log retention: the tier rule (dev 30 days) unless the environment sets it (prod 730)', () => {
    expect(onlyResource(devJson, 'azurerm_log_analytics_workspace').retention_in_days).toBe(30);
    expect(onlyResource(prodJson, 'azurerm_log_analytics_workspace').retention_in_days).toBe(730);
  });

  test('zones follow availabilityZoneCount: two in dev, three in prod', () => {
    expect(aks(devJson).default_node_pool.zones).toEqual(['1', '2']);
    expect(aks(prodJson).default_node_pool.zones).toEqual(['1', '2', '3']);
  });

  test('the kubelet identity (object id) gets AcrPull on the registry', () => {
    for (const json of [devJson, prodJson]) {
      expect(resources(json, 'azurerm_role_assignment').find((a) => a.role_definition_name === 'AcrPull')).toMatchObject({
        scope: refTo(json, 'azurerm_container_registry', 'id'),
        principal_id: refTo(json, 'azurerm_kubernetes_cluster', 'kubelet_identity[0].object_id'),
      });
    }
  });

  test('node disks are encrypted with the environment Key Vault key through a disk encryption set', () => {
    const diskKey = (json: TerraformJson) => refTo(json, 'azurerm_key_vault_key', 'versionless_id', (k) => k.name === 'aks-disks');
    for (const json of [devJson, prodJson]) {
      expect(onlyResource(json, 'azurerm_disk_encryption_set').key_vault_key_id).toBe(diskKey(json));
      expect(aks(json).disk_encryption_set_id).toBe(refTo(json, 'azurerm_disk_encryption_set', 'id'));
    }
    expect(onlyResource(prodJson, 'azurerm_key_vault').name).toBe(azureKeyVaultName(prodEnv));
    expect(azureKeyVaultName(prodEnv)).toMatch(/^kvazureprod[0-9a-f]{8}$/);
  });

  test('nodes sit in the node subnet once its NAT gateway is attached, so egress never goes out another way', () => {
    const natAssociation = addressOf(prodJson, 'azurerm_subnet_nat_gateway_association');
    const nodesNsg = addressOf(prodJson, 'azurerm_subnet_network_security_group_association', (a) => a.subnet_id === `\${${natAssociation}.subnet_id}`);
    expect(aks(prodJson).default_node_pool.vnet_subnet_id).toBe(`\${${nodesNsg}.subnet_id}`);
    expect(aks(prodJson).network_profile.outbound_type).toBe('userAssignedNATGateway');
    const vnetGrant = resources(prodJson, 'azurerm_role_assignment').find((a) => a.scope === refTo(prodJson, 'azurerm_virtual_network', 'id'));
    expect(vnetGrant).toMatchObject({ role_definition_name: 'Network Contributor', principal_type: 'ServicePrincipal' });
    for (const pool of resources(prodJson, 'azurerm_kubernetes_cluster_node_pool')) expect(pool.vnet_subnet_id).toBe(`\${${nodesNsg}.subnet_id}`);
  });

  test('abstract node sizes map to the VM size of the size table; SPOT groups become spot pools', () => {
    const pools = Object.fromEntries(resources(prodJson, 'azurerm_kubernetes_cluster_node_pool').map((p) => [p.name, p]));
    expect(pools.general.vm_size).toBe(NODE_MACHINE_TYPES.medium.azure);
    expect(pools.batch).toMatchObject({ vm_size: 'Standard_D8s_v5', priority: 'Spot', min_count: 0 });
    expect(onlyResource(devJson, 'azurerm_kubernetes_cluster_node_pool').vm_size).toBe('Standard_D2s_v5');
  });

  test('terraformOverrides reach the AKS resource as given (escape hatch)', () => {
    const json = synthInfra({ ...devEnv, cluster: { ...devEnv.cluster, terraformOverrides: { sku_tier: 'Standard' } } });
    expect(aks(json).sku_tier).toBe('Standard');
  });

  test('outputs what later stacks and people need', () => {
    expect(Object.keys(prodJson.output!).sort()).toEqual([
      'alerts_action_group_id',
      'cluster_certificate_authority_data',
      'cluster_endpoint',
      'cluster_id',
      'cluster_name',
      'cluster_oidc_issuer_url',
      'egress_ip_address',
      'key_vault_id',
      'kubelet_identity_client_id',
      'kubelet_identity_object_id',
      'log_analytics_workspace_id',
      'network_id',
      'private_subnet_ids',
      'registry_id',
      'registry_login_server',
      'registry_name',
      'registry_urls',
      'resource_group_name',
    ]);
    // Team stacks name the registry in scope maps and role assignments (stacks/team).
    expect(prodJson.output!.registry_id.value).toMatch(/^\$\{azurerm_container_registry\.registry_[0-9A-F]+\.id\}$/);
    expect(prodJson.output!.registry_name.value).toMatch(/^\$\{azurerm_container_registry\.registry_[0-9A-F]+\.name\}$/);
    expect(prodJson.output!.cluster_endpoint.value).toMatch(/^https:\/\/\$\{azurerm_kubernetes_cluster\..+\.private_fqdn\}:443$/);
    expect(devJson.output!.cluster_endpoint.value).toMatch(/^https:\/\/\$\{azurerm_kubernetes_cluster\..+\.fqdn\}:443$/);
  });

  test('an environment with local state keeps it in a local file', () => {
    const json = synthInfra({ ...devEnv, state: { backend: 'local' } });
    expect(json.terraform.backend).toEqual({ local: { path: 'azure-dev-infra.tfstate' } });
  });

  test('a later stack reads cluster attributes through a cdktf cross-stack reference to the azurerm state', () => {
    const outdir = tempDir();
    const app = new App({ outdir });
    const infra = { 'azure-dev': new InfraStack(app, { environment: devEnv }) };
    const consumer = new TerraformStack(app, 'azure-dev-consumer');
    createAzureProvider(consumer, 'azurerm', { subscriptionId: devEnv.azure.subscriptionId, tenantId: devEnv.azure.tenantId, tags: { environment: 'azure-dev', owner: 'o', costCenter: 'c' } });
    new TerraformOutput(consumer, 'endpoint', { value: infra['azure-dev'].cluster.endpoint });
    app.synth();
    const consumerJson: TerraformJson = JSON.parse(readFileSync(join(outdir, 'stacks', 'azure-dev-consumer', 'cdk.tf.json'), 'utf8'));
    expect(Object.values(consumerJson.data!.terraform_remote_state)).toEqual([
      expect.objectContaining({
        backend: 'azurerm',
        config: expect.objectContaining({ storage_account_name: 'idpkitstate000001', key: 'idpkit/azure-dev-infra/terraform.tfstate', use_azuread_auth: true }),
      }),
    ]);
  });
});

describe('Kubernetes secrets on Azure', () => {
  test('are envelope-encrypted in etcd with a Key Vault key (AKS KMS) the control plane may encrypt and decrypt with', () => {
    const [keyName, key] = Object.entries(prodJson.resource.azurerm_key_vault_key).find(([, k]: [string, any]) => k.name === 'aks-secrets')!;
    expect(key.key_opts).toEqual(['encrypt', 'decrypt', 'wrapKey', 'unwrapKey']);
    const cluster = onlyResource(prodJson, 'azurerm_kubernetes_cluster');
    expect(cluster.key_management_service).toEqual({ key_vault_key_id: `\${azurerm_key_vault_key.${keyName}.id}`, key_vault_network_access: 'Private' });
    const grant = resources(prodJson, 'azurerm_role_assignment').find((r) => r.role_definition_name === 'Key Vault Crypto User' && /control-plane-identity/.test(r.principal_id));
    expect(grant.scope).toBe(`\${azurerm_key_vault_key.${keyName}.resource_versionless_id}`);
    expect(grant.principal_id).toMatch(/azurerm_user_assigned_identity\..*control-plane-identity.*\.principal_id/);
  });
});

describe('StateBootstrapStack on Azure', () => {
  const json = synthJson(new StateBootstrapStack(new App({ outdir: tempDir() }), { environments: [devEnv] }));

  test('is named after the storage account, keeps local state and creates the hardened account and container', () => {
    expect(json.terraform.backend).toEqual({ local: { path: 'bootstrap-idpkitstate000001.tfstate' } });
    expect(onlyResource(json, 'azurerm_storage_account')).toMatchObject({
      name: 'idpkitstate000001',
      location: refTo(json, 'azurerm_resource_group', 'location'),
      shared_access_key_enabled: false,
      lifecycle: { prevent_destroy: true },
    });
    expect(onlyResource(json, 'azurerm_resource_group')).toMatchObject({ name: 'rg-idpkit-state', location: 'westeurope' });
    expect(onlyResource(json, 'azurerm_storage_container').name).toBe('tfstate');
    // state is encrypted with a key of its own vault, in the environment's tenant
    expect(onlyResource(json, 'azurerm_key_vault')).toMatchObject({ tenant_id: azureDev.azure.tenantId, purge_protection_enabled: true });
    expect(onlyResource(json, 'azurerm_storage_account').customer_managed_key.key_vault_key_id).toBe(refTo(json, 'azurerm_key_vault_key', 'versionless_id'));
    expect(Object.keys(json.output!).sort()).toEqual([
      'ci_azure_dev_apply_client_id', // the GitHub Actions identities of ci.github, for the workflows
      'ci_azure_dev_apply_principal_id',
      'ci_azure_dev_plan_client_id',
      'ci_azure_dev_plan_principal_id',
      'ci_azure_dev_subscription_id',
      'ci_azure_dev_tenant_id',
      'state_container_id',
      'state_storage_account_id',
    ]);
  });
});

describe('CI identities on Azure', () => {
  const bootstrap = synthJson(new StateBootstrapStack(new App({ outdir: tempDir() }), { environments: [devEnv] }));
  const dataIdentity = (json: TerraformJson, name: string) => {
    const [address] = Object.entries(json.data!.azurerm_user_assigned_identity).find(([, body]: [string, any]) => body.name === name)!;
    return `\${data.azurerm_user_assigned_identity.${address}.principal_id}`;
  };
  const grants = (json: TerraformJson, name: string) =>
    resources(json, 'azurerm_role_assignment')
      .filter((a) => a.principal_id === dataIdentity(json, name))
      .map((a) => [a.role_definition_name ?? a.role_definition_id, a.scope])
      .sort();

  test('the infra stack gives the bootstrap stack\'s identities cluster roles and the plan identity the Key Vault\'s secret values', () => {
    const cluster = refTo(devJson, 'azurerm_kubernetes_cluster', 'id');
    const vault = refTo(devJson, 'azurerm_key_vault', 'id');
    expect(Object.values(devJson.data!.azurerm_user_assigned_identity).map((d: any) => d.resource_group_name)).toEqual(['rg-idpkit-state', 'rg-idpkit-state']);
    expect(grants(devJson, 'id-idpkit-azure-dev-apply')).toEqual([['Azure Kubernetes Service RBAC Cluster Admin', cluster]]);
    const reader = resources(bootstrap, 'azurerm_role_definition')[0];
    expect(grants(devJson, 'id-idpkit-azure-dev-plan')).toEqual(
      [
        [`/subscriptions/${devEnv.azure.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${reader.role_definition_id}`, cluster],
        ['Key Vault Secrets User', vault],
      ].sort(),
    );
  });

  test('the bootstrap stack defines the plan identity\'s Kubernetes reader role, which the infra stack assigns by its derived id', () => {
    expect(resources(bootstrap, 'azurerm_role_definition')).toEqual([
      expect.objectContaining({ scope: `/subscriptions/${devEnv.azure.subscriptionId}`, permissions: [expect.objectContaining({ data_actions: ['Microsoft.ContainerService/managedClusters/*/read'] })] }),
    ]);
  });

  test('no cluster grants without ci, or with local state (no bootstrap stack makes the identities)', () => {
    for (const env of [{ ...devEnv, ci: undefined }, { ...devEnv, state: { backend: 'local' as const } }]) {
      expect(synthInfra(env).data?.azurerm_user_assigned_identity).toBeUndefined();
    }
  });

  test('ci.permissions replace the identities\' subscription roles', () => {
    const [custom] = validateEnvironments([{ ...azureDev, ci: { ...azureDev.ci, permissions: { plan: ['Reader'], apply: ['Contributor'] } } }]) as EnvironmentOn<'azure'>[];
    const json = synthJson(new StateBootstrapStack(new App({ outdir: tempDir() }), { environments: [custom] }));
    const subscriptionRoles = resources(json, 'azurerm_role_assignment')
      .filter((a) => a.scope === `/subscriptions/${devEnv.azure.subscriptionId}`)
      .map((a) => a.role_definition_name)
      .sort();
    expect(subscriptionRoles).toEqual(['Contributor', 'Reader']);
  });
});

describe('synthesizePlatform with the Azure examples', () => {
  test('writes an infra stack per environment and a bootstrap stack per storage account', () => {
    const outdir = synthesizedPlatform([azureDev, azureProd]);
    expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual(['azure-dev-infra', 'azure-dev-platform', 'azure-prod-infra', 'azure-prod-platform', 'bootstrap-idpkitstate000001', 'bootstrap-idpkitstate000002']);
  });
});
