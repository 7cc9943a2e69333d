import { GcpWorkloadIdentity } from '../../../../constructs/integration/identity/gcp';
import { resources } from '../../../helpers';
import { gcpTestStack } from '../../../gcp-helpers';

describe('GcpWorkloadIdentity', () => {
  test('service account ids stay within 30 characters and distinct when the cluster name is long', () => {
    const json = gcpTestStack((stack) => {
      for (const name of ['external-secrets', 'external-dns', 'loki']) {
        new GcpWorkloadIdentity(stack, `identity-${name}`, { projectId: 'acme-idp-test', namePrefix: 'idp-large-gcp-staging', workloadIdentityPool: 'acme-idp-test.svc.id.goog', request: { name, namespace: name, serviceAccount: name, grants: [] } });
      }
    });
    const ids = resources(json, 'google_service_account').map((account) => account.account_id);
    // A plain cut at 30 characters made both external-* ids "idp-large-gcp-staging-external".
    expect([...ids].sort()).toEqual([expect.stringMatching(/^idp-la-[0-9a-f]{6}-external-secrets$/), expect.stringMatching(/^idp-large-[0-9a-f]{6}-external-dns$/), 'idp-large-gcp-staging-loki']);
    expect(ids.every((id) => /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/.test(id))).toBe(true);
  });

  test('a cloud grant\'s project role carries its IAM condition; without one it holds project-wide', () => {
    const condition = { title: 'buckets', description: 'only idpkit-x-*', expression: 'resource.name.startsWith("projects/_/buckets/idpkit-x-")' };
    const json = gcpTestStack((stack) => {
      new GcpWorkloadIdentity(stack, 'identity-crossplane', {
        projectId: 'acme-idp-test',
        namePrefix: 'idp-test',
        workloadIdentityPool: 'acme-idp-test.svc.id.goog',
        request: { name: 'crossplane', namespace: 'crossplane-system', serviceAccount: 'crossplane', grants: [{ kind: 'cloud', gcp: [{ role: 'roles/storage.admin', condition }, { role: 'roles/dns.reader' }] }] },
      });
    });
    const bindings = resources(json, 'google_project_iam_member');
    expect(bindings.find((b) => b.role === 'roles/storage.admin').condition).toEqual(condition);
    expect(bindings.find((b) => b.role === 'roles/dns.reader').condition).toBeUndefined();
  });
});
