import type { ProvisionRequest, ScoreResource, WorkloadPlatform } from '../../../../../constructs/orchestration/workloads/types';
import { testPlatform } from '../platforms';

/** A provision request of workload `web` in namespace `shop` for one resource; `overrides` replace any field. */
export function provisionRequest(resourceName: string, resource: ScoreResource, overrides: Partial<ProvisionRequest> = {}, platform: WorkloadPlatform = testPlatform('aws', 'dev')): ProvisionRequest {
  return {
    platform,
    namespace: 'shop',
    workload: 'web',
    resourceName,
    resource,
    instanceName: `web-${resourceName}`,
    serviceAccount: 'web',
    servicePorts: {},
    preview: false,
    at: `web/score.yaml: resources.${resourceName}`,
    variables: {},
    workloads: {},
    ...overrides,
  };
}
