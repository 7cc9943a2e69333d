/** The Kubernetes and Helm pack: chart pinning and unsafe chart modes. */
import type { Rule } from '../../engine';
import { helmPinnedVersionRule } from './helm-pinned-version';
import { vaultDevModeRule } from './vault-dev-mode';

export { helmPinnedVersionRule, vaultDevModeRule };

/** The rules of the Kubernetes pack, in id order. */
export const KUBERNETES_RULES: readonly Rule[] = [helmPinnedVersionRule, vaultDevModeRule];
