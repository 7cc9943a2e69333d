/** Reading a `helm_release`'s chart and values, shared by the Kubernetes pack's rules. */
import { parseYamlOnce } from '../../core/yaml';
import type { TerraformJson } from '../rule';
import { blocks, isObject } from './terraform-json';

/**
 * The chart's name: its last path segment, for a name (`vault`), a repository alias
 * (`hashicorp/vault`) or an OCI or URL reference (`oci://registry/charts/vault`); undefined for a
 * local chart (a path, no repository).
 */
export function chartName(release: TerraformJson): string | undefined {
  const chart = release.chart;
  if (typeof chart !== 'string' || chart === '') return undefined;
  if (!release.repository && (chart.startsWith('.') || chart.startsWith('/'))) return undefined;
  return chart.slice(chart.lastIndexOf('/') + 1) || undefined;
}

/** A `set` name's path: dots separate keys, `\.` is a literal dot (`podAnnotations.a\.b/c`). */
const setPath = (name: string): string[] => name.split(/(?<!\\)\./).map((key) => key.replace(/\\\./g, '.'));

/**
 * The value at a dotted path as Helm would see it from this release: the `values` documents
 * merged in order, then the `set` entries. Undefined when nothing sets it (the chart's default
 * applies); YAML documents that do not parse are skipped.
 */
export function helmValue(release: TerraformJson, path: string): unknown {
  const keys = path.split('.');
  const fromSet = blocks(release.set).filter((entry) => typeof entry.name === 'string' && setPath(entry.name).join('\u0000') === keys.join('\u0000'));
  if (fromSet.length > 0) return fromSet[fromSet.length - 1].value;
  let found: unknown;
  for (const { tree } of valuesDocuments(release)) {
    let node = tree;
    for (const key of keys) node = isObject(node) ? node[key] : undefined;
    if (node !== undefined) found = node;
  }
  return found;
}

/**
 * The parsed `values` documents of a `helm_release`, with their index, in order; documents that
 * do not parse are skipped. Each text is parsed once, for every pack and synthesis's other checks.
 */
export function valuesDocuments(release: TerraformJson): { index: number; tree: unknown }[] {
  const values = Array.isArray(release.values) ? release.values : [];
  return values.flatMap((text, index) => {
    if (typeof text !== 'string') return [];
    try {
      return [{ index, tree: parseYamlOnce(text) }];
    } catch {
      return [];
    }
  });
}

/** A Helm value as a number (`2` or `"2"`), or undefined. */
export function numberValue(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

/** A Helm value as a boolean (`true` or `"true"`), or undefined. */
export function booleanValue(value: unknown): boolean | undefined {
  return value === true || value === 'true' ? true : value === false || value === 'false' ? false : undefined;
}
