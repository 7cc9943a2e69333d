import { Construct } from 'constructs';
import { Fn, TerraformRemoteState } from '../../constructs/core/cdktf';
import type { Cloud } from '../../constructs/core/clouds';
import type { Environment } from '../../environments/types';
import { kitOf } from '../clouds';
import { infraStackName } from '../infra-stack';

/**
 * The outputs of an environment's infra stack (`<env>-infra`) a team stack reads, by accessor
 * name: the remote state contract between the platform team's stacks and team stacks. Renaming
 * one of these outputs in InfraStack breaks every team stack; test/stacks/team checks they exist.
 */
export const INFRA_OUTPUTS = {
  common: {
    clusterName: 'cluster_name',
    clusterEndpoint: 'cluster_endpoint',
    clusterCertificateAuthorityData: 'cluster_certificate_authority_data',
    clusterOidcIssuerUrl: 'cluster_oidc_issuer_url',
    networkId: 'network_id',
    privateSubnetIds: 'private_subnet_ids',
    registryUrls: 'registry_urls',
  },
  aws: {
    alertsTopicArn: 'alerts_topic_arn',
    secretsKeyArn: 'secrets_key_arn',
    clusterOidcProviderArn: 'cluster_oidc_provider_arn',
    publicSubnetIds: 'public_subnet_ids',
  },
  azure: {
    resourceGroupName: 'resource_group_name',
    clusterId: 'cluster_id',
    keyVaultId: 'key_vault_id',
    registryId: 'registry_id',
    registryName: 'registry_name',
    registryLoginServer: 'registry_login_server',
    kubeletIdentityObjectId: 'kubelet_identity_object_id',
  },
  gcp: {
    clusterLocation: 'cluster_location',
    workloadIdentityPool: 'workload_identity_pool',
    networkSelfLink: 'network_self_link',
    subnetSelfLink: 'subnet_self_link',
    registryRepositoryId: 'registry_repository_id',
    nodeServiceAccountEmail: 'node_service_account_email',
  },
} as const;

/** Outputs that are lists (the rest are strings, but `registry_urls`, a map). */
const LIST_OUTPUTS: ReadonlySet<string> = new Set([INFRA_OUTPUTS.common.privateSubnetIds, INFRA_OUTPUTS.aws.publicSubnetIds]);

/** An infra stack's outputs only one cloud has, by accessor name, as Terraform references. */
export type CloudInfraOutputs<C extends Cloud> = { readonly [K in keyof (typeof INFRA_OUTPUTS)[C]]: K extends 'publicSubnetIds' ? string[] : string };

/**
 * The outputs of an environment's infra stack, read through `terraform_remote_state` from the
 * environment's state bucket (S3), container (azurerm) or bucket (GCS) at the key the platform
 * stacks use (`idpkit/<env>-infra/terraform.tfstate`), as typed Terraform references: no id is
 * copied into the team's code, and a platform change reaches the team stack at its next plan.
 *
 * @example
 * import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
 * const infra = new InfraRemoteState(this, 'infra', loadEnvironmentFile('environments/dev.json'));
 * new KubernetesProvider(this, 'kubernetes', { host: infra.clusterEndpoint });
 */
export class InfraRemoteState extends Construct {
  /** The `terraform_remote_state` data source. */
  readonly state: TerraformRemoteState;
  /** Kubernetes cluster name. */
  readonly clusterName: string;
  /** API server URL. */
  readonly clusterEndpoint: string;
  /** API server CA, base64. */
  readonly clusterCertificateAuthorityData: string;
  /** OIDC issuer of service account tokens. */
  readonly clusterOidcIssuerUrl: string;
  /** VPC or VNet id. */
  readonly networkId: string;
  /** Private subnet ids (Azure: the node subnet). */
  readonly privateSubnetIds: string[];
  /** AWS-only outputs; undefined on other clouds. */
  readonly aws?: CloudInfraOutputs<'aws'>;
  /** Azure-only outputs; undefined on other clouds. */
  readonly azure?: CloudInfraOutputs<'azure'>;
  /** GCP-only outputs; undefined on other clouds. */
  readonly gcp?: CloudInfraOutputs<'gcp'>;

  constructor(scope: Construct, id: string, env: Environment) {
    super(scope, id);
    this.state = kitOf(env).readRemoteState(this, 'state', env as never, infraStackName(env.name));
    const common = INFRA_OUTPUTS.common;
    this.clusterName = this.output(common.clusterName);
    this.clusterEndpoint = this.output(common.clusterEndpoint);
    this.clusterCertificateAuthorityData = this.output(common.clusterCertificateAuthorityData);
    this.clusterOidcIssuerUrl = this.output(common.clusterOidcIssuerUrl);
    this.networkId = this.output(common.networkId);
    this.privateSubnetIds = this.state.getList(common.privateSubnetIds);
    const outputs = Object.fromEntries(
      Object.entries(INFRA_OUTPUTS[env.cloud]).map(([accessor, name]) => [accessor, LIST_OUTPUTS.has(name) ? this.state.getList(name) : this.output(name)]),
    );
    if (env.cloud === 'aws') this.aws = outputs as unknown as CloudInfraOutputs<'aws'>;
    if (env.cloud === 'azure') this.azure = outputs as unknown as CloudInfraOutputs<'azure'>;
    if (env.cloud === 'gcp') this.gcp = outputs as unknown as CloudInfraOutputs<'gcp'>;
  }

  /** The URL of one of the environment's own repositories (`registry.repositories` of the environment). */
  registryUrl(repository: string): string {
    return Fn.lookup(this.state.get(INFRA_OUTPUTS.common.registryUrls), repository) as string;
  }

  private output(name: string): string {
    return this.state.getString(name);
  }
}
