/**
 * What the AWS apply role may do, derived from what it applies: a table from Terraform resource
 * (and data source) types to IAM actions, the statements a role gets from a list of types, and
 * the idpkit permissions boundary that caps the apply role and every role it creates.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IConstruct } from 'constructs';
import { IAspect } from '../../core/cdktf';
import { IdpkitError, describeValue } from '../../core/errors';
import { PolicyStatement } from '../identity/aws';
import { DeployPurpose, GITHUB_OIDC_HOST, TYPES_WITHOUT_CLOUD_CALLS, deployIdentityName } from '.';

/** Where an entry's actions apply, for the few services whose resources idpkit names (everything else: `*`). */
export interface AwsPermissionScope {
  /** 12-digit account id. */
  readonly accountId: string;
  /** The idpkit environment. */
  readonly environment: string;
}

/** Actions limited to some resources. */
export interface AwsScopedActions {
  /** IAM actions. */
  readonly actions: readonly string[];
  /** Resources the actions are limited to. */
  readonly resources: (scope: AwsPermissionScope) => string[];
}

/** What applying one Terraform type takes in IAM. */
export interface AwsTypePermissions {
  /** IAM actions on any resource (of the account, in its regions), service-level (`eks:*`) where the service is the platform's. */
  readonly actions: readonly string[];
  /** Actions on named resources only, for services whose resources idpkit names. @default [] */
  readonly scoped?: readonly AwsScopedActions[];
  /** Service-linked roles the service creates on first use (`iam:AWSServiceName`). @default [] */
  readonly serviceLinkedRoles?: readonly string[];
  /** The type passes a role to a service (`iam:PassRole`). @default false */
  readonly passesRole?: boolean;
  /** The type is an IAM role or a policy of one: bounded role management (see {@link awsApplyStatements}). @default false */
  readonly managesRoles?: boolean;
}

/** The environment's own secrets (`<env>-...`), as every idpkit secret is named. */
const ENVIRONMENT_SECRETS: AwsScopedActions = {
  actions: ['secretsmanager:*'],
  resources: ({ accountId, environment }) => [`arn:aws:secretsmanager:*:${accountId}:secret:${environment}-*`],
};

const EC2 = { actions: ['ec2:*'] } as const;
const RDS = {
  actions: ['rds:*'],
  serviceLinkedRoles: ['rds.amazonaws.com'],
} as const;
const EKS = {
  actions: ['eks:*'],
  serviceLinkedRoles: ['eks.amazonaws.com'],
} as const;
/**
 * Bucket-level calls only, no object reads or writes (the state is granted by prefix, apart),
 * but deleting the objects of the environment's own buckets (`idpkit-<env>-...`), which
 * `force_destroy` does where the tier allows it.
 */
