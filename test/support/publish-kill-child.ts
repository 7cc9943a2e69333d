/**
 * A child process for the kill test of publish (test/stacks/publish.test.ts): publishes the layout
 * given as JSON into an output directory and SIGKILLs itself at mutating call number `killAt`
 * (0: never), as a synth killed by the OOM killer or a cancelled CI job would be.
 *   node --require ./scripts/register-ts.js test/support/publish-kill-child.ts <outdir> <killAt> <layout.json>
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openOutput } from '../../stacks/publish';
import { injectFault } from './fs-faults';

const [outdir, killAt, layoutFile] = process.argv.slice(2);
const layout = JSON.parse(readFileSync(layoutFile, 'utf8')) as Record<string, string>;
const counting = injectFault(Number(killAt), () => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
});
// The synth's rule (stacks/app.ts isMergedOutputDirectory) for stacks, without loading cdktf: each stack's entries one by one.
const mergedDirectories = (path: string) => path === '' || path === 'stacks' || /^stacks\/[^/]+$/.test(path);
const output = openOutput(outdir, { mergedDirectories, lockWaitMs: 0 });
try {
  for (const [path, text] of Object.entries(layout)) {
    mkdirSync(dirname(join(output.staging, path)), { recursive: true });
    writeFileSync(join(output.staging, path), text);
  }
  output.publish();
} finally {
  output.close();
}
process.stdout.write(`${counting.calls()}\n`);
