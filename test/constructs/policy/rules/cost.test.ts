import { App } from '../../../../constructs/core/cdktf';
import { AppRule, checkApp, TerraformJson } from '../../../../constructs/policy/engine';
import { APP_RULES, APPLY_RULES, EVERY_RULE } from '../../../../constructs/policy/rules';
import { COST_RULES, budgetEstimateRule } from '../../../../constructs/policy/rules/cost';
import { azureDev } from '../../../../environments/examples';
import { validateEnvironments } from '../../../../environments/types';
import { addPlatformStacks } from '../../../../stacks/app';
import { enforcePolicies } from '../../../../stacks/policy';
import { tempDir } from '../../../cli/cli-helpers';

/** What a rule reports over an app, one line per violation: `stack resource attribute`. */
const report = (rule: AppRule, stacks: Record<string, TerraformJson>): string[] =>
  rule.checkApp(stacks).map((violation) => [violation.stack, violation.resource, violation.attribute].join(' '));

/** An EKS cluster in eu-west-1: its control plane is $0.10/hour x 730 h = $73.00 a month; its spot node group has no price: 1 line not priced. */
const eksStack = (budget: object) => ({
  provider: { aws: [{ region: 'eu-west-1' }] },
  resource: {
    aws_eks_cluster: { cluster: { name: 'idp-dev', version: '1.35', upgrade_policy: { support_type: 'STANDARD' } } },
    aws_eks_node_group: { batch: { node_group_name: 'batch', instance_types: ['m6i.large'], capacity_type: 'SPOT', scaling_config: { desired_size: 1, min_size: 1, max_size: 3 } } },
    aws_budgets_budget: { budget: { name: 'idpkit-dev', budget_type: 'COST', time_unit: 'MONTHLY', ...budget } },
  },
});

describe('the cost pack', () => {
  test('has IDP-COST-001, a warning in every tier, run with the apply pack over the whole app and listed in reports', () => {
    expect(COST_RULES.map((rule) => rule.id)).toEqual(['IDP-COST-001']);
    expect(budgetEstimateRule.severity).toBe('warning');
    expect(APP_RULES).toEqual([...APPLY_RULES, ...COST_RULES]);
    expect(EVERY_RULE).toContain(budgetEstimateRule);
  });
});

