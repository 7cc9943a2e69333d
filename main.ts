/**
 * The cdktf app: `cdktf synth` runs this. It reads the environments, lets IDPKIT_ENVIRONMENTS
 * pick some of them (e.g. `IDPKIT_ENVIRONMENTS=dev,staging`), and synthesizes their stacks.
 */
import { IdpkitError } from './constructs/core/errors';
import { ENVIRONMENT_SELECTOR_VARIABLE, defaultEnvironments, selectEnvironments } from './environments';
import { synthesizePlatform } from './stacks/app';

try {
  const only = selectEnvironments(defaultEnvironments, process.env[ENVIRONMENT_SELECTOR_VARIABLE]).map((env) => env.name);
  synthesizePlatform({ environments: defaultEnvironments, only });
} catch (error) {
  if (!(error instanceof IdpkitError)) throw error;
  console.error(`idpkit: ${error.code}\n${error.message}`);
  process.exit(1);
}
