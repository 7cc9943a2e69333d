import { Tier } from '../../../constructs/core/tiers';
import { Rule, RuleResult, TerraformJson } from '../../../constructs/policy/engine';

/** What a rule says about one resource body, checked in a stack document holding `others`. */
export function verdict(rule: Rule, body: TerraformJson, options: { tier?: Tier; document?: TerraformJson; type?: string; name?: string; stack?: string } = {}): RuleResult {
  const type = options.type ?? (rule.appliesTo === 'stack' ? '' : rule.appliesTo[0]);
  return rule.check(body, { tier: options.tier ?? 'prod', stack: options.stack ?? 'prod-infra', document: options.document ?? {}, type, name: options.name ?? 'subject' });
}

/** What a stack rule says about a document. */
export function stackVerdict(rule: Rule, document: TerraformJson, options: { tier?: Tier; stack?: string } = {}): RuleResult {
  return rule.check(document, { tier: options.tier ?? 'prod', stack: options.stack ?? 'prod-infra', document, type: '', name: '' });
}

/** An IAM policy document as the JSON string cdktf writes. */
export const policyJson = (...statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
