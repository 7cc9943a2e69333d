import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from '../constructs/core/cdktf';
import { createAwsProvider } from '../constructs/integration/provider/aws';
import { configureLocalState } from '../constructs/integration/state';
import { AwsStateBucket } from '../constructs/integration/state/aws';
import { Environment, stateRegion } from '../environments/types';

/** The name of the bootstrap stack of a state bucket. */
export const stateBootstrapStackName = (bucket: string): string => `bootstrap-${bucket}`;

/** Props of {@link StateBootstrapStack}. */
export interface StateBootstrapStackProps {
  /** The environments whose state the bucket holds; all in one account and region. */
  readonly environments: readonly Environment[];
}

/**
 * Creates the S3 state bucket (and its KMS key) that the environments' stacks keep state in. It
 * is the one stack with local state, on purpose: it runs once per account, before anything else
 * (`cdktf deploy bootstrap-<bucket>`), and its state can be migrated into the bucket afterwards.
 */
export class StateBootstrapStack extends TerraformStack {
  readonly stateBucket: AwsStateBucket;

  constructor(scope: Construct, props: StateBootstrapStackProps) {
    const [first] = props.environments;
    if (!first || first.state.backend !== 's3') throw new Error('StateBootstrapStack needs environments with an s3 state backend');
    super(scope, stateBootstrapStackName(first.state.bucket));
    createAwsProvider(this, 'aws', {
      region: stateRegion(first),
      accountId: first.aws.accountId,
      tags: { environment: props.environments.map((env) => env.name).join('+'), owner: first.owner, costCenter: first.costCenter },
    });
    configureLocalState(this, { backend: 'local' });
    this.stateBucket = new AwsStateBucket(this, 'state', { bucket: first.state.bucket });
    new TerraformOutput(this, 'state_bucket_arn', { value: this.stateBucket.bucketArn, description: 'Terraform state bucket' });
    new TerraformOutput(this, 'state_key_arn', { value: this.stateBucket.key.keyId, description: 'KMS key of the state bucket' });
  }
}
