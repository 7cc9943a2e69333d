import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { Construct } from 'constructs';
import { TerraformStack } from '../../core/cdktf';
import type { Cloud } from '../../core/clouds';
import { IdpkitError } from '../../core/errors';
import { KubernetesObject, ManifestsRelease } from '../../core/manifests';
import type { Tier } from '../../core/tiers';

/**
 * How teams share the cluster: `teams` (medium preset) gives each team a namespace it administers;
 * `multi-tenant` (large preset) adds a quota, container defaults, a default-deny network and
 * cost-allocation labels to each.
 */
export type TenancyMode = (typeof TENANCY_MODES)[number];

/** Tenancy modes, for schemas and messages. */
export const TENANCY_MODES = ['teams', 'multi-tenant'] as const;

/** What one namespace may request in total: a ResourceQuota. */
export interface TenantQuota {
  /** CPU requests of all pods, in cores ("4", "2.5") or millicores ("500m"). */
  readonly cpu: string;
  /** Memory requests and limits of all pods, with a unit ("8Gi", "512Mi"). */
  readonly memory: string;
  /** Pods (not in a terminal state). */
  readonly pods: number;
}

/** One team (tenant): a namespace of its own, administered by one group of the identity provider. */
export interface TenantTeam {
  /** Team name: a DNS label, and the name of its namespace. */
  readonly name: string;
  /**
   * The group bound to the `admin` ClusterRole in the namespace: a Kubernetes group name (EKS:
   * an access entry's `kubernetesGroups`), an Entra ID group object id (AKS) or a Google Group
   * e-mail (GKE, Google Groups for RBAC). AKS with Azure RBAC for Kubernetes authorization
   * authorizes Entra ID groups through Azure role assignments only (see docs/addons-orchestration.md).
   */
  readonly adminGroup: string;
  /** Cost center: the namespace's `cost-center` label. @default - the environment's cost center in `multi-tenant` mode, none in `teams` mode */
  readonly costCenter?: string;
  /** Quota of the namespace; fields left out take the tier's {@link TENANT_QUOTA_DEFAULTS}. @default - none in `teams` mode, the tier's default in `multi-tenant` mode */
  readonly quota?: Partial<TenantQuota>;
}

/** Props of {@link Tenancy}. */
export interface TenancyProps {
  /** The cluster's cloud: which group names are valid, and its link-local DNS resolvers. */
  readonly cloud: Cloud;
  /** The environment's tier: picks the default quota. */
  readonly tier: Tier;
  /** How teams share the cluster. @default "teams" */
  readonly mode?: TenancyMode;
  /** The teams, one namespace each. @default [] - nothing is installed */
  readonly teams?: readonly TenantTeam[];
  /**
   * The `cost-center` label of namespaces whose team names none, in `multi-tenant` mode (made a
   * valid label value). @default - no label for those teams
   */
  readonly costCenter?: string;
  /**
   * Namespaces of the platform's ingress gateways, allowed in to every tenant (besides
   * namespaces labelled `idpkit.dev/platform-ingress: "true"`). @default []
   */
  readonly ingressNamespaces?: readonly string[];
  /**
   * Namespaces of the platform's monitoring (Prometheus, agents), allowed in to every tenant
   * (besides namespaces labelled `idpkit.dev/platform-monitoring: "true"`). @default []
   */
  readonly monitoringNamespaces?: readonly string[];
}

/** The default mode. */
export const DEFAULT_TENANCY_MODE: TenancyMode = 'teams';

/**
 * The quota of a tenant that sets none, per tier (in `multi-tenant` mode): dev is the smallest,
 * prod four times dev.
 */
export const TENANT_QUOTA_DEFAULTS: Readonly<Record<Tier, TenantQuota>> = {
  dev: { cpu: '4', memory: '8Gi', pods: 40 },
  staging: { cpu: '8', memory: '16Gi', pods: 80 },
  prod: { cpu: '16', memory: '32Gi', pods: 160 },
};

/**
 * What a container without requests or limits gets in a namespace with a quota (LimitRange), so
 * that pods without them are still admitted. CPU gets no default limit: CPU is throttled, not
 * killed, and a limit only wastes idle cores; memory gets one, as the quota caps `limits.memory`.
 */
export const TENANT_CONTAINER_DEFAULTS = { cpuRequest: '100m', memoryRequest: '128Mi', memoryLimit: '512Mi' } as const;

