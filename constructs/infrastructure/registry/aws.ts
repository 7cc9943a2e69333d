import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { Construct } from 'constructs';
import { ContainerRegistry, ContainerRegistryProps, REGISTRY_DEFAULTS, REPOSITORY_NAME, REPOSITORY_NAME_RULE } from '.';
import { IdpkitError } from '../../core/errors';
import { AwsKmsKey } from '../keys/aws';

/** The construct id of a repository: its name with "/" (a path separator for constructs) as "--". */
const repositoryId = (name: string): string => `repository-${name.replace(/\//g, '--')}`;

/**
 * Amazon ECR repositories: immutable tags, scan on push, KMS encryption with a customer key, and a
 * lifecycle policy that expires untagged images.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html
 * @example
 * const registry = new AwsContainerRegistry(this, 'registry', { name: 'prod', repositories: ['platform/backstage'] });
 * registry.repositoryUrls['platform/backstage'];
 */
export class AwsContainerRegistry extends Construct implements ContainerRegistry {
  readonly repositoryUrls: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ContainerRegistryProps) {
    super(scope, id);
    const expiryDays = props.untaggedImageExpiryDays ?? REGISTRY_DEFAULTS.untaggedImageExpiryDays;
    this.validate(props, expiryDays);
    const key =
      props.encryptionKey ??
      new AwsKmsKey(this, 'key', {
        alias: `idpkit/${props.name}/ecr`,
        description: `ECR images of ${props.name}`,
        deletionWindowDays: props.keyDeletionWindowDays,
      });
    const lifecyclePolicy = JSON.stringify({
      rules: [
        {
          rulePriority: 1,
          description: `Expire untagged images after ${expiryDays} days`,
          selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: expiryDays },
          action: { type: 'expire' },
        },
      ],
    });
    const urls: Record<string, string> = {};
    for (const name of props.repositories) {
      const repository = new EcrRepository(this, repositoryId(name), {
        name,
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: key.keyId }],
        forceDelete: props.forceDelete ?? REGISTRY_DEFAULTS.forceDelete,
      });
      new EcrLifecyclePolicy(this, `${repositoryId(name)}-lifecycle`, { repository: repository.name, policy: lifecyclePolicy });
      urls[name] = repository.repositoryUrl;
    }
    this.repositoryUrls = urls;
  }

  private validate(props: ContainerRegistryProps, expiryDays: number): void {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const name of props.repositories) {
      if (!REPOSITORY_NAME.test(name) || name.length > 256) {
        problems.push(`${this.node.path}: repository "${name}" is not a repository name (${REPOSITORY_NAME_RULE})`);
      }
      if (seen.has(name)) problems.push(`${this.node.path}: repository "${name}" is listed twice`);
      seen.add(name);
    }
    if (!Number.isInteger(expiryDays) || expiryDays < 1) {
      problems.push(`${this.node.path}: untaggedImageExpiryDays ${expiryDays} must be a whole number of at least 1`);
    }
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
  }
}
