import { Document, Scalar, parse, visit } from 'yaml';
import { IdpkitError } from './errors';
import { MAX_NESTING, tooDeepAt } from './plain-data';

/**
 * Plain scalars Go's YAML 1.1 reader (go-yaml v2, which `sigs.k8s.io/yaml` and so Helm and the
 * Terraform Helm provider use) resolves to a boolean, null, infinity or NaN.
 *
 * @see https://github.com/kubernetes-sigs/yaml/blob/master/goyaml.v2/resolve.go
 */
const GO_YAML_KEYWORDS: ReadonlySet<string> = new Set(
  [
    ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'],
    ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'],
    ['', '~', 'null', 'Null', 'NULL'],
    ['.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF'],
  ].flat(),
);

/** Integers Go's `strconv.ParseInt(s, 0, 64)` accepts once go-yaml v2 drops every `_`: decimal, `0x`, `0o`, `0b` and leading-zero octal. */
const GO_INTEGER = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)$/;
/** go-yaml v2's float syntax (`yamlStyleFloat`). */
const GO_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** Dates and times start `YYYY-`; go-yaml v2 tries them before numbers (quoting one more is harmless). */
const TIMESTAMP_START = /^[0-9]{4}-/;

/**
 * Whether go-yaml v2 reads this text, written as a plain (unquoted) scalar, as something other
 * than the string: `on`, `yes`, `y` and `off` are booleans there, `0777` is octal, `1_000` is
 * 1000, `2024-04-01` a timestamp.
 */
export function goYamlReadsAsNonString(text: string): boolean {
  if (GO_YAML_KEYWORDS.has(text)) return true;
  if (TIMESTAMP_START.test(text)) return true;
  const digits = text.replace(/_/g, '');
  return GO_INTEGER.test(digits) || GO_FLOAT.test(digits);
}

/**
 * One YAML document for a Go reader (Helm values, the manifests chart's objects, configuration
 * files of Go programs): keys sorted, so synthesis is byte-stable, no aliases, and every string
 * that a YAML 1.1 reader would take for another type (`on`, `no`, `y`, `0777`, `1_000`, dates)
 * double-quoted, so go-yaml v2, YAML 1.1 and YAML 1.2 readers all get back exactly these values.
 * Throws an IdpkitError for values nested deeper than {@link MAX_NESTING} levels.
 *
 * @example
 * toYaml({ databaseFlags: [{ name: 'cloudsql.iam_authentication', value: 'on' }] }); // ...value: "on"
 */
export function toYaml(value: unknown): string {
  // The writer recurses per level: refuse what would overflow the stack (or never end, a cycle), naming where.
  const deep = tooDeepAt(value);
  if (deep) throw new IdpkitError('IDPKIT_INVALID_PROPS', [`YAML value at ${deep.join('.')}... nests deeper than ${MAX_NESTING} levels (or refers to itself): flatten it`]);
  // YAML 1.1 output quotes what that schema resolves (sexagesimal `1:20` too); the visit adds what
  // go-yaml v2 resolves beyond it (`0o17`, `0X1F`), which YAML 1.2 reads as numbers as well.
  const doc = new Document(value, { version: '1.1', sortMapEntries: true, aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && goYamlReadsAsNonString(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString();
}

/** Parsed YAML by its text: at synthesis the catalog, the secret scan and the policy rules read the same Helm values. */
const parsedYaml = new Map<string, unknown>();

/**
 * A YAML text parsed as yaml's `parse` does (one document; throws on a syntax error or a second
 * document), once per text: every caller gets the same value, which it must not change.
 *
 * @example
 * import { Release } from '@cdktf/provider-helm/lib/release';
 * declare const release: Release;
 * parseYamlOnce(release.values[0]); // the release's values, parsed on first use only
 */
export function parseYamlOnce(text: string): unknown {
  if (!parsedYaml.has(text)) parsedYaml.set(text, parse(text));
  return parsedYaml.get(text);
}
