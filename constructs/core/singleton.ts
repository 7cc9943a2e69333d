import type { Construct } from 'constructs';
import { TerraformStack } from './cdktf';

/**
 * The one construct with this id at the root of the scope's stack, created on first use: for
 * things a whole stack shares (data sources that read the account or project, API enablement).
 */
export function stackSingleton<T extends Construct>(scope: Construct, id: string, create: (stack: TerraformStack, id: string) => T): T {
  const stack = TerraformStack.of(scope);
  return (stack.node.tryFindChild(id) as T | undefined) ?? create(stack, id);
}
