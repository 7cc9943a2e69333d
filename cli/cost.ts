/**
 * `idpkit cost [cdktf.out] [--format table|json|markdown]`: the estimated monthly cost of a
 * synthesized directory, offline: per stack and environment and in total, itemized per resource
 * with quantity, unit price and formula (constructs/capabilities/cost/estimate). Lines without a
 * price say why and count in no total; figures resting on a usage assumption are marked.
 *
 * Exit codes: 0 the estimate was written (also with lines not priced), 1 an unreadable directory,
 * a region the cloud does not have or malformed cost metadata, 2 usage.
 */
import { Argument, Command, Option } from 'commander';
import { CostEstimate, CostLine, StackEstimate, estimateCost } from '../constructs/capabilities/cost/estimate';
import { readSynthesizedOutput } from '../constructs/core/synthesized-output';
import { CliIo, EXIT_OK, TABLE_WIDTH, renderTable } from './io';

/** Output formats of `idpkit cost`. */
export const COST_FORMATS = ['table', 'json', 'markdown'] as const;

/** An output format: a table for people, JSON for scripts, Markdown for pull request comments. */
export type CostFormat = (typeof COST_FORMATS)[number];

/** Default output format of `idpkit cost`. */
export const DEFAULT_COST_FORMAT: CostFormat = 'table';

/** Directory `idpkit cost` reads when none is given. */
export const DEFAULT_COST_DIR = 'cdktf.out';

/** Estimates the cost of a synthesized directory. */
export function costOfSynthesizedOutput(dir: string, cwd: string = process.cwd()): CostEstimate {
  return estimateCost(readSynthesizedOutput(dir, cwd));
}

const usd = (value: number): string => `$${value.toFixed(2)}`;

/** A line's figure: dollars, or "not priced". */
const figure = (line: CostLine): string => (line.monthlyUsd === undefined ? 'not priced' : usd(line.monthlyUsd));

/** A line's basis: what the quantity rests on, and why it has no price. */
function basis(line: CostLine): string {
  const parts = [line.formula];
  if (line.assumption) parts.push(`assumption: ${line.assumption.field} = ${line.assumption.value} (${line.assumption.from})`);
  if (line.notPriced) parts.push(`not priced: ${line.notPriced}`);
  if (line.note) parts.push(line.note);
  return parts.join('\n');
}

const stackTitle = (stack: StackEstimate): string =>
  `${stack.stack} (environment ${stack.environment}, ${stack.cloud ?? 'no cloud'} ${stack.region ?? ''}, ${stack.tier} assumptions): ${usd(stack.monthlyUsd)} a month`.replace(' ,', ',');

const summaryLine = (estimate: CostEstimate): string =>
  `Total ${usd(estimate.monthlyUsd)} a month (${usd(estimate.assumptionBasedUsd)} of it on usage assumptions), ${estimate.notPricedLines} line(s) not priced; ` +
  `${estimate.hoursPerMonth} h a month, list prices in USD, price table ${estimate.priceTableVersion}.\n`;

/** The estimate as tables: one per stack, then one per environment. */
export function renderCostTable(estimate: CostEstimate): string {
  const sections = estimate.stacks
    .filter((stack) => stack.lines.length > 0)
    .map((stack) => `${stackTitle(stack)}\n${renderTable(['Resource', 'Item', 'Monthly', 'Basis'], stack.lines.map((line) => [line.resource, line.item, figure(line), basis(line)]), [30, 28, 12, TABLE_WIDTH - 78])}`);
  const environments = renderTable(
    ['Environment', 'Stacks', 'Monthly', 'On assumptions', 'Not priced'],
    estimate.environments.map((env) => [env.environment, env.stacks.join(', '), usd(env.monthlyUsd), usd(env.assumptionBasedUsd), String(env.notPricedLines)]),
  );
  return `${sections.join('\n')}\n${environments}${summaryLine(estimate)}`;
}

const cell = (value: string): string => value.replace(/\|/g, '\\|').replace(/\n/g, '<br>');

/** The estimate as Markdown: environments first, then each stack's lines in a collapsed section. */
export function renderCostMarkdown(estimate: CostEstimate): string {
  const out = ['## Estimated monthly cost', '', '| Environment | Monthly | On assumptions | Not priced |', '|---|---:|---:|---:|'];
  for (const env of estimate.environments) out.push(`| ${cell(env.environment)} | ${usd(env.monthlyUsd)} | ${usd(env.assumptionBasedUsd)} | ${env.notPricedLines} |`);
  out.push(`| **total** | **${usd(estimate.monthlyUsd)}** | ${usd(estimate.assumptionBasedUsd)} | ${estimate.notPricedLines} |`, '');
  for (const stack of estimate.stacks.filter((s) => s.lines.length > 0)) {
    out.push(`<details><summary>${cell(stackTitle(stack))}</summary>`, '', '| Resource | Item | Monthly | Basis |', '|---|---|---:|---|');
    for (const line of stack.lines) out.push(`| \`${cell(line.resource)}\` | ${cell(line.item)} | ${figure(line)} | ${cell(basis(line))} |`);
    out.push('', '</details>', '');
  }
  out.push(summaryLine(estimate).trimEnd(), '');
  return out.join('\n');
}

/** The estimate as JSON: every stack's lines with their prices and sources, environments and totals. */
export function renderCostJson(estimate: CostEstimate): string {
  return `${JSON.stringify(estimate, null, 2)}\n`;
}

const RENDERERS: Readonly<Record<CostFormat, (estimate: CostEstimate) => string>> = { table: renderCostTable, json: renderCostJson, markdown: renderCostMarkdown };

/** Adds `idpkit cost [cdktf.out]` to the program. */
export function addCostCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('cost')
    .description('estimate the monthly cost of a synthesized cdktf.out directory offline: per resource, stack and environment, from list prices')
    .addArgument(new Argument('[cdktf-out]', 'the synthesized output').default(DEFAULT_COST_DIR))
    .addOption(new Option('--format <format>', 'output format').choices(COST_FORMATS).default(DEFAULT_COST_FORMAT))
    .addHelpText(
      'after',
      `\nA month is 730 hours; prices are list prices in USD from the offline price table; lines without a price say why and count in no total (docs/cost.md).\n\nExit codes: 0 the estimate was written, 1 an unreadable directory, a region the cloud does not have or malformed cost metadata, 2 usage.\n\nExamples:\n  idpkit cost\n  idpkit cost cdktf.out --format markdown\n  idpkit cost cdktf.out --format json > cost.json\n`,
    )
    .action((dir: string, options: { format: CostFormat }) => {
      io.stdout.write(RENDERERS[options.format](costOfSynthesizedOutput(dir, io.cwd ?? process.cwd())));
      setExitCode(EXIT_OK);
    });
}
