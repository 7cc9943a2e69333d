// Team stacks on AWS: loaded only when a team of an environment on that cloud is built.
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { AwsDatabase } from '../../constructs/capabilities/database/aws';
import { externalSecretOf } from '../../constructs/capabilities/secrets/external-secrets';
import { AwsObjectBucket } from '../../constructs/capabilities/storage/aws';
import { fitName } from '../../constructs/core/names';
import { AwsContainerRegistry } from '../../constructs/infrastructure/registry/aws';
import { AwsWorkloadIdentity, awsGrantStatements, awsWorkloadIdentityRoleName, policyDocument } from '../../constructs/integration/identity/aws';
import { createAwsProvider } from '../../constructs/integration/provider/aws';
import { addAwsPermissionsBoundary } from '../clouds/aws';
import { EXTERNAL_SECRETS_IDENTITY } from '../platform/secrets';
import { TeamCloud, teamTags, identityPrefix } from './cloud-resources';

/** AWS: ECR repositories `<env>/<team>/<name>`, S3 buckets, EKS Pod Identity roles, RDS for PostgreSQL. */
export const awsTeam: TeamCloud<'aws'> = (stack, team, infra) => {
  const env = team.environment;
  createAwsProvider(stack, 'aws', { region: env.aws.region, accountId: env.aws.accountId, tags: teamTags(team) });
  // The environment's apply role creates only roles with its boundary: so do team stacks, whoever applies them.
  addAwsPermissionsBoundary(stack, env);
  return {
    repositories: (names) =>
      names.length === 0
        ? {}
        : new AwsContainerRegistry(stack, 'registry', {
            name: `${env.name}/${team.team}`,
            repositories: names,
          }).repositoryUrls,
    bucketName: (name) => fitName(`${team.team}-${env.name}-${name}`, 63, `-${env.aws.accountId}-${env.aws.region}`),
    bucket: (id, props) => new AwsObjectBucket(stack, id, props),
    identity: (request) =>
      new AwsWorkloadIdentity(stack, `identity-${request.name}`, {
        clusterName: infra.clusterName,
        namePrefix: identityPrefix(team),
        request,
        accountId: env.aws.accountId,
        region: env.aws.region,
      }),
    managedDatabase: (id, props, connection) => {
      const database = new AwsDatabase(stack, id, {
        ...props,
        vpcId: infra.networkId,
        subnetIds: infra.privateSubnetIds,
        allowedCidrs: [env.network.cidr],
        alarmTopicArn: infra.aws!.alertsTopicArn,
      });
      // External Secrets reads `<env>-` secrets; the password is in RDS's own secret (`rds!db-…`), which its role may read only for this database.
      new IamRolePolicy(stack, `${id}-credentials-read`, {
        role: awsWorkloadIdentityRoleName(env.cluster.name, EXTERNAL_SECRETS_IDENTITY),
        name: `team-${team.team}-${id}`,
        policy: policyDocument(awsGrantStatements(database.credentialsRead, EXTERNAL_SECRETS_IDENTITY, { accountId: env.aws.accountId, region: env.aws.region })),
      });
      const connectionDetails = externalSecretOf({ secretName: connection.secretName, namespace: connection.namespace, remoteSecretName: database.connectionSecretName });
      const spec = connectionDetails.spec as Record<string, unknown>;
      return {
        endpoint: database.endpoint,
        objects: [{ ...connectionDetails, spec: { ...spec, data: [{ secretKey: 'password', remoteRef: { key: database.masterUserSecretArn, property: 'password' } }] } }],
      };
    },
  };
};
