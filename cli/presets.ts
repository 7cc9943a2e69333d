/** `idpkit presets`: the company-size presets side by side. */
import { Command, Option } from 'commander';
import { PRESETS, SIZES } from '../constructs/presets';
import { CliIo, EXIT_OK, renderTable } from './io';

/** Output formats of the listing commands. */
export const FORMATS = ['table', 'json'] as const;

/** An output format: a table for people, JSON for scripts. */
export type Format = (typeof FORMATS)[number];

/** One row of `idpkit presets`. */
export interface PresetSummary {
  readonly size: string;
  readonly engineers: string;
  readonly platformTeam: string;
  readonly focus: string;
}

/** The presets, smallest first, as `idpkit presets` lists them. */
export function presetSummaries(): PresetSummary[] {
  return SIZES.map((size) => {
    const { engineers, platformTeam, focus } = PRESETS[size];
    return { size, engineers, platformTeam, focus };
  });
}

/** The presets as a table (or JSON). */
export function renderPresets(format: Format): string {
  const summaries = presetSummaries();
  if (format === 'json') return `${JSON.stringify(summaries, null, 2)}\n`;
  const table = renderTable(
    ['size', 'engineers', 'platform team', 'focus'],
    summaries.map((summary) => [summary.size, summary.engineers, summary.platformTeam, summary.focus]),
  );
  return `${table}\nDetails of one: idpkit explain <size> [--cloud aws|azure|gcp]\n`;
}

/** Adds `idpkit presets` to the program. */
export function addPresetsCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('presets')
    .description('list the company-size presets: engineers, platform team and focus')
    .addOption(formatOption())
    .addHelpText('after', '\nExamples:\n  idpkit presets\n  idpkit presets --format json\n')
    .action((options: { format: Format }) => {
      io.stdout.write(renderPresets(options.format));
      setExitCode(EXIT_OK);
    });
}

/** `--format table|json`, checked by commander (a bad value is a usage error naming the allowed ones). */
export function formatOption(): Option {
  return new Option('--format <format>', 'output format').choices(FORMATS).default('table');
}
