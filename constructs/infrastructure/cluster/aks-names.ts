/** The name idpkit gives the AKS system node pool, and what user node pools may not be called. */
export const AKS_SYSTEM_POOL_NAME = 'system';

/** AKS Linux node pool names: 1-12 lowercase letters and digits, starting with a letter. */
export const AKS_NODE_POOL_NAME = /^[a-z][a-z0-9]{0,11}$/;

/** Why a name is not an AKS user node pool name, or undefined when it is one. */
export function aksNodePoolNameProblem(name: string): string | undefined {
  if (!AKS_NODE_POOL_NAME.test(name)) return 'is not an AKS node pool name (1-12 lowercase letters and digits, starting with a letter; e.g. "general")';
  if (name === AKS_SYSTEM_POOL_NAME) return `is the name of idpkit's system node pool (choose another name)`;
  return undefined;
}
