import type { TerraformStack } from '../../constructs/core/cdktf';
import type { Cloud } from '../../constructs/core/clouds';
import type { TeamCloud, TeamCloudResources, TeamOn } from './cloud-resources';
import type { Team } from './config';
import type { InfraRemoteState } from './remote-state';

export * from './cloud-resources';

/**
 * Each cloud's team resources, loaded the first time a team on that cloud is built: a team app on
 * one cloud loads only that cloud's provider bindings, so it installs only that provider.
 */
const TEAM_CLOUD_LOADERS: { readonly [C in Cloud]: () => TeamCloud<C> } = {
  aws: () => require('./aws').awsTeam,
  azure: () => require('./azure').azureTeam,
  gcp: () => require('./gcp').gcpTeam,
};

/** The team resources of the team's environment's cloud (configures its provider in `stack`). */
export const teamCloudOf = (stack: TerraformStack, team: Team, infra: InfraRemoteState): TeamCloudResources =>
  (TEAM_CLOUD_LOADERS[team.environment.cloud] as () => TeamCloud<Cloud>)()(stack, team as TeamOn<Cloud>, infra);
