import { TIER_RULES } from '../../../core/tiers';
import { parseQuantity } from '../../tenancy/tenancy';
import type { ResourceProvisioner } from '../types';
import { choiceParam, readParams, type ParamSpec } from './params';

/** Classes of `volume`: an emptyDir that lives as long as the pod, or a PersistentVolumeClaim. */
export const VOLUME_CLASSES = ['ephemeral', 'persistent'] as const;

/** Size of a persistent volume that sets none. */
export const DEFAULT_PERSISTENT_VOLUME_SIZE = '1Gi';

/** PersistentVolumeClaim access modes; all but ReadWriteMany attach to one node at a time. */
const ACCESS_MODES = ['ReadWriteOnce', 'ReadWriteOncePod', 'ReadWriteMany'] as const;

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** A storage size (a Kubernetes quantity in bytes, e.g. "10Gi"). */
const sizeParam: ParamSpec<string> = {
  description: 'a size in bytes with a unit (e.g. "512Mi" or "10Gi")',
  check: (value) => (typeof value === 'string' && /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.test(value) && parseQuantity(value)! > 0 ? undefined : 'is not a size in bytes with a unit (e.g. "512Mi" or "10Gi")'),
};

/**
 * `volume`: a pod volume a container mounts through `volumes.<path>.source`. Class `ephemeral`
 * (default): an emptyDir (`params.size` caps it). Class `persistent`: a PersistentVolumeClaim
 * named after the resource (`params.size`, default {@link DEFAULT_PERSISTENT_VOLUME_SIZE};
 * `params.storageClass`, default the cluster's; `params.accessMode`, default ReadWriteOnce). A
 * volume only one node attaches (every access mode but ReadWriteMany) makes its workload run one
 * pod, replaced by Recreate. In tiers with deletion protection, Argo CD neither prunes nor deletes
 * the claim (its data outlives a removed workload; delete it by hand).
 */
export const volumeProvisioner: ResourceProvisioner = {
  type: 'volume',
  description: 'a pod volume: an emptyDir (class ephemeral, the default) or a PersistentVolumeClaim (class persistent)',
  classes: VOLUME_CLASSES,
  outputs: {},
  unavailable: () => undefined,
  provision(request) {
    if (request.resource.class !== 'persistent') {
      const { size } = readParams(request, { size: sizeParam });
      return { objects: [], outputs: {}, volume: { emptyDir: size ? { sizeLimit: size } : {} } };
    }
    const params = readParams(request, {
      size: sizeParam,
      storageClass: { description: 'a StorageClass name', check: (value) => (typeof value === 'string' && DNS_SUBDOMAIN.test(value) ? undefined : 'is not a StorageClass name') },
      accessMode: choiceParam('an access mode', ACCESS_MODES),
    });
    const accessMode = params.accessMode ?? 'ReadWriteOnce';
    const keep = TIER_RULES[request.platform.tier].deletionProtection;
    return {
      objects: [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: request.instanceName, ...(keep ? { annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' } } : {}) },
          spec: {
            accessModes: [accessMode],
            resources: { requests: { storage: params.size ?? DEFAULT_PERSISTENT_VOLUME_SIZE } },
            ...(params.storageClass ? { storageClassName: params.storageClass } : {}),
          },
        },
      ],
      outputs: {},
      volume: { persistentVolumeClaim: { claimName: request.instanceName } },
      singleReplica: accessMode !== 'ReadWriteMany',
    };
  },
};
