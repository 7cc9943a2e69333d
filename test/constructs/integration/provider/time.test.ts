import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { IdpkitError } from '../../../../constructs/core/errors';
import { PropagationWait, TIME_PROVIDER_VERSION } from '../../../../constructs/integration/provider/time';
import { azureTestStack } from '../../../azure-helpers';

describe('PropagationWait', () => {
  const json = azureTestStack((stack) => {
    const first = new ResourceGroup(stack, 'first', { name: 'rg-first', location: 'westeurope' });
    const second = new ResourceGroup(stack, 'second', { name: 'rg-second', location: 'westeurope' });
    const wait = new PropagationWait(stack, 'wait', { after: [first, second], seconds: 60 });
    new PropagationWait(stack, 'another', { after: [first], seconds: 30 });
    new ResourceGroup(stack, 'after', { name: 'rg-after', location: 'westeurope', dependsOn: [wait] });
  });

  test('is a time_sleep that waits the given seconds on create, and again when what it follows is replaced', () => {
    expect(json.resource.time_sleep.wait).toMatchObject({
      create_duration: '60s',
      triggers: { first: '${azurerm_resource_group.first.id}', second: '${azurerm_resource_group.second.id}' },
    });
    expect(json.resource.time_sleep.another.create_duration).toBe('30s');
    expect(json.resource.time_sleep.wait.destroy_duration).toBeUndefined();
  });

  test('what depends on it waits for it', () => {
    expect(json.resource.azurerm_resource_group.after.depends_on).toEqual(['time_sleep.wait']);
  });

  test('pins the hashicorp/time provider, once per stack', () => {
    expect(json.terraform.required_providers.time).toEqual({ source: 'hashicorp/time', version: TIME_PROVIDER_VERSION });
    expect(json.provider!.time).toEqual([{}]);
  });

  test.each([
    ['throws when it follows nothing', 0, 60, 'after is empty'],
    ['throws when it waits no whole second', 1, 0.5, 'seconds 0.5 is not a whole number of seconds of at least 1'],
  ])('%s', (_name, follows, seconds, message) => {
    let error: unknown;
    try {
      azureTestStack((stack) => {
        const groups = Array.from({ length: follows }, (_, index) => new ResourceGroup(stack, `group-${index}`, { name: `rg-${index}`, location: 'westeurope' }));
        new PropagationWait(stack, 'wait', { after: groups, seconds });
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(IdpkitError);
    expect((error as IdpkitError).code).toBe('IDPKIT_INVALID_PROPS');
    expect((error as IdpkitError).message).toContain(message);
  });
});
