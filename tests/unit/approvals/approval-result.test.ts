import {
  ApprovalAlreadyCompletedException,
  InvalidApprovalTokenException,
} from '@aws-sdk/client-codepipeline';
import { describe, expect, it } from 'vitest';
import { interpretApprovalResultError } from '../../../functions/approvals/domain/approval-result';

const alreadyCompleted = (attempts?: number) =>
  new ApprovalAlreadyCompletedException({
    message: 'already',
    $metadata: { httpStatusCode: 400, ...(attempts ? { attempts } : {}) },
  });
const sdkError = (name: string, $metadata: object, code?: string) =>
  Object.assign(new Error(name), { name, $metadata, ...(code ? { code } : {}) });

describe('interpretApprovalResultError', () => {
  it.each([
    [
      'already completed at our first attempt: somebody else decided',
      alreadyCompleted(1),
      false,
      'completed-elsewhere',
    ],
    [
      'already completed after an SDK retry: our first attempt went through',
      alreadyCompleted(2),
      false,
      'accepted',
    ],
    ['already completed after an earlier invocation of ours', alreadyCompleted(1), true, 'accepted'],
    [
      'an invalid token',
      new InvalidApprovalTokenException({ message: 'expired', $metadata: { httpStatusCode: 400 } }),
      true,
      'refused',
    ],
    [
      'throttling at the first attempt',
      sdkError('ThrottlingException', { httpStatusCode: 400, attempts: 1 }),
      false,
      'failed',
    ],
    ['access denied', sdkError('AccessDeniedException', { httpStatusCode: 400 }), false, 'failed'],
    [
      'throttling after a retry (the first attempt may have landed)',
      sdkError('ThrottlingException', { httpStatusCode: 400, attempts: 2 }),
      false,
      'unknown',
    ],
    ['a 5xx', sdkError('InternalFailure', { httpStatusCode: 500, attempts: 1 }), false, 'unknown'],
    ['a request timeout', sdkError('TimeoutError', {}, 'ETIMEDOUT'), false, 'unknown'],
    ['the total budget ran out', sdkError('AbortError', {}), false, 'unknown'],
    ['a reset connection', sdkError('Error', {}, 'ECONNRESET'), false, 'unknown'],
    ['an error with no SDK metadata at all', new Error('bug'), false, 'failed'],
    ['a thrown undefined', undefined, false, 'failed'],
  ])('%s', (_case, error, sentBefore, answer) => {
    expect(interpretApprovalResultError(error, sentBefore)).toBe(answer);
  });
});
