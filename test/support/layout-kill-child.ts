/**
 * A child process for the kill test of layout writes (test/cli/layout-writer.test.ts): writes init's
 * files given as JSON into a directory with `writeInitFiles` (`--force`) and SIGKILLs itself at
 * mutating call number `killAt` (0: never), as an init cancelled with kill -9 would be. Prints how
 * many mutating calls ran. The test runs it bundled (test/support/kill-child.ts); by hand:
 *   node --require ./scripts/register-ts.js test/support/layout-kill-child.ts <dir> <killAt> <files.json>
 */
import { readFileSync } from 'node:fs';
import { InitFile, writeInitFiles } from '../../cli/init';
import { injectFault } from './fs-faults';

const [dir, killAt, filesJson] = process.argv.slice(2);
const files = JSON.parse(readFileSync(filesJson, 'utf8')) as InitFile[];
const counting = injectFault(Number(killAt), () => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
});
writeInitFiles(dir, files, true);
process.stdout.write(`${counting.calls()}\n`);
