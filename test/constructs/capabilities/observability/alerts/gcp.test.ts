import { GcpAlertRecipients } from '../../../../../constructs/capabilities/observability/alerts/gcp';
import { TerraformOutput } from '../../../../../constructs/core/cdktf';
import { resources } from '../../../../helpers';
import { addressOf, gcpTestStack, ref, serviceAddresses } from '../../../../gcp-helpers';

const emails = ['platform@example.com', 'oncall@example.com'];

describe('GcpAlertRecipients', () => {
  test('makes one email notification channel per address, after the Monitoring API is on', () => {
    const json = gcpTestStack((stack) => new GcpAlertRecipients(stack, 'alerts', { name: 'idp-test-alerts', emails }));
    const channels = resources(json, 'google_monitoring_notification_channel');
    expect(channels).toHaveLength(2);
    expect(channels.map((c) => c.labels.email_address).sort()).toEqual([...emails].sort());
    channels.forEach((c) => {
      expect(c).toMatchObject({ type: 'email', enabled: true });
      expect(c.depends_on).toEqual(serviceAddresses(json, ['monitoring.googleapis.com']));
    });
    expect(channels.map((c) => c.display_name)).toContain('idp-test-alerts: platform@example.com');
  });

  test('exposes the channels by their full names, in the order of the addresses', () => {
    const json = gcpTestStack((stack) => {
      new TerraformOutput(stack, 'ids', { value: new GcpAlertRecipients(stack, 'alerts', { name: 'idp-test-alerts', emails }).notificationChannelIds });
    });
    const channelOf = (email: string) => ref(addressOf(json, 'google_monitoring_notification_channel', (c) => c.labels.email_address === email), 'name');
    expect(json.output!.ids.value).toEqual(emails.map(channelOf));
  });

  test('throws when an address is malformed', () => {
    expect(() => gcpTestStack((stack) => new GcpAlertRecipients(stack, 'alerts', { name: 'idp-test-alerts', emails: ['nobody'] }))).toThrow(
      'emails entry "nobody" is not an email address',
    );
  });
});
