import { describe, expect, it } from 'vitest';
import { chooseRollbackTarget } from '../../../functions/rollback/domain/choose-rollback-target';
import { listedAfterEarlierRollback } from '../../support/rollback';

const at = (time: string) => new Date(`2026-11-24T${time}:00Z`);

describe('chooseRollbackTarget', () => {
  it('picks the newest earlier standard execution that succeeded in the stage', () => {
    const listed = [
      { pipelineExecutionId: 'e-bad', executionType: 'STANDARD', startTime: at('11:00') },
      { pipelineExecutionId: 'e-good', executionType: 'STANDARD', startTime: at('09:00') },
      { pipelineExecutionId: 'e-rb', executionType: 'ROLLBACK', startTime: at('08:30') },
      { pipelineExecutionId: 'e-older', executionType: 'STANDARD', startTime: at('08:00') },
    ];
    expect(chooseRollbackTarget(listed, 'e-bad')).toBe('e-good');
  });

  it('after an earlier stage rollback, picks what that rollback restored, not the change it undid', () => {
    expect(chooseRollbackTarget(listedAfterEarlierRollback(), 'e-bad')).toBe('e-good');
  });

  it('has no opinion when the earlier stage rollback does not say what it restored', () => {
    const listed = [
      { pipelineExecutionId: 'e-bad', executionType: 'STANDARD', startTime: at('12:00') },
      { pipelineExecutionId: 'e-rb', executionType: 'ROLLBACK', startTime: at('10:20') },
      { pipelineExecutionId: 'e-undone', executionType: 'STANDARD', startTime: at('10:00') },
    ];
    expect(chooseRollbackTarget(listed, 'e-bad')).toBeUndefined();
  });

  it('ignores executions listed before the bad one', () => {
    const listed = [
      { pipelineExecutionId: 'e-newer', startTime: at('12:00') },
      { pipelineExecutionId: 'e-bad', startTime: at('11:00') },
      { pipelineExecutionId: 'e-good', startTime: at('09:00') },
    ];
    expect(chooseRollbackTarget(listed, 'e-bad')).toBe('e-good');
  });

  it('has no opinion when the bad execution is not listed (older pipeline version)', () => {
    expect(chooseRollbackTarget([{ pipelineExecutionId: 'e-good' }], 'e-bad')).toBeUndefined();
  });

  it('finds nothing when only rollbacks precede the bad execution', () => {
    const listed = [
      { pipelineExecutionId: 'e-bad', executionType: 'STANDARD' },
      { pipelineExecutionId: 'e-rb', executionType: 'ROLLBACK' },
    ];
    expect(chooseRollbackTarget(listed, 'e-bad')).toBeUndefined();
  });
});

describe('chooseRollbackTarget: which earlier listed execution counts', () => {
  it('skips an entry without an id, one that started with or after the bad one, and takes one without a start', () => {
    const listed = [
      { pipelineExecutionId: 'e-bad', executionType: 'STANDARD', startTime: at('11:00') },
      { executionType: 'STANDARD', startTime: at('10:00') },
      { pipelineExecutionId: 'e-later', executionType: 'STANDARD', startTime: at('11:30') },
      { pipelineExecutionId: 'e-same', executionType: 'STANDARD', startTime: at('11:00') },
      { pipelineExecutionId: 'e-undated', executionType: 'STANDARD' },
      { pipelineExecutionId: 'e-good', executionType: 'STANDARD', startTime: at('09:00') },
    ];
    expect(chooseRollbackTarget(listed, 'e-bad')).toBe('e-undated');
    expect(
      chooseRollbackTarget(
        listed.filter((entry) => entry.pipelineExecutionId !== 'e-undated'),
        'e-bad',
      ),
    ).toBe('e-good');
  });

  it('takes the next listed execution when the bad one has no start time', () => {
    const listed = [
      { pipelineExecutionId: 'e-bad', executionType: 'STANDARD' },
      { pipelineExecutionId: 'e-next', executionType: 'STANDARD', startTime: at('11:30') },
    ];
    expect(chooseRollbackTarget(listed, 'e-bad')).toBe('e-next');
  });

  it('has no opinion when an earlier rollback names an empty target', () => {
    const listed = [
      { pipelineExecutionId: 'e-bad', executionType: 'STANDARD', startTime: at('12:00') },
      {
        pipelineExecutionId: 'e-rb',
        executionType: 'ROLLBACK',
        startTime: at('10:20'),
        rollbackMetadata: { rollbackTargetPipelineExecutionId: '' },
      },
    ];
    expect(chooseRollbackTarget(listed, 'e-bad')).toBeUndefined();
  });
});

describe('chooseRollbackTarget with nothing before the bad execution', () => {
  it('has no opinion when the bad execution is the oldest listed', () => {
    expect(
      chooseRollbackTarget([{ pipelineExecutionId: 'e-bad', startTime: at('11:00') }], 'e-bad'),
    ).toBeUndefined();
  });
});
