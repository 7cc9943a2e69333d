/**
 * Renders one golden path's skeleton into a directory as the scaffolder would: the template of
 * the default environments, dry-run with sample parameters (service "sample-service" of team
 * "shop" in environment "dev"). Used by scripts/golden-paths-smoke.sh.
 *
 *   node --require ./scripts/register-ts.js scripts/render-golden-path.ts <golden-path> <none|postgres> <out-dir>
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GOLDEN_PATH_NAMES } from '../constructs/interface/backstage/golden-paths';
import { defaultEnvironments, validateEnvironment } from '../environments';
import { goldenPathFilesOf } from '../stacks/golden-paths';
import { dryRunTemplate } from '../test/support/scaffolder';

/** The sample parameters of the rendered service. */
const SAMPLE = { name: 'sample-service', owner: 'group:default/shop', environment: 'dev' } as const;

const [name, database, out] = process.argv.slice(2);
if (!(GOLDEN_PATH_NAMES as readonly string[]).includes(name) || !['none', 'postgres'].includes(database) || !out) {
  console.error(`usage: render-golden-path.ts <${GOLDEN_PATH_NAMES.join('|')}> <none|postgres> <out-dir>`);
  process.exit(2);
}
const folder = `templates/${name}/`;
const files = Object.fromEntries(
  Object.entries(goldenPathFilesOf(defaultEnvironments.map((config) => validateEnvironment(config)))).flatMap(([path, text]) => (path.startsWith(folder) ? [[path.slice(folder.length), text]] : [])),
);
const { workspace } = dryRunTemplate(files, { ...SAMPLE, database });
for (const [path, text] of Object.entries(workspace)) {
  if (!path.startsWith('service/')) continue;
  const target = join(out, path.slice('service/'.length));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
}
