/**
 * The policy engine: rules are pure functions over one resource (or a whole stack) of synthesized
 * Terraform JSON (`cdktf.out/stacks/<stack>/cdk.tf.json`), so they check what idpkit writes and
 * any other cdktf output alike. {@link checkStack} runs a rule pack over one stack;
 * {@link applySuppressions} removes the findings an environment suppresses, with a reason.
 */
import { TIERS, Tier } from '../core/tiers';
import { Finding, Severity } from './findings';
import { ALL_RULES, APP_RULES } from './rules';
import { resourcesOf } from './private/terraform-json';
import type { AppRule, Rule, RuleInfo, TerraformJson } from './rule';

export type { AppRule, AppViolation, Rule, RuleContext, RuleInfo, RuleResult, RuleSeverity, TerraformJson } from './rule';

/** Options of {@link checkApp}. */
export interface CheckAppOptions {
  /** The tier each stack is checked for. @default - DEFAULT_POLICY_TIER for every stack */
  readonly tierOf?: (stack: string) => Tier;
  /** The rules to run. @default APP_RULES (the apply and cost packs) */
  readonly rules?: readonly AppRule[];
}

/** Runs the app rules over every stack of a synthesized app and returns their findings, in rule order. */
export function checkApp(stacks: Readonly<Record<string, TerraformJson>>, options: CheckAppOptions = {}): Finding[] {
  const tierOf = options.tierOf ?? (() => DEFAULT_POLICY_TIER);
  return (options.rules ?? APP_RULES).flatMap((rule) =>
    rule.checkApp(stacks).flatMap((violation): Finding[] => {
      const severity = severityIn(rule, tierOf(violation.stack));
      if (severity === 'off') return [];
      const subject = violation.resource ?? violation.stack;
      const base = violation.resource ? (violation.resource.startsWith('data.') ? violation.resource : `resource.${violation.resource}`) : '$';
      return [
        {
          rule: rule.id,
          severity,
          stack: violation.stack,
          file: `stacks/${violation.stack}/cdk.tf.json`,
          ...(violation.resource ? { resource: violation.resource } : {}),
          path: violation.attribute ? `${base}.${violation.attribute}` : base,
          message: `${subject}${violation.attribute ? ` ${violation.attribute}` : ''}: ${violation.problem}`,
          fix: rule.fix,
        },
      ];
    }),
  );
}

/** Options of {@link checkStack}. */
export interface CheckStackOptions {
  /** The stack's name. */
  readonly stack: string;
  /** The tier to check for. @default DEFAULT_POLICY_TIER (the strictest) */
  readonly tier?: Tier;
  /** The stack file, relative to the output directory, set on each finding. @default stacks/<stack>/cdk.tf.json */
  readonly file?: string;
  /** The rules to run. @default ALL_RULES (every pack) */
  readonly rules?: readonly Rule[];
}

/** Tier used when none is given: the strictest, so an unknown stack is not waved through. */
export const DEFAULT_POLICY_TIER: Tier = 'prod';

/** A suppression: data, not a comment. `resource` is a Terraform address (`type.name`) or, for stack rules, the stack name. */
export interface Suppression {
  /** The rule id, e.g. `IDP-AWS-005`. */
  readonly rule: string;
  /** The Terraform address (`aws_db_instance.database_instance_1234ABCD`) or the stack name. */
  readonly resource: string;
  /** Why the finding is accepted; required. */
  readonly reason: string;
}

/** The rule id of the findings about suppressions themselves (no reason, matches nothing). */
export const SUPPRESSION_RULE_ID = 'IDP-POLICY-001';

/** The severity a rule has in a tier, or `off`. */
export function severityIn(rule: RuleInfo, tier: Tier): Severity | 'off' {
  return typeof rule.severity === 'string' ? rule.severity : rule.severity[tier];
}

