/**
 * `idpkit check <cdktf.out> [--format table|json|sarif] [--tier dev|staging|prod]`: runs every
 * policy rule pack (docs/policy-rules.md) over a synthesized directory, idpkit's or any other
 * cdktf output, without cloud credentials or Terraform. The table groups findings by stack; JSON
 * is for scripts; SARIF 2.1.0 is for GitHub code scanning.
 *
 * Exit codes: 0 no finding or warnings only, 4 at least one error finding, 1 an unreadable
 * directory, 2 usage.
 */
import { Argument, Command, Option } from 'commander';
import { TIERS, Tier } from '../../core/tiers';
import { checkStack, DEFAULT_POLICY_TIER, Rule, severityIn } from '../../policy/engine';
import { Finding } from '../../policy/findings';
import { ALL_RULES } from '../../policy/rules';
import { readSynthesizedOutput } from './diff';
import { CliIo, EXIT_OK, TABLE_WIDTH, renderTable } from './io';

/** `idpkit check`: at least one finding has severity error (the report was written). */
export const EXIT_POLICY_ERRORS = 4;

/** Output formats of `idpkit check`. */
export const CHECK_FORMATS = ['table', 'json', 'sarif'] as const;

/** An output format: a table for people, JSON for scripts, SARIF for code scanning. */
export type CheckFormat = (typeof CHECK_FORMATS)[number];

/** Default output format of `idpkit check`. */
export const DEFAULT_CHECK_FORMAT: CheckFormat = 'table';

/** The SARIF version written, and its schema. */
export const SARIF_VERSION = '2.1.0';
const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** What `idpkit check` found in a directory. */
export interface CheckReport {
  /** The directory checked, as given. */
  readonly dir: string;
  /** The tier the stacks were checked for. */
  readonly tier: Tier;
  /** Findings, stack by stack, in rule order. */
  readonly findings: readonly Finding[];
}

/** Checks every stack of a synthesized directory (relative paths resolve against `cwd`). */
export function checkSynthesizedOutput(dir: string, tier: Tier = DEFAULT_POLICY_TIER, cwd: string = process.cwd(), rules: readonly Rule[] = ALL_RULES): CheckReport {
  const output = readSynthesizedOutput(dir, cwd);
  const findings = Object.entries(output.stacks).flatMap(([stack, document]) => checkStack(document, { stack, tier, rules }));
  return { dir, tier, findings };
}

/** The report as a table grouped by stack, with a summary line. */
export function renderCheckTable(report: CheckReport): string {
  const errors = report.findings.filter((finding) => finding.severity === 'error').length;
  const summary = `${errors} error(s), ${report.findings.length - errors} warning(s) in ${report.dir} (tier ${report.tier})\n`;
  if (report.findings.length === 0) return `No findings: every stack passes the policy rules.\n${summary}`;
  const stacks = [...new Set(report.findings.map((finding) => finding.stack))];
  const sections = stacks.map((stack) => {
    const rows = report.findings
      .filter((finding) => finding.stack === stack)
      .map((finding) => [finding.severity, finding.rule, `${finding.message}\nFix: ${finding.fix}`]);
    return `${stack}\n${renderTable(['Severity', 'Rule', 'Finding'], rows, [10, 13, TABLE_WIDTH - 27])}`;
  });
  return `${sections.join('\n')}\n${summary}`;
}

/** The report as JSON: `{ dir, tier, errors, warnings, findings }`. */
export function renderCheckJson(report: CheckReport): string {
  const errors = report.findings.filter((finding) => finding.severity === 'error').length;
  return `${JSON.stringify({ dir: report.dir, tier: report.tier, errors, warnings: report.findings.length - errors, findings: report.findings }, null, 2)}\n`;
}

/**
 * The report as SARIF 2.1.0: one run whose driver lists every rule (id, summary, fix, default
 * level for the tier), and one result per finding with its rule id, level and the stack file as
 * location (relative to the checked directory, with the JSON path as a logical location).
 */
export function renderCheckSarif(report: CheckReport, rules: readonly Rule[] = ALL_RULES): string {
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: 'idpkit',
            rules: rules.map((rule) => {
              const level = severityIn(rule, report.tier);
              return {
                id: rule.id,
                shortDescription: { text: rule.summary },
                help: { text: rule.fix },
                defaultConfiguration: level === 'off' ? { enabled: false } : { level },
              };
            }),
          },
        },
        results: report.findings.map((finding) => ({
          ruleId: finding.rule,
          level: finding.severity,
          message: { text: `${finding.message}. Fix: ${finding.fix}` },
          locations: [
            {
              physicalLocation: { artifactLocation: { uri: finding.file ?? `stacks/${finding.stack}/cdk.tf.json`, uriBaseId: 'CDKTF_OUT' } },
              logicalLocations: [{ fullyQualifiedName: finding.path ?? finding.stack, name: finding.resource ?? finding.stack }],
            },
          ],
        })),
        originalUriBaseIds: { CDKTF_OUT: { uri: `${report.dir.replace(/\/?$/, '/')}` } },
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

/** Adds `idpkit check <cdktf.out>` to the program: exit 0 (clean or warnings), 4 (errors found). */
export function addCheckCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('check')
    .description('run the policy rule packs over a synthesized cdktf.out directory (exit 4 on error findings)')
    .addArgument(new Argument('<cdktf-out>', 'the synthesized output, e.g. cdktf.out'))
    .addOption(new Option('--format <format>', 'output format').choices(CHECK_FORMATS).default(DEFAULT_CHECK_FORMAT))
    .addOption(new Option('--tier <tier>', 'the tier whose severities apply').choices(TIERS).default(DEFAULT_POLICY_TIER))
    .addHelpText(
      'after',
      '\nExit codes: 0 no finding or warnings only, 4 error findings, 1 an unreadable directory, 2 usage.\n\nExamples:\n  idpkit check cdktf.out\n  idpkit check cdktf.out --tier dev --format sarif > idpkit.sarif\n',
    )
    .action((dir: string, options: { format: CheckFormat; tier: Tier }) => {
      const report = checkSynthesizedOutput(dir, options.tier, io.cwd ?? process.cwd());
      const render = { table: renderCheckTable, json: renderCheckJson, sarif: (r: CheckReport) => renderCheckSarif(r) }[options.format];
      io.stdout.write(render(report));
      setExitCode(report.findings.some((finding) => finding.severity === 'error') ? EXIT_POLICY_ERRORS : EXIT_OK);
    });
}