/** Namespace of the `tenancy` release: it exists in every cluster, and only cluster admins read its release record. */
export const TENANCY_RELEASE_NAMESPACE = 'kube-system';

/** Label of every tenant namespace: the team. */
export const TEAM_LABEL = 'idpkit.dev/team';
/** Label of tenant namespaces in `multi-tenant` mode: the tenant, for cost allocation. */
export const TENANT_LABEL = 'idpkit.dev/tenant';
/** Label of the cost center, for cost allocation (Kubecost, OpenCost). */
export const COST_CENTER_LABEL = 'cost-center';
/** A namespace with this label set to "true" may reach every tenant: ingress gateways. */
export const PLATFORM_INGRESS_LABEL = 'idpkit.dev/platform-ingress';
/** A namespace with this label set to "true" may reach every tenant: Prometheus and agents. */
export const PLATFORM_MONITORING_LABEL = 'idpkit.dev/platform-monitoring';

/**
 * Link-local DNS resolvers pods may query besides the cluster DNS pods: NodeLocal DNSCache
 * everywhere, and on GKE the metadata server, which serves DNS with Cloud DNS for GKE.
 *
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/nodelocal-dns-cache
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/cloud-dns
 */
export const LINK_LOCAL_DNS_RESOLVERS: Readonly<Record<Cloud, readonly string[]>> = {
  aws: ['169.254.20.10/32'],
  azure: ['169.254.20.10/32'],
  gcp: ['169.254.20.10/32', '169.254.169.254/32'],
};

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Namespace names no team may take: Kubernetes' own. */
const RESERVED_NAMESPACE = /^(default|kube-.*)$/;

/** A Kubernetes quantity: a non-negative decimal and an optional suffix (binary, decimal SI or exponent). */
const QUANTITY = /^(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const SUFFIX_FACTORS: Readonly<Record<string, number>> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const MEMORY_SUFFIXES = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'k', 'M', 'G', 'T', 'P', 'E'];

/** The value of a Kubernetes quantity ("500m" is 0.5, "1Gi" is 1073741824), or undefined when it is none. */
export function parseQuantity(quantity: string): number | undefined {
  const match = QUANTITY.exec(quantity);
  if (!match) return undefined;
  const [, number, suffix = ''] = match;
  const factor = /^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : SUFFIX_FACTORS[suffix];
  return Number(number) * factor;
}

/** What is wrong with a CPU quota ("is not ..."), or undefined. */
export function cpuQuotaProblem(cpu: string): string | undefined {
  const match = QUANTITY.exec(cpu);
  if (!match || !['', 'm'].includes(match[2] ?? '')) {
    return 'is not a CPU quantity (cores, e.g. "4" or "2.5", or millicores, e.g. "500m")';
  }
  const minimum = TENANT_CONTAINER_DEFAULTS.cpuRequest;
  if (parseQuantity(cpu)! < parseQuantity(minimum)!) return `is less than one container's default CPU request (${minimum}): give at least "${minimum}"`;
  return undefined;
}

/** What is wrong with a memory quota ("is not ..."), or undefined. */
export function memoryQuotaProblem(memory: string): string | undefined {
  const match = QUANTITY.exec(memory);
  if (match && match[2] === 'm') return `is in millibytes: write mebibytes as "${match[1]}Mi" (units: ${MEMORY_SUFFIXES.join(', ')})`;
  if (!match || !MEMORY_SUFFIXES.includes(match[2] ?? '')) {
    return `is not a memory quantity (a number and a unit of ${MEMORY_SUFFIXES.join(', ')}, e.g. "8Gi" or "512Mi")`;
  }
  const minimum = TENANT_CONTAINER_DEFAULTS.memoryLimit;
  if (parseQuantity(memory)! < parseQuantity(minimum)!) return `is less than one container's default memory limit (${minimum}): give at least "${minimum}"`;
  return undefined;
}

/** What is wrong with a pod count quota, or undefined. */
export function podsQuotaProblem(pods: number): string | undefined {
  return Number.isInteger(pods) && pods >= 1 ? undefined : 'is not a whole number of pods of at least 1';
}

/** What is wrong with a team's admin group on any cloud, or undefined. */
export function adminGroupProblem(group: string): string | undefined {
  if (group.trim() === '') return 'is empty (name the identity provider group that administers the namespace)';
  if (group.startsWith('system:')) return 'is a Kubernetes system group: binding admin to it would reach far beyond the team (name the team\'s own group)';
  return undefined;
}

