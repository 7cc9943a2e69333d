import { parse } from 'yaml';
import { goYamlReadsAsNonString, parseYamlOnce, toYaml } from '../../../constructs/core/yaml';

/** Strings go-yaml v2 (Helm's values reader) takes for booleans, nulls, numbers or dates. */
const GO_YAML_NON_STRINGS = [
  'on', 'On', 'ON', 'off', 'yes', 'Yes', 'no', 'NO', 'y', 'Y', 'n', 'N', 'true', 'False', '~', 'null', '',
  '0777', '08', '1_000', '-1_0', '0x1F', '0X1F', '0o17', '0b101', '0B1', '+12', '1e3', '.5', '1.35', '.inf', '-.Inf', '.NaN',
  '2024-04-01', '2001-12-14 21:59:43.10',
];
/** Sexagesimal numbers of the YAML 1.1 spec, which go-yaml v2 leaves as strings but other 1.1 readers do not. */
const SEXAGESIMAL = ['1:20', '03:00'];
const AMBIGUOUS = [...GO_YAML_NON_STRINGS, ...SEXAGESIMAL];
/** Strings every reader takes as strings: written plain. */
const PLAIN = ['10Gi', 'v1.2.3', 'hello world', '0x', '12e', 'NaN', 'a:b', 'idpkit-prod-', 'https://example.com'];

describe('toYaml', () => {
  const value = { list: [...AMBIGUOUS, ...PLAIN], keys: Object.fromEntries([...AMBIGUOUS, ...PLAIN].map((text) => [text, text])), number: 3, float: 1.5, flag: true, none: null };
  const text = toYaml(value);

  test.each(['1.1', '1.2'] as const)('YAML %s readers get back exactly the values', (version) => {
    expect(parse(text, { version })).toEqual(value);
  });

  test('double-quotes each string a YAML 1.1 reader would take for another type, keys too', () => {
    for (const ambiguous of AMBIGUOUS) {
      expect(text).toContain(`  - ${JSON.stringify(ambiguous)}\n`);
      expect(text).toContain(`  ${JSON.stringify(ambiguous)}: ${JSON.stringify(ambiguous)}\n`);
    }
    for (const plain of PLAIN) expect(text).toContain(`  - ${plain}\n`);
  });

  test('sorts keys, so synthesis is byte-stable', () => {
    expect(toYaml({ b: 1, a: { d: 2, c: 3 } })).toBe('a:\n  c: 3\n  d: 2\nb: 1\n');
  });
});

describe('goYamlReadsAsNonString', () => {
  test('matches go-yaml v2: booleans y/yes/on, octal and hex, underscores, dates', () => {
    for (const text of GO_YAML_NON_STRINGS) expect(goYamlReadsAsNonString(text)).toBe(true);
    for (const text of [...SEXAGESIMAL, ...PLAIN]) expect(goYamlReadsAsNonString(text)).toBe(false);
  });
});

describe('toYaml on values nested past the bound', () => {
  test('throws an idpkit error naming where, instead of overflowing the stack', () => {
    let deep: Record<string, unknown> = {};
    const root = { values: deep };
    for (let i = 0; i < 100_000; i++) deep = (deep.a = {}) as Record<string, unknown>;
    expect(() => toYaml(root)).toThrow('YAML value at values.a.a.a.a.a.a.a... nests deeper than 64 levels (or refers to itself): flatten it');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => toYaml(cycle)).toThrow('nests deeper than 64 levels (or refers to itself)');
  });
});

describe('parseYamlOnce', () => {
  test('parses as yaml parse does, and gives every caller of the same text the same value', () => {
    const text = 'server:\n  replicas: 2\n  flag: "on"\n';
    expect(parseYamlOnce(text)).toEqual(parse(text));
    expect(parseYamlOnce(text)).toBe(parseYamlOnce(`${text}`));
  });

  test('throws, like parse, on a syntax error or a second document', () => {
    expect(() => parseYamlOnce('a: [1\n')).toThrow();
    expect(() => parseYamlOnce('a: 1\n---\nb: 2\n')).toThrow(/multiple documents/);
  });
});