const S3_BUCKET: AwsTypePermissions = {
  actions: ['s3:CreateBucket', 's3:DeleteBucket', 's3:ListBucket', 's3:ListBucketVersions', 's3:ListAllMyBuckets', 's3:GetBucket*', 's3:PutBucket*', 's3:DeleteBucket*', 's3:Get*Configuration', 's3:Put*Configuration'],
  scoped: [{ actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'], resources: ({ environment }) => [`arn:aws:s3:::idpkit-${environment}-*/*`] }],
};
const ROLES = { actions: [], managesRoles: true } as const;
const NONE = { actions: [] } as const;

/**
 * IAM actions per Terraform type the platform applies, resources and data sources alike (`[]`: no
 * AWS call, e.g. Kubernetes and Helm resources, which go through the cluster's access entry). A
 * type missing here fails synthesis (IDPKIT_INVALID_PROPS): add it when a construct starts
 * using it.
 */
export const AWS_APPLY_PERMISSIONS: Readonly<Record<string, AwsTypePermissions>> = {
  aws_autoscaling_schedule: {
    actions: ['autoscaling:*'],
    serviceLinkedRoles: ['autoscaling.amazonaws.com'],
  },
  aws_availability_zones: { actions: ['ec2:DescribeAvailabilityZones'] },
  aws_budgets_budget: { actions: ['budgets:*'] },
  aws_caller_identity: NONE,
  aws_cloudwatch_event_rule: { actions: ['events:*'] },
  aws_cloudwatch_event_target: { actions: ['events:*'] },
  aws_cloudwatch_log_group: { actions: ['logs:*'] },
  aws_cloudwatch_metric_alarm: { actions: ['cloudwatch:*'] },
  aws_db_event_subscription: RDS,
  aws_db_instance: {
    ...RDS,
    // Managed master passwords: RDS creates, rotates and deletes the secret (`rds!db-...`) as the caller.
    scoped: [
      {
        actions: ['secretsmanager:CreateSecret', 'secretsmanager:DeleteSecret', 'secretsmanager:DescribeSecret', 'secretsmanager:RotateSecret', 'secretsmanager:TagResource'],
        resources: ({ accountId }) => [`arn:aws:secretsmanager:*:${accountId}:secret:rds!*`],
      },
    ],
    passesRole: true,
  },
  aws_db_parameter_group: RDS,
  aws_db_subnet_group: RDS,
  aws_default_security_group: EC2,
  aws_ec2_tag: EC2,
  aws_ecr_lifecycle_policy: { actions: ['ecr:*'] },
  aws_ecr_repository: { actions: ['ecr:*'] },
  aws_eip: EC2,
  aws_eks_access_entry: EKS,
  aws_eks_access_policy_association: EKS,
  aws_eks_addon: { ...EKS, passesRole: true },
  aws_eks_cluster: { ...EKS, passesRole: true },
  aws_eks_node_group: {
    ...EKS,
    serviceLinkedRoles: ['eks.amazonaws.com', 'eks-nodegroup.amazonaws.com'],
    passesRole: true,
  },
  aws_eks_pod_identity_association: { ...EKS, passesRole: true },
  aws_flow_log: {
    actions: ['ec2:*', 'logs:CreateLogDelivery', 'logs:DeleteLogDelivery', 'logs:DescribeLogGroups'],
    passesRole: true,
  },
  aws_iam_openid_connect_provider: {
    // The cluster's IRSA provider; the GitHub provider is the bootstrap stack's, and the boundary denies changing it.
    actions: [],
    scoped: [
      {
        actions: [
          'iam:CreateOpenIDConnectProvider',
          'iam:DeleteOpenIDConnectProvider',
          'iam:GetOpenIDConnectProvider',
          'iam:TagOpenIDConnectProvider',
          'iam:UntagOpenIDConnectProvider',
          'iam:UpdateOpenIDConnectProviderThumbprint',
          'iam:AddClientIDToOpenIDConnectProvider',
          'iam:RemoveClientIDFromOpenIDConnectProvider',
        ],
        resources: ({ accountId }) => [`arn:aws:iam::${accountId}:oidc-provider/oidc.eks.*`],
      },
    ],
  },
  aws_iam_role: ROLES,
  aws_iam_role_policy: ROLES,
  aws_iam_role_policy_attachment: ROLES,
  aws_internet_gateway: EC2,
  aws_kms_alias: { actions: ['kms:*'] },
  aws_kms_key: { actions: ['kms:*'] },
  aws_launch_template: EC2,
  aws_nat_gateway: EC2,
  aws_region: NONE,
  aws_route_table: EC2,
  aws_route_table_association: EC2,
  aws_s3_bucket: S3_BUCKET,
  aws_s3_bucket_lifecycle_configuration: S3_BUCKET,
  aws_s3_bucket_ownership_controls: S3_BUCKET,
  aws_s3_bucket_policy: S3_BUCKET,
  aws_s3_bucket_public_access_block: S3_BUCKET,
  aws_s3_bucket_server_side_encryption_configuration: S3_BUCKET,
  aws_s3_bucket_versioning: S3_BUCKET,
  aws_secretsmanager_secret: { actions: [], scoped: [ENVIRONMENT_SECRETS] },
  aws_secretsmanager_secret_version: {
    actions: [],
    scoped: [ENVIRONMENT_SECRETS],
  },
  aws_security_group: EC2,
  aws_sns_topic: { actions: ['sns:*'] },
  aws_sns_topic_policy: { actions: ['sns:*'] },
  aws_sns_topic_subscription: { actions: ['sns:*'] },
  aws_sqs_queue: { actions: ['sqs:*'] },
  aws_sqs_queue_policy: { actions: ['sqs:*'] },
  aws_subnet: EC2,
  aws_vpc: EC2,
  aws_vpc_endpoint: EC2,
  aws_vpc_security_group_ingress_rule: EC2,
  ...Object.fromEntries(TYPES_WITHOUT_CLOUD_CALLS.map((type) => [type, NONE])),
};

/**
 * Services the roles idpkit creates call beyond what the apply role applies: the AWS Load Balancer
 * Controller (ACM, Cognito, ELB, Shield, WAF, zonal shift), Karpenter (pricing, SSM), external-dns
 * (Route 53), nodes (EKS Pod Identity's `eks-auth`) and STS.
 */
export const AWS_ROLE_SERVICES: readonly string[] = [
  'acm',
  'arc-zonal-shift',
  'cognito-idp',
  'eks-auth',
  'elasticloadbalancing',
  'pricing',
  'route53',
  'shield',
  'ssm',
  'sts',
  'waf-regional',
  'wafv2',
];

/**
 * Services a bounded role may use at all: those of {@link AWS_APPLY_PERMISSIONS} and
 * {@link AWS_ROLE_SERVICES}. Nothing else (Organizations, Lambda, account settings...) is
 * reachable through a role the apply role creates, whatever policy it attaches.
 */
export const AWS_BOUNDARY_SERVICES: readonly string[] = [
  ...new Set([...Object.values(AWS_APPLY_PERMISSIONS).flatMap((entry) => [...entry.actions, ...(entry.scoped ?? []).flatMap((scoped) => scoped.actions)].map((action) => action.split(':')[0])), 'iam', ...AWS_ROLE_SERVICES]),
].sort();

/** Managed policies hold at most 6,144 characters (whitespace not counted). */
export const AWS_MANAGED_POLICY_MAX_CHARS = 6144;

/** Name of an environment's permissions boundary: `idpkit-<env>-boundary`. */
export const awsBoundaryPolicyName = (environment: string): string => `idpkit-${environment}-boundary`;

/**
 * ARN of an environment's permissions boundary, known before it exists, so the environment's
 * stacks name it without a reference to the bootstrap stack that makes it (which would tie every
 * stack's plan to that stack's state).
 */
export const awsBoundaryPolicyArn = (accountId: string, environment: string): string => `arn:aws:iam::${accountId}:policy/${awsBoundaryPolicyName(environment)}`;

/** IAM role actions that take `iam:PermissionsBoundary` (the boundary the role has or gets), all allowed only with the idpkit boundary. */
export const AWS_BOUNDED_ROLE_ACTIONS: readonly string[] = [
  'iam:AttachRolePolicy',
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:DeleteRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:PutRolePolicy',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
];

/** IAM role reads (and tags, which grant nothing) Terraform needs to refresh roles. */
const ROLE_READ_ACTIONS = [
  'iam:GetRole',
  'iam:GetRolePolicy',
  'iam:ListAttachedRolePolicies',
  'iam:ListInstanceProfilesForRole',
  'iam:ListRolePolicies',
  'iam:ListRoleTags',
  'iam:TagRole',
  'iam:UntagRole',
];

/** IAM user and group writes, which the boundary refuses outright unless bounded (users) or at all (groups have no boundary). */
const USER_BOUNDED_ACTIONS = ['iam:AttachUserPolicy', 'iam:CreateUser', 'iam:PutUserPermissionsBoundary', 'iam:PutUserPolicy'];

/** What the generated apply policy covers. */
export interface AwsApplyPermissionsProps extends AwsPermissionScope {
  /** Terraform resource and data source types the role applies (keys of {@link AWS_APPLY_PERMISSIONS}). */
  readonly resourceTypes: readonly string[];
  /** ARN of the boundary every role it creates or changes must carry. */
  readonly boundaryArn?: string;
  /** Names (or `*` patterns) of the roles it may pass to services. */
  readonly passRoleNames: readonly string[];
  /**
   * Regions the actions on `*` are limited to (`aws:RequestedRegion`); global services answer in
   * us-east-1 (budgets, IAM, S3 bucket listing), so give it too. @default - any region
   */
  readonly regions?: readonly string[];
  /** Where `resourceTypes` came from, for errors. */
  readonly where: string;
}

/** The types of a list that {@link AWS_APPLY_PERMISSIONS} does not know, sorted. */
export const unknownAwsTypes = (types: readonly string[]): string[] => [...new Set(types)].filter((type) => !(type in AWS_APPLY_PERMISSIONS)).sort();

/**
 * The statements of the apply role for the Terraform types it applies: their actions (one
 * statement per resource scope), bounded role management (every role write only with
 * `iam:PermissionsBoundary` = the boundary), `iam:PassRole` of the named roles only, and the
 * service-linked roles the services create. Throws IDPKIT_INVALID_PROPS for a type the
 * table does not know.
 */
export function awsApplyStatements(props: AwsApplyPermissionsProps): PolicyStatement[] {
  const unknown = unknownAwsTypes(props.resourceTypes);
  if (unknown.length > 0) {
    throw new IdpkitError(
      'IDPKIT_INVALID_PROPS',
      unknown.map(
        (type) =>
          `${props.where}: Terraform type ${describeValue(
            type
          )} has no IAM actions in AWS_APPLY_PERMISSIONS (constructs/integration/ci/aws-permissions.ts): add the actions applying it takes, or give ci.permissions.apply`
      )
    );
  }
  const entries = [...new Set(props.resourceTypes)].sort().map((type) => AWS_APPLY_PERMISSIONS[type]);
  const byResources = new Map<string, Set<string>>();
  const add = (resources: string[], actions: readonly string[]) => {
    const key = JSON.stringify(resources);
    const set = byResources.get(key) ?? new Set<string>();
    actions.forEach((action) => set.add(action));
    byResources.set(key, set);
  };
  for (const entry of entries) {
    add(['*'], entry.actions);
    for (const scoped of entry.scoped ?? []) add(scoped.resources(props), scoped.actions);
  }
  const statements: PolicyStatement[] = [...byResources]
    .filter(([, actions]) => actions.size > 0)
    .map(([resources, actions], index) => {
      const scoped = JSON.parse(resources) as string[];
      const anywhere = scoped.includes('*') && props.regions !== undefined && props.regions.length > 0;
      return {
        Sid: `Apply${index + 1}`,
        Effect: 'Allow',
        Action: withoutCovered([...actions]),
        Resource: scoped,
        ...(anywhere
          ? {
              Condition: {
                StringEquals: {
                  'aws:RequestedRegion': [...new Set(props.regions)].sort(),
                },
              },
            }
          : {}),
      };
    });
  const roles = `arn:aws:iam::${props.accountId}:role/*`;
  if (entries.some((entry) => entry.managesRoles)) {
    statements.push(
      {
        Sid: 'ManageBoundedRoles',
        Effect: 'Allow',
        Action: [...AWS_BOUNDED_ROLE_ACTIONS],
        Resource: roles,
        ...(props.boundaryArn
          ? {
              Condition: {
                StringEquals: { 'iam:PermissionsBoundary': props.boundaryArn },
              },
            }
          : {}),
      },
      {
        Sid: 'ReadRoles',
        Effect: 'Allow',
        Action: ROLE_READ_ACTIONS,
        Resource: roles,
      }
    );
  }
  if (entries.some((entry) => entry.passesRole)) {
    statements.push({
      Sid: 'PassPlatformRoles',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: withoutCovered(props.passRoleNames).map((name) => `arn:aws:iam::${props.accountId}:role/${name}`),
    });
  }
  const linked = [...new Set(entries.flatMap((entry) => entry.serviceLinkedRoles ?? []))].sort();
  if (linked.length > 0) {
    statements.push({
      Sid: 'CreateServiceLinkedRoles',
      Effect: 'Allow',
      Action: 'iam:CreateServiceLinkedRole',
      Resource: `arn:aws:iam::${props.accountId}:role/aws-service-role/*`,
      Condition: { StringEquals: { 'iam:AWSServiceName': linked } },
    });
  }
  return statements;
}

/** A sorted list without the entries another `*` pattern of it already covers (`ec2:DescribeVpcs` next to `ec2:*`). */
function withoutCovered(entries: readonly string[]): string[] {
  const unique = [...new Set(entries)].sort();
  const patterns = unique
    .filter((entry) => entry.includes('*'))
    .map((pattern) => ({
      pattern,
      test: new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`),
    }));
  return unique.filter((entry) => !patterns.some(({ pattern, test }) => pattern !== entry && test.test(entry)));
}

/** What the boundary protects. */
export interface AwsBoundaryProps {
  /** 12-digit account id (a token is fine). */
  readonly accountId: string;
  /** ARN of the boundary itself (a reference is fine): what roles must carry. */
  readonly boundaryArn: string;
  /** ARNs of the state buckets whose configuration and policy no bounded role may change. */
  readonly stateBucketArns: readonly string[];
  /** ARNs of the state keys whose policy no bounded role may change, nor delete them. */
  readonly stateKeyArns: readonly string[];
}

/**
 * The statements of the idpkit permissions boundary. A boundary caps what a role's own policies
 * allow: it allows the platform's services ({@link AWS_BOUNDARY_SERVICES}), then denies, for the
 * apply role and every role it creates:
 *
 * - creating or changing a role (or user) unless it carries this boundary (`iam:PermissionsBoundary`),
 *   and removing any role's or user's boundary;
 * - changing, versioning or deleting any idpkit boundary policy (`idpkit-*-boundary`);
 * - changing, assuming or passing the deploy roles (`idpkit-*-plan`, `idpkit-*-apply`);
 * - changing the GitHub OIDC provider;
 * - changing the state buckets' policy, configuration or deleting them, and the state keys' policy or deletion;
 * - group policies and access keys or passwords of users.
 */
export function awsBoundaryStatements(props: AwsBoundaryProps): PolicyStatement[] {
  const iam = (what: string) => `arn:aws:iam::${props.accountId}:${what}`;
  const deployRoles = (['plan', 'apply'] as DeployPurpose[]).map((purpose) => iam(`role/${deployIdentityName('*', purpose)}`));
  return [
    {
      Sid: 'AllowPlatformServices',
      Effect: 'Allow',
      Action: AWS_BOUNDARY_SERVICES.map((service) => `${service}:*`),
      Resource: '*',
    },
    {
      Sid: 'DenyUnboundedRolesAndUsers',
      Effect: 'Deny',
      Action: [...AWS_BOUNDED_ROLE_ACTIONS, ...USER_BOUNDED_ACTIONS],
      Resource: '*',
      Condition: {
        StringNotEquals: { 'iam:PermissionsBoundary': props.boundaryArn },
      },
    },
    {
      Sid: 'DenyRemovingBoundaries',
      Effect: 'Deny',
      Action: ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary'],
      Resource: '*',
    },
    {
      Sid: 'DenyChangingBoundaries',
      Effect: 'Deny',
      Action: ['iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:TagPolicy', 'iam:UntagPolicy'],
      Resource: iam(`policy/${awsBoundaryPolicyName('*')}`),
    },
    {
      Sid: 'DenyChangingDeployRoles',
      Effect: 'Deny',
      Action: ['iam:Attach*', 'iam:Delete*', 'iam:Detach*', 'iam:PassRole', 'iam:Put*', 'iam:Tag*', 'iam:Untag*', 'iam:Update*', 'sts:AssumeRole'],
      Resource: deployRoles,
    },
    {
      Sid: 'DenyChangingGithubProvider',
      Effect: 'Deny',
      Action: [
        'iam:AddClientIDToOpenIDConnectProvider',
        'iam:DeleteOpenIDConnectProvider',
        'iam:RemoveClientIDFromOpenIDConnectProvider',
        'iam:TagOpenIDConnectProvider',
        'iam:UntagOpenIDConnectProvider',
        'iam:UpdateOpenIDConnectProviderThumbprint',
      ],
      Resource: iam(`oidc-provider/${GITHUB_OIDC_HOST}`),
    },
    {
      Sid: 'DenyChangingStateBuckets',
      Effect: 'Deny',
      Action: ['s3:DeleteBucket', 's3:DeleteBucketPolicy', 's3:PutBucket*', 's3:Put*Configuration'],
      Resource: [...props.stateBucketArns],
    },
    {
      Sid: 'DenyChangingStateKeys',
      Effect: 'Deny',
      Action: ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:CreateGrant', 'kms:RevokeGrant', 'kms:UpdateAlias', 'kms:DeleteAlias'],
      Resource: [...props.stateKeyArns],
    },
    {
      Sid: 'DenyGroupsAndUserCredentials',
      Effect: 'Deny',
      Action: ['iam:AttachGroupPolicy', 'iam:PutGroupPolicy', 'iam:AddUserToGroup', 'iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile'],
      Resource: '*',
    },
  ];
}

/**
 * Statements split into documents of at most {@link AWS_MANAGED_POLICY_MAX_CHARS} characters each
 * (rendered JSON, references counted as their text), in order. Throws when one statement alone
 * is too long.
 */
export function splitIntoPolicyDocuments(statements: readonly PolicyStatement[], where: string): PolicyStatement[][] {
  const overhead = JSON.stringify({
    Version: '2012-10-17',
    Statement: [],
  }).length;
  const documents: PolicyStatement[][] = [];
  let current: PolicyStatement[] = [];
  let size = overhead;
  for (const statement of statements) {
    const length = JSON.stringify(statement).length + 1;
    if (overhead + length > AWS_MANAGED_POLICY_MAX_CHARS) {
      throw new IdpkitError('IDPKIT_INVALID_PROPS', [
        `${where}: IAM statement ${describeValue(statement.Sid ?? '')} alone is longer than the ${AWS_MANAGED_POLICY_MAX_CHARS} characters of a managed policy`,
      ]);
    }
    if (size + length > AWS_MANAGED_POLICY_MAX_CHARS) {
      documents.push(current);
      current = [];
      size = overhead;
    }
    current.push(statement);
    size += length;
  }
  if (current.length > 0) documents.push(current);
  return documents;
}

/**
 * Puts a permissions boundary on every IAM role of the scope it visits that has none, so that
 * every role idpkit creates in an environment's stacks carries the environment's boundary
 * (the apply role may create no other). Add it to a stack: `Aspects.of(stack).add(new AwsPermissionsBoundaryAspect(arn))`.
 *
 * @example
 * declare const stack: TerraformStack;
 * Aspects.of(stack).add(new AwsPermissionsBoundaryAspect(awsBoundaryPolicyArn('111111111111', 'prod')));
 */
export class AwsPermissionsBoundaryAspect implements IAspect {
  constructor(private readonly boundaryArn: string) {}

  /** Sets the boundary on an `aws_iam_role` without one; ignores everything else. */
  visit(node: IConstruct): void {
    if (node instanceof IamRole && node.permissionsBoundaryInput === undefined) node.permissionsBoundary = this.boundaryArn;
  }
}
