import { IdpkitError } from '../../../../constructs/core/errors';
import { GOOGLE_BETA_PROVIDER_VERSION, gcpLabelKey, gcpLabelValue, gcpLabels, googleBetaProvider } from '../../../../constructs/integration/provider/gcp';
import { gcpTestStack } from '../../../gcp-helpers';

describe('gcpLabels', () => {
  test('lowercases, replaces characters GCP labels do not allow with "-", and cuts at 63', () => {
    expect(gcpLabelValue('Platform Team/EU')).toBe('platform-team-eu');
    expect(gcpLabelValue('a'.repeat(70))).toHaveLength(63);
    expect(gcpLabelKey('Data.Classification')).toBe('data-classification');
    expect(gcpLabelKey('cost_center')).toBe('cost_center');
  });

  test('prefixes keys that do not start with a lowercase letter', () => {
    expect(gcpLabelKey('2fa')).toBe('x-2fa');
    expect(gcpLabelKey('_team')).toBe('x-_team');
  });

  test('is deterministic and keeps already valid labels unchanged', () => {
    const tags = { environment: 'prod', 'cost-center': 'platform', 'managed-by': 'idpkit' };
    expect(gcpLabels(tags)).toEqual(tags);
    expect(gcpLabels({ Team: 'A B' })).toEqual(gcpLabels({ Team: 'A B' }));
  });

  test('throws when two tags become the same label key', () => {
    const call = () => gcpLabels({ Owner: 'a', owner: 'b' });
    expect(call).toThrow(IdpkitError);
    expect(call).toThrow('tags "Owner" and "owner" both become GCP label key "owner"');
  });
});

describe('createGoogleProvider', () => {
  const json = gcpTestStack(() => undefined);

  test('pins project and region and sets the platform tags as default labels, keys unchanged', () => {
    expect(json.provider!.google).toEqual([
      {
        project: 'acme-idp-test',
        region: 'europe-west1',
        default_labels: { environment: 'test', owner: 'team', 'cost-center': 'cc', 'managed-by': 'idpkit' },
      },
    ]);
  });

  test('configures no credentials', () => {
    const provider = json.provider!.google[0];
    for (const key of ['credentials', 'access_token', 'impersonate_service_account']) expect(provider[key]).toBeUndefined();
  });

  test('reads nothing and adds no beta provider by itself', () => {
    expect(json.data).toBeUndefined();
    expect(json.provider!['google-beta']).toBeUndefined();
  });
});

describe('googleBetaProvider', () => {
  const json = gcpTestStack((stack) => {
    googleBetaProvider(stack);
    googleBetaProvider(stack);
  });

  test('is one google-beta provider per stack, with no settings, pinned to the google provider\'s release', () => {
    expect(json.provider!['google-beta']).toEqual([{}]);
    expect(json.terraform.required_providers['google-beta']).toEqual({ source: 'hashicorp/google-beta', version: GOOGLE_BETA_PROVIDER_VERSION });
    expect(json.terraform.required_providers.google.version).toBe(GOOGLE_BETA_PROVIDER_VERSION);
  });
});
