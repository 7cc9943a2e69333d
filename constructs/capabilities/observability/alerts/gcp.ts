import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel';
import { Construct } from 'constructs';
import { AlertRecipients, AlertRecipientsProps, alertRecipientsProblems, emailIds } from '.';
import { IdpkitError } from '../../../core/errors';
import { GCP_SERVICES, requireServices } from '../../../integration/services/gcp';

/**
 * Cloud Monitoring email notification channels, one per recipient. Alerting policies and billing
 * budgets (`monitoring_notification_channels`, at most 5 per budget) notify them by their names.
 *
 * @see https://cloud.google.com/monitoring/support/notification-options#email
 * @example
 * const alerts = new GcpAlertRecipients(this, 'alerts', { name: 'idp-prod-alerts', emails: ['platform@example.com'] });
 * new GcpBudget(this, 'budget', { name: 'idp-prod-monthly', billingAccountId: '012345-6789AB-CDEF01', monthlyLimit: 10000, emails: ['finops@example.com'], notificationChannelIds: alerts.notificationChannelIds });
 */
export class GcpAlertRecipients extends Construct implements AlertRecipients {
  readonly emails: readonly string[];
  /** Full names of the channels, `projects/<project>/notificationChannels/<id>`, in the order of `emails`. */
  readonly notificationChannelIds: readonly string[];

  constructor(scope: Construct, id: string, props: AlertRecipientsProps) {
    super(scope, id);
    const problems = alertRecipientsProblems(this.node.path, props);
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
    const apis = requireServices(this, [GCP_SERVICES.monitoring]);
    this.notificationChannelIds = emailIds(props.emails).map(
      ([channelId, email]) =>
        new MonitoringNotificationChannel(this, channelId, {
          displayName: `${props.name}: ${email}`,
          type: 'email',
          labels: { email_address: email },
          enabled: true,
          dependsOn: apis,
        }).name,
    );
    this.emails = [...props.emails];
  }
}
