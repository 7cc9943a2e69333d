import { AwsContainerRegistry } from '../../../../constructs/infrastructure/registry/aws';
import { awsTestStack, onlyResource, resources } from '../../../helpers';

const json = awsTestStack((stack) => new AwsContainerRegistry(stack, 'registry', { name: 'prod', repositories: ['platform/backstage', 'apps/web'] }));

describe('AwsContainerRegistry', () => {
  test('creates each named repository under the registry name, with immutable tags, scan on push and KMS encryption with its own key', () => {
    const repositories = resources(json, 'aws_ecr_repository');
    // ECR names are unique per account and region, which environments may share: prod/... is prod's.
    expect(repositories.map((r) => r.name)).toEqual(['prod/apps/web', 'prod/platform/backstage']);
    const [keyName] = Object.keys(json.resource.aws_kms_key);
    for (const repository of repositories) {
      expect(repository).toMatchObject({
        image_tag_mutability: 'IMMUTABLE',
        image_scanning_configuration: { scan_on_push: true },
        encryption_configuration: [{ encryption_type: 'KMS', kms_key: `\${aws_kms_key.${keyName}.arn}` }],
        force_delete: false,
      });
    }
    expect(onlyResource(json, 'aws_kms_key').enable_key_rotation).toBe(true);
  });

  test('keeps the repositories and the key from destroy only when asked (prod)', () => {
    expect(resources(json, 'aws_ecr_repository').map((r) => r.lifecycle)).toEqual([undefined, undefined]);
    expect(onlyResource(json, 'aws_kms_key').lifecycle).toBeUndefined();
    const kept = awsTestStack((stack) => new AwsContainerRegistry(stack, 'registry', { name: 'prod', repositories: ['platform/backstage'], preventDestroy: true }));
    expect(onlyResource(kept, 'aws_ecr_repository').lifecycle).toEqual({ prevent_destroy: true });
    expect(onlyResource(kept, 'aws_kms_key').lifecycle).toEqual({ prevent_destroy: true });
  });

  test('expires untagged images after 14 days by default', () => {
    const policies = resources(json, 'aws_ecr_lifecycle_policy');
    expect(policies).toHaveLength(2);
    expect(JSON.parse(policies[0].policy).rules).toEqual([
      expect.objectContaining({ selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }, action: { type: 'expire' } }),
    ]);
  });

  test('exposes each repository URL by the name as given', () => {
    let urls: Readonly<Record<string, string>> = {};
    const synthesized = awsTestStack((stack) => (urls = new AwsContainerRegistry(stack, 'registry', { name: 'x', repositories: ['a/b'] }).repositoryUrls));
    const [address] = Object.keys(synthesized.resource.aws_ecr_repository);
    expect(Object.keys(urls)).toEqual(['a/b']);
    expect(synthesized.resource.aws_ecr_repository[address].name).toBe('x/a/b');
  });

  test('two registries of environments in one account and region name no repository alike', () => {
    const shared = awsTestStack((stack) => {
      new AwsContainerRegistry(stack, 'dev-registry', { name: 'dev', repositories: ['apps/hello-world'] });
      new AwsContainerRegistry(stack, 'staging-registry', { name: 'staging', repositories: ['apps/hello-world'] });
    });
    expect(resources(shared, 'aws_ecr_repository').map((r) => r.name)).toEqual(['dev/apps/hello-world', 'staging/apps/hello-world']);
  });

  test('grantPull lets one IAM role pull only these repositories', () => {
    const granted = awsTestStack((stack) => new AwsContainerRegistry(stack, 'registry', { name: 'x', repositories: ['a/b'] }).grantPull('ci-deployer'));
    const policy = onlyResource(granted, 'aws_iam_role_policy');
    expect(policy.role).toBe('ci-deployer');
    const [auth, pull] = JSON.parse(policy.policy).Statement;
    expect(auth).toMatchObject({ Action: 'ecr:GetAuthorizationToken', Resource: '*' });
    expect(pull.Action).toEqual(['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']);
    expect(pull.Resource).toEqual([expect.stringMatching(/^\$\{aws_ecr_repository\..+\.arn\}$/)]);
  });

  test.each([
    ['throws when a repository name is not DNS-1123', ['Apps/Web'], 'repository "Apps/Web" is not a repository name'],
    ['throws when a repository name has consecutive hyphens, which ECR rejects', ['apps--web'], 'repository "apps--web"'],
    ['throws when a repository is listed twice', ['a', 'a'], 'repository "a" is listed twice'],
    ['throws when the repository under the name is longer than ECR allows', ['a'.repeat(255)], `repository "x/${'a'.repeat(255)}" is longer than 256 characters`],
  ])('%s', (_name, repositories, message) => {
    expect(() => awsTestStack((stack) => new AwsContainerRegistry(stack, 'registry', { name: 'x', repositories }))).toThrow(message);
  });

  test('throws when the name is not a repository path', () => {
    expect(() => awsTestStack((stack) => new AwsContainerRegistry(stack, 'registry', { name: 'Dev--1', repositories: ['a'] }))).toThrow('name "Dev--1" is not a repository path');
  });
});
