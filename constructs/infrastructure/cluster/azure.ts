import { DiskEncryptionSet } from '@cdktf/provider-azurerm/lib/disk-encryption-set';
import { KubernetesCluster as AzurermKubernetesCluster } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { KubernetesClusterNodePool } from '@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { MonitorDataCollectionRule } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule';
import { MonitorDataCollectionRuleAssociation } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule-association';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Construct } from 'constructs';
import { CLUSTER_DEFAULTS, KubernetesCluster, KubernetesClusterProps, NodeGroupProps, SPOT_NODE_TAINT, clusterPropProblems } from '.';
import { Fn, Token } from '../../core/cdktf';
import { cidrsOverlap, formatCidr, parseCidr } from '../../core/cidr';
import { IdpkitError } from '../../core/errors';
import { tierDefault } from '../../core/tiers';
import { applyOverrides } from '../../core/overrides';
import { afterRoleAssignments } from '../../integration/provider/azure';
import { AzureKeyVaultKey } from '../keys/azure';
import { NODE_MACHINE_TYPES } from './node-sizes';
import { AKS_KUBERNETES_VERSIONS, AksKubernetesVersion } from './aks-versions';
import { AKS_SYSTEM_POOL_NAME, aksNodePoolNameProblem } from './aks-names';

/** Days of the week, as AKS maintenance windows name them. */
export type AksWeekday = 'Monday' | 'Tuesday' | 'Wednesday' | 'Thursday' | 'Friday' | 'Saturday' | 'Sunday';

/** A weekly window in which AKS may upgrade the cluster or its node images. */
export interface AksMaintenanceWindow {
  /** Day of the week. */
  readonly dayOfWeek: AksWeekday;
  /** Start, `HH:MM` in `utcOffset`. */
  readonly startTime: string;
  /** Offset of `startTime` from UTC, `+HH:MM` or `-HH:MM`. @default "+00:00" */
  readonly utcOffset?: string;
  /** Length in hours, 4 to 24 (AKS needs at least 4). @default 4 */
  readonly durationHours?: number;
}

/** Props of {@link AzureAksCluster}. */
export interface AzureAksClusterProps extends KubernetesClusterProps {
  /** Kubernetes minor version, one of {@link AKS_KUBERNETES_VERSIONS}; AKS applies patches within it. */
  readonly kubernetesVersion: AksKubernetesVersion;
  /** Object id of the Entra ID group granted cluster admin (Azure RBAC for Kubernetes). */
  readonly adminPrincipal: string;
  /** Entra ID tenant of the cluster's users. */
  readonly tenantId: string;
  /** Resource group of the cluster and its companions (identities, workspace, disk encryption set). */
  readonly resourceGroupName: string;
  /** Azure location of the cluster. */
  readonly location: string;
  /** Subnet of every node pool: it must reach the internet through a NAT gateway (outbound type `userAssignedNATGateway`). */
  readonly nodeSubnetId: string;
  /**
   * The node subnet's VNet. A private cluster links its private DNS zone to it, which takes
   * Network Contributor on the VNet (join), not only on the subnet. @default - derived from `nodeSubnetId`
   */
  readonly virtualNetworkId?: string;
  /**
   * Subnet delegated to `Microsoft.ContainerService/managedClusters` (at least a /28) for API Server
   * VNet Integration: the API server gets an internal address in the VNet, and AKS KMS reaches a
   * private Key Vault from there (`key_vault_network_access = "Private"`), which a `secretsKey` of a
   * private vault needs. @default - no VNet integration
   */
  readonly apiServerSubnetId?: string;
  /** The VNet's address range, checked against the pod and service ranges. @default - not checked */
  readonly networkCidr?: string;
  /**
   * Public IP the nodes egress from (the NAT gateway's). With a public API server it is added to the
   * authorized ranges, or nodes could not reach their own API server. @default - not added
   */
  readonly nodeEgressIpAddress?: string;
  /** Availability zones every node pool spreads over (zones 1 to n). @default 3 */
  readonly availabilityZoneCount?: 2 | 3;
  /** `Standard` has the uptime SLA and is meant for production; `Free` has none. @default "Standard" */
  readonly skuTier?: 'Free' | 'Standard' | 'Premium';
  /** Days cluster logs stay in Log Analytics, 30 to 730. @default - the tier's `logRetentionDays` (dev 30, staging 90, prod 365); 365 without a tier */
  readonly logRetentionDays?: number;
  /** Log Analytics workspace for Container Insights and control-plane logs. @default - a new workspace */
  readonly logAnalyticsWorkspaceId?: string;
  /** Key for the node disks (OS and data) through a disk encryption set. @default - platform-managed keys */
  readonly diskEncryptionKey?: AzureKeyVaultKey;
  /**
   * Key that envelope-encrypts Kubernetes secrets in etcd (AKS KMS); it must allow `encryptDecrypt`.
   * @default - etcd keeps platform-managed encryption only
   */
  readonly secretsKey?: AzureKeyVaultKey;
  /** VM size of the system node pool (CoreDNS, metrics-server, konnectivity only). @default "Standard_D4s_v5" */
  readonly systemNodeVmSize?: string;
  /** Fewest system nodes. @default - one per availability zone */
  readonly systemNodeMinCount?: number;
  /** Most system nodes. @default 6 */
  readonly systemNodeMaxCount?: number;
  /** Overlay range pods get addresses from; must not overlap the VNet or peered networks. @default "10.244.0.0/16" */
  readonly podCidr?: string;
  /** Range of Kubernetes service IPs; DNS is its 10th address. @default "10.245.0.0/16" */
  readonly serviceCidr?: string;
  /** When AKS applies Kubernetes patch upgrades. @default Sunday 02:00 UTC, 4 hours */
  readonly upgradeWindow?: AksMaintenanceWindow;
  /** When AKS applies node image (OS) upgrades. @default Saturday 02:00 UTC, 4 hours */
  readonly nodeOsUpgradeWindow?: AksMaintenanceWindow;
}

