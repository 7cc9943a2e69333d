import type { IConstruct } from 'constructs';
import { tierDefault } from '../../core/tiers';

/**
 * Repository names idpkit accepts: "/"-separated DNS-1123 labels without consecutive hyphens,
 * which every cloud's registry accepts (ECR, ACR and Artifact Registry image paths).
 */
export const REPOSITORY_NAME = /^[a-z0-9]+(-[a-z0-9]+)*(\/[a-z0-9]+(-[a-z0-9]+)*)*$/;

/** What {@link REPOSITORY_NAME} allows, for error messages. */
export const REPOSITORY_NAME_RULE = '"/"-separated DNS-1123 labels without "--", e.g. platform/backstage';

/** A private container image registry, whatever the cloud. */
export interface ContainerRegistry {
  /** Pull/push URL of each repository, by repository name as given in `repositories` (the URL's path may add the environment). */
  readonly repositoryUrls: Readonly<Record<string, string>>;
  /**
   * Lets an identity pull images: an IAM role name (AWS), a principal (object) id (Azure), an
   * IAM member such as `serviceAccount:nodes@p.iam.gserviceaccount.com` (GCP).
   */
  grantPull(identity: string): void;
}

/** Props every cloud's registry takes. */
export interface ContainerRegistryProps {
  /** Name prefix for the registry's resources, e.g. the environment name; keeps environments that share an account or project apart. */
  readonly name: string;
  /** Repository names: "/"-separated DNS-1123 labels, e.g. "platform/backstage". */
  readonly repositories: readonly string[];
  /** Days after which untagged images are deleted. @default 14 */
  readonly untaggedImageExpiryDays?: number;
  /** Let `terraform destroy` delete a registry that still holds images. @default - where the tier has no `deletionProtection` (dev, staging); false without a tier */
  readonly forceDelete?: boolean;
}

/** Defaults of {@link ContainerRegistryProps} (without a tier: {@link registryForceDelete}). */
export const REGISTRY_DEFAULTS = {
  untaggedImageExpiryDays: 14,
  forceDelete: false,
} as const;

/** Whether the registry `scope` lets `terraform destroy` delete it with images in it: `forceDelete`, else where the tier has no deletion protection, else {@link REGISTRY_DEFAULTS}. */
export function registryForceDelete(scope: IConstruct, props: Pick<ContainerRegistryProps, 'forceDelete'>): boolean {
  return props.forceDelete ?? tierDefault(scope, (rules) => !rules.deletionProtection, REGISTRY_DEFAULTS.forceDelete);
}

/** Checks every cloud applies to registry props; returns one message per problem. */
export function registryPropProblems(path: string, props: ContainerRegistryProps): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const name of props.repositories) {
    if (!REPOSITORY_NAME.test(name) || name.length > 256) problems.push(`${path}: repository "${name}" is not a repository name (${REPOSITORY_NAME_RULE})`);
    if (seen.has(name)) problems.push(`${path}: repository "${name}" is listed twice`);
    seen.add(name);
  }
  const days = props.untaggedImageExpiryDays ?? REGISTRY_DEFAULTS.untaggedImageExpiryDays;
  if (!Number.isInteger(days) || days < 1) problems.push(`${path}: untaggedImageExpiryDays ${days} must be a whole number of at least 1`);
  return problems;
}
