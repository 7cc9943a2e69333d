import { ALERT_PUBLISHERS, AwsAlertRecipients } from '../../../../../constructs/capabilities/observability/alerts/aws';
import { AwsKmsKey } from '../../../../../constructs/infrastructure/keys/aws';
import { awsTestStack, onlyResource, resources } from '../../../../helpers';

const emails = ['platform@example.com', 'oncall@example.com'];
const json = awsTestStack((stack) => new AwsAlertRecipients(stack, 'alerts', { name: 'idp-test-alerts', emails }));
const topicAddress = `aws_sns_topic.${Object.keys(json.resource.aws_sns_topic)[0]}`;
const statements = (): any[] => JSON.parse(onlyResource(json, 'aws_sns_topic_policy').policy).Statement;

describe('AwsAlertRecipients', () => {
  test('encrypts the topic with its own rotating customer-managed key', () => {
    const topic = onlyResource(json, 'aws_sns_topic');
    expect(topic.name).toBe('idp-test-alerts');
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\..+\.arn\}$/);
    expect(onlyResource(json, 'aws_kms_key').enable_key_rotation).toBe(true);
    expect(onlyResource(json, 'aws_kms_alias').name).toBe('alias/idpkit/alerts/idp-test-alerts');
  });

  test('lets CloudWatch, EventBridge, RDS events and Budgets use the key to publish to the encrypted topic', () => {
    const keyStatements = JSON.parse(onlyResource(json, 'aws_kms_key').policy).Statement;
    const publishers = keyStatements.find((s: any) => s.Sid === 'AwsServicesPublishToEncryptedTopics');
    expect(publishers.Principal.Service).toEqual(['budgets.amazonaws.com', 'cloudwatch.amazonaws.com', 'events.amazonaws.com', 'events.rds.amazonaws.com']);
    expect(publishers.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(publishers.Effect).toBe('Allow');
  });

  test('lets exactly the alerting services publish, on behalf of this account only', () => {
    expect(onlyResource(json, 'aws_sns_topic_policy').arn).toBe(`\${${topicAddress}.arn}`);
    const principals = statements().map((s) => s.Principal.Service).sort();
    expect(principals).toEqual(Object.values(ALERT_PUBLISHERS).sort());
    expect(principals).toEqual(expect.arrayContaining(['cloudwatch.amazonaws.com', 'events.rds.amazonaws.com', 'budgets.amazonaws.com']));
    for (const statement of statements()) {
      expect(statement).toMatchObject({ Effect: 'Allow', Action: 'sns:Publish', Resource: `\${${topicAddress}.arn}` });
      expect(statement.Condition.StringEquals['aws:SourceAccount']).toMatch(/^\$\{data\.aws_caller_identity\..+\.account_id\}$/);
    }
    const budgets = statements().find((s) => s.Principal.Service === 'budgets.amazonaws.com');
    expect(budgets.Condition.ArnLike['aws:SourceArn']).toMatch(/^arn:aws:budgets::\$\{data\.aws_caller_identity\..+\.account_id\}:\*$/);
  });

  test('subscribes every address by email, with ids taken from the address', () => {
    const subscriptions = resources(json, 'aws_sns_topic_subscription');
    expect(subscriptions.map((s) => s.endpoint).sort()).toEqual([...emails].sort());
    subscriptions.forEach((s) => expect(s).toMatchObject({ protocol: 'email', topic_arn: `\${${topicAddress}.arn}` }));
    expect(Object.keys(json.resource.aws_sns_topic_subscription).join(' ')).toMatch(/email-platform-example-com/);
  });

  test('keeps the key it creates from destroy only when asked (prod)', () => {
    expect(onlyResource(json, 'aws_kms_key').lifecycle).toBeUndefined();
    const kept = awsTestStack((stack) => new AwsAlertRecipients(stack, 'alerts', { name: 'idp-test-alerts', emails, keyPreventDestroy: true }));
    expect(onlyResource(kept, 'aws_kms_key').lifecycle).toEqual({ prevent_destroy: true });
  });

  test('uses a given key and adds the publishers to its policy', () => {
    const withKey = awsTestStack((stack) => {
      const key = new AwsKmsKey(stack, 'shared', { alias: 'idpkit/test/shared', description: 'shared' });
      new AwsAlertRecipients(stack, 'alerts', { name: 'idp-test-alerts', emails, key });
    });
    expect(resources(withKey, 'aws_kms_key')).toHaveLength(1);
    expect(onlyResource(withKey, 'aws_kms_alias').name).toBe('alias/idpkit/test/shared');
    expect(JSON.parse(onlyResource(withKey, 'aws_kms_key').policy).Statement.map((s: any) => s.Sid)).toContain('AwsServicesPublishToEncryptedTopics');
  });

  test('throws when there is no recipient, an address is malformed or repeated, or the name is invalid', () => {
    const make = (props: any) => () => awsTestStack((stack) => new AwsAlertRecipients(stack, 'alerts', { name: 'idp-test-alerts', emails, ...props }));
    expect(make({ emails: [] })).toThrow('emails is empty (name at least one recipient)');
    expect(make({ emails: ['not-an-address'] })).toThrow('emails entry "not-an-address" is not an email address');
    expect(make({ emails: ['a@example.com', 'A@example.com'] })).toThrow('emails lists "A@example.com" twice');
    expect(make({ name: 'bad name' })).toThrow('name "bad name" is not a valid name');
  });
});
