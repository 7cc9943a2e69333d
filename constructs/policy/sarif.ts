/**
 * Policy reports as SARIF 2.1.0, for GitHub code scanning: what `idpkit check --format sarif`
 * prints and what every synthesis writes (stacks/policy.ts, POLICY_REPORT_FILE).
 */
import type { Tier } from '../core/tiers';
import { RuleInfo, severityIn } from './engine';
import { Finding, SuppressedFinding } from './findings';
import { EVERY_RULE } from './rules';

/** The SARIF version written, and its schema. */
export const SARIF_VERSION = '2.1.0';
const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** What a policy check found: by `idpkit check` in a directory, or by synthesis. */
export interface CheckReport {
  /** The directory checked, as given. */
  readonly dir: string;
  /** The tier the stacks were checked for; undefined when each stack had its environment's tier (synthesis). */
  readonly tier?: Tier;
  /** Findings, stack by stack, in rule order; then errors about the suppressions themselves. */
  readonly findings: readonly Finding[];
  /** Findings a suppression accepted, each with the suppression's reason. */
  readonly suppressed: readonly SuppressedFinding[];
}

/**
 * The report as SARIF 2.1.0: one run whose driver lists every rule (id, summary, fix, default
 * level for the tier), and one result per finding with its rule id, level and the stack file as
 * location (relative to the checked directory, with the JSON path as a logical location).
 * Suppressed findings are results too, with an accepted external suppression and its reason, so
 * code scanning shows them as dismissed rather than open.
 */
export function renderCheckSarif(report: CheckReport, rules: readonly RuleInfo[] = EVERY_RULE): string {
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: 'idpkit',
            rules: rules.map((rule) => {
              const level = report.tier && severityIn(rule, report.tier);
              return {
                id: rule.id,
                shortDescription: { text: rule.summary },
                help: { text: rule.fix },
                ...(level ? { defaultConfiguration: level === 'off' ? { enabled: false } : { level } } : {}),
              };
            }),
          },
        },
        results: [
          ...report.findings.map((finding) => sarifResult(finding)),
          ...report.suppressed.map((finding) => ({ ...sarifResult(finding), suppressions: [{ kind: 'external', status: 'accepted', justification: finding.reason }] })),
        ],
        originalUriBaseIds: { CDKTF_OUT: { uri: `${report.dir.replace(/\/?$/, '/')}` } },
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

/** One SARIF result: rule id, level, message with the fix, the stack file and the JSON path. */
function sarifResult(finding: Finding) {
  return {
    ruleId: finding.rule,
    level: finding.severity,
    message: { text: `${finding.message}. Fix: ${finding.fix}` },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: finding.file ?? `stacks/${finding.stack}/cdk.tf.json`, uriBaseId: 'CDKTF_OUT' } },
        logicalLocations: [{ fullyQualifiedName: finding.path ?? finding.stack, name: finding.resource ?? finding.stack }],
      },
    ],
  };
}