/** AKS control-plane log categories sent to Log Analytics (`kube-audit-admin` leaves out reads, which are most of `kube-audit`). */
export const AKS_CONTROL_PLANE_LOG_CATEGORIES = ['kube-apiserver', 'kube-audit-admin', 'kube-controller-manager', 'kube-scheduler', 'cluster-autoscaler', 'guard'];

/** Defaults of {@link AzureAksClusterProps}. */
export const AKS_DEFAULTS = {
  skuTier: 'Standard',
  systemNodeVmSize: NODE_MACHINE_TYPES.medium.azure,
  systemNodeMaxCount: 6,
  podCidr: '10.244.0.0/16',
  serviceCidr: '10.245.0.0/16',
  upgradeWindow: { dayOfWeek: 'Sunday', startTime: '02:00', utcOffset: '+00:00', durationHours: 4 },
  nodeOsUpgradeWindow: { dayOfWeek: 'Saturday', startTime: '02:00', utcOffset: '+00:00', durationHours: 4 },
  maxSurge: '33%',
  drainTimeoutMinutes: 30,
} as const;

/** Node OS: Azure Linux (3.0 on the supported Kubernetes versions), a small, Microsoft-maintained image. */
const NODE_OS_SKU = 'AzureLinux';


const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The label and taint AKS puts on spot nodes; declared so Terraform does not see drift. */
const SPOT_LABEL = { [SPOT_NODE_TAINT.azure.key]: SPOT_NODE_TAINT.azure.value };
const SPOT_TAINT = `${SPOT_NODE_TAINT.azure.key}=${SPOT_NODE_TAINT.azure.value}:NoSchedule`;

