import type { Rule } from '../../rule';
import { NETWORK_POLICY_ENGINE_TAG } from '../../../infrastructure/cluster';
import { chartName } from '../../private/helm-values';
import { isObject, isReference, referencingResources, resourcesOf } from '../../private/terraform-json';


/** The engine value that means the Amazon VPC CNI's network policy agent. */
export const VPC_CNI_ENGINE = 'vpc-cni';

/** Helm charts that enforce NetworkPolicies on EKS when installed in the same stack. */
const POLICY_ENGINE_CHARTS = ['cilium', 'calico', 'tigera-operator'];

/** Whether an add-on's `configuration_values` (JSON) turn on the VPC CNI's network policy agent. */
function enablesNetworkPolicy(values: unknown): boolean {
  if (isReference(values)) return true;
  if (typeof values !== 'string') return false;
  try {
    const parsed: unknown = JSON.parse(values);
    return isObject(parsed) && (parsed.enableNetworkPolicy === 'true' || parsed.enableNetworkPolicy === true);
  } catch {
    return false;
  }
}

/**
 * IDP-AWS-026: an EKS cluster enforces Kubernetes NetworkPolicies. Without an engine they are
 * accepted and silently ignored, and every pod can reach every other. Compliant when the cluster's
 * `vpc-cni` add-on sets `enableNetworkPolicy: "true"`, when the stack installs Cilium or Calico,
 * or when the cluster's `idpkit.dev/network-policy-engine` tag names another engine that a
 * different stack installs.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy.html
 */
export const eksNetworkPolicyRule: Rule = {
  id: 'IDP-AWS-026',
  severity: { dev: 'warning', staging: 'error', prod: 'error' },
  summary: 'EKS cluster enforces NetworkPolicies (VPC CNI network policy agent, or Cilium / Calico)',
  fix: `Set configuration_values = jsonencode({ enableNetworkPolicy = "true" }) on the cluster's "vpc-cni" aws_eks_addon, or install Cilium or Calico and tag the cluster ${NETWORK_POLICY_ENGINE_TAG} = <engine>.`,
  appliesTo: ['aws_eks_cluster'],
  check(cluster, context) {
    const cni = referencingResources(context.document, 'aws_eks_addon', `aws_eks_cluster.${context.name}`).filter((addon) => addon.addon_name === 'vpc-cni');
    if (cni.some((addon) => enablesNetworkPolicy(addon.configuration_values))) return 'compliant';
    const engine = isObject(cluster.tags) ? cluster.tags[NETWORK_POLICY_ENGINE_TAG] : undefined;
    if (typeof engine === 'string' && engine !== '' && engine !== VPC_CNI_ENGINE) return 'compliant';
    const charts = Object.values(resourcesOf(context.document, 'helm_release')).map(chartName);
    return charts.some((chart) => chart !== undefined && POLICY_ENGINE_CHARTS.includes(chart)) ? 'compliant' : 'non-compliant';
  },
};
