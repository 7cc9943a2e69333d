import { ComputeFirewall } from '@cdktf/provider-google/lib/compute-firewall';
import { ContainerCluster } from '@cdktf/provider-google/lib/container-cluster';
import { ContainerNodePool } from '@cdktf/provider-google/lib/container-node-pool';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { Construct } from 'constructs';
import { CLUSTER_DEFAULTS, KubernetesCluster, KubernetesClusterProps, NodeGroupProps, SPOT_NODE_TAINT, clusterPropProblems } from '.';
import { Fn } from '../../core/cdktf';
import { parseCidr } from '../../core/cidr';
import { IdpkitError, describeValue } from '../../core/errors';
import { tierDefault } from '../../core/tiers';
import { applyOverrides } from '../../core/overrides';
import { gcpContext } from '../../integration/provider/gcp';
import { GCP_SERVICES, gcpServiceAgent, requireServices } from '../../integration/services/gcp';
import { GcpKmsKey } from '../keys/gcp';
import { GkeNetworkAttachment } from '../network/gcp';
import { DEFAULT_GKE_RELEASE_CHANNEL, GKE_KUBERNETES_VERSIONS, GkeKubernetesVersion } from './gke-versions';

/** GKE release channels a cluster can follow. */
export type GkeReleaseChannel = 'RAPID' | 'REGULAR' | 'STABLE';

/** A recurring GKE maintenance window (RFC 3339 times, RFC 5545 recurrence). */
export interface GkeMaintenanceWindow {
  /** First window's start, e.g. `2026-01-06T03:00:00Z`. */
  readonly startTime: string;
  /** First window's end; the length repeats. */
  readonly endTime: string;
  /** Recurrence rule, e.g. `FREQ=WEEKLY;BYDAY=TU,WE,TH`. */
  readonly recurrence: string;
}

/**
 * Automatic upgrades happen Tuesday to Thursday, 03:00-07:00 UTC: 12 hours a week, above GKE's
 * minimum of 48 hours in any 32 days, on weekdays when people are around, never Monday or Friday.
 */
export const DEFAULT_GKE_MAINTENANCE_WINDOW: GkeMaintenanceWindow = {
  startTime: '2026-01-06T03:00:00Z',
  endTime: '2026-01-06T07:00:00Z',
  recurrence: 'FREQ=WEEKLY;BYDAY=TU,WE,TH',
};

/** Logs GKE sends to Cloud Logging: system components, the control plane (API server, controller manager, scheduler) and workloads. */
export const GKE_LOGGING_COMPONENTS = ['SYSTEM_COMPONENTS', 'APISERVER', 'CONTROLLER_MANAGER', 'SCHEDULER', 'WORKLOADS'];

/** Metrics GKE sends to Cloud Monitoring: system and control-plane metrics and the kube-state-metrics packages. */
export const GKE_MONITORING_COMPONENTS = [
  'SYSTEM_COMPONENTS',
  'APISERVER',
  'SCHEDULER',
  'CONTROLLER_MANAGER',
  'STORAGE',
  'HPA',
  'POD',
  'DAEMONSET',
  'DEPLOYMENT',
  'STATEFULSET',
];

/**
 * The least-privilege role for GKE node service accounts (logs, metrics, and what nodes need to
 * run); image pulls are granted per repository by the registry.
 *
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/service-accounts#default-gke-service-agent
 */
export const GKE_NODE_SERVICE_ACCOUNT_ROLE = 'roles/container.defaultNodeServiceAccount';

/** The role the cluster admin principal gets on the project: full control of GKE clusters and their Kubernetes APIs. */
export const GKE_ADMIN_ROLE = 'roles/container.admin';

/** Node VMs' access scope: everything, so that IAM alone decides what the node service account may do. */
const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/** Node boot disks: balanced persistent disks (SSD-backed, cheaper than pd-ssd). */
const NODE_DISK_TYPE = 'pd-balanced';

/** GKE cluster and node pool names: a lowercase letter, then lowercase letters, digits and "-", at most 40. */
const GKE_NAME = /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/;

