import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from '../constructs/core/cdktf';
import { configureLocalState, stateKey } from '../constructs/integration/state';
import { Environment, bootstrapStateOf, stateLocationOf } from '../environments/types';
import { kitOf } from './clouds';
import type { StateStorageOptions } from './clouds/kit';

/** The name of the bootstrap stack of a state bucket (or storage account). */
export const stateBootstrapStackName = (location: string): string => `bootstrap-${location}`;

/** Props of {@link StateBootstrapStack}. */
export interface StateBootstrapStackProps {
  /** The environments whose state it holds: one cloud, one state location (validateEnvironments checks). */
  readonly environments: readonly Environment[];
  /**
   * Another bootstrap stack of the same AWS account (GCP project) creates the GitHub OIDC provider
   * (workload identity pool), or it exists already: this one looks it up by its fixed name.
   * Environments with `ci.github.oidcProviderExists` make their stack look it up too.
   * @default false
   */
  readonly ciProviderExists?: boolean;
  /** Create the AWS account's EC2 Spot service-linked role here (one bootstrap stack per account does: `spotRoleCreators`). @default false */
  readonly spotServiceLinkedRole?: boolean;
  /**
   * The Terraform resources and data sources of each environment's other stacks, by environment
   * name, from which its deploy identities' permissions are generated ({@link StateStorageOptions.deployedElements}).
   * @default - none known: the constructs' defaults
   */
  readonly deployedElements?: StateStorageOptions['deployedElements'];
}

/**
 * Creates the state storage (S3 bucket, Azure storage account or GCS bucket, with its key) that
 * the environments' stacks keep state in. Its own state starts local, since the storage does not
 * exist before its first apply (`cdktf deploy bootstrap-<name>`); with the environments'
 * `state.bootstrap: 'remote'` it moves into that storage, under {@link stateKey} of the stack
 * (`idpkit/bootstrap-<name>/terraform.tfstate`), with the same backend settings (encryption,
 * locking, Entra ID) as every other stack: `terraform init -migrate-state` then copies it there.
 * Back to `local` (and `-migrate-state` again) before the storage is destroyed.
 */
export class StateBootstrapStack extends TerraformStack {
  constructor(scope: Construct, props: StateBootstrapStackProps) {
    const [first] = props.environments;
    const location = first && stateLocationOf(first);
    if (!location) throw new Error('StateBootstrapStack needs environments with remote state');
    super(scope, stateBootstrapStackName(location.name));
    if (bootstrapStateOf(first) === 'remote') kitOf(first).configureRemoteState(this, first as never, stateKey(this.node.id));
    else configureLocalState(this, { backend: 'local' });
    const outputs = kitOf(first).buildStateStorage(this, props.environments as never, {
      ciProviderExists: props.ciProviderExists,
      spotServiceLinkedRole: props.spotServiceLinkedRole,
      deployedElements: props.deployedElements,
    });
    for (const [id, output] of Object.entries(outputs)) new TerraformOutput(this, id, output);
  }
}
