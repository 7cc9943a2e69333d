import type { EncryptionKey } from '../keys';

/**
 * Repository names idpkit accepts: "/"-separated DNS-1123 labels without consecutive hyphens,
 * which every cloud's registry accepts (ECR, ACR and Artifact Registry).
 */
export const REPOSITORY_NAME = /^[a-z0-9]+(-[a-z0-9]+)*(\/[a-z0-9]+(-[a-z0-9]+)*)*$/;

/** What {@link REPOSITORY_NAME} allows, for error messages. */
export const REPOSITORY_NAME_RULE = '"/"-separated DNS-1123 labels without "--", e.g. platform/backstage';

/** A private container image registry, whatever the cloud. */
export interface ContainerRegistry {
  /** Pull/push URL of each repository, by repository name. */
  readonly repositoryUrls: Readonly<Record<string, string>>;
}

/** Props every cloud's registry takes. */
export interface ContainerRegistryProps {
  /** Name prefix for keys and other resources the registry creates, e.g. the environment name. */
  readonly name: string;
  /** Repository names: "/"-separated DNS-1123 labels, e.g. "platform/backstage". */
  readonly repositories: readonly string[];
  /** Days after which untagged images are deleted. @default 14 */
  readonly untaggedImageExpiryDays?: number;
  /** Key that encrypts images. @default - a new key is created */
  readonly encryptionKey?: EncryptionKey;
  /** Let `terraform destroy` delete repositories that still hold images. @default false */
  readonly forceDelete?: boolean;
  /** Days a scheduled deletion of a key this construct creates waits. @default 30 */
  readonly keyDeletionWindowDays?: number;
}

/** Defaults of {@link ContainerRegistryProps}. */
export const REGISTRY_DEFAULTS = {
  untaggedImageExpiryDays: 14,
  forceDelete: false,
} as const;
