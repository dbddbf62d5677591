/** An event we can never process, whatever the retry: reject it with a specific reason, write nothing. */
export class MalformedEventError extends Error {
  override name = 'MalformedEventError';
  constructor(
    message: string,
    readonly eventId?: string,
  ) {
    super(message);
  }
}

// One description of schema issues for the app and the action runtime, which may not import the app.
export { describeIssues } from '@pipeline-control-plane/action-runtime';

/** A request to the read API that cannot be answered as asked (bad filter, foreign cursor). */
export class BadRequestError extends Error {
  override name = 'BadRequestError';
}
