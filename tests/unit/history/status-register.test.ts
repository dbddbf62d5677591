import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PIPELINE_RANKS } from '../../../functions/history/domain/execution-record';
import {
  canonicalJson,
  compareRegisters,
  compareStrings,
  laterRegister,
  maxString,
  minString,
  type StatusRegister,
  sortedUnion,
  stablePick,
} from '../../../functions/history/domain/status-register';

type PipelineRegister = StatusRegister<keyof typeof PIPELINE_RANKS> & { note?: string };

const register = (overrides: Partial<PipelineRegister> = {}): PipelineRegister => ({
  status: 'STARTED',
  statusAt: '2026-11-20T10:00:00.000Z',
  attempt: 1,
  ...overrides,
});

describe('compareRegisters: the fixed order of observations', () => {
  it('orders by attempt first, even against a later time and a higher rank', () => {
    const retried = register({ attempt: 2, statusAt: '2026-11-20T09:00:00.000Z', status: 'STARTED' });
    const failed = register({ attempt: 1, statusAt: '2026-11-20T11:00:00.000Z', status: 'FAILED' });
    expect(compareRegisters(retried, failed, PIPELINE_RANKS)).toBeGreaterThan(0);
    expect(compareRegisters(failed, retried, PIPELINE_RANKS)).toBeLessThan(0);
  });

  it('orders by time within an attempt, even against a higher rank', () => {
    const later = register({ statusAt: '2026-11-20T10:00:01.000Z', status: 'STARTED' });
    const earlier = register({ statusAt: '2026-11-20T10:00:00.000Z', status: 'SUCCEEDED' });
    expect(compareRegisters(later, earlier, PIPELINE_RANKS)).toBeGreaterThan(0);
    expect(compareRegisters(earlier, later, PIPELINE_RANKS)).toBeLessThan(0);
  });

  it('orders by rank at the same attempt and time', () => {
    const stopped = register({ status: 'STOPPED' });
    const stopping = register({ status: 'STOPPING' });
    expect(compareRegisters(stopped, stopping, PIPELINE_RANKS)).toBeGreaterThan(0);
    expect(compareRegisters(stopping, stopped, PIPELINE_RANKS)).toBeLessThan(0);
  });

  it('orders two different observations of the same state by their canonical JSON, both ways', () => {
    const a = register({ note: 'a' });
    const b = register({ note: 'b' });
    expect(compareRegisters(a, b, PIPELINE_RANKS)).toBeLessThan(0);
    expect(compareRegisters(b, a, PIPELINE_RANKS)).toBeGreaterThan(0);
    expect(compareRegisters(a, { ...a }, PIPELINE_RANKS)).toBe(0);
  });
});

describe('laterRegister', () => {
  it('takes the incoming register when there is none yet', () => {
    const incoming = register();
    expect(laterRegister(undefined, incoming, PIPELINE_RANKS)).toBe(incoming);
  });

  it('keeps the current register when the incoming one is equal (the very same object survives)', () => {
    const current = register();
    expect(laterRegister(current, { ...current }, PIPELINE_RANKS)).toBe(current);
  });

  it('keeps the greater register whichever side it arrives on', () => {
    const earlier = register();
    const later = register({ statusAt: '2026-11-20T10:05:00.000Z', status: 'SUCCEEDED' });
    expect(laterRegister(earlier, later, PIPELINE_RANKS)).toBe(later);
    expect(laterRegister(later, earlier, PIPELINE_RANKS)).toBe(later);
  });
});

describe('string order helpers', () => {
  it('compareStrings answers exactly -1, 0 or 1', () => {
    expect(compareStrings('a', 'b')).toBe(-1);
    expect(compareStrings('b', 'a')).toBe(1);
    expect(compareStrings('a', 'a')).toBe(0);
  });

  it('minString and maxString take the defined side, the extreme, and either of two equals', () => {
    expect(minString(undefined, 'b')).toBe('b');
    expect(minString('a', undefined)).toBe('a');
    expect(minString(undefined, undefined)).toBeUndefined();
    expect(minString('a', 'b')).toBe('a');
    expect(minString('b', 'a')).toBe('a');
    expect(minString('a', 'a')).toBe('a');
    expect(maxString(undefined, 'b')).toBe('b');
    expect(maxString('a', undefined)).toBe('a');
    expect(maxString(undefined, undefined)).toBeUndefined();
    expect(maxString('a', 'b')).toBe('b');
    expect(maxString('b', 'a')).toBe('b');
    expect(maxString('b', 'b')).toBe('b');
  });
});

describe('stablePick', () => {
  it('takes the defined side', () => {
    expect(stablePick(undefined, 'x')).toBe('x');
    expect(stablePick('x', undefined)).toBe('x');
    expect(stablePick(undefined, undefined)).toBeUndefined();
  });

  it('picks the smallest canonical JSON of two values that disagree, in either order', () => {
    expect(stablePick('b', 'a')).toBe('a');
    expect(stablePick('a', 'b')).toBe('a');
    expect(stablePick({ type: 'Webhook' }, { type: 'CreatePipeline' })).toEqual({ type: 'CreatePipeline' });
    expect(stablePick({ type: 'CreatePipeline' }, { type: 'Webhook' })).toEqual({ type: 'CreatePipeline' });
  });

  it('is commutative for any two values that disagree', () => {
    const value = fc.oneof(
      fc.string(),
      fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 })),
    );
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(canonicalJson(stablePick(a, b))).toBe(canonicalJson(stablePick(b, a)));
      }),
    );
  });
});

describe('sortedUnion', () => {
  it('is undefined only when both sides are', () => {
    expect(sortedUnion(undefined, undefined)).toBeUndefined();
    expect(sortedUnion(undefined, [])).toEqual([]);
    expect(sortedUnion([], undefined)).toEqual([]);
  });

  it('sorts and removes duplicates from either side', () => {
    expect(sortedUnion(['c', 'a'], undefined)).toEqual(['a', 'c']);
    expect(sortedUnion(undefined, ['c', 'a'])).toEqual(['a', 'c']);
    expect(sortedUnion(['b', 'a'], ['c', 'a'])).toEqual(['a', 'b', 'c']);
  });
});

describe('canonicalJson', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
  });

  it('serialises scalars and arrays as JSON does', () => {
    expect(canonicalJson('x')).toBe('"x"');
    expect(canonicalJson([{ b: 1, a: 2 }])).toBe('[{"a":2,"b":1}]');
  });
});