/**
 * An AKS cluster hardened the way the AKS security baseline and best-practice guides say: pinned
 * minor version with automatic patch and node-image upgrades in maintenance windows; Entra ID
 * authentication with Azure RBAC and local accounts disabled (cluster admin for one Entra group);
 * workload identity and the OIDC issuer; a private API server unless CIDRs are listed; Azure CNI
 * Overlay powered by Cilium (network policy included) with egress only through the VNet's NAT
 * gateway; a system node pool for critical add-ons only and autoscaled user pools, all spread over
 * zones, with encryption at host and OS disks encrypted with a customer key through a disk
 * encryption set; the Key Vault Secrets Store CSI driver with rotation; Container Insights and
 * control-plane logs in Log Analytics with Entra ID-only ingestion; a user-assigned control-plane
 * identity with only Network Contributor on the node subnet (and Reader on the disk encryption set).
 * With `apiServerSubnetId`, API Server VNet Integration, and AKS KMS reaches a private Key Vault
 * (`key_vault_network_access = "Private"`).
 *
 * @see https://learn.microsoft.com/azure/aks/operator-best-practices-cluster-security
 * @see https://learn.microsoft.com/security/benchmark/azure/baselines/azure-kubernetes-service-aks-security-baseline
 * @see https://learn.microsoft.com/azure/aks/api-server-vnet-integration
 * @see https://learn.microsoft.com/azure/aks/use-kms-etcd-encryption
 * @see https://registry.terraform.io/providers/hashicorp/azurerm/4.55.0/docs/resources/kubernetes_cluster
 * @example
 * declare const network: AzureNetwork;
 * declare const vault: AzureKeyVault;
 * const cluster = new AzureAksCluster(this, 'cluster', {
 *   name: 'idp-prod', kubernetesVersion: '1.35', tenantId: '00000000-0000-0000-0000-0000000000aa', location: 'westeurope', resourceGroupName: 'rg-idp-prod',
 *   adminPrincipal: '00000000-0000-0000-0000-0000000000ad', nodeSubnetId: network.nodeSubnetId,
 *   nodeGroups: [{ name: 'general', instanceTypes: ['Standard_D4s_v5'], minSize: 3, maxSize: 12 }],
 *   diskEncryptionKey: vault.addKey('aks-disks', { alias: 'aks-disks', description: 'AKS node disks' }),
 * });
 */
export class AzureAksCluster extends Construct implements KubernetesCluster {
  readonly clusterName: string;
  readonly endpoint: string;
  readonly certificateAuthorityData: string;
  readonly oidcIssuerUrl: string;
  /** The cluster's resource id. */
  readonly clusterId: string;
  /** Object (principal) id of the kubelet identity: what pulls images, e.g. for `registry.grantPull`. */
  readonly kubeletIdentityObjectId: string;
  /** Client id of the kubelet identity. */
  readonly kubeletIdentityClientId: string;
  /** Principal id of the control-plane identity. */
  readonly controlPlanePrincipalId: string;
  /** The Log Analytics workspace cluster logs go to. */
  readonly logAnalyticsWorkspaceId: string;
  /** The disk encryption set of the node disks, when a key was given. */
  readonly diskEncryptionSetId?: string;
  /**
   * The resource group AKS creates for the nodes (`MC_<group>_<cluster>_<location>` unless
   * overridden): node VMs, their disks, the load balancer and public IPs are billed there.
   */
  readonly nodeResourceGroupName: string;

