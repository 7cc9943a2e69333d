/**
 * `idpkit check <cdktf.out> [--format table|json|sarif] [--tier dev|staging|prod]
 * [--suppressions <file>]`: runs every policy rule pack (docs/policy-rules.md) over a synthesized
 * directory, idpkit's or any other cdktf output, without cloud credentials or Terraform. The table
 * groups findings by stack; JSON is for scripts; SARIF 2.1.0 is for GitHub code scanning (where
 * suppressed findings appear as suppressed results with their reason).
 *
 * Exit codes: 0 no finding or warnings only, 4 at least one error finding, 1 an unreadable
 * directory, 2 usage.
 */
import { Argument, Command, Option } from 'commander';
import { resolve } from 'node:path';
import { TIERS, Tier } from '../constructs/core/tiers';
import { loadPolicyFile } from '../environments/load';
import { checkSynthesizedOutput } from '../constructs/policy/check';
import { DEFAULT_POLICY_TIER } from '../constructs/policy/engine';
import { CheckReport, renderCheckSarif } from '../constructs/policy/sarif';
import { CliIo, EXIT_OK, TABLE_WIDTH, renderTable } from './io';

/** `idpkit check`: at least one finding has severity error (the report was written). */
export const EXIT_POLICY_ERRORS = 4;

/** Output formats of `idpkit check`. */
export const CHECK_FORMATS = ['table', 'json', 'sarif'] as const;

/** An output format: a table for people, JSON for scripts, SARIF for code scanning. */
export type CheckFormat = (typeof CHECK_FORMATS)[number];

/** Default output format of `idpkit check`. */
export const DEFAULT_CHECK_FORMAT: CheckFormat = 'table';

/** The report as a table grouped by stack, with a summary line. */
export function renderCheckTable(report: CheckReport): string {
  const errors = report.findings.filter((finding) => finding.severity === 'error').length;
  const suppressed = report.suppressed.length > 0 ? `, ${report.suppressed.length} suppressed` : '';
  const summary = `${errors} error(s), ${report.findings.length - errors} warning(s)${suppressed} in ${report.dir} (tier ${report.tier})\n`;
  if (report.findings.length === 0) return `No findings: every stack passes the policy rules.\n${summary}`;
  const stacks = [...new Set(report.findings.map((finding) => finding.stack))];
  const sections = stacks.map((stack) => {
    const rows = report.findings
      .filter((finding) => finding.stack === stack)
      .map((finding) => [finding.severity, finding.rule, `${finding.message}\nFix: ${finding.fix}`]);
    return `${stack}\n${renderTable(['Severity', 'Rule', 'Finding'], rows, [10, 16, TABLE_WIDTH - 30])}`;
  });
  return `${sections.join('\n')}\n${summary}`;
}

/** The report as JSON: `{ dir, tier, errors, warnings, findings, suppressed }`. */
export function renderCheckJson(report: CheckReport): string {
  const errors = report.findings.filter((finding) => finding.severity === 'error').length;
  const json = { dir: report.dir, tier: report.tier, errors, warnings: report.findings.length - errors, findings: report.findings, suppressed: report.suppressed };
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** Adds `idpkit check <cdktf.out>` to the program: exit 0 (clean or warnings), 4 (errors found). */
export function addCheckCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('check')
    .description('run the policy rule packs over a synthesized cdktf.out directory (exit 4 on error findings)')
    .addArgument(new Argument('<cdktf-out>', 'the synthesized output, e.g. cdktf.out'))
    .addOption(new Option('--format <format>', 'output format').choices(CHECK_FORMATS).default(DEFAULT_CHECK_FORMAT))
    .addOption(new Option('--tier <tier>', 'the tier whose severities apply').choices(TIERS).default(DEFAULT_POLICY_TIER))
    .addOption(new Option('--suppressions <file>', 'findings accepted on purpose: a .yaml/.json file { suppressions: [{ rule, resource, reason }] }'))
    .addHelpText(
      'after',
      '\nExit codes: 0 no finding or warnings only, 4 error findings (a suppression without a reason or matching nothing is one), 1 an unreadable directory or suppressions file, 2 usage.\n\nExamples:\n  idpkit check cdktf.out\n  idpkit check cdktf.out --tier dev --format sarif > idpkit.sarif\n  idpkit check cdktf.out --suppressions policy.yaml\n',
    )
    .action((dir: string, options: { format: CheckFormat; tier: Tier; suppressions?: string }) => {
      const cwd = io.cwd ?? process.cwd();
      const policy = options.suppressions ? loadPolicyFile(resolve(cwd, options.suppressions)) : undefined;
      const report = checkSynthesizedOutput(dir, { tier: options.tier, cwd, suppressions: policy?.suppressions, suppressionsSource: options.suppressions });
      const render = { table: renderCheckTable, json: renderCheckJson, sarif: (r: CheckReport) => renderCheckSarif(r) }[options.format];
      io.stdout.write(render(report));
      setExitCode(report.findings.some((finding) => finding.severity === 'error') ? EXIT_POLICY_ERRORS : EXIT_OK);
    });
}
