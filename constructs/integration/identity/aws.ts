import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';

/** One statement of an IAM policy document. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Record<string, string | string[]> | '*';
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

/** Renders an IAM policy document as the JSON string Terraform expects. */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** A trust statement letting an AWS service assume a role. */
export function serviceTrust(service: string, actions: string[] = ['sts:AssumeRole']): PolicyStatement {
  return { Effect: 'Allow', Principal: { Service: service }, Action: actions };
}

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