/** What is wrong with a team's admin group on one cloud's cluster, or undefined. */
export function adminGroupCloudProblem(group: string, cloud: Cloud): string | undefined {
  if (cloud === 'azure' && !GUID.test(group)) return 'is not an Entra ID group object id (AKS puts group object ids in tokens, e.g. "0b1f2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d")';
  if (cloud === 'gcp' && !EMAIL.test(group)) return 'is not a Google Group e-mail (GKE Google Groups for RBAC, e.g. "team-payments@acme.example")';
  return undefined;
}

/** What is wrong with a namespace name for a team, or undefined. */
export function teamNameProblem(name: string): string | undefined {
  if (name.length > 63 || !DNS_1123_LABEL.test(name)) return 'is not a DNS label (lowercase letters, digits and "-", at most 63, e.g. "payments")';
  if (RESERVED_NAMESPACE.test(name)) return 'is a Kubernetes namespace (default, kube-*): choose another team name';
  return undefined;
}

/** What is wrong with a cost center label value, or undefined. */
export function costCenterProblem(costCenter: string): string | undefined {
  return costCenter.length <= 63 && LABEL_VALUE.test(costCenter)
    ? undefined
    : 'is not a Kubernetes label value (letters, digits, "-", "_" and ".", starting and ending with a letter or digit, at most 63)';
}

/** A free-form cost center as a label value: other characters become "-", cut to 63, trimmed to letters and digits at both ends. */
export function costCenterLabelValue(costCenter: string): string | undefined {
  const value = costCenter
    .replace(/[^-A-Za-z0-9_.]/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return value === '' ? undefined : value;
}

/**
 * What is wrong with tenancy props, one message per problem; `field` names them in the messages
 * (e.g. `environment "prod": platform.addons.tenancy`).
 */
export function tenancyProblems(field: string, props: TenancyProps): string[] {
  const problems: string[] = [];
  const teams = props.teams ?? [];
  const seen = new Map<string, number>();
  teams.forEach((team, i) => {
    const at = `${field}.teams[${i}]`;
    const nameProblem = teamNameProblem(team.name);
    if (nameProblem) problems.push(`${at}.name "${team.name}" ${nameProblem}`);
    const first = seen.get(team.name);
    if (first !== undefined) problems.push(`${at}.name "${team.name}" is also the name of teams[${first}] (team names are namespace names: make them unique)`);
    else seen.set(team.name, i);
    const groupProblem = adminGroupProblem(team.adminGroup) ?? adminGroupCloudProblem(team.adminGroup, props.cloud);
    if (groupProblem) problems.push(`${at}.adminGroup "${team.adminGroup}" ${groupProblem}`);
    if (team.costCenter !== undefined) {
      const problem = costCenterProblem(team.costCenter);
      if (problem) problems.push(`${at}.costCenter "${team.costCenter}" ${problem}`);
    }
    const quota = team.quota ?? {};
    const quotaProblems: [string, unknown, string | undefined][] = [
      ['cpu', quota.cpu, quota.cpu === undefined ? undefined : cpuQuotaProblem(quota.cpu)],
      ['memory', quota.memory, quota.memory === undefined ? undefined : memoryQuotaProblem(quota.memory)],
      ['pods', quota.pods, quota.pods === undefined ? undefined : podsQuotaProblem(quota.pods)],
    ];
    for (const [key, value, problem] of quotaProblems) if (problem) problems.push(`${at}.quota.${key} ${JSON.stringify(value)} ${problem}`);
  });
  for (const [key, list] of [
    ['ingressNamespaces', props.ingressNamespaces],
    ['monitoringNamespaces', props.monitoringNamespaces],
  ] as const) {
    (list ?? []).forEach((namespace, i) => {
      if (!DNS_1123_LABEL.test(namespace)) problems.push(`${field}.${key}[${i}] "${namespace}" is not a namespace name`);
    });
  }
  return problems;
}

/** Labels and selectors shared by the objects. */
const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'idpkit' };
const RESTRICTED = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/audit': 'restricted',
  'pod-security.kubernetes.io/warn': 'restricted',
};
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
const ALL_PODS = {};

