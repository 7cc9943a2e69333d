import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { Construct } from 'constructs';
import { IdentityGrant, WorkloadIdentity, WorkloadIdentityRequest, requireTarget } from '.';
import { IdpkitError, describeValue } from '../../core/errors';
import { fitName } from '../../core/names';

/** One statement of an IAM policy document. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Record<string, string | string[]> | '*';
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

/** What IAM allows in a statement id: ASCII letters and digits. */
const SID = /^[A-Za-z0-9]+$/;

/**
 * Renders an IAM policy document as the JSON string Terraform expects. Every document idpkit
 * writes (identity, trust, key, bucket, topic and queue policies) goes through here, so it refuses
 * what IAM rejects at apply with MalformedPolicyDocument: a statement id (`Sid`) used twice in one
 * document, or one with other than ASCII letters and digits.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html
 */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const { Sid } of statements) {
    if (Sid === undefined) continue;
    if (!SID.test(Sid)) problems.push(`IAM policy statement Sid ${describeValue(Sid)} has characters IAM rejects (use ASCII letters and digits only)`);
    if (seen.has(Sid)) problems.push(`IAM policy statement Sid ${describeValue(Sid)} is used by two statements of one document (IAM rejects it; give each statement its own Sid)`);
    seen.add(Sid);
  }
  if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/**
 * Statements merged from several sources (e.g. a workload identity's grants) with unique Sids: a
 * Sid that occurs more than once gets the number of its occurrence appended to every occurrence
 * (`ListBucket1`, `ListBucket2`), in statement order, so the result is deterministic and a Sid
 * that occurs once keeps its name.
 */
export function withUniqueSids(statements: readonly PolicyStatement[]): PolicyStatement[] {
  const counts = new Map<string, number>();
  for (const { Sid } of statements) if (Sid !== undefined) counts.set(Sid, (counts.get(Sid) ?? 0) + 1);
  const occurrence = new Map<string, number>();
  return statements.map((statement) => {
    const { Sid } = statement;
    if (Sid === undefined || counts.get(Sid) === 1) return statement;
    const n = (occurrence.get(Sid) ?? 0) + 1;
    occurrence.set(Sid, n);
    return { ...statement, Sid: `${Sid}${n}` };
  });
}

/** A trust statement letting an AWS service assume a role. */
export function serviceTrust(service: string, actions: string[] = ['sts:AssumeRole']): PolicyStatement {
  return { Effect: 'Allow', Principal: { Service: service }, Action: actions };
}

/** IAM role names: at most 64 characters, unique per account. */
const IAM_ROLE_NAME_MAX_LENGTH = 64;

/**
 * The IAM role name of an {@link AwsWorkloadIdentity}: `<prefix>-<request name>`, the prefix cut
 * and hashed where that exceeds IAM's 64 characters ({@link fitName}).
 */
export const awsWorkloadIdentityRoleName = (namePrefix: string, requestName: string): string => fitName(namePrefix, IAM_ROLE_NAME_MAX_LENGTH, `-${requestName}`);

/** The ARN of an AWS managed policy, e.g. `AmazonEKSClusterPolicy` or `service-role/AmazonEBSCSIDriverPolicy`. */
export const awsManagedPolicy = (name: string): string => `arn:aws:iam::aws:policy/${name}`;

/** Props of {@link AwsRole}. */
export interface AwsRoleProps {
  /** Role name. */
  readonly name: string;
  /** What the role is for, shown in the IAM console. */
  readonly description: string;
  /** Who may assume the role. */
  readonly trust: readonly PolicyStatement[];
  /** AWS or customer managed policies to attach. @default [] */
  readonly managedPolicyArns?: readonly string[];
  /** Statements of an inline policy, for permissions scoped to this platform's resources. @default - no inline policy */
  readonly inlineStatements?: readonly PolicyStatement[];
}

/**
 * An IAM role with exactly the policies given: a trust policy, managed policy attachments and an
 * optional inline policy. Every role idpkit creates goes through here, so least privilege is
 * visible in one place per role.
 */
