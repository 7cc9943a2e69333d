import { mergeValues } from '../../../constructs/core/helm-addon';

describe('mergeValues', () => {
  test('merges objects key by key and replaces lists and scalars', () => {
    expect(mergeValues({ a: { b: 1, c: [1] }, d: 1 }, { a: { c: [2] } }, undefined, { d: 2 })).toEqual({ a: { b: 1, c: [2] }, d: 2 });
  });

  test('a "__proto__" key of the values stays a key: no prototype is replaced, nothing inherited', () => {
    const merged = mergeValues({ a: 1 }, JSON.parse('{"__proto__": {"polluted": true}}'));
    // Its prototype is Object.prototype (the module's realm's, which has no prototype itself), not the parsed object.
    expect(Object.getPrototypeOf(Object.getPrototypeOf(merged))).toBeNull();
    expect(Object.keys(merged)).toEqual(['a', '__proto__']);
    expect((merged as Record<string, unknown>).polluted).toBeUndefined();
  });
});