/** IAM members a project binding accepts. */
const IAM_MEMBER = /^(user|group|serviceAccount|domain):\S+$/;

/** Props of {@link GcpGkeCluster}. */
export interface GcpGkeClusterProps extends KubernetesClusterProps {
  /** Cluster name: a lowercase letter, then lowercase letters, digits and "-", at most 40 characters. */
  readonly name: string;
  /** Kubernetes minor version, one of {@link GKE_KUBERNETES_VERSIONS}, pinned as `min_master_version`. */
  readonly kubernetesVersion: GkeKubernetesVersion;
  /** IAM member granted `roles/container.admin` on the project, e.g. `group:platform-admins@example.com`. */
  readonly adminPrincipal: string;
  /** Region of the cluster (or of its zone). */
  readonly region: string;
  /** The VPC, subnet and secondary ranges the cluster uses (e.g. a {@link GcpNetwork}). */
  readonly network: GkeNetworkAttachment;
  /**
   * Zones the nodes span. 3: a regional cluster (control plane replicated over three zones, nodes
   * in GKE's three default zones of the region). 2: a zonal control plane in `<region>-b` with
   * nodes in `<region>-b` and `<region>-c` (cheaper, no control-plane HA: dev only).
   * @default 3
   */
  readonly availabilityZoneCount?: 2 | 3;
  /** Key that encrypts Kubernetes secrets in etcd (application-layer secrets encryption). @default - a new key is created */
  readonly secretsKey?: GcpKmsKey;
  /** Days a scheduled destruction of a key this construct creates waits. @default - the tier's `keyDeletionWindowDays` (dev 7, staging and prod 30); 30 without a tier */
  readonly keyDeletionWindowDays?: number;
  /** Release channel that keeps the cluster's patch version current. @default "REGULAR" */
  readonly releaseChannel?: GkeReleaseChannel;
  /** When GKE may upgrade the cluster. @default DEFAULT_GKE_MAINTENANCE_WINDOW (Tue-Thu 03:00-07:00 UTC) */
  readonly maintenanceWindow?: GkeMaintenanceWindow;
  /**
   * TCP ports admission and conversion webhooks listen on in their pods (e.g. 15017 for istiod,
   * 9443 for Kyverno). GKE lets the control plane reach private nodes on 443 and 10250 only, and the
   * API server calls webhooks on the pod's own port, so a firewall rule opens these from the
   * control plane to the nodes.
   * @default - none (no rule)
   */
  readonly webhookPorts?: readonly number[];
}

/** A short, stable hash of a string (FNV-1a, 4 hex digits), to keep truncated names unique. */
const shortHash = (text: string): string => {
  let hash = 0x811c9dc5;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0').slice(0, 4);
};

/**
 * The account id (6-30 characters) of a cluster's node service account: `<cluster>-nodes`, or for
 * long cluster names the first 19 characters, a hash of the full name, and `-nodes`.
 */
export function gkeNodeServiceAccountId(clusterName: string): string {
  const plain = `${clusterName}-nodes`;
  if (plain.length <= 30) return plain;
  return `${clusterName.slice(0, 19).replace(/-+$/, '')}-${shortHash(clusterName)}-nodes`;
}

/**
 * Nodes each zone starts with: the node group's desired size spread over the zones, rounded up
 * when `maxSize` allows, else down. GKE counts `initial_node_count` per zone.
 */
export function gkeInitialNodesPerZone(group: NodeGroupProps, zones: number): number {
  const desired = group.desiredSize ?? group.minSize;
  const up = Math.ceil(desired / zones);
  return up * zones <= group.maxSize ? up : Math.floor(desired / zones);
}

