import type { ProvisionRequest, ScoreResource, WorkloadPlatform } from '../../../../../constructs/orchestration/workloads/types';

/** An environment of the medium preset on AWS: Crossplane database API (cloud and CloudNativePG Compositions), External Secrets, external-dns, an ALB ingress. */
export function platformOf(overrides: Partial<WorkloadPlatform> = {}): WorkloadPlatform {
  return {
    environment: 'staging',
    cloud: 'aws',
    tier: 'staging',
    region: 'eu-west-1',
    addons: ['crossplane', 'cloudnativePg', 'externalSecrets', 'externalDns', 'certManager'],
    databaseApi: { compositions: ['cloud', 'cloudnative-pg'], defaultComposition: 'cloud' },
    dnsZone: 'apps.acme.example',
    ingress: { kind: 'ingress', className: 'nginx', clusterIssuer: 'letsencrypt' },
    secretsPrefix: 'staging-',
    namespaces: ['shop'],
    networkCidr: '10.20.0.0/16',
    ...overrides,
  };
}

/** A request for resource `db` of workload `orders` in namespace `shop`. */
export function requestOf(platform: WorkloadPlatform, resource: ScoreResource, overrides: Partial<ProvisionRequest> = {}): ProvisionRequest {
  const resourceName = overrides.resourceName ?? 'db';
  return {
    platform,
    namespace: 'shop',
    workload: 'orders',
    resourceName,
    resource,
    instanceName: resource.id ?? `orders-${resourceName}`,
    serviceAccount: 'orders',
    servicePorts: { web: { port: 80, targetPort: 8080 }, admin: { port: 9000 } },
    preview: false,
    at: `score.yaml: resources.${resourceName}`,
    variables: {},
    workloads: {},
    ...overrides,
  };
}

/** The object of a kind, failing when there is not exactly one. */
export function only<T extends { kind: string }>(objects: readonly T[], kind: string): T {
  const found = objects.filter((object) => object.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length} among ${objects.map((object) => object.kind).join(', ')}`);
  return found[0];
}
