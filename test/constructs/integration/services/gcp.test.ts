import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network';
import { GCP_SERVICES, requireServices } from '../../../../constructs/integration/services/gcp';
import { gcpTestStack } from '../../../gcp-helpers';
import { resources } from '../../../helpers';

describe('requireServices', () => {
  const json = gcpTestStack((stack) => {
    requireServices(stack, [GCP_SERVICES.compute, GCP_SERVICES.container]);
    new ComputeNetwork(stack, 'vpc', { name: 'vpc', dependsOn: requireServices(stack, [GCP_SERVICES.compute, GCP_SERVICES.compute]) });
  });

  test('enables each API once per stack, however many constructs ask', () => {
    expect(resources(json, 'google_project_service').map((s) => s.service).sort()).toEqual(['compute.googleapis.com', 'container.googleapis.com']);
  });

  test('never disables an API when the stack is destroyed', () => {
    for (const service of resources(json, 'google_project_service')) {
      expect(service).toMatchObject({ disable_on_destroy: false, disable_dependent_services: false });
    }
  });

  test('returns the API resources for dependsOn', () => {
    expect(resources(json, 'google_compute_network')[0].depends_on).toEqual([expect.stringMatching(/^google_project_service\.project-services_compute_/)]);
  });
});
