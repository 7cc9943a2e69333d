import type { Construct } from 'constructs';
import { TerraformProvider, TerraformResource } from '../../core/cdktf';
import { IdpkitError } from '../../core/errors';
import { stackSingleton } from '../../core/singleton';

/** The hashicorp/time provider release idpkit pins (it provides `time_sleep`). */
export const TIME_PROVIDER_VERSION = '0.13.1';

/** The hashicorp/time provider: no settings, only pinned once per stack. */
class TimeProvider extends TerraformProvider {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      terraformResourceType: 'time',
      terraformGeneratorMetadata: { providerName: 'time', providerVersion: TIME_PROVIDER_VERSION },
      terraformProviderSource: 'hashicorp/time',
    });
  }
}

/** Props of {@link PropagationWait}. */
export interface PropagationWaitProps {
  /**
   * What the wait follows: it starts once they are created, and runs again when one of them is
   * replaced (their ids are its `triggers`). At least one.
   */
  readonly after: readonly TerraformResource[];
  /** How long to wait, in seconds. */
  readonly seconds: number;
}

/**
 * A `time_sleep` (hashicorp/time) between changes a cloud applies eventually and what needs them
 * applied, for example a role assignment and the resource whose creation checks it: resources that
 * `dependsOn` the wait are created `seconds` after everything in `after`. It waits on create only
 * (and when `after` is replaced), never on later plans or on destroy. Adds the time provider to the
 * stack on first use.
 *
 * @see https://registry.terraform.io/providers/hashicorp/time/0.13.1/docs/resources/sleep
 * @example
 * import { KeyVaultKey } from '@cdktf/provider-azurerm/lib/key-vault-key';
 * import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
 * declare const assignment: RoleAssignment;  // the deployer's Key Vault Crypto Officer role
 * const ready = new PropagationWait(this, 'deployer-access-propagated', { after: [assignment], seconds: 60 });
 * new KeyVaultKey(this, 'key', {
 *   name: 'state', keyVaultId: assignment.scope, keyType: 'RSA', keySize: 3072, keyOpts: ['wrapKey', 'unwrapKey'], dependsOn: [ready],
 * });
 */
export class PropagationWait extends TerraformResource {
  private readonly seconds: number;
  private readonly triggers: Record<string, string>;

  constructor(scope: Construct, id: string, props: PropagationWaitProps) {
    super(scope, id, {
      terraformResourceType: 'time_sleep',
      terraformGeneratorMetadata: { providerName: 'time', providerVersion: TIME_PROVIDER_VERSION },
    });
    const problems: string[] = [];
    if (props.after.length === 0) problems.push(`${this.node.path}: after is empty (name the resources whose changes the wait lets propagate)`);
    if (!Number.isInteger(props.seconds) || props.seconds < 1) problems.push(`${this.node.path}: seconds ${props.seconds} is not a whole number of seconds of at least 1`);
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
    stackSingleton(this, 'time', (stack, providerId) => new TimeProvider(stack, providerId));
    this.seconds = props.seconds;
    this.triggers = Object.fromEntries(props.after.map((resource) => [resource.friendlyUniqueId, resource.getStringAttribute('id')]));
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { create_duration: `${this.seconds}s`, triggers: this.triggers };
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    return {
      create_duration: { value: `${this.seconds}s`, isBlock: false, type: 'simple', storageClassType: 'string' },
      triggers: { value: this.triggers, isBlock: false, type: 'map', storageClassType: 'stringMap' },
    };
  }
}
