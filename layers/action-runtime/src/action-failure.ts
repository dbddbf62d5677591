/** CodePipeline failure types (PutJobFailureResult failureDetails.type, botocore). */
export type FailureType =
  | 'JobFailed'
  | 'ConfigurationError'
  | 'PermissionError'
  | 'RevisionOutOfSync'
  | 'RevisionUnavailable'
  | 'SystemUnavailable';

/**
 * Thrown by an action to end its job with a chosen failure type and an operator-facing message.
 * Any other exception ends the job as JobFailed with the error's name and message.
 */
export class ActionFailure extends Error {
  override name = 'ActionFailure';
  constructor(
    message: string,
    readonly type: FailureType = 'JobFailed',
  ) {
    super(message);
  }
}
