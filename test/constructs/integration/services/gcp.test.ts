import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network';
import { GcpKmsKey } from '../../../../constructs/infrastructure/keys/gcp';
import { GCP_SERVICES, gcpServiceAgent, requireServices } from '../../../../constructs/integration/services/gcp';
import { addressOf, gcpTestStack, ref, serviceAddresses } from '../../../gcp-helpers';
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

describe('gcpServiceAgent', () => {
  const json = gcpTestStack((stack) => {
    const key = new GcpKmsKey(stack, 'key', { alias: 'k', description: 'k', location: 'europe-west1' });
    for (const name of ['container', 'artifactregistry', 'sqladmin', 'secretmanager', 'storage'] as const) {
      key.grantEncryptDecrypt(name, gcpServiceAgent(stack, name));
      key.grantEncryptDecrypt(`${name}-again`, gcpServiceAgent(stack, name));
    }
  });
  const grant = (id: string) => {
    const names = Object.keys(json.resource.google_kms_crypto_key_iam_member).filter((name) => new RegExp(`_grant-${id}_[0-9A-F]+$`).test(name));
    expect(names).toHaveLength(1);
    return json.resource.google_kms_crypto_key_iam_member[names[0]];
  };

  test('agents made on first use are created by google_project_service_identity (google-beta) after their API, once per stack', () => {
    const identities = resources(json, 'google_project_service_identity');
    expect(identities.map((i) => i.service).sort()).toEqual(['artifactregistry.googleapis.com', 'secretmanager.googleapis.com', 'sqladmin.googleapis.com']);
    for (const identity of identities) {
      expect(identity).toMatchObject({ provider: 'google-beta', project: expect.stringMatching(/^\$\{data\.google_project\./) });
      expect(identity.depends_on).toEqual(serviceAddresses(json, [identity.service]));
    }
    for (const name of ['artifactregistry', 'sqladmin', 'secretmanager']) {
      const agent = addressOf(json, 'google_project_service_identity', (i) => i.service === `${name}.googleapis.com`);
      expect(grant(name).member).toBe(ref(agent, 'member'));
      expect(grant(`${name}-again`).member).toBe(ref(agent, 'member'));
    }
  });

  test('agents created on request get the project role Google grants on first use, and grants wait for it', () => {
    const roles = Object.fromEntries(resources(json, 'google_project_iam_member').map((m) => [m.role, m]));
    expect(Object.keys(roles).sort()).toEqual(['roles/artifactregistry.serviceAgent', 'roles/cloudsql.serviceAgent']);
    const sqlRole = addressOf(json, 'google_project_iam_member', (m) => m.role === 'roles/cloudsql.serviceAgent');
    expect(grant('sqladmin').depends_on).toEqual([sqlRole]);
    expect(grant('secretmanager').depends_on).toBeUndefined(); // no role: the reference alone orders it
  });

  test("GKE's agent comes with its API: the grant names it by project number and waits for the API", () => {
    expect(grant('container').member).toMatch(/^serviceAccount:service-\$\{data\.google_project\..+\.number\}@container-engine-robot\.iam\.gserviceaccount\.com$/);
    expect(grant('container').depends_on).toEqual(serviceAddresses(json, ['container.googleapis.com']));
  });

  test("Cloud Storage's agent is read (which creates it) after the storage API", () => {
    const [agent] = Object.keys(json.data!.google_storage_project_service_account);
    expect(json.data!.google_storage_project_service_account[agent].depends_on).toEqual(serviceAddresses(json, ['storage.googleapis.com']));
    expect(grant('storage').member).toBe(`\${data.google_storage_project_service_account.${agent}.member}`);
  });
});
