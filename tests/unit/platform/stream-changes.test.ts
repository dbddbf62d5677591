import { describe, expect, it } from 'vitest';
import { parseStreamChanges } from '../../../functions/platform/dynamodb/stream-changes';

const record = (overrides: Record<string, unknown> = {}, dynamodb: Record<string, unknown> = {}) => ({
  eventID: 'e',
  eventName: 'MODIFY',
  eventSource: 'aws:dynamodb',
  dynamodb: {
    SequenceNumber: '100',
    Keys: { pk: { S: 'EXECUTION#1#r#p#e' }, sk: { S: 'HEADER' } },
    OldImage: { pk: { S: 'EXECUTION#1#r#p#e' }, sk: { S: 'HEADER' }, n: { N: '1' } },
    NewImage: {
      pk: { S: 'EXECUTION#1#r#p#e' },
      sk: { S: 'HEADER' },
      n: { N: '2' },
      times: { SS: ['a', 'b'] },
      status: { M: { status: { S: 'SUCCEEDED' } } },
    },
    StreamViewType: 'NEW_AND_OLD_IMAGES',
    ...dynamodb,
  },
  ...overrides,
});

describe('parseStreamChanges', () => {
  it('gives each change its keys and its images as plain items', () => {
    const { changes, malformed } = parseStreamChanges({ Records: [record()] });
    expect(malformed).toEqual([]);
    expect(changes).toEqual([
      {
        sequenceNumber: '100',
        eventName: 'MODIFY',
        keys: { pk: 'EXECUTION#1#r#p#e', sk: 'HEADER' },
        oldItem: { pk: 'EXECUTION#1#r#p#e', sk: 'HEADER', n: 1 },
        newItem: {
          pk: 'EXECUTION#1#r#p#e',
          sk: 'HEADER',
          n: 2,
          times: new Set(['a', 'b']),
          status: { status: 'SUCCEEDED' },
        },
      },
    ]);
  });

  it('has no image where the stream has none (an insert, a removal)', () => {
    const { changes } = parseStreamChanges({
      Records: [
        record({ eventName: 'INSERT' }, { OldImage: undefined }),
        record({ eventName: 'REMOVE' }, { NewImage: undefined, SequenceNumber: '101' }),
      ],
    });
    expect(changes.map((change) => [change.eventName, 'oldItem' in change, 'newItem' in change])).toEqual([
      ['INSERT', false, true],
      ['REMOVE', true, false],
    ]);
  });

  it('reports a record that is no change of this table, with why, and goes on with the others', () => {
    const { changes, malformed } = parseStreamChanges({
      Records: [
        record({ eventName: 'UPSERT' }),
        record({}, { Keys: { pk: { N: '1' }, sk: { S: 'x' } } }),
        record({}, { SequenceNumber: '' }),
        record({}, { SequenceNumber: '102' }),
        record({}, { SequenceNumber: '103', NewImage: { n: { X: '1' } } }),
        // An image's values are attribute values (objects), never plain values or null.
        record({}, { SequenceNumber: '104', NewImage: { n: 'plain' } }),
        record({}, { SequenceNumber: '105', OldImage: { n: null } }),
      ],
    });
    expect(changes.map((change) => change.sequenceNumber)).toEqual(['102']);
    expect(malformed.map((entry) => entry.index)).toEqual([0, 1, 2, 4, 5, 6]);
    // The reason names the attribute that is no attribute value.
    expect(malformed.slice(-2).map((entry) => entry.reason)).toEqual([
      'dynamodb.NewImage.n: Invalid input',
      'dynamodb.OldImage.n: Invalid input',
    ]);
    for (const entry of malformed) expect(entry.reason.length).toBeGreaterThan(0);
  });

  it.each([[null], [{}], [{ Records: 'x' }], ['text']])(
    'reports a batch that is no stream event: %j',
    (event) => {
      const { changes, malformed } = parseStreamChanges(event);
      expect(changes).toEqual([]);
      expect(malformed).toHaveLength(1);
      expect(malformed[0]?.index).toBe(-1);
    },
  );
});
