import { IamServiceLinkedRole } from '@cdktf/provider-aws/lib/iam-service-linked-role';
import { Construct } from 'constructs';

/** The service EC2 Spot's service-linked role (`AWSServiceRoleForEC2Spot`) is linked to. */
export const EC2_SPOT_SERVICE = 'spot.amazonaws.com';

/**
 * The account's EC2 Spot service-linked role, `AWSServiceRoleForEC2Spot`, which EC2 needs before
 * anything launches a Spot Instance through the API (Karpenter's `CreateFleet` fails with
 * `AuthFailure.ServiceLinkedRoleCreationNotPermitted` without it). One per account: create it in
 * one stack of the account only (idpkit: the account's first bootstrap stack whose environments
 * let Karpenter launch spot), and not at all where the account has it already (it appears once
 * spot was used from the console); `CreateServiceLinkedRole` fails on an existing one.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/service-linked-roles-spot-instance-requests.html
 * @see https://karpenter.sh/docs/troubleshooting/#missing-service-linked-role
 * @example
 * new Ec2SpotServiceLinkedRole(this, 'ec2-spot-role');
 */
export class Ec2SpotServiceLinkedRole extends Construct {
  /** The role's ARN. */
  readonly roleArn: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const role = new IamServiceLinkedRole(this, 'role', {
      awsServiceName: EC2_SPOT_SERVICE,
      description: 'EC2 Spot Instances for Karpenter (idpkit)',
    });
    this.roleArn = role.arn;
  }
}
