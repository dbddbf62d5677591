import { describe, expect, it } from 'vitest';
import {
  executionChangesOf,
  executionOfPartition,
  mattersToDelivery,
} from '../../../functions/history/adapters/execution-stream-changes';
import { keys } from '../../../functions/history/adapters/history-keys';
import { registerOrderKey } from '../../../functions/history/domain/status-register';
import type { StreamChange } from '../../../functions/platform/dynamodb/stream-changes';

const REF = { account: '123456789012', region: 'eu-west-1', pipeline: 'shop.api_v2-@x' };
const PK = keys.executionPartition(REF, 'e-1');
const OTHER = keys.executionPartition({ ...REF, pipeline: 'other' }, 'e-2');

let sequence = 0;
function change(pk: string, sk: string, images: { oldItem?: object; newItem?: object } = {}): StreamChange {
  sequence += 1;
  return {
    sequenceNumber: String(sequence).padStart(4, '0'),
    eventName: images.oldItem ? (images.newItem ? 'MODIFY' : 'REMOVE') : 'INSERT',
    keys: { pk, sk },
    ...(images as { oldItem?: Record<string, unknown>; newItem?: Record<string, unknown> }),
  };
}

const stageItem = (status: string) => ({
  order: registerOrderKey({ status, statusAt: '2026-11-20T10:00:00Z', attempt: 1 }, {
    [status]: 1,
  } as never),
});

describe('executionOfPartition', () => {
  it('splits an execution partition key back into its parts', () => {
    expect(executionOfPartition(PK)).toEqual({ ...REF, executionId: 'e-1' });
  });

  it.each([
    ['another item kind', keys.run('deployment', REF, 'd-1').pk],
    ['the catalog', 'PIPELINES'],
    ['a DORA rollup', `DORA#${REF.account}#${REF.region}#shop`],
    ['the earlier layout', 'PIPELINE#shop'],
    ['a part missing', `EXECUTION#${REF.account}#${REF.region}#shop`],
    ['a part too many', `${PK}#x`],
    ['an empty part', `EXECUTION#${REF.account}##shop#e-1`],
    // Four parts after a prefix as long as EXECUTION#: only the prefix tells it apart.
    ['another prefix of the same length', `DORAFACTS#${REF.account}#${REF.region}#shop#e-1`],
  ])('is not an execution: %s', (_name, pk) => {
    expect(executionOfPartition(pk)).toBeUndefined();
  });
});

describe('mattersToDelivery', () => {
  it.each([
    ['an action first written', change(PK, keys.actionItem('Build', 'Compile'), { newItem: {} }), true],
    [
      'an action written again',
      change(PK, keys.actionItem('Build', 'Compile'), { oldItem: {}, newItem: {} }),
      false,
    ],
    ['a stage that succeeded', change(PK, keys.stageItem('Prod'), { newItem: stageItem('SUCCEEDED') }), true],
    ['a stage that failed', change(PK, keys.stageItem('Prod'), { newItem: stageItem('FAILED') }), true],
    ['a stage started', change(PK, keys.stageItem('Prod'), { newItem: stageItem('STARTED') }), false],
    ['a stage resumed', change(PK, keys.stageItem('Prod'), { newItem: stageItem('RESUMED') }), false],
    ['a stage stopping', change(PK, keys.stageItem('Prod'), { newItem: stageItem('STOPPING') }), false],
    ['a stage without a register yet', change(PK, keys.stageItem('Prod'), { newItem: {} }), true],
    ['the header', change(PK, keys.executionHeader, { oldItem: {}, newItem: {} }), true],
    // The header's register may say STARTED: only a stage's in-progress register is left out.
    ['the header, started', change(PK, keys.executionHeader, { newItem: stageItem('STARTED') }), true],
    [
      'a stage removed (its expiry)',
      change(PK, keys.stageItem('Prod'), { oldItem: stageItem('STARTED') }),
      true,
    ],
    ['the details', change(PK, keys.executionDetails, { newItem: {} }), true],
  ])('%s → %s', (_name, item, expected) => {
    expect(mattersToDelivery(item)).toBe(expected);
  });
});

describe('executionChangesOf', () => {
  it('groups by execution in the order of its first change, each item as it was before its first change', () => {
    const first = { v: 1 };
    const changes = [
      change(PK, keys.stageItem('Build'), { oldItem: first, newItem: { v: 2 } }),
      change(OTHER, keys.actionItem('Build', 'Compile'), { oldItem: {}, newItem: {} }),
      change(keys.run('build', REF, 'b-1').pk, 'BUILD', { newItem: {} }),
      change(PK, keys.stageItem('Build'), { oldItem: { v: 2 }, newItem: { v: 3 } }),
      change(PK, keys.executionHeader, { newItem: {} }),
    ];
    const grouped = executionChangesOf(changes);
    expect(grouped.map((entry) => entry.execution.executionId)).toEqual(['e-1', 'e-2']);
    const [mine, other] = grouped;
    expect(mine?.firstSequenceNumber).toBe(changes[0]?.sequenceNumber);
    expect([...(mine?.itemsBefore ?? [])]).toEqual([
      [keys.stageItem('Build'), first],
      [keys.executionHeader, undefined],
    ]);
    expect(mine?.mattersToDelivery).toBe(true);
    expect(other?.mattersToDelivery).toBe(false);
    expect(other?.firstSequenceNumber).toBe(changes[1]?.sequenceNumber);
  });

  it('has nothing to say of a batch without execution items', () => {
    expect(executionChangesOf([change('PIPELINES', 'PIPELINE#x', { newItem: {} })])).toEqual([]);
  });
});
