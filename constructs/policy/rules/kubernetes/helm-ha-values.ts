import type { Rule, TerraformJson } from '../../rule';
import { booleanValue, chartName, helmValue, numberValue } from '../../private/helm-values';

/** One Helm value a highly available release needs: a minimum count, or a switch set one way. */
type HaValue =
  | { readonly path: string; readonly atLeast: number; readonly chartDefault: number }
  | { readonly path: string; readonly is: boolean; readonly chartDefault: boolean };

/** The ways to be HA for one component: any one of them, each a list of values that must all hold. */
type HaRequirement = readonly (readonly HaValue[])[];

/** A fixed replica count of at least `atLeast`. */
const replicas = (path: string, atLeast = 2, chartDefault = 1): HaRequirement => [[{ path, atLeast, chartDefault }]];

/** An autoscaler with a floor of two, or, with the autoscaler off, two fixed replicas (an autoscaler overrides the count). */
const autoscaledOrReplicas = (replicaPath: string, enabledPath: string, minPath: string, enabledByDefault: boolean): HaRequirement => [
  [
    { path: enabledPath, is: true, chartDefault: enabledByDefault },
    { path: minPath, atLeast: 2, chartDefault: 1 },
  ],
  [
    { path: enabledPath, is: false, chartDefault: enabledByDefault },
    { path: replicaPath, atLeast: 2, chartDefault: 1 },
  ],
];

/**
 * The one table of what "HA values" means per chart: every requirement of the chart must hold, in
 * one of its ways. Chart defaults are the charts' own values.yaml at the versions idpkit pins
 * (constructs/core/charts.ts); a value the release does not set has its chart default.
 */
export const HA_VALUES: Readonly<Record<string, readonly HaRequirement[]>> = {
  'argo-cd': [
    autoscaledOrReplicas('server.replicas', 'server.autoscaling.enabled', 'server.autoscaling.minReplicas', false),
    autoscaledOrReplicas('repoServer.replicas', 'repoServer.autoscaling.enabled', 'repoServer.autoscaling.minReplicas', false),
    [[{ path: 'redis-ha.enabled', is: true, chartDefault: false }]],
  ],
  vault: [
    [
      [
        { path: 'server.ha.enabled', is: true, chartDefault: false },
        { path: 'server.ha.replicas', atLeast: 3, chartDefault: 3 },
      ],
    ],
  ],
  'cert-manager': [replicas('replicaCount'), replicas('webhook.replicaCount')],
  'external-secrets': [replicas('replicaCount'), replicas('webhook.replicaCount')],
  kyverno: [replicas('admissionController.replicas', 3)],
  gatekeeper: [replicas('replicas', 2, 3)],
  crossplane: [replicas('replicas')],
  istiod: [autoscaledOrReplicas('replicaCount', 'autoscaleEnabled', 'autoscaleMin', true)],
  'kube-prometheus-stack': [replicas('prometheus.prometheusSpec.replicas'), replicas('alertmanager.alertmanagerSpec.replicas')],
  backstage: [replicas('backstage.replicas')],
  'metrics-server': [replicas('replicas')],
  'cloudnative-pg': [replicas('replicaCount')],
  'aws-load-balancer-controller': [replicas('replicaCount', 2, 2)],
  karpenter: [replicas('replicas', 2, 2)],
};

/** Whether one value holds for a release; a reference (`${...}`) cannot be judged and counts as holding. */
function holds(release: TerraformJson, value: HaValue): boolean {
  const set = helmValue(release, value.path);
  if (typeof set === 'string' && set.includes('${')) return true;
  if ('atLeast' in value) return (set === undefined || set === null ? value.chartDefault : (numberValue(set) ?? 0)) >= value.atLeast;
  return (set === undefined || set === null ? value.chartDefault : booleanValue(set)) === value.is;
}

/** One way, as text: `server.replicas >= 2`, `redis-ha.enabled = true`. */
const describeWay = (way: readonly HaValue[]) => way.map((value) => ('atLeast' in value ? `${value.path} >= ${value.atLeast}` : `${value.path} = ${value.is}`)).join(' and ');

/** IDP-K8S-004: in prod, releases of HA-capable charts run more than one replica of each component. */
export const helmHaValuesRule: Rule = {
  id: 'IDP-K8S-004',
  severity: { dev: 'off', staging: 'warning', prod: 'error' },
  summary: 'Helm release of an HA-capable chart runs HA values (replicas, autoscaling floor, Redis HA, Vault raft HA)',
  fix: `Set, per chart: ${Object.entries(HA_VALUES)
    .map(([chart, requirements]) => `${chart}: ${requirements.map((ways) => ways.map(describeWay).join(' or ')).join('; ')}`)
    .join(' | ')} (idpkit's add-ons do when highAvailability is on, the default outside dev).`,
  appliesTo: ['helm_release'],
  check(release) {
    const chart = chartName(release);
    // Own keys only: a chart named `constructor` or `__proto__` is not in the table.
    if (chart === undefined || !Object.hasOwn(HA_VALUES, chart)) return 'not-applicable';
    const requirements = HA_VALUES[chart];
    const met = requirements.every((ways) => ways.some((way) => way.every((value) => holds(release, value))));
    return met ? 'compliant' : 'non-compliant';
  },
};
