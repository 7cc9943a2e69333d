import { PROVISIONERS } from '../../../../../constructs/orchestration/workloads/provisioners';
import { bucketName, bucketTypeProvisioner, s3Provisioner } from '../../../../../constructs/orchestration/workloads/provisioners/s3';
import type { ScoreResource, WorkloadPlatform } from '../../../../../constructs/orchestration/workloads/types';
import { platformOf, requestOf } from './fixtures';

const teamStack = (overrides: Partial<WorkloadPlatform> = {}) => platformOf({ cloudResources: true, ...overrides });
const provision = (platform: WorkloadPlatform, resource: Partial<ScoreResource> = {}) =>
  s3Provisioner.provision(requestOf(platform, { type: 's3', ...resource }, { resourceName: 'assets' }));

/** S3 (3-63 of a-z 0-9 . -), GCS (the same, not "goog…", no "google") and Azure storage accounts (3-24 of a-z 0-9). */
const VALID_EVERYWHERE = /^[a-z][a-z0-9]{2,23}$/;

describe('bucketName', () => {
  it('is readable, hashed, and valid for every cloud', () => {
    expect(bucketName('prod', 'shop', 'orders-assets')).toBe('prodshopordersasd3e71c63');
    for (const name of [bucketName('staging', 'a-very-long-namespace-name', 'a-very-long-workload-assets'), bucketName('9lives', 'x', 'y'), bucketName('dev', 'google', 'x')]) {
      expect(name).toMatch(VALID_EVERYWHERE);
      expect(name).not.toMatch(/^goog|google/);
    }
    expect(bucketName('dev', 'google', 'x')).toMatch(/^b[0-9a-f]{8}$/);
  });

  it('is deterministic, and differs where only the hyphens differ', () => {
    expect(bucketName('dev', 'shop', 'a-bc')).toBe(bucketName('dev', 'shop', 'a-bc'));
    expect(bucketName('dev', 'shop', 'a-bc')).not.toBe(bucketName('dev', 'shop', 'ab-c'));
    expect(bucketName('dev', 'shop', 'x')).not.toBe(bucketName('prod', 'shop', 'x'));
  });
});

describe('s3 and bucket', () => {
  it('asks the team stack for a bucket the workload\'s identity reads and writes, and makes no object', () => {
    const { objects, cloud } = provision(teamStack());
    const name = bucketName('staging', 'shop', 'orders-assets');
    expect(objects).toEqual([]);
    expect(cloud).toEqual([{ kind: 'bucket', name, namespace: 'shop', serviceAccount: 'orders' }]);
  });

  it.each([
    ['aws', 'eu-west-1', 'https://s3.eu-west-1.amazonaws.com'],
    ['azure', 'westeurope', `https://${bucketName('staging', 'shop', 'orders-assets')}.blob.core.windows.net`],
    ['gcp', 'europe-west1', 'https://storage.googleapis.com'],
  ] as const)('gives the bucket, region and %s endpoint, no keys', (cloud, region, endpoint) => {
    const { outputs } = provision(teamStack({ cloud, region }));
    expect(outputs).toEqual({ bucket: { value: bucketName('staging', 'shop', 'orders-assets') }, region: { value: region }, endpoint: { value: endpoint } });
  });

  it.each([
    ['aws', [{ cidr: '169.254.170.23/32', port: 80 }]],
    ['azure', []],
    ['gcp', [{ cidr: '169.254.169.254/32', port: 80 }, { cidr: '169.254.169.252/32', port: 988 }]],
  ] as const)('lets the %s workload out to the storage API on 443 and to its credential endpoints', (cloud, credentials) => {
    const { egress } = provision(teamStack({ cloud }));
    expect(egress).toEqual([
      { peers: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] },
      ...credentials.map(({ cidr, port }) => ({ peers: [{ ipBlock: { cidr } }], ports: [{ protocol: 'TCP', port }] })),
    ]);
  });

  it('names a shared bucket after its id', () => {
    expect(provision(teamStack(), { id: 'media' }).cloud).toEqual([{ kind: 'bucket', name: bucketName('staging', 'shop', 'media'), namespace: 'shop', serviceAccount: 'orders' }]);
  });

  it('needs a team stack\'s ScoreWorkload, and is refused in previews', () => {
    expect(s3Provisioner.unavailable(platformOf(), undefined, false)).toBe(
      'type "s3" needs cloud resources, which only a team stack\'s ScoreWorkload creates (the bucket and the workload identity\'s grant, with Terraform); `idpkit workload render` writes Kubernetes objects only',
    );
    expect(bucketTypeProvisioner.unavailable(teamStack(), undefined, true)).toBe('type "bucket" creates a cloud bucket, which previews never do');
    expect(() => provision(platformOf())).toThrow(/^score\.yaml: resources\.assets: type "s3" needs cloud resources/);
  });

  it('throws on any param (it takes none)', () => {
    expect(() => provision(teamStack(), { params: { versioning: true } })).toThrow('score.yaml: resources.assets.params.versioning is not a param of type "s3" (it takes none)');
  });

  it('is listed with bucket as an alias, each type once', () => {
    const types = PROVISIONERS.map((provisioner) => provisioner.type);
    expect(types).toEqual(expect.arrayContaining(['postgres', 'redis', 's3', 'bucket', 'dns', 'route']));
    expect(new Set(types).size).toBe(types.length);
    expect(bucketTypeProvisioner.provision(requestOf(teamStack(), { type: 'bucket' }, { resourceName: 'assets' }))).toEqual(provision(teamStack()));
  });
});