/**
 * Namespaces for teams, applied as one release (`tenancy`, of idpkit's manifests chart, in
 * `kube-system`) that depends on nothing but the cluster. Each namespace enforces the Pod Security
 * `restricted` level (enforce, audit, warn), is labelled with its team, and binds the built-in
 * `admin` ClusterRole to the team's group (RoleBinding `team-admin`). Namespaces are kept when a
 * team is removed (`helm.sh/resource-policy: keep`): their workloads are never deleted by a
 * config change; delete an abandoned namespace by hand.
 *
 * - `teams` mode: a team with a `quota` also gets the ResourceQuota and LimitRange below.
 * - `multi-tenant` mode: every namespace gets a ResourceQuota `compute` (`requests.cpu`,
 *   `requests.memory`, `limits.memory`, `pods`; the tier's {@link TENANT_QUOTA_DEFAULTS} where the
 *   team sets none), a LimitRange `container-defaults` ({@link TENANT_CONTAINER_DEFAULTS}), the labels
 *   `idpkit.dev/tenant` and `cost-center`, and NetworkPolicies: `default-deny` (all ingress and
 *   egress), `allow-same-namespace`, `allow-dns` (to the cluster DNS pods and the link-local
 *   resolvers, port 53), `allow-from-platform-ingress` and `allow-from-platform-monitoring`.
 *
 * @see https://kubernetes.io/docs/concepts/security/multi-tenancy/
 * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 * @example
 * new Tenancy(this, 'tenancy', {
 *   cloud: 'aws', tier: 'prod', mode: 'multi-tenant',
 *   teams: [{ name: 'payments', adminGroup: 'payments-admins', quota: { cpu: '32' } }],
 * });
 */
export class Tenancy extends Construct {
  /** The release of the objects; absent when there are no teams. */
  readonly manifests?: ManifestsRelease;
  /** The tenant namespaces, in team order. */
  readonly namespaces: readonly string[];
  /** The objects applied, in order: per team its namespace, RoleBinding, then quota and policies. */
  readonly objects: readonly KubernetesObject[];

  constructor(scope: Construct, id: string, props: TenancyProps) {
    super(scope, id);
    const problems = tenancyProblems(this.node.path, props);
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
    const mode = props.mode ?? DEFAULT_TENANCY_MODE;
    const teams = props.teams ?? [];
    const defaultCostCenter = props.costCenter === undefined ? undefined : costCenterLabelValue(props.costCenter);
    this.namespaces = teams.map((team) => team.name);
    this.objects = teams.flatMap((team) =>
      mode === 'multi-tenant'
        ? multiTenantObjects(team, props, TENANT_QUOTA_DEFAULTS[props.tier], team.costCenter ?? defaultCostCenter)
        : teamObjects(team, TENANT_QUOTA_DEFAULTS[props.tier]),
    );
    if (teams.length > 0) {
      this.manifests = new ManifestsRelease(this, 'manifests', {
        releaseName: 'tenancy',
        namespace: TENANCY_RELEASE_NAMESPACE,
        manifests: this.objects,
        dependsOn: [],
      });
    }
    this.node.addValidation({ validate: () => this.namespaceClashes() });
  }

  /** Tenant namespaces that another construct of the stack (an add-on) creates too. */
  private namespaceClashes(): string[] {
    const taken = new Set(
      TerraformStack.of(this)
        .node.findAll()
        .filter((construct): construct is NamespaceV1 => construct instanceof NamespaceV1)
        .map((namespace) => namespace.metadataInput?.name),
    );
    return this.namespaces
      .filter((name) => taken.has(name))
      .map((name) => `team namespace "${name}" is also the namespace of a platform add-on in this stack: rename the team (namespaces of add-ons are not tenant namespaces)`);
  }
}

/** The namespace, its admin RoleBinding, and a quota when the team sets one (`teams` mode). */
function teamObjects(team: TenantTeam, defaults: TenantQuota): KubernetesObject[] {
  const labels = { [TEAM_LABEL]: team.name, ...(team.costCenter ? { [COST_CENTER_LABEL]: team.costCenter } : {}) };
  return [
    tenantNamespace(team.name, labels),
    tenantRoleBinding(team.name, 'admin', [team.adminGroup]),
    ...(team.quota ? tenantQuotaObjects(team.name, { ...defaults, ...team.quota }) : []),
  ];
}

/** The namespace, its admin RoleBinding, quota, container defaults and network policies (`multi-tenant` mode). */
function multiTenantObjects(team: TenantTeam, props: TenancyProps, defaults: TenantQuota, costCenter: string | undefined): KubernetesObject[] {
  const labels = { [TEAM_LABEL]: team.name, [TENANT_LABEL]: team.name, ...(costCenter ? { [COST_CENTER_LABEL]: costCenter } : {}) };
  return [
    tenantNamespace(team.name, labels),
    tenantRoleBinding(team.name, 'admin', [team.adminGroup]),
    ...tenantQuotaObjects(team.name, { ...defaults, ...team.quota }),
    ...tenantNetworkPolicies(team.name, props),
  ];
}

