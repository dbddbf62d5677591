/**
 * The client configuration of the reads a request waits for before it posts (commit authors, the approval's state
 * in a spoke): a slow or throttled service must not hold the message back for long. A read that still fails is
 * thrown, and the notification's delivery is retried.
 */
export const BOUNDED_READ_CLIENT = {
  maxAttempts: 2,
  retryMode: 'standard',
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true },
} as const;
