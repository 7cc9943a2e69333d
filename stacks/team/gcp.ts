// Team stacks on GCP: loaded only when a team of an environment on that cloud is built.
import { GcpObjectBucket } from '../../constructs/capabilities/storage/gcp';
import { fitName } from '../../constructs/core/names';
import { GcpKeyRing, GcpKmsKey } from '../../constructs/infrastructure/keys/gcp';
import { GcpArtifactRegistry } from '../../constructs/infrastructure/registry/gcp';
import { GcpWorkloadIdentity } from '../../constructs/integration/identity/gcp';
import { createGoogleProvider } from '../../constructs/integration/provider/gcp';
import { TeamCloud, teamTags, identityPrefix } from './cloud-resources';

/** GCP: one Artifact Registry repository of the team, GCS buckets, Google service accounts with Workload Identity; keys in a key ring of the team. */
export const gcpTeam: TeamCloud<'gcp'> = (stack, team, infra) => {
  const env = team.environment;
  const region = env.gcp.region;
  createGoogleProvider(stack, 'google', { projectId: env.gcp.projectId, region, tags: teamTags(team) });
  let keyRing: GcpKeyRing | undefined;
  let bucketsKey: GcpKmsKey | undefined;
  const key = (id: string, alias: string, description: string) => {
    keyRing ??= new GcpKeyRing(stack, 'key-ring', { name: `idpkit-${env.name}-team-${team.team}`.slice(0, 63), location: region });
    return new GcpKmsKey(stack, id, { alias, description, location: region, keyRing });
  };
  return {
    repositories: (names) => {
      if (names.length === 0) return {};
      const registry = new GcpArtifactRegistry(stack, 'registry', {
        name: `${env.name}-${team.team}`,
        repositoryId: fitName(`${env.name}-${team.team}`, 63),
        region,
        repositories: names,
        encryptionKey: key('registry-key', 'artifact-registry', `Images of team ${team.team} in ${env.name}`),
      });
      registry.grantPush(`group:${team.members.admin}`, 'push-team-admins');
      return registry.repositoryUrls;
    },
    bucketName: (name) => fitName(`${env.gcp.projectId}-${team.team}-${env.name}`, 63, `-${name}`),
    bucket: (id, props) => {
      bucketsKey ??= key('buckets-key', 'buckets', `Objects in team ${team.team}'s buckets of ${env.name}`);
      return new GcpObjectBucket(stack, id, { ...props, location: region, key: bucketsKey });
    },
    identity: (request) =>
      new GcpWorkloadIdentity(stack, `identity-${request.name}`, {
        projectId: env.gcp.projectId,
        namePrefix: identityPrefix(team),
        workloadIdentityPool: infra.gcp!.workloadIdentityPool,
        request,
      }),
  };
};
