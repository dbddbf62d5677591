import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalFunction } from './local-functions';

/** One event that exhausted its function's retries: what Lambda sends to the OnFailure destination. */
export interface DeadLetter {
  id: string;
  at: string;
  function: string;
  /** Who delivered it: an EventBridge rule, an SNS topic, a schedule, CodePipeline. */
  source: string;
  attempts: number;
  error: string;
  event: unknown;
}

export interface AsyncInvocation {
  attempts: number;
  result?: unknown;
  /** The last attempt's error; the event is then in the dead-letter queue. */
  error?: string;
}

// Lambda waits about a minute, then two, between async retries; local mode compresses that to milliseconds.
const RETRY_DELAY_MS = 5;
const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 2;

export function createDeadLetterQueue() {
  const letters: DeadLetter[] = [];
  return {
    letters,
    clear(): void {
      letters.length = 0;
    },
    add(letter: Omit<DeadLetter, 'id' | 'at'>): void {
      letters.push({ id: randomUUID(), at: new Date().toISOString(), ...letter });
    },
  };
}

export type DeadLetterQueue = ReturnType<typeof createDeadLetterQueue>;

/**
 * An asynchronous invocation as Lambda makes it for EventBridge, SNS, Scheduler and CodePipeline: a function
 * that throws (or crashes) is invoked again up to its EventInvokeConfig's MaximumRetryAttempts (default 2),
 * then the event goes to the dead-letter queue. A function that answers (even "rejected") is not retried.
 */
export async function invokeAsync(
  fn: LocalFunction,
  event: unknown,
  source: string,
  deadLetters: DeadLetterQueue,
): Promise<AsyncInvocation> {
  const retries = fn.properties.EventInvokeConfig?.MaximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS;
  let lastError = '';
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    try {
      return { attempts: attempt, result: await fn.invoke(event) };
    } catch (error) {
      lastError = String(error);
      if (attempt <= retries) await sleep(RETRY_DELAY_MS);
    }
  }
  deadLetters.add({ function: fn.logicalId, source, attempts: retries + 1, error: lastError, event });
  return { attempts: retries + 1, error: lastError };
}
