import { CLOUDS, type Cloud } from '../../../../constructs/core/clouds';
import { TIERS, type Tier } from '../../../../constructs/core/tiers';
import type { WorkloadPlatform } from '../../../../constructs/orchestration/workloads/types';

/** Region of each cloud in the test platforms. */
const REGIONS: Readonly<Record<Cloud, string>> = { aws: 'eu-west-1', azure: 'westeurope', gcp: 'europe-west1' };

/**
 * A platform as a medium preset environment gives it: Argo CD (GitOps repository), Crossplane with
 * its database API, CloudNativePG, External Secrets, external-dns and cert-manager, a DNS zone and
 * a Gateway API gateway, tenant namespace `shop`. `overrides` replace any field.
 */
export function testPlatform(cloud: Cloud, tier: Tier, overrides: Partial<WorkloadPlatform> = {}): WorkloadPlatform {
  return {
    environment: `${tier}-${cloud}`,
    cloud,
    tier,
    region: REGIONS[cloud],
    addons: ['argocd', 'certManager', 'cloudnativePg', 'crossplane', 'externalDns', 'externalSecrets'],
    databaseApi: { compositions: ['cloud', 'cloudnative-pg'], defaultComposition: 'cloud' },
    dnsZone: `${tier}.${cloud}.acme.example`,
    ingress: { kind: 'gateway', gatewayName: 'platform', gatewayNamespace: 'gateway' },
    secretsPrefix: `idp/${tier}/`,
    gitops: { repoUrl: 'https://github.com/acme/platform-gitops.git', path: `environments/${tier}-${cloud}`, revision: 'main' },
    namespaces: ['shop'],
    networkCidr: '10.20.0.0/16',
    ...overrides,
  };
}

/** A platform with nothing but the cluster: no add-ons, no Argo CD, no DNS, no ingress. */
export function barePlatform(cloud: Cloud, tier: Tier): WorkloadPlatform {
  return {
    environment: `${tier}-${cloud}`,
    cloud,
    tier,
    region: REGIONS[cloud],
    addons: [],
    secretsPrefix: `idp/${tier}/`,
    namespaces: [],
    networkCidr: '10.20.0.0/16',
  };
}

/** Every cloud and tier, as `[cloud, tier]` pairs for `it.each`. */
export const CLOUD_TIERS: readonly (readonly [Cloud, Tier])[] = CLOUDS.flatMap((cloud) => TIERS.map((tier) => [cloud, tier] as const));
