import { MonitorActionGroup } from '@cdktf/provider-azurerm/lib/monitor-action-group';
import { Construct } from 'constructs';
import { AlertRecipients, AlertRecipientsProps, alertRecipientsProblems, emailIds } from '.';
import { IdpkitError } from '../../../core/errors';

/** Longest action group short name Azure accepts (it is shown in SMS and email subjects). */
export const ACTION_GROUP_SHORT_NAME_MAX_LENGTH = 12;

/** Props of {@link AzureAlertRecipients}. */
export interface AzureAlertRecipientsProps extends AlertRecipientsProps {
  /** Resource group of the action group. */
  readonly resourceGroupName: string;
  /** Short name shown in notifications, 1-12 characters. @default - the first 12 characters of `name` */
  readonly shortName?: string;
}

/**
 * An Azure Monitor action group that emails every recipient with the common alert schema. Metric
 * and log alerts, and consumption budgets (`contact_groups`), notify it by its id.
 *
 * @see https://learn.microsoft.com/azure/azure-monitor/alerts/action-groups
 * @example
 * const alerts = new AzureAlertRecipients(this, 'alerts', { name: 'idp-prod-alerts', emails: ['platform@example.com'], resourceGroupName: 'rg-idp-prod' });
 * new AzureBudget(this, 'budget', {
 *   name: 'idp-prod-monthly', subscriptionId: '00000000-0000-0000-0000-000000000001', resourceGroupNames: ['rg-idp-prod'],
 *   monthlyLimit: 10000, emails: ['finops@example.com'], actionGroupId: alerts.actionGroupId,
 * });
 */
export class AzureAlertRecipients extends Construct implements AlertRecipients {
  readonly emails: readonly string[];
  /** Resource id of the action group. */
  readonly actionGroupId: string;

  constructor(scope: Construct, id: string, props: AzureAlertRecipientsProps) {
    super(scope, id);
    const shortName = props.shortName ?? props.name.slice(0, ACTION_GROUP_SHORT_NAME_MAX_LENGTH);
    const problems = alertRecipientsProblems(this.node.path, props);
    if (shortName.length < 1 || shortName.length > ACTION_GROUP_SHORT_NAME_MAX_LENGTH) {
      problems.push(`${this.node.path}: shortName "${shortName}" has ${shortName.length} characters (allowed: 1 to ${ACTION_GROUP_SHORT_NAME_MAX_LENGTH})`);
    }
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
    const group = new MonitorActionGroup(this, 'action-group', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      shortName,
      enabled: true,
      emailReceiver: emailIds(props.emails).map(([receiverName, emailAddress]) => ({ name: receiverName, emailAddress, useCommonAlertSchema: true })),
    });
    this.emails = [...props.emails];
    this.actionGroupId = group.id;
  }
}
