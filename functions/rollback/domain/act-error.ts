/**
 * How sure we are that a call that acts did not act, from its error:
 * - `refused`: AWS answered and refused (a 4xx other than throttling): nothing happened, retrying will not help.
 * - `not-applied`: throttled: nothing happened, a later attempt may act.
 * - `unknown`: no answer (timeout, network, 5xx): it may have acted, so the world is read before acting again.
 */
export type ActErrorKind = 'refused' | 'not-applied' | 'unknown';

const THROTTLES = new Set(['ThrottlingException', 'TooManyRequestsException', 'ThrottledException']);

// Refusals the decisions know by name; an SDK error carries `$fault: 'client'` for any other 4xx.
const REFUSALS = new Set([
  'DeploymentAlreadyCompletedException',
  'UnsupportedActionForDeploymentTypeException',
  'UnableToRollbackStageException',
  'PipelineExecutionOutdatedException',
  'ConflictException',
  'DeploymentLimitExceededException',
  'RevisionDoesNotExistException',
  'InvalidRevisionException',
  'DeploymentGroupDoesNotExistException',
  'ApplicationDoesNotExistException',
  'DeploymentDoesNotExistException',
  'DescriptionTooLongException',
  'AccessDeniedException',
]);

export function classifyActError(error: unknown): ActErrorKind {
  const { name, $fault } = (error ?? {}) as { name?: string; $fault?: string };
  if (name && THROTTLES.has(name)) return 'not-applied';
  if ((name && REFUSALS.has(name)) || $fault === 'client') return 'refused';
  return 'unknown';
}
