import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from '../../../../constructs/core/cdktf';
import { createAwsProvider } from '../../../../constructs/integration/provider/aws';
import { awsTestStack } from '../../../helpers';

describe('createAwsProvider', () => {
  const json = awsTestStack(() => undefined);

  test('pins the provider to one account and region', () => {
    expect(json.provider!.aws[0]).toMatchObject({ region: 'eu-west-1', allowed_account_ids: ['111111111111'] });
  });

  test('tags every resource with environment, owner, cost center and managed-by', () => {
    expect(json.provider!.aws[0].default_tags).toEqual([{ tags: { environment: 'test', owner: 'team', 'cost-center': 'cc', 'managed-by': 'idpkit' } }]);
  });

  test('keeps the four standard tags when extra tags try to override them (cdktf matcher)', () => {
    const stack = new TerraformStack(Testing.app(), 'tags');
    createAwsProvider(stack, 'aws', {
      region: 'eu-west-1',
      accountId: '111111111111',
      tags: { environment: 'dev', owner: 'team', costCenter: 'cc', extra: { 'managed-by': 'someone-else', team: 'payments' } },
    });
    expect(Testing.synth(stack)).toHaveProviderWithProperties(AwsProvider, {
      default_tags: [{ tags: { team: 'payments', environment: 'dev', owner: 'team', 'cost-center': 'cc', 'managed-by': 'idpkit' } }],
    });
  });
});
