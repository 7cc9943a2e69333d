/**
 * The cdktf app: `cdktf synth` runs this. It reads a set of environments (IDPKIT_ENVIRONMENT_SET:
 * default, examples, all or presets), lets IDPKIT_ENVIRONMENTS pick some of them (e.g. `dev,staging`),
 * validates the whole set, and synthesizes the picked environments' stacks.
 */
import { userErrorOf } from './constructs/core/errors';
import {
  ENVIRONMENT_SELECTOR_VARIABLE,
  ENVIRONMENT_SET_VARIABLE,
  chooseEnvironmentSet,
  environmentSets,
  selectEnvironments,
} from './environments';
import { synthesizePlatform } from './stacks/app';

try {
  const environments = chooseEnvironmentSet(environmentSets, process.env[ENVIRONMENT_SET_VARIABLE]);
  const only = selectEnvironments(environments, process.env[ENVIRONMENT_SELECTOR_VARIABLE]).map((env) => env.name);
  synthesizePlatform({ environments, only });
} catch (thrown) {
  const error = userErrorOf(thrown);
  if (!error) throw thrown;
  console.error(`idpkit: ${error.code}\n${error.message}`);
  process.exit(1);
}
