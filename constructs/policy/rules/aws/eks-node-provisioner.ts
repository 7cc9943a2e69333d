import type { Rule } from '../../rule';
import { NODE_PROVISIONER_TAG } from '../../../infrastructure/cluster';
import { chartName } from '../../private/helm-values';
import { block, isObject, isReference, resourcesOf } from '../../private/terraform-json';

/** Helm charts that add nodes to an EKS cluster when installed in the same stack. */
const NODE_PROVISIONER_CHARTS = ['karpenter', 'cluster-autoscaler'];

/** The `aws_eks_cluster` a node group's `cluster_name` refers to (`${aws_eks_cluster.<name>.name}`), if it does. */
function clusterOf(group: Readonly<Record<string, unknown>>, document: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> | undefined {
  const match = typeof group.cluster_name === 'string' ? /^\$\{aws_eks_cluster\.([^.}]+)\.name\}$/.exec(group.cluster_name) : null;
  const cluster = match ? resourcesOf(document, 'aws_eks_cluster')[match[1]] : undefined;
  return isObject(cluster) ? cluster : undefined;
}

/**
 * IDP-AWS-028: an EKS managed node group that may grow (`max_size` above `min_size`) is in a
 * cluster with something that grows it. A managed node group does not scale by itself: its
 * desired size stays where Terraform set it (and ignores drift, for the autoscaler), so without
 * Karpenter or a cluster autoscaler `max_size` is never reached and pods beyond the first nodes
 * stay Pending (a first apply of many add-ons times out). Compliant when the group is fixed
 * (`max_size` = `min_size`), when its cluster's `idpkit.dev/node-provisioner` tag names a
 * provisioner that another stack installs, or when this stack installs Karpenter or
 * cluster-autoscaler. Sizes given by reference are not judged.
 *
 * @see https://docs.aws.amazon.com/eks/latest/best-practices/cas.html
 * @see https://karpenter.sh/docs/
 */
export const eksNodeProvisionerRule: Rule = {
  id: 'IDP-AWS-028',
  severity: 'warning',
  summary: 'EKS managed node groups that may grow belong to a cluster with a node provisioner (Karpenter or a cluster autoscaler)',
  fix: `Enable platform.addons.karpenter (idpkit tags the cluster ${NODE_PROVISIONER_TAG} = karpenter), or install a cluster autoscaler and tag the cluster ${NODE_PROVISIONER_TAG} = cluster-autoscaler, or set max_size to min_size with min_size nodes enough for every pod the cluster runs (suppress with the reason if you do so on purpose).`,
  appliesTo: ['aws_eks_node_group'],
  check(group, context) {
    const scaling = block(group.scaling_config);
    const [minSize, maxSize] = [scaling?.min_size, scaling?.max_size];
    if (isReference(minSize) || isReference(maxSize) || typeof minSize !== 'number' || typeof maxSize !== 'number') return 'not-applicable';
    if (maxSize <= minSize) return 'compliant';
    const tags = clusterOf(group, context.document)?.tags;
    const provisioner = isObject(tags) ? tags[NODE_PROVISIONER_TAG] : undefined;
    if (typeof provisioner === 'string' && provisioner !== '') return 'compliant';
    const charts = Object.values(resourcesOf(context.document, 'helm_release')).map(chartName);
    return charts.some((chart) => chart !== undefined && NODE_PROVISIONER_CHARTS.includes(chart)) ? 'compliant' : 'non-compliant';
  },
};
