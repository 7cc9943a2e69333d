import { IdpkitError } from '../../../core/errors';
import type { ResourceOutput, ResourceProvisioner } from '../types';
import { readParams } from './params';

/** The outputs every environment has, besides the variables given at render. */
const ENVIRONMENT_OUTPUTS = { name: 'value', tier: 'value', cloud: 'value', region: 'value' } as const;

/**
 * `environment`: values of the environment the workload runs in, for `${resources.<name>.<key>}`:
 * its `name`, `tier`, `cloud` and `region`, and the variables given at render
 * (`RenderOptions.variables`, the CLI's variables). Provisions nothing; takes no class or params.
 */
export const environmentProvisioner: ResourceProvisioner = {
  type: 'environment',
  description: 'values of the environment: name, tier, cloud, region and the variables given at render',
  classes: [],
  outputs: ENVIRONMENT_OUTPUTS,
  unavailable: () => undefined,
  provision(request) {
    readParams(request, {});
    const { platform } = request;
    const builtIn: Record<keyof typeof ENVIRONMENT_OUTPUTS, string> = { name: platform.environment, tier: platform.tier, cloud: platform.cloud, region: platform.region };
    const clashes = Object.keys(request.variables).filter((key) => key in builtIn);
    if (clashes.length > 0) {
      throw new IdpkitError(
        'IDPKIT_INVALID_WORKLOAD',
        clashes.map((key) => `${request.at}: the variable "${key}" given at render has the name of an output every environment provides (${Object.keys(builtIn).join(', ')}): rename the variable`),
      );
    }
    const outputs: Record<string, ResourceOutput> = {};
    for (const [key, value] of Object.entries({ ...request.variables, ...builtIn })) outputs[key] = { value };
    return { objects: [], outputs };
  },
};
