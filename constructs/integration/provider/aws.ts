import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { PlatformTagsProps, platformTags } from '.';
import { stackSingleton } from '../../core/singleton';

/** Props of {@link createAwsProvider}. */
export interface AwsProviderProps {
  /** Region of the stack's resources. */
  readonly region: string;
  /** The only account the provider may act on: a plan against any other account fails. */
  readonly accountId: string;
  /** Default tags for every taggable resource. */
  readonly tags: PlatformTagsProps;
}

/**
 * The AWS provider of a stack: pinned to one account and region, with the platform's default tags.
 * Credentials come from the environment (OIDC in CI, SSO locally), never from the config.
 *
 * @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs#default_tags-configuration-block
 */
export function createAwsProvider(scope: Construct, id: string, props: AwsProviderProps): AwsProvider {
  return new AwsProvider(scope, id, {
    region: props.region,
    allowedAccountIds: [props.accountId],
    defaultTags: [{ tags: platformTags(props.tags) }],
  });
}

/** The account and region a stack's AWS provider acts on, as Terraform references. */
export interface AwsContext {
  /** Account id, from `data.aws_caller_identity`. */
  readonly accountId: string;
  /** Region name, from `data.aws_region`. */
  readonly region: string;
}

const CONTEXT_ID = 'aws-context';

/**
 * The stack's account and region, read once per stack by data sources that constructs share (so a
 * library user's stack needs no extra props and the plan shows real values).
 */
export function awsContext(scope: Construct): AwsContext {
  return stackSingleton(scope, CONTEXT_ID, (stack, id) => new AwsContextReader(stack, id));
}

class AwsContextReader extends Construct implements AwsContext {
  readonly accountId: string;
  readonly region: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.accountId = new DataAwsCallerIdentity(this, 'caller').accountId;
    this.region = new DataAwsRegion(this, 'region').region;
  }
}
