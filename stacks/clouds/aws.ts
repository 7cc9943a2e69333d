import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { Aspects, TerraformStack, Token } from '../../constructs/core/cdktf';
import { TIER_RULES } from '../../constructs/core/tiers';
import { KarpenterInterruptionQueue } from '../../constructs/capabilities/autoscaling/karpenter-interruption';
import { KARPENTER_DISCOVERY_TAG } from '../../constructs/infrastructure/cluster';
import { AwsEksCluster } from '../../constructs/infrastructure/cluster/aws';
import { AwsKmsKey } from '../../constructs/infrastructure/keys/aws';
import { AwsNetwork } from '../../constructs/infrastructure/network/aws';
import { AwsContainerRegistry } from '../../constructs/infrastructure/registry/aws';
import { AwsWorkloadIdentity } from '../../constructs/integration/identity/aws';
import { createAwsProvider } from '../../constructs/integration/provider/aws';
import { AwsStateBucket, configureS3State, readS3State } from '../../constructs/capabilities/state/aws';
import { EnvironmentOn } from '../../environments/types';
import {
  CloudKit,
  TerraformElement,
  budgetPropsOf,
  ciBounded,
  ciEnvironments,
  ciOutputsOf,
  ciProviderExists,
  databasePropsOf,
  hasCiIdentities,
  nodeGroupsOf,
  offHoursOf,
  requireZoneField,
  stateStorageTags,
  tagsOf,
} from './kit';
import { AwsPermissionsBoundaryAspect, awsBoundaryPolicyArn } from '../../constructs/integration/ci/aws-permissions';
import { AwsAlertRecipients } from '../../constructs/capabilities/observability/alerts/aws';
import { AwsBudget } from '../../constructs/capabilities/cost/budget/aws';
import { AwsDatabase, addPostgresSecurityGroup } from '../../constructs/capabilities/database/aws';
import { addAwsClusterOffHours } from '../../constructs/infrastructure/cluster/off-hours';
import { AwsGithubDeployClusterAccess, AwsGithubDeployRoles, AwsGithubOidcProvider } from '../../constructs/integration/ci/aws';
import { AwsObjectBucket } from '../../constructs/capabilities/storage/aws';
import { Ec2SpotServiceLinkedRole } from '../../constructs/capabilities/autoscaling/spot-service-linked-role';
import { enabledAddons } from '../platform/catalog';

type AwsEnvironment = EnvironmentOn<'aws'>;

const stateOf = (env: AwsEnvironment) => {
  if (env.state.backend !== 's3') throw new Error(`environment "${env.name}" has no S3 state`);
  return { bucket: env.state.bucket, region: env.state.region ?? env.aws.region };
};

/**
 * Puts the environment's permissions boundary on every IAM role of a stack (infra, team), when
 * its apply role is bounded ({@link ciBounded}): that role may create no other. The boundary is
 * named by its ARN, known from account and environment, so the stack needs no reference to the
 * bootstrap stack that makes it (which would tie its plans to that stack's state); apply the
 * bootstrap stack first.
 */
export function addAwsPermissionsBoundary(stack: TerraformStack, env: AwsEnvironment): void {
  if (ciBounded(env)) Aspects.of(stack).add(new AwsPermissionsBoundaryAspect(awsBoundaryPolicyArn(env.aws.accountId, env.name)));
}

/** Where AWS's global services (IAM, Budgets, S3 bucket listing) answer, as `aws:RequestedRegion` sees them. */
const GLOBAL_SERVICES_REGION = 'us-east-1';

/**
 * What the apply role applies, from the environment's stacks: their Terraform types, and the
 * roles it may pass (theirs, by name, and `<cluster>-*` for team stacks' roles).
 */
function applyScopeOf(env: AwsEnvironment, elements: readonly TerraformElement[] | undefined): { applyResourceTypes?: string[]; passRoleNames?: string[] } {
  if (!elements) return {};
  const roleNames = elements.filter((element): element is IamRole => element instanceof IamRole).map((role) => role.nameInput ?? '');
  return {
    applyResourceTypes: [...new Set(elements.map((element) => element.terraformResourceType))].sort(),
    passRoleNames: [...new Set([...roleNames.filter((name) => name !== '' && !Token.isUnresolved(name)), `${env.cluster.name}-*`])].sort(),
  };
}