describe('IDP-COST-001: an environment\'s priced monthly estimate stays within its budget', () => {
  test('fails: $73.00 a month of control plane against a 50 USD budget; the finding names the budget, both figures, the stacks and the lines left out', () => {
    const stacks = { 'dev-infra': eksStack({ limit_amount: '50', limit_unit: 'USD' }), 'dev-platform': { resource: {} } };
    expect(checkApp(stacks, { rules: [budgetEstimateRule] })).toEqual([
      {
        rule: 'IDP-COST-001',
        severity: 'warning',
        stack: 'dev-infra',
        file: 'stacks/dev-infra/cdk.tf.json',
        resource: 'aws_budgets_budget.budget',
        path: 'resource.aws_budgets_budget.budget.limit_amount',
        message:
          'aws_budgets_budget.budget limit_amount: environment "dev" is estimated at $73.00 a month (stacks dev-infra, dev-platform), above its budget of 50 (USD; budget.monthlyLimit); ' +
          '1 line(s) not priced are not included, so the bill is higher still',
        fix: budgetEstimateRule.fix,
      },
    ]);
  });

  test('passes: the same environment with a 100 USD budget, and one whose limit equals the estimate', () => {
    expect(report(budgetEstimateRule, { 'dev-infra': eksStack({ limit_amount: '100', limit_unit: 'USD' }) })).toEqual([]);
    expect(report(budgetEstimateRule, { 'dev-infra': eksStack({ limit_amount: '73', limit_unit: 'USD' }) })).toEqual([]);
  });

  test('not compared: a budget in another currency (no exchange rates offline), or a limit that is a reference', () => {
    expect(report(budgetEstimateRule, { 'dev-infra': eksStack({ limit_amount: '50', limit_unit: 'EUR' }) })).toEqual([]);
    expect(report(budgetEstimateRule, { 'dev-infra': eksStack({ limit_amount: '${var.limit}', limit_unit: 'USD' }) })).toEqual([]);
  });

  test('fails on GCP (amount.specified_amount.units) and on Azure (amount, in the billing account\'s currency, compared as USD)', () => {
    const gcp = {
      provider: { google: [{ region: 'europe-west1', project: 'p' }] },
      resource: {
        google_container_cluster: { cluster: { name: 'idp-gcp-dev', location: 'europe-west1' } },
        google_billing_budget: { budget: { display_name: 'idpkit-gcp-dev', amount: { specified_amount: { currency_code: 'USD', units: '70' } } } },
      },
    };
    expect(report(budgetEstimateRule, { 'gcp-dev-infra': gcp })).toEqual(['gcp-dev-infra google_billing_budget.budget amount.specified_amount.units']);
    const azure = {
      provider: { azurerm: [{ features: [{}] }] },
      resource: {
        // One Standard_D2s_v5 in westeurope: $0.115/hour x 730 h = $83.95 a month.
        azurerm_kubernetes_cluster: { aks: { name: 'idp-azure-dev', location: 'westeurope', sku_tier: 'Free', default_node_pool: { name: 'system', vm_size: 'Standard_D2s_v5', node_count: 1 } } },
        azurerm_consumption_budget_subscription: { budget: { name: 'idpkit-azure-dev', amount: 80, time_grain: 'Monthly' } },
      },
    };
    const [finding] = budgetEstimateRule.checkApp({ 'azure-dev-infra': azure });
    expect(finding).toMatchObject({ stack: 'azure-dev-infra', resource: 'azurerm_consumption_budget_subscription.budget', attribute: 'amount' });
    expect(finding.problem).toContain("is estimated at $83.95 a month (stacks azure-dev-infra), above its budget of 80 (the billing account's currency, compared as USD; budget.monthlyLimit)");
  });

  test('an output the cost model refuses (a region AWS does not have) is a finding that says no budget was compared', () => {
    const stacks = { 'dev-infra': { ...eksStack({ limit_amount: '50', limit_unit: 'USD' }), provider: { aws: [{ region: 'eu-middle-9' }] } } };
    const [finding] = budgetEstimateRule.checkApp(stacks);
    expect(finding.stack).toBe('dev-infra');
    expect(finding.problem).toMatch(/^the cost could not be estimated, so no budget was compared: stack "dev-infra": region "eu-middle-9" is not a known aws region/);
  });

  describe('at synthesis, over the Azure example ($615.26 a month, every line priced: docs/cost.md works it out)', () => {
    function warningsOf(monthlyLimit: number): string[] {
      const dir = tempDir('idpkit-cost-rule-');
      const environments = validateEnvironments([{ ...azureDev, budget: { monthlyLimit } }]);
      const app = new App({ outdir: dir });
      addPlatformStacks(app, environments);
      app.synth();
      const warnings: string[] = [];
      enforcePolicies(dir, environments, { warn: (text) => warnings.push(text) });
      return warnings.filter((warning) => warning.includes('IDP-COST-001'));
    }

    test('fails: a 300 budget is warned about, the synthesis goes on', () => {
      const warnings = warningsOf(300);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^idpkit: warning: azure-dev-infra: IDP-COST-001 azurerm_consumption_budget_subscription\.\S+ amount: environment "azure-dev" is estimated at \$615\.26 a month \(stacks azure-dev-infra, azure-dev-platform\), above its budget of 300 /);
      expect(warnings[0]).not.toContain('not priced'); // every line of azure-dev has a price
    });

    test('passes: the example\'s own budget of 2000', () => {
      expect(warningsOf(2000)).toEqual([]);
    });
  });
});