/**
 * A GKE Standard cluster hardened the way GKE's hardening guide says: private nodes, private API
 * endpoint unless CIDRs are listed (then only those reach it), Workload Identity, Dataplane V2
 * (network policy), shielded nodes with secure boot, Kubernetes secrets encrypted with a Cloud KMS
 * key, no client certificates or legacy ABAC, REGULAR release channel with the minor version
 * pinned and a maintenance window, system, control-plane and workload logs, Managed Prometheus,
 * and node pools on a dedicated least-privilege service account with the GKE metadata server,
 * legacy metadata endpoints off, auto-repair and auto-upgrade; spot pools tainted
 * (`SPOT_NODE_TAINT`), and a firewall rule that lets the control plane reach `webhookPorts`.
 * With `deletionProtection` (the default outside dev and staging tiers) GKE refuses to delete the cluster and Terraform refuses
 * to plan its destruction (`prevent_destroy`, also on the secrets key it creates).
 *
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster
 * @see https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster
 * @example
 * declare const network: GcpNetwork;
 * const cluster = new GcpGkeCluster(this, 'cluster', {
 *   name: 'idp-prod', kubernetesVersion: '1.35', region: 'europe-west1', network,
 *   adminPrincipal: 'group:platform-admins@example.com',
 *   nodeGroups: [{ name: 'general', instanceTypes: ['e2-standard-4'], minSize: 3, maxSize: 12 }],
 * });
 */
export class GcpGkeCluster extends Construct implements KubernetesCluster {
  readonly clusterName: string;
  /** API server URL, `https://<endpoint>` (the private endpoint when the API is private). */
  readonly endpoint: string;
  readonly certificateAuthorityData: string;
  /** `https://container.googleapis.com/v1/projects/<p>/locations/<location>/clusters/<name>`. */
  readonly oidcIssuerUrl: string;
  /** The cluster's location: the region, or the zone of a zonal cluster. */
  readonly location: string;
  /**
   * The Workload Identity pool, `<project>.svc.id.goog`, read from the cluster
   * (`workload_identity_config[0].workload_pool`): GKE creates the pool with the cluster, and IAM
   * refuses members of a pool that does not exist yet, so bindings that name it wait for the cluster.
   */
  readonly workloadIdentityPool: string;
  /** Email of the nodes' service account. */
  readonly nodeServiceAccountEmail: string;
  /** IAM member of the nodes' service account (`serviceAccount:<email>`), e.g. for `registry.grantPull`. */
  readonly nodeServiceAccountMember: string;
  /** The key that encrypts Kubernetes secrets. */
  readonly secretsKey: GcpKmsKey;

