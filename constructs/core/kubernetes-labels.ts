/**
 * Kubernetes label syntax, for labels idpkit puts on nodes from an environment (node groups'
 * `labels`): the API server refuses any other, and the kubelet refuses to set labels under the
 * `kubernetes.io` and `k8s.io` prefixes on its own node, so such a node never joins.
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
 * @see https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#noderestriction
 */

/** A label name or value: at most 63 characters, alphanumerics with `-`, `_` and `.` inside. */
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
/** A DNS-1123 subdomain: the optional prefix of a key. */
const PREFIX = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Prefixes a kubelet may not set on its node (besides a few well-known labels idpkit does not take from environments). */
const NODE_RESERVED_PREFIXES = ['kubernetes.io', 'k8s.io'] as const;

/** Why a node label `key: value` is not one a node can carry, or undefined when it is. */
export function nodeLabelProblem(key: string, value: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !PREFIX.test(prefix)) return `has a key whose prefix "${prefix}" is not a DNS subdomain (lowercase letters, digits, "-" and ".", at most 253)`;
  if (!NAME.test(name)) return 'has a key that is not a label name (at most 63 letters, digits, "-", "_", ".", starting and ending with a letter or digit; optionally after "<prefix>/")';
  if (prefix !== undefined && NODE_RESERVED_PREFIXES.some((reserved) => prefix === reserved || prefix.endsWith(`.${reserved}`))) {
    return `has a key under ${NODE_RESERVED_PREFIXES.join(' or ')}, which a kubelet may not set on its node (use your own prefix)`;
  }
  if (value !== '' && !NAME.test(value)) return 'has a value that is not a label value (empty, or at most 63 letters, digits, "-", "_", ".", starting and ending with a letter or digit)';
  return undefined;
}