  constructor(scope: Construct, id: string, props: AzureAksClusterProps) {
    super(scope, id);
    const zones = ['1', '2', '3'].slice(0, props.availabilityZoneCount ?? 3);
    const logRetentionDays = props.logRetentionDays ?? tierDefault(this, (rules) => rules.logRetentionDays, CLUSTER_DEFAULTS.logRetentionDays);
    const podCidr = props.podCidr ?? AKS_DEFAULTS.podCidr;
    const serviceCidr = props.serviceCidr ?? AKS_DEFAULTS.serviceCidr;
    const systemMin = props.systemNodeMinCount ?? zones.length;
    const systemMax = props.systemNodeMaxCount ?? Math.max(AKS_DEFAULTS.systemNodeMaxCount, systemMin);
    const upgradeWindow = { ...AKS_DEFAULTS.upgradeWindow, ...props.upgradeWindow };
    const nodeOsWindow = { ...AKS_DEFAULTS.nodeOsUpgradeWindow, ...props.nodeOsUpgradeWindow };
    this.validate(props, { logRetentionDays, podCidr, serviceCidr, systemMin, systemMax, windows: [upgradeWindow, nodeOsWindow] });
    const publicEndpointCidrs = [...(props.publicEndpointCidrs ?? [])];
    const isPrivate = publicEndpointCidrs.length === 0;
    const apiServerSubnetId = props.apiServerSubnetId;
    const where = { resourceGroupName: props.resourceGroupName, location: props.location };

    const controlPlane = new UserAssignedIdentity(this, 'control-plane-identity', { ...where, name: `id-${props.name}-control-plane` });
    const dependencies: RoleAssignment[] = [
      this.grant('control-plane-joins-subnet', props.nodeSubnetId, 'Network Contributor', controlPlane.principalId, 'Lets AKS join nodes and load balancers to the node subnet'),
    ];
    if (apiServerSubnetId !== undefined) {
      dependencies.push(
        this.grant('control-plane-joins-api-server-subnet', apiServerSubnetId, 'Network Contributor', controlPlane.principalId, 'Lets AKS place the API server in its delegated subnet'),
      );
    }
    if (isPrivate) {
      const vnetId = props.virtualNetworkId ?? vnetOf(props.nodeSubnetId);
      dependencies.push(
        this.grant('control-plane-links-private-dns', vnetId, 'Network Contributor', controlPlane.principalId, 'Lets AKS link the private API server DNS zone to the VNet'),
      );
    }
    if (props.secretsKey) {
      dependencies.push(props.secretsKey.grantCryptoUser(controlPlane.principalId));
      if (props.secretsKey.isPrivate) {
        // AKS links a private vault to the API server's subnet itself (a private endpoint connection on the vault).
        dependencies.push(
          this.grant('control-plane-links-private-key-vault', props.secretsKey.vaultId, 'Key Vault Contributor', controlPlane.principalId, 'Lets AKS KMS connect privately to the Key Vault of its key'),
        );
      }
    }
    const authorizedIpRanges = [...publicEndpointCidrs, ...(props.nodeEgressIpAddress !== undefined ? [`${props.nodeEgressIpAddress}/32`] : [])];

    let diskEncryptionSet: DiskEncryptionSet | undefined;
    if (props.diskEncryptionKey) {
      const desIdentity = new UserAssignedIdentity(this, 'disk-encryption-identity', { ...where, name: `id-${props.name}-disk-encryption` });
      const keyAccess = props.diskEncryptionKey.grantEncryptionUser(desIdentity.principalId);
      diskEncryptionSet = new DiskEncryptionSet(this, 'disk-encryption-set', {
        ...where,
        name: `des-${props.name}`,
        keyVaultKeyId: props.diskEncryptionKey.keyId,
        autoKeyRotationEnabled: true,
        encryptionType: 'EncryptionAtRestWithCustomerKey',
        identity: { type: 'UserAssigned', identityIds: [desIdentity.id] },
        // The disk encryption set reads the key as its identity when it is created.
        dependsOn: [afterRoleAssignments(this, 'disk-encryption-key-access-propagated', [keyAccess])],
      });
      dependencies.push(
        this.grant('control-plane-reads-disk-encryption-set', diskEncryptionSet.id, 'Reader', controlPlane.principalId, 'Lets AKS read the disk encryption set of its node disks'),
      );
    }

    const workspaceId =
      props.logAnalyticsWorkspaceId ??
      new LogAnalyticsWorkspace(this, 'logs', {
        ...where,
        name: `log-${props.name}`,
        sku: 'PerGB2018',
        retentionInDays: logRetentionDays,
        localAuthenticationEnabled: false,
      }).id;

    const upgradeSettings = { maxSurge: AKS_DEFAULTS.maxSurge, drainTimeoutInMinutes: AKS_DEFAULTS.drainTimeoutMinutes };
    const cluster = new AzurermKubernetesCluster(this, 'cluster', {
      ...where,
      name: props.name,
      dnsPrefix: props.name,
      kubernetesVersion: props.kubernetesVersion,
      skuTier: props.skuTier ?? AKS_DEFAULTS.skuTier,
      automaticUpgradeChannel: 'patch',
      nodeOsUpgradeChannel: 'NodeImage',
      maintenanceWindowAutoUpgrade: this.window(upgradeWindow),
      maintenanceWindowNodeOs: this.window(nodeOsWindow),
      localAccountDisabled: true,
      roleBasedAccessControlEnabled: true,
      azureActiveDirectoryRoleBasedAccessControl: { azureRbacEnabled: true, tenantId: props.tenantId, adminGroupObjectIds: [props.adminPrincipal] },
      oidcIssuerEnabled: true,
      workloadIdentityEnabled: true,
      privateClusterEnabled: isPrivate,
      privateClusterPublicFqdnEnabled: isPrivate ? false : undefined,
      privateDnsZoneId: isPrivate ? 'System' : undefined,
      apiServerAccessProfile:
        isPrivate && apiServerSubnetId === undefined
          ? undefined
          : {
              authorizedIpRanges: isPrivate ? undefined : authorizedIpRanges,
              subnetId: apiServerSubnetId,
              virtualNetworkIntegrationEnabled: apiServerSubnetId !== undefined ? true : undefined,
            },
      identity: { type: 'UserAssigned', identityIds: [controlPlane.id] },
      diskEncryptionSetId: diskEncryptionSet?.id,
      keyManagementService: props.secretsKey
        ? { keyVaultKeyId: props.secretsKey.versionedKeyId, keyVaultNetworkAccess: props.secretsKey.isPrivate ? 'Private' : 'Public' }
        : undefined,
      defaultNodePool: {
        name: AKS_SYSTEM_POOL_NAME,
        temporaryNameForRotation: `${AKS_SYSTEM_POOL_NAME}tmp`,
        vmSize: props.systemNodeVmSize ?? AKS_DEFAULTS.systemNodeVmSize,
        orchestratorVersion: props.kubernetesVersion,
        onlyCriticalAddonsEnabled: true,
        autoScalingEnabled: true,
        minCount: systemMin,
        maxCount: systemMax,
        nodeCount: systemMin,
        zones,
        vnetSubnetId: props.nodeSubnetId,
        hostEncryptionEnabled: true,
        osSku: NODE_OS_SKU,
        osDiskType: 'Managed',
        osDiskSizeGb: CLUSTER_DEFAULTS.diskSizeGiB,
        upgradeSettings,
      },
      networkProfile: {
        networkPlugin: 'azure',
        networkPluginMode: 'overlay',
        networkPolicy: 'cilium',
        networkDataPlane: 'cilium',
        outboundType: 'userAssignedNATGateway',
        loadBalancerSku: 'standard',
        podCidr,
        serviceCidr,
        dnsServiceIp: nthAddress(serviceCidr, 10),
      },
      keyVaultSecretsProvider: { secretRotationEnabled: true, secretRotationInterval: '2m' },
      omsAgent: { logAnalyticsWorkspaceId: workspaceId, msiAuthForMonitoringEnabled: true },
      imageCleanerEnabled: true,
      imageCleanerIntervalHours: 168,
      lifecycle: {
        ignoreChanges: ['default_node_pool[0].node_count'],
        preventDestroy: props.deletionProtection ?? tierDefault(this, (rules) => rules.deletionProtection, CLUSTER_DEFAULTS.deletionProtection),
      },
      // AKS checks its control-plane identity's roles (subnet, VNet, KMS key, disk encryption set) when it creates the cluster.
      dependsOn: [afterRoleAssignments(this, 'control-plane-roles-propagated', dependencies)],
    });
    applyOverrides(cluster, props.terraformOverrides);

    this.addMonitoring(props, cluster, workspaceId);
    props.nodeGroups.forEach((group) => this.addNodePool(props, group, cluster, zones, upgradeSettings));

    this.clusterName = cluster.name;
    this.clusterId = cluster.id;
    this.endpoint = `https://${isPrivate ? cluster.privateFqdn : cluster.fqdn}:443`;
    // The CA certificate is public, but azurerm marks all of kube_config sensitive; outputs need it plain.
    this.certificateAuthorityData = Fn.nonsensitive(cluster.kubeConfig.get(0).clusterCaCertificate) as string;
    this.oidcIssuerUrl = cluster.oidcIssuerUrl;
    this.kubeletIdentityObjectId = cluster.kubeletIdentity.objectId;
    this.kubeletIdentityClientId = cluster.kubeletIdentity.clientId;
    this.controlPlanePrincipalId = controlPlane.principalId;
    this.logAnalyticsWorkspaceId = workspaceId;
    this.diskEncryptionSetId = diskEncryptionSet?.id;
    this.nodeResourceGroupName = cluster.nodeResourceGroup;
  }