  constructor(scope: Construct, id: string, props: GcpGkeClusterProps) {
    super(scope, id);
    this.validate(props);
    const zoneCount = props.availabilityZoneCount ?? 3;
    const regional = zoneCount === 3;
    const publicEndpointCidrs = [...(props.publicEndpointCidrs ?? [])];
    const window = props.maintenanceWindow ?? DEFAULT_GKE_MAINTENANCE_WINDOW;
    const deletionProtection = props.deletionProtection ?? tierDefault(this, (rules) => rules.deletionProtection, CLUSTER_DEFAULTS.deletionProtection);
    const { projectId } = gcpContext(this);
    const services = requireServices(this, [
      GCP_SERVICES.container,
      GCP_SERVICES.compute,
      GCP_SERVICES.logging,
      GCP_SERVICES.monitoring,
      GCP_SERVICES.iam,
      GCP_SERVICES.cloudresourcemanager,
    ]);

    this.secretsKey =
      props.secretsKey ??
      new GcpKmsKey(this, 'secrets-key', {
        alias: `${props.name}-gke-secrets`,
        description: `Kubernetes secrets of GKE cluster ${props.name}`,
        location: props.region,
        deletionWindowDays: props.keyDeletionWindowDays,
        preventDestroy: deletionProtection,
      });
    const secretsGrant = this.secretsKey.grantEncryptDecrypt('gke-service-agent', gcpServiceAgent(this, 'container'));

    const nodeServiceAccount = new ServiceAccount(this, 'node-service-account', {
      accountId: gkeNodeServiceAccountId(props.name),
      displayName: `GKE nodes of ${props.name}`,
      description: `Node service account of GKE cluster ${props.name} (idpkit): ${GKE_NODE_SERVICE_ACCOUNT_ROLE} only, plus image pulls per repository`,
      dependsOn: services,
    });
    const nodeRole = new ProjectIamMember(this, 'node-service-account-role', {
      project: projectId,
      role: GKE_NODE_SERVICE_ACCOUNT_ROLE,
      member: nodeServiceAccount.member,
      dependsOn: services,
    });
    new ProjectIamMember(this, 'admin', { project: projectId, role: GKE_ADMIN_ROLE, member: props.adminPrincipal, dependsOn: services });

    const nodeHardening = {
      serviceAccount: nodeServiceAccount.email,
      oauthScopes: [CLOUD_PLATFORM_SCOPE],
      workloadMetadataConfig: { mode: 'GKE_METADATA' },
      shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
      metadata: { 'disable-legacy-endpoints': 'true' },
    };
    const cluster = new ContainerCluster(this, 'cluster', {
      name: props.name,
      description: `idpkit GKE cluster ${props.name}`,
      location: regional ? props.region : `${props.region}-b`,
      nodeLocations: regional ? undefined : [`${props.region}-c`],
      // GKE creates a default node pool that cannot be configured fully; idpkit removes it at once
      // and runs its own pools. Until then it runs on the node service account, not the Compute
      // Engine default one (which an organization policy may have removed).
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      nodeConfig: { ...nodeHardening, diskType: NODE_DISK_TYPE },
      network: props.network.networkSelfLink,
      subnetwork: props.network.subnetSelfLink,
      networkingMode: 'VPC_NATIVE',
      ipAllocationPolicy: {
        clusterSecondaryRangeName: props.network.podsRangeName,
        servicesSecondaryRangeName: props.network.servicesRangeName,
        stackType: 'IPV4',
      },
      datapathProvider: 'ADVANCED_DATAPATH',
      privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: publicEndpointCidrs.length === 0 },
      masterAuthorizedNetworksConfig: {
        gcpPublicCidrsAccessEnabled: false,
        cidrBlocks: publicEndpointCidrs.map((cidrBlock, index) => ({ cidrBlock, displayName: `public-endpoint-${index}` })),
      },
      masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
      enableLegacyAbac: false,
      enableShieldedNodes: true,
      workloadIdentityConfig: { workloadPool: `${projectId}.svc.id.goog` },
      databaseEncryption: { state: 'ENCRYPTED', keyName: this.secretsKey.keyId },
      releaseChannel: { channel: props.releaseChannel ?? DEFAULT_GKE_RELEASE_CHANNEL },
      minMasterVersion: props.kubernetesVersion,
      maintenancePolicy: { recurringWindow: { ...window } },
      loggingConfig: { enableComponents: GKE_LOGGING_COMPONENTS },
      monitoringConfig: { enableComponents: GKE_MONITORING_COMPONENTS, managedPrometheus: { enabled: true } },
      deletionProtection,
      // node_config describes only the removed default pool; GKE reports another pool's config later.
      // With deletion protection Terraform also refuses to plan the cluster's destruction.
      lifecycle: { ignoreChanges: ['node_config'], ...(deletionProtection ? { preventDestroy: true } : {}) },
      dependsOn: [...services, secretsGrant, nodeRole],
    });
    applyOverrides(cluster, props.terraformOverrides);

    const webhookPorts = [...new Set(props.webhookPorts ?? [])].sort((a, b) => a - b);
    if (webhookPorts.length > 0) {
      new ComputeFirewall(this, 'control-plane-webhooks', {
        name: `${props.name}-webhooks`,
        description: `Control plane of ${props.name} to admission webhooks on its nodes (idpkit): tcp ${webhookPorts.join(', ')}`,
        network: props.network.networkSelfLink,
        direction: 'INGRESS',
        // The control plane's range (VPC peering), or, with Private Service Connect (no such range), the node subnet its endpoint lives in.
        sourceRanges: [Fn.coalesce([cluster.privateClusterConfig.masterIpv4CidrBlock, props.network.subnetCidr])],
        targetServiceAccounts: [nodeServiceAccount.email],
        allow: [{ protocol: 'tcp', ports: webhookPorts.map(String) }],
      });
    }

