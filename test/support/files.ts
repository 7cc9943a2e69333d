import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under a directory (path relative to it, `/`-separated -> UTF-8 content); {} when it does not exist. */
export function tree(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  const entries: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(join(dir, at), { withFileTypes: true })) {
      const path = at === '' ? entry.name : `${at}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else entries[path] = readFileSync(join(dir, path), 'utf8');
    }
  };
  walk('');
  return entries;
}
