/**
 * What `idpkit check` runs over a synthesized directory, as a function: every rule pack with one
 * tier, then the suppressions. The CLI prints its report; a team app's synth (IdpkitApp) throws on
 * its errors.
 */
import { readSynthesizedOutput } from '../core/synthesized-output';
import { Tier } from '../core/tiers';
import { AppRule, applySuppressions, checkApp, checkStack, DEFAULT_POLICY_TIER, Rule, Suppression, suppressionMatches } from './engine';
import { ALL_RULES, APP_RULES } from './rules';
import { CheckReport } from './sarif';

/** Options of {@link checkSynthesizedOutput}. */
export interface CheckOptions {
  /** The tier whose severities apply. @default DEFAULT_POLICY_TIER (prod) */
  readonly tier?: Tier;
  /** Where relative paths resolve. @default process.cwd() */
  readonly cwd?: string;
  /** The resource and stack rules to run. @default ALL_RULES */
  readonly rules?: readonly Rule[];
  /** The rules over the whole app to run. @default APP_RULES (the apply and cost packs) */
  readonly appRules?: readonly AppRule[];
  /** Findings accepted on purpose; one without a reason, or matching nothing, is an error finding. @default - none */
  readonly suppressions?: readonly Suppression[];
  /** Where the suppressions come from, named in errors about them. @default "suppressions" */
  readonly suppressionsSource?: string;
  /** The field that holds them there, named in errors about them (an environment's: "policy.suppressions"). @default "suppressions" */
  readonly suppressionsField?: string;
}

/** Checks every stack of a synthesized directory and applies the suppressions given. */
export function checkSynthesizedOutput(dir: string, options: CheckOptions = {}): CheckReport {
  const tier = options.tier ?? DEFAULT_POLICY_TIER;
  const output = readSynthesizedOutput(dir, options.cwd ?? process.cwd());
  const findings = [
    ...Object.entries(output.stacks).flatMap(([stack, document]) => checkStack(document, { stack, tier, rules: options.rules ?? ALL_RULES })),
    ...checkApp(output.stacks, { tierOf: () => tier, rules: options.appRules ?? APP_RULES }),
  ];
  const suppressions = options.suppressions ?? [];
  if (suppressions.length === 0) return { dir, tier, findings, suppressed: [] };
  const source = options.suppressionsSource ?? 'suppressions';
  const outcome = applySuppressions(findings, suppressions, source, source, options.suppressionsField ?? 'suppressions');
  const suppressed = outcome.suppressed.map((finding) => ({ ...finding, reason: suppressions.find((suppression) => suppressionMatches(suppression, finding))!.reason }));
  return { dir, tier, findings: outcome.findings, suppressed };
}
