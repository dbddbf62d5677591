/**
 * What CodePipeline's answer to PutApprovalResult says about our decision:
 * - `accepted`: CodePipeline holds our decision;
 * - `completed-elsewhere`: somebody else (console, CLI) completed the approval before we did;
 * - `refused`: the token is no longer valid (the approval expired or a newer execution superseded it);
 * - `unknown`: the request may or may not have reached CodePipeline (timeout, 5xx, an SDK retry): only
 *   sending the same decision again can tell;
 * - `failed`: CodePipeline certainly did not take it (throttling, permissions) and said so.
 */
export type ApprovalResultAnswer = 'accepted' | 'completed-elsewhere' | 'refused' | 'unknown' | 'failed';

interface SdkErrorShape {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

// Errors raised before an answer arrived: the request may have been processed all the same.
const NO_ANSWER = new Set([
  'TimeoutError',
  'AbortError',
  'RequestTimeout',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);

/**
 * Interprets an error thrown by PutApprovalResult. `sentBefore` says a request of ours carrying this same
 * decision may already have reached CodePipeline (an earlier invocation that died before recording the
 * answer). An SDK retry inside this call counts too: its `$metadata.attempts` is above 1, and the first
 * attempt may have succeeded without us seeing the response.
 */
export function interpretApprovalResultError(error: unknown, sentBefore: boolean): ApprovalResultAnswer {
  const { name, code, $metadata } = (error ?? {}) as SdkErrorShape;
  const retried = ($metadata?.attempts ?? 1) > 1;
  if (name === 'ApprovalAlreadyCompletedException') {
    // Only we send this approval's token from Slack: after our own earlier attempt, "already completed"
    // is that attempt's success, not somebody else's decision.
    return sentBefore || retried ? 'accepted' : 'completed-elsewhere';
  }
  if (name === 'InvalidApprovalTokenException') return 'refused';
  const status = $metadata?.httpStatusCode;
  const unanswered =
    (status !== undefined && status >= 500) || NO_ANSWER.has(name ?? '') || NO_ANSWER.has(code ?? '');
  return retried || unanswered ? 'unknown' : 'failed';
}