/**
 * A tenant namespace: Pod Security `restricted` (enforce, audit, warn), managed by idpkit, with
 * the labels given, kept by Helm when dropped from a release (`helm.sh/resource-policy: keep`).
 */
export function tenantNamespace(name: string, labels: Readonly<Record<string, string>>): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { ...RESTRICTED, ...MANAGED_BY, ...labels }, annotations: { 'helm.sh/resource-policy': 'keep' } },
  };
}

/** The built-in ClusterRoles a team's groups are bound to in its namespace. */
export type TenantRole = 'admin' | 'edit' | 'view';

/** A RoleBinding `team-<role>` of the built-in ClusterRole `role` to the groups, in the team's namespace. */
export function tenantRoleBinding(namespace: string, role: TenantRole, groups: readonly string[]): KubernetesObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: `team-${role}`, namespace, labels: { ...MANAGED_BY, [TEAM_LABEL]: namespace } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: groups.map((name) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name })),
  };
}

/** The ResourceQuota `compute` and the LimitRange `container-defaults` ({@link TENANT_CONTAINER_DEFAULTS}) of a namespace. */
export function tenantQuotaObjects(name: string, quota: TenantQuota): KubernetesObject[] {
  const metadata = (objectName: string) => ({ name: objectName, namespace: name, labels: { ...MANAGED_BY, [TEAM_LABEL]: name } });
  return [
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: metadata('compute'),
      spec: { hard: { 'requests.cpu': quota.cpu, 'requests.memory': quota.memory, 'limits.memory': quota.memory, pods: String(quota.pods) } },
    },
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: metadata('container-defaults'),
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: { cpu: TENANT_CONTAINER_DEFAULTS.cpuRequest, memory: TENANT_CONTAINER_DEFAULTS.memoryRequest },
            default: { memory: TENANT_CONTAINER_DEFAULTS.memoryLimit },
          },
        ],
      },
    },
  ];
}

/** Peers of the namespaces named, and of those carrying a label set to "true". */
function namespacePeers(label: string, names: readonly string[]): object[] {
  return [
    { namespaceSelector: { matchLabels: { [label]: 'true' } } },
    ...(names.length > 0 ? [{ namespaceSelector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...names] }] } }] : []),
  ];
}

/**
 * The network policies of a tenant namespace: `default-deny` (all ingress and egress),
 * `allow-same-namespace`, `allow-dns` (the cluster DNS pods and the cloud's link-local resolvers,
 * port 53), `allow-from-platform-ingress` and `allow-from-platform-monitoring` (namespaces
 * labelled for it, and those named in `ingressNamespaces` / `monitoringNamespaces`).
 */
export function tenantNetworkPolicies(name: string, props: Pick<TenancyProps, 'cloud' | 'ingressNamespaces' | 'monitoringNamespaces'>): KubernetesObject[] {
  const policy = (policyName: string, spec: object): KubernetesObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: policyName, namespace: name, labels: { ...MANAGED_BY, [TEAM_LABEL]: name } },
    spec: { podSelector: ALL_PODS, ...spec },
  });
  const dnsPeers = [
    { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
    ...LINK_LOCAL_DNS_RESOLVERS[props.cloud].map((cidr) => ({ ipBlock: { cidr } })),
  ];
  return [
    policy('default-deny', { policyTypes: ['Ingress', 'Egress'] }),
    policy('allow-same-namespace', {
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: ALL_PODS }] }],
      egress: [{ to: [{ podSelector: ALL_PODS }] }],
    }),
    policy('allow-dns', {
      policyTypes: ['Egress'],
      egress: [{ to: dnsPeers, ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }],
    }),
    policy('allow-from-platform-ingress', {
      policyTypes: ['Ingress'],
      ingress: [{ from: namespacePeers(PLATFORM_INGRESS_LABEL, props.ingressNamespaces ?? []) }],
    }),
    policy('allow-from-platform-monitoring', {
      policyTypes: ['Ingress'],
      ingress: [{ from: namespacePeers(PLATFORM_MONITORING_LABEL, props.monitoringNamespaces ?? []) }],
    }),
  ];
}