    for (const group of props.nodeGroups) {
      const spot = (group.capacityType ?? CLUSTER_DEFAULTS.capacityType) === 'SPOT';
      new ContainerNodePool(this, `${group.name}-nodes`, {
        name: group.name,
        cluster: cluster.id,
        location: cluster.location,
        initialNodeCount: gkeInitialNodesPerZone(group, zoneCount),
        autoscaling: { totalMinNodeCount: group.minSize, totalMaxNodeCount: group.maxSize, locationPolicy: 'BALANCED' },
        management: { autoRepair: true, autoUpgrade: true },
        upgradeSettings: { strategy: 'SURGE', maxSurge: 1, maxUnavailable: 0 },
        nodeConfig: {
          ...nodeHardening,
          machineType: group.instanceTypes[0],
          imageType: 'COS_CONTAINERD',
          diskType: NODE_DISK_TYPE,
          diskSizeGb: group.diskSizeGiB ?? CLUSTER_DEFAULTS.diskSizeGiB,
          spot,
          labels: group.labels ? { ...group.labels } : undefined,
          // GKE labels spot nodes cloud.google.com/gke-spot=true but does not taint them: without the
          // taint every pod could land on capacity that is taken away at 30 seconds' notice.
          taint: spot ? [{ ...SPOT_NODE_TAINT.gcp, effect: 'NO_SCHEDULE' }] : undefined,
        },
        // The autoscaler owns the node count; a new desiredSize must not recreate the pool.
        lifecycle: { ignoreChanges: ['initial_node_count'] },
        dependsOn: [nodeRole],
      });
    }

    this.clusterName = cluster.name;
    this.location = cluster.location;
    this.endpoint = `https://${cluster.endpoint}`;
    this.certificateAuthorityData = cluster.masterAuth.clusterCaCertificate;
    this.oidcIssuerUrl = `https://container.googleapis.com/v1/projects/${projectId}/locations/${cluster.location}/clusters/${cluster.name}`;
    this.workloadIdentityPool = cluster.workloadIdentityConfig.workloadPool;
    this.nodeServiceAccountEmail = nodeServiceAccount.email;
    this.nodeServiceAccountMember = nodeServiceAccount.member;
  }

  private validate(props: GcpGkeClusterProps): void {
    const at = `${this.node.path}:`;
    const problems = clusterPropProblems(this.node.path, props, GKE_KUBERNETES_VERSIONS);
    if (!GKE_NAME.test(props.name)) {
      problems.push(`${at} name ${describeValue(props.name)} is not a GKE cluster name (a lowercase letter, then lowercase letters, digits and "-", at most 40 characters)`);
    }
    if (!IAM_MEMBER.test(props.adminPrincipal)) {
      problems.push(`${at} adminPrincipal ${describeValue(props.adminPrincipal)} is not an IAM member (expected e.g. group:platform-admins@example.com)`);
    }
    if (props.availabilityZoneCount !== undefined && props.availabilityZoneCount !== 2 && props.availabilityZoneCount !== 3) {
      problems.push(`${at} availabilityZoneCount ${describeValue(props.availabilityZoneCount)} is not a zone count (allowed: 2, 3)`);
    }
    (props.publicEndpointCidrs ?? []).forEach((cidr) => {
      if (!parseCidr(cidr)) problems.push(`${at} publicEndpointCidrs entry ${describeValue(cidr)} is not a valid IPv4 CIDR (expected e.g. 203.0.113.0/24)`);
    });
    (props.webhookPorts ?? []).forEach((port) => {
      if (!Number.isInteger(port) || port < 1 || port > 65535) problems.push(`${at} webhookPorts entry ${describeValue(port)} is not a TCP port (1 to 65535)`);
    });
    props.nodeGroups.forEach((group) => {
      if (!GKE_NAME.test(group.name)) {
        problems.push(`${at} node group ${describeValue(group.name)} is not a GKE node pool name (a lowercase letter, then lowercase letters, digits and "-", at most 40 characters)`);
      }
      if (group.instanceTypes.length !== 1) {
        problems.push(`${at} node group "${group.name}" lists ${group.instanceTypes.length} machine types (${group.instanceTypes.join(', ')}); a GKE node pool takes exactly one`);
      }
    });
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
  }
}