  /** Container Insights through a data collection rule (Entra ID auth), and control-plane logs through diagnostic settings. */
  private addMonitoring(props: AzureAksClusterProps, cluster: AzurermKubernetesCluster, workspaceId: string): void {
    const stream = 'Microsoft-ContainerInsights-Group-Default';
    const rule = new MonitorDataCollectionRule(this, 'container-insights', {
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      name: `dcr-${props.name}-container-insights`,
      description: `Container Insights of ${props.name}`,
      destinations: { logAnalytics: [{ name: 'workspace', workspaceResourceId: workspaceId }] },
      dataFlow: [{ streams: [stream], destinations: ['workspace'] }],
      dataSources: {
        extension: [
          {
            name: 'ContainerInsightsExtension',
            extensionName: 'ContainerInsights',
            streams: [stream],
            extensionJson: JSON.stringify({ dataCollectionSettings: { interval: '1m', namespaceFilteringMode: 'Off', enableContainerLogV2: true } }),
          },
        ],
      },
    });
    new MonitorDataCollectionRuleAssociation(this, 'container-insights-association', {
      name: 'ContainerInsightsExtension',
      targetResourceId: cluster.id,
      dataCollectionRuleId: rule.id,
    });
    new MonitorDiagnosticSetting(this, 'control-plane-logs', {
      name: 'control-plane-logs',
      targetResourceId: cluster.id,
      logAnalyticsWorkspaceId: workspaceId,
      logAnalyticsDestinationType: 'Dedicated',
      enabledLog: AKS_CONTROL_PLANE_LOG_CATEGORIES.map((category) => ({ category })),
    });
  }

