import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from '../constructs/core/cdktf';
import { TIER_RULES } from '../constructs/core/tiers';
import { AwsEksCluster } from '../constructs/infrastructure/cluster/aws';
import { AwsKmsKey } from '../constructs/infrastructure/keys/aws';
import { AwsNetwork } from '../constructs/infrastructure/network/aws';
import { AwsContainerRegistry } from '../constructs/infrastructure/registry/aws';
import { createAwsProvider } from '../constructs/integration/provider/aws';
import { configureLocalState } from '../constructs/integration/state';
import { configureS3State } from '../constructs/integration/state/aws';
import { Environment, stateRegion } from '../environments/types';

/** The name of an environment's infrastructure stack. */
export const infraStackName = (environment: string): string => `${environment}-infra`;

/** Props of {@link InfraStack}. */
export interface InfraStackProps {
  /** The validated environment (see validateEnvironments). */
  readonly environment: Environment;
}

/**
 * One environment's cluster infrastructure, `<env>-infra`: network, EKS cluster and ECR registry
 * with their keys, logs and IAM, in its own encrypted, locked state. In-cluster add-ons live in
 * other stacks that read this one's attributes through cdktf cross-stack references.
 */
export class InfraStack extends TerraformStack {
  readonly network: AwsNetwork;
  readonly cluster: AwsEksCluster;
  readonly registry: AwsContainerRegistry;

  constructor(scope: Construct, props: InfraStackProps) {
    const env = props.environment;
    super(scope, infraStackName(env.name));
    const rules = TIER_RULES[env.tier];

    createAwsProvider(this, 'aws', {
      region: env.aws.region,
      accountId: env.aws.accountId,
      tags: { environment: env.name, owner: env.owner, costCenter: env.costCenter, extra: env.tags },
    });
    if (env.state.backend === 's3') {
      configureS3State(this, { backend: 's3', bucket: env.state.bucket, region: stateRegion(env), accountId: env.aws.accountId });
    } else {
      configureLocalState(this, env.state);
    }

    const logsKey = new AwsKmsKey(this, 'logs-key', {
      alias: `idpkit/${env.name}/logs`,
      description: `Flow and control-plane logs of ${env.name}`,
      deletionWindowDays: rules.keyDeletionWindowDays,
    });
    this.network = new AwsNetwork(this, 'network', {
      name: env.name,
      cidr: env.network.cidr,
      availabilityZoneCount: env.network.availabilityZoneCount,
      natGateways: env.network.natGateways ?? rules.natGateways,
      flowLogRetentionDays: env.network.flowLogRetentionDays ?? rules.logRetentionDays,
      logsKey,
    });
    this.cluster = new AwsEksCluster(this, 'cluster', {
      name: env.cluster.name,
      kubernetesVersion: env.cluster.kubernetesVersion,
      subnetIds: this.network.privateSubnetIds,
      adminPrincipal: env.cluster.adminPrincipalArn,
      publicEndpointCidrs: env.cluster.publicEndpointCidrs,
      nodeGroups: env.cluster.nodeGroups,
      logRetentionDays: env.cluster.logRetentionDays ?? rules.logRetentionDays,
      deletionProtection: rules.deletionProtection,
      logsKey,
      keyDeletionWindowDays: rules.keyDeletionWindowDays,
    });
    this.registry = new AwsContainerRegistry(this, 'registry', {
      name: env.name,
      repositories: env.registry.repositories,
      untaggedImageExpiryDays: env.registry.untaggedImageExpiryDays,
      forceDelete: !rules.deletionProtection,
      keyDeletionWindowDays: rules.keyDeletionWindowDays,
    });

    const outputs: Record<string, { value: unknown; description: string }> = {
      cluster_name: { value: this.cluster.clusterName, description: 'EKS cluster name' },
      cluster_endpoint: { value: this.cluster.endpoint, description: 'Kubernetes API server URL' },
      cluster_certificate_authority_data: { value: this.cluster.certificateAuthorityData, description: 'API server CA, base64' },
      cluster_oidc_issuer_url: { value: this.cluster.oidcIssuerUrl, description: 'OIDC issuer of service account tokens' },
      cluster_oidc_provider_arn: { value: this.cluster.oidcProviderArn, description: 'IAM OIDC provider for IRSA' },
      vpc_id: { value: this.network.networkId, description: 'VPC id' },
      private_subnet_ids: { value: this.network.privateSubnetIds, description: 'Private subnet ids, one per zone' },
      public_subnet_ids: { value: this.network.publicSubnetIds, description: 'Public subnet ids, one per zone' },
      registry_urls: { value: this.registry.repositoryUrls, description: 'ECR repository URLs by repository name' },
    };
    for (const [id, output] of Object.entries(outputs)) new TerraformOutput(this, id, output);
  }
}
