import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every file under a directory (path relative to it, `/`-separated -> UTF-8 content); {} when it
 * does not exist. Symbolic links are followed (a published cdktf.out links into its current
 * generation); `.idpkit` directories, where the generations live, are left out.
 */
export function tree(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  const entries: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(join(dir, at), { withFileTypes: true })) {
      const path = at === '' ? entry.name : `${at}/${entry.name}`;
      const stat = entry.isSymbolicLink() ? statSync(join(dir, path), { throwIfNoEntry: false }) : entry;
      if (entry.name === '.idpkit' || !stat) continue;
      if (stat.isDirectory()) walk(path);
      else entries[path] = readFileSync(join(dir, path), 'utf8');
    }
  };
  walk('');
  return entries;
}
