import {
  azureContainerNameProblem,
  azureResourceGroupNameProblem,
  azureStorageAccountNameProblem,
  gcpProjectIdProblem,
  gcsBucketNameProblem,
  s3BucketNameProblem,
} from '../../../constructs/core/cloud-names';

describe('cloud naming rules', () => {
  test.each([
    ['idpkit-state-111111111111-eu-west-1', undefined],
    ['my.state.bucket', undefined],
    ['idpkit..state', 'it must not hold two adjacent periods'],
    ['192.168.1.1', 'it must not be shaped like an IP address'],
    ['xn--state', 'it must not start with xn--, sthree-, amzn-s3-demo-'],
    ['sthree-state', 'it must not start with'],
    ['state-s3alias', 'it must not end with -s3alias, --ol-s3, .mrap, --x-s3, --table-s3'],
    ['state--ol-s3', 'it must not end with'],
    ['ab', 'it must have 3 to 63 characters'],
    ['State', 'it may hold only lowercase letters, digits, "." and "-"'],
    ['-state', 'it must start and end with a letter or digit'],
  ])('S3 bucket %s: %s', (name, problem) => {
    if (problem === undefined) expect(s3BucketNameProblem(name)).toBeUndefined();
    else expect(s3BucketNameProblem(name)).toContain(problem);
  });

  test('names every broken clause of a rule at once', () => {
    expect(s3BucketNameProblem('xn--a..b-s3alias')).toBe(
      'is not an S3 bucket name: it must not hold two adjacent periods; it must not start with xn--, sthree-, amzn-s3-demo- (reserved by S3); it must not end with -s3alias, --ol-s3, .mrap, --x-s3, --table-s3 (reserved by S3)',
    );
  });

  test.each([
    ['acme-idp-dev-tfstate', undefined],
    ['acme_state.files', undefined],
    ['goog-state', 'it must not start with "goog"'],
    ['my-google-state', 'it must not contain "google" or a look-alike'],
    ['my-g00gle-state', 'it must not contain "google" or a look-alike'],
    ['10.0.0.1', 'shaped like an IP address'],
  ])('GCS bucket %s: %s', (name, problem) => {
    if (problem === undefined) expect(gcsBucketNameProblem(name)).toBeUndefined();
    else expect(gcsBucketNameProblem(name)).toContain(problem);
  });

  test.each([
    ['acme-idp-dev', undefined],
    ['acme-google-dev', 'it must not contain "google" or "ssl"'],
    ['acme-ssl-dev', 'it must not contain "google" or "ssl"'],
    ['1acme-dev', 'it must start with a letter'],
    ['acme-dev-', 'it must not end with "-"'],
    ['acme', 'it must have 6 to 30 characters'],
  ])('GCP project id %s: %s', (name, problem) => {
    if (problem === undefined) expect(gcpProjectIdProblem(name)).toBeUndefined();
    else expect(gcpProjectIdProblem(name)).toContain(problem);
  });

  test('Azure storage accounts, containers and resource groups', () => {
    expect(azureStorageAccountNameProblem('idpkitstate000001')).toBeUndefined();
    expect(azureStorageAccountNameProblem('idpkit-state')).toContain('it may hold only lowercase letters and digits');
    expect(azureStorageAccountNameProblem('x'.repeat(25))).toContain('3 to 24 characters');
    expect(azureContainerNameProblem('tfstate')).toBeUndefined();
    expect(azureContainerNameProblem('tf--state')).toContain('two adjacent hyphens');
    expect(azureResourceGroupNameProblem('rg-idp (prod)')).toContain('may hold only');
    expect(azureResourceGroupNameProblem('rg-idp-(prod)')).toBeUndefined();
    expect(azureResourceGroupNameProblem('rg.')).toContain('must not end with "."');
  });
});
