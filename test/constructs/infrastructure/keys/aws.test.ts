import { AwsKmsKey } from '../../../../constructs/infrastructure/keys/aws';
import { awsTestStack, onlyResource } from '../../../helpers';

describe('AwsKmsKey', () => {
  test('rotates yearly, has an alias and a policy that delegates to IAM in its account', () => {
    const json = awsTestStack((stack) => new AwsKmsKey(stack, 'key', { alias: 'idpkit/test/data', description: 'test data' }));
    expect(onlyResource(json, 'aws_kms_key')).toMatchObject({ enable_key_rotation: true, rotation_period_in_days: 365, deletion_window_in_days: 30 });
    expect(onlyResource(json, 'aws_kms_alias').name).toBe('alias/idpkit/test/data');
    const statements = JSON.parse(onlyResource(json, 'aws_kms_key').policy).Statement;
    expect(statements).toEqual([expect.objectContaining({ Principal: { AWS: expect.stringMatching(/^arn:aws:iam::\$\{data\.aws_caller_identity\..+\.account_id\}:root$/) } })]);
  });

  test('lets CloudWatch Logs use the key only for the log groups granted', () => {
    const json = awsTestStack((stack) => {
      const key = new AwsKmsKey(stack, 'key', { alias: 'idpkit/test/logs', description: 'logs' });
      key.grantLogEncryption('/b');
      key.grantLogEncryption('/a');
    });
    const logs = JSON.parse(onlyResource(json, 'aws_kms_key').policy).Statement[1];
    expect(logs.Principal.Service).toMatch(/^logs\.\$\{data\.aws_region\..+\.region\}\.amazonaws\.com$/);
    expect(logs.Condition.ArnEquals['kms:EncryptionContext:aws:logs:arn']).toEqual([
      expect.stringMatching(/:log-group:\/a$/),
      expect.stringMatching(/:log-group:\/b$/),
    ]);
  });

  test('is kept from destroy only when asked', () => {
    const plain = awsTestStack((stack) => new AwsKmsKey(stack, 'key', { alias: 'idpkit/test/data', description: 'test data' }));
    expect(onlyResource(plain, 'aws_kms_key').lifecycle).toBeUndefined();
    const kept = awsTestStack((stack) => new AwsKmsKey(stack, 'key', { alias: 'idpkit/test/data', description: 'test data', preventDestroy: true }));
    expect(onlyResource(kept, 'aws_kms_key').lifecycle).toEqual({ prevent_destroy: true });
  });

  test('throws when the deletion window is outside 7 to 30 days', () => {
    expect(() => awsTestStack((stack) => new AwsKmsKey(stack, 'key', { alias: 'a', description: 'd', deletionWindowDays: 3 }))).toThrow(
      'deletionWindowDays 3 is outside what KMS allows (7 to 30)',
    );
  });
});
