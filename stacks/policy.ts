/**
 * Policy enforcement at synthesis: runs every rule pack (constructs/policy) over each synthesized
 * stack with its environment's tier, applies the environments' suppressions, prints warnings and
 * throws on errors (IDPKIT_POLICY).
 */
import { IdpkitError } from '../constructs/core/errors';
import { Tier } from '../constructs/core/tiers';
import { applySuppressions, checkApp, checkStack, DEFAULT_POLICY_TIER, suppressionMatches } from '../constructs/policy/engine';
import { Finding, SuppressedFinding } from '../constructs/policy/findings';
import { readSynthesizedOutput } from '../constructs/core/synthesized-output';
import { Environment, stateLocationOf } from '../environments/types';
import { infraStackName } from './infra-stack';
import { platformStackName } from './platform-stack';
import { stateBootstrapStackName } from './state-bootstrap-stack';

/** Tiers from the least to the most strict: a stack shared by environments is checked for the strictest. */
const TIER_STRICTNESS: readonly Tier[] = ['dev', 'staging', 'prod'];

/** The result of {@link enforcePolicies}. */
export interface PolicyReport {
  /** Findings left after suppressions (warnings only, or it would have thrown). */
  readonly findings: readonly Finding[];
  /** Findings an environment's suppressions removed, each with the suppression's reason. */
  readonly suppressed: readonly SuppressedFinding[];
}

/**
 * The policy report every synthesis writes into the output directory: SARIF 2.1.0 with each
 * warning and each suppressed finding (with its reason), for GitHub code scanning (ci.yml uploads
 * it). Errors fail synthesis, so they are in the error message instead.
 */
export const POLICY_REPORT_FILE = 'idpkit-policy.sarif';

/** Options of {@link enforcePolicies}. */
export interface EnforcePoliciesOptions {
  /** Where warnings are printed. @default process.stderr */
  readonly warn?: (text: string) => void;
}

/** The stacks an environment owns or shares (its state bootstrap stack). */
export function stacksOfEnvironment(env: Environment): readonly string[] {
  const location = stateLocationOf(env);
  return [infraStackName(env.name), platformStackName(env.name), ...(location ? [stateBootstrapStackName(location.name)] : [])];
}

/** One line per finding: `stack: RULE resource: summary (fix: ...)`. */
export function formatFinding(finding: Finding): string {
  return `${finding.stack}: ${finding.rule} ${finding.message} (fix: ${finding.fix})`;
}

/**
 * Checks every stack in `outdir` against the rule packs, each with the tier of the environment
 * that owns it (the strictest, for a shared bootstrap stack), and the whole app against the apply
 * pack; applies each environment's
 * `policy.suppressions` to the findings of its stacks. Prints warnings; throws IdpkitError
 * `IDPKIT_POLICY` listing every error finding, including suppressions without a reason or that
 * match nothing.
 */
export function enforcePolicies(outdir: string, environments: readonly Environment[], options: EnforcePoliciesOptions = {}): PolicyReport {
  const output = readSynthesizedOutput(outdir);
  const owners = (stack: string) => environments.filter((env) => stacksOfEnvironment(env).includes(stack));
  const tierOf = (stack: string): Tier => {
    const tiers = owners(stack).map((env) => env.tier);
    return tiers.length > 0 ? TIER_STRICTNESS.filter((candidate) => tiers.includes(candidate)).at(-1)! : DEFAULT_POLICY_TIER;
  };
  let findings: Finding[] = Object.entries(output.stacks).flatMap(([stack, document]) => checkStack(document, { stack, tier: tierOf(stack) }));
  findings.push(...checkApp(output.stacks, { tierOf }));
  // Each environment's suppressions are matched against every finding of its stacks, so two
  // environments sharing a bootstrap stack may both suppress the same finding.
  const suppressed = new Map<Finding, string>();
  const problems: Finding[] = [];
  for (const env of environments) {
    const suppressions = env.policy?.suppressions ?? [];
    if (suppressions.length === 0) continue;
    const stacks = stacksOfEnvironment(env);
    const outcome = applySuppressions(
      findings.filter((finding) => stacks.includes(finding.stack)),
      suppressions,
      `environment "${env.name}"`,
      infraStackName(env.name),
    );
    for (const finding of outcome.suppressed) {
      if (!suppressed.has(finding)) suppressed.set(finding, suppressions.find((suppression) => suppressionMatches(suppression, finding))!.reason);
    }
    problems.push(...outcome.problems);
  }
  findings = [...findings.filter((finding) => !suppressed.has(finding)), ...problems];
  const errors = findings.filter((finding) => finding.severity === 'error');
  if (errors.length > 0) throw new IdpkitError('IDPKIT_POLICY', errors.map(formatFinding));
  const warn = options.warn ?? ((text: string) => process.stderr.write(text));
  for (const warning of findings) warn(`idpkit: warning: ${formatFinding(warning)}\n`);
  return { findings, suppressed: [...suppressed].map(([finding, reason]) => ({ ...finding, reason })) };
}
