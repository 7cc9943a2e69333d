import { awsTestStack } from '../../../helpers';

describe('createAwsProvider', () => {
  const json = awsTestStack(() => undefined);

  test('pins the provider to one account and region', () => {
    expect(json.provider!.aws[0]).toMatchObject({ region: 'eu-west-1', allowed_account_ids: ['111111111111'] });
  });

  test('tags every resource with environment, owner, cost center and managed-by', () => {
    expect(json.provider!.aws[0].default_tags).toEqual([{ tags: { environment: 'test', owner: 'team', 'cost-center': 'cc', 'managed-by': 'idpkit' } }]);
  });
});
