import { Release } from '@cdktf/provider-helm/lib/release';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { Construct } from 'constructs';
import { TerraformStack } from './cdktf';
import type { ChartRef } from './charts';
import { IdpkitError } from './errors';
import { stackSingleton } from './singleton';
import { toYaml } from './yaml';

/** Helm values: a YAML-shaped tree. */
export type HelmValues = { readonly [key: string]: unknown };

/** Pod Security Standards levels a namespace enforces. */
export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

/** Props of {@link HelmAddon}. */
export interface HelmAddonProps {
  /** The chart: repository, name and pinned version (a row of CHARTS). */
  readonly chart: ChartRef;
  /** Namespace of the release; created with Pod Security labels unless another add-on made it. */
  readonly namespace: string;
  /** Pod Security level the namespace enforces. @default "restricted" */
  readonly podSecurity?: PodSecurityLevel;
  /** Release name. @default - the chart name */
  readonly releaseName?: string;
  /** The add-on's values: documented defaults already merged with its typed settings. */
  readonly values: HelmValues;
  /**
   * Escape hatch: any chart values, deep-merged over everything idpkit sets (objects merge, lists
   * and scalars replace). For settings idpkit does not type. @default {}
   */
  readonly valueOverrides?: HelmValues;
  /** Add-ons that must be installed first (their CRDs or webhooks). @default [] */
  readonly dependsOn?: readonly HelmAddon[];
  /** Seconds Helm waits for the release to be ready. @default 600 */
  readonly timeoutSeconds?: number;
}

/** Props every add-on construct takes, besides its own settings. */
export interface AddonProps {
  /** Add-ons to install first (their CRDs or webhooks, e.g. kube-prometheus-stack for ServiceMonitors). @default [] */
  readonly dependsOn?: readonly HelmAddon[];
  /**
   * Escape hatch: chart values deep-merged over everything idpkit sets (objects merge, lists and
   * scalars replace). @default {}
   */
  readonly valueOverrides?: HelmValues;
}

/**
 * Tolerations of node agents (DaemonSets that must run on every node: log collection, runtime
 * security): every NoSchedule taint, so that spot pools (tainted on every cloud, see
 * SPOT_NODE_TAINT) and other dedicated pools are covered too.
 */
export const NODE_AGENT_TOLERATIONS: readonly HelmValues[] = [{ operator: 'Exists', effect: 'NoSchedule' }];

/** Seconds a release may take when none is given. */
export const DEFAULT_RELEASE_TIMEOUT_SECONDS = 600;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Deep-merges Helm values: objects merge key by key, everything else (lists, scalars) is replaced. */
export function mergeValues(base: HelmValues, ...overrides: (HelmValues | undefined)[]): HelmValues {
  return overrides.reduce<HelmValues>((merged, override) => {
    if (!override) return merged;
    const result: Record<string, unknown> = { ...merged };
    for (const [key, value] of Object.entries(override)) {
      const current = Object.hasOwn(result, key) ? result[key] : undefined;
      // Defined, not assigned: a `__proto__` key stays a key and never replaces the prototype.
      Object.defineProperty(result, key, { value: isObject(value) && isObject(current) ? mergeValues(current as HelmValues, value) : value, enumerable: true, writable: true, configurable: true });
    }
    return result;
  }, base);
}

/** The id of a stack's namespace construct: one per namespace name (releases wait for the namespace of this id). */
export const namespaceId = (name: string): string => `namespace-${name}`;

/** The namespace of this name the scope's stack creates, if an add-on made it already. */
export function stackNamespace(scope: Construct, name: string): NamespaceV1 | undefined {
  return TerraformStack.of(scope).node.tryFindChild(namespaceId(name)) as NamespaceV1 | undefined;
}

/**
 * The namespace of a stack with this name: created once, with Pod Security Standards labels
 * (enforce at the given level, warn and audit at restricted). Throws when two add-ons ask for the
 * same namespace at different levels.
 */
export function podSecurityNamespace(scope: Construct, name: string, level: PodSecurityLevel): NamespaceV1 {
  const namespace = stackSingleton(
    scope,
    namespaceId(name),
    (stack, id) =>
      new NamespaceV1(stack, id, {
        metadata: {
          name,
          labels: {
            'pod-security.kubernetes.io/enforce': level,
            'pod-security.kubernetes.io/warn': 'restricted',
            'pod-security.kubernetes.io/audit': 'restricted',
            'app.kubernetes.io/managed-by': 'idpkit',
          },
        },
      }),
  );
  const existing = namespace.metadataInput?.labels?.['pod-security.kubernetes.io/enforce'];
  if (existing !== level) {
    throw new IdpkitError('IDPKIT_INVALID_PROPS', [
      `${scope.node.path}: namespace "${name}" is already created with Pod Security level "${existing}", not "${level}" (put add-ons that need another level in their own namespace)`,
    ]);
  }
  return namespace;
}

/**
 * One Helm release of an add-on: a pinned chart in its own Pod Security-labelled namespace, with
 * values rendered as one YAML document (keys sorted, so synthesis is byte-stable; strings a YAML
 * 1.1 reader would take for booleans or numbers quoted, see {@link toYaml}), installed atomically
 * after the add-ons it depends on.
 *
 * @see https://registry.terraform.io/providers/hashicorp/helm/latest/docs/resources/release
 * @example
 * new HelmAddon(this, 'cert-manager', { chart: CHARTS.certManager, namespace: 'cert-manager', values: { crds: { enabled: true } } });
 */
export class HelmAddon extends Construct {
  /** The Helm release. */
  readonly release: Release;
  /** The namespace of the release. */
  readonly namespace: string;
  /** The values the release gets, after every merge. */
  readonly values: HelmValues;
  /** The Pod Security level its namespace enforces. */
  readonly podSecurity: PodSecurityLevel;

  constructor(scope: Construct, id: string, props: HelmAddonProps) {
    super(scope, id);
    this.podSecurity = props.podSecurity ?? 'restricted';
    const namespace = podSecurityNamespace(this, props.namespace, this.podSecurity);
    this.values = mergeValues(props.values, props.valueOverrides);
    this.namespace = props.namespace;
    this.release = new Release(this, 'release', {
      name: props.releaseName ?? props.chart.chart,
      repository: props.chart.repository,
      chart: props.chart.chart,
      version: props.chart.version,
      namespace: namespace.metadata.name,
      values: [toYaml(this.values)],
      atomic: true,
      cleanupOnFail: true,
      timeout: props.timeoutSeconds ?? DEFAULT_RELEASE_TIMEOUT_SECONDS,
      dependsOn: (props.dependsOn ?? []).map((addon) => addon.release),
    });
  }
}
