import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Scalar, isScalar, parse, parseDocument, visit } from 'yaml';
import { goYamlReadsAsNonString } from '../../constructs/core/yaml';
import { synthesizedSet } from '../support/synthesized-sets';

/** Every values document of every helm_release in the synthesized stacks, named `<stack> <release>`. */
function valuesDocuments(outdir: string): [string, string][] {
  return readdirSync(join(outdir, 'stacks')).flatMap((stack) => {
    const json = JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
    return Object.values<any>(json.resource?.helm_release ?? {}).flatMap((release) => (release.values ?? []).map((text: string): [string, string] => [`${stack} ${release.name}`, text]));
  });
}

/** `f` of each text computed once: many releases (and both sets) carry the same values document. */
const onceEach = <T>(f: (text: string) => T): ((text: string) => T) => {
  const results = new Map<string, T>();
  return (text) => {
    if (!results.has(text)) results.set(text, f(text));
    return results.get(text)!;
  };
};

/** A document read as YAML 1.2, once for both tests. */
const yaml12Document = onceEach((text) => parseDocument(text, { version: '1.2' }));

/** What `parse(text, { version: '1.2' })` returns (it throws the first error), from that one reading. */
function yaml12Value(text: string): unknown {
  const document = yaml12Document(text);
  if (document.errors.length > 0) throw document.errors[0];
  return document.toJS();
}

const readsTheSameIn11And12 = onceEach((text) => isDeepStrictEqual(parse(text, { version: '1.1' }), yaml12Value(text)));

/** The plain scalars of a document that are strings to the yaml library but that go-yaml v2 reads as something else. */
const misreadPlainStrings = onceEach((text) => {
  const misread: string[] = [];
  visit(yaml12Document(text), {
    Scalar(_key, node) {
      if (isScalar(node) && node.type === Scalar.PLAIN && typeof node.value === 'string' && goYamlReadsAsNonString(node.value)) misread.push(node.value);
    },
  });
  return misread;
});

// Helm (and the Terraform Helm provider) read values with sigs.k8s.io/yaml, that is go-yaml v2:
// YAML 1.1, where unquoted on/off/yes/no/y/n are booleans and 0777 is octal.
describe.each(['all', 'presets'] as const)('Helm values of the %s environment set', (set) => {
  const documents = valuesDocuments(synthesizedSet(set));

  test('read the same as YAML 1.1 and as YAML 1.2', () => {
    expect(documents.length).toBeGreaterThan(0);
    const differ = documents.filter(([, text]) => !readsTheSameIn11And12(text)).map(([name]) => name);
    expect(differ).toEqual([]);
  });

  test('write no string plain that go-yaml v2 reads as a boolean, null, number or date', () => {
    const misread = documents.flatMap(([name, text]) => misreadPlainStrings(text).map((value) => `${name}: ${value}`));
    expect(misread).toEqual([]);
  });
});