export class AwsRole extends Construct {
  /** The role's ARN. */
  readonly arn: string;
  /** The role's name. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: AwsRoleProps) {
    super(scope, id);
    const role = new IamRole(this, 'role', {
      name: props.name,
      description: props.description,
      assumeRolePolicy: policyDocument(props.trust),
    });
    (props.managedPolicyArns ?? []).forEach((policyArn) => {
      const policyName = policyArn.split('/').pop()!;
      new IamRolePolicyAttachment(this, `attach-${policyName}`, { role: role.name, policyArn });
    });
    if (props.inlineStatements && props.inlineStatements.length > 0) {
      new IamRolePolicy(this, 'inline-policy', { role: role.id, name: props.name, policy: policyDocument(props.inlineStatements) });
    }
    this.arn = role.arn;
    this.name = role.name;
  }
}

/** Props of {@link AwsWorkloadIdentity}. */
export interface AwsWorkloadIdentityProps {
  /** Cluster the service account runs in. */
  readonly clusterName: string;
  /** Role name prefix, e.g. the cluster name: the role is `<prefix>-<request name>`, the prefix cut and hashed where that exceeds IAM's 64 characters ({@link fitName}). */
  readonly namePrefix: string;
  /** What the service account needs. */
  readonly request: WorkloadIdentityRequest;
  /** Account and region the grants are scoped to. */
  readonly accountId: string;
  readonly region: string;
}

/**
 * An IAM role for one Kubernetes service account through EKS Pod Identity: trusted by
 * `pods.eks.amazonaws.com` from this account only, associated with exactly that namespace and
 * service account, allowed only what its grants say. No annotation is needed on the service account.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html
 */
export class AwsWorkloadIdentity extends Construct implements WorkloadIdentity {
  readonly serviceAccountAnnotations = {};
  readonly podLabels = {};
  /** The role's ARN. */
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: AwsWorkloadIdentityProps) {
    super(scope, id);
    const { request } = props;
    // Grants of one kind (e.g. Loki's two buckets) bring the same Sids: number them apart.
    const statements = withUniqueSids(request.grants.flatMap((grant) => awsGrantStatements(grant, request.name, props)));
    const role = new AwsRole(this, 'role', {
      name: awsWorkloadIdentityRoleName(props.namePrefix, request.name),
      description: `EKS Pod Identity of ${request.namespace}/${request.serviceAccount}`,
      trust: [{ ...serviceTrust('pods.eks.amazonaws.com', ['sts:AssumeRole', 'sts:TagSession']), Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } } }],
      inlineStatements: statements,
    });
    new EksPodIdentityAssociation(this, 'association', {
      clusterName: props.clusterName,
      namespace: request.namespace,
      serviceAccount: request.serviceAccount,
      roleArn: role.arn,
    });
    this.roleArn = role.arn;
  }
}

/**
 * The IAM statements of one grant, scoped to exactly the resources it names: no `*` actions, and
 * `*` resources only for read-only calls that IAM cannot scope (`route53:ListHostedZones*`,
 * `route53:GetChange`).
 */
export function awsGrantStatements(grant: IdentityGrant, request: string, where: { readonly accountId: string; readonly region: string }): PolicyStatement[] {
  switch (grant.kind) {
    case 'secrets-read':
      return [
        {
          Effect: 'Allow',
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          Resource: `arn:aws:secretsmanager:${where.region}:${where.accountId}:secret:${grant.prefix}*`,
        },
        {
          // Secrets under the prefix may use customer-managed keys (e.g. databases' connection
          // details): decrypt only through Secrets Manager, only for those secrets.
          Sid: 'DecryptSecretsUnderPrefix',
          Effect: 'Allow',
          Action: ['kms:Decrypt'],
          Resource: `arn:aws:kms:${where.region}:${where.accountId}:key/*`,
          Condition: {
            StringEquals: { 'kms:ViaService': `secretsmanager.${where.region}.amazonaws.com` },
            StringLike: { 'kms:EncryptionContext:SecretARN': `arn:aws:secretsmanager:${where.region}:${where.accountId}:secret:${grant.prefix}*` },
          },
        },
      ];
    case 'bucket-read-write': {
      const bucketArn = requireTarget(grant.bucket.bucketArn, request, grant.kind, 'the bucket ARN');
      const keyArn = requireTarget(grant.bucket.bucketKeyArn, request, grant.kind, "the ARN of the bucket's KMS key");
      return [
        { Sid: 'ListBucket', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: bucketArn },
        { Sid: 'ReadWriteObjects', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: `${bucketArn}/*` },
        { Sid: 'UseBucketKey', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: keyArn },
      ];
    }
    case 'key-encrypt-decrypt':
    case 'key-seal': // awskms: Encrypt, Decrypt, DescribeKey
      return [{ Sid: 'EncryptDecrypt', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'], Resource: grant.key.keyId }];
    case 'dns-records': {
      const zoneId = requireTarget(grant.zone.hostedZoneId, request, grant.kind, 'the Route 53 hosted zone id');
      return [
        {
          Sid: 'ChangeRecordsInZone',
          Effect: 'Allow',
          Action: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResource'],
          Resource: `arn:aws:route53:::hostedzone/${zoneId}`,
        },
        // Read-only calls IAM cannot scope to a zone.
        { Sid: 'FindZonesAndChanges', Effect: 'Allow', Action: ['route53:ListHostedZones', 'route53:ListHostedZonesByName', 'route53:GetChange'], Resource: '*' },
      ];
    }
    case 'cloud':
      return (grant.aws ?? []).map((statement) => ({
        ...(statement.Sid ? { Sid: statement.Sid } : {}),
        Effect: 'Allow',
        Action: [...statement.Action],
        Resource: [...statement.Resource],
        ...(statement.Condition ? { Condition: statement.Condition as PolicyStatement['Condition'] } : {}),
      }));
  }
}
