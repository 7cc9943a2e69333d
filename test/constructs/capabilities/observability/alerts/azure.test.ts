import { AzureAlertRecipients } from '../../../../../constructs/capabilities/observability/alerts/azure';
import { onlyResource } from '../../../../helpers';
import { azureTestStack, refTo } from '../../../../azure-helpers';
import { TerraformOutput } from '../../../../../constructs/core/cdktf';

const props = { name: 'idp-test-alerts', emails: ['platform@example.com', 'oncall@example.com'], resourceGroupName: 'rg-test' };

describe('AzureAlertRecipients', () => {
  test('is an action group emailing every recipient with the common alert schema', () => {
    const json = azureTestStack((stack) => new AzureAlertRecipients(stack, 'alerts', props));
    const group = onlyResource(json, 'azurerm_monitor_action_group');
    expect(group).toMatchObject({ name: 'idp-test-alerts', resource_group_name: 'rg-test', enabled: true });
    expect(group.email_receiver.map((r: any) => r.email_address)).toEqual(props.emails);
    group.email_receiver.forEach((r: any) => expect(r.use_common_alert_schema).toBe(true));
    expect(new Set(group.email_receiver.map((r: any) => r.name)).size).toBe(2);
  });

  test('short name defaults to the first 12 characters of the name', () => {
    const json = azureTestStack((stack) => new AzureAlertRecipients(stack, 'alerts', props));
    expect(onlyResource(json, 'azurerm_monitor_action_group').short_name).toBe('idp-test-ale');
    const custom = azureTestStack((stack) => new AzureAlertRecipients(stack, 'alerts', { ...props, shortName: 'idptest' }));
    expect(onlyResource(custom, 'azurerm_monitor_action_group').short_name).toBe('idptest');
  });

  test('exposes the action group id', () => {
    const json = azureTestStack((stack) => {
      new TerraformOutput(stack, 'id', { value: new AzureAlertRecipients(stack, 'alerts', props).actionGroupId });
    });
    expect(json.output!.id.value).toBe(refTo(json, 'azurerm_monitor_action_group', 'id'));
  });

  test('throws when the short name is longer than 12 characters or there is no recipient', () => {
    expect(() => azureTestStack((stack) => new AzureAlertRecipients(stack, 'alerts', { ...props, shortName: 'thirteen-char' }))).toThrow(
      'shortName "thirteen-char" has 13 characters (allowed: 1 to 12)',
    );
    expect(() => azureTestStack((stack) => new AzureAlertRecipients(stack, 'alerts', { ...props, emails: [] }))).toThrow('emails is empty');
  });
});
