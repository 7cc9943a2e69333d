/**
 * A child process for the kill test of publish (test/stacks/publish.test.ts): publishes the layout
 * given as JSON into an output directory and SIGKILLs itself at mutating call number `killAt`
 * (0: never), as a synth killed by the OOM killer or a cancelled CI job would be. Prints how many
 * mutating calls ran. The tests run it bundled (test/support/kill-child.ts); by hand:
 *   node --require ./scripts/register-ts.js test/support/publish-kill-child.ts <outdir> <killAt> <layout.json>
 */
import { readFileSync } from 'node:fs';
import { injectFault } from './fs-faults';
import { publishLayout } from './publish-layout';

const [outdir, killAt, layoutFile] = process.argv.slice(2);
const layout = JSON.parse(readFileSync(layoutFile, 'utf8')) as Record<string, string>;
const counting = injectFault(Number(killAt), () => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
});
publishLayout(outdir, layout, { lockWaitMs: 0 });
process.stdout.write(`${counting.calls()}\n`);
