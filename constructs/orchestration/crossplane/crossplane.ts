import { Construct } from 'constructs';
import { CHARTS } from '../../core/charts';
import { AddonProps, HelmAddon } from '../../core/helm-addon';
import { ManifestsRelease } from '../../core/manifests';
import type { WorkloadIdentity } from '../../integration/identity';
import { CrossplaneIdentitySource, CrossplaneProviderRef, crossplaneProviderConfig, crossplaneProviderObjects, crossplaneProviderReadiness } from './providers';
import { tierDefault } from '../../core/tiers';

/** Upbound providers of one cloud and the workload identity they run as. */
export interface CrossplaneProvidersProps {
  /** Packages of {@link CROSSPLANE_PROVIDER_PACKAGES}, all of the identity's cloud; the family provider is added. */
  readonly packages: readonly CrossplaneProviderRef[];
  /** The identity bound to `crossplane-providers-<cloud>` in `crossplane-system`, the service account every provider runs as. */
  readonly identity: WorkloadIdentity;
  /** The cloud and what its `default` ProviderConfig names. */
  readonly identitySource: CrossplaneIdentitySource;
}

/** Props of {@link Crossplane}. */
export interface CrossplaneProps extends AddonProps {
  /** Two replicas of Crossplane and of its RBAC manager, one leader each. @default - the tier's `highAvailability` (off in dev); true without a tier */
  readonly highAvailability?: boolean;
  /** Upbound provider packages and their `default` ProviderConfig. @default - none */
  readonly providers?: CrossplaneProvidersProps;
}

/** Namespace of Crossplane. */
export const CROSSPLANE_NAMESPACE = 'crossplane-system';

/** What the Pod Security `restricted` level asks of a pod and container beyond the chart's defaults. */
const RESTRICTED_POD = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
const RESTRICTED_CONTAINER = { runAsNonRoot: true, capabilities: { drop: ['ALL'] } };

/**
 * Crossplane, the control plane for infrastructure APIs: Crossplane and its RBAC manager
 * replicated with leader election in HA (the chart has no disruption budget), Prometheus metrics
 * on, and pods hardened to the Pod Security `restricted` level (the chart's defaults set a
 * non-root user but not `runAsNonRoot`, dropped capabilities or a seccomp profile).
 * With `providers`, the Upbound packages (family first) run as one workload identity's service
 * account, which the release creates, through a DeploymentRuntimeConfig each (release
 * `crossplane-providers`, after Crossplane; done only when every Provider is Healthy and the
 * family's ProviderConfig CRDs are served), and a `default` ProviderConfig (release
 * `crossplane-provider-config`, after the providers' release).
 *
 * @see https://docs.crossplane.io/latest/get-started/install/
 * @example
 * new Crossplane(this, 'crossplane', { highAvailability: true });
 */
export class Crossplane extends Construct {
  /** The Helm release. */
  readonly addon: HelmAddon;
  /** The Providers and their DeploymentRuntimeConfigs, when `providers` is given. */
  readonly providers?: ManifestsRelease;
  /** The `default` ProviderConfig, when `providers` is given. */
  readonly providerConfig?: ManifestsRelease;

  constructor(scope: Construct, id: string, props: CrossplaneProps = {}) {
    super(scope, id);
    const replicas = (props.highAvailability ?? tierDefault(this, (rules) => rules.highAvailability, true)) ? 2 : 1;
    this.addon = new HelmAddon(this, 'release', {
      chart: CHARTS.crossplane,
      namespace: CROSSPLANE_NAMESPACE,
      values: {
        replicas,
        leaderElection: true,
        rbacManager: { replicas, leaderElection: true },
        metrics: { enabled: true },
        podSecurityContextCrossplane: RESTRICTED_POD,
        securityContextCrossplane: RESTRICTED_CONTAINER,
        podSecurityContextRBACManager: RESTRICTED_POD,
        securityContextRBACManager: RESTRICTED_CONTAINER,
      },
      valueOverrides: props.valueOverrides,
    });
    const providers = props.providers;
    if (providers && providers.packages.length > 0) {
      const cloud = providers.identitySource.cloud;
      this.providers = new ManifestsRelease(this, 'providers', {
        releaseName: 'crossplane-providers',
        namespace: CROSSPLANE_NAMESPACE,
        manifests: crossplaneProviderObjects(cloud, CROSSPLANE_NAMESPACE, providers.packages, providers.identity),
        dependsOn: [this.addon],
        readyWhen: crossplaneProviderReadiness(cloud, providers.packages),
      });
      this.providerConfig = new ManifestsRelease(this, 'provider-config', {
        releaseName: 'crossplane-provider-config',
        namespace: CROSSPLANE_NAMESPACE,
        manifests: [crossplaneProviderConfig(providers.identitySource, providers.identity)],
        dependsOn: [this.addon, this.providers],
      });
    }
  }
}