/** Runs the rules over one synthesized stack document and returns the non-compliant findings. */
export function checkStack(document: TerraformJson, options: CheckStackOptions): Finding[] {
  const tier = options.tier ?? DEFAULT_POLICY_TIER;
  const file = options.file ?? `stacks/${options.stack}/cdk.tf.json`;
  const findings: Finding[] = [];
  for (const rule of options.rules ?? ALL_RULES) {
    const severity = severityIn(rule, tier);
    if (severity === 'off') continue;
    const finding = (resource: string | undefined, path: string): Finding => ({
      rule: rule.id,
      severity,
      stack: options.stack,
      file,
      ...(resource ? { resource } : {}),
      path,
      message: `${resource ?? options.stack} does not meet: ${rule.summary}`,
      fix: rule.fix,
    });
    if (rule.appliesTo === 'stack') {
      if (rule.check(document, { tier, stack: options.stack, document, type: '', name: '' }) === 'non-compliant') findings.push(finding(undefined, '$'));
      continue;
    }
    for (const type of rule.appliesTo) {
      for (const [name, body] of Object.entries(resourcesOf(document, type))) {
        if (rule.check(body, { tier, stack: options.stack, document, type, name }) === 'non-compliant') {
          findings.push(finding(`${type}.${name}`, `resource.${type}.${name}`));
        }
      }
    }
  }
  return findings;
}

/** The findings of {@link applySuppressions}. */
export interface SuppressionOutcome {
  /** Findings left, plus {@link SuppressionOutcome.problems}. */
  readonly findings: readonly Finding[];
  /** Findings a suppression removed. */
  readonly suppressed: readonly Finding[];
  /** Errors about the suppressions themselves: without a reason, or matching nothing. */
  readonly problems: readonly Finding[];
}

/** Whether a suppression names a finding: same rule, and its resource address (or, for stack findings, the stack name). */
export function suppressionMatches(suppression: Suppression, finding: Finding): boolean {
  return suppression.rule === finding.rule && suppression.resource === (finding.resource ?? finding.stack);
}

/**
 * Removes the findings a suppression matches (same rule; same resource address, or the stack name
 * for stack findings). A suppression without a reason does not suppress and is an error; so is one
 * that matches no finding (it is stale, or has a typo). `owner` names where the suppressions come
 * from in those errors (e.g. the environment's name), `field` the list's path there.
 */
export function applySuppressions(
  findings: readonly Finding[],
  suppressions: readonly Suppression[],
  owner: string,
  stack: string,
  field = 'policy.suppressions',
): SuppressionOutcome {
  const problems: Finding[] = [];
  const valid = suppressions.filter((suppression, index) => {
    if (suppression.reason?.trim()) return true;
    problems.push({
      rule: SUPPRESSION_RULE_ID,
      severity: 'error',
      stack,
      path: `${field}[${index}]`,
      message: `${owner}: ${field}[${index}] (${suppression.rule} on ${suppression.resource}) has no reason`,
      fix: 'Say why the finding is accepted in "reason", or fix the resource and remove the suppression.',
    });
    return false;
  });
  const matches = suppressionMatches;
  const suppressed = findings.filter((finding) => valid.some((suppression) => matches(suppression, finding)));
  suppressions.forEach((suppression, index) => {
    if (valid.includes(suppression) && !findings.some((finding) => matches(suppression, finding))) {
      problems.push({
        rule: SUPPRESSION_RULE_ID,
        severity: 'error',
        stack,
        path: `${field}[${index}]`,
        message: `${owner}: ${field}[${index}] (${suppression.rule} on ${suppression.resource}) matches no finding`,
        fix: 'Remove the stale suppression, or correct its rule id and Terraform address (type.name, or the stack name for stack rules).',
      });
    }
  });
  return { findings: [...findings.filter((finding) => !suppressed.includes(finding)), ...problems], suppressed, problems };
}

/** Every tier, for rules and docs that list severities per tier. */
export const POLICY_TIERS: readonly Tier[] = TIERS;
