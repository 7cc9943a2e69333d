import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Release } from '@cdktf/provider-helm/lib/release';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { AssetType, TerraformAsset, type TerraformResource } from './cdktf';
import { DEFAULT_RELEASE_TIMEOUT_SECONDS } from './helm-addon';

/** A complete Kubernetes object. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** Props of {@link ManifestsRelease}. */
export interface ManifestsReleaseProps {
  /** Release name, unique in the namespace. */
  readonly releaseName: string;
  /** Namespace of the release (objects may name their own). */
  readonly namespace: string;
  /** The objects. */
  readonly manifests: readonly KubernetesObject[];
  /** Releases whose CRDs and webhooks the objects need: add-ons, or other manifests releases. */
  readonly dependsOn: readonly { readonly release: Release }[];
}

/** The chart idpkit ships to apply objects: it renders `.Values.manifests` as they are. */
function manifestsChartPath(): string {
  const candidates = [join(__dirname, '..', '..', 'charts', 'idpkit-manifests'), join(__dirname, '..', '..', '..', 'charts', 'idpkit-manifests')];
  const found = candidates.find((candidate) => existsSync(join(candidate, 'Chart.yaml')));
  if (!found) throw new Error(`idpkit's manifests chart is missing (looked in ${candidates.join(', ')})`);
  return found;
}

/**
 * Kubernetes objects of kinds an add-on defines (a ClusterIssuer, an Argo CD Application),
 * applied as a Helm release of idpkit's own manifests chart after that add-on. Unlike
 * `kubernetes_manifest`, this plans before the CRDs exist, so one apply installs an add-on and its
 * objects; Helm also removes objects dropped from the list.
 *
 * @example
 * new ManifestsRelease(this, 'issuers', { releaseName: 'cluster-issuers', namespace: 'cert-manager', manifests: [issuer], dependsOn: [certManager.addon] });
 */
export class ManifestsRelease extends Construct {
  /** The Helm release. */
  readonly release: Release;

  constructor(scope: Construct, id: string, props: ManifestsReleaseProps) {
    super(scope, id);
    const chart = new TerraformAsset(this, 'chart', { path: manifestsChartPath(), type: AssetType.DIRECTORY });
    this.release = new Release(this, 'release', {
      name: props.releaseName,
      chart: `./${chart.path}`,
      namespace: props.namespace,
      values: [stringify({ manifests: props.manifests }, { sortMapEntries: true, aliasDuplicateObjects: false })],
      atomic: true,
      cleanupOnFail: true,
      timeout: DEFAULT_RELEASE_TIMEOUT_SECONDS,
      dependsOn: props.dependsOn.map((addon) => addon.release),
    });
  }
}

/** A resource as `depends_on` lists it (`<type>.<id>`), for dependencies added after construction. */
export const dependencyOf = (resource: TerraformResource): string => `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
