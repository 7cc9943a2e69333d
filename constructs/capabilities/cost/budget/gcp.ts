import { BillingBudget } from '@cdktf/provider-google/lib/billing-budget';
import { Construct } from 'constructs';
import { BILLING_ACCOUNT_ID, Budget, BudgetProps, resolveBudgetProps } from '.';
import { IdpkitError } from '../../../core/errors';
import { gcpContext, gcpLabelKey, gcpLabelValue } from '../../../integration/provider/gcp';
import { GCP_SERVICES, requireServices } from '../../../integration/services/gcp';
import { GcpAlertRecipients } from '../../observability/alerts/gcp';

/**
 * Cloud Billing budget limits: 5 monitoring notification channels per budget (one per email when
 * the budget makes them); threshold rules have no documented limit.
 */
export const GCP_BUDGET_LIMITS = { maxAlerts: Number.POSITIVE_INFINITY, maxEmails: 5, cloud: 'GCP' } as const;

/** Props of {@link GcpBudget}. */
export interface GcpBudgetProps extends BudgetProps {
  /** Billing account that pays for the project, `XXXXXX-XXXXXX-XXXXXX`: the budget lives there. */
  readonly billingAccountId: string;
  /** Number of the project whose costs count. @default - the stack's project (`data.google_project`) */
  readonly projectNumber?: string;
  /**
   * Count only usage of resources labelled `environment=<this>`, on top of the project filter.
   * Leave unset when the project holds one environment: usage without labels (network egress,
   * logging, support) is left out of a label-filtered budget.
   * @default - all usage of the project counts
   */
  readonly environmentLabel?: string;
  /**
   * Monitoring notification channels that receive the alerts (at most 5), e.g.
   * `GcpAlertRecipients.notificationChannelIds`.
   * When given, `emails` are only checked: these channels decide who is notified.
   * @default - an email channel per address in `emails`, created here
   */
  readonly notificationChannelIds?: readonly string[];
}

/**
 * A monthly Cloud Billing budget for one environment's project: the limit as a specified amount
 * in `currency` (which must be the billing account's currency), one threshold rule per actual
 * (CURRENT_SPEND) and forecast (FORECASTED_SPEND) percentage, and every update sent to the
 * monitoring notification channels. Billing account administrators are notified as well.
 *
 * It covers exactly one project, so it is a single-project budget: `resourcemanager.projects.get`
 * and `billing.resourcebudgets.read`/`.write` on the project create and read it (Project Editor or
 * Owner; Viewer reads it), with no role on the billing account (else `roles/billing.costsManager`
 * there). With user credentials the provider also needs `user_project_override` and a
 * `billing_project` in which the Billing Budget API is enabled.
 *
 * @see https://cloud.google.com/billing/docs/how-to/budget-api-access-control
 * @see https://cloud.google.com/billing/docs/how-to/budgets
 * @see https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/billing_budget
 * @example
 * new GcpBudget(this, 'budget', { name: 'idp-prod-monthly', billingAccountId: '012345-6789AB-CDEF01', monthlyLimit: 10000, emails: ['finops@example.com'] });
 */
export class GcpBudget extends Construct implements Budget {
  readonly budgetId: string;

  constructor(scope: Construct, id: string, props: GcpBudgetProps) {
    super(scope, id);
    const { resolved, problems } = resolveBudgetProps(this.node.path, props, {
      ...GCP_BUDGET_LIMITS,
      maxEmails: props.notificationChannelIds ? Number.POSITIVE_INFINITY : GCP_BUDGET_LIMITS.maxEmails,
    });
    if (!BILLING_ACCOUNT_ID.test(props.billingAccountId)) {
      problems.push(`${this.node.path}: billingAccountId "${props.billingAccountId}" is not a billing account id (XXXXXX-XXXXXX-XXXXXX, uppercase hex)`);
    }
    const channelCount = props.notificationChannelIds?.length;
    if (channelCount !== undefined && (channelCount < 1 || channelCount > GCP_BUDGET_LIMITS.maxEmails)) {
      problems.push(`${this.node.path}: notificationChannelIds lists ${channelCount} channels (allowed: 1 to ${GCP_BUDGET_LIMITS.maxEmails})`);
    }
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
    const channels = props.notificationChannelIds ?? new GcpAlertRecipients(this, 'recipients', { name: resolved.name, emails: resolved.emails }).notificationChannelIds;
    const projectNumber = props.projectNumber ?? gcpContext(this).projectNumber;
    const units = Math.trunc(resolved.monthlyLimit);
    const nanos = Math.round((resolved.monthlyLimit - units) * 1e9);
    const budget = new BillingBudget(this, 'budget', {
      billingAccount: props.billingAccountId,
      displayName: resolved.name,
      amount: { specifiedAmount: { currencyCode: resolved.currency, units: String(units), nanos: nanos > 0 ? nanos : undefined } },
      budgetFilter: {
        projects: [`projects/${projectNumber}`],
        calendarPeriod: 'MONTH',
        labels: props.environmentLabel === undefined ? undefined : { [gcpLabelKey('environment')]: gcpLabelValue(props.environmentLabel) },
      },
      thresholdRules: resolved.alerts.map((alert) => ({
        spendBasis: alert.basis === 'actual' ? 'CURRENT_SPEND' : 'FORECASTED_SPEND',
        thresholdPercent: alert.thresholdPercent / 100,
      })),
      allUpdatesRule: { monitoringNotificationChannels: [...channels], disableDefaultIamRecipients: false },
      dependsOn: requireServices(this, [GCP_SERVICES.billingbudgets]),
    });
    this.budgetId = budget.id;
  }
}
