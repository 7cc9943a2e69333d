import type { Rule } from '../../rule';
import { block, isObject, isReference } from '../../private/terraform-json';

/** The Pod Security Standards levels a namespace can enforce. */
const POD_SECURITY_LEVELS = ['privileged', 'baseline', 'restricted'];

/** The namespace label that makes the Pod Security admission controller enforce a level. */
export const POD_SECURITY_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

/**
 * IDP-K8S-003: every namespace Terraform creates enforces a Pod Security Standards level. A Helm
 * release that creates its own namespace (`create_namespace`) cannot label it, so it fails too.
 */
export const namespacePodSecurityRule: Rule = {
  id: 'IDP-K8S-003',
  severity: { dev: 'warning', staging: 'error', prod: 'error' },
  summary: `Namespace enforces a Pod Security Standards level (label ${POD_SECURITY_ENFORCE_LABEL})`,
  fix: `Label the namespace ${POD_SECURITY_ENFORCE_LABEL} = restricted (baseline, or privileged only for node agents such as CNI or runtime security), with matching warn and audit labels; create namespaces as kubernetes_namespace_v1 resources, not with helm_release create_namespace.`,
  appliesTo: ['kubernetes_namespace_v1', 'kubernetes_namespace', 'helm_release'],
  check(subject) {
    if (subject.chart !== undefined) return subject.create_namespace === true ? 'non-compliant' : 'not-applicable';
    const labels = block(subject.metadata)?.labels;
    const level = isObject(labels) ? labels[POD_SECURITY_ENFORCE_LABEL] : undefined;
    return isReference(level) || (typeof level === 'string' && POD_SECURITY_LEVELS.includes(level)) ? 'compliant' : 'non-compliant';
  },
};
