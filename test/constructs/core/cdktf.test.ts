/**
 * @jest-environment-options {"creationStacks": true}
 */
import { Lazy, withoutCreationStacks } from '../../../constructs/core/cdktf';

const lazy = () => Lazy.anyValue({ produce: () => 'x' });

describe('withoutCreationStacks', () => {
  test('tokens made inside have no creation stack; outside they keep theirs', () => {
    const inside = withoutCreationStacks(lazy);
    expect(inside.creationStack).toEqual([]);
    expect(lazy().creationStack.length).toBeGreaterThan(0);
  });

  test('turns creation stacks back on when the build throws', () => {
    expect(() =>
      withoutCreationStacks(() => {
        throw new Error('build failed');
      }),
    ).toThrow('build failed');
    expect(lazy().creationStack.length).toBeGreaterThan(0);
  });
});
