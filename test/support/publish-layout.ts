/** Publishing a layout of files the way synthesizePlatform publishes its output, for the publish tests. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OpenOutputOptions, openOutput } from '../../stacks/publish';

/** The synth's rule for stacks (stacks/app.ts isMergedOutputDirectory), without loading cdktf: each stack's entries one by one. */
export const mergedDirectories = (path: string): boolean => path === '' || path === 'stacks' || /^stacks\/[^/]+$/.test(path);

/** Publishes a layout (path -> text) as synthesizePlatform does: open, write into staging, publish, close. */
export function publishLayout(outdir: string, layout: Readonly<Record<string, string>>, options: OpenOutputOptions = {}): void {
  const output = openOutput(outdir, { mergedDirectories, ...options });
  try {
    for (const [path, text] of Object.entries(layout)) {
      mkdirSync(dirname(join(output.staging, path)), { recursive: true });
      writeFileSync(join(output.staging, path), text);
    }
    output.publish();
  } finally {
    output.close();
  }
}
