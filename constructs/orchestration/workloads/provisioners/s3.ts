import { createHash } from 'node:crypto';
import type { Cloud } from '../../../core/clouds';
import type { NetworkFlow, Provisioned, ResourceProvisioner, WorkloadPlatform } from '../types';
import { availableClasses, readParams, refuseUnavailable } from './objects';

/**
 * Longest bucket name valid on every cloud: Azure storage account names are 3-24 lowercase
 * letters and digits (S3 and GCS bucket names allow 3-63 with "-" and ".").
 */
const BUCKET_NAME_MAX = 24;
/** Hex digits of the hash in every bucket name. */
const BUCKET_HASH_LENGTH = 8;

/**
 * A bucket name valid for S3, GCS and Azure storage accounts, deterministic from the environment,
 * namespace and instance: their letters and digits (a letter first), cut to leave room for 8 hex
 * of SHA-256 over the three. The hash is always there: dropping the "-" Azure forbids could make
 * two triples one name (`a-bc` and `ab-c`). GCS refuses names starting with "goog" or containing
 * "google"; such a name keeps only its hash.
 *
 * @example
 * bucketName('prod', 'shop', 'orders-assets'); // 'prodshopordersasd3e71c63'
 */
export function bucketName(environment: string, namespace: string, instance: string): string {
  const hash = createHash('sha256').update(`${environment}/${namespace}/${instance}`).digest('hex').slice(0, BUCKET_HASH_LENGTH);
  const readable = `${environment}${namespace}${instance}`.toLowerCase().replace(/[^a-z0-9]/g, '').replace(/^[0-9]+/, '');
  const head = /^goog|google/.test(readable) ? 'b' : readable.slice(0, BUCKET_NAME_MAX - BUCKET_HASH_LENGTH) || 'b';
  return `${head}${hash}`;
}

/** The storage API endpoint workloads use, per cloud: S3's regional endpoint, the storage account's blob endpoint, GCS's JSON/XML API. */
const STORAGE_ENDPOINTS: Readonly<Record<Cloud, (platform: WorkloadPlatform, bucket: string) => string>> = {
  aws: (platform) => `https://s3.${platform.region}.amazonaws.com`,
  azure: (_platform, bucket) => `https://${bucket}.blob.core.windows.net`,
  gcp: () => 'https://storage.googleapis.com',
};

/**
 * Where pods get cloud credentials for their workload identity, besides HTTPS: the EKS Pod
 * Identity Agent on AWS; the GKE metadata server on GCP (169.254.169.254:80, and
 * 169.254.169.252:988 where GKE Dataplane V2 serves it); Azure exchanges the projected token with
 * Entra ID over HTTPS.
 */
const CREDENTIAL_ENDPOINTS: Readonly<Record<Cloud, readonly { readonly cidr: string; readonly port: number }[]>> = {
  aws: [{ cidr: '169.254.170.23/32', port: 80 }],
  azure: [],
  gcp: [
    { cidr: '169.254.169.254/32', port: 80 },
    { cidr: '169.254.169.252/32', port: 988 },
  ],
};

/** Egress of a workload using a bucket: HTTPS to the storage API (public addresses, or the S3 gateway endpoint's) and its credential endpoints. */
function storageEgress(cloud: Cloud): NetworkFlow[] {
  return [
    { peers: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] },
    ...CREDENTIAL_ENDPOINTS[cloud].map(({ cidr, port }): NetworkFlow => ({ peers: [{ ipBlock: { cidr } }], ports: [{ protocol: 'TCP', port }] })),
  ];
}

/**
 * A bucket provisioner for one Score type: a CloudResourceRequest the team stack's Terraform
 * creates (the bucket, or on Azure a storage account with one container, and the read/write
 * grant of the workload's identity). No keys: the workload authenticates with its identity.
 */
function bucketProvisioner(type: string, description: string): ResourceProvisioner {
  const provisioner: ResourceProvisioner = {
    type,
    description,
    classes: [],
    outputs: { bucket: 'value', region: 'value', endpoint: 'value' },
    unavailable(platform, resourceClass, preview) {
      if (preview) return `type "${type}" creates a cloud bucket, which previews never do`;
      if (!platform.cloudResources) {
        return `type "${type}" needs cloud resources, which only a team stack's ScoreWorkload creates (the bucket and the workload identity's grant, with Terraform); \`idpkit workload render\` writes Kubernetes objects only`;
      }
      return resourceClass === undefined ? undefined : `class "${resourceClass}" is not a class of ${type}: leave class out (${availableClasses([])})`;
    },
    provision(request): Provisioned {
      refuseUnavailable(provisioner, request);
      readParams(request, {});
      const { platform } = request;
      const name = bucketName(platform.environment, request.namespace, request.instanceName);
      return {
        objects: [],
        outputs: { bucket: { value: name }, region: { value: platform.region }, endpoint: { value: STORAGE_ENDPOINTS[platform.cloud](platform, name) } },
        egress: storageEgress(platform.cloud),
        cloud: [{ kind: 'bucket', name, namespace: request.namespace, serviceAccount: request.serviceAccount }],
      };
    },
  };
  return provisioner;
}

/** `s3`: an object storage bucket on the environment's cloud, read and written by the workload's identity. */
export const s3Provisioner = bucketProvisioner('s3', 'An object storage bucket (S3, Azure Blob storage, GCS) the workload reads and writes with its cloud identity');

/** `bucket`: the same as `s3`, by its cloud-neutral name. */
export const bucketTypeProvisioner = bucketProvisioner('bucket', 'The same as s3: an object storage bucket on the environment\'s cloud');
