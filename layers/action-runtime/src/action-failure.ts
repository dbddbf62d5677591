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

const FAILURE_TYPES: ReadonlySet<string> = new Set<FailureType>([
  'JobFailed',
  'ConfigurationError',
  'PermissionError',
  'RevisionOutOfSync',
  'RevisionUnavailable',
  'SystemUnavailable',
]);

/**
 * By shape as well as by class: a team's function may carry its own copy of the runtime next to the
 * layer's (a bundled test build, an older version), and an ActionFailure from either must keep its type.
 */
export function isActionFailure(error: unknown): error is ActionFailure {
  // instanceof and property reads run a thrown Proxy's traps, which may throw themselves.
  try {
    if (error instanceof ActionFailure) return true;
    return (
      error instanceof Error &&
      error.name === 'ActionFailure' &&
      isFailureType((error as { type?: unknown }).type)
    );
  } catch {
    return false;
  }
}

/** Plain JavaScript can construct an ActionFailure with any type; CodePipeline refuses all but these. */
export function isFailureType(type: unknown): type is FailureType {
  return typeof type === 'string' && FAILURE_TYPES.has(type);
}
