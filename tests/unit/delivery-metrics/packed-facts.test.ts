import { describe, expect, it } from 'vitest';
import type { ExecutionFact } from '../../../functions/delivery-metrics/domain/execution-fact';
import {
  factMonth,
  newestPerExecution,
  partsOf,
  repackedMonths,
} from '../../../functions/delivery-metrics/domain/packed-facts';

const fact = (at: string, v: number, extra: Partial<ExecutionFact> = {}): ExecutionFact => ({
  s: Date.parse(at),
  g: {},
  v,
  ...extra,
});

describe('newestPerExecution', () => {
  it('keeps each execution once, at its greatest version, in the order executions were first found', () => {
    const old = fact('2026-08-01T10:00:00Z', 1);
    const newer = fact('2026-08-02T10:00:00Z', 2);
    const other = fact('2026-08-01T11:00:00Z', 5);
    expect(
      newestPerExecution([
        { executionId: 'a', fact: old },
        { executionId: 'b', fact: other },
        { executionId: 'a', fact: newer },
        { executionId: 'a', fact: old },
      ]),
    ).toEqual([
      { executionId: 'a', fact: newer },
      { executionId: 'b', fact: other },
    ]);
  });

  it('keeps the first of two copies of one version', () => {
    const first = fact('2026-08-01T10:00:00Z', 3, { ok: 1 });
    const second = fact('2026-08-01T10:00:00Z', 3);
    expect(
      newestPerExecution([
        { executionId: 'a', fact: first },
        { executionId: 'a', fact: second },
      ]),
    ).toEqual([{ executionId: 'a', fact: first }]);
  });
});

describe('factMonth', () => {
  it.each([
    ['2026-08-01T00:00:00.000Z', '2026-08'],
    ['2026-08-31T23:59:59.999Z', '2026-08'],
    ['2026-12-31T23:59:59.999Z', '2026-12'],
    ['2027-01-01T00:00:00.000Z', '2027-01'],
  ])('files a fact that started at %s under %s (UTC)', (at, month) => {
    expect(factMonth({ s: Date.parse(at) })).toBe(month);
  });
});

describe('repackedMonths', () => {
  const july = fact('2026-07-20T10:00:00Z', 1);
  const august = fact('2026-08-03T10:00:00Z', 2);

  it('packs live facts into new months', () => {
    const changed = repackedMonths(new Map(), [
      { executionId: 'z', fact: august },
      { executionId: 'a', fact: july },
      { executionId: 'b', fact: august },
    ]);
    expect([...changed]).toStrictEqual([
      ['2026-08', { z: august, b: august }],
      ['2026-07', { a: july }],
    ]);
  });

  it('leaves out a month that already holds exactly these facts, whatever the order of their attributes', () => {
    const packed = new Map([['2026-07', { a: july, c: fact('2026-07-05T10:00:00Z', 4) }]]);
    const reordered: ExecutionFact = { v: july.v, g: {}, s: july.s };
    expect([...repackedMonths(packed, [{ executionId: 'a', fact: reordered }])]).toEqual([]);
    expect([...repackedMonths(packed, [])]).toEqual([]);
  });

  it('replaces a packed fact with a newer live one, never with an older one', () => {
    const newer = fact('2026-07-20T10:00:00Z', 7, { ok: Date.parse('2026-07-20T11:00:00Z') });
    const packed = new Map([['2026-07', { a: newer }]]);
    expect([...repackedMonths(packed, [{ executionId: 'a', fact: july }])]).toEqual([]);
    expect([
      ...repackedMonths(new Map([['2026-07', { a: july }]]), [{ executionId: 'a', fact: newer }]),
    ]).toEqual([['2026-07', { a: newer }]]);
  });

  it('moves an execution whose start moved to another month, leaving its former month empty', () => {
    const moved = fact('2026-07-31T23:50:00Z', 3);
    const packed = new Map([['2026-08', { a: fact('2026-08-01T00:10:00Z', 1) }]]);
    expect([...repackedMonths(packed, [{ executionId: 'a', fact: moved }])]).toStrictEqual([
      ['2026-08', {}],
      ['2026-07', { a: moved }],
    ]);
  });

  it('keeps the other facts of a month it rewrites', () => {
    const packed = new Map([['2026-08', { a: august, b: august }]]);
    const later = fact('2026-08-03T10:00:00Z', 9);
    expect([...repackedMonths(packed, [{ executionId: 'b', fact: later }])]).toStrictEqual([
      ['2026-08', { a: august, b: later }],
    ]);
  });
});

describe('partsOf', () => {
  const f = (v: number) => fact('2026-08-03T10:00:00Z', v);

  it('splits a month into parts of at most the size, in execution-id order', () => {
    expect(partsOf({ d: f(4), b: f(2), a: f(1), c: f(3), e: f(5) }, 2)).toStrictEqual([
      { a: f(1), b: f(2) },
      { c: f(3), d: f(4) },
      { e: f(5) },
    ]);
  });

  it('keeps a month that fits in one part whole, and an empty month as one empty part', () => {
    expect(partsOf({ b: f(2), a: f(1) }, 2)).toStrictEqual([{ a: f(1), b: f(2) }]);
    expect(partsOf({}, 2)).toStrictEqual([{}]);
  });
});