  private addNodePool(
    props: AzureAksClusterProps,
    group: NodeGroupProps,
    cluster: AzurermKubernetesCluster,
    zones: string[],
    upgradeSettings: { maxSurge: string; drainTimeoutInMinutes: number },
  ): KubernetesClusterNodePool {
    const spot = group.capacityType === 'SPOT';
    const labels = { ...group.labels, ...(spot ? SPOT_LABEL : {}) };
    return new KubernetesClusterNodePool(this, `${group.name}-nodes`, {
      name: group.name,
      kubernetesClusterId: cluster.id,
      mode: 'User',
      vmSize: group.instanceTypes[0],
      orchestratorVersion: props.kubernetesVersion,
      autoScalingEnabled: true,
      minCount: group.minSize,
      maxCount: group.maxSize,
      nodeCount: group.desiredSize ?? group.minSize,
      zones,
      vnetSubnetId: props.nodeSubnetId,
      hostEncryptionEnabled: true,
      osType: 'Linux',
      osSku: NODE_OS_SKU,
      osDiskType: 'Managed',
      osDiskSizeGb: group.diskSizeGiB ?? CLUSTER_DEFAULTS.diskSizeGiB,
      nodeLabels: Object.keys(labels).length > 0 ? labels : undefined,
      nodeTaints: spot ? [SPOT_TAINT] : undefined,
      priority: spot ? 'Spot' : 'Regular',
      evictionPolicy: spot ? 'Delete' : undefined,
      spotMaxPrice: spot ? -1 : undefined,
      // Spot pools are not surge-upgraded (AKS replaces evicted nodes instead).
      upgradeSettings: spot ? undefined : upgradeSettings,
      temporaryNameForRotation: spot ? undefined : `${group.name.slice(0, 9)}tmp`,
      lifecycle: { ignoreChanges: ['node_count'] },
    });
  }

  private grant(id: string, scope: string, role: string, principalId: string, description: string): RoleAssignment {
    return new RoleAssignment(this, id, {
      scope,
      roleDefinitionName: role,
      principalId,
      principalType: 'ServicePrincipal',
      skipServicePrincipalAadCheck: true,
      description,
    });
  }

  private window(window: Required<AksMaintenanceWindow>) {
    return {
      frequency: 'Weekly',
      interval: 1,
      dayOfWeek: window.dayOfWeek,
      startTime: window.startTime,
      utcOffset: window.utcOffset,
      duration: window.durationHours,
    };
  }

