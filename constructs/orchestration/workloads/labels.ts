/** Label of every object of a workload, and of its pods: the workload's name. */
export const WORKLOAD_LABEL = 'idpkit.dev/workload';
/** Label of the objects of a shared resource (`id`), instead of {@link WORKLOAD_LABEL}: the resource's instance name. */
export const SHARED_LABEL = 'idpkit.dev/shared';

/** The labels of a workload's objects (or, with `shared`, of a shared resource's objects). */
export function workloadLabels(name: string, shared = false): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/managed-by': 'idpkit', [shared ? SHARED_LABEL : WORKLOAD_LABEL]: name };
}

/** The label selector of a workload's pods. */
export function workloadSelector(name: string): Record<string, string> {
  return { [WORKLOAD_LABEL]: name };
}
