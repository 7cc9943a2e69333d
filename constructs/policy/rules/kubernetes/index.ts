/** The Kubernetes and Helm pack: chart pinning, unsafe chart modes, Pod Security labels and HA values. */
import type { Rule } from '../../rule';
import { helmHaValuesRule } from './helm-ha-values';
import { helmPinnedVersionRule } from './helm-pinned-version';
import { namespacePodSecurityRule } from './namespace-pod-security';
import { vaultDevModeRule } from './vault-dev-mode';

export { helmHaValuesRule, helmPinnedVersionRule, namespacePodSecurityRule, vaultDevModeRule };

/** The rules of the Kubernetes pack, in id order. */
export const KUBERNETES_RULES: readonly Rule[] = [helmPinnedVersionRule, vaultDevModeRule, namespacePodSecurityRule, helmHaValuesRule];
