import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { Construct } from 'constructs';
import { ContainerRegistry, ContainerRegistryProps, REGISTRY_DEFAULTS, registryForceDelete, REPOSITORY_NAME, REPOSITORY_NAME_RULE, registryPropProblems } from '.';
import { IdpkitError, describeValue } from '../../core/errors';
import { tierDefault } from '../../core/tiers';
import { EncryptionKey } from '../keys';
import { AwsKmsKey } from '../keys/aws';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { policyDocument } from '../../integration/identity/aws';

/** Props of {@link AwsContainerRegistry}. */
export interface AwsContainerRegistryProps extends ContainerRegistryProps {
  /** Key that encrypts images. @default - a new key is created */
  readonly encryptionKey?: EncryptionKey;
  /** Days a scheduled deletion of a key this construct creates waits. @default - the tier's `keyDeletionWindowDays` (dev 7, staging and prod 30); 30 without a tier */
  readonly keyDeletionWindowDays?: number;
  /** Refuse `terraform destroy` of the repositories and the key this construct creates (`lifecycle.prevent_destroy`). @default - the tier's `deletionProtection` (prod only); false without a tier */
  readonly preventDestroy?: boolean;
}

/** The construct id of a repository: its name with "/" (a path separator for constructs) as "--". */
const repositoryId = (name: string): string => `repository-${name.replace(/\//g, '--')}`;

/** ECR repository names: at most 256 characters. */
const ECR_REPOSITORY_NAME_MAX_LENGTH = 256;

/**
 * Amazon ECR repositories: immutable tags, scan on push, KMS encryption with a customer key, a
 * lifecycle policy that expires untagged images, and optionally `prevent_destroy` (prod).
 *
 * Repository names are unique per account and region, and environments may share both (dev and
 * staging often do), so each repository lives under the registry's `name` (the environment):
 * `platform/backstage` of `dev` is the ECR repository `dev/platform/backstage`, as on GCP, where
 * it is an image path in the environment's own Artifact Registry repository. Each environment
 * keeps its own repositories, key and lifecycle, and `grantPull` gives access to its own only.
 * `repositoryUrls` is keyed by the names as given.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/Repositories.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html
 * @example
 * const registry = new AwsContainerRegistry(this, 'registry', { name: 'prod', repositories: ['platform/backstage'] });
 * registry.repositoryUrls['platform/backstage']; // <account>.dkr.ecr.<region>.amazonaws.com/prod/platform/backstage
 */
export class AwsContainerRegistry extends Construct implements ContainerRegistry {
  readonly repositoryUrls: Readonly<Record<string, string>>;
  private readonly repositoryArns: string[] = [];

  constructor(scope: Construct, id: string, props: AwsContainerRegistryProps) {
    super(scope, id);
    const expiryDays = props.untaggedImageExpiryDays ?? REGISTRY_DEFAULTS.untaggedImageExpiryDays;
    const repositoryName = (name: string) => `${props.name}/${name}`;
    const problems = registryPropProblems(this.node.path, props);
    if (!REPOSITORY_NAME.test(props.name)) problems.push(`${this.node.path}: name ${describeValue(props.name)} is not a repository path (${REPOSITORY_NAME_RULE}): it prefixes every repository`);
    for (const name of props.repositories.filter((repository) => repositoryName(repository).length > ECR_REPOSITORY_NAME_MAX_LENGTH)) {
      problems.push(`${this.node.path}: repository "${repositoryName(name)}" is longer than ${ECR_REPOSITORY_NAME_MAX_LENGTH} characters (shorten the repository or the name)`);
    }
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
    const preventDestroy = props.preventDestroy ?? tierDefault(this, (rules) => rules.deletionProtection, false);
    const key =
      props.encryptionKey ??
      new AwsKmsKey(this, 'key', {
        alias: `idpkit/${props.name}/ecr`,
        description: `ECR images of ${props.name}`,
        deletionWindowDays: props.keyDeletionWindowDays,
        preventDestroy,
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
        name: repositoryName(name),
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: key.keyId }],
        forceDelete: registryForceDelete(this, props),
        lifecycle: preventDestroy ? { preventDestroy: true } : undefined,
      });
      new EcrLifecyclePolicy(this, `${repositoryId(name)}-lifecycle`, { repository: repository.name, policy: lifecyclePolicy });
      urls[name] = repository.repositoryUrl;
      this.repositoryArns.push(repository.arn);
    }
    this.repositoryUrls = urls;
  }

  /** Lets an IAM role (by name) pull this registry's images. */
  grantPull(roleName: string): void {
    new IamRolePolicy(this, `pull-${roleName}`, {
      role: roleName,
      name: `${this.node.id}-pull`,
      policy: policyDocument([
        { Sid: 'AuthenticateToEcr', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
        {
          Sid: 'PullRepositoryImages',
          Effect: 'Allow',
          Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          Resource: [...this.repositoryArns],
        },
      ]),
    });
  }
}
