import { runInNewContext } from 'node:vm';
import { MAX_NESTING, nullPrototypeReviver, structureProblems, tooDeepAt } from '../../../constructs/core/plain-data';

const nested = (levels: number): unknown => {
  const root: Record<string, unknown> = {};
  let node = root;
  for (let i = 0; i < levels; i++) node = (node.a = {}) as Record<string, unknown>;
  return root;
};

describe('structureProblems', () => {
  test('finds nothing in plain data of sane depth', () => {
    expect(structureProblems({ a: [1, { b: 'c' }], d: null })).toEqual([]);
    expect(structureProblems(nested(MAX_NESTING - 1))).toEqual([]);
  });

  test('reports nesting past the bound without walking further, naming the first levels of the path', () => {
    expect(structureProblems(nested(1_000_000))).toEqual([{ path: ['a', 'a', 'a', 'a', 'a', 'a', 'a', 'a'], message: `nests deeper than ${MAX_NESTING} levels (at ${MAX_NESTING} levels here): flatten it` }]);
  });

  test('reports prototype keys, cycles and objects that are not plain', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = { back: cycle };
    expect(structureProblems(JSON.parse('{"x": {"__proto__": {"y": 1}, "constructor": 1}}'))).toEqual([
      { path: ['x'], message: "has unknown field(s) __proto__, constructor (reserved: they reach the object's prototype; remove them)" },
    ]);
    expect(structureProblems(cycle)).toEqual([{ path: ['self', 'back'], message: 'refers to itself (a cycle): give plain data' }]);
    expect(structureProblems({ when: new Date(0), list: [new Map()] }).map((problem) => problem.path)).toEqual([['when'], ['list', 0]]);
    // An object literal with `__proto__: {...}` gets that prototype: not plain data.
    expect(structureProblems({ network: { __proto__: { cidr: '10.0.0.0/16' } } })[0].path).toEqual(['network']);
  });

  test('takes objects and lists of any realm as plain, and class instances and subclassed lists of any realm as not', () => {
    const foreign = runInNewContext('({ network: { cidr: "10.0.0.0/16" }, zones: ["a", "b"], empty: Object.create(null) })');
    expect(structureProblems(foreign)).toEqual([]);
    const notPlain = runInNewContext('class Config {}; class Zones extends Array {}; ({ config: new Config(), zones: new Zones(), map: new Map(), inherited: Object.create({ cidr: "10.0.0.0/16" }) })');
    expect(structureProblems(notPlain).map((problem) => problem.path)).toEqual([['config'], ['zones'], ['map'], ['inherited']]);
    class Zones extends Array {}
    expect(structureProblems({ zones: new Zones() }).map((problem) => problem.path)).toEqual([['zones']]);
  });
});

describe('nullPrototypeReviver', () => {
  test('parses objects without a prototype, so "__proto__" stays an own key and reaches nothing', () => {
    const parsed = JSON.parse('{"addons": {"__proto__": {"falco": {"enabled": true}}}}', nullPrototypeReviver);
    expect(Object.getPrototypeOf(parsed.addons)).toBeNull();
    expect(Object.keys(parsed.addons)).toEqual(['__proto__']);
    expect(parsed.addons.falco).toBeUndefined();
    expect(({} as Record<string, unknown>).falco).toBeUndefined();
  });
});

describe('tooDeepAt', () => {
  test('finds the first path past the bound, and nothing in shallower values', () => {
    expect(tooDeepAt(nested(MAX_NESTING - 1))).toBeUndefined();
    expect(tooDeepAt({ ok: [1], deep: nested(500) })).toEqual(['deep', 'a', 'a', 'a', 'a', 'a', 'a', 'a']);
    expect(tooDeepAt(nested(10), 5)).toEqual(['a', 'a', 'a', 'a', 'a']);
  });
});