/** AWS: VPC, EKS and ECR, state in S3. */
export const awsKit: CloudKit<'aws'> = {
  configureProvider(stack, env) {
    createAwsProvider(stack, 'aws', { region: env.aws.region, accountId: env.aws.accountId, tags: tagsOf(env) });
  },

  configureRemoteState(stack, env, key) {
    configureS3State(stack, { backend: 's3', ...stateOf(env), accountId: env.aws.accountId }, key);
  },

  readRemoteState(scope, id, env, stackName) {
    return readS3State(scope, id, { backend: 's3', ...stateOf(env), accountId: env.aws.accountId }, stackName);
  },

  buildInfra(stack: TerraformStack, env) {
    const rules = TIER_RULES[env.tier];
    addAwsPermissionsBoundary(stack, env);
    const logsKey = new AwsKmsKey(stack, 'logs-key', {
      alias: `idpkit/${env.name}/logs`,
      description: `Flow and control-plane logs of ${env.name}`,
      deletionWindowDays: rules.keyDeletionWindowDays,
      preventDestroy: rules.deletionProtection,
    });
    const network = new AwsNetwork(stack, 'network', {
      name: env.name,
      cidr: env.network.cidr,
      availabilityZoneCount: env.network.availabilityZoneCount,
      natGateways: env.network.natGateways ?? rules.natGateways,
      flowLogRetentionDays: env.network.flowLogRetentionDays ?? rules.logRetentionDays,
      logsKey,
      keyPreventDestroy: rules.deletionProtection,
      privateSubnetTags: { [KARPENTER_DISCOVERY_TAG]: env.cluster.name },
    });
    const cluster = new AwsEksCluster(stack, 'cluster', {
      name: env.cluster.name,
      kubernetesVersion: env.cluster.kubernetesVersion,
      subnetIds: network.privateSubnetIds,
      adminPrincipal: env.cluster.adminPrincipal,
      publicEndpointCidrs: env.cluster.publicEndpointCidrs,
      nodeGroups: nodeGroupsOf(env),
      logRetentionDays: env.cluster.logRetentionDays ?? rules.logRetentionDays,
      deletionProtection: rules.deletionProtection,
      // Cilium (chained onto the VPC CNI) enforces NetworkPolicies when installed; one engine only.
      networkPolicyEngine: enabledAddons(env).some(({ addon }) => addon.key === 'cilium') ? 'cilium' : 'vpc-cni',
      // Karpenter (installed by the platform stack) grows the cluster; the managed node groups alone never grow.
      nodeProvisioner: enabledAddons(env).some(({ addon }) => addon.key === 'karpenter') ? 'karpenter' : undefined,
      terraformOverrides: env.cluster.terraformOverrides,
      logsKey,
      keyDeletionWindowDays: rules.keyDeletionWindowDays,
    });
    // GitHub Actions plans and applies <env>-platform too: its deploy roles (made by the bootstrap stack) need access entries.
    if (hasCiIdentities(env)) new AwsGithubDeployClusterAccess(stack, 'ci-cluster-access', { environment: env.name, accountId: env.aws.accountId, clusterName: cluster.clusterName });
    const registry = new AwsContainerRegistry(stack, 'registry', {
      name: env.name,
      repositories: env.registry.repositories,
      untaggedImageExpiryDays: env.registry.untaggedImageExpiryDays,
      forceDelete: !rules.deletionProtection,
      preventDestroy: rules.deletionProtection,
      keyDeletionWindowDays: rules.keyDeletionWindowDays,
    });
    // The customer key of the environment's own secrets in Secrets Manager (`<env>-...`); External Secrets may decrypt through Secrets Manager.
    const secretsKey = new AwsKmsKey(stack, 'secrets-key', {
      alias: `idpkit/${env.name}/secrets`,
      description: `Secrets of ${env.name} in Secrets Manager (names starting ${env.name}-)`,
      deletionWindowDays: rules.keyDeletionWindowDays,
      preventDestroy: rules.deletionProtection,
    });
    const alerts = new AwsAlertRecipients(stack, 'alerts', {
      name: `idpkit-${env.name}-alerts`,
      emails: env.alerts.emails,
      keyDeletionWindowDays: rules.keyDeletionWindowDays,
      keyPreventDestroy: rules.deletionProtection,
    });
    new AwsBudget(stack, 'budget', { ...budgetPropsOf(env), environment: env.name, topicArn: alerts.topicArn });
    const offHours = offHoursOf(env);
    if (offHours) addAwsClusterOffHours(stack, cluster, nodeGroupsOf(env), offHours);
    const databases = Object.fromEntries(
      env.databases.map((database) => [
        database.name,
        new AwsDatabase(stack, `database-${database.name}`, {
          ...databasePropsOf(env, database),
          vpcId: network.networkId,
          subnetIds: network.privateSubnetIds,
          allowedCidrs: [env.network.cidr],
          alarmTopicArn: alerts.topicArn,
          keyDeletionWindowDays: rules.keyDeletionWindowDays,
          logRetentionDays: rules.logRetentionDays,
        }),
      ]),
    );
    return {
      network,
      cluster,
      registry,
      databases,
      cloudOutputs: {
        alerts_topic_arn: { value: alerts.topicArn, description: 'SNS topic of alarms and budget alerts' },
        secrets_key_arn: { value: secretsKey.keyId, description: `KMS key for the environment's secrets in Secrets Manager` },
        cluster_oidc_provider_arn: { value: cluster.oidcProviderArn, description: 'IAM OIDC provider for IRSA' },
        public_subnet_ids: { value: network.publicSubnetIds, description: 'Public subnet ids, one per zone' },
      },
    };
  },

  addonInfraBuilders(_stack, env, parts) {
    const rules = TIER_RULES[env.tier];
    return {
      karpenterInterruptionQueue: (scope, queueName) => {
        new KarpenterInterruptionQueue(scope, 'interruption-queue', { queueName });
      },
      bucket: (scope, id, props) =>
        new AwsObjectBucket(scope, id, {
          bucketName: `idpkit-${env.name}-${props.name}-${env.aws.accountId}-${env.aws.region}`,
          versioning: props.versioning,
          expiryDays: props.expiryDays,
          forceDestroy: !rules.deletionProtection,
          preventDestroy: rules.deletionProtection,
          keyDeletionWindowDays: rules.keyDeletionWindowDays,
        }),
      key: (scope, id, props) => {
        const key = new AwsKmsKey(scope, id, {
          alias: `idpkit/${env.name}/${props.name}`,
          description: props.description,
          deletionWindowDays: rules.keyDeletionWindowDays,
          preventDestroy: rules.deletionProtection,
        });
        return { keyId: key.keyId, keyName: key.aliasName, location: env.aws.region };
      },
      dnsZone: (zone, what) => ({ domain: zone.domain, hostedZoneId: requireZoneField(zone.hostedZoneId, what, 'hostedZoneId') }),
      databaseNetwork: (scope) => {
        const group = addPostgresSecurityGroup(scope, {
          name: `idpkit-${env.name}-claimed-postgres`,
          description: `PostgreSQL instances claimed through Crossplane in ${env.name}: 5432 from the VPC only`,
          vpcId: parts.network.networkId,
          allowedCidrs: [env.network.cidr],
        });
        return { aws: { subnetIds: parts.network.privateSubnetIds, securityGroupIds: [group.id] } };
      },
    };
  },

  createWorkloadIdentity(stack, env, parts, request) {
    return new AwsWorkloadIdentity(stack, `identity-${request.name}`, {
      clusterName: parts.cluster.clusterName,
      namePrefix: env.cluster.name,
      request,
      accountId: env.aws.accountId,
      region: env.aws.region,
    });
  },

  buildStateStorage(stack, envs, options) {
    const [first] = envs;
    const { bucket, region } = stateOf(first);
    createAwsProvider(stack, 'aws', {
      region,
      accountId: first.aws.accountId,
      tags: stateStorageTags(envs),
    });
    const state = new AwsStateBucket(stack, 'state', { bucket });
    if (options?.spotServiceLinkedRole) new Ec2SpotServiceLinkedRole(stack, 'ec2-spot-service-linked-role');
    const deployers = ciEnvironments(envs);
    const oidcProvider = deployers.length > 0 ? new AwsGithubOidcProvider(stack, 'github-oidc', { existing: ciProviderExists(envs, options) }) : undefined;
    const identities = deployers.map(
      ({ env, deploy }) =>
        new AwsGithubDeployRoles(stack, `ci-${deploy.environment}`, {
          ...deploy,
          oidcProviderArn: oidcProvider!.arn,
          stateBucketArn: state.bucketArn,
          stateKeyArn: state.key.keyId,
          planPolicyArns: env.ci?.permissions?.plan,
          applyPolicyArns: env.ci?.permissions?.apply,
          boundary: ciBounded(env),
          accountId: env.aws.accountId,
          regions: [env.aws.region, GLOBAL_SERVICES_REGION],
          ...applyScopeOf(env, options?.deployedElements?.(env.name)),
          planSecrets: { region: env.aws.region, accountId: env.aws.accountId, namePrefix: `${env.name}-` },
        }),
    );
    return {
      state_bucket_arn: { value: state.bucketArn, description: 'Terraform state bucket' },
      state_key_arn: { value: state.key.keyId, description: 'KMS key of the state bucket' },
      ...ciOutputsOf(identities),
    };
  },
};
