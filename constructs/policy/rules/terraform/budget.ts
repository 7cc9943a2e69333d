import type { Rule } from '../../rule';
import { resourcesOf } from '../../private/terraform-json';

/** Resource types that are a cost budget with alerts. */
export const BUDGET_RESOURCE_TYPES = [
  'aws_budgets_budget',
  'azurerm_consumption_budget_subscription',
  'azurerm_consumption_budget_resource_group',
  'google_billing_budget',
] as const;

/** Suffix of the per-environment infrastructure stacks (`<env>-infra`). */
const INFRA_STACK_SUFFIX = '-infra';

/** IDP-TF-002: each environment's infrastructure stack has a budget with alerts. */
export const budgetRule: Rule = {
  id: 'IDP-TF-002',
  severity: { dev: 'warning', staging: 'error', prod: 'error' },
  summary: 'Environment infrastructure stack has a cost budget with alerts',
  fix: 'Set budget.monthlyLimit and alerts.emails on the environment (idpkit adds an AWS Budgets, Azure consumption or GCP billing budget).',
  appliesTo: 'stack',
  check(document, context) {
    if (!context.stack.endsWith(INFRA_STACK_SUFFIX)) return 'not-applicable';
    return BUDGET_RESOURCE_TYPES.some((type) => Object.keys(resourcesOf(document, type)).length > 0) ? 'compliant' : 'non-compliant';
  },
};
