import { describeValue } from '../../../constructs/core/errors';

describe('describeValue', () => {
  test('renders values as short JSON, and missing ones as (missing)', () => {
    expect(describeValue('10.0.0.0/33')).toBe('"10.0.0.0/33"');
    expect(describeValue(undefined)).toBe('(missing)');
    expect(describeValue('x'.repeat(100))).toHaveLength(80);
  });

  test('never throws: cycles, BigInts and values nested past the stack are described, not crashed on', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    let deep: unknown = 1;
    for (let i = 0; i < 1_000_000; i++) deep = [deep];
    for (const value of [cycle, BigInt(1), deep]) expect(describeValue(value)).toBe('(a value that cannot be shown)');
  });
});
