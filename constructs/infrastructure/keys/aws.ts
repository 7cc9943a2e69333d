import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import { DEFAULT_KEY_DELETION_WINDOW_DAYS, EncryptionKey, EncryptionKeyProps } from '.';
import { Lazy } from '../../core/cdktf';
import { IdpkitError } from '../../core/errors';
import { tierDefault } from '../../core/tiers';
import { PolicyStatement, policyDocument } from '../../integration/identity/aws';
import { awsContext } from '../../integration/provider/aws';

/** Props of {@link AwsKmsKey}. */
export interface AwsKmsKeyProps extends EncryptionKeyProps {
  /**
   * Refuse `terraform destroy` of the key (`lifecycle.prevent_destroy`): data it encrypts is lost
   * with it once the deletion window ends.
   * @default - the tier's `deletionProtection` (prod only); false without a tier
   */
  readonly preventDestroy?: boolean;
}

/**
 * A symmetric AWS KMS key with yearly rotation, an alias, and a key policy that delegates to IAM
 * in the owning account and grants AWS services only what they are given with grant methods.
 *
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 * @example
 * const key = new AwsKmsKey(this, 'logs-key', { alias: 'idpkit/dev/logs', description: 'dev logs' });
 * key.grantLogEncryption('/aws/vpc/dev/flow-logs');
 */
export class AwsKmsKey extends Construct implements EncryptionKey {
  readonly keyId: string;
  /** The key's alias name, `alias/<alias>`. */
  readonly aliasName: string;
  private readonly logGroupNames: string[] = [];
  private readonly topicPublishers = new Set<string>();

  constructor(scope: Construct, id: string, props: AwsKmsKeyProps) {
    super(scope, id);
    const deletionWindowDays = props.deletionWindowDays ?? tierDefault(this, (rules) => rules.keyDeletionWindowDays, DEFAULT_KEY_DELETION_WINDOW_DAYS);
    const preventDestroy = props.preventDestroy ?? tierDefault(this, (rules) => rules.deletionProtection, false);
    if (deletionWindowDays < 7 || deletionWindowDays > 30) {
      throw new IdpkitError('IDPKIT_INVALID_PROPS', [
        `${this.node.path}: deletionWindowDays ${deletionWindowDays} is outside what KMS allows (7 to 30)`,
      ]);
    }
    const { accountId, region } = awsContext(this);
    const key = new KmsKey(this, 'key', {
      description: props.description,
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: deletionWindowDays,
      policy: Lazy.stringValue({ produce: () => policyDocument(this.statements(accountId, region)) }),
      lifecycle: preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.aliasName = `alias/${props.alias}`;
    new KmsAlias(this, 'alias', { name: this.aliasName, targetKeyId: key.keyId });
    this.keyId = key.arn;
  }

  grantLogEncryption(logGroupName: string): void {
    this.logGroupNames.push(logGroupName);
  }

  /**
   * Lets AWS services (service principals such as `cloudwatch.amazonaws.com`) publish to SNS topics
   * encrypted with this key: `kms:GenerateDataKey*` and `kms:Decrypt`. Without it their messages to
   * the topic are dropped. No source conditions: EventBridge's requests to KMS do not carry them.
   *
   * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
   */
  grantTopicPublishers(servicePrincipals: readonly string[]): void {
    servicePrincipals.forEach((principal) => this.topicPublishers.add(principal));
  }

  private statements(account: string, region: string): PolicyStatement[] {
    const statements: PolicyStatement[] = [
      {
        Sid: 'AccountAdministersKeyThroughIam',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ];
    if (this.logGroupNames.length > 0) {
      statements.push({
        Sid: 'CloudWatchLogsEncryptsNamedLogGroups',
        Effect: 'Allow',
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: {
          ArnEquals: {
            'kms:EncryptionContext:aws:logs:arn': [...this.logGroupNames]
              .sort()
              .map((name) => `arn:aws:logs:${region}:${account}:log-group:${name}`),
          },
        },
      });
    }
    if (this.topicPublishers.size > 0) {
      statements.push({
        Sid: 'AwsServicesPublishToEncryptedTopics',
        Effect: 'Allow',
        Principal: { Service: [...this.topicPublishers].sort() },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
      });
    }
    return statements;
  }
}