  private validate(
    props: AzureAksClusterProps,
    resolved: { logRetentionDays: number; podCidr: string; serviceCidr: string; systemMin: number; systemMax: number; windows: Required<AksMaintenanceWindow>[] },
  ): void {
    const at = `${this.node.path}:`;
    const problems = clusterPropProblems(this.node.path, props, AKS_KUBERNETES_VERSIONS);
    if (!/^[a-zA-Z0-9][a-zA-Z0-9-]{0,52}[a-zA-Z0-9]$/.test(props.name)) {
      problems.push(`${at} name "${props.name}" cannot be an AKS DNS prefix (2-54 letters, digits and "-", starting and ending with a letter or digit)`);
    }
    if (!UUID.test(props.adminPrincipal)) problems.push(`${at} adminPrincipal "${props.adminPrincipal}" is not an Entra ID group object id (a UUID)`);
    if (props.secretsKey?.isPrivate && props.apiServerSubnetId === undefined) {
      problems.push(`${at} secretsKey is in a private Key Vault, which AKS KMS reaches only from an API server in the VNet: give apiServerSubnetId (a subnet delegated to Microsoft.ContainerService/managedClusters), or use a key of a public vault`);
    }
    if (!Token.isUnresolved(props.tenantId) && !UUID.test(props.tenantId)) problems.push(`${at} tenantId "${props.tenantId}" is not an Entra ID tenant id (a UUID)`);
    const days = resolved.logRetentionDays;
    if (!Number.isInteger(days) || days < 30 || days > 730) {
      problems.push(`${at} logRetentionDays ${days} is outside what Log Analytics allows here (30 to 730)`);
    }
    (props.publicEndpointCidrs ?? []).forEach((cidr) => {
      if (!parseCidr(cidr)) problems.push(`${at} publicEndpointCidrs entry "${cidr}" is not a valid IPv4 CIDR (expected e.g. 203.0.113.0/24)`);
    });
    if (!Number.isInteger(resolved.systemMin) || resolved.systemMin < 1 || resolved.systemMin > resolved.systemMax) {
      problems.push(`${at} system node counts min ${resolved.systemMin} / max ${resolved.systemMax} are not ordered (need 1 <= min <= max)`);
    }
    problems.push(...this.rangeProblems(props, resolved.podCidr, resolved.serviceCidr));
    resolved.windows.forEach((window) => {
      if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(window.startTime)) problems.push(`${at} maintenance window startTime "${window.startTime}" is not HH:MM`);
      if (!/^[+-]([01]\d|2[0-3]):[0-5]\d$/.test(window.utcOffset)) problems.push(`${at} maintenance window utcOffset "${window.utcOffset}" is not +HH:MM or -HH:MM`);
      if (!Number.isInteger(window.durationHours) || window.durationHours < 4 || window.durationHours > 24) {
        problems.push(`${at} maintenance window durationHours ${window.durationHours} is outside what AKS allows (4 to 24)`);
      }
    });
    props.nodeGroups.forEach((group) => {
      const nameProblem = aksNodePoolNameProblem(group.name);
      if (nameProblem) problems.push(`${at} node group "${group.name}" ${nameProblem}`);
      if (group.instanceTypes.length !== 1) {
        problems.push(`${at} node group "${group.name}" lists ${group.instanceTypes.length} VM sizes (${group.instanceTypes.join(', ')}); an AKS node pool takes exactly one`);
      }
      const disk = group.diskSizeGiB ?? CLUSTER_DEFAULTS.diskSizeGiB;
      if (disk < 30 || disk > 2048) problems.push(`${at} node group "${group.name}" diskSizeGiB ${disk} is outside what AKS OS disks allow (30 to 2048)`);
    });
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
  }

  private rangeProblems(props: AzureAksClusterProps, podCidr: string, serviceCidr: string): string[] {
    const at = `${this.node.path}:`;
    const problems: string[] = [];
    const pods = parseCidr(podCidr);
    const services = parseCidr(serviceCidr);
    if (!pods || pods.prefix > 24) problems.push(`${at} podCidr "${podCidr}" is not an IPv4 CIDR of /24 or larger (each node takes a /24)`);
    if (!services || services.prefix > 28) problems.push(`${at} serviceCidr "${serviceCidr}" is not an IPv4 CIDR of /28 or larger`);
    const network = props.networkCidr !== undefined ? parseCidr(props.networkCidr) : undefined;
    const ranges: [string, typeof pods][] = [
      [`podCidr "${podCidr}"`, pods],
      [`serviceCidr "${serviceCidr}"`, services],
    ];
    for (const [label, block] of ranges) {
      if (block && network && cidrsOverlap(block, network)) {
        problems.push(`${at} ${label} overlaps the VNet range ${props.networkCidr} (give the environment a network.cidr outside ${podCidr} and ${serviceCidr})`);
      }
    }
    if (pods && services && cidrsOverlap(pods, services)) problems.push(`${at} podCidr "${podCidr}" overlaps serviceCidr "${serviceCidr}" (they must be disjoint)`);
    return problems;
  }
}

/** The VNet id of a subnet id (`.../virtualNetworks/<vnet>/subnets/<subnet>`), also when the subnet id is a Terraform reference. */
function vnetOf(subnetId: string): string {
  if (!Token.isUnresolved(subnetId)) return subnetId.replace(/\/subnets\/[^/]+$/i, '');
  return Fn.join('/', Fn.slice(Fn.split('/', subnetId), 0, 9));
}

/** The `n`-th address of a CIDR block, e.g. the cluster DNS service IP `10.245.0.10`. */
function nthAddress(cidr: string, n: number): string {
  const block = parseCidr(cidr);
  return block ? formatCidr({ network: block.network + n, prefix: 32 }).split('/')[0] : cidr;
}
