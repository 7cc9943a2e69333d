import type { Construct } from 'constructs';
import type { TerraformStack } from '../../constructs/core/cdktf';
import type { Cloud } from '../../constructs/core/clouds';
import type { KubernetesCluster, NodeGroupProps } from '../../constructs/infrastructure/cluster';
import { NODE_MACHINE_TYPES } from '../../constructs/infrastructure/cluster/node-sizes';
import type { Network } from '../../constructs/infrastructure/network';
import type { ContainerRegistry } from '../../constructs/infrastructure/registry';
import type { WorkloadIdentity, WorkloadIdentityRequest } from '../../constructs/integration/identity';
import type { PlatformTagsProps } from '../../constructs/integration/provider';
import type { EnvironmentOn } from '../../environments/types';

/** A Terraform output: its value and what it is. */
export interface OutputSpec {
  readonly value: unknown;
  readonly description: string;
}

/** What one cloud builds for an environment's infra stack. */
export interface InfraParts {
  readonly network: Network;
  readonly cluster: KubernetesCluster;
  readonly registry: ContainerRegistry;
  /** Outputs only this cloud has (e.g. the IRSA provider ARN on AWS), by output name. */
  readonly cloudOutputs: Readonly<Record<string, OutputSpec>>;
  /** Where the environment's secrets live, when it is a resource of the infra stack (Azure's Key Vault). */
  readonly secretStore?: { readonly id: string; readonly url: string };
}

/**
 * How one cloud turns a validated environment into Terraform: provider, remote state, the
 * infrastructure layer, and the bootstrap of its state storage. Stacks look the kit up by
 * `env.cloud` and never branch on the cloud themselves.
 */
export interface CloudKit<C extends Cloud> {
  /** Configures the stack's provider(s) for the environment. */
  configureProvider(stack: TerraformStack, env: EnvironmentOn<C>): void;
  /** Configures the stack's remote state backend (the environment's state is not local). */
  configureRemoteState(stack: TerraformStack, env: EnvironmentOn<C>): void;
  /** Builds the environment's network, cluster and registry. */
  buildInfra(stack: TerraformStack, env: EnvironmentOn<C>): InfraParts;
  /** Creates a cloud identity for one Kubernetes service account, in the infra stack. */
  createWorkloadIdentity(stack: TerraformStack, env: EnvironmentOn<C>, parts: InfraParts, request: WorkloadIdentityRequest): WorkloadIdentity;
  /** Builds the state storage (bucket or storage account, and its key) shared by these environments. */
  buildStateStorage(stack: TerraformStack, envs: readonly EnvironmentOn<C>[]): Readonly<Record<string, OutputSpec>>;
}

/** The standard tags of an environment. */
export const tagsOf = (env: EnvironmentOn<Cloud>): PlatformTagsProps => ({
  environment: env.name,
  owner: env.owner,
  costCenter: env.costCenter,
  extra: env.tags,
});

/** Tags of state storage shared by environments: the first one's, naming them all (`dev+staging`). */
export const stateStorageTags = (envs: readonly EnvironmentOn<Cloud>[]): PlatformTagsProps => ({
  ...tagsOf(envs[0]),
  environment: envs.map((env) => env.name).join('+'),
});

/** The environment's node groups with abstract sizes resolved to the cloud's machine type. */
export function nodeGroupsOf(env: EnvironmentOn<Cloud>): NodeGroupProps[] {
  return env.cluster.nodeGroups.map(({ size, instanceTypes, ...group }) => ({
    ...group,
    instanceTypes: instanceTypes ?? [NODE_MACHINE_TYPES[size!][env.cloud]],
  }));
}

/** A construct scope, for kits that build into part of a stack. */
export type Scope = Construct;
